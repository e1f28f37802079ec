// Statistics: headline tiles, calls by hour of day and a per-extension comparison, drawn as SVG.
import { api } from './api.js';
import { on } from './live.js';
import { el, seconds, percent, isoDate, debounce, throttle } from './dom.js';
import { barChart, hbarChart, donut } from './charts.js';
import { notifyError } from './notify.js';

const $ = (id) => document.getElementById(id);
let last = null;
let seq = 0;

const CALL_SERIES = [
  { key: 'answered', label: 'Answered', cls: 's-ok' },
  { key: 'missed', label: 'Missed', cls: 's-bad' },
  { key: 'other', label: 'Busy / failed', cls: 's-warn' },
];

// What the hour chart can show; each picks a value per hour and how to print it.
const METRICS = {
  calls: { label: 'Calls', series: CALL_SERIES, values: (g) => ({ answered: g.answered, missed: g.missed, other: g.busy + g.failed }), format: String },
  answerRate: { label: 'Answer rate', series: [{ key: 'v', label: 'Answer rate', cls: 's-ok' }], values: (g) => ({ v: (g.answerRate ?? 0) * 100 }), format: (v) => `${Math.round(v)}%` },
  ring: { label: 'Time to answer', series: [{ key: 'v', label: 'Avg time to answer', cls: 's-info' }], values: (g) => ({ v: g.avgRingSeconds ?? 0 }), format: (v) => seconds(v) },
  talk: { label: 'Talk time', series: [{ key: 'v', label: 'Avg talk time', cls: 's-talk' }], values: (g) => ({ v: g.avgTalkSeconds ?? 0 }), format: (v) => seconds(v) },
};

const emptyStats = (key) => ({ key, totalCalls: 0, inbound: 0, outbound: 0, internal: 0, answered: 0, missed: 0, busy: 0, failed: 0,
  answerRate: null, avgRingSeconds: null, avgTalkSeconds: null, totalTalkSeconds: 0, ordersLinked: 0, conversionRate: null,
  serviceLevel: null, shortAbandons: 0, avgSatisfaction: null, surveyed: 0 });

const tip = (title, g) => `${title}\n${g.totalCalls} calls · ${g.answered} answered · ${g.missed} missed\n` +
  `Answer rate ${percent(g.answerRate)} · time to answer ${seconds(g.avgRingSeconds)} · avg talk ${seconds(g.avgTalkSeconds)}`;

function tile(label, value, sub, extra) {
  return el('div', { class: 'tile' }, extra || null,
    el('div', {}, el('div', { class: 'tile-value', text: value }), el('div', { class: 'tile-label', text: label }),
      sub ? el('div', { class: 'tile-sub muted', text: sub }) : null));
}

function renderTiles(t, sla, scope) {
  const ring = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  ring.classList.add('donut');
  donut(ring, t.answerRate, `Answer rate ${percent(t.answerRate)}`);
  $('stats-scope').textContent = scope;
  $('stats-tiles').replaceChildren(
    tile('Answer rate', percent(t.answerRate), `${t.answered} of ${t.totalCalls} calls`, ring),
    tile('Missed', String(t.missed), t.shortAbandons ? `${t.shortAbandons} hung up within seconds` : `${t.busy} busy · ${t.failed} failed`),
    tile('Time to answer', seconds(t.avgRingSeconds), 'average ring before pick-up'),
    tile('Talk time', seconds(t.avgTalkSeconds), `average · ${seconds(t.totalTalkSeconds)} in total`),
    tile('Service level', percent(t.serviceLevel), `inbound answered within ${sla}s`),
    tile('Orders', String(t.ordersLinked), `conversion ${percent(t.conversionRate)}`));
}

function hourRows(groups) {
  const byHour = new Map(groups.map((g) => [Number.parseInt(g.key, 10), g]));
  return Array.from({ length: 24 }, (_, h) => byHour.get(h) || emptyStats(String(h).padStart(2, '0')));
}

function drawHour() {
  if (!last) return;
  const metric = METRICS[$('stats-metric').value] || METRICS.calls;
  const rows = hourRows(last.hours.groups).map((g, h) => ({ label: String(h).padStart(2, '0'), values: metric.values(g), tip: tip(`${String(h).padStart(2, '0')}:00–${String(h).padStart(2, '0')}:59`, g) }));
  barChart($('stats-hour-chart'), { rows, series: metric.series, format: metric.format, label: `${metric.label} by hour of day (${last.hours.timeZone})` });
  $('stats-hour-legend').replaceChildren(...metric.series.map((se) => el('span', { class: 'legend-item' }, el('span', { class: `swatch ${se.cls}`, 'aria-hidden': 'true' }), se.label)));
  $('stats-hour-table').replaceChildren(
    el('thead', {}, el('tr', {}, ['Hour', 'Calls', 'Answered', 'Missed', 'Answer rate', 'Time to answer', 'Avg talk'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, hourRows(last.hours.groups).filter((g) => g.totalCalls).map((g) => el('tr', {},
      el('th', { scope: 'row', text: `${g.key}:00` }), el('td', { text: g.totalCalls }), el('td', { text: g.answered }), el('td', { text: g.missed }),
      el('td', { text: percent(g.answerRate) }), el('td', { text: seconds(g.avgRingSeconds) }), el('td', { text: seconds(g.avgTalkSeconds) })))));
}

function drawExtensions() {
  if (!last) return;
  const groups = [...last.extensions.groups].filter((g) => g.key).sort((a, b) => b.totalCalls - a.totalCalls);
  hbarChart($('stats-ext-chart'), {
    rows: groups.map((g) => ({ key: g.key, label: g.key, values: { answered: g.answered, missed: g.missed, other: g.busy + g.failed },
      note: percent(g.answerRate), tip: tip(`Extension ${g.key}`, g) })),
    series: CALL_SERIES, highlight: $('stats-extension').value, label: 'Answered and missed calls per extension, with answer rate',
  });
  $('stats-ext-rows').replaceChildren(...groups.map((g) => el('tr', { 'data-extension': g.key },
    el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link-button', text: g.key, onclick: () => { $('stats-extension').value = g.key; loadStats(); } })),
    el('td', { class: 'num', text: g.totalCalls }), el('td', { class: 'num', text: g.answered }), el('td', { class: 'num', text: g.missed }),
    el('td', { class: 'num', text: percent(g.answerRate) }), el('td', { class: 'num', text: seconds(g.avgRingSeconds) }),
    el('td', { class: 'num', text: seconds(g.avgTalkSeconds) }), el('td', { class: 'num hide-sm', text: seconds(g.totalTalkSeconds) }),
    el('td', { class: 'num hide-sm', text: g.ordersLinked }))));
}

function fillExtensionChoices(numbers) {
  const select = $('stats-extension');
  const current = select.value;
  const all = [...new Set([...numbers, ...(last?.extensions.groups || []).map((g) => g.key).filter(Boolean)])]
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  // Rebuilding an open <select> would close it under the user's finger: only when the set changed.
  if ([...select.options].slice(1).map((o) => o.value).join() === all.join()) return;
  select.replaceChildren(el('option', { value: '', text: 'All extensions' }), ...all.map((n) => el('option', { value: n, text: n })));
  select.value = all.includes(current) ? current : '';
}

export async function loadStats() {
  const mine = ++seq;
  const range = { from: $('stats-from').value, to: $('stats-to').value };
  const ext = $('stats-extension').value;
  $('stats').setAttribute('aria-busy', 'true');
  try {
    const [hours, extensions, one] = await Promise.all([
      api.stats({ ...range, groupBy: 'hour' }),
      api.stats({ ...range, groupBy: 'extension' }),
      ext ? api.extensionStats(ext, range) : Promise.resolve(null),
    ]);
    if (mine !== seq) return;
    last = { hours, extensions, one };
    const totals = one ? one.totals : hours.totals;
    renderTiles(totals, hours.slaSeconds, one ? `Extension ${ext}` : 'All extensions');
    $('stats-period').textContent = `${hours.from} – ${hours.to} (${hours.timeZone})`;
    $('stats-hour-scope').textContent = ext ? 'all extensions (hourly figures are kept per tenant)' : 'all extensions';
    fillExtensionChoices([...document.querySelectorAll('#extensions [data-extension]')].map((n) => n.dataset.extension));
    drawHour();
    drawExtensions();
  } catch (err) {
    if (mine === seq && err.status !== 401) notifyError(err);
  } finally {
    if (mine === seq) $('stats').removeAttribute('aria-busy');
  }
}

export function initStats() {
  const today = new Date();
  const weekAgo = new Date(today);
  weekAgo.setDate(today.getDate() - 6);
  $('stats-from').value = isoDate(weekAgo);
  $('stats-to').value = isoDate(today);
  for (const id of ['stats-from', 'stats-to', 'stats-extension']) $(id).addEventListener('change', loadStats);
  $('stats-metric').addEventListener('change', drawHour);
  $('stats-refresh').addEventListener('click', loadStats);
  $('stats-filters').addEventListener('submit', (e) => { e.preventDefault(); loadStats(); });
  document.addEventListener('extensions:changed', (e) => fillExtensionChoices(e.detail.map((x) => x.number)));
  // Figures follow the day's traffic without hammering the database: at most one reload per 30 s of endings.
  on('call:ended', throttle(() => { if (!document.hidden) loadStats(); }, 30000, 3000));
  const redraw = debounce(() => { drawHour(); drawExtensions(); }, 150);
  new ResizeObserver(redraw).observe($('stats'));
}
