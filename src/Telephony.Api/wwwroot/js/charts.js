// Hand-drawn SVG charts (no chart library). Sized to their container in pixels so text stays legible on
// phones; colours come from CSS classes so the palette lives in the stylesheet.
const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A "nice" axis maximum and tick step for values up to max. */
function niceScale(max, ticks = 4) {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((m) => m >= raw);
  return { top: step * Math.ceil(max / step), step };
}

/**
 * Vertical bars, optionally stacked: series = [{key, label, cls}], rows = [{label, values: {key: n}, tip}].
 * format turns an axis value into text.
 */
export function barChart(svg, { rows, series, format = String, height = 240, label }) {
  const width = Math.max(280, svg.parentElement.clientWidth || 600);
  const pad = { top: 12, right: 8, bottom: 28, left: 44 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const totals = rows.map((r) => series.reduce((sum, se) => sum + (r.values[se.key] || 0), 0));
  const { top, step } = niceScale(Math.max(0, ...totals));
  const y = (v) => pad.top + plotH - (v / top) * plotH;
  const band = plotW / Math.max(1, rows.length);
  const barW = Math.max(2, band * 0.72);

  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);

  const grid = s('g', { class: 'grid' });
  for (let v = 0; v <= top + 1e-9; v += step) {
    grid.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    grid.append(s('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, format(v)));
  }
  svg.append(grid);

  const labelEvery = Math.ceil(rows.length / Math.max(1, Math.floor(plotW / 34)));
  rows.forEach((r, i) => {
    const x = pad.left + i * band + (band - barW) / 2;
    const g = s('g', { class: 'bar' });
    let base = 0;
    for (const se of series) {
      const v = r.values[se.key] || 0;
      if (v > 0) g.append(s('rect', { x, width: barW, y: y(base + v), height: Math.max(0.5, y(base) - y(base + v)), class: se.cls, rx: 1.5 }));
      base += v;
    }
    // A full-height transparent target makes the tooltip reachable on small bars too.
    g.append(s('rect', { x: pad.left + i * band, width: band, y: pad.top, height: plotH, class: 'hit' }));
    g.append(s('title', {}, r.tip || `${r.label}: ${totals[i]}`));
    svg.append(g);
    if (i % labelEvery === 0) svg.append(s('text', { x: x + barW / 2, y: height - pad.bottom + 16, 'text-anchor': 'middle', class: 'axis' }, r.label));
  });
  svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), class: 'baseline' }));
}

/**
 * Horizontal bars, one per row, stacked by series, with a text note at the end (e.g. the answer rate).
 */
export function hbarChart(svg, { rows, series, label, highlight }) {
  const width = Math.max(280, svg.parentElement.clientWidth || 600);
  const rowH = 26;
  const pad = { top: 6, right: 64, bottom: 6, left: 92 };
  const height = pad.top + pad.bottom + Math.max(1, rows.length) * rowH;
  const plotW = width - pad.left - pad.right;
  const max = Math.max(1, ...rows.map((r) => series.reduce((sum, se) => sum + (r.values[se.key] || 0), 0)));

  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  if (!rows.length) {
    svg.append(s('text', { x: width / 2, y: height / 2 + 4, 'text-anchor': 'middle', class: 'axis' }, 'No calls in this period'));
    return;
  }
  rows.forEach((r, i) => {
    const yTop = pad.top + i * rowH;
    const g = s('g', { class: `bar${r.key === highlight ? ' highlight' : ''}` });
    g.append(s('text', { x: pad.left - 8, y: yTop + rowH / 2 + 4, 'text-anchor': 'end', class: 'axis label' }, r.label));
    let x = pad.left;
    for (const se of series) {
      const w = ((r.values[se.key] || 0) / max) * plotW;
      if (w > 0) g.append(s('rect', { x, y: yTop + 4, width: w, height: rowH - 8, class: se.cls, rx: 2 }));
      x += w;
    }
    g.append(s('text', { x: x + 6, y: yTop + rowH / 2 + 4, class: 'axis note' }, r.note || ''));
    g.append(s('rect', { x: 0, y: yTop, width, height: rowH, class: 'hit' }));
    g.append(s('title', {}, r.tip || r.label));
    svg.append(g);
  });
}

/** A ring showing a 0..1 ratio with the percentage in the middle (for the answer-rate tile). */
export function donut(svg, ratio, label) {
  const r = 26;
  const c = 2 * Math.PI * r;
  svg.replaceChildren();
  svg.setAttribute('viewBox', '0 0 64 64');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.append(s('circle', { cx: 32, cy: 32, r, class: 'donut-track' }));
  if (ratio !== null && ratio !== undefined) {
    svg.append(s('circle', { cx: 32, cy: 32, r, class: 'donut-value', 'stroke-dasharray': `${ratio * c} ${c}`, transform: 'rotate(-90 32 32)' }));
  }
  svg.append(s('text', { x: 32, y: 37, 'text-anchor': 'middle', class: 'donut-text' },
    ratio === null || ratio === undefined ? '—' : `${Math.round(ratio * 100)}%`));
}
