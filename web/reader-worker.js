// A reader: a module worker that the compute worker starts for each current or
// split file, so that file is read on another core while the compute worker reads
// the reference. It streams the File into its own instance of the wasm core and
// hands the finished profile back in parts (Dataset.toHandOver: a JSON head and
// each column's values, transferred, not copied), which the compute worker turns
// into its Dataset (Dataset.fromHandOver).
//
// compute worker -> reader:  { module: WebAssembly.Module }   first, as soon as it starts
//                            { name, file: File }              the one file it reads
// reader -> compute worker:  { type: 'progress', bytes, total, rows }
//                            { type: 'done', head: Uint8Array, values: (Float64Array | null)[] }
//                            { type: 'error', message, details }   details as CsvIngest's errors
//                            { type: 'crashed', message }           the wasm trapped
// The compute worker terminates the reader when it is done or the load is cancelled.

import init, { CsvIngest } from './pkg/modelgate_wasm.js';
import { pushFile } from './slices.js';

let instantiated = null;

self.onmessage = async ({ data: { module, name, file } }) => {
  if (module) {
    // A spare reader instantiates its wasm before it is given a file.
    instantiated = init({ module_or_path: module });
    instantiated.catch(() => {}); // reported when the file arrives
    return;
  }
  let ingest = null;
  let dataset = null;
  try {
    await instantiated;
    ingest = new CsvIngest(name);
    const total = file.size;
    await pushFile(file, ingest, { progress: (p) => self.postMessage({ type: 'progress', total, ...p }) });
    dataset = ingest.finish();
    const { head, values } = dataset.toHandOver();
    const buffers = [head.buffer, ...values.filter((v) => v).map((v) => v.buffer)];
    self.postMessage({ type: 'done', head, values }, buffers);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      self.postMessage({ type: 'crashed', message: e.message });
      return;
    }
    const d = e?.details;
    const details = d && typeof d === 'object'
      ? { code: d.code ?? null, source: d.source ?? null, row: d.row ?? null, line: d.line ?? null, column: d.column ?? null }
      : null;
    self.postMessage({ type: 'error', message: e?.message ?? String(e), details });
  } finally {
    try {
      ingest?.free();
      dataset?.free();
    } catch {
      // already freed
    }
  }
};
