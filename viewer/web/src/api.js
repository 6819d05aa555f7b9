// HTTP helpers: JSON from the twin's API, with the leasing token only where asked for.
const TOKEN_KEY = "twin.leasingToken";

export class HttpError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

/** GET a JSON resource; throws HttpError (status, problem+json detail) unless 2xx. */
export async function getJson(path, { params = {}, auth = false, signal } = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  const headers = { Accept: "application/json" };
  const token = auth ? leasingToken() : "";
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { headers, signal });
  if (!response.ok) {
    let detail = "";
    try {
      detail = (await response.json()).detail || "";
    } catch {
      detail = response.statusText;
    }
    throw new HttpError(response.status, detail);
  }
  return response.json();
}

/** GET a JSON resource, or `fallback` when the endpoint is absent (404/405) or failing. */
export async function getOptional(path, options = {}, fallback = null) {
  try {
    return await getJson(path, options);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    return fallback;
  }
}

/** The leasing token of this tab (sessionStorage: never in the URL, gone with the tab). */
export function leasingToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function setLeasingToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** POST JSON with the leasing token; the answer's JSON, or HttpError naming what was refused. */
export async function postJson(path, body) {
  const headers = { Accept: "application/json", "Content-Type": "application/json" };
  const token = leasingToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(new URL(path, location.origin), { method: "POST", headers, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new HttpError(response.status, answer.detail || response.statusText);
  return answer;
}
