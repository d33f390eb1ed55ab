// Streams CSV files through the wasm build (web/pkg) under node, in 1 MiB chunks
// (the page pushes its File's stream pieces), and times the full drift report two ways:
//
//   one thread   both files ingested one after the other in one wasm instance;
//   two threads  the main instance ingests the reference while a worker thread (its
//                own wasm instance) ingests the current file and hands its profile
//                back in parts (`Dataset.toHandOver`: a JSON head and each column's
//                values, transferred, not copied, between threads), which the main
//                instance reads (`Dataset.fromHandOver`) before computing the report.
//                This is what the page does (its compute worker and reader worker),
//                and what the native CLI does with its two reading threads.
//
//   node scripts/bench-wasm.mjs reference.csv current.csv [runs]
//
// Each run prints both, with the CPU time of all of node's threads; the worker is
// started (and its wasm instantiated) before the first run, as a page keeps its
// workers. Needs web/pkg (bash scripts/build-wasm.sh).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHUNK = 1 << 20;

const mod = await import(path.join(ROOT, 'web', 'pkg', 'modelgate_wasm.js'));

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

if (!isMainThread) {
  await mod.default({ module_or_path: workerData.module });
  parentPort.on('message', (file) => {
    const start = performance.now();
    const dataset = load(file);
    const { head, values } = dataset.toHandOver();
    dataset.free();
    const buffers = [head.buffer, ...values.filter((v) => v).map((v) => v.buffer)];
    parentPort.postMessage({ head, values, ms: performance.now() - start }, buffers);
  });
  parentPort.postMessage('ready');
} else {
  const module = await WebAssembly.compile(
    fs.readFileSync(path.join(ROOT, 'web', 'pkg', 'modelgate_wasm_bg.wasm')),
  );
  await mod.default({ module_or_path: module });

  const [reference, current, runsArg] = process.argv.slice(2);
  const runs = Number(runsArg ?? 3);
  const s = (ms) => (ms / 1000).toFixed(2);
  // CPU time of the whole process (every thread), in ms.
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };

  const startWorker = () =>
    new Promise((resolve, reject) => {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { module } });
      worker.once('error', reject);
      worker.once('message', () => resolve(worker));
    });
  const worker = await startWorker();
  const profileIn = (file) =>
    new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', resolve);
      worker.postMessage(file);
    });

  for (let run = 1; run <= runs; run += 1) {
    let cpu = cpuNow();
    let start = performance.now();
    let r = load(reference);
    const loadedRef = performance.now();
    let c = load(current);
    const loaded = performance.now();
    let report = mod.driftReport(r, c, undefined);
    const one = JSON.stringify(report);
    let done = performance.now();
    let used = cpuNow() - cpu;
    r.free();
    c.free();
    console.log(
      `run ${run}: one thread: wall ${s(done - start)} s, CPU ${s(used)} s (ingest ${s(loadedRef - start)} + ${s(loaded - loadedRef)} s, report ${s(done - loaded)} s, ${one.length} bytes of JSON)`,
    );

    cpu = cpuNow();
    start = performance.now();
    const handed = profileIn(current);
    r = load(reference);
    const refLoaded = performance.now();
    const { head, values, ms: handOver } = await handed;
    const bytes = head.length + values.reduce((n, v) => n + (v ? v.byteLength : 0), 0);
    const wait = performance.now();
    c = mod.Dataset.fromHandOver(path.basename(current), head, values);
    const read = performance.now();
    report = mod.driftReport(r, c, undefined);
    const two = JSON.stringify(report);
    done = performance.now();
    used = cpuNow() - cpu;
    r.free();
    c.free();
    if (two !== one) throw new Error('the two-thread report differs from the one-thread report');
    console.log(
      `run ${run}: two threads: wall ${s(done - start)} s, CPU ${s(used)} s (ingest ${s(refLoaded - start)} | ` +
        `${s(handOver)} s with the hand-over, ${(bytes / 1e6).toFixed(0)} MB of profile read in ${s(read - wait)} s, ` +
        `report ${s(done - read)} s)`,
    );
  }
  await worker.terminate();
}
