// The model-evaluation part of a report (the JSON of `modelgate evaluate`, the
// `evaluation` section of a full report): the verdict, the model against the
// baselines, classification or regression details, slices, fairness and time.

import { dataTable, formatCount, formatNumber, makeEl, numCell, percentExact, plural, sectionEl } from './base.js';
import { barChart, columnChart, heatmapChart, lineChart } from './charts.js';

export const TASK_LABELS = { binary: 'binary classification', multiclass: 'multiclass classification', regression: 'regression' };
export const EVAL_VERDICT_LABELS = {
  model_better: 'model better',
  no_significant_difference: 'baseline matches',
  baseline_better: 'baseline better',
  not_compared: 'not compared',
};

/** The interval as the report writes it. */
export function formatInterval(lo, hi) {
  return lo === null || hi === null || lo === undefined || hi === undefined ? '—' : `[${formatNumber(lo)}, ${formatNumber(hi)}]`;
}

/** The best baseline that was compared: the one with the smallest model advantage. */
export function bestBaseline(report) {
  const compared = report.baselines.results.filter((b) => !b.skipped && b.comparison && typeof b.comparison.difference === 'number');
  return compared.sort((a, b) => a.comparison.difference - b.comparison.difference)[0] ?? null;
}

/** One line: the model against its best baseline. */
export function baselineSummaryText(report) {
  const best = bestBaseline(report);
  const metric = report.primary_metric;
  if (!best) return `${metric} ${formatNumber(report.metrics[metric])}; no baseline could be compared`;
  const c = best.comparison;
  const word = { model_better: 'beats', no_significant_difference: 'is matched by', baseline_better: 'is beaten by' }[c.verdict] ?? 'against';
  return `the model ${word} its best baseline, ${best.name}, on ${metric}: ${formatNumber(c.model)} vs ${formatNumber(c.baseline)} (gain ${formatNumber(c.gain)})`;
}

const h3 = (el, text) => el('h3', { text });
const details = (el, testId, text) => el('p', { class: 'mg-muted', 'data-testid': testId, text });
const figure = (el, chart, caption) => el('figure', { class: 'mg-figure' }, chart, caption ? el('figcaption', { class: 'mg-muted', text: caption }) : null);

function verdictPart(el, report) {
  const passed = report.verdict.passed;
  return [
    el(
      'p',
      { class: `mg-summary ${passed ? 'mg-summary-ok' : 'mg-summary-drift'}`, 'data-testid': 'eval-verdict', 'data-passed': String(passed) },
      passed ? 'Pass: the model beats every baseline and the rows line up' : 'Fail',
    ),
    passed ? null : el('ul', { class: 'mg-reasons', 'data-testid': 'eval-reasons' }, ...report.verdict.reasons.map((r) => el('li', { text: r }))),
  ];
}

function detailsPart(el, report) {
  const b = report.baselines;
  const parts = [
    `${report.source}: ${formatCount(report.rows_evaluated)} of ${plural(report.rows, 'row')} evaluated`,
    TASK_LABELS[report.task] + (report.positive_class !== null && report.positive_class !== undefined ? `, positive class “${report.positive_class}”` : ''),
    `baselines fitted on ${b.fitted_on === 'training' ? `${report.training.source} (${plural(b.fit_rows, 'row')})` : 'the evaluated rows'}`,
    b.resamples > 0 ? `${percentExact(b.confidence)} bootstrap intervals from ${formatCount(b.resamples)} resamples, seed ${b.seed}` : 'no bootstrap intervals',
  ];
  return el('p', { class: 'mg-muted', 'data-testid': 'eval-details', text: parts.join(' · ') });
}

function baselinesPart(el, doc, report) {
  const metric = report.primary_metric;
  const model = report.metrics[metric];
  const results = report.baselines.results;
  const rows = results.map((b) => {
    const c = b.comparison;
    const verdict = b.skipped ? 'skipped' : c?.verdict ?? 'not_compared';
    return el(
      'tr',
      { 'data-baseline': b.name, 'data-verdict': verdict, class: `mg-eval-${verdict}` },
      el('th', { scope: 'row', 'data-field': 'name', title: b.description }, b.name + (b.expected_value ? ' (expected)' : '')),
      numCell(el, 'value', c?.baseline ?? null),
      numCell(el, 'difference', c?.difference ?? null),
      el('td', { class: 'mg-num', 'data-field': 'interval' }, formatInterval(c?.ci_low ?? null, c?.ci_high ?? null)),
      numCell(el, 'gain', c?.gain ?? null),
      el(
        'td',
        { 'data-field': 'verdict' },
        el('span', { class: `mg-badge mg-badge-${verdict}`, 'data-field': 'verdict-label' }, b.skipped ? 'skipped' : EVAL_VERDICT_LABELS[verdict]),
        el('span', { class: 'mg-note', text: b.skipped || b.description }),
      ),
    );
  });
  const modelRow = el(
    'tr',
    { 'data-baseline': 'model', class: 'mg-model-row' },
    el('th', { scope: 'row', 'data-field': 'name' }, 'the model'),
    numCell(el, 'value', model),
    el('td'),
    el('td'),
    el('td'),
    el('td'),
  );
  // Bars: each baseline's metric; the whisker is the bootstrap interval of the
  // difference carried onto the baseline's scale, so a whisker that crosses the
  // model's dashed line means the baseline matches the model. The difference is
  // "how much better the model is": model − baseline when higher is better,
  // baseline − model when lower is.
  const compared = results.filter((b) => !b.skipped && b.comparison && typeof b.comparison.baseline === 'number');
  const items = [
    { label: 'the model', value: model, className: 'mg-model', title: `the model: ${metric} ${formatNumber(model)}` },
    ...compared.map((b) => {
      const c = b.comparison;
      const hasCi = typeof c.ci_low === 'number' && typeof c.ci_high === 'number';
      const [lo, hi] = report.higher_is_better ? [c.model - c.ci_high, c.model - c.ci_low] : [c.model + c.ci_low, c.model + c.ci_high];
      return {
        label: b.name,
        value: c.baseline,
        lo: hasCi ? lo : undefined,
        hi: hasCi ? hi : undefined,
        className: c.verdict === 'model_better' ? 'mg-ok' : 'mg-drifted',
        title: `${b.name}: ${metric} ${formatNumber(c.baseline)}; difference ${formatNumber(c.difference)} ${formatInterval(c.ci_low, c.ci_high)}; gain ${formatNumber(c.gain)}; ${EVAL_VERDICT_LABELS[c.verdict]}`,
      };
    }),
  ];
  const ends = items.flatMap((i) => [i.value, i.lo, i.hi]).filter((v) => typeof v === 'number' && Number.isFinite(v));
  const max = Math.max(...ends, 0) * 1.05 || 1;
  const min = Math.min(...ends, 0);
  const losing = compared.filter((b) => b.comparison.verdict !== 'model_better');
  const verdictLine = losing.length
    ? el('p', { class: 'mg-summary mg-summary-drift', 'data-testid': 'eval-baseline-verdict', 'data-passed': 'false' }, `${losing.map((b) => b.name).join(', ')} ${losing.length === 1 ? 'matches or beats' : 'match or beat'} the model on ${metric}: the model is not shown to be better than the simplest thing that could work.`)
    : el('p', { class: 'mg-summary mg-summary-ok', 'data-testid': 'eval-baseline-verdict', 'data-passed': 'true' }, compared.length ? `The model beats every baseline on ${metric}.` : 'No baseline could be compared.');
  return [
    h3(el, `The model against simple baselines, on ${metric}`),
    verdictLine,
    compared.length
      ? figure(
          el,
          barChart(doc, items, { max, min, marker: model, markerLabel: 'model', axisLabel: `${metric} (${report.higher_is_better ? 'higher' : 'lower'} is better); whiskers: bootstrap interval`, testId: 'baseline-chart' }),
          'Each bar is a baseline’s value; its whisker is where the bootstrap interval of the difference puts it. A whisker that reaches the dashed line (the model) means the baseline matches the model.',
        )
      : null,
    dataTable(el, {
      testId: 'eval-baselines',
      caption: `The model against simple baselines on ${metric}`,
      headers: ['Baseline', { label: metric, num: true }, { label: 'Difference', num: true }, { label: 'Interval', num: true }, { label: 'Gain', num: true }, 'Verdict'],
      rows: [modelRow, ...rows],
    }),
    el(
      'p',
      { class: 'mg-muted mg-legend' },
      'Difference: how much better the model is (positive: the model wins). Interval: paired bootstrap of the difference. ',
      'Gain: Deepchecks’ (model − baseline) / (perfect − baseline). “Expected”: the mean over a random guesser’s draws, in closed form.',
    ),
  ];
}

function findingsPart(el, report) {
  if (!report.findings.length) return [];
  const items = report.findings.map((f) => {
    const where = [f.source, f.column !== null && f.column !== undefined ? `column “${f.column}”` : null].filter(Boolean).join(', ');
    const rows = f.count > 0 && f.rows ? ` — ${plural(f.count, 'row')}: ${f.rows.join(', ')}${f.count > f.rows.length ? ', …' : ''}` : '';
    return el(
      'li',
      { 'data-code': f.code, 'data-severity': f.severity, class: `mg-finding mg-finding-${f.severity}` },
      el('span', { class: `mg-badge mg-sev-${f.severity}` }, f.severity),
      ` ${f.code} (${where})${rows}: ${f.message}`,
    );
  });
  return [h3(el, 'Findings'), el('ul', { class: 'mg-findings', 'data-testid': 'eval-findings' }, ...items)];
}

function metricsPart(el, report) {
  const baselines = report.baselines.results.filter((b) => !b.skipped);
  const rows = Object.entries(report.metrics).map(([name, value]) =>
    el(
      'tr',
      { 'data-metric': name, class: name === report.primary_metric ? 'mg-primary' : null },
      el('th', { scope: 'row' }, name),
      numCell(el, 'model', value, { 'data-baseline': 'model' }),
      ...baselines.map((b) => numCell(el, b.name, b.metrics[name] ?? null, { 'data-baseline': b.name })),
    ),
  );
  return [
    h3(el, 'Every metric'),
    dataTable(el, {
      testId: 'eval-metrics',
      caption: 'Every metric, the model and each baseline',
      headers: ['Metric', { label: 'model', num: true }, ...baselines.map((b) => ({ label: b.name + (b.expected_value ? ' (expected)' : ''), num: true }))],
      rows,
    }),
  ];
}

function classificationPart(el, doc, report) {
  const out = [];
  if (report.per_class?.length) {
    const rows = report.per_class.map((c) =>
      el('tr', { 'data-class': c.class }, el('th', { scope: 'row', text: c.class }), numCell(el, 'precision', c.precision), numCell(el, 'recall', c.recall), numCell(el, 'f1', c.f1), numCell(el, 'support', c.support)),
    );
    out.push(
      h3(el, 'Per class'),
      dataTable(el, {
        testId: 'eval-per-class',
        caption: 'Precision, recall and F1 per class',
        headers: ['Class', { label: 'Precision', num: true }, { label: 'Recall', num: true }, { label: 'F1', num: true }, { label: 'Support', num: true }],
        rows,
      }),
    );
  }
  const cm = report.confusion;
  if (cm?.labels?.length) {
    out.push(
      h3(el, 'Confusion matrix'),
      figure(
        el,
        heatmapChart(doc, { rowLabels: cm.labels, colLabels: cm.labels, matrix: cm.matrix }, { testId: 'confusion-matrix', title: 'Confusion matrix: rows are the true class, columns the predicted class', rowTitle: 'true', colTitle: 'predicted' }),
        'Rows: the true class; columns: the predicted class. Darker cells hold a larger share of their row; the diagonal is right.',
      ),
    );
  }
  const cal = report.calibration;
  if (cal?.curve?.length) {
    const points = cal.curve
      .filter((b) => b.count > 0)
      .map((b) => ({
        x: b.mean_predicted,
        y: b.fraction_positive,
        label: `bin ${b.bin}`,
        r: 3 + Math.min(5, Math.sqrt(b.count) / 2),
        title: `scores ${formatNumber(b.lower)}–${formatNumber(b.upper)}: ${plural(b.count, 'row')}, mean score ${formatNumber(b.mean_predicted)}, observed ${formatNumber(b.fraction_positive)}`,
      }));
    const what = cal.kind === 'positive_class' ? `the positive class “${report.positive_class}”` : 'the predicted class (top label)';
    out.push(
      h3(el, 'Calibration'),
      el('p', { class: 'mg-muted', 'data-testid': 'eval-ece' }, 'Expected calibration error ', el('strong', { 'data-field': 'ece', 'data-value': cal.ece, text: formatNumber(cal.ece) }), ` over ${cal.bins} equal-width bins, for ${what}.`),
      figure(
        el,
        lineChart(doc, points, { testId: 'reliability-curve', title: 'Reliability curve: observed frequency against mean predicted probability', xMin: 0, xMax: 1, yMin: 0, yMax: 1, xLabel: 'mean predicted probability', yLabel: 'observed frequency', diagonal: true, width: 420, height: 360 }),
        'Points on the diagonal are perfectly calibrated; larger points hold more rows.',
      ),
    );
  }
  return out;
}

function regressionPart(el, doc, report) {
  const r = report.residuals;
  if (!r) return [];
  const m = report.metrics;
  const keys = ['mae', 'rmse', 'r2', 'mape', 'median_ae', 'max_error'].filter((k) => k in m);
  const out = [
    h3(el, 'Residuals'),
    el(
      'p',
      { class: 'mg-muted', 'data-testid': 'eval-regression-metrics' },
      ...keys.flatMap((k, i) => [i ? ' · ' : '', `${k.toUpperCase().replace('_', ' ')} `, el('strong', { 'data-field': k, 'data-value': m[k], text: formatNumber(m[k]) })]),
      ` · residual mean ${formatNumber(r.mean)}, standard deviation ${formatNumber(r.std)}`,
    ),
  ];
  if (r.histogram_counts?.length) {
    const e = r.histogram_edges;
    const labels = r.histogram_counts.map((_, i) => `${formatNumber(e[i])}–${formatNumber(e[i + 1])}`);
    out.push(
      figure(
        el,
        columnChart(doc, labels, [{ values: r.histogram_counts, className: 'mg-ref', name: 'rows' }], { testId: 'residual-histogram', title: 'Residuals (label − prediction): rows per bin' }),
        'Residuals (label − prediction), rows per bin.',
      ),
    );
  }
  return out;
}

function slicesPart(el, doc, report) {
  if (!report.slices?.length) return [];
  const metric = report.primary_metric;
  const overall = report.metrics[metric];
  const secondary = report.task === 'regression' ? 'mae' : 'accuracy';
  const showSecondary = secondary !== metric;
  const rows = [];
  const items = [];
  for (const s of report.slices) {
    for (const g of s.groups) {
      rows.push(
        el(
          'tr',
          { 'data-column': s.column, 'data-slice': g.value, 'data-weak': String(g.weak), class: g.weak ? 'mg-weak' : null },
          el('th', { scope: 'row' }, s.column),
          el('td', { 'data-field': 'slice' }, g.value),
          numCell(el, 'rows', g.rows),
          numCell(el, 'metric', g.metrics[metric] ?? null),
          showSecondary ? numCell(el, 'secondary', g.metrics[secondary] ?? null) : null,
          numCell(el, 'shortfall', g.shortfall),
          el('td', { 'data-field': 'flag' }, g.weak ? el('span', { class: 'mg-badge mg-badge-drifted' }, 'weak') : ''),
        ),
      );
      if (typeof g.metrics[metric] === 'number') {
        items.push({
          label: `${s.column} ${g.value} (n=${formatCount(g.rows)})`,
          value: g.metrics[metric],
          shortfall: g.shortfall,
          className: g.weak ? 'mg-drifted' : 'mg-neutral',
          title: `${s.column} = ${g.value}: ${metric} ${formatNumber(g.metrics[metric])} on ${plural(g.rows, 'row')}${g.weak ? ' — weak' : ''}`,
        });
      }
    }
  }
  const shown = [...items].sort((a, b) => (b.shortfall ?? 0) - (a.shortfall ?? 0)).slice(0, 24);
  const values = shown.map((i) => i.value).concat([overall]);
  const weak = report.weak_slices.length
    ? `${plural(report.weak_slices.length, 'slice')} ${report.weak_slices.length === 1 ? 'is' : 'are'} at least ${percentExact(report.options.slice_gap)} worse than overall (${formatNumber(overall)}) on ${metric}, with at least ${report.options.min_slice_rows} rows.`
    : `No slice with at least ${report.options.min_slice_rows} rows is ${percentExact(report.options.slice_gap)} worse than overall on ${metric}.`;
  return [
    h3(el, 'Slices'),
    details(el, 'eval-slices-summary', weak),
    shown.length
      ? figure(
          el,
          barChart(doc, shown, { max: Math.max(...values) * 1.05 || 1, min: Math.min(0, ...values), marker: overall, markerLabel: 'overall', axisLabel: `${metric} per slice (n = rows); dashed: overall`, testId: 'slice-chart' }),
          items.length > shown.length ? `The ${shown.length} slices furthest below overall, of ${items.length}.` : 'Every slice, furthest below overall first; weak slices in the warning colour.',
        )
      : null,
    dataTable(el, {
      testId: 'eval-slices',
      caption: 'Metrics per slice',
      headers: ['Column', 'Slice', { label: 'Rows', num: true }, { label: metric, num: true }, ...(showSecondary ? [{ label: secondary, num: true }] : []), { label: 'Shortfall', num: true }, ''],
      rows,
      search: rows.length > 8,
      searchLabel: 'Search slices',
    }),
  ];
}

function fairnessPart(el, doc, report) {
  const f = report.fairness;
  if (!f) return [];
  const metric = report.primary_metric;
  const summary = f.note
    ? details(el, 'eval-fairness-summary', f.note)
    : el(
        'p',
        { class: 'mg-muted', 'data-testid': 'eval-fairness-summary' },
        ...[
          ['demographic_parity_difference', 'Demographic parity difference'],
          ['demographic_parity_ratio', 'ratio'],
          ['equal_opportunity_difference', 'equal opportunity difference'],
          ['equalized_odds_difference', 'equalized odds difference'],
        ].flatMap(([key, label], i) => {
          const span = el('strong', { 'data-field': key }, formatNumber(f[key]));
          if (typeof f[key] === 'number') span.dataset.value = String(f[key]);
          return [i ? '; ' : '', `${label} `, span];
        }),
        ` (positive class “${f.positive_class}”, as fairlearn defines them).`,
      );
  const rows = f.groups.map((g) =>
    el(
      'tr',
      { 'data-group': g.value },
      el('th', { scope: 'row' }, g.value),
      numCell(el, 'rows', g.rows),
      numCell(el, 'selection_rate', g.selection_rate),
      numCell(el, 'true_positive_rate', g.true_positive_rate),
      numCell(el, 'false_positive_rate', g.false_positive_rate),
      numCell(el, 'metric', g.metrics[metric] ?? null),
    ),
  );
  const bars = f.groups
    .filter((g) => typeof g.selection_rate === 'number')
    .map((g) => ({ label: `${g.value} (n=${formatCount(g.rows)})`, value: g.selection_rate, className: 'mg-neutral', title: `${f.column} = ${g.value}: selection rate ${formatNumber(g.selection_rate)}, TPR ${formatNumber(g.true_positive_rate)}, FPR ${formatNumber(g.false_positive_rate)}` }));
  return [
    h3(el, `Fairness by “${f.column}”`),
    summary,
    bars.length ? figure(el, barChart(doc, bars, { max: 1, axisLabel: 'selection rate (share predicted positive) per group', testId: 'fairness-chart' })) : null,
    dataTable(el, {
      testId: 'eval-fairness',
      caption: `Metrics per group of ${f.column}`,
      headers: ['Group', { label: 'Rows', num: true }, { label: 'Selection rate', num: true }, { label: 'TPR', num: true }, { label: 'FPR', num: true }, { label: metric, num: true }],
      rows,
    }),
  ];
}

/** The threshold the time analysis compares each period with: the first period's value moved by `drop`. */
export function timeThreshold(report) {
  const t = report.time;
  const first = t.periods.find((p) => p.period === t.first_period);
  const v = first?.metrics[report.primary_metric];
  if (typeof v !== 'number') return null;
  return report.higher_is_better ? v * (1 - t.drop) : v * (1 + t.drop);
}

function timePart(el, doc, report) {
  const t = report.time;
  if (!t) return [];
  const metric = report.primary_metric;
  const rows = t.periods.map((p) =>
    el(
      'tr',
      { 'data-period': p.period, 'data-used': String(p.used), class: p.period === t.degraded_period ? 'mg-weak' : null },
      el('th', { scope: 'row' }, p.period),
      numCell(el, 'rows', p.rows),
      numCell(el, 'metric', p.metrics[metric] ?? null),
    ),
  );
  const threshold = timeThreshold(report);
  const points = t.periods.map((p, i) => ({
    x: i,
    y: p.metrics[metric],
    label: p.period,
    hollow: !p.used,
    className: p.period === t.degraded_period ? 'mg-point-weak' : null,
    title: `${p.period}: ${metric} ${formatNumber(p.metrics[metric])} on ${plural(p.rows, 'row')}${p.used ? '' : ' (too few rows, not used)'}`,
  }));
  return [
    h3(el, `Over time, by ${t.period}${t.automatic ? ' (chosen from the time span)' : ''}`),
    details(el, 'eval-time-summary', t.suggestion),
    figure(
      el,
      lineChart(doc, points, {
        testId: 'time-chart',
        title: `${metric} per ${t.period}`,
        categories: t.periods.map((p) => p.period),
        yLabel: metric,
        hline: threshold === null ? null : { y: threshold, label: `first period ${report.higher_is_better ? '−' : '+'}${formatNumber(t.drop * 100)}%` },
      }),
      `${metric} per ${t.period}; dashed: ${formatNumber(t.drop * 100)}% ${report.higher_is_better ? 'below' : 'above'} the first period (${t.first_period})${t.degraded_after_days !== null && t.degraded_after_days !== undefined ? `; crossed after ${plural(t.degraded_after_days, 'day')}, so retrain about that often` : ''}. Hollow points had too few rows to count.`,
    ),
    dataTable(el, { testId: 'eval-time', caption: `${metric} per ${t.period}`, headers: ['Period', { label: 'Rows', num: true }, { label: metric, num: true }], rows }),
  ];
}

/** The parts of an evaluation, as nodes, for a container of the caller's. */
export function evaluationParts(doc, report) {
  const el = makeEl(doc);
  return [
    ...verdictPart(el, report),
    detailsPart(el, report),
    ...baselinesPart(el, doc, report),
    ...findingsPart(el, report),
    ...(report.task === 'regression' ? regressionPart(el, doc, report) : classificationPart(el, doc, report)),
    ...metricsPart(el, report),
    ...slicesPart(el, doc, report),
    ...fairnessPart(el, doc, report),
    ...timePart(el, doc, report),
  ].filter(Boolean);
}

/** The evaluation section of a full report. */
export function renderEvaluation(doc, report) {
  const el = makeEl(doc);
  const section = sectionEl(el, 'evaluation', 'Model against baselines');
  section.classList.add('mg-evaluation');
  section.append(...evaluationParts(doc, report));
  return section;
}

