// The page: wires the panels to the API and to one stream socket. Plain ES modules, no build step.

import { postJson } from "./api.js";
import { OrdersTable } from "./orders.js";
import { addToFeed, showAnalytics, showDeadLetters } from "./panels.js";
import { StreamSocket } from "./stream-socket.js";

const FEED_TOPICS = ["shop.orders", "shop.payments", "shop.inventory", "carrier.updates"];
const REFRESH_MS = 5000;

const orders = new OrdersTable(document.getElementById("order-rows"));
const counters = document.getElementById("counters");
const feed = document.getElementById("feed-items");
const deadLetters = document.getElementById("dead-letter-rows");
const connection = document.getElementById("connection");

function refresh(what) {
  what().catch((error) => console.warn(error.message));
}

let analyticsPending = null;
function refreshAnalyticsSoon() {
  // Counters follow the events through their own consumer group: ask a moment after, once per burst.
  analyticsPending ??= setTimeout(() => {
    analyticsPending = null;
    refresh(() => showAnalytics(counters));
  }, 500);
}

let everLive = false;
const streams = new StreamSocket("/ws/streams", (state) => {
  connection.dataset.state = state;
  connection.textContent = state;
  if (state === "live") {
    connection.dataset.connects = String(Number(connection.dataset.connects ?? 0) + 1);
    // After a restart the subscriptions resume from their positions; the lists are read again too.
    if (everLive) {
      refresh(() => orders.load());
    }
    everLive = true;
    refresh(() => showAnalytics(counters));
    refresh(() => showDeadLetters(deadLetters));
  }
});

refresh(() => orders.load());
streams.subscribe("orders", { topic: "shop.orders", types: ["order.*"] }, (event) => {
  orders.apply(event);
  refreshAnalyticsSoon();
});

function subscribeFeed(types) {
  for (const topic of FEED_TOPICS) {
    streams.subscribe(`feed:${topic}`, { topic, types }, (event) => addToFeed(feed, event));
  }
}
subscribeFeed([]);

document.getElementById("feed-form").addEventListener("submit", (submit) => {
  submit.preventDefault();
  const types = new FormData(submit.target).get("types").split(",").map((t) => t.trim()).filter(Boolean);
  feed.replaceChildren();
  subscribeFeed(types);
});

document.getElementById("place-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const form = new FormData(submit.target);
  const result = document.getElementById("place-result");
  try {
    const placed = await postJson("/orders", {
      customerId: form.get("customerId"),
      lines: [{
        sku: form.get("sku"),
        quantity: Number(form.get("quantity")),
        unitPrice: { amountMinor: Number(form.get("amountMinor")), currency: form.get("currency") },
      }],
    });
    result.className = "";
    result.dataset.orderId = placed.orderId;
    result.textContent = `placed ${placed.orderId}`;
  } catch (error) {
    result.className = "error";
    delete result.dataset.orderId;
    result.textContent = `${error.code ?? "error"}: ${error.message}${error.field ? ` (${error.field})` : ""}`;
  }
});

setInterval(() => {
  if (connection.dataset.state === "live") {
    refresh(() => showAnalytics(counters));
    refresh(() => showDeadLetters(deadLetters));
  }
}, REFRESH_MS);
