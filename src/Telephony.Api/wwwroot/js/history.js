// Call history: filters, search, paging, per-call details and a CSV export of the current filter.
import { api } from './api.js';
import { on } from './live.js';
import { el, dialButton, partyNumber, when, seconds, debounce, throttle, activityGuard, callRef } from './dom.js';
import { notify, notifyError } from './notify.js';

const LIMIT = 50;
let offset = 0;
let total = 0;
let seq = 0;

const $ = (id) => document.getElementById(id);

function filters() {
  return {
    q: $('history-search').value.trim(),
    from: $('history-from').value,
    to: $('history-to').value,
    direction: $('history-direction').value,
    status: $('history-status').value,
    extension: $('history-extension').value.trim(),
    phone: $('history-phone').value.trim(),
  };
}

const DIRECTION = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' };
const OUTCOME = { answered: 'Answered', missed: 'Missed', busy: 'Busy', failed: 'Failed', ringing: 'Ringing', ended: 'Ended' };

function outcomeBadge(call) {
  const key = call.outcome || call.status;
  return el('span', { class: `badge badge-${key}`, text: OUTCOME[key] || key });
}

function historyRow(call) {
  const detailsId = `hist-${call.id || call.pbxCallId}`;
  const toggle = el('button', { type: 'button', class: 'ghost small history-details', 'aria-expanded': 'false', 'aria-controls': detailsId,
    'aria-label': `Details of call at ${when(call.startedAt)}` }, '▸');
  const tr = el('tr', { 'data-call-id': call.pbxCallId, 'data-ref': callRef(call), class: `dir-${call.direction}` },
    el('td', {}, toggle),
    el('td', { 'data-label': 'When' }, el('time', { datetime: call.startedAt, text: when(call.startedAt) })),
    el('td', { 'data-label': 'Direction', class: 'hide-sm', text: DIRECTION[call.direction] || call.direction }),
    el('td', { 'data-label': 'Number' }, dialButton(partyNumber(call) || call.from)),
    el('td', { 'data-label': 'Ext', class: 'hide-sm' }, call.extension ? dialButton(call.extension) : '—'),
    el('td', { 'data-label': 'Outcome' }, outcomeBadge(call)),
    el('td', { 'data-label': 'Ring', class: 'num hide-sm', text: seconds(call.ringSeconds) }),
    el('td', { 'data-label': 'Talk', class: 'num', text: seconds(call.talkSeconds) }),
    el('td', { 'data-label': 'Customer', class: 'hide-sm', text: call.customer?.customerName || call.customer?.customerId || '' }),
    el('td', { 'data-label': 'Orders', class: 'hide-sm', text: (call.orders || []).map((o) => `#${o}`).join(' ') }));
  toggle.addEventListener('click', () => toggleDetails(tr, toggle, detailsId, call));
  return tr;
}

function details(call) {
  const list = (title, items) => items?.length ? el('div', {}, el('h3', { text: title }), el('ul', { class: 'plain' }, items)) : null;
  return el('div', { class: 'call-details' },
    el('p', {}, `${call.direction} · from `, dialButton(call.from), ' to ', dialButton(call.to),
      call.trunk ? ` · trunk ${call.trunk}` : '', call.ringGroup ? ` · group ${call.ringGroup}` : '',
      ` · total ${seconds(call.durationSeconds)}`, call.satisfaction ? ` · satisfaction ${call.satisfaction}` : '',
      call.failureReason ? ` · ${call.failureReason}` : ''),
    list('Who rang', (call.legs || []).map((l) => el('li', { text:
      `${l.extension}: ${l.outcome || (l.answeredAt ? 'answered' : 'rang')}${l.ringAt ? ` at ${when(l.ringAt)}` : ''}${l.answeredAt ? `, answered ${when(l.answeredAt)}` : ''}` }))),
    list('Transfers', (call.transfers || []).map((t) => el('li', { text: `${t.fromExtension || '?'} → ${t.to} (${t.kind || 'transfer'}) ${when(t.at)}` }))),
    list('Notes', (call.notes || []).map((n) => el('li', { text: `${n.note} — ${n.author || 'agent'}, ${when(n.createdAt)}` }))),
    call.customer ? el('p', { text: `Customer: ${call.customer.customerName || ''} (${call.customer.customerId})` }) : null,
    recordingView(call));
}

const RECORDING_STATUS = { pending: 'is being archived', missing: 'is not on the PBX', deleted: 'was deleted' };

function recordingView(call) {
  const recording = call.recording;
  if (!recording) return null;
  if (recording.status !== 'archived') {
    return el('p', { class: 'muted', text: `Recording ${RECORDING_STATUS[recording.status] || recording.status}.` });
  }
  const audio = el('audio', { controls: true, preload: 'metadata', class: 'recording', 'aria-label': `Recording of the call at ${when(call.startedAt)}` });
  // The API wants the agent's key in a header, which an <audio> src cannot send: fetch the file, then play it from memory.
  api.recording(callRef(call))
    .then((res) => res.blob())
    .then((blob) => { audio.src = URL.createObjectURL(blob); })
    .catch((err) => { if (err.status !== 401) notifyError(err); });
  return el('div', {}, el('h3', { text: 'Recording' }), audio);
}

async function toggleDetails(tr, toggle, id, call) {
  const open = toggle.getAttribute('aria-expanded') === 'true';
  const existing = document.getElementById(id);
  if (open) {
    existing?.remove();
    toggle.setAttribute('aria-expanded', 'false');
    toggle.textContent = '▸';
    return;
  }
  toggle.setAttribute('aria-expanded', 'true');
  toggle.textContent = '▾';
  const cell = el('td', { colspan: 10 }, el('p', { class: 'muted', text: 'Loading…' }));
  tr.after(el('tr', { id, class: 'details-row' }, cell));
  try {
    cell.replaceChildren(details(await api.call(callRef(call))));
  } catch (err) {
    cell.replaceChildren(details(call));
    if (err.status !== 401) notifyError(err);
  }
}

export async function loadHistory() {
  const mine = ++seq;
  const params = { ...filters(), limit: LIMIT, offset };
  $('history').setAttribute('aria-busy', 'true');
  try {
    const page = await api.logs(params);
    if (mine !== seq) return;
    total = page.total ?? page.items.length;
    // A call opened a moment before the rows are replaced (the search just typed, live traffic) stays open.
    const open = new Set([...document.querySelectorAll('#history-rows .details-row')].map((r) => r.id));
    const rows = page.items.map(historyRow);
    $('history-rows').replaceChildren(...rows);
    for (const toggle of rows.map((tr) => tr.querySelector('.history-details'))) if (open.has(toggle.getAttribute('aria-controls'))) toggle.click();
    $('history-empty').hidden = page.items.length > 0;
    const first = page.items.length ? offset + 1 : 0;
    // A capped total means "more than this many": say so, and let the user page past it.
    const more = page.totalCapped === true;
    $('history-range').textContent = `${first}–${offset + page.items.length} of ${total}${more ? '+' : ''}`;
    $('history-prev').disabled = offset === 0;
    $('history-next').disabled = more ? page.nextCursor == null : offset + LIMIT >= total;
  } catch (err) {
    if (mine === seq && err.status !== 401) notifyError(err);
  } finally {
    if (mine === seq) $('history').removeAttribute('aria-busy');
  }
}

async function exportCsv() {
  const button = $('history-export');
  button.disabled = true;
  try {
    const res = await api.logsCsv(filters());
    const blob = await res.blob();
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get('Content-Disposition') || '')?.[1] || `calls-${new Date().toISOString().slice(0, 10)}.csv`;
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: decodeURIComponent(name) });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    notify('CSV exported');
  } catch (err) {
    notifyError(err);
  } finally {
    button.disabled = false;
  }
}

export function initHistory() {
  const reset = () => { offset = 0; loadHistory(); };
  $('history-search').addEventListener('input', debounce(reset, 300));
  for (const id of ['history-from', 'history-to', 'history-direction', 'history-status']) $(id).addEventListener('change', reset);
  for (const id of ['history-extension', 'history-phone']) $(id).addEventListener('input', debounce(reset, 400));
  $('history-filters').addEventListener('submit', (e) => { e.preventDefault(); reset(); });
  $('history-filters').addEventListener('reset', () => setTimeout(reset));
  $('history-prev').addEventListener('click', () => { offset = Math.max(0, offset - LIMIT); loadHistory(); });
  $('history-next').addEventListener('click', () => { offset += LIMIT; loadHistory(); });
  $('history-export').addEventListener('click', exportCsv);
  // The first page follows live traffic, but waits while someone is aiming at the table (a row shifting
  // under a click would dial the wrong number) or reading an opened call. Later pages stay put.
  const guard = activityGuard($('history-rows').closest('table'));
  const followLive = () => {
    if (offset !== 0 || document.querySelector('#history-rows .details-row')) return;
    if (guard.busy()) setTimeout(followLive, guard.wait());
    else loadHistory();
  };
  on('call:ended', throttle(followLive, 5000, 1500));
}
