// The page's compute worker (a module worker): owns the WebAssembly module, parses
// the CSV files and computes the drift report, so the page never freezes.
//
// Page -> worker:
//   { type: 'load', role: 'reference' | 'current' | 'split:<key>', id, file: File }
//                                                      a reference may be a saved profile (JSON)
//   { type: 'drop-split', role: 'split:<key>' }        forget that split
//   { type: 'cancel', role, id }                       abandon that load
//   { type: 'options', options }                       drift options (Partial<DriftOptions>) for every report
//   { type: 'roles', seq, files: File[] }              guess each file's role from its name and head
//   { type: 'export', format: 'html' | 'json' | 'markdown' | 'profile', sections }   sections: the page's { quality, evaluation, rubric } reports; the drift is added here
// Worker -> page:
//   { type: 'ready', version, module }                module: the compiled WebAssembly.Module
//   { type: 'fatal', message }                         the wasm module could not load
//   { type: 'progress', role, id, name, bytes, total, rows }
//   { type: 'loaded', role, id, name, bytes, rows, columns: [{ name, type }] }
//   { type: 'error', role, id, name, message, details } details: { code, source, row, line, column } or null
//   { type: 'report', ids: { reference, current }, report }
//   { type: 'comparison', report }                     MultiDriftReport: every split against the
//                                                      reference (null without splits; the current
//                                                      data is the 'report' message)
//   { type: 'roles', seq, guesses: RoleGuess[] }
//   { type: 'export', format, text }                   answer to { type: 'export', format }
//   { type: 'crashed', message }                       the wasm trapped; the page starts a new worker
//   { type: 'error', role: 'report', message, details: null }
//   quality messages: see web/sections/quality.js
// Page -> worker, for the quality section:
//   { type: 'contract', name, text }      check against this contract file (text null: the inferred one)
//
// The reference is read here; every other CSV is read by a reader (reader-worker.js)
// on another core at the same time, which hands back the profile in parts
// (Dataset.toHandOver: a JSON head and each column's values as Float64Arrays).
//
// A new 'load' for a role replaces that role's dataset (and abandons a load of the
// same role still running); the other role's dataset is kept. After each drift
// report, the current file is read a second time through CsvIngest.withContract,
// so every row is checked against the contract for the quality findings.
//
// Messages whose type starts with "eval:" belong to the model-evaluation section
// and are handled by sections/evaluation-worker.js.

import { handleEvaluation } from './sections/evaluation-worker.js';
import { pushFile } from './slices.js';

let wasm = null;
let compiled = null; // the WebAssembly.Module, for the readers (reader-worker.js)
const ready = (async () => {
  const mod = await import('./pkg/modelgate_wasm.js');
  // Compiled here once and handed to the page with 'ready', so the page's own small
  // instance (the rubric questionnaire) needs no second download or compile.
  const url = new URL('./pkg/modelgate_wasm_bg.wasm', import.meta.url);
  const module = await WebAssembly.compileStreaming(fetch(url)).catch(async () =>
    WebAssembly.compile(await (await fetch(url)).arrayBuffer()),
  );
  await mod.default({ module_or_path: module });
  wasm = mod;
  compiled = module;
  self.postMessage({ type: 'ready', version: mod.version(), module });
  spareReader = startReader();
})();
ready.catch((e) => {
  self.postMessage({
    type: 'fatal',
    message: `The WebAssembly module could not be loaded (${e?.message ?? e}). Was web/pkg built with scripts/build-wasm.sh?`,
  });
});

/** The dataset handle, load id and File per role ('split:<key>' roles too). */
const datasets = { reference: null, current: null };
const loadIds = { reference: null, current: null };
const sources = { reference: null, current: null };
/** Drift options chosen on the page; undefined: the defaults. */
let driftOptions;
const HEAD_BYTES = 64 * 1024;
const isRole = (role) => role === 'reference' || role === 'current' || /^split:[\w-]+$/.test(role ?? '');
const splitRoles = () => Object.keys(datasets).filter((r) => r.startsWith('split:'));
/** The contract inferred from the reference (built on demand), and one picked by the user. */
let inferred = null;
let picked = null; // { name, contract }
let qualityRun = 0;
let qualityPending = null; // the running quality check, which an export waits for
let lastQuality = null; // { ids, report }: the quality report of the loaded pair
let lastDrift = null; // { ids, report }: the drift report of the loaded pair, with the options in force

self.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type === 'load' && isRole(msg.role)) {
    load(msg.role, msg.id, msg.file);
  } else if (msg?.type === 'drop-split' && isRole(msg.role) && msg.role.startsWith('split:')) {
    loadIds[msg.role] = null;
    dropDataset(msg.role);
    delete datasets[msg.role];
    delete loadIds[msg.role];
    delete sources[msg.role];
    if (wasm && datasets.reference) comparison();
  } else if (msg?.type === 'options') {
    driftOptions = msg.options ?? undefined;
    report({ withQuality: false });
  } else if (msg?.type === 'roles') {
    guessRoles(msg.seq, msg.files);
  } else if (msg?.type === 'contract') {
    setContract(msg.name, msg.text);
  } else if (msg?.type === 'cancel' && loadIds[msg.role] === msg.id) {
    loadIds[msg.role] = null; // the running load sees it is stale at its next slice
    dropDataset(msg.role);
  } else if (msg?.type === 'export') {
    exportReport(msg.format, msg.sections ?? {});
  } else if (typeof msg?.type === 'string' && msg.type.startsWith('eval:')) {
    handleEvaluation(msg, { ready, wasm: () => wasm, post, crashed });
  }
};

function freeHandle(handle) {
  try {
    handle?.free();
  } catch {
    // already freed
  }
}

async function setContract(name, text) {
  try {
    await ready;
  } catch {
    return;
  }
  if (!wasm) return; // it crashed; the page sends the contract again to the new worker
  if (text === null || text === undefined) {
    if (picked) freeHandle(picked.contract);
    picked = null;
  } else {
    let contract;
    try {
      contract = wasm.Contract.fromJson(text);
    } catch (e) {
      if (crashed(e)) return;
      post({ type: 'contract-error', name, message: e?.message ?? String(e) });
      return;
    }
    if (picked) freeHandle(picked.contract);
    picked = { name, contract };
  }
  quality();
}

function post(msg) {
  self.postMessage(msg);
}

/** Copies error details into a plain object that survives postMessage. */
function plainDetails(details) {
  if (!details || typeof details !== 'object') return null;
  const { code = null, source = null, row = null, line = null, column = null } = details;
  return { code, source, row, line, column };
}

function dropDataset(role) {
  const ds = datasets[role];
  datasets[role] = null;
  freeHandle(ds);
  if (role === 'reference') {
    freeHandle(inferred);
    inferred = null;
  }
}

async function load(role, id, file) {
  loadIds[role] = id;
  sources[role] = file;
  dropDataset(role);
  const stale = () => loadIds[role] !== id;
  const name = file?.name || `${role}.csv`;
  try {
    await ready;
  } catch {
    return; // 'fatal' was posted already
  }
  if (stale() || !wasm) return; // no wasm: it crashed and the page is replacing this worker

  let ingest = null;
  try {
    if (await isJson(file)) {
      // A saved reference profile (`modelgate profile`, or the page's own export).
      const dataset = wasm.Dataset.fromProfileJson(name, await file.text());
      if (stale()) {
        dataset.free();
        return;
      }
      datasets[role] = dataset;
      post({ type: 'loaded', role, id, name, bytes: file.size, rows: dataset.rows, columns: dataset.columns(), profile: true });
      loaded(role);
      return;
    }
    const total = file.size;
    post({ type: 'progress', role, id, name, bytes: 0, total, rows: 0 });
    if (role !== 'reference' && typeof Worker === 'function') {
      const parts = await readElsewhere(file, name, (p) => !stale() && post({ type: 'progress', role, id, name, ...p }), stale);
      if (!parts || stale() || !wasm) return;
      const dataset = wasm.Dataset.fromHandOver(name, parts.head, parts.values);
      if (stale()) {
        dataset.free();
        return;
      }
      datasets[role] = dataset;
      post({ type: 'loaded', role, id, name, bytes: total, rows: dataset.rows, columns: dataset.columns() });
      loaded(role);
      return;
    }
    ingest = new wasm.CsvIngest(name);
    const progress = (p) => post({ type: 'progress', role, id, name, total, ...p });
    if (!(await pushFile(file, ingest, { progress, stale }))) return;
    const dataset = ingest.finish();
    if (stale()) {
      dataset.free();
      return;
    }
    datasets[role] = dataset;
    post({ type: 'loaded', role, id, name, bytes: total, rows: dataset.rows, columns: dataset.columns() });
  } catch (e) {
    if (crashed(e) || stale()) return;
    const details = plainDetails(e?.details);
    let message = e?.message ?? String(e);
    // Errors from the wasm ingest name the file already; others (a file that cannot be read) may not.
    if (!message.startsWith(name)) message = `${name}: ${message}`;
    post({ type: 'error', role, id, name, message, details });
    return;
  } finally {
    if (ingest) {
      try {
        ingest.free();
      } catch {
        // already freed
      }
    }
  }
  loaded(role);
}

/** After a load: a split only changes the comparison; the reference or current data change everything. */
function loaded(role) {
  if (role.startsWith('split:')) {
    if (datasets.reference) comparison();
  } else {
    report();
  }
}

/**
 * Reads a CSV in a reader worker; resolves with its profile's hand-over parts
 * ({ head, values }, for Dataset.fromHandOver), or null when
 * the load went stale (the reader is stopped). A reader's error is thrown as the
 * ingest's own error would be, details included; a trapped reader is an error too
 * (this worker's own wasm is unharmed).
 */
function readElsewhere(file, name, progress, stale) {
  return new Promise((resolve, reject) => {
    const reader = spareReader ?? startReader();
    spareReader = null;
    const poll = setInterval(() => {
      if (!stale()) return;
      finish();
      resolve(null);
    }, 50);
    function finish() {
      clearInterval(poll);
      reader.terminate();
      // The next file read elsewhere starts at once too; made once this read is over,
      // so its start-up does not compete with the reading.
      spareReader ??= startReader();
    }
    reader.onmessage = ({ data }) => {
      if (data.type === 'progress') {
        if (stale()) {
          finish();
          resolve(null);
        } else {
          progress({ bytes: data.bytes, total: data.total, rows: data.rows });
        }
        return;
      }
      finish();
      if (data.type === 'done') resolve({ head: data.head, values: data.values });
      else if (data.type === 'error') reject(Object.assign(new Error(data.message), { details: data.details }));
      else reject(new Error(`the reader stopped unexpectedly (${data.message})`));
    };
    reader.onerror = (event) => {
      event.preventDefault?.();
      finish();
      reject(new Error(`the reader could not run: ${event.message || 'it could not be started'}`));
    };
    reader.postMessage({ name, file });
  });
}

/**
 * A reader worker with its wasm instantiated from `compiled`, waiting for a file.
 * One is kept spare, since starting a module worker (fetching and evaluating its
 * modules, instantiating the wasm) takes 50-100 ms that would otherwise delay
 * every read handed to a reader.
 */
let spareReader = null;
function startReader() {
  const reader = new Worker(new URL('./reader-worker.js', import.meta.url), { type: 'module', name: 'modelgate-reader' });
  reader.postMessage({ module: compiled });
  return reader;
}

/** Whether a file is JSON (a saved profile) rather than CSV, from its first bytes. */
async function isJson(file) {
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i += 1;
  return head[i] === 0x7b; // '{'
}

async function guessRoles(seq, list) {
  try {
    await ready;
  } catch {
    return;
  }
  if (!wasm) return;
  try {
    const files = await Promise.all(
      list.map(async (file) => ({ name: file.name, head: new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()) })),
    );
    post({ type: 'roles', seq, guesses: wasm.guessRoles(files) });
  } catch (e) {
    if (crashed(e)) return;
    // Unreadable files: every one unknown, so the page still lists them for the user to assign.
    post({ type: 'roles', seq, guesses: list.map(() => ({ role: 'unknown', reason: `could not read it: ${e?.message ?? e}`, columns: [] })) });
  }
}

function report({ withQuality = true } = {}) {
  const { reference, current } = datasets;
  if (!reference || !wasm) return;
  const ids = { reference: loadIds.reference, current: loadIds.current };
  if (current) {
    try {
      const drift = wasm.driftReport(reference, current, driftOptions);
      lastDrift = { ids, report: drift };
      post({ type: 'report', ids, report: drift });
    } catch (e) {
      if (crashed(e)) return;
      post({ type: 'error', role: 'report', ids, message: `Could not compute the drift report: ${e?.message ?? e}`, details: null });
    }
  }
  comparison();
  if (current && withQuality) qualityPending = quality();
}

/** Every loaded split against the reference, when there are splits (the current data has its own report). */
function comparison() {
  const splits = splitRoles().filter((r) => datasets[r]);
  if (!splits.length) {
    post({ type: 'comparison', report: null });
    return;
  }
  let compare = null;
  try {
    compare = new wasm.DriftComparison(datasets.reference);
    for (const role of splits) compare.add(sources[role]?.name ?? role.slice(6), datasets[role]);
    post({ type: 'comparison', report: compare.report(driftOptions) });
  } catch (e) {
    if (crashed(e)) return;
    post({ type: 'error', role: 'report', ids: { ...loadIds }, message: `Could not compare the datasets: ${e?.message ?? e}`, details: null });
  } finally {
    freeHandle(compare);
  }
}

/** Reads the current file again, checking every row against the contract, and posts the findings. */
async function quality() {
  const { reference, current } = datasets;
  const file = sources.current;
  if (!reference || !current || !file || !wasm) return;
  const run = ++qualityRun;
  const ids = { reference: loadIds.reference, current: loadIds.current };
  const stale = () => run !== qualityRun || ids.reference !== loadIds.reference || ids.current !== loadIds.current;
  let ingest = null;
  try {
    if (!picked && !inferred) inferred = wasm.inferContract(reference, undefined);
    const contract = picked?.contract ?? inferred;
    post({
      type: 'contract',
      ids,
      origin: picked ? 'file' : 'inferred',
      name: picked ? picked.name : sources.reference?.name ?? 'the reference',
      version: contract.version,
      hash: contract.hash,
      json: contract.toJson(),
      schema: `${JSON.stringify(contract.jsonSchema(), null, 2)}\n`,
    });
    ingest = wasm.CsvIngest.withContract(file.name || 'current.csv', contract, undefined);
    if (!(await pushFile(file, ingest, { stale }))) return;
    const scanned = ingest.finish();
    try {
      if (!stale()) {
        const report = wasm.qualityReport(reference, scanned);
        lastQuality = { ids, report };
        post({ type: 'quality', ids, report });
      }
    } finally {
      freeHandle(scanned);
    }
  } catch (e) {
    if (crashed(e)) return;
    if (!stale()) post({ type: 'quality-error', ids, message: `Could not check the data quality: ${e?.message ?? e}` });
  } finally {
    freeHandle(ingest);
  }
}

/**
 * Exports every section on screen: the page sends its evaluation and answered rubric
 * (and the quality it shows); this worker adds the drift and the quality report of
 * the loaded pair, waiting for a quality check still running.
 */
async function exportReport(format, fromPage) {
  const { reference, current } = datasets;
  if (!wasm || ((!reference || !current) && !Object.keys(fromPage).length)) return;
  try {
    if (format === 'profile') {
      if (!reference) return;
      // The reference's profile file: summaries (counts, distinct values, sketches), as `modelgate profile` writes.
      // Without the sample of rows, so the file holds no row of the data.
      const bare = reference.withoutRows();
      try {
        post({ type: 'export', format, text: bare.toProfileJson() });
      } finally {
        bare.free();
      }
      return;
    }
    await qualityPending;
    const sections = { ...fromPage };
    if (datasets.reference && datasets.current) {
      // The reports of the loaded pair, as drawn: report() recomputes the drift whenever the data or options change.
      const ofLoadedPair = (last) => last && last.ids.reference === loadIds.reference && last.ids.current === loadIds.current;
      sections.drift = ofLoadedPair(lastDrift) ? lastDrift.report : wasm.driftReport(datasets.reference, datasets.current, driftOptions);
      if (ofLoadedPair(lastQuality)) sections.quality = lastQuality.report;
    }
    if (!Object.keys(sections).length) return;
    // The core reads the sections as it reads a saved report and blanks raw values.
    post({ type: 'export', format, text: wasm.exportReport(sections, format) });
  } catch (e) {
    if (crashed(e)) return;
    post({ type: 'error', role: 'report', ids: { ...loadIds }, message: `Could not export the report: ${e?.message ?? e}`, details: null });
  }
}

/**
 * A trap inside the wasm (a panic or an out-of-bounds access) leaves the module in
 * an unknown state, so this worker stops using it and asks the page for a new one.
 */
function crashed(e) {
  if (!(e instanceof WebAssembly.RuntimeError)) return false;
  wasm = null;
  post({ type: 'crashed', message: e.message });
  return true;
}
