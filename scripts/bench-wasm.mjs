// Streams CSV files through the wasm build (web/pkg) under node, in 1 MiB chunks,
// as the page's compute worker does, and times the full drift report.
//
//   node scripts/bench-wasm.mjs reference.csv current.csv [runs]
//
// Needs web/pkg (bash scripts/build-wasm.sh).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mod = await import(path.join(ROOT, 'web', 'pkg', 'modelgate_wasm.js'));
await mod.default({ module_or_path: fs.readFileSync(path.join(ROOT, 'web', 'pkg', 'modelgate_wasm_bg.wasm')) });

const CHUNK = 1 << 20;

function load(file) {
  const ingest = new mod.CsvIngest(path.basename(file));
  const fd = fs.openSync(file, 'r');
  const buf = new Uint8Array(CHUNK);
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      ingest.push(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  const dataset = ingest.finish();
  ingest.free();
  return dataset;
}

const [reference, current, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
for (let run = 1; run <= runs; run += 1) {
  const start = performance.now();
  const r = load(reference);
  const loadedRef = performance.now();
  const c = load(current);
  const loaded = performance.now();
  const report = mod.driftReport(r, c, undefined);
  const text = JSON.stringify(report);
  const done = performance.now();
  r.free();
  c.free();
  const s = (ms) => (ms / 1000).toFixed(2);
  console.log(
    `run ${run}: wall ${s(done - start)} s (ingest ${s(loadedRef - start)} + ${s(loaded - loadedRef)} s, report ${s(done - loaded)} s, ${text.length} bytes of JSON)`,
  );
}
