// The smaller panels: analytics counters, the event feed, the parked dead letters.

import { element, getJson, money } from "./api.js";

export async function showAnalytics(list) {
  const snapshot = await getJson("/analytics");
  const entries = [
    ["placed", snapshot.ordersPlaced],
    ["confirmed", snapshot.ordersConfirmed],
    ["cancelled", snapshot.ordersCancelled],
    ["shipped", snapshot.ordersShipped],
    ...Object.entries(snapshot.revenueMinor ?? {}).map(([currency, minor]) => [`revenue ${currency}`, money(minor, currency)]),
  ];
  list.replaceChildren(...entries.flatMap(([name, value]) => [
    element("dt", name),
    element("dd", value, { "data-counter": name }),
  ]));
}

const FEED_LENGTH = 200;

export function addToFeed(list, event) {
  const time = new Date(event.time ?? Date.now()).toLocaleTimeString();
  list.prepend(element("li", `${time}  ${event.topic}  ${event.type}  ${event.subject ?? ""}`, { "data-type": event.type, "data-subject": event.subject ?? "" }));
  while (list.children.length > FEED_LENGTH) {
    list.lastElementChild.remove();
  }
}

export async function showDeadLetters(body) {
  const page = await getJson("/dead-letters?status=parked&size=20");
  body.replaceChildren(...page.items.map((letter) => {
    const row = element("tr", null, { "data-dead-letter-id": letter.id });
    row.append(
      element("td", letter.id),
      element("td", letter.broker),
      element("td", letter.group),
      element("td", letter.eventType ?? ""),
      element("td", letter.subject ?? ""),
      element("td", letter.reason ?? ""),
      element("td", new Date(letter.collectedAt).toLocaleTimeString()),
    );
    return row;
  }));
}
