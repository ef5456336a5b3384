// The API as the page calls it: the key from this tab's session storage on every request, and
// errors as the API words them.
const KEY = 'agent-ops-key';

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  set key(value) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
};

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code ?? null;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { authorization: `Bearer ${session.key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiFailure(res.status, parsed);
  return parsed;
}

/** A binary resource (an invoice's PDF), fetched with the key. */
export async function fetchBlob(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session.key}` } });
  if (!res.ok) throw new ApiFailure(res.status, null);
  return res.blob();
}
