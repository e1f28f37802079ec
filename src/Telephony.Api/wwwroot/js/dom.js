// Tiny DOM and formatting helpers shared by the views (no framework: text always goes in as text, never HTML).

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A phone number anyone can click to call it from my extension (handled by dial.js). */
export function dialButton(number, label) {
  if (!number) return el('span', { class: 'muted', text: '—' });
  return el('button', { type: 'button', class: 'dial', 'data-number': number, title: `Call ${number}`, 'aria-label': `Call ${number}` },
    el('span', { class: 'dial-icon', 'aria-hidden': 'true', text: '☎' }), label || number);
}

/** The other party of a call: the external number when there is one, else the far end of an internal call. */
export function partyNumber(call) {
  if (call.externalNumber) return call.externalNumber;
  return call.direction === 'outbound' ? call.to : call.from;
}

export function seconds(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const s = Math.round(value);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function clock(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function percent(ratio) {
  return ratio === null || ratio === undefined ? '—' : `${Math.round(ratio * 100)}%`;
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? timeFmt.format(d) : dateTimeFmt.format(d);
}

export function ago(iso) {
  if (!iso) return '';
  const s = (Date.now() - new Date(iso).getTime()) / 1000;
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function isoDate(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

/**
 * Runs fn `delay` ms after a call, then at most once per `every` ms while calls keep coming, and always once
 * after the last one (a plain debounce would never fire under steady traffic).
 */
export function throttle(fn, every, delay = Math.min(every, 1000)) {
  let timer = null;
  let pending = false;
  let lastRun = 0;
  const run = () => {
    timer = null;
    if (!pending) return;
    pending = false;
    lastRun = Date.now();
    fn();
    timer = setTimeout(run, every);
  };
  return () => {
    pending = true;
    if (!timer) timer = setTimeout(run, Math.max(delay, every - (Date.now() - lastRun)));
  };
}

/**
 * Tracks whether someone is aiming at a list right now (pointer moved or key pressed in it lately), so a
 * live refresh can wait instead of shifting rows under a click. Idle pointers resting on it do not count.
 */
export function activityGuard(node, ms = 1500) {
  let last = 0;
  for (const type of ['pointermove', 'pointerdown', 'keydown', 'wheel']) node.addEventListener(type, () => { last = Date.now(); }, { passive: true });
  return { busy: () => Date.now() - last < ms, wait: () => Math.max(50, ms - (Date.now() - last)) };
}

export const callKey = (call) => `${call.pbxId}/${call.pbxCallId}`;

/** The id the REST API takes in URLs: the service's UUID, else the PBX call id (both resolve). */
export const callRef = (call) => call.id || call.pbxCallId;
