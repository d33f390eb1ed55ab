// modelgate's report renderer: one function that draws a modelgate report (the
// JSON the core produces) into any element or shadow root. The page, the
// <modelgate-report> widget and the exported self-contained HTML all use it, so
// a report looks the same wherever it is opened.
//
// No imports and no globals: the exported HTML inlines this file verbatim.
// Charts are small inline SVGs (bars only), see ARCHITECTURE.md for why no
// charting library is used.

const SVG_NS = 'http://www.w3.org/2000/svg';

export const METHOD_LABELS = { ks: 'KS', chi2: 'χ²', psi: 'PSI' };
export const METHOD_TITLES = {
  ks: 'two-sample Kolmogorov–Smirnov test',
  chi2: 'chi-square test of homogeneity',
  psi: 'Population Stability Index',
};
const VERDICTS = { missing_in_current: 'missing', new_in_current: 'new', skipped: 'skipped' };

/**
 * A number to 4 significant digits, trailing zeros dropped; scientific notation
 * below 1e-4 (tiny p-values) and from 1e6 up. null -> an em dash. The Markdown
 * export in the core (report.rs, `fmt_number`) follows the same rule.
 */
export function formatNumber(x) {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') return String(x);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e6) {
    const [mantissa, exponent] = x.toExponential(3).split('e');
    return `${mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa}e${exponent.replace('+', '')}`;
  }
  return String(Number(x.toPrecision(4)));
}

const formatCount = (n) => Number(n).toLocaleString('en-US');
const plural = (n, word) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
const percent = (x) => `${formatNumber(Math.round(x * 1000) / 10)}%`;

/** The verdict word of a drift column: drifted, ok, skipped, missing or new. */
export function verdictOf(column) {
  if (column.status === 'tested') return column.drifted ? 'drifted' : 'ok';
  return VERDICTS[column.status] ?? column.status;
}

/**
 * How strongly a column drifted relative to its threshold, 1 being the threshold:
 * log(p) / log(alpha) for hypothesis tests, statistic / threshold for distances.
 * null for untested columns.
 */
export function driftStrength(column) {
  if (column.status !== 'tested' || column.statistic === null) return null;
  const { p_value: p, threshold: t, statistic: s } = column;
  if (p !== null && p !== undefined) {
    if (!(t > 0 && t < 1)) return null;
    return Math.log10(Math.max(p, 1e-300)) / Math.log10(t);
  }
  return t > 0 ? s / t : null;
}

function makeEl(doc) {
  return function el(tag, attrs = {}, ...children) {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  };
}

function svgEl(doc, tag, attrs = {}, text) {
  const node = doc.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Horizontal bars, one per item: { label, value, className, title }. A dashed
 * line marks `marker` (the threshold). Values above `max` are clipped and marked.
 */
export function barChart(doc, items, { max, marker, axisLabel, testId }) {
  const rowHeight = 22;
  const labelWidth = 150;
  const width = 640;
  const plotWidth = width - labelWidth - 60;
  const height = items.length * rowHeight + 30;
  const scale = (v) => (Math.min(v, max) / max) * plotWidth;
  const svg = svgEl(doc, 'svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    class: 'mg-chart',
    'data-testid': testId,
    preserveAspectRatio: 'xMinYMin meet',
  });
  svg.append(svgEl(doc, 'title', {}, axisLabel));
  items.forEach((item, i) => {
    const y = i * rowHeight + 4;
    const g = svgEl(doc, 'g', { class: `mg-bar ${item.className ?? ''}`, 'data-label': item.label });
    g.append(svgEl(doc, 'title', {}, item.title ?? `${item.label}: ${formatNumber(item.value)}`));
    const label = item.label.length > 22 ? `${item.label.slice(0, 21)}…` : item.label;
    g.append(svgEl(doc, 'text', { x: labelWidth - 6, y: y + 14, 'text-anchor': 'end', class: 'mg-label' }, label));
    g.append(svgEl(doc, 'rect', { x: labelWidth, y, width: Math.max(scale(item.value), 1), height: rowHeight - 6, rx: 2 }));
    const valueText = item.value > max ? `≥${formatNumber(max)}` : formatNumber(item.value);
    g.append(svgEl(doc, 'text', { x: labelWidth + scale(item.value) + 4, y: y + 14, class: 'mg-value' }, valueText));
    svg.append(g);
  });
  if (marker !== undefined) {
    const x = labelWidth + scale(marker);
    svg.append(svgEl(doc, 'line', { x1: x, x2: x, y1: 0, y2: height - 24, class: 'mg-marker' }));
  }
  svg.append(svgEl(doc, 'text', { x: labelWidth, y: height - 6, class: 'mg-axis' }, axisLabel));
  return svg;
}

/**
 * Grouped bars comparing two distributions (shares per bin or category):
 * { labels, reference, current } where reference/current are counts.
 */
export function histogramChart(doc, { labels, reference, current }, { testId, title }) {
  const share = (counts) => {
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    return counts.map((c) => c / total);
  };
  const r = share(reference);
  const c = share(current);
  const max = Math.max(...r, ...c, 1e-9);
  const width = 640;
  const height = 220;
  const left = 44;
  const bottom = 52;
  const plotH = height - bottom - 10;
  const slot = (width - left - 8) / labels.length;
  const barW = Math.max(Math.min(slot / 2 - 2, 28), 1);
  const svg = svgEl(doc, 'svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    class: 'mg-chart mg-histogram',
    'data-testid': testId,
  });
  svg.append(svgEl(doc, 'title', {}, title));
  for (const tick of [0, 0.5, 1]) {
    const y = 10 + plotH - tick * plotH;
    svg.append(svgEl(doc, 'line', { x1: left, x2: width - 8, y1: y, y2: y, class: 'mg-grid' }));
    svg.append(svgEl(doc, 'text', { x: left - 4, y: y + 4, 'text-anchor': 'end', class: 'mg-axis' }, percent(tick * max)));
  }
  labels.forEach((label, i) => {
    const x0 = left + i * slot + slot / 2 - barW;
    for (const [k, values, cls] of [
      [0, r, 'mg-ref'],
      [1, c, 'mg-cur'],
    ]) {
      const h = (values[i] / max) * plotH;
      const rect = svgEl(doc, 'rect', { x: x0 + k * barW, y: 10 + plotH - h, width: barW - 1, height: Math.max(h, 0.5), class: cls });
      rect.append(svgEl(doc, 'title', {}, `${label} — ${k ? 'current' : 'reference'}: ${percent(values[i])}`));
      svg.append(rect);
    }
    const short = label.length > 12 ? `${label.slice(0, 11)}…` : label;
    const tx = left + i * slot + slot / 2;
    svg.append(
      svgEl(doc, 'text', { x: tx, y: height - bottom + 14, 'text-anchor': 'end', transform: `rotate(-35 ${tx} ${height - bottom + 14})`, class: 'mg-axis' }, short),
    );
  });
  return svg;
}

/** Bin labels for a numeric histogram with inner edges e1..ek. */
export function binLabels(edges) {
  if (!edges.length) return ['all'];
  const f = formatNumber;
  return [`< ${f(edges[0])}`, ...edges.slice(1).map((e, i) => `${f(edges[i])}–${f(e)}`), `≥ ${f(edges[edges.length - 1])}`];
}

function columnHistogram(doc, column) {
  const h = column.histogram;
  if (!h) return null;
  const labels = h.kind === 'bins' ? binLabels(h.edges) : h.labels;
  return histogramChart(doc, { labels, reference: h.reference, current: h.current }, {
    testId: 'histogram',
    title: `${column.column}: share of rows per ${h.kind === 'bins' ? 'bin (reference quantiles)' : 'category'}, reference and current`,
  });
}

function typeText(column) {
  const { column_type: ref, current_type: cur } = column;
  return cur && cur !== ref ? `${ref} → ${cur}` : ref;
}

function metricsTitle(column) {
  const names = Object.keys(column.metrics ?? {});
  if (!names.length) return null;
  return names.map((k) => `${k} = ${formatNumber(column.metrics[k])}`).join('\n');
}

/** One sentence for the drift verdict. */
export function driftSummaryText(drift) {
  const { tested_columns: tested, drifted_columns: drifted } = drift;
  return tested === 0
    ? 'No column could be tested — dataset drift: no'
    : `${drifted} of ${tested} tested column${tested === 1 ? '' : 's'} drifted — dataset drift: ${drift.dataset_drift ? 'yes' : 'no'}`;
}

export function driftDetailsText(drift) {
  const counts = {};
  for (const c of drift.columns) counts[verdictOf(c)] = (counts[verdictOf(c)] ?? 0) + 1;
  const extra = ['skipped', 'missing', 'new'].filter((v) => counts[v]).map((v) => `${plural(counts[v], 'column')} ${v}`);
  const { reference: r, current: c, options } = drift;
  return [
    `${r.source}: ${plural(r.rows, 'row')}, ${plural(r.columns, 'column')}`,
    `${c.source}: ${plural(c.rows, 'row')}, ${plural(c.columns, 'column')}`,
    extra.length ? extra.join(', ') : null,
    `the dataset drifts when at least ${formatNumber(options.drift_share * 100)}% of the tested columns drift`,
  ]
    .filter(Boolean)
    .join(' · ');
}

const SORTS = {
  column: (a, b) => a.column.localeCompare(b.column),
  strength: (a, b) => (driftStrength(b) ?? -1) - (driftStrength(a) ?? -1),
  file: () => 0,
};

/** The drift section: summary, strength chart, sortable/filterable table with per-column plots. */
function renderDrift(doc, drift) {
  const el = makeEl(doc);
  const section = el('section', { class: 'mg-section', 'data-testid': 'section-drift', 'aria-label': 'Data drift' });
  section.append(
    el('h2', { text: 'Data drift' }),
    el('p', {
      class: `mg-summary ${drift.dataset_drift ? 'mg-summary-drift' : 'mg-summary-ok'}`,
      'data-testid': 'summary',
      'data-dataset-drift': String(drift.dataset_drift),
      text: driftSummaryText(drift),
    }),
    el('p', { class: 'mg-muted', 'data-testid': 'summary-details', text: driftDetailsText(drift) }),
  );

  const tested = drift.columns.filter((c) => driftStrength(c) !== null);
  if (tested.length) {
    const items = [...tested]
      .sort(SORTS.strength)
      .slice(0, 30)
      .map((c) => ({
        label: c.column,
        value: driftStrength(c),
        className: c.drifted ? 'mg-drifted' : 'mg-ok',
        title: `${c.column}: ${METHOD_LABELS[c.method] ?? c.method} ${c.p_value !== null ? `p = ${formatNumber(c.p_value)}` : `= ${formatNumber(c.statistic)}`}, threshold ${formatNumber(c.threshold)}`,
      }));
    const chart = el(
      'figure',
      { class: 'mg-figure' },
      barChart(doc, items, { max: 10, marker: 1, axisLabel: 'drift strength (1 = threshold; log p / log α for tests)', testId: 'drift-chart' }),
      el('figcaption', {
        class: 'mg-muted',
        text: tested.length > 30 ? `The 30 most drifted of ${tested.length} tested columns.` : 'Tested columns, most drifted first.',
      }),
    );
    section.append(chart);
  }

  // Controls: search, only drifted, sort.
  const search = el('input', { type: 'search', placeholder: 'Search columns', 'aria-label': 'Search columns', 'data-testid': 'column-search' });
  const onlyDrifted = el('input', { type: 'checkbox', 'data-testid': 'only-drifted' });
  const sort = el(
    'select',
    { 'aria-label': 'Sort columns', 'data-testid': 'column-sort' },
    el('option', { value: 'file', text: 'File order' }),
    el('option', { value: 'strength', text: 'Most drifted first' }),
    el('option', { value: 'column', text: 'Name' }),
  );
  const count = el('span', { class: 'mg-muted', 'data-testid': 'column-count' });
  section.append(
    el('div', { class: 'mg-controls' }, search, el('label', {}, onlyDrifted, ' only drifted'), el('label', {}, 'Sort: ', sort), count),
  );

  const tbody = el('tbody');
  const table = el(
    'table',
    { class: 'mg-table', 'data-testid': 'results-table' },
    el('caption', { class: 'mg-visually-hidden', text: 'Drift per column' }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Column', 'Type', 'Method', 'Statistic', 'p-value', 'Threshold', 'Verdict'].map((h, i) =>
          el('th', { scope: 'col', class: i >= 3 && i <= 5 ? 'mg-num' : null, text: h }),
        ),
      ),
    ),
    tbody,
  );
  section.append(el('div', { class: 'mg-table-wrap' }, table));
  section.append(
    el('p', {
      class: 'mg-muted mg-legend',
      text: 'KS: two-sample Kolmogorov–Smirnov test; χ²: chi-square test of homogeneity; PSI: Population Stability Index. Tests drift when p < threshold. Numbers to 4 significant digits. Choose a column to see its distributions.',
    }),
  );

  const rows = drift.columns.map((column) => {
    const verdict = verdictOf(column);
    const numberCell = (field, value, title) => {
      const cell = el('td', { class: 'mg-num', 'data-field': field, title }, formatNumber(value));
      if (typeof value === 'number') cell.dataset.value = String(value);
      return cell;
    };
    const nameCell = el('th', { scope: 'row', 'data-field': 'column' });
    const row = el(
      'tr',
      { 'data-testid': 'result-row', 'data-column': column.column, 'data-verdict': verdict, class: `mg-verdict-${verdict}` },
      nameCell,
      el('td', { 'data-field': 'type' }, typeText(column)),
      el('td', { 'data-field': 'method', title: column.method ? METHOD_TITLES[column.method] : null }, column.method ? METHOD_LABELS[column.method] ?? column.method : '—'),
      numberCell('statistic', column.statistic, metricsTitle(column)),
      numberCell('p_value', column.p_value),
      numberCell('threshold', column.threshold),
      el(
        'td',
        { 'data-field': 'verdict', title: column.note },
        el('span', { class: `mg-badge mg-badge-${verdict}`, 'data-field': 'verdict-label' }, verdict),
        column.note ? el('span', { class: 'mg-note', 'data-field': 'note' }, column.note) : null,
      ),
    );
    // Charts are drawn on first open only, so a 500-column report renders at once.
    let detail = null;
    if (column.histogram) {
      const toggle = el('button', { type: 'button', class: 'mg-link', 'aria-expanded': 'false', 'data-testid': 'toggle-detail' }, column.column);
      nameCell.append(toggle);
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        if (open && !detail) {
          detail = el('tr', { class: 'mg-detail', 'data-testid': 'detail-row', 'data-column': column.column }, el('td', { colspan: 7 }, columnHistogram(doc, column), legend(el)));
        }
        if (open) row.after(detail);
        else detail?.remove();
      });
    } else {
      nameCell.append(column.column);
    }
    return { column, row, remove: () => detail?.remove() };
  });

  const apply = () => {
    const query = search.value.trim().toLowerCase();
    const ordered = [...rows].sort((a, b) => SORTS[sort.value](a.column, b.column));
    const frag = doc.createDocumentFragment();
    let shown = 0;
    for (const r of ordered) {
      const visible = (!query || r.column.column.toLowerCase().includes(query)) && (!onlyDrifted.checked || r.column.drifted);
      if (!visible) {
        r.remove();
        continue;
      }
      shown += 1;
      frag.append(r.row);
      const toggle = r.row.querySelector('[aria-expanded="true"]');
      if (toggle) toggle.click(); // collapse on re-order; the user reopens what they need
    }
    tbody.replaceChildren(frag);
    count.textContent = `${shown} of ${rows.length} columns`;
  };
  search.addEventListener('input', apply);
  onlyDrifted.addEventListener('change', apply);
  sort.addEventListener('change', apply);
  apply();
  return section;
}

function legend(el) {
  return el(
    'p',
    { class: 'mg-chart-legend' },
    el('span', { class: 'mg-swatch mg-ref' }),
    ' reference ',
    el('span', { class: 'mg-swatch mg-cur' }),
    ' current',
  );
}

/** A full report from a full report or a bare drift report; throws on anything else. */
function asReport(value) {
  if (value && value.kind === 'modelgate-report') return value;
  if (value && Array.isArray(value.columns) && typeof value.tested_columns === 'number') return { drift: value };
  throw new Error('not a modelgate report (expected "kind": "modelgate-report")');
}

/**
 * Renders `report` (a modelgate report object, `{ drift, ... }`, or a bare drift
 * report) into `container` (an element or shadow root), replacing its content.
 */
export function renderReport(container, report) {
  const doc = container.ownerDocument ?? container;
  const el = makeEl(doc);
  const full = asReport(report);
  const root = el('div', { class: 'mg-report', 'data-testid': 'mg-report' });
  if (full.drift) root.append(renderDrift(doc, full.drift));
  if (!root.childElementCount) root.append(el('p', { class: 'mg-muted', text: 'This report has no sections.' }));
  if (full.modelgate) {
    root.append(el('p', { class: 'mg-muted mg-footer', text: `modelgate ${full.modelgate} · computed locally; this report holds summaries, never raw rows.` }));
  }
  container.replaceChildren(root);
  return root;
}
