// The live orders table: the newest orders from GET /orders, then each order event from the shop.orders stream
// moves its row to the status the event means (the read model follows the same events a moment later).

import { element, getJson, money } from "./api.js";

const STATUS_BY_TYPE = {
  "order.placed.v1": "placed",
  "order.confirmed.v1": "confirmed",
  "order.cancelled.v1": "cancelled",
  "order.shipped.v1": "shipped",
};
const ROWS = 25;
// A row never moves back: the read model the list comes from can lag the events already shown.
const RANK = { placed: 0, confirmed: 1, cancelled: 1, shipped: 2 };

export class OrdersTable {
  #body;

  constructor(body) {
    this.#body = body;
  }

  async load() {
    const page = await getJson(`/orders?size=${ROWS}`);
    const shown = new Map([...this.#body.rows].map((row) => [row.dataset.orderId, row.dataset.status]));
    this.#body.replaceChildren(...page.items.map((order) => {
      const status = shown.get(order.orderId);
      return this.#row(status && RANK[status] > RANK[order.status] ? { ...order, status } : order);
    }));
  }

  apply(event) {
    const status = STATUS_BY_TYPE[event.type];
    if (!status) {
      return;
    }
    // (events arrive in order per order, so a later one never ranks lower)
    let row = this.#body.querySelector(`tr[data-order-id="${CSS.escape(event.subject)}"]`);
    if (!row) {
      const data = event.data ?? {};
      const total = (data.lines ?? []).reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
      row = this.#row({ orderId: event.subject, customerId: data.customerId, currency: data.currency, totalMinor: total });
      this.#body.prepend(row);
      while (this.#body.rows.length > ROWS) {
        this.#body.lastElementChild.remove();
      }
    }
    row.dataset.status = status;
    row.querySelector("td.status").textContent = status;
    row.querySelector("td.updated").textContent = new Date(event.time ?? Date.now()).toLocaleTimeString();
    row.classList.remove("changed");
    void row.offsetWidth; // restart the highlight
    row.classList.add("changed");
  }

  #row(order) {
    const row = element("tr", null, { "data-order-id": order.orderId, "data-status": order.status ?? "placed" });
    row.append(
      element("td", order.orderId.slice(0, 8), { title: order.orderId }),
      element("td", order.customerId ?? ""),
      element("td", order.status ?? "placed", { class: "status" }),
      element("td", order.totalMinor == null ? "" : money(order.totalMinor, order.currency)),
      element("td", order.updatedAt ? new Date(order.updatedAt).toLocaleTimeString() : "", { class: "updated" }),
    );
    return row;
  }
}
