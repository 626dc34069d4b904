// The bearer token the page calls with: one put in sessionStorage under "switchboard.token" (by a test, or by an
// operator from infra/token), or in dev mode one the service mints for the page (GET /dev/token exists in dev mode
// only). A fresh one is asked for when the socket's token is about to expire.

const KEY = "switchboard.token";

export async function bearerToken({ fresh = false } = {}) {
  const stored = sessionStorage.getItem(KEY);
  if (stored && !fresh) {
    return stored;
  }
  const response = await fetch("/dev/token", { headers: { Accept: "application/json" } }).catch(() => null);
  if (response?.ok) {
    const { token } = await response.json();
    sessionStorage.setItem(KEY, token);
    return token;
  }
  return stored;
}

export async function authorized(headers = {}) {
  const token = await bearerToken();
  return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
}
