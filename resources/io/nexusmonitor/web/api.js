// The page's one way to the API: same origin, the token (if the user gave one) as
// "Authorization: Bearer", JSON both ways, and the API's own error sentence on refusal.

const TOKEN_KEY = "nexus-monitor.token";

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return "";
  }
}

export function setToken(value) {
  const v = (value || "").trim();
  if (v) sessionStorage.setItem(TOKEN_KEY, v);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A refused or failed request: the HTTP status and the API's sentence. */
export class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function headers(extra = {}) {
  const h = { Accept: "application/json", ...extra };
  const t = token();
  if (t) h.Authorization = "Bearer " + t;
  return h;
}

/** GET or change something; resolves to the parsed JSON, rejects with an ApiFailure. */
export async function request(method, path, body) {
  const init = { method, headers: headers(), cache: "no-store", credentials: "omit" };
  if (method !== "GET") {
    // changes need application/json (the front door refuses anything else), an empty body is fine
    init.headers["Content-Type"] = "application/json";
    init.body = body === undefined ? "" : JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiFailure(0, "unreachable", "the monitor does not answer (is it still running?)");
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = json && json.error;
    throw new ApiFailure(
      res.status,
      (e && e.code) || "http_" + res.status,
      (e && e.message) || "the monitor answered HTTP " + res.status,
    );
  }
  return json;
}

export const api = {
  backends: () => request("GET", "/api/backends"),
  backend: (id) => request("GET", "/api/backends/" + encodeURIComponent(id)),
  stats: (window) => request("GET", "/api/stats?window=" + encodeURIComponent(window)),
  health: () => request("GET", "/health"),
  add: (body) => request("POST", "/api/backends", body),
  remove: (id) => request("DELETE", "/api/backends/" + encodeURIComponent(id)),
  pin: (id) => request("POST", "/api/backends/" + encodeURIComponent(id) + "/pin"),
  unpin: (id) => request("POST", "/api/backends/" + encodeURIComponent(id) + "/unpin"),
  check: (id) => request("POST", "/api/backends/" + encodeURIComponent(id) + "/check"),
};
