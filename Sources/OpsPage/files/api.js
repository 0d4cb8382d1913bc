// The service's own REST API (CONTRACT.md), called with the Clerk session: a token kept in
// sessionStorage goes as `Authorization: Bearer`; without one the browser sends the
// `__session` cookie (same origin, JSON bodies, as the server's cookie rule requires).

const TOKEN_KEY = "call-booking.session-token";

export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function storeToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An answer other than 2xx: the contract's error JSON, in words. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  get isPermission() { return this.status === 403; }
  get isUnauthenticated() { return this.status === 401; }
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === "") continue;
    for (const one of Array.isArray(value) ? value : [value]) search.append(name, String(one));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

function headers(extra) {
  const all = { accept: "application/json", ...extra };
  const token = storedToken();
  if (token) all.authorization = `Bearer ${token}`;
  return all;
}

async function errorOf(response) {
  let message = `${response.status} ${response.statusText}`;
  let code = 0;
  try {
    const body = await response.json();
    if (body && typeof body.message === "string" && body.message) message = body.message;
    if (body && typeof body.code === "number") code = body.code;
  } catch {
    // Not the contract's JSON (a proxy's page): the status line says what happened.
  }
  return new ApiError(response.status, code, message);
}

/** Calls one route; resolves to the answer's JSON, rejects with an ApiError. */
export async function call(method, path, { params, body } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { "content-type": "application/json" }),
    credentials: "same-origin", cache: "no-store" };
  if (body !== undefined) init.body = JSON.stringify(body);
  let response;
  try {
    response = await fetch(`${path}${query(params)}`, init);
  } catch (error) {
    throw new ApiError(0, 14, `the server could not be reached (${error.message})`);
  }
  if (!response.ok) throw await errorOf(response);
  return response.status === 204 ? {} : response.json();
}

export const get = (path, params) => call("GET", path, { params });
export const post = (path, body) => call("POST", path, { body: body || {} });
export const put = (path, body) => call("PUT", path, { body });
export const patch = (path, body, params) => call("PATCH", path, { body, params });

/** Every page of a listing, up to `maxPages` (the listings cap a page at 200). */
export async function all(path, field, params, maxPages = 10) {
  const items = [];
  let pageToken = "";
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await get(path, { ...params, pageSize: 200, pageToken });
    items.push(...(answer[field] || []));
    pageToken = answer.nextPageToken || "";
    if (!pageToken) break;
  }
  return items;
}

/**
 * WatchCall as server-sent events: `onCall` gets each new state of the call. EventSource
 * cannot send headers, so with a pasted token the stream is read through fetch.
 * Returns a function that stops watching.
 */
export function watchCall(id, onCall, onError) {
  const controller = new AbortController();
  (async () => {
    try {
      const response = await fetch(`/api/v1/calls/${encodeURIComponent(id)}/events`, {
        headers: headers({ accept: "text/event-stream" }), credentials: "same-origin",
        signal: controller.signal, cache: "no-store" });
      if (!response.ok) throw await errorOf(response);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let end;
        while ((end = buffered.indexOf("\n\n")) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = event.split("\n").filter((line) => line.startsWith("data:"))
            .map((line) => line.slice(5).trimStart()).join("\n");
          if (!data) continue;
          const parsed = JSON.parse(data);
          if (parsed && parsed.id) onCall(parsed);
          else if (parsed && parsed.message) onError(new ApiError(200, parsed.code || 0, parsed.message));
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) onError(error);
    }
  })();
  return () => controller.abort();
}
