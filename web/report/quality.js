// The data-quality part of a report (the JSON of `modelgate quality`, the
// `quality` section of a full report): the verdict, findings per column as a
// chart, and the findings table by severity, sortable and searchable.

import { dataTable, formatCount, makeEl, plural, sectionEl } from './base.js';
import { barChart } from './charts.js';

export const FINDING_KIND_LABELS = {
  missing_column: 'missing column',
  new_column: 'new column',
  type_change: 'type change',
  null_not_allowed: 'null not allowed',
  null_share_jump: 'null share jump',
  nan_present: 'NaN present',
  inf_present: '±inf present',
  out_of_range: 'out of range',
  unseen_category: 'unseen category',
  vanished_category: 'vanished category',
  length_out_of_range: 'length out of range',
  duplicate_values: 'duplicate values',
  constant_column: 'constant column',
  duplicated_rows: 'duplicated rows',
  mixed_types: 'mixed types',
  identifier_like: 'identifier-like',
  mostly_null_rows: 'mostly-null rows',
};
const SEVERITY_RANK = { error: 0, warning: 1, info: 2 };

/** A share as the quality table writes it: one decimal, "<0.1%" for tiny shares. */
export function qualityShare(share) {
  const p = share * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return `${p.toFixed(1)}%`;
}

/** One line: the counts per severity and whether the contract holds. */
export function qualitySummaryText(report) {
  return `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}, ${plural(report.infos, 'info')} — contract ${report.passed ? 'met' : 'broken'}`;
}

/** The parts of a quality report, as nodes. */
export function qualityParts(doc, report) {
  const el = makeEl(doc);
  // The table keeps the report's order (by column); its Severity header sorts by severity.
  const findings = report.findings;
  const summary = el('p', {
    class: `mg-summary ${report.passed ? 'mg-summary-ok' : 'mg-summary-drift'}`,
    'data-testid': 'quality-summary',
    'data-passed': String(report.passed),
    text: qualitySummaryText(report),
  });
  const out = [summary];
  if (report.reference && report.current) {
    const parts = [`${report.current.source} (${plural(report.current.rows, 'row')}) against ${report.reference.source} (${plural(report.reference.rows, 'row')})`];
    if (report.contract) parts.push(`contract version ${report.contract.version}, ${plural(report.contract.fields, 'field')}, hash ${String(report.contract.hash).slice(0, 16)}…`);
    out.push(el('p', { class: 'mg-muted', 'data-testid': 'quality-details', text: parts.join(' · ') }));
  }
  if (!findings.length) {
    out.push(el('p', { class: 'mg-muted', 'data-testid': 'quality-empty', text: 'No findings: the current file meets the contract.' }));
    return out;
  }
  // Per column: how many findings, coloured by the worst severity.
  const perColumn = new Map();
  for (const f of findings) {
    const key = f.column ?? 'all rows';
    const entry = perColumn.get(key) ?? { count: 0, worst: 3, kinds: [] };
    entry.count += 1;
    entry.worst = Math.min(entry.worst, SEVERITY_RANK[f.severity] ?? 3);
    entry.kinds.push(`${f.severity}: ${FINDING_KIND_LABELS[f.kind] ?? f.kind}`);
    perColumn.set(key, entry);
  }
  const items = [...perColumn.entries()]
    .sort((a, b) => a[1].worst - b[1].worst || b[1].count - a[1].count)
    .slice(0, 30)
    .map(([column, e]) => ({ label: column, value: e.count, className: ['mg-sev-error', 'mg-sev-warning', 'mg-sev-info'][e.worst] ?? 'mg-neutral', title: `${column}: ${e.kinds.join('; ')}` }));
  out.push(
    el(
      'figure',
      { class: 'mg-figure' },
      barChart(doc, items, { max: Math.max(...items.map((i) => i.value)), axisLabel: 'findings per column (colour: worst severity)', testId: 'quality-chart' }),
      el('figcaption', { class: 'mg-chart-legend' }, el('span', { class: 'mg-swatch mg-sev-error' }), ' error ', el('span', { class: 'mg-swatch mg-sev-warning' }), ' warning ', el('span', { class: 'mg-swatch mg-sev-info' }), ' info'),
    ),
  );
  const rows = findings.map((f) =>
    el(
      'tr',
      { 'data-testid': 'finding-row', 'data-kind': f.kind, 'data-severity': f.severity, 'data-column': f.column ?? '', class: `mg-severity-${f.severity}` },
      el('td', { 'data-field': 'severity', 'data-value': SEVERITY_RANK[f.severity] ?? 3 }, el('span', { class: `mg-badge mg-sev-${f.severity}` }, f.severity)),
      el('th', { scope: 'row', 'data-field': 'kind', title: f.kind }, FINDING_KIND_LABELS[f.kind] ?? f.kind),
      el('td', { 'data-field': 'column' }, f.column ?? 'all rows'),
      el('td', { class: 'mg-num', 'data-field': 'count', 'data-value': f.count }, formatCount(f.count)),
      el('td', { class: 'mg-num', 'data-field': 'share', 'data-value': f.share }, qualityShare(f.share)),
      el('td', { 'data-field': 'examples' }, f.examples?.length ? f.examples.join(', ') : '—'),
      el('td', { 'data-field': 'message', class: 'mg-message' }, f.message),
    ),
  );
  out.push(
    dataTable(el, {
      testId: 'quality-table',
      caption: 'Data-quality findings',
      headers: ['Severity', 'Finding', 'Column', { label: 'Count', num: true }, { label: 'Share', num: true }, 'Example rows', 'Details'],
      rows,
      search: rows.length > 6,
      searchLabel: 'Search findings',
    }),
    el('p', { class: 'mg-muted mg-legend', text: 'Errors break the contract (a record like these would be rejected); warnings are worth a look. Row numbers count data rows from 1, the header not included.' }),
  );
  return out;
}

/** The data-quality section of a full report. */
export function renderQuality(doc, report) {
  const el = makeEl(doc);
  const section = sectionEl(el, 'quality', 'Data quality');
  section.append(...qualityParts(doc, report));
  return section;
}
