// REST client: adds the agent key to every request and turns problem+json into readable errors.
const KEY = 'telephony.agentKey';
const EXT = 'telephony.myExtension';

export const session = {
  get key() { return sessionStorage.getItem(KEY) || ''; },
  get extension() { return sessionStorage.getItem(EXT) || ''; },
  signIn(key, extension) {
    sessionStorage.setItem(KEY, key);
    this.setExtension(extension);
  },
  setExtension(extension) {
    if (extension) sessionStorage.setItem(EXT, extension);
    else sessionStorage.removeItem(EXT);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
  },
};

export class ApiError extends Error {
  constructor(status, title, errors) {
    super(errors?.length ? `${title}${/[.!?]$/.test(title) ? '' : ':'} ${errors.join(' ')}` : title);
    this.status = status;
    this.title = title;
    this.errors = errors || [];
  }
}

// Set by app.js: a rejected key anywhere sends the user back to sign-in.
let onUnauthorized = () => {};
export function setUnauthorizedHandler(handler) { onUnauthorized = handler; }

async function toError(res) {
  let title = `${res.status} ${res.statusText || 'Request failed'}`;
  let errors = [];
  try {
    const body = await res.json();
    if (body?.title) title = body.title;
    if (body?.detail && body.detail !== title) errors.push(body.detail);
    for (const messages of Object.values(body?.errors || {})) errors.push(...[].concat(messages));
  } catch { /* not JSON: keep the status line */ }
  return new ApiError(res.status, title, errors);
}

export async function request(method, path, body, { raw = false, key = session.key } = {}) {
  const headers = { Authorization: `Bearer ${key}`, Accept: raw ? '*/*' : 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'The service cannot be reached', []);
  }
  if (res.status === 401) {
    onUnauthorized();
    throw new ApiError(401, 'Your agent key was not accepted', []);
  }
  if (!res.ok) throw await toError(res);
  if (raw) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

export const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

const enc = encodeURIComponent;

export const api = {
  pbx: (key) => request('GET', '/api/pbx', undefined, key ? { key } : {}),
  activeCalls: () => request('GET', '/api/calls/active'),
  extensions: () => request('GET', '/api/extensions'),
  logs: (params) => request('GET', `/api/calls/logs${query(params)}`),
  logsCsv: (params) => request('GET', `/api/calls/logs${query({ ...params, format: 'csv' })}`, undefined, { raw: true }),
  call: (id) => request('GET', `/api/calls/${enc(id)}`),
  recording: (id) => request('GET', `/api/calls/${enc(id)}/recording`, undefined, { raw: true }),
  stats: (params) => request('GET', `/api/calls/stats${query(params)}`),
  extensionStats: (ext, params) => request('GET', `/api/calls/stats/${enc(ext)}${query(params)}`),
  dial: (from, to) => request('POST', '/api/calls/dial', { from, to, autoAnswer: false }),
  hangup: (id) => request('POST', `/api/calls/hangup/${enc(id)}`),
  linkCustomer: (id, customer) => request('POST', `/api/calls/${enc(id)}/customer`, customer),
  linkOrder: (id, orderId) => request('POST', `/api/calls/${enc(id)}/order`, { orderId }),
  addNote: (id, note) => request('POST', `/api/calls/${enc(id)}/notes`, { note }),
  missed: () => request('GET', '/api/calls/missed?open=true'),
};
