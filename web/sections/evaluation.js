// The model-evaluation section: a drop zone for a predictions CSV, an optional
// training CSV and sensitive column, and the report: the model against simple
// baselines, every metric, findings, slices, fairness and time. The numbers are
// computed in the compute worker (sections/evaluation-worker.js) by the same
// Rust core as `modelgate evaluate`; this module only renders them.
//
// app.js calls setUpEvaluation({ post }) once, forwards every worker message
// whose type starts with "eval:" to the returned onMessage, and calls reload()
// after it replaced a crashed worker.

const $ = (selector, root = document) => root.querySelector(selector);
const byTestId = (id, root = document) => $(`[data-testid="${id}"]`, root);

/** 4 significant digits, trailing zeros dropped; scientific below 1e-4 and from 1e6; null -> an em dash. */
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
const percent = (x) => `${formatNumber(x * 100)}%`;

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** A numeric cell showing the formatted value, with the raw number in data-value. */
function num(field, value, attrs = {}) {
  const cell = el('td', { class: 'num', 'data-field': field, ...attrs }, formatNumber(value));
  if (typeof value === 'number') cell.dataset.value = String(value);
  return cell;
}

function table(testid, caption, headers, rows) {
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { 'data-testid': testid },
      el('caption', { class: 'visually-hidden' }, caption),
      el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col', class: h.num ? 'num' : null }, h.label ?? h)))),
      el('tbody', {}, ...rows),
    ),
  );
}

export const TASK_LABELS = { binary: 'binary classification', multiclass: 'multiclass classification', regression: 'regression' };
export const VERDICT_LABELS = {
  model_better: 'model better',
  no_significant_difference: 'baseline matches',
  baseline_better: 'baseline better',
  not_compared: 'not compared',
};

/** The interval as the page writes it. */
export function formatInterval(lo, hi) {
  return lo === null || hi === null ? '—' : `[${formatNumber(lo)}, ${formatNumber(hi)}]`;
}

// ---------------------------------------------------------------- rendering

function renderVerdict(report) {
  const passed = report.verdict.passed;
  const summary = el(
    'p',
    { class: `summary ${passed ? 'summary-ok' : 'summary-drift'}`, 'data-testid': 'eval-verdict', 'data-passed': String(passed) },
    passed ? 'Pass: the model beats every baseline and the rows line up' : 'Fail',
  );
  const reasons = el('ul', { class: 'eval-reasons', 'data-testid': 'eval-reasons' }, ...report.verdict.reasons.map((r) => el('li', {}, r)));
  return [summary, passed ? null : reasons];
}

function renderDetails(report) {
  const b = report.baselines;
  const parts = [
    `${report.source}: ${formatCount(report.rows_evaluated)} of ${plural(report.rows, 'row')} evaluated`,
    TASK_LABELS[report.task] + (report.positive_class !== null ? `, positive class “${report.positive_class}”` : ''),
    `baselines fitted on ${b.fitted_on === 'training' ? `${report.training.source} (${plural(b.fit_rows, 'row')})` : 'the evaluated rows'}`,
    b.resamples > 0
      ? `${percent(b.confidence)} bootstrap intervals from ${formatCount(b.resamples)} resamples, seed ${b.seed}`
      : 'no bootstrap intervals',
  ];
  return el('p', { class: 'summary-details', 'data-testid': 'eval-details' }, parts.join(' · '));
}

function renderBaselines(report) {
  const metric = report.primary_metric;
  const rows = report.baselines.results.map((b) => {
    const c = b.comparison;
    const verdict = b.skipped ? 'skipped' : c?.verdict ?? 'not_compared';
    return el(
      'tr',
      { 'data-baseline': b.name, 'data-verdict': verdict, class: `eval-verdict-${verdict}` },
      el('th', { scope: 'row', 'data-field': 'name', title: b.description }, b.name + (b.expected_value ? ' (expected)' : '')),
      num('value', c?.baseline ?? null),
      num('difference', c?.difference ?? null),
      el('td', { class: 'num', 'data-field': 'interval' }, formatInterval(c?.ci_low ?? null, c?.ci_high ?? null)),
      num('gain', c?.gain ?? null),
      el(
        'td',
        { 'data-field': 'verdict' },
        el('span', { class: `badge eval-badge-${verdict}`, 'data-field': 'verdict-label' }, b.skipped ? 'skipped' : VERDICT_LABELS[verdict]),
        b.skipped ? el('span', { class: 'note' }, b.skipped) : el('span', { class: 'note' }, b.description),
      ),
    );
  });
  const model = el(
    'tr',
    { 'data-baseline': 'model', class: 'eval-model-row' },
    el('th', { scope: 'row', 'data-field': 'name' }, 'the model'),
    num('value', report.metrics[metric]),
    el('td', {}),
    el('td', {}),
    el('td', {}),
    el('td', {}),
  );
  return [
    el('h3', {}, `The model against simple baselines, on ${metric}`),
    table(
      'eval-baselines',
      `The model against simple baselines on ${metric}`,
      ['Baseline', { label: metric, num: true }, { label: 'Difference', num: true }, { label: 'Interval', num: true }, { label: 'Gain', num: true }, 'Verdict'],
      [model, ...rows],
    ),
    el(
      'p',
      { class: 'legend' },
      'Difference: how much better the model is (positive: the model wins). Interval: paired bootstrap of the difference. ',
      'Gain: Deepchecks’ (model − baseline) / (perfect − baseline). “Expected”: the mean over a random guesser’s draws, in closed form.',
    ),
  ];
}

function renderMetrics(report) {
  const baselines = report.baselines.results.filter((b) => !b.skipped);
  const rows = Object.entries(report.metrics).map(([name, value]) =>
    el(
      'tr',
      { 'data-metric': name, class: name === report.primary_metric ? 'eval-primary' : null },
      el('th', { scope: 'row' }, name),
      num('model', value, { 'data-baseline': 'model' }),
      ...baselines.map((b) => num(b.name, b.metrics[name] ?? null, { 'data-baseline': b.name })),
    ),
  );
  return [
    el('h3', {}, 'Every metric'),
    table('eval-metrics', 'Every metric of the model and the baselines', ['Metric', { label: 'Model', num: true }, ...baselines.map((b) => ({ label: b.name, num: true }))], rows),
  ];
}

function renderFindings(report) {
  if (!report.findings.length) return [];
  const items = report.findings.map((f) => {
    const where = [f.source, f.column !== null ? `column “${f.column}”` : null].filter(Boolean).join(', ');
    const rows = f.count > 0 ? ` — ${plural(f.count, 'row')}: ${f.rows.join(', ')}${f.count > f.rows.length ? ', …' : ''}` : '';
    return el(
      'li',
      { 'data-code': f.code, 'data-severity': f.severity, class: `eval-finding eval-finding-${f.severity}` },
      el('span', { class: 'badge' }, f.severity),
      ` ${f.code} (${where})${rows}: ${f.message}`,
    );
  });
  return [el('h3', {}, 'Findings'), el('ul', { class: 'eval-findings', 'data-testid': 'eval-findings' }, ...items)];
}

function renderSlices(report) {
  if (!report.slices.length) return [];
  const metric = report.primary_metric;
  const secondary = report.task === 'regression' ? 'mae' : 'accuracy';
  const showSecondary = secondary !== metric;
  const rows = [];
  for (const s of report.slices) {
    for (const g of s.groups) {
      rows.push(
        el(
          'tr',
          { 'data-column': s.column, 'data-slice': g.value, 'data-weak': String(g.weak), class: g.weak ? 'eval-weak' : null },
          el('th', { scope: 'row' }, s.column),
          el('td', { 'data-field': 'slice' }, g.value),
          num('rows', g.rows),
          num('metric', g.metrics[metric] ?? null),
          showSecondary ? num('secondary', g.metrics[secondary] ?? null) : null,
          num('shortfall', g.shortfall),
          el('td', { 'data-field': 'flag' }, g.weak ? el('span', { class: 'badge badge-drifted' }, 'weak') : ''),
        ),
      );
    }
  }
  const weak = report.weak_slices.length
    ? `${plural(report.weak_slices.length, 'slice')} ${report.weak_slices.length === 1 ? 'is' : 'are'} at least ${percent(report.options.slice_gap)} worse than overall (${formatNumber(report.metrics[metric])}) on ${metric}, with at least ${report.options.min_slice_rows} rows.`
    : `No slice with at least ${report.options.min_slice_rows} rows is ${percent(report.options.slice_gap)} worse than overall on ${metric}.`;
  return [
    el('h3', {}, 'Slices'),
    el('p', { class: 'summary-details', 'data-testid': 'eval-slices-summary' }, weak),
    table(
      'eval-slices',
      'Metrics per slice',
      ['Column', 'Slice', { label: 'Rows', num: true }, { label: metric, num: true }, ...(showSecondary ? [{ label: secondary, num: true }] : []), { label: 'Shortfall', num: true }, ''],
      rows,
    ),
  ];
}

function renderFairness(report) {
  const f = report.fairness;
  if (!f) return [];
  const metric = report.primary_metric;
  const summary = f.note
    ? el('p', { class: 'summary-details', 'data-testid': 'eval-fairness-summary' }, f.note)
    : el(
        'p',
        { class: 'summary-details', 'data-testid': 'eval-fairness-summary' },
        ...[
          ['demographic_parity_difference', 'Demographic parity difference'],
          ['demographic_parity_ratio', 'ratio'],
          ['equal_opportunity_difference', 'equal opportunity difference'],
          ['equalized_odds_difference', 'equalized odds difference'],
        ].flatMap(([key, label], i) => {
          const span = el('span', { 'data-field': key }, formatNumber(f[key]));
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
      num('rows', g.rows),
      num('selection_rate', g.selection_rate),
      num('true_positive_rate', g.true_positive_rate),
      num('false_positive_rate', g.false_positive_rate),
      num('metric', g.metrics[metric] ?? null),
    ),
  );
  return [
    el('h3', {}, `Fairness by “${f.column}”`),
    summary,
    table('eval-fairness', `Metrics per group of ${f.column}`, ['Group', { label: 'Rows', num: true }, { label: 'Selection rate', num: true }, { label: 'TPR', num: true }, { label: 'FPR', num: true }, { label: metric, num: true }], rows),
  ];
}

function renderTime(report) {
  const t = report.time;
  if (!t) return [];
  const metric = report.primary_metric;
  const rows = t.periods.map((p) =>
    el(
      'tr',
      { 'data-period': p.period, 'data-used': String(p.used), class: p.period === t.degraded_period ? 'eval-weak' : null },
      el('th', { scope: 'row' }, p.period),
      num('rows', p.rows),
      num('metric', p.metrics[metric] ?? null),
    ),
  );
  return [
    el('h3', {}, `Over time, by ${t.period}${t.automatic ? ' (chosen from the time span)' : ''}`),
    el('p', { class: 'summary-details', 'data-testid': 'eval-time-summary' }, t.suggestion),
    table('eval-time', `${metric} per ${t.period}`, ['Period', { label: 'Rows', num: true }, { label: metric, num: true }], rows),
  ];
}

// ---------------------------------------------------------------- state and wiring

export function setUpEvaluation({ post, onReport = () => {} }) {
  const section = byTestId('evaluation');
  if (!section) return { onMessage() {}, reload() {} };
  const files = {
    predictions: { id: null, status: 'empty', name: null },
    training: { id: null, status: 'empty', name: null },
  };
  let nextId = 1;
  let reportSeq = 0;
  const status = byTestId('eval-status');
  const errorBox = byTestId('eval-error');
  const reportBox = byTestId('eval-report');
  const sensitive = byTestId('eval-sensitive');

  function setState(state, text) {
    section.dataset.state = state;
    status.textContent = text ?? '';
    status.hidden = !text;
    reportBox.hidden = state !== 'ready';
    if (state !== 'error') {
      errorBox.hidden = true;
      errorBox.textContent = '';
    }
  }

  function setZone(role, { status: st, name, progress, info, error, details }) {
    const zone = byTestId(`dropzone-${role}`);
    if (zone) zone.dataset.state = st;
    const nameBox = byTestId(`file-name-${role}`);
    if (nameBox) nameBox.textContent = name ?? '';
    const bar = byTestId(`progress-${role}`);
    if (bar) {
      bar.hidden = !progress;
      if (progress && progress.total > 0) {
        bar.max = progress.total;
        bar.value = progress.bytes;
      }
    }
    const infoBox = byTestId(`info-${role}`);
    if (infoBox) infoBox.textContent = info ?? '';
    const box = byTestId(`error-${role}`);
    if (box) {
      box.textContent = error ?? '';
      box.hidden = !error;
      for (const key of ['code', 'row', 'line', 'column']) {
        const value = details?.[key];
        if (error && value !== null && value !== undefined) box.dataset[key] = String(value);
        else delete box.dataset[key];
      }
    }
  }

  function refresh() {
    const p = files.predictions;
    if (p.status === 'loading' || files.training.status === 'loading') setState('loading', 'Reading…');
    else if (p.status === 'error') setState('waiting', `Fix or replace ${p.name} to see the evaluation.`);
    else if (p.status === 'empty') setState('waiting', 'Choose or drop a predictions CSV: a label column, the model’s prediction and, for a classifier, its score or class probabilities.');
    else setState('loading', 'Evaluating…');
  }

  function load(role, file, reloading = false) {
    if (role === 'predictions' && sensitive.value && !reloading) {
      // The sensitive column belongs to the old file.
      sensitive.value = '';
      post({ type: 'eval:options', options: options() });
    }
    const id = nextId++;
    files[role] = { id, status: 'loading', name: file.name || `${role}.csv`, file };
    setZone(role, { status: 'loading', name: files[role].name, progress: { bytes: 0, total: file.size }, info: `0 B of ${formatBytes(file.size)}` });
    refresh();
    post({ type: 'eval:load', role, id, file });
  }

  function setSensitiveChoices(columns) {
    const keep = sensitive.value;
    sensitive.replaceChildren(el('option', { value: '' }, 'none'), ...columns.map((c) => el('option', { value: c.name }, c.name)));
    sensitive.value = columns.some((c) => c.name === keep) ? keep : '';
    sensitive.disabled = false;
  }

  function options() {
    return sensitive.value ? { sensitive: sensitive.value } : {};
  }

  function render(report) {
    onReport(report);
    reportBox.replaceChildren(
      ...renderVerdict(report),
      renderDetails(report),
      ...renderBaselines(report),
      ...renderFindings(report),
      ...renderMetrics(report),
      ...renderSlices(report),
      ...renderFairness(report),
      ...renderTime(report),
    );
    reportSeq += 1;
    section.dataset.reportSeq = String(reportSeq);
    setState('ready', null);
  }

  function onMessage(msg) {
    if (msg.type === 'eval:report') {
      const p = files.predictions;
      const t = files.training;
      const trainingMatches = t.status === 'loaded' ? msg.ids.training === t.id : msg.ids.training === null;
      if (p.status === 'loaded' && msg.ids.predictions === p.id && trainingMatches) render(msg.report);
      return;
    }
    if (msg.type === 'eval:error' && msg.role === 'report') {
      if (msg.ids?.predictions !== files.predictions.id) return;
      setState('error', null);
      errorBox.textContent = msg.message;
      errorBox.hidden = false;
      if (msg.details?.code) errorBox.dataset.code = msg.details.code;
      return;
    }
    const role = msg.role;
    if (!files[role] || files[role].id !== msg.id) return;
    const f = files[role];
    if (msg.type === 'eval:progress') {
      setZone(role, { status: 'loading', name: f.name, progress: msg, info: `${formatBytes(msg.bytes)} of ${formatBytes(msg.total)} · ${plural(msg.rows, 'row')}` });
    } else if (msg.type === 'eval:loaded') {
      f.status = 'loaded';
      setZone(role, { status: 'loaded', name: f.name, info: `${plural(msg.rows, 'row')} · ${plural(msg.columns.length, 'column')}: ${msg.columns.map((c) => c.name).join(', ')}` });
      if (role === 'predictions') setSensitiveChoices(msg.columns);
      refresh();
    } else if (msg.type === 'eval:error') {
      f.status = 'error';
      setZone(role, { status: 'error', name: f.name, error: msg.message, details: msg.details });
      refresh();
    }
  }

  // Picking and dropping.
  const input = byTestId('file-input-predictions');
  input?.addEventListener('change', () => {
    if (input.files?.[0]) load('predictions', input.files[0]);
    input.value = '';
  });
  const zone = byTestId('dropzone-predictions');
  if (zone) {
    let depth = 0;
    zone.addEventListener('dragenter', (e) => {
      e.preventDefault();
      depth += 1;
      zone.classList.add('dragover');
    });
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    zone.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) zone.classList.remove('dragover');
    });
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      e.stopPropagation(); // not a drift file
      depth = 0;
      zone.classList.remove('dragover');
      const file = [...(e.dataTransfer?.files ?? [])][0];
      if (file) load('predictions', file);
    });
  }
  const training = byTestId('file-input-training');
  training?.addEventListener('change', () => {
    if (training.files?.[0]) load('training', training.files[0]);
    training.value = '';
  });
  byTestId('eval-training-clear')?.addEventListener('click', () => {
    files.training = { id: null, status: 'empty', name: null };
    setZone('training', { status: 'empty' });
    post({ type: 'eval:clear', role: 'training' });
    refresh();
  });
  sensitive?.addEventListener('change', () => {
    if (files.predictions.status === 'loaded') setState('loading', 'Evaluating…');
    post({ type: 'eval:options', options: options() });
  });
  byTestId('eval-sample-button')?.addEventListener('click', async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const base = new URL('sample/', document.baseURI);
      const [predictions, trainingFile] = await Promise.all(
        ['predictions.csv', 'training.csv'].map(async (name) => {
          const response = await fetch(new URL(name, base));
          if (!response.ok) throw new Error(`sample/${name}: HTTP ${response.status}`);
          return new File([await response.blob()], name, { type: 'text/csv' });
        }),
      );
      load('training', trainingFile);
      load('predictions', predictions);
    } catch (e) {
      setState('error', null);
      errorBox.textContent = `Could not load the sample: ${e.message}`;
      errorBox.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  /** Sends the options and the files again to a fresh worker. */
  function reload() {
    post({ type: 'eval:options', options: options() });
    for (const role of ['training', 'predictions']) {
      if (files[role].file && files[role].status !== 'error') load(role, files[role].file, true);
    }
  }

  refresh();
  return { onMessage, reload };
}
