// Times the wasm build's validateRecords under Node on the records that
// `cargo run --release -p modelgate-cli --example bench_validate` writes:
//
//   node scripts/bench-validate.mjs [total] [dir]
//
// Prints records per second for one JSON array per call (the 2,000-record pool)
// and for one JSON object per call (as the edge worker validates one request),
// best of 5 runs, to compare with the native figures of the example.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const total = Number(process.argv[2] ?? 1_000_000);
const dir = process.argv[3] ?? path.join(root, 'target/bench/validate');
const pkg = path.join(root, 'web/pkg');
const { initSync, Contract, validateRecords } = await import(path.join(pkg, 'modelgate_wasm.js'));
initSync({ module: fs.readFileSync(path.join(pkg, 'modelgate_wasm_bg.wasm')) });

const contract = Contract.fromJson(fs.readFileSync(path.join(dir, 'contract.json'), 'utf8'));
const batch = fs.readFileSync(path.join(dir, 'records.json'), 'utf8');
const pool = JSON.parse(batch);
const texts = pool.map((r) => JSON.stringify(r));
const rounds = Math.ceil(total / pool.length);
const n = rounds * pool.length;
const expected = n / 100;

// Best of 5 runs by CPU time (user + system of this process): the machine is shared,
// and time spent waiting for a core is not the code's.
function best(label, fn) {
  let fastest = { cpu: Infinity, wall: Infinity };
  for (let run = 0; run < 5; run++) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    const violations = fn();
    const used = process.cpuUsage(c);
    const wall = Number(process.hrtime.bigint() - t) / 1e9;
    const cpu = (used.user + used.system) / 1e6;
    if (violations !== expected) throw new Error(`${label}: ${violations} violations, expected ${expected}`);
    if (cpu < fastest.cpu) fastest = { cpu, wall };
  }
  const { cpu, wall } = fastest;
  console.log(
    `${label}: ${n} records, ${Math.round(n / cpu)} records/s of CPU time (${cpu.toFixed(3)} s), ` +
      `${Math.round(n / wall)} records/s of wall time (${wall.toFixed(3)} s)`,
  );
}

console.log(`${n} validations of 20-feature records (${pool.length} distinct), wasm under Node ${process.version}`);
best('validateRecords (one JSON array per call) ', () => {
  let v = 0;
  for (let i = 0; i < rounds; i++) v += validateRecords(contract, batch).violations.length;
  return v;
});
best('validateRecords (one JSON object per call)', () => {
  let v = 0;
  for (let i = 0; i < rounds; i++) for (const t of texts) v += validateRecords(contract, t).violations.length;
  return v;
});
// UTF-8 bytes, as a worker holds a request body: no string re-encoding on the way in.
const batchBytes = new TextEncoder().encode(batch);
const textBytes = texts.map((t) => new TextEncoder().encode(t));
best('validateRecords (one JSON array per call, bytes)', () => {
  let v = 0;
  for (let i = 0; i < rounds; i++) v += validateRecords(contract, batchBytes).violations.length;
  return v;
});
best('validateRecords (one JSON object per call, bytes)', () => {
  let v = 0;
  for (let i = 0; i < rounds; i++) for (const t of textBytes) v += validateRecords(contract, t).violations.length;
  return v;
});
