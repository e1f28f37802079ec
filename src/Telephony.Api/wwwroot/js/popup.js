// Incoming-call pop-ups: one per ringing inbound call for my extension (or any, when none is set),
// with inline forms to link a customer or an order and to add a note.
import { api, session } from './api.js';
import { on } from './live.js';
import { el, callKey, callRef, partyNumber, when, clock } from './dom.js';
import { notify } from './notify.js';

const popups = new Map();

const rangMe = (call, ext) => call.extension === ext || (call.legs || []).some((l) => l.extension === ext);

function isForMe(call) {
  if (call.direction !== 'inbound' || call.status !== 'ringing') return false;
  const ext = session.extension;
  return !ext || rangMe(call, ext);
}

function answeredByMe(call) {
  const ext = session.extension;
  if (!ext) return false;
  return call.extension === ext || (call.legs || []).some((l) => l.extension === ext && l.answeredAt);
}

function info(call, state) {
  const c = call.customer;
  const number = partyNumber(call) || call.from;
  const stateText = { ringing: 'Incoming call', mine: 'Answered by you', elsewhere: `Answered by ${call.extension || 'someone else'}`, ended: 'Call ended' }[state];
  return el('div', { class: 'popup-info' },
    el('p', { class: 'popup-state' }, el('span', { class: 'popup-state-text', text: stateText }),
      state === 'ringing' && call.startedAt ? el('span', { class: 'popup-ring muted', 'data-since': call.startedAt }, clock((Date.now() - new Date(call.startedAt)) / 1000)) : null),
    el('p', { class: 'popup-caller' }, number || 'Unknown number'),
    el('p', { class: `popup-customer-name${c ? '' : ' new'}`, text: c?.customerName || (c ? c.customerId : 'New customer') }),
    c ? el('dl', { class: 'popup-details' },
      c.loyaltyTier ? [el('dt', { text: 'Loyalty' }), el('dd', { text: c.loyaltyTier })] : null,
      c.customerPhone ? [el('dt', { text: 'Phone' }), el('dd', { text: c.customerPhone })] : null,
      c.recentOrders?.length ? [el('dt', { text: 'Recent orders' }), el('dd', {}, el('ul', { class: 'plain' },
        c.recentOrders.slice(0, 3).map((o) => el('li', { text: `#${o.orderId} · ${when(o.placedAt)}${o.total !== undefined && o.total !== null ? ` · ${Number(o.total).toFixed(2)}` : ''}` }))))] : null,
      c.lastNotes?.length ? [el('dt', { text: 'Last notes' }), el('dd', {}, el('ul', { class: 'plain' },
        c.lastNotes.slice(0, 3).map((n) => el('li', { text: n }))))] : null) : null,
    call.orders?.length ? el('p', { class: 'popup-orders', text: `Orders on this call: ${call.orders.map((o) => `#${o}`).join(', ')}` }) : null,
    call.notes?.length ? el('ul', { class: 'popup-notes plain' }, call.notes.map((n) => el('li', { text: n.note }))) : null);
}

// The inline forms: what each button asks for and which endpoint saves it.
const FORMS = {
  customer: {
    label: 'Link customer',
    fields: (call) => [
      { name: 'customerId', label: 'Customer ID', required: true, value: call.customer?.customerId || '' },
      { name: 'customerName', label: 'Name', value: call.customer?.customerName || '' },
      { name: 'customerPhone', label: 'Phone', value: call.customer?.customerPhone || partyNumber(call) || '' },
    ],
    save: (call, v) => api.linkCustomer(callRef(call), {
      customerId: v.customerId, customerName: v.customerName || undefined, customerPhone: v.customerPhone || undefined }),
    done: 'Customer linked',
  },
  order: {
    label: 'New order',
    fields: () => [{ name: 'orderId', label: 'Order ID', required: true, value: '' }],
    save: (call, v) => api.linkOrder(callRef(call), v.orderId),
    done: 'Order linked to the call',
  },
  note: {
    label: 'Add note',
    fields: () => [{ name: 'note', label: 'Note', required: true, value: '', multiline: true }],
    save: (call, v) => api.addNote(callRef(call), v.note),
    done: 'Note added',
  },
};

function openForm(entry, kind) {
  const spec = FORMS[kind];
  const host = entry.node.querySelector('.popup-form-host');
  const uid = `${entry.node.dataset.uid}-${kind}`;
  const inputs = spec.fields(entry.call).map((f, i) => {
    const attrs = { id: `${uid}-${f.name}`, name: f.name, class: i === 0 ? 'popup-input' : `popup-input-extra popup-input-${f.name}`,
      required: f.required, maxlength: f.multiline ? 4000 : 200, autocomplete: 'off' };
    const input = f.multiline ? el('textarea', { ...attrs, rows: 3 }) : el('input', { ...attrs, type: 'text', value: f.value });
    return el('div', { class: 'field' }, el('label', { for: attrs.id, text: f.label }), input);
  });
  const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = el('form', { class: `popup-form popup-form-${kind}`, 'aria-label': spec.label, novalidate: true },
    inputs, error,
    el('div', { class: 'row' },
      el('button', { type: 'submit', class: 'popup-save primary small', text: 'Save' }),
      el('button', { type: 'button', class: 'popup-cancel small', text: 'Cancel', onclick: () => closeForm(entry) })));
  form.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
    const missing = spec.fields(entry.call).find((f) => f.required && !values[f.name]);
    if (missing) {
      error.textContent = `${missing.label} is required.`;
      error.hidden = false;
      form.querySelector(`[name="${missing.name}"]`).focus();
      return;
    }
    const save = form.querySelector('.popup-save');
    save.disabled = true;
    try {
      const updated = await spec.save(entry.call, values);
      notify(spec.done);
      closeForm(entry);
      if (updated?.pbxCallId) refresh(entry, { ...entry.call, ...updated, status: entry.call.status });
      if (entry.state === 'ended') removePopup(entry);
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      save.disabled = false;
    }
  });
  host.replaceChildren(form);
  entry.node.querySelectorAll('.popup-actions [aria-expanded]').forEach((b) => b.setAttribute('aria-expanded', String(b.dataset.form === kind)));
  form.querySelector('.popup-input').focus();
}

function closeForm(entry) {
  entry.node.querySelector('.popup-form-host').replaceChildren();
  entry.node.querySelectorAll('.popup-actions [aria-expanded]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
}

const formOpen = (entry) => !!entry.node.querySelector('.popup-form');

function createPopup(call) {
  const uid = `p${Math.random().toString(36).slice(2, 9)}`;
  const node = el('article', { class: 'popup', 'data-call-id': call.pbxCallId, 'data-uid': uid, 'aria-labelledby': `${uid}-title` });
  const entry = { call, node, state: 'ringing' };
  const action = (kind, cls) => el('button', { type: 'button', class: `${cls} small`, 'data-form': kind, 'aria-expanded': 'false',
    onclick: () => (formOpen(entry) && node.querySelector(`.popup-form-${kind}`) ? closeForm(entry) : openForm(entry, kind)) }, FORMS[kind].label);
  node.append(
    el('h2', { id: `${uid}-title`, class: 'visually-hidden', text: 'Incoming call' }),
    el('div', { class: 'popup-info-host' }),
    el('div', { class: 'popup-actions' },
      action('customer', 'popup-link-customer'),
      action('order', 'popup-new-order'),
      action('note', 'popup-add-note'),
      el('button', { type: 'button', class: 'popup-dismiss small ghost', 'aria-label': 'Dismiss pop-up', onclick: () => removePopup(entry) }, 'Dismiss')),
    el('div', { class: 'popup-form-host' }));
  popups.set(callKey(call), entry);
  document.getElementById('popup').prepend(node);
  refresh(entry, call);
  if (document.hidden && 'Notification' in window && Notification.permission === 'granted') {
    new Notification('Incoming call', { body: `${partyNumber(call) || call.from} — ${call.customer?.customerName || 'New customer'}`, tag: callKey(call) });
  }
}

// The pop-up area sits at the top of the page (never over the content); when it is scrolled out of view,
// a small link and the tab title point at it instead.
let popupsVisible = true;
const baseTitle = document.title;

function signalWaiting() {
  const waiting = [...popups.values()].filter((e) => e.state === 'ringing').length;
  document.getElementById('popup-jump').hidden = popupsVisible || popups.size === 0;
  document.title = waiting ? `☎ (${waiting}) Incoming call — ${baseTitle}` : baseTitle;
}

function refresh(entry, call) {
  entry.call = call;
  entry.node.dataset.state = entry.state;
  entry.node.querySelector('.popup-info-host').replaceChildren(info(call, entry.state));
  signalWaiting();
}

function removePopup(entry) {
  entry.node.remove();
  popups.delete(callKey(entry.call));
  signalWaiting();
}

function onCall(call) {
  if (!call?.pbxCallId) return;
  const entry = popups.get(callKey(call));
  if (!entry) {
    if (isForMe(call)) createPopup(call);
    return;
  }
  if (call.status === 'ended') {
    // Keep it only while the agent is still typing into one of its forms.
    if (formOpen(entry)) { entry.state = 'ended'; refresh(entry, call); } else removePopup(entry);
  } else if (call.status === 'answered') {
    if (answeredByMe(call)) { entry.state = 'mine'; refresh(entry, call); } else if (formOpen(entry)) { entry.state = 'elsewhere'; refresh(entry, call); } else removePopup(entry);
  } else {
    refresh(entry, call);
  }
}

export function clearPopups() {
  for (const entry of [...popups.values()]) removePopup(entry);
}

/** Pop-ups for calls that are already ringing when the board opens (or after a reconnect). */
export function popupsFromSnapshot(active) {
  const live = new Set(active.map(callKey));
  for (const entry of [...popups.values()]) if (!live.has(callKey(entry.call)) && !formOpen(entry)) removePopup(entry);
  for (const call of active) onCall(call);
}

export function initPopups() {
  new IntersectionObserver(([e]) => { popupsVisible = e.isIntersecting; signalWaiting(); }).observe(document.getElementById('popup'));
  for (const name of ['call:new', 'call:ringing', 'call:answered', 'call:updated', 'call:ended']) on(name, onCall);
  setInterval(() => {
    for (const t of document.querySelectorAll('#popup .popup-ring[data-since]')) t.textContent = clock((Date.now() - new Date(t.dataset.since)) / 1000);
  }, 1000);
}
