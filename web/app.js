// modelgate's page: file pickers and drop zones, progress, errors, exports.
// All parsing and statistics run in compute-worker.js; this module only talks to it
// and hands the report to web/report/render.js, the renderer the widget and the
// HTML export share. The data-quality section lives in sections/quality.js, the
// model-evaluation section in sections/evaluation.js (its worker messages start
// with "eval:"). Several files dropped at once go through files.js, which guesses
// each one's role and routes it here (route/unroute); drift-settings.js holds the
// drift options. Splits beyond the current data are compared in one table.

import { renderReport as drawReport } from './report/render.js';
import { setUpEvaluation } from './sections/evaluation.js';
import { initQuality } from './sections/quality.js';
import { initRubric, rubricReportForExport, setRubricDriftReport, setRubricSection } from './sections/rubric.js';
import { initFiles } from './files.js';
import { initDriftSettings } from './drift-settings.js';
import { $, byTestId, el, formatBytes, formatCount, plural, progressDrawers } from './dom.js';

const ROLES = ['reference', 'current'];
const LABELS = { reference: 'reference', current: 'current' };




// ---------------------------------------------------------------- state

/** Per role: { id, status: 'empty'|'loading'|'loaded'|'error', name } */
const files = Object.fromEntries(ROLES.map((role) => [role, { id: null, status: 'empty', name: null, file: null }]));
/** A zone's progress, drawn at most every 200 ms (see `throttle`). */
const showProgress = progressDrawers(files, (role, f, msg) =>
  setZone(role, { status: 'loading', name: f.name, progress: msg, info: progressText(f, msg) }),
);
let nextId = 1;
let reportShown = 0;
let worker = null;
let fatal = false;
let evaluation = null;
let quality = null;
let filesPanel = null;
let driftSettings = null;
/** Splits beyond the current data, by key: { file, id } */
const splits = new Map();
/** The last MultiDriftReport (with splits), and which of its reports is on screen. */
let comparison = null;
let shownComparison = null;
let lastReport = null;

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
  lastReport = report;
  shownComparison = null;
  drawReport(byTestId('report'), report);
  performance.mark('modelgate:report');
  renderComparison();
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
  profile: { ext: 'profile.json', type: 'application/json' },
};

/**
 * Asks the worker for the report of every section on screen: it adds the drift
 * section (from the datasets it holds) to the quality, evaluation and rubric
 * reports sent here, and the core writes them out without raw values.
 */
function requestExport(format) {
  const sections = { quality: quality?.report(), evaluation: evaluation?.report(), rubric: rubricReportForExport() };
  for (const key of Object.keys(sections)) if (!sections[key]) delete sections[key];
  const drift = ROLES.every((r) => files[r].status === 'loaded');
  if (!worker || (!drift && !Object.keys(sections).length)) return;
  worker.postMessage({ type: 'export', format, sections });
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
    // An evaluation alone can be exported too.
    if (evaluation?.report()) byTestId('exports').hidden = false;
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
    const base = msg.format === 'profile' ? (files.reference.name ?? 'reference').replace(/\.[^.]*$/, '') : 'modelgate-report';
    download(msg.text, `${base}.${ext}`, type);
    return;
  }
  if (['quality', 'quality-error', 'contract', 'contract-error'].includes(msg.type)) {
    quality?.onMessage(msg);
    if (msg.type === 'quality') setRubricSection('quality', msg.report);
    return;
  }
  if (msg.type === 'roles') {
    filesPanel?.onRoles(msg);
    return;
  }
  if (msg.type === 'comparison') {
    comparison = msg.report;
    renderComparison();
    return;
  }
  if (typeof msg.role === 'string' && msg.role.startsWith('split:')) {
    filesPanel?.onSplit(msg);
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
    showProgress[role](f, msg);
    return;
  }
  showProgress[role].cancel();
  if (msg.type === 'loaded') {
    f.status = 'loaded';
    performance.mark(`modelgate:loaded:${role}`); // read by scripts/bench-page.mjs
    if (role === 'reference') driftSettings?.setColumns(msg.columns);
    filesPanel?.setStatus(f.file, `${formatCount(msg.rows)} rows`);
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
  driftSettings?.resend();
  const box = byTestId('error-report');
  box.textContent = `The compute engine stopped unexpectedly (${message}); it was restarted and your files are being read again.`;
  box.hidden = false;
  for (const role of ROLES) {
    if (files[role].file && files[role].status !== 'error') loadFile(role, files[role].file);
  }
  for (const [key, split] of splits) loadSplit(key, split.file);
  evaluation?.reload();
}

function cancelLoad(role) {
  const f = files[role];
  if (f.status !== 'loading' || !worker) return;
  worker.postMessage({ type: 'cancel', role, id: f.id });
  showProgress[role].cancel();
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

function loadSplit(key, file) {
  if (fatal || !worker) return;
  const id = nextId++;
  splits.set(key, { file, id });
  worker.postMessage({ type: 'load', role: `split:${key}`, id, file });
}

/** Hands a file to a section's own file input, as if the user had picked it there. */
function pickInto(testid, file) {
  const input = byTestId(testid);
  if (!input) return;
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Feeds a file whose role was guessed or chosen in the file list to its part of the page. */
function route(entry) {
  const { file, role, key } = entry;
  if (role === 'reference' || role === 'profile') loadFile('reference', file);
  else if (role === 'current') loadFile('current', file);
  else if (role === 'split') loadSplit(key, file);
  else if (role === 'predictions') pickInto('file-input-predictions', file);
  else if (role === 'training') pickInto('file-input-training', file);
  else if (role === 'contract') pickInto('contract-input', file);
  else if (role === 'answers') pickInto('rubric-file-input', file);
  else if (role === 'report') showSavedReport(file);
}

/** Takes a role back from a file: its zone empties, its split leaves the comparison. */
function unroute(entry) {
  const { file, role, key } = entry;
  const zoneRole = role === 'profile' ? 'reference' : role;
  if (ROLES.includes(zoneRole) && files[zoneRole].file === file) {
    if (files[zoneRole].status === 'loading') cancelLoad(zoneRole);
    files[zoneRole] = { id: null, status: 'empty', name: null, file: null };
    setZone(zoneRole, { status: 'empty', name: null });
    refreshResultsStatus();
  } else if (role === 'split' && splits.has(key)) {
    splits.delete(key);
    worker?.postMessage({ type: 'drop-split', role: `split:${key}` });
  } else if (role === 'training') {
    byTestId('eval-training-clear')?.click();
  } else if (role === 'contract') {
    byTestId('contract-reset')?.click();
  }
}

/** A saved report (report.json) dropped with the rest: drawn as it is, nothing recomputed. */
async function showSavedReport(file) {
  try {
    const report = JSON.parse(await file.text());
    drawReport(byTestId('report'), report);
    setResults('ready', `Showing the saved report ${file.name}.`);
    byTestId('exports').hidden = true;
  } catch (e) {
    setResults('error', null);
    const box = byTestId('error-report');
    box.textContent = `${file.name}: not a modelgate report (${e.message})`;
    box.hidden = false;
  }
}

/**
 * With splits loaded: one row per dataset compared with the reference (the current
 * data first), and a button that shows that dataset's drift report in its place.
 */
function renderComparison() {
  const box = byTestId('comparison');
  const splitReports = comparison?.comparisons ?? [];
  box.hidden = splitReports.length === 0;
  if (!splitReports.length) return;
  // The current data's row is the report already drawn; the worker compares only the splits.
  const reports = lastReport ? [lastReport, ...splitReports] : splitReports;
  const rows = reports.map((r, i) => {
    const shown = shownComparison === i || (shownComparison === null && r === lastReport);
    const button = el('button', { type: 'button', class: 'button secondary small', 'data-testid': 'comparison-show', text: shown ? 'Shown' : 'Show', disabled: shown });
    button.addEventListener('click', () => {
      shownComparison = i;
      drawReport(byTestId('report'), r);
      renderComparison();
    });
    return el(
      'tr',
      { 'data-testid': 'comparison-row', 'data-dataset': r.current.source, 'data-drift': String(r.dataset_drift) },
      el('th', { scope: 'row', text: r.name ?? r.current.source }),
      el('td', { class: 'num', 'data-field': 'rows', text: formatCount(r.current.rows) }),
      el('td', { class: 'num', 'data-field': 'drifted', text: `${r.drifted_columns} of ${r.tested_columns}` }),
      el('td', { class: 'num', 'data-field': 'share', text: `${Math.round(r.share_drifted * 1000) / 10}%` }),
      el('td', { 'data-field': 'verdict', text: r.dataset_drift ? 'drift' : 'no drift' }),
      el('td', {}, button),
    );
  });
  const table = el(
    'table',
    { 'data-testid': 'comparison-table' },
    el('caption', { text: `Every dataset against the reference ${comparison.reference.source} (${formatCount(comparison.reference.rows)} rows)` }),
    el('thead', {}, el('tr', {}, ...['Dataset', 'Rows', 'Drifted columns', 'Share', 'Verdict', ''].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...rows),
  );
  box.replaceChildren(table);
}

/**
 * Files picked or dropped on a zone: one file goes to that zone; several go to the
 * file list, whose role guess (core::roles, the same for any number of files) sorts
 * them by name and columns.
 */
function assignFiles(fileList, target) {
  performance.mark('modelgate:chosen'); // read by scripts/bench-page.mjs
  const list = [...fileList].filter((f) => f instanceof File);
  if (list.length === 1) loadFile(target, list[0]);
  else if (list.length > 1) filesPanel.add(list);
}

function setUpZone(role) {
  // A zone still takes its own file; several files dropped on it are sorted by the file list.
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
  filesPanel = initFiles({ post: (msg) => worker?.postMessage(msg), route, unroute });
  driftSettings = initDriftSettings({ post: (msg) => worker?.postMessage(msg) });
  // Files dropped anywhere else, or picked with "Choose several files": their roles are guessed.
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    filesPanel.add(e.dataTransfer?.files ?? []);
  });
  const many = byTestId('file-input-many');
  many.addEventListener('change', () => {
    filesPanel.add(many.files);
    many.value = '';
  });
  byTestId('sample-button').addEventListener('click', runSample);
  for (const button of document.querySelectorAll('[data-export]')) {
    button.addEventListener('click', () => requestExport(button.dataset.export));
  }
  refreshResultsStatus();
  if (new URLSearchParams(location.search).has('sample')) runSample();
}

main();
