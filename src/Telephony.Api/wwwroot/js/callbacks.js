// Missed-call callback queue, oldest first. The server decides when a number counts as reached again,
// so the queue is simply re-fetched when calls end.
import { api } from './api.js';
import { on } from './live.js';
import { el, dialButton, partyNumber, when, ago, seconds, throttle, activityGuard } from './dom.js';
import { dial } from './dial.js';
import { notifyError } from './notify.js';

let loading = null;
let again = false;
let guard = { busy: () => false, wait: () => 0 };

function row(call) {
  const number = partyNumber(call) || call.from;
  const rang = [...new Set((call.legs || []).map((l) => l.extension).filter(Boolean))];
  return el('li', { class: 'callback', 'data-call-id': call.pbxCallId },
    el('div', { class: 'callback-main' },
      dialButton(number),
      el('span', { class: 'callback-who', text: call.customer?.customerName || 'Unknown caller' })),
    el('div', { class: 'callback-meta muted' },
      el('time', { datetime: call.startedAt, title: new Date(call.startedAt).toLocaleString(), text: `${when(call.startedAt)} (${ago(call.startedAt)})` }),
      call.ringSeconds ? ` · rang ${seconds(call.ringSeconds)}` : '',
      rang.length ? ` · ${rang.join(', ')}` : '',
      call.outcome && call.outcome !== 'missed' ? ` · ${call.outcome}` : ''),
    el('button', { type: 'button', class: 'callback-call primary small', 'aria-label': `Call back ${number}`,
      onclick: (e) => { const b = e.currentTarget; b.disabled = true; dial(number).finally(() => { b.disabled = false; }); } }, 'Call back'));
}

/** A live refresh that waits while someone is aiming at a "Call back" button, so rows do not move under it. */
function refreshWhenIdle() {
  if (guard.busy()) setTimeout(refreshWhenIdle, guard.wait());
  else loadCallbacks();
}

export async function loadCallbacks() {
  // A request made while one is in flight may concern a newer ending: run once more afterwards.
  if (loading) { again = true; return loading; }
  loading = (async () => {
    try {
      const items = await api.missed();
      const list = document.getElementById('callback-rows');
      list.replaceChildren(...(items || []).map(row));
      document.getElementById('callbacks-empty').hidden = (items || []).length > 0;
      document.getElementById('callback-count').textContent = String((items || []).length);
    } catch (err) {
      if (err.status !== 401) notifyError(err);
    } finally {
      loading = null;
      if (again) { again = false; loadCallbacks(); }
    }
  })();
  return loading;
}

export function initCallbacks() {
  // A burst of endings (a ring group hanging up) triggers one reload, shortly after the server has stored them;
  // under steady traffic at most every 3 s (the API limits requests per key, and agents may share one).
  guard = activityGuard(document.getElementById('callback-rows'));
  on('call:ended', throttle(refreshWhenIdle, 3000, 1000));
  document.getElementById('callbacks-refresh').addEventListener('click', loadCallbacks);
  setInterval(() => { if (!document.hidden) refreshWhenIdle(); }, 60000);
}
