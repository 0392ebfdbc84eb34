// The API client: the token, and refusals turned into messages a reader can act on. Whether the server
// is up and whether the token was taken is shown once, in the header (see onConnection).

const TOKEN_KEY = "newsdesk.token";
let token = sessionStorage.getItem(TOKEN_KEY) || "";
const listeners = [];

export class ApiError extends Error {
  constructor(status, message, body, kind) {
    super(message);
    this.status = status;
    this.body = body;
    this.kind = kind; // "down", "no-token", "wrong-token", "refused"
  }
}

/** Call `fn(state)` with "ok", "down", "no-token" or "wrong-token" whenever the connection's state is known. */
export function onConnection(fn) {
  listeners.push(fn);
}

function tell(state) {
  for (const fn of listeners) fn(state);
}

export function setToken(value) {
  token = value || "";
  sessionStorage.setItem(TOKEN_KEY, token);
}

export const hasToken = () => Boolean(token);

export function authHeaders(extra) {
  const headers = Object.assign({}, extra || {});
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

/** The error for an answer that is not 2xx, in words; `detail` is the server's own message. */
export function refusal(status, body) {
  const detail = body && typeof body.detail === "string" ? body.detail : "";
  if (status === 401) {
    return token
      ? new ApiError(401, "The token was not accepted. Check it and enter it again.", body, "wrong-token")
      : new ApiError(401, "This server needs a token. Enter it in the box at the top.", body, "no-token");
  }
  if (status === 413) return new ApiError(status, `Too large for this server: ${detail}`, body, "refused");
  if (status >= 500) {
    return new ApiError(status, `The server failed: ${detail || `error ${status}`}.`, body, "refused");
  }
  return new ApiError(status, detail || `The server refused the request (error ${status}).`, body, "refused");
}

export function noteAnswer(status) {
  if (status === 401) tell(token ? "wrong-token" : "no-token");
  else if (status > 0 && status < 500) tell("ok");
}

export function noteDown() {
  tell("down");
}

/** JSON from `path`; throws an ApiError with a readable message. */
export async function api(path, options) {
  const opts = Object.assign({}, options || {});
  opts.headers = authHeaders(opts.headers);
  let response;
  try {
    response = await fetch(path, opts);
  } catch {
    noteDown();
    throw new ApiError(0, "The server is not answering. Is newsdesk serve still running?", null, "down");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  noteAnswer(response.status);
  if (!response.ok) throw refusal(response.status, body);
  return { status: response.status, body };
}
