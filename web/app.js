// modelgate's page: file pickers and drop zones, progress, errors, exports.
// All parsing and statistics run in compute-worker.js; this module only talks to it
// and hands the report to web/report/render.js, the renderer the widget and the
// HTML export share. The data-quality section lives in sections/quality.js, the
// model-evaluation section in sections/evaluation.js (its worker messages start
// with "eval:").

import { renderReport as drawReport } from './report/render.js';
import { setUpEvaluation } from './sections/evaluation.js';
import { initQuality } from './sections/quality.js';
import { initRubric, setRubricDriftReport, setRubricSection } from './sections/rubric.js';

const ROLES = ['reference', 'current'];
const LABELS = { reference: 'reference', current: 'current' };
const $ = (selector, root = document) => root.querySelector(selector);
const byTestId = (id) => $(`[data-testid="${id}"]`);

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
const files = Object.fromEntries(ROLES.map((role) => [role, { id: null, status: 'empty', name: null, file: null }]));
let nextId = 1;
let reportShown = 0;
let worker = null;
let fatal = false;
let evaluation = null;
let quality = null;

// ---------------------------------------------------------------- rendering

function zone(role) {
  return byTestId(`dropzone-${role}`);
}

function setZone(role, { status, name, progress, info, error }) {
  const z = zone(role);
  z.dataset.state = status;
  byTestId(`file-name-${role}`).textContent = name ?? '';
  const bar = byTestId(`progress-${role}`);
  byTestId(`cancel-${role}`).hidden = status !== 'loading';
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
  byTestId('exports').hidden = state !== 'ready';
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
    quality?.computing();
    return;
  }
  quality?.waiting('The findings appear once both files are loaded.');
}

function renderReport(report) {
  drawReport(byTestId('report'), report);
  setRubricDriftReport(report);
  byTestId('exports').hidden = false;
  reportShown += 1;
  byTestId('results').dataset.reportSeq = String(reportShown);
  setResults('ready', null);
}

/** Saves text as a download; nothing leaves the machine. */
function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const EXPORTS = {
  html: { ext: 'html', type: 'text/html' },
  json: { ext: 'json', type: 'application/json' },
  markdown: { ext: 'md', type: 'text/markdown' },
};

function requestExport(format) {
  if (!worker || !ROLES.every((r) => files[r].status === 'loaded')) return;
  worker.postMessage({ type: 'export', format });
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
    initRubric(byTestId('rubric'), msg.module);
    return;
  }
  if (msg.type === 'fatal') {
    showFatal(msg.message);
    initRubric(byTestId('rubric'));
    return;
  }
  if (msg.type === 'crashed') {
    restartWorker(msg.message);
    return;
  }
  if (msg.type === 'export') {
    const { ext, type } = EXPORTS[msg.format];
    download(msg.text, `modelgate-report.${ext}`, type);
    return;
  }
  if (['quality', 'quality-error', 'contract', 'contract-error'].includes(msg.type)) {
    quality?.onMessage(msg);
    if (msg.type === 'quality') setRubricSection('quality', msg.report);
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
    setZone(role, { status: 'loading', name: f.name, progress: msg, info: progressText(f, msg) });
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

/** "12.0 MiB of 1.0 GiB · 150,000 rows · about 40 s left", the time from the rate so far. */
function progressText(file, { bytes, total, rows }) {
  const parts = [`${formatBytes(bytes)} of ${formatBytes(total)}`, plural(rows, 'row')];
  const elapsed = (performance.now() - file.started) / 1000;
  if (bytes > 0 && bytes < total && elapsed > 0.5) {
    const left = Math.ceil((elapsed * (total - bytes)) / bytes);
    parts.push(left < 90 ? `about ${left} s left` : `about ${Math.round(left / 60)} min left`);
  }
  return parts.join(' · ');
}

/**
 * The wasm module trapped (a bug, never bad input): start a fresh worker and
 * reload the files the page still holds, so nothing the user gave is lost.
 */
function restartWorker(message) {
  worker?.terminate();
  worker = null;
  startWorker();
  quality?.resend();
  const box = byTestId('error-report');
  box.textContent = `The compute engine stopped unexpectedly (${message}); it was restarted and your files are being read again.`;
  box.hidden = false;
  for (const role of ROLES) {
    if (files[role].file && files[role].status !== 'error') loadFile(role, files[role].file);
  }
  evaluation?.reload();
}

function cancelLoad(role) {
  const f = files[role];
  if (f.status !== 'loading' || !worker) return;
  worker.postMessage({ type: 'cancel', role, id: f.id });
  files[role] = { id: null, status: 'empty', name: null, file: null };
  setZone(role, { status: 'empty', name: f.name, info: 'Cancelled.' });
  refreshResultsStatus();
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
  files[role] = { id, status: 'loading', name: file.name || `${role}.csv`, file, started: performance.now() };
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
  byTestId(`cancel-${role}`).addEventListener('click', () => cancelLoad(role));
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
  evaluation = setUpEvaluation({
    post: (msg) => !fatal && worker?.postMessage(msg),
    onReport: (report) => setRubricSection('evaluation', report),
  });
  quality = initQuality({
    post: (msg) => worker?.postMessage(msg),
    currentIds: () => ({ reference: files.reference.id, current: files.current.id }),
  });
  for (const role of ROLES) setUpZone(role);
  // A drop that misses the zones must not navigate away from the page.
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    assignFiles(e.dataTransfer?.files ?? [], null);
  });
  byTestId('sample-button').addEventListener('click', runSample);
  for (const button of document.querySelectorAll('[data-export]')) {
    button.addEventListener('click', () => requestExport(button.dataset.export));
  }
  refreshResultsStatus();
  if (new URLSearchParams(location.search).has('sample')) runSample();
}

main();
