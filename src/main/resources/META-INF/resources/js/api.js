// JSON over HTTP with the page's bearer token; an error answer (the API's {code, message, field}) becomes an Error
// carrying those.

import { authorized } from "./session.js";

export async function getJson(path) {
  const response = await fetch(path, { headers: await authorized({ Accept: "application/json" }) });
  return read(response);
}

export async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: await authorized({ "Content-Type": "application/json", Accept: "application/json" }),
    body: JSON.stringify(body),
  });
  return read(response);
}

async function read(response) {
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body?.message ?? `HTTP ${response.status}`);
    Object.assign(error, { status: response.status, code: body?.code, field: body?.field });
    throw error;
  }
  return body;
}

export function money(minor, currency) {
  return `${(minor / 100).toFixed(2)} ${currency ?? ""}`.trim();
}

export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  return node;
}
