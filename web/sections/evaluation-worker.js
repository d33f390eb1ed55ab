// The compute worker's evaluation part: reads a predictions CSV (and, optionally,
// a training CSV) into row-aligned tables in wasm memory and evaluates them.
// compute-worker.js forwards every message whose type starts with "eval:".
//
// Page -> worker:
//   { type: 'eval:load', role: 'predictions' | 'training', id, file: File }
//   { type: 'eval:clear', role: 'training' }
//   { type: 'eval:options', options }              options as EvalOptions (partial)
// Worker -> page:
//   { type: 'eval:progress', role, id, bytes, total, rows }
//   { type: 'eval:loaded', role, id, name, bytes, rows, columns: [{ name, type }] }
//   { type: 'eval:error', role, id, message, details }   role 'report' when evaluating failed
//   { type: 'eval:report', ids: { predictions, training }, report }

import { pushFile } from '../slices.js';

const tables = { predictions: null, training: null };
const ids = { predictions: null, training: null };
let options = {};

function free(role) {
  const t = tables[role];
  tables[role] = null;
  try {
    t?.free();
  } catch {
    // already freed
  }
}

function plainDetails(details) {
  if (!details || typeof details !== 'object') return null;
  const { code = null, source = null, row = null, line = null, column = null } = details;
  return { code, source, row, line, column };
}

/**
 * Handles one "eval:" message. `env` gives the shared wasm module once it is
 * loaded (`ready` resolves then; `wasm()` is null after a trap), the worker's
 * post function, and `crashed(e)`, which reports a wasm trap to the page (it then
 * starts a new worker) and returns true for one.
 */
export function handleEvaluation(msg, env) {
  if (msg.type === 'eval:load' && (msg.role === 'predictions' || msg.role === 'training')) {
    load(msg.role, msg.id, msg.file, env);
  } else if (msg.type === 'eval:clear' && msg.role === 'training') {
    ids.training = null;
    free('training');
    evaluate(env);
  } else if (msg.type === 'eval:options') {
    options = msg.options && typeof msg.options === 'object' ? msg.options : {};
    evaluate(env);
  }
}

async function load(role, id, file, env) {
  ids[role] = id;
  free(role);
  const stale = () => ids[role] !== id;
  const name = file?.name || `${role}.csv`;
  try {
    await env.ready;
  } catch {
    return; // the worker has posted 'fatal' already
  }
  const wasm = env.wasm();
  if (stale() || !wasm) return;
  let ingest = null;
  try {
    ingest = new wasm.TableIngest(name);
    const total = file.size;
    env.post({ type: 'eval:progress', role, id, bytes: 0, total, rows: 0 });
    const progress = (p) => env.post({ type: 'eval:progress', role, id, total, ...p });
    if (!(await pushFile(file, ingest, { progress, stale }))) return;
    const table = ingest.finish();
    if (stale()) {
      table.free();
      return;
    }
    tables[role] = table;
    env.post({ type: 'eval:loaded', role, id, name, bytes: total, rows: table.rows, columns: table.columns() });
  } catch (e) {
    if (env.crashed(e) || stale()) return;
    let message = e?.message ?? String(e);
    if (!message.startsWith(name)) message = `${name}: ${message}`;
    env.post({ type: 'eval:error', role, id, message, details: plainDetails(e?.details) });
    return;
  } finally {
    try {
      ingest?.free();
    } catch {
      // already freed
    }
  }
  evaluate(env);
}

function evaluate(env) {
  const { predictions, training } = tables;
  if (!predictions) return;
  const current = { predictions: ids.predictions, training: training ? ids.training : null };
  const wasm = env.wasm();
  if (!wasm) return;
  try {
    const report = training
      ? wasm.evaluateWithTraining(predictions, training, options)
      : wasm.evaluate(predictions, options);
    env.post({ type: 'eval:report', ids: current, report });
  } catch (e) {
    if (env.crashed(e)) return;
    env.post({
      type: 'eval:error',
      role: 'report',
      ids: current,
      message: e?.message ?? String(e),
      details: e?.details ? { code: e.details.code ?? null } : null,
    });
  }
}
