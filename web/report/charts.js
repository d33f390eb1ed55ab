// The report's charts: small inline SVGs (see ARCHITECTURE.md for why no
// charting library). Every mark carries a <title> with its numbers, colours come
// from report.css (Okabe-Ito), and nothing uses inline styles, so the charts
// work under the page's strict CSP and in the HTML export alike.

import { formatNumber, percent, svgEl } from './base.js';

function chartSvg(doc, width, height, testId, title, extraClass = '') {
  const svg = svgEl(doc, 'svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    class: `mg-chart ${extraClass}`.trim(),
    'data-testid': testId,
    preserveAspectRatio: 'xMinYMin meet',
  });
  svg.append(svgEl(doc, 'title', {}, title));
  return svg;
}

const shorten = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/**
 * Horizontal bars, one per item: { label, value, className, title, lo, hi }.
 * `lo`/`hi` draw a whisker (an interval). A dashed line marks `marker`. The axis
 * runs from `min` (default 0) to `max`; values beyond are clipped and shown "≥max".
 */
export function barChart(doc, items, { max, min = 0, marker, axisLabel, testId, markerLabel }) {
  const rowHeight = 22;
  const labelWidth = 170;
  const width = 640;
  const plotWidth = width - labelWidth - 70;
  const height = items.length * rowHeight + 30;
  const span = max - min || 1;
  const x = (v) => labelWidth + ((Math.max(Math.min(v, max), min) - min) / span) * plotWidth;
  const svg = chartSvg(doc, width, height, testId, axisLabel);
  const zero = x(Math.max(min, 0));
  items.forEach((item, i) => {
    const y = i * rowHeight + 4;
    const g = svgEl(doc, 'g', { class: `mg-bar ${item.className ?? ''}`, 'data-label': item.label, 'data-value': item.value, 'data-lo': item.lo, 'data-hi': item.hi });
    g.append(svgEl(doc, 'title', {}, item.title ?? `${item.label}: ${formatNumber(item.value)}`));
    g.append(svgEl(doc, 'text', { x: labelWidth - 6, y: y + 14, 'text-anchor': 'end', class: 'mg-label' }, shorten(item.label, 26)));
    const v = typeof item.value === 'number' && Number.isFinite(item.value) ? item.value : 0;
    const x1 = Math.min(zero, x(v));
    g.append(svgEl(doc, 'rect', { x: x1, y, width: Math.max(Math.abs(x(v) - zero), 1), height: rowHeight - 6, rx: 2 }));
    let end = x(v);
    if (typeof item.lo === 'number' && typeof item.hi === 'number') {
      const [a, b] = [x(item.lo), x(item.hi)];
      const cy = y + (rowHeight - 6) / 2;
      g.append(svgEl(doc, 'path', { d: `M${a} ${cy - 5}v10M${a} ${cy}H${b}M${b} ${cy - 5}v10`, class: 'mg-whisker' }));
      end = Math.max(end, b);
    }
    const valueText = item.value > max ? `≥${formatNumber(max)}` : item.valueText ?? formatNumber(item.value);
    g.append(svgEl(doc, 'text', { x: end + 4, y: y + 14, class: 'mg-value' }, valueText));
    svg.append(g);
  });
  if (marker !== undefined && marker !== null) {
    const mx = x(marker);
    svg.append(svgEl(doc, 'line', { x1: mx, x2: mx, y1: 0, y2: height - 24, class: 'mg-marker' }));
    if (markerLabel) svg.append(svgEl(doc, 'text', { x: mx + 3, y: height - 18, class: 'mg-axis' }, markerLabel));
  }
  svg.append(svgEl(doc, 'text', { x: labelWidth, y: height - 6, class: 'mg-axis' }, axisLabel));
  return svg;
}

/**
 * Vertical bars of one or two series over the same labels. series: [{ values,
 * className, name }]; `shares` turns each series' counts into shares first.
 */
export function columnChart(doc, labels, series, { testId, title, shares = false }) {
  const prepared = series.map((s) => {
    const total = s.values.reduce((a, b) => a + b, 0) || 1;
    return { ...s, shown: shares ? s.values.map((v) => v / total) : s.values };
  });
  const max = Math.max(...prepared.flatMap((s) => s.shown), 1e-9);
  const width = 640;
  const height = 220;
  const left = 48;
  const bottom = 52;
  const plotH = height - bottom - 10;
  const slot = (width - left - 8) / Math.max(labels.length, 1);
  const barW = Math.max(Math.min(slot / prepared.length - 2, 28), 1);
  const svg = chartSvg(doc, width, height, testId, title, 'mg-histogram');
  const tickText = (t) => (shares ? percent(t) : formatNumber(Math.round(t * 100) / 100));
  for (const tick of [0, 0.5, 1]) {
    const y = 10 + plotH - tick * plotH;
    svg.append(svgEl(doc, 'line', { x1: left, x2: width - 8, y1: y, y2: y, class: 'mg-grid' }));
    svg.append(svgEl(doc, 'text', { x: left - 4, y: y + 4, 'text-anchor': 'end', class: 'mg-axis' }, tickText(tick * max)));
  }
  labels.forEach((label, i) => {
    const x0 = left + i * slot + slot / 2 - (barW * prepared.length) / 2;
    prepared.forEach((s, k) => {
      const h = (s.shown[i] / max) * plotH;
      const rect = svgEl(doc, 'rect', { x: x0 + k * barW, y: 10 + plotH - h, width: barW - 1, height: Math.max(h, 0.5), class: s.className });
      const shown = shares ? percent(s.shown[i]) : formatNumber(s.values[i]);
      rect.append(svgEl(doc, 'title', {}, `${label}${s.name ? ` — ${s.name}` : ''}: ${shown}`));
      svg.append(rect);
    });
    const tx = left + i * slot + slot / 2;
    svg.append(
      svgEl(doc, 'text', { x: tx, y: height - bottom + 14, 'text-anchor': 'end', transform: `rotate(-35 ${tx} ${height - bottom + 14})`, class: 'mg-axis' }, shorten(label, 12)),
    );
  });
  return svg;
}

/** Grouped bars comparing two distributions (shares per bin or category). */
export function histogramChart(doc, { labels, reference, current }, { testId, title }) {
  return columnChart(
    doc,
    labels,
    [
      { values: reference, className: 'mg-ref', name: 'reference' },
      { values: current, className: 'mg-cur', name: 'current' },
    ],
    { testId, title, shares: true },
  );
}

/** Bin labels for a numeric histogram with inner edges e1..ek. */
export function binLabels(edges) {
  if (!edges.length) return ['all'];
  const f = formatNumber;
  return [`< ${f(edges[0])}`, ...edges.slice(1).map((e, i) => `${f(edges[i])}–${f(e)}`), `≥ ${f(edges[edges.length - 1])}`];
}

/**
 * A heat-map grid (rows × columns of counts) with the count written in each
 * cell; opacity follows the share of the row. Cells carry data-row/data-col.
 */
export function heatmapChart(doc, { rowLabels, colLabels, matrix }, { testId, title, rowTitle, colTitle }) {
  const n = rowLabels.length;
  const m = colLabels.length;
  const cell = Math.max(Math.min(56, 480 / Math.max(n, m)), 18);
  const left = 110;
  const top = 46;
  const width = left + m * cell + 10;
  const height = top + n * cell + 10;
  const svg = chartSvg(doc, width, height, testId, title, 'mg-heatmap');
  svg.setAttribute('width', String(Math.min(width, 640)));
  svg.append(svgEl(doc, 'text', { x: left + (m * cell) / 2, y: 12, 'text-anchor': 'middle', class: 'mg-axis' }, colTitle));
  svg.append(svgEl(doc, 'text', { x: 4, y: top - 6, class: 'mg-axis' }, rowTitle));
  colLabels.forEach((label, j) => {
    svg.append(svgEl(doc, 'text', { x: left + j * cell + cell / 2, y: top - 8, 'text-anchor': 'middle', class: 'mg-label' }, shorten(String(label), 8)));
  });
  rowLabels.forEach((label, i) => {
    const rowTotal = matrix[i].reduce((a, b) => a + b, 0) || 1;
    svg.append(svgEl(doc, 'text', { x: left - 6, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'end', class: 'mg-label' }, shorten(String(label), 14)));
    colLabels.forEach((col, j) => {
      const count = matrix[i][j];
      const share = count / rowTotal;
      const g = svgEl(doc, 'g', { class: `mg-heat ${i === j ? 'mg-diag' : 'mg-off'}`, 'data-row': label, 'data-col': col, 'data-value': count, 'data-testid': 'heat-cell' });
      g.append(svgEl(doc, 'title', {}, `${rowTitle} ${label}, ${colTitle} ${col}: ${count} (${percent(share)} of the row)`));
      g.append(svgEl(doc, 'rect', { x: left + j * cell, y: top + i * cell, width: cell - 2, height: cell - 2, rx: 3, 'fill-opacity': (0.12 + 0.88 * share).toFixed(3) }));
      g.append(
        svgEl(doc, 'text', { x: left + j * cell + cell / 2 - 1, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'middle', class: share > 0.5 ? 'mg-heat-text mg-on-dark' : 'mg-heat-text' }, formatNumber(count)),
      );
      svg.append(g);
    });
  });
  return svg;
}

/**
 * Points joined by a line on a square or wide plot. points: [{ x, y, label,
 * title, hollow }], x numeric (or index for categories); `diagonal` draws y = x;
 * `hline` a dashed horizontal line { y, label }.
 */
export function lineChart(doc, points, { testId, title, xMin, xMax, yMin, yMax, xLabel, yLabel, diagonal, hline, categories, width = 640, height = 260 }) {
  const left = 52;
  const right = 14;
  const top = 12;
  const bottom = categories ? 58 : 40;
  const pw = width - left - right;
  const ph = height - top - bottom;
  const ys = points.map((p) => p.y).concat(hline ? [hline.y] : []);
  const lo = yMin ?? Math.min(...ys);
  const hi = yMax ?? Math.max(...ys);
  const pad = yMin === undefined ? (hi - lo || Math.abs(hi) || 1) * 0.1 : 0;
  const [y0, y1] = [lo - pad, hi + pad];
  // Categories sit half a step in from both edges.
  const [x0, x1] = categories ? [-0.5, categories.length - 0.5] : [xMin ?? 0, xMax ?? Math.max(points.length - 1, 1)];
  const sx = (v) => left + ((v - x0) / (x1 - x0 || 1)) * pw;
  const sy = (v) => top + ph - ((v - y0) / (y1 - y0 || 1)) * ph;
  const svg = chartSvg(doc, width, height, testId, title, 'mg-line-chart');
  svg.setAttribute('width', String(width)); // no wider than drawn: a square plot stays readable
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const v = y0 + t * (y1 - y0);
    svg.append(svgEl(doc, 'line', { x1: left, x2: width - right, y1: sy(v), y2: sy(v), class: 'mg-grid' }));
    svg.append(svgEl(doc, 'text', { x: left - 4, y: sy(v) + 4, 'text-anchor': 'end', class: 'mg-axis' }, formatNumber(Number(v.toPrecision(3)))));
  }
  if (categories) {
    const step = Math.ceil(categories.length / 16);
    categories.forEach((c, i) => {
      if (i % step) return;
      const tx = sx(i);
      svg.append(svgEl(doc, 'text', { x: tx, y: top + ph + 14, 'text-anchor': 'end', transform: `rotate(-35 ${tx} ${top + ph + 14})`, class: 'mg-axis' }, shorten(c, 12)));
    });
  } else {
    for (const t of [0, 0.5, 1]) {
      const v = x0 + t * (x1 - x0);
      svg.append(svgEl(doc, 'text', { x: sx(v), y: top + ph + 14, 'text-anchor': 'middle', class: 'mg-axis' }, formatNumber(v)));
    }
  }
  if (xLabel) svg.append(svgEl(doc, 'text', { x: left + pw / 2, y: height - 4, 'text-anchor': 'middle', class: 'mg-axis' }, xLabel));
  if (yLabel) svg.append(svgEl(doc, 'text', { x: 12, y: top + ph / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${top + ph / 2})`, class: 'mg-axis' }, yLabel));
  if (diagonal) svg.append(svgEl(doc, 'line', { x1: sx(x0), y1: sy(y0), x2: sx(x1), y2: sy(y1), class: 'mg-diagonal' }));
  if (hline) {
    svg.append(svgEl(doc, 'line', { x1: left, x2: width - right, y1: sy(hline.y), y2: sy(hline.y), class: 'mg-marker', 'data-testid': 'threshold-line', 'data-value': hline.y }));
    svg.append(svgEl(doc, 'text', { x: width - right - 2, y: sy(hline.y) - 4, 'text-anchor': 'end', class: 'mg-axis' }, hline.label));
  }
  const valid = points.filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x));
  if (valid.length > 1) {
    svg.append(svgEl(doc, 'polyline', { points: valid.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '), class: 'mg-line' }));
  }
  for (const p of valid) {
    const dot = svgEl(doc, 'circle', { cx: sx(p.x), cy: sy(p.y), r: p.r ?? 4, class: `mg-point${p.hollow ? ' mg-hollow' : ''}${p.className ? ` ${p.className}` : ''}`, 'data-label': p.label, 'data-value': p.y });
    dot.append(svgEl(doc, 'title', {}, p.title ?? `${p.label}: ${formatNumber(p.y)}`));
    svg.append(dot);
  }
  return svg;
}
