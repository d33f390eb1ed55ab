#!/usr/bin/env node
// Benchmarks the edge worker:
//   1. the size of the bundle `wrangler deploy --dry-run` produces (gzip -9);
//   2. the latency the validation adds over a pass-through worker, measured in
//      one run against one local workerd (miniflare on 127.0.0.1, stopped at the
//      end): the same requests, interleaved, to the bundled worker in enforce
//      mode and to a worker that only forwards, both in front of one stand-in
//      origin; the added latency is the difference of their medians and p99s;
//   3. for scale, the validation call alone (PayloadGate.check) on the same wasm
//      under node.
//
//   node scripts/bench-worker.mjs [requests per worker, default 5000]
// Needs worker/pkg (bash scripts/build-wasm.sh worker) and the npm packages.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";
import { bundleWorker } from "./worker-bundle.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const N = Number(process.argv[2] ?? 5000);
const WARMUP = 1000;

// ---------------------------------------------------------------- bundle size
const out = join(root, "target/bench-worker");
bundleWorker(out);
const files = readdirSync(out).filter((f) => f.endsWith(".js") || f.endsWith(".wasm"));
const wasmFile = files.find((f) => f.endsWith(".wasm"));
const gz = (f) => gzipSync(readFileSync(join(out, f)), { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const sizes = {
  wasm: statSync(join(out, wasmFile)).size,
  wasmGz: gz(wasmFile),
  js: statSync(join(out, "index.js")).size,
  jsGz: gz("index.js"),
};

// ---------------------------------------------------------------- latency in workerd
const contract = JSON.parse(readFileSync(join(root, "worker/contract.json"), "utf8"));
const csv = readFileSync(join(root, "worker/example/reference.csv"), "utf8").trim().split("\n");
const names = csv[0].split(",");
const types = Object.fromEntries(contract.fields.map((f) => [f.name, f.type]));
function row(line) {
  const cells = line.split(",");
  const record = {};
  names.forEach((name, i) => {
    if (cells[i] === "") return;
    const t = types[name];
    record[name] = t === "integer" || t === "number" ? Number(cells[i]) : t === "boolean" ? cells[i] === "true" : cells[i];
  });
  return record;
}
const one = JSON.stringify(row(csv[7]));
const batch = JSON.stringify({ instances: csv.slice(1, 101).map(row) });
if (Object.keys(JSON.parse(one)).length < 19) throw new Error("the benchmark record should have 20 features");

const compatibilityDate = "2026-04-01";
const origin = `export default { async fetch(request) {
  await request.arrayBuffer();
  return new Response('{"predictions":[0.5]}', { headers: { "content-type": "application/json" } });
} };`;
const passthrough = `export default { fetch(request, env) { return env.ORIGIN.fetch(request); } };`;
const gate = (name, bindings) => ({
  name,
  modules: true,
  scriptPath: join(out, "index.js"),
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate,
  bindings: { ORIGIN_URL: "", ROLLOUT: "primary-only", ...bindings },
  serviceBindings: { ORIGIN: "origin" },
  durableObjects: { DRIFT: "DriftAggregator" },
});
const mf = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  cf: false,
  workers: [
    { name: "passthrough", modules: true, script: passthrough, compatibilityDate, serviceBindings: { ORIGIN: "origin" } },
    gate("gate-off", { MODE: "off", LIVE_DRIFT: "off" }),
    gate("gate", { MODE: "enforce", LIVE_DRIFT: "off" }),
    gate("gate-drift", { MODE: "enforce", LIVE_DRIFT: "on" }),
    { name: "origin", modules: true, script: origin, compatibilityDate },
  ],
});

function quantile(sorted, q) {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
}

async function measure(body, count) {
  const workers = {};
  const names = ["passthrough", "gate-off", "gate", "gate-drift"];
  for (const name of names) workers[name] = await mf.getWorker(name);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < WARMUP + count; i++) {
    // Interleaved, in a rotating order, so drift in the machine's load hits all alike.
    const order = [...names];
    for (let k = 0; k < i % names.length; k++) order.push(order.shift());
    for (const name of order) {
      const start = process.hrtime.bigint();
      const response = await workers[name].fetch("http://bench.local/predict", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      await response.arrayBuffer();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (response.status !== 200) throw new Error(`${name}: status ${response.status}`);
      if (i >= WARMUP) times[name].push(ms);
    }
  }
  const stats = {};
  for (const [name, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    stats[name] = { median: quantile(list, 0.5), p99: quantile(list, 0.99) };
  }
  return stats;
}

let latency;
try {
  await mf.ready;
  latency = { one: await measure(one, N), batch: await measure(batch, Math.max(500, Math.floor(N / 5))) };
} finally {
  await mf.dispose();
}

// ---------------------------------------------------------------- the call alone, under node
const mg = await import(new URL("../worker/pkg/modelgate_wasm.js", import.meta.url));
mg.initSync({ module: readFileSync(join(root, "worker/pkg/modelgate_wasm_bg.wasm")) });
const c = mg.Contract.fromJson(JSON.stringify(contract));
const g = new mg.PayloadGate(c, undefined, undefined);
const bytes = new TextEncoder().encode(one);
const calls = [];
for (let i = 0; i < 20_000 + 100_000; i++) {
  const start = process.hrtime.bigint();
  const report = g.check(bytes);
  const us = Number(process.hrtime.bigint() - start) / 1e3;
  if (report.violations.length !== 0) throw new Error("the benchmark record should be valid");
  if (i >= 20_000) calls.push(us);
}
calls.sort((a, b) => a - b);

// ---------------------------------------------------------------- report
const f3 = (x) => x.toFixed(3);
console.log(`date: ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${N} requests per worker (+${WARMUP} warm-up)`);
console.log(`bundle: wasm ${kib(sizes.wasm)} (gzip -9: ${kib(sizes.wasmGz)}), index.js ${kib(sizes.js)} (gzip -9: ${kib(sizes.jsGz)}), total gzip ${kib(sizes.wasmGz + sizes.jsGz)}`);
console.log("");
console.log("Median / p99 in ms; \"added\" is the difference from the pass-through worker.");
console.log("");
console.log("| payload | worker | median | p99 | added median | added p99 |");
console.log("|---|---|---|---|---|---|");
const LABELS = {
  passthrough: "pass-through (forwards only)",
  "gate-off": "modelgate, MODE = off",
  gate: "modelgate, MODE = enforce",
  "gate-drift": "modelgate, enforce + live drift counts",
};
for (const [label, s] of [["1 record x 20 features (" + one.length + " B)", latency.one], ["100 records x 20 features (" + batch.length + " B)", latency.batch]]) {
  const p = s.passthrough;
  for (const [name, x] of Object.entries(s)) {
    const added = name === "passthrough" ? "| |" : `| ${f3(x.median - p.median)} | ${f3(x.p99 - p.p99)} |`;
    console.log(`| ${label} | ${LABELS[name]} | ${f3(x.median)} | ${f3(x.p99)} ${added}`);
  }
}
console.log("");
console.log(`PayloadGate.check alone under node, 1 record x 20 features: median ${f3(quantile(calls, 0.5))} us, p99 ${f3(quantile(calls, 0.99))} us (100,000 calls)`);
