// Live board: PBX link status, calls in progress and extension status, kept current by hub pushes.
import { api, session } from './api.js';
import { on } from './live.js';
import { el, dialButton, partyNumber, clock, callKey, callRef, activityGuard } from './dom.js';
import { notify, notifyError } from './notify.js';

const calls = new Map();
const extensions = new Map();
const links = new Map();
// Calls already seen ending: a late push for them must not bring them back onto the board.
const ended = new Set();

const DIRECTION = { inbound: '↘ In', outbound: '↗ Out', internal: '↔ Internal' };

// ---- PBX link ----

function renderLinks() {
  const host = document.getElementById('pbx-status');
  const all = [...links.values()];
  const connected = all.length > 0 && all.every((l) => l.connected);
  host.dataset.connected = String(connected);
  host.replaceChildren(...(all.length ? all : [{ id: 'pbx', name: 'PBX', connected: false, reason: 'unknown' }]).map((l) =>
    el('span', { class: `link ${l.connected ? 'up' : 'down'}`, title: l.reason || '', 'data-pbx-id': l.id },
      el('span', { class: 'dot', 'aria-hidden': 'true' }),
      `${l.name || l.id}: ${l.connected ? 'connected' : 'disconnected'}`,
      !l.connected && l.reason ? el('span', { class: 'muted', text: ` (${l.reason})` }) : null)));
}

function linkChanged(p) {
  const prev = links.get(p.pbxId) || { id: p.pbxId, name: p.pbxId };
  const wasConnected = prev.connected;
  links.set(p.pbxId, { ...prev, connected: !!p.connected, reason: p.reason || null });
  renderLinks();
  if (wasConnected !== undefined && wasConnected !== !!p.connected) {
    notify(`PBX ${prev.name || p.pbxId} ${p.connected ? 'reconnected' : 'link lost' + (p.reason ? `: ${p.reason}` : '')}`, p.connected ? 'info' : 'error');
  }
}

// ---- Active calls ----

function who(call) {
  const answered = call.legs?.find((l) => l.answeredAt && !l.endedAt) || null;
  if (call.status === 'answered') return call.extension || answered?.extension || '';
  const ringing = (call.legs || []).filter((l) => !l.answeredAt && !l.endedAt).map((l) => l.extension);
  return ringing.length ? ringing.join(', ') : call.extension || call.ringGroup || '';
}

function callRow(call) {
  const since = call.status === 'answered' && call.answeredAt ? call.answeredAt : call.startedAt;
  const party = partyNumber(call);
  const mine = session.extension && (call.extension === session.extension || call.legs?.some((l) => l.extension === session.extension));
  return el('li', { class: `call status-${call.status}${mine ? ' mine' : ''}`, 'data-call-id': call.pbxCallId, 'data-status': call.status },
    el('span', { class: `dir dir-${call.direction}`, text: DIRECTION[call.direction] || call.direction }),
    el('span', { class: 'party' }, dialButton(party),
      call.customer?.customerName ? el('span', { class: 'customer', text: call.customer.customerName }) : null),
    el('span', { class: 'who' }, el('span', { class: `badge badge-${call.status}`, text: call.status === 'ringing' ? 'Ringing' : 'Talking' }), ' ', who(call)),
    el('span', { class: 'timer', 'data-since': since || '', 'aria-label': 'Duration' }, since ? clock((Date.now() - new Date(since)) / 1000) : ''),
    call.onHold ? el('span', { class: 'badge badge-hold', text: 'on hold' }) : null,
    el('button', { type: 'button', class: 'hangup danger small', 'data-call-ref': callRef(call), 'aria-label': `Hang up call with ${party || 'caller'}` }, 'Hang up'));
}

let callsGuard = { busy: () => false, wait: () => 0 };
let renderQueued = false;

// Rows would move under a "Hang up" click when another call comes or goes: wait a moment while someone aims.
function renderCalls() {
  if (callsGuard.busy()) {
    if (!renderQueued) {
      renderQueued = true;
      setTimeout(() => { renderQueued = false; renderCalls(); }, callsGuard.wait());
    }
    return;
  }
  const list = document.getElementById('active-calls');
  const sorted = [...calls.values()].sort((a, b) => (a.startedAt || '').localeCompare(b.startedAt || ''));
  list.replaceChildren(...sorted.map(callRow));
  document.getElementById('active-empty').hidden = sorted.length > 0;
  document.getElementById('active-count').textContent = String(sorted.length);
}

function upsertCall(call) {
  if (!call?.pbxCallId) return;
  const key = callKey(call);
  if (call.status === 'ended') {
    calls.delete(key);
    ended.add(key);
    if (ended.size > 500) ended.delete(ended.values().next().value);
  } else if (!ended.has(key)) {
    calls.set(key, call);
  }
  renderCalls();
}

function tick() {
  for (const t of document.querySelectorAll('#active-calls .timer[data-since]')) {
    if (t.dataset.since) t.textContent = clock((Date.now() - new Date(t.dataset.since)) / 1000);
  }
}

// ---- Extensions ----

const STATUS_LABEL = { idle: 'Idle', ringing: 'Ringing', busy: 'On a call' };

function extensionCard(x) {
  const offline = x.registered === false;
  return el('li', { class: `ext ext-${x.callStatus}${offline ? ' offline' : ''}${x.number === session.extension ? ' mine' : ''}`,
    'data-extension': x.number, 'data-status': x.callStatus, 'data-registered': String(x.registered !== false) },
    el('span', { class: 'ext-head' }, dialButton(x.number), el('span', { class: 'ext-name', text: x.name || '' })),
    el('span', { class: `badge badge-${x.callStatus}`, text: STATUS_LABEL[x.callStatus] || x.callStatus }),
    el('span', { class: 'presence muted', text: [offline ? 'not registered' : null, x.presence].filter(Boolean).join(' · ') }));
}

function renderExtensions() {
  const list = document.getElementById('extensions');
  const sorted = [...extensions.values()].sort((a, b) => a.number.localeCompare(b.number, undefined, { numeric: true }));
  list.replaceChildren(...sorted.map(extensionCard));
  document.getElementById('extensions-empty').hidden = sorted.length > 0;
  document.dispatchEvent(new CustomEvent('extensions:changed', { detail: sorted }));
}

function upsertExtension(x) {
  if (!x?.number) return;
  const prev = extensions.get(x.number);
  // Pushes can overtake each other; keep the newest.
  if (prev?.updatedAt && x.updatedAt && prev.updatedAt > x.updatedAt) return;
  extensions.set(x.number, x);
  renderExtensions();
}

export function knownExtensions() { return [...extensions.keys()]; }

export async function loadBoard() {
  const [pbxes, active, exts] = await Promise.allSettled([api.pbx(), api.activeCalls(), api.extensions()]);
  if (pbxes.status === 'fulfilled') {
    links.clear();
    for (const p of pbxes.value || []) links.set(p.id, { id: p.id, name: p.name, connected: p.connected, reason: p.linkReason });
    renderLinks();
  }
  if (active.status === 'fulfilled') {
    calls.clear();
    for (const c of active.value || []) if (c.status !== 'ended') calls.set(callKey(c), c);
    renderCalls();
  }
  if (exts.status === 'fulfilled') {
    extensions.clear();
    for (const x of exts.value || []) extensions.set(x.number, x);
    renderExtensions();
  }
  const failed = [pbxes, active, exts].find((r) => r.status === 'rejected');
  if (failed) notifyError(failed.reason);
  return [...calls.values()];
}

export function initBoard() {
  callsGuard = activityGuard(document.getElementById('active-calls'), 1000);
  on('yeastar:connected', linkChanged);
  on('yeastar:disconnected', linkChanged);
  for (const name of ['call:new', 'call:ringing', 'call:answered', 'call:updated', 'call:ended']) on(name, upsertCall);
  on('extension:status', upsertExtension);
    setInterval(tick, 1000);
  document.getElementById('active-calls').addEventListener('click', async (e) => {
    const button = e.target.closest('button.hangup');
    if (!button) return;
    button.disabled = true;
    try {
      await api.hangup(button.dataset.callRef);
      notify('Hang-up sent');
    } catch (err) {
      notifyError(err);
      button.disabled = false;
    }
  });
}
