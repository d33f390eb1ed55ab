// modelgate's report renderer: one function that draws a modelgate report (the
// JSON the core produces) into any element or shadow root. The page, the
// <modelgate-report> widget and the exported self-contained HTML all use it, so
// a report looks the same wherever it is opened.
//
// This module draws the summary and the drift section and puts the sections in
// order; the others live beside it (quality.js, evaluation.js, sections.js,
// charts.js, base.js). No globals, and imports only of siblings: the exported
// HTML concatenates these files into one inline script in REPORT_MODULES order
// (report.rs drops the `import` lines). Charts are small inline SVGs, see
// ARCHITECTURE.md for why no charting library is used.

import { formatNumber, makeEl, plural } from './base.js';
import { barChart, binLabels, histogramChart } from './charts.js';
import { baselineSummaryText, renderEvaluation } from './evaluation.js';
import { qualitySummaryText, renderQuality } from './quality.js';
import { comparisonSummaryText, renderComparison, renderRubric, renderSkew, rubricSummaryText, skewSummaryText } from './sections.js';

/** Short method names; `method_label` in the core's report.rs spells them the same. */
export const METHOD_LABELS = {
  ks: 'KS',
  chi2: 'χ²',
  psi: 'PSI',
  psi_evidently: 'PSI (Evidently)',
  chi2_gof: 'χ² GoF',
  z: 'z',
  jensen_shannon: 'JS',
  hellinger: 'Hellinger',
  wasserstein: 'Wasserstein',
  wasserstein_raw: 'Wasserstein (raw)',
  l_infinity: 'L∞',
  tvd: 'TVD',
  cramers_v: 'Cramér’s V',
};
export const METHOD_TITLES = {
  ks: 'two-sample Kolmogorov–Smirnov test',
  chi2: 'chi-square test of homogeneity',
  psi: 'Population Stability Index on reference-quantile bins',
  psi_evidently: 'Population Stability Index on Evidently’s bins',
  chi2_gof: 'chi-square goodness-of-fit test (Evidently’s variant)',
  z: 'two-proportion z-test',
  jensen_shannon: 'Jensen–Shannon distance (natural log)',
  hellinger: 'Hellinger distance',
  wasserstein: 'Wasserstein distance divided by the reference standard deviation',
  wasserstein_raw: 'Wasserstein distance',
  l_infinity: 'L-infinity distance between category shares',
  tvd: 'total variation distance',
  cramers_v: 'Cramér’s V of dataset against category',
};
const VERDICTS = { missing_in_current: 'missing', new_in_current: 'new', skipped: 'skipped' };

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
      text: 'Each column is judged by the method shown (hover it for its name; docs/drift-methods.md has every formula). Tests drift when p < threshold, distances when the statistic reaches it. Numbers to 4 significant digits. Choose a column to see its distributions.',
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

/** The weakest flagged slice of an evaluation, as one line, or null. */
function weakestSliceText(e) {
  const weak = [...(e.weak_slices ?? [])].sort((a, b) => b.shortfall - a.shortfall)[0];
  if (!weak) return e.slices?.length ? `no slice is ${formatNumber(e.options.slice_gap * 100)}% worse than overall on ${e.primary_metric}` : null;
  return `${weak.column} ${weak.value}: ${e.primary_metric} ${formatNumber(weak.value_metric)} against ${formatNumber(weak.overall)} overall, on ${plural(weak.rows, 'row')}`;
}

/**
 * A link to a section that also works inside a shadow root (where a #fragment
 * does not reach): it scrolls to the section and moves the focus there.
 */
function sectionLink(el, key, text) {
  const link = el('a', { href: `#mg-${key}`, class: 'mg-verdict-label', text });
  link.addEventListener('click', (event) => {
    const target = link.getRootNode().getElementById?.(`mg-${key}`);
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  });
  return link;
}

/** The summary verdict: one line per section present (two for an evaluation), each linking to its section. */
function renderSummary(doc, report) {
  const el = makeEl(doc);
  const lines = [];
  const add = (key, label, ok, text) => text && lines.push({ key, label, ok, text });
  if (report.drift) add('drift', 'Drift', !report.drift.dataset_drift, driftSummaryText(report.drift));
  if (report.quality) add('quality', 'Data quality', report.quality.passed, qualitySummaryText(report.quality));
  const e = report.evaluation;
  if (e) {
    add('evaluation', 'Model vs baselines', e.verdict.passed, baselineSummaryText(e));
    add('slices', 'Weakest slice', !(e.weak_slices ?? []).length, weakestSliceText(e));
    if (e.time) add('time', 'Over time', e.time.degraded_period === null || e.time.degraded_period === undefined, e.time.suggestion);
  }
  if (report.comparison) add('comparison', 'Reproducibility', report.comparison.reproducible, comparisonSummaryText(report.comparison));
  if (report.skew) add('skew', 'Skew', !report.skew.skewed_features, skewSummaryText(report.skew));
  if (report.rubric) add('rubric', 'Rubric', !(report.rubric.flags ?? []).length, rubricSummaryText(report.rubric));
  // A report of one section is its own summary.
  if (['drift', 'quality', 'evaluation', 'comparison', 'skew', 'rubric'].filter((k) => report[k]).length < 2) return null;
  const target = { slices: 'evaluation', time: 'evaluation' };
  return el(
    'section',
    { class: 'mg-section mg-overview', 'data-testid': 'section-summary', 'aria-label': 'Summary' },
    el('h2', { text: 'Summary' }),
    el(
      'ul',
      { class: 'mg-verdicts' },
      ...lines.map((l) =>
        el(
          'li',
          { 'data-testid': `summary-${l.key}`, 'data-ok': String(l.ok), class: l.ok ? 'mg-line-ok' : 'mg-line-bad' },
          el('span', { class: `mg-badge ${l.ok ? 'mg-badge-ok' : 'mg-badge-drifted'}`, text: l.ok ? 'ok' : 'look' }),
          ' ',
          sectionLink(el, target[l.key] ?? l.key, `${l.label}:`),
          ` ${l.text}`,
        ),
      ),
    ),
  );
}

/**
 * Renders `report` (a modelgate report object, `{ drift, quality, evaluation,
 * comparison, skew, rubric }`, or a bare drift report) into `container` (an
 * element or shadow root), replacing its content. Absent sections are not drawn.
 */
export function renderReport(container, report) {
  const doc = container.ownerDocument ?? container;
  const el = makeEl(doc);
  const full = asReport(report);
  const root = el('div', { class: 'mg-report', 'data-testid': 'mg-report' });
  const sections = [
    renderSummary(doc, full),
    full.drift ? renderDrift(doc, full.drift) : null,
    full.quality ? renderQuality(doc, full.quality) : null,
    full.evaluation ? renderEvaluation(doc, full.evaluation) : null,
    full.comparison ? renderComparison(doc, full.comparison) : null,
    full.skew ? renderSkew(doc, full.skew) : null,
    full.rubric ? renderRubric(doc, full.rubric) : null,
  ].filter(Boolean);
  for (const section of sections) {
    const key = section.dataset.testid?.replace('section-', '');
    if (key) {
      section.id = `mg-${key}`;
      section.tabIndex = -1; // a summary link moves the focus here
    }
  }
  root.append(...sections);
  if (!root.childElementCount) root.append(el('p', { class: 'mg-muted', text: 'This report has no sections.' }));
  if (full.modelgate) {
    root.append(el('p', { class: 'mg-muted mg-footer', text: `modelgate ${full.modelgate} · computed locally; this report holds summaries, never raw rows.` }));
  }
  container.replaceChildren(root);
  return root;
}
