// The smaller report sections: reproducibility (two prediction files compared
// row by row), training/serving skew, and the readiness rubric's result.

import { dataTable, formatCount, formatNumber, makeEl, numCell, percent, plural, sectionEl } from './base.js';
import { barChart } from './charts.js';

/** Appends the nodes that are not null. */
function append(parent, ...nodes) {
  parent.append(...nodes.filter(Boolean));
}

function rowFindings(el, findings, testId) {
  if (!findings?.length) return null;
  return el(
    'ul',
    { class: 'mg-findings', 'data-testid': testId },
    ...findings.map((f) =>
      el(
        'li',
        { 'data-code': f.code, 'data-severity': f.severity, class: `mg-finding mg-finding-${f.severity}` },
        el('span', { class: `mg-badge mg-sev-${f.severity}` }, f.severity),
        ` ${f.code} (${f.source}${f.column ? `, column “${f.column}”` : ''}) — ${plural(f.count, 'row')}: ${f.message}`,
      ),
    ),
  );
}

/** A share shown as a percentage, the fraction in data-value. */
function shareCell(el, field, share) {
  return el('td', { class: 'mg-num', 'data-field': field, 'data-value': share, text: percent(share) });
}

/** One line for the comparison of two prediction files. */
export function comparisonSummaryText(c) {
  const worst = [...c.columns].sort((a, b) => b.mismatch_share - a.mismatch_share)[0];
  const join = c.id ? `joined by “${c.id}”` : 'joined by row order';
  if (c.reproducible) return `reproducible: ${formatCount(c.joined)} rows ${join}, every compared value equal`;
  return `not reproducible: ${formatCount(c.joined)} rows ${join}${worst ? `; ${worst.column} differs on ${percent(worst.mismatch_share)}` : ''}${c.only_in_a || c.only_in_b ? `; ${formatCount(c.only_in_a + c.only_in_b)} rows without a partner` : ''}`;
}

export function renderComparison(doc, c) {
  const el = makeEl(doc);
  const section = sectionEl(el, 'comparison', 'Reproducibility: two prediction files');
  const rows = c.columns.map((col) =>
    el(
      'tr',
      { 'data-column': col.column, class: col.mismatched ? 'mg-weak' : null },
      el('th', { scope: 'row', text: col.column }),
      numCell(el, 'compared', col.compared),
      numCell(el, 'mismatched', col.mismatched),
      shareCell(el, 'mismatch_share', col.mismatch_share),
      numCell(el, 'max_abs_difference', col.max_abs_difference ?? null),
      numCell(el, 'non_finite_a', col.non_finite_a),
      numCell(el, 'non_finite_b', col.non_finite_b),
    ),
  );
  append(
    section,
    el('p', { class: `mg-summary ${c.reproducible ? 'mg-summary-ok' : 'mg-summary-drift'}`, 'data-testid': 'comparison-summary', 'data-reproducible': String(c.reproducible), text: comparisonSummaryText(c) }),
    el('p', { class: 'mg-muted', text: `${c.a}: ${plural(c.rows_a, 'row')} (${formatCount(c.only_in_a)} without a partner) · ${c.b}: ${plural(c.rows_b, 'row')} (${formatCount(c.only_in_b)} without a partner)` }),
    dataTable(el, {
      testId: 'comparison-table',
      caption: 'Mismatches per compared column',
      headers: ['Column', { label: 'Compared', num: true }, { label: 'Mismatched', num: true }, { label: 'Share', num: true }, { label: 'Largest |difference|', num: true }, { label: 'NaN/inf in A', num: true }, { label: 'NaN/inf in B', num: true }],
      rows,
    }),
    rowFindings(el, c.findings, 'comparison-findings'),
  );
  return section;
}

/** One line for training/serving skew. */
export function skewSummaryText(s) {
  return s.skewed_features
    ? `${plural(s.skewed_features, 'feature')} skewed of ${s.features.length}, on ${formatCount(s.joined)} rows joined by “${s.id}”`
    : `no feature skewed of ${s.features.length}, on ${formatCount(s.joined)} rows joined by “${s.id}”`;
}

export function renderSkew(doc, s) {
  const el = makeEl(doc);
  const section = sectionEl(el, 'skew', 'Training/serving skew');
  const rows = s.features.map((f) =>
    el(
      'tr',
      { 'data-feature': f.feature, 'data-skewed': String(f.skewed), class: f.skewed ? 'mg-weak' : null },
      el('th', { scope: 'row', text: f.feature }),
      numCell(el, 'match_count', f.match_count),
      numCell(el, 'mismatch_count', f.mismatch_count),
      shareCell(el, 'mismatch_share', f.mismatch_share),
      numCell(el, 'max_abs_difference', f.max_abs_difference ?? null),
      numCell(el, 'training_only', f.training_only),
      numCell(el, 'serving_only', f.serving_only),
      el('td', { 'data-field': 'verdict' }, el('span', { class: `mg-badge ${f.skewed ? 'mg-badge-drifted' : 'mg-badge-ok'}` }, f.skewed ? 'skewed' : 'ok')),
    ),
  );
  append(
    section,
    el('p', { class: `mg-summary ${s.skewed_features ? 'mg-summary-drift' : 'mg-summary-ok'}`, 'data-testid': 'skew-summary', 'data-skewed': String(s.skewed_features), text: skewSummaryText(s) }),
    el('p', {
      class: 'mg-muted',
      text: `${s.training}: ${plural(s.training_rows, 'row')} (${formatCount(s.training_only_rows)} unmatched) · ${s.serving}: ${plural(s.serving_rows, 'row')} (${formatCount(s.serving_only_rows)} unmatched) · a feature is skewed when more than ${percent(s.max_mismatch_share)} of joined rows differ (TFDV’s row-level skew)`,
    }),
    dataTable(el, {
      testId: 'skew-table',
      caption: 'Mismatches per feature',
      headers: ['Feature', { label: 'Equal', num: true }, { label: 'Different', num: true }, { label: 'Share', num: true }, { label: 'Largest |difference|', num: true }, { label: 'Training only', num: true }, { label: 'Serving only', num: true }, 'Verdict'],
      rows,
      search: rows.length > 8,
      searchLabel: 'Search features',
    }),
    rowFindings(el, s.findings, 'skew-findings'),
  );
  return section;
}

/** One line for the rubric: final score and band. */
export function rubricSummaryText(r) {
  return `${r.rubric.title}: ${formatNumber(r.final_score)} of ${formatNumber(r.max_final_score)} — ${r.band.title}`;
}

export function renderRubric(doc, r) {
  const el = makeEl(doc);
  const section = sectionEl(el, 'rubric', 'Readiness rubric');
  const weakest = new Set(r.weakest_sections);
  const max = Math.max(r.max_final_score, ...r.sections.map((s) => s.score), 1e-9);
  const items = r.sections.map((s) => ({
    label: s.title,
    value: s.score,
    className: weakest.has(s.id) ? 'mg-drifted' : 'mg-neutral',
    title: `${s.title}: score ${formatNumber(s.score)} (${formatNumber(s.points)} of ${formatNumber(s.max_points)} points; ${s.counts.automated} automated, ${s.counts.manual} manual, ${s.counts.unanswered} unanswered)`,
  }));
  const steps = r.next_steps.map((n) =>
    el(
      'li',
      { 'data-item': n.item },
      el('strong', { text: n.title }),
      ` (${n.item}): ${n.from ?? 'unanswered'} → ${n.to}, +${formatNumber(n.gain)} points; the final score would be ${formatNumber(n.final_score_after)}, band ${n.band_after}`,
      n.blocked_by ? el('span', { class: 'mg-note', text: `blocked by ${n.blocked_by}` }) : null,
    ),
  );
  const flags = (r.flags ?? []).map((f) => el('li', { class: 'mg-finding mg-finding-error', text: typeof f === 'string' ? f : f.message ?? JSON.stringify(f) }));
  append(
    section,
    el(
      'p',
      { class: 'mg-summary', 'data-testid': 'rubric-summary' },
      `${r.rubric.title}: final score `,
      el('strong', { 'data-field': 'final_score', 'data-value': r.final_score, text: formatNumber(r.final_score) }),
      ` of ${formatNumber(r.max_final_score)} — band `,
      el('span', { class: 'mg-badge mg-badge-band', 'data-field': 'band', text: r.band.label }),
      ` ${r.band.title}`,
    ),
    el('p', { class: 'mg-muted', text: `${r.band.meaning} The final score is the ${r.rubric.aggregate === 'minimum' ? 'lowest section score' : 'share of attainable points'}. ${r.counts.items} items: ${r.counts.automated} automated, ${r.counts.manual} manual, ${r.counts.not_done} not done, ${r.counts.not_applicable} not applicable, ${r.counts.unanswered} unanswered. Answers: ${r.answers_source}.` }),
    el(
      'figure',
      { class: 'mg-figure' },
      barChart(doc, items, { max, marker: r.final_score, markerLabel: 'final', axisLabel: 'score per section; weakest sections in the warning colour', testId: 'rubric-chart' }),
    ),
    flags.length ? el('ul', { class: 'mg-findings', 'data-testid': 'rubric-report-flags' }, ...flags) : null,
    steps.length ? el('h3', { text: 'Next steps' }) : null,
    steps.length ? el('ol', { class: 'mg-steps', 'data-testid': 'rubric-report-next-steps' }, ...steps) : null,
  );
  if (r.evidence?.length) {
    section.append(
      el('h3', { text: 'Evidence from this run' }),
      el('ul', { class: 'mg-findings' }, ...r.evidence.map((e) => el('li', { 'data-kind': e.kind }, el('span', { class: `mg-badge ${e.passed ? 'mg-badge-ok' : 'mg-badge-drifted'}`, text: e.passed ? 'pass' : 'fail' }), ` ${e.title}: ${e.summary}`))),
    );
  }
  return section;
}
