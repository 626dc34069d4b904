// One WebSocket to /ws/streams carrying named subscriptions (the protocol in the README). It remembers the
// position of the last event of each subscription and, when the socket drops (a server restart, a network blip)
// or the server ends a subscription as too slow, subscribes again from there: no gap, no duplicate. A browser
// cannot set Authorization on a WebSocket, so the token rides in the subprotocol offer, which the server never
// echoes; before the token expires the server asks for a fresh one (reauth) and the page sends it (auth).

import { bearerToken } from "./session.js";

const PROTOCOL = "switchboard.streams.v1";

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

export class StreamSocket {
  #url;
  #socket = null;
  #subscriptions = new Map(); // name -> { request, onEvent, position }
  #retryMs = RETRY_MIN_MS;
  #onState;
  #token = null;

  constructor(path, onState = () => {}) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.#url = `${scheme}//${location.host}${path}`;
    this.#onState = onState;
    this.#connect();
  }

  /** Subscribes (or re-subscribes) under `name`; `onEvent(event)` gets each event's JSON. */
  subscribe(name, { topic, types = [], subject }, onEvent) {
    if (this.#subscriptions.has(name)) {
      this.unsubscribe(name);
    }
    const request = { topic, types, subject };
    this.#subscriptions.set(name, { request, onEvent, position: null });
    this.#sendSubscribe(name);
  }

  unsubscribe(name) {
    if (this.#subscriptions.delete(name)) {
      this.#send({ op: "unsubscribe", subscription: name });
    }
  }

  async #connect() {
    this.#onState(this.#socket ? "reconnecting" : "connecting");
    const token = await bearerToken({ fresh: this.#socket !== null });
    this.#token = token;
    const carrier = encodeURIComponent(`quarkus-http-upgrade#Authorization#Bearer ${token}`);
    const socket = new WebSocket(this.#url, [PROTOCOL, carrier]);
    this.#socket = socket;
    socket.addEventListener("open", () => {
      this.#retryMs = RETRY_MIN_MS;
      this.#onState("live");
      for (const name of this.#subscriptions.keys()) {
        this.#sendSubscribe(name);
      }
    });
    socket.addEventListener("message", (message) => this.#receive(JSON.parse(message.data)));
    socket.addEventListener("close", () => {
      this.#onState("reconnecting");
      setTimeout(() => this.#connect(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
    });
  }

  #sendSubscribe(name) {
    const subscription = this.#subscriptions.get(name);
    const { topic, types, subject } = subscription.request;
    const frame = { op: "subscribe", subscription: name, topic, types, from: subscription.position ?? "latest" };
    if (subject) {
      frame.subject = subject;
    }
    this.#send(frame);
  }

  #resubscribeLater(name) {
    setTimeout(() => {
      if (this.#subscriptions.has(name)) {
        this.#sendSubscribe(name);
      }
    }, RETRY_MAX_MS / 5);
  }

  #send(frame) {
    if (this.#socket?.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify(frame));
    }
  }

  async #receive(frame) {
    if (frame.op === "reauth") {
      const fresh = await bearerToken({ fresh: true });
      if (fresh && fresh !== this.#token) { // the same token again would change nothing
        this.#token = fresh;
        this.#send({ op: "auth", token: fresh });
      }
      return;
    }
    const subscription = this.#subscriptions.get(frame.subscription);
    if (!subscription) {
      return;
    }
    switch (frame.op) {
      case "subscribed":
        subscription.position = frame.position;
        break;
      case "event":
        subscription.position = frame.position;
        subscription.onEvent(frame.event);
        break;
      case "slow-consumer":
        subscription.position = frame.position;
        this.#sendSubscribe(frame.subscription);
        break;
      case "ended": // the server ended it (its topic's reader stopped): again from where it was, in a moment
        subscription.position = frame.position ?? subscription.position;
        this.#resubscribeLater(frame.subscription);
        break;
      case "error":
        console.warn(`subscription ${frame.subscription}: ${frame.code} ${frame.message}`);
        if (frame.code === "invalid_position") {
          subscription.position = null; // the topic was recreated or trimmed: start from now
          this.#sendSubscribe(frame.subscription);
        } else if (frame.code === "unavailable" || frame.code === "stream_failed") {
          this.#resubscribeLater(frame.subscription); // Kafka away for now
        }
        break;
      default:
        break; // heartbeat, unsubscribed
    }
  }
}
