// The page's compute worker (a module worker): owns the WebAssembly module, parses
// the CSV files and computes the drift report, so the page never freezes.
//
// Page -> worker:
//   { type: 'load', role: 'reference' | 'current', id, file: File }
//   { type: 'cancel', role, id }                       abandon that load
//   { type: 'export', format: 'html' | 'json' | 'markdown' }
// Worker -> page:
//   { type: 'ready', version, module }                module: the compiled WebAssembly.Module
//   { type: 'fatal', message }                         the wasm module could not load
//   { type: 'progress', role, id, name, bytes, total, rows }
//   { type: 'loaded', role, id, name, bytes, rows, columns: [{ name, type }] }
//   { type: 'error', role, id, name, message, details } details: { code, source, row, line, column } or null
//   { type: 'report', ids: { reference, current }, report }
//   { type: 'export', format, text }                   answer to { type: 'export', format }
//   { type: 'crashed', message }                       the wasm trapped; the page starts a new worker
//   { type: 'error', role: 'report', message, details: null }
//
// A new 'load' for a role replaces that role's dataset (and abandons a load of the
// same role still running); the other role's dataset is kept.
//
// Messages whose type starts with "eval:" belong to the model-evaluation section
// and are handled by sections/evaluation-worker.js.

import { handleEvaluation } from './sections/evaluation-worker.js';

const CHUNK = 1 << 20; // 1 MiB slices

let wasm = null;
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
  self.postMessage({ type: 'ready', version: mod.version(), module });
})();
ready.catch((e) => {
  self.postMessage({
    type: 'fatal',
    message: `The WebAssembly module could not be loaded (${e?.message ?? e}). Was web/pkg built with scripts/build-wasm.sh?`,
  });
});

/** The dataset handle and load id per role. */
const datasets = { reference: null, current: null };
const loadIds = { reference: null, current: null };

self.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type === 'load' && (msg.role === 'reference' || msg.role === 'current')) {
    load(msg.role, msg.id, msg.file);
  } else if (msg?.type === 'cancel' && loadIds[msg.role] === msg.id) {
    loadIds[msg.role] = null; // the running load sees it is stale at its next slice
    dropDataset(msg.role);
  } else if (msg?.type === 'export') {
    exportReport(msg.format);
  } else if (typeof msg?.type === 'string' && msg.type.startsWith('eval:')) {
    handleEvaluation(msg, { ready, wasm: () => wasm, post, crashed });
  }
};

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
  if (ds) {
    try {
      ds.free();
    } catch {
      // already freed
    }
  }
}

async function load(role, id, file) {
  loadIds[role] = id;
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
    ingest = new wasm.CsvIngest(name);
    const total = file.size;
    post({ type: 'progress', role, id, name, bytes: 0, total, rows: 0 });
    for (let offset = 0; offset < total; offset += CHUNK) {
      const buffer = await file.slice(offset, Math.min(offset + CHUNK, total)).arrayBuffer();
      if (stale()) return;
      ingest.push(new Uint8Array(buffer));
      post({ type: 'progress', role, id, name, bytes: ingest.bytes, total, rows: ingest.rows });
    }
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
  report();
}

function report() {
  const { reference, current } = datasets;
  if (!reference || !current) return;
  const ids = { reference: loadIds.reference, current: loadIds.current };
  try {
    post({ type: 'report', ids, report: wasm.driftReport(reference, current, undefined) });
  } catch (e) {
    if (crashed(e)) return;
    post({ type: 'error', role: 'report', ids, message: `Could not compute the drift report: ${e?.message ?? e}`, details: null });
  }
}

function exportReport(format) {
  const { reference, current } = datasets;
  if (!reference || !current) return;
  try {
    post({ type: 'export', format, text: wasm.exportReport(reference, current, undefined, format) });
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
