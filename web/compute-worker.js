// The page's compute worker (a module worker): owns the WebAssembly module, parses
// the CSV files and computes the drift report, so the page never freezes.
//
// Page -> worker:
//   { type: 'load', role: 'reference' | 'current', id, file: File }
// Worker -> page:
//   { type: 'ready', version }
//   { type: 'fatal', message }                         the wasm module could not load
//   { type: 'progress', role, id, name, bytes, total, rows }
//   { type: 'loaded', role, id, name, bytes, rows, columns: [{ name, type }] }
//   { type: 'error', role, id, name, message, details } details: { code, source, row, line, column } or null
//   { type: 'report', ids: { reference, current }, report }
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
  await mod.default({ module_or_path: new URL('./pkg/modelgate_wasm_bg.wasm', import.meta.url) });
  wasm = mod;
  self.postMessage({ type: 'ready', version: mod.version() });
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
  } else if (typeof msg?.type === 'string' && msg.type.startsWith('eval:')) {
    handleEvaluation(msg, { ready, wasm: () => wasm, post });
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
  if (stale()) return;

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
    if (stale()) return;
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
    post({ type: 'error', role: 'report', ids, message: `Could not compute the drift report: ${e?.message ?? e}`, details: null });
  }
}
