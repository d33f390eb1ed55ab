// modelgate's page: file pickers and drop zones, progress, errors and the drift table.
// All parsing and statistics run in compute-worker.js; this module only talks to it
// and renders what it sends back. The model-evaluation section lives in
// sections/evaluation.js; its worker messages start with "eval:".

import { setUpEvaluation } from './sections/evaluation.js';

const ROLES = ['reference', 'current'];
const LABELS = { reference: 'reference', current: 'current' };
const METHOD_LABELS = { ks: 'KS', chi2: 'χ²', psi: 'PSI' };
const METHOD_TITLES = {
  ks: 'two-sample Kolmogorov–Smirnov test',
  chi2: 'chi-square test of homogeneity',
  psi: 'Population Stability Index',
};
const VERDICTS = {
  missing_in_current: 'missing',
  new_in_current: 'new',
  skipped: 'skipped',
};

const $ = (selector, root = document) => root.querySelector(selector);
const byTestId = (id) => $(`[data-testid="${id}"]`);

/**
 * A number to 4 significant digits, trailing zeros dropped; scientific notation
 * below 1e-4 (tiny p-values) and from 1e6 up. null -> an em dash.
 */
function formatNumber(x) {
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

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

const formatCount = (n) => Number(n).toLocaleString('en-US');
const plural = (n, word) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// ---------------------------------------------------------------- state

/** Per role: { id, status: 'empty'|'loading'|'loaded'|'error', name } */
const files = Object.fromEntries(ROLES.map((role) => [role, { id: null, status: 'empty', name: null }]));
let nextId = 1;
let reportShown = 0;
let worker = null;
let fatal = false;
let evaluation = null;

// ---------------------------------------------------------------- rendering

function zone(role) {
  return byTestId(`dropzone-${role}`);
}

function setZone(role, { status, name, progress, info, error }) {
  const z = zone(role);
  z.dataset.state = status;
  byTestId(`file-name-${role}`).textContent = name ?? '';
  const bar = byTestId(`progress-${role}`);
  if (progress) {
    bar.hidden = false;
    if (progress.total > 0) {
      bar.max = progress.total;
      bar.value = progress.bytes;
    } else {
      bar.removeAttribute('value'); // indeterminate
    }
  } else {
    bar.hidden = true;
  }
  byTestId(`info-${role}`).textContent = info ?? '';
  const box = byTestId(`error-${role}`);
  box.textContent = error ?? '';
  box.hidden = !error;
  if (!error) setErrorDetails(box, null);
}

/** Mirrors an ingest error's details (code, row, line, column) as data- attributes. */
function setErrorDetails(box, details) {
  for (const key of ['code', 'row', 'line', 'column']) {
    const value = details?.[key];
    if (value !== null && value !== undefined) box.dataset[key] = String(value);
    else delete box.dataset[key];
  }
}

function setResults(state, status) {
  const results = byTestId('results');
  results.dataset.state = state;
  const line = byTestId('status');
  line.textContent = status ?? '';
  line.hidden = !status;
  byTestId('report').hidden = state !== 'ready';
  if (state !== 'error') {
    const box = byTestId('error-report');
    box.hidden = true;
    box.textContent = '';
  }
}

function refreshResultsStatus() {
  if (fatal) return;
  const loading = ROLES.filter((r) => files[r].status === 'loading');
  const failed = ROLES.filter((r) => files[r].status === 'error');
  const missing = ROLES.filter((r) => files[r].status === 'empty');
  if (loading.length) {
    setResults('loading', `Reading ${loading.map((r) => files[r].name).join(' and ')}…`);
  } else if (failed.length) {
    setResults('waiting', `Fix or replace ${failed.map((r) => files[r].name).join(' and ')} to see the drift report.`);
  } else if (missing.length) {
    setResults('waiting', `Choose or drop ${missing.map((r) => `a ${LABELS[r]} CSV`).join(' and ')} file.`);
  } else if (ROLES.every((r) => files[r].status === 'loaded')) {
    setResults('loading', 'Comparing…');
  }
}

function typeText(column) {
  const { column_type: ref, current_type: cur } = column;
  return cur && cur !== ref ? `${ref} → ${cur}` : ref;
}

function verdictOf(column) {
  if (column.status === 'tested') return column.drifted ? 'drifted' : 'ok';
  return VERDICTS[column.status] ?? column.status;
}

function numberCell(field, value, title) {
  const cell = el('td', { class: 'num', 'data-field': field, title }, formatNumber(value));
  if (typeof value === 'number') cell.dataset.value = String(value);
  return cell;
}

function metricsTitle(column) {
  const names = Object.keys(column.metrics ?? {});
  if (!names.length) return null;
  return names.map((k) => `${k} = ${formatNumber(column.metrics[k])}`).join('\n');
}

function renderReport(report) {
  const tbody = $('tbody', byTestId('results-table'));
  tbody.replaceChildren();
  for (const column of report.columns) {
    const verdict = verdictOf(column);
    const method = column.method;
    const row = el(
      'tr',
      {
        'data-testid': 'result-row',
        'data-column': column.column,
        'data-verdict': verdict,
        class: `verdict-${verdict}`,
      },
      el('th', { scope: 'row', 'data-field': 'column' }, column.column),
      el('td', { 'data-field': 'type' }, typeText(column)),
      el('td', { 'data-field': 'method', title: method ? METHOD_TITLES[method] : null }, method ? METHOD_LABELS[method] ?? method : '—'),
      numberCell('statistic', column.statistic, metricsTitle(column)),
      numberCell('p_value', column.p_value),
      numberCell('threshold', column.threshold),
      el(
        'td',
        { 'data-field': 'verdict', title: column.note },
        el('span', { class: `badge badge-${verdict}`, 'data-field': 'verdict-label' }, verdict),
        column.note ? el('span', { class: 'note', 'data-field': 'note' }, column.note) : null,
      ),
    );
    tbody.append(row);
  }

  const { tested_columns: tested, drifted_columns: drifted } = report;
  const summary = byTestId('summary');
  summary.dataset.datasetDrift = String(report.dataset_drift);
  summary.className = `summary ${report.dataset_drift ? 'summary-drift' : 'summary-ok'}`;
  summary.textContent =
    tested === 0
      ? `No column could be tested — dataset drift: no`
      : `${drifted} of ${tested} tested column${tested === 1 ? '' : 's'} drifted — dataset drift: ${report.dataset_drift ? 'yes' : 'no'}`;

  const counts = {};
  for (const c of report.columns) counts[verdictOf(c)] = (counts[verdictOf(c)] ?? 0) + 1;
  const extra = ['skipped', 'missing', 'new'].filter((v) => counts[v]).map((v) => `${plural(counts[v], 'column')} ${v}`);
  const { reference: r, current: c, options } = report;
  byTestId('summary-details').textContent = [
    `${r.source}: ${plural(r.rows, 'row')}, ${plural(r.columns, 'column')}`,
    `${c.source}: ${plural(c.rows, 'row')}, ${plural(c.columns, 'column')}`,
    extra.length ? extra.join(', ') : null,
    `the dataset drifts when at least ${formatNumber(options.drift_share * 100)}% of the tested columns drift`,
  ]
    .filter(Boolean)
    .join(' · ');

  reportShown += 1;
  byTestId('results').dataset.reportSeq = String(reportShown);
  setResults('ready', null);
}

// ---------------------------------------------------------------- worker

function showFatal(message) {
  fatal = true;
  const box = byTestId('fatal-error');
  box.textContent = message;
  box.hidden = false;
  setResults('error', null);
}

function onWorkerMessage(msg) {
  if (typeof msg.type === 'string' && msg.type.startsWith('eval:')) {
    evaluation?.onMessage(msg);
    return;
  }
  if (msg.type === 'ready') {
    byTestId('version').textContent = msg.version;
    return;
  }
  if (msg.type === 'fatal') {
    showFatal(msg.message);
    return;
  }
  if (msg.type === 'report') {
    if (ROLES.every((r) => files[r].status === 'loaded' && files[r].id === msg.ids[r])) renderReport(msg.report);
    return;
  }
  if (msg.type === 'error' && msg.role === 'report') {
    if (ROLES.every((r) => files[r].id === msg.ids?.[r])) {
      setResults('error', null);
      const box = byTestId('error-report');
      box.textContent = msg.message;
      box.hidden = false;
    }
    return;
  }
  const role = msg.role;
  if (!ROLES.includes(role) || files[role].id !== msg.id) return; // a replaced file
  const f = files[role];
  if (msg.type === 'progress') {
    const info = `${formatBytes(msg.bytes)} of ${formatBytes(msg.total)} · ${plural(msg.rows, 'row')}`;
    setZone(role, { status: 'loading', name: f.name, progress: msg, info });
  } else if (msg.type === 'loaded') {
    f.status = 'loaded';
    const columns = msg.columns.map((c) => `${c.name} (${c.type})`).join(', ');
    setZone(role, {
      status: 'loaded',
      name: f.name,
      info: `${plural(msg.rows, 'row')} · ${plural(msg.columns.length, 'column')} · ${formatBytes(msg.bytes)}: ${columns}`,
    });
    refreshResultsStatus();
  } else if (msg.type === 'error') {
    f.status = 'error';
    setZone(role, { status: 'error', name: f.name, error: msg.message });
    setErrorDetails(byTestId(`error-${role}`), msg.details);
    refreshResultsStatus();
  }
}

function startWorker() {
  try {
    worker = new Worker(new URL('./compute-worker.js', import.meta.url), { type: 'module', name: 'modelgate-compute' });
  } catch (e) {
    showFatal(`This browser cannot start the compute worker (${e.message}).`);
    return;
  }
  worker.onmessage = (event) => onWorkerMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault?.();
    showFatal(`The compute worker failed: ${event.message || 'it could not be started'}.`);
  };
}

// ---------------------------------------------------------------- input

function loadFile(role, file) {
  if (fatal || !worker) return;
  const id = nextId++;
  files[role] = { id, status: 'loading', name: file.name || `${role}.csv` };
  setZone(role, {
    status: 'loading',
    name: files[role].name,
    progress: { bytes: 0, total: file.size },
    info: `0 B of ${formatBytes(file.size)}`,
  });
  refreshResultsStatus();
  worker.postMessage({ type: 'load', role, id, file });
}

const looksLikeReference = (file) => /ref|train|baseline/i.test(file.name);

/**
 * Files picked or dropped together. One file goes to `target` (or, dropped outside
 * a zone, to the role its name suggests); two files go to reference and current,
 * by name when one of them looks like a reference (ref/train/baseline), otherwise
 * in the order given.
 */
function assignFiles(fileList, target) {
  const list = [...fileList].filter((f) => f instanceof File);
  if (!list.length) return;
  if (list.length === 1) {
    const [file] = list;
    let role = target;
    if (!role) role = looksLikeReference(file) || files.reference.status === 'empty' ? 'reference' : 'current';
    loadFile(role, file);
    return;
  }
  let [first, second] = list;
  if (looksLikeReference(second) && !looksLikeReference(first)) [first, second] = [second, first];
  loadFile('reference', first);
  loadFile('current', second);
}

function setUpZone(role) {
  const z = zone(role);
  const input = byTestId(`file-input-${role}`);
  input.addEventListener('change', () => {
    assignFiles(input.files, role);
    input.value = ''; // so picking the same file again reloads it
  });
  let depth = 0;
  z.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth += 1;
    z.classList.add('dragover');
  });
  z.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  z.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) z.classList.remove('dragover');
  });
  z.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    depth = 0;
    z.classList.remove('dragover');
    assignFiles(e.dataTransfer?.files ?? [], role);
  });
}

async function runSample() {
  const button = byTestId('sample-button');
  button.disabled = true;
  try {
    const base = new URL('sample/', document.baseURI);
    const fetched = await Promise.all(
      ['reference.csv', 'current.csv'].map(async (name) => {
        const response = await fetch(new URL(name, base));
        if (!response.ok) throw new Error(`sample/${name}: HTTP ${response.status}`);
        return new File([await response.blob()], name, { type: 'text/csv' });
      }),
    );
    loadFile('reference', fetched[0]);
    loadFile('current', fetched[1]);
  } catch (e) {
    setResults('error', null);
    const box = byTestId('error-report');
    box.textContent = `Could not load the sample: ${e.message}`;
    box.hidden = false;
  } finally {
    button.disabled = false;
  }
}

function main() {
  startWorker();
  evaluation = setUpEvaluation({ post: (msg) => !fatal && worker?.postMessage(msg) });
  for (const role of ROLES) setUpZone(role);
  // A drop that misses the zones must not navigate away from the page.
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    assignFiles(e.dataTransfer?.files ?? [], null);
  });
  byTestId('sample-button').addEventListener('click', runSample);
  refreshResultsStatus();
  if (new URLSearchParams(location.search).has('sample')) runSample();
}

main();
