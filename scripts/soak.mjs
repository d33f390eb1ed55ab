#!/usr/bin/env node
// Load and soak test of the edge worker in local workerd.
//
// Bundles the worker as `wrangler deploy --dry-run` does, starts it with
// miniflare on 127.0.0.1 (cf: false, nothing leaves the machine) in front of a
// stand-in origin, and sends a bounded, seeded mix of requests over HTTP:
//
//   valid      one valid record, or a batch of 100 valid records   -> 200
//   invalid    records breaking the contract                       -> 422
//   hostile    every payload entry of tests/hostile/manifest.json  -> its stated status
//              (those over 64 KB at 1% of the mix, the rest at 34%)
//              plus HTTP-level cases: wrong content type (415), unknown
//              content encoding (415), a gzip body (200) and a gzip bomb (413)
//
// It reports throughput, p50/p99/max latency, counts by status, every response
// whose status differs from the expected one, and the resident memory of the
// workerd process (VmRSS from /proc, sampled every --sample-ms). It exits 1 on
// any unexpected status (so any 5xx: none is expected unless --allow-5xx), or
// when the mean RSS of the last quarter of the run exceeds that of the first
// quarter by more than --memory-tolerance (after a warm-up that is not
// measured). It stops miniflare and workerd on exit, also on SIGINT/SIGTERM.
//
//   node scripts/soak.mjs [--requests 100000] [--concurrency 16] [--sample-ms 2000]
//                         [--memory-tolerance 0.2] [--warmup 2000] [--allow-5xx 0] [--json out.json]
//
// Needs worker/pkg (bash scripts/build-wasm.sh worker) and the npm packages.
import http from "node:http";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";
import { bundleWorker } from "./worker-bundle.mjs";
import { entries, bytesOf } from "../tests/hostile/corpus.mjs";
import { PAYLOAD_PROBLEMS, PROBLEM_TYPES } from "../worker/src/problem.js";

const root = fileURLToPath(new URL("..", import.meta.url));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined) throw new Error(`--${name} needs a value`);
  return typeof fallback === "number" ? Number(value) : value;
}
const REQUESTS = option("requests", 100_000);
const CONCURRENCY = option("concurrency", 16);
const SAMPLE_MS = option("sample-ms", 2000);
const TOLERANCE = option("memory-tolerance", 0.2);
const WARMUP = option("warmup", Math.min(2000, Math.floor(REQUESTS / 10)));
const ALLOW_5XX = option("allow-5xx", 0);
const JSON_OUT = option("json", "");
for (const [k, v] of Object.entries({ REQUESTS, CONCURRENCY, SAMPLE_MS, TOLERANCE, WARMUP, ALLOW_5XX })) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`bad --${k.toLowerCase()}: ${v}`);
}

// ---------------------------------------------------------------- the requests
const contract = JSON.parse(readFileSync(join(root, "worker/contract.json"), "utf8"));
const types = Object.fromEntries(contract.fields.map((f) => [f.name, f.type]));
const csv = readFileSync(join(root, "worker/example/reference.csv"), "utf8").trim().split("\n");
const names = csv[0].split(",");
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
const rows = csv.slice(1).map(row);
const enc = (v) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
const json = { "content-type": "application/json" };

/** Each case: a name, a share of the mix, and requests (body, headers, expected status). */
const cases = [];
const add = (group, name, weight, requests) => cases.push({ group, name, weight, requests });

add("valid", "one record", 30, rows.slice(0, 200).map((r) => ({ body: enc(r), headers: json, status: 200 })));
add("valid", "100 records (instances)", 8, [0, 100, 200, 300].map((o) => ({ body: enc({ instances: rows.slice(o, o + 100) }), headers: json, status: 200 })));
add("valid", "one record, gzip", 2, [{ body: gzipSync(enc(rows[5])), headers: { ...json, "content-encoding": "gzip" }, status: 200 }]);
add("invalid", "out of range and unknown category", 15, rows.slice(0, 50).map((r, i) => ({ body: enc({ ...r, age: -i - 1, state: "ZZ" }), headers: json, status: 422 })));
add("invalid", "missing required field", 5, rows.slice(0, 50).map((r) => {
  const { income, ...rest } = r;
  return { body: enc(rest), headers: json, status: 422 };
}));
const hostile = entries
  .filter((e) => e.kind === "payload")
  .map((e) => {
    const want = e.expect;
    const status = want.error ? PROBLEM_TYPES[PAYLOAD_PROBLEMS[want.error]].status : want.accepted.violations === 0 ? 200 : 422;
    return { body: bytesOf(e), headers: json, status, id: e.id };
  });
// Bodies over 64 KB (the 1,000,000-element nestings, 20,000 records, 2 MB, 50,000 keys...)
// cost up to a few hundred ms each; they are sent, but less often, so a run stays bounded in time.
add("hostile", "payload corpus", 34, hostile.filter((r) => r.body.byteLength <= 65536));
add("hostile", "payload corpus, bodies over 64 KB", 1, hostile.filter((r) => r.body.byteLength > 65536));
add("hostile", "text/plain body", 2, [{ body: enc(rows[1]), headers: { "content-type": "text/plain" }, status: 415 }]);
add("hostile", "content-encoding br", 1, [{ body: enc(rows[1]), headers: { ...json, "content-encoding": "br" }, status: 415 }]);
add("hostile", "gzip bomb (16 MiB of zeros in 16 KiB)", 1, [{ body: gzipSync(Buffer.alloc(16 << 20, 0x20)), headers: { ...json, "content-encoding": "gzip" }, status: 413 }]);

// A seeded generator (mulberry32), so every run sends the same sequence.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(9);
const totalWeight = cases.reduce((a, c) => a + c.weight, 0);
function pick() {
  let x = random() * totalWeight;
  for (const c of cases) {
    if ((x -= c.weight) < 0) return c;
  }
  return cases[cases.length - 1];
}
const cursor = new Map();
function next() {
  const c = pick();
  const i = cursor.get(c) ?? 0;
  cursor.set(c, i + 1);
  return { c, request: c.requests[i % c.requests.length] };
}

// ---------------------------------------------------------------- workerd
const out = join(root, "target/soak-worker");
bundleWorker(out);

const compatibilityDate = "2026-04-01";
const origin = `export default { async fetch(request) {
  await request.arrayBuffer();
  return new Response('{"predictions":[0.5]}', { headers: { "content-type": "application/json" } });
} };`;
const mf = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  cf: false,
  workers: [
    {
      name: "gate",
      modules: true,
      scriptPath: join(out, "index.js"),
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate,
      bindings: { ORIGIN_URL: "", MODE: "enforce", ROLLOUT: "primary-only", LIVE_DRIFT: "on" },
      serviceBindings: { ORIGIN: "origin" },
      durableObjects: { DRIFT: "DriftAggregator" },
    },
    { name: "origin", modules: true, script: origin, compatibilityDate },
  ],
});
let stopped = false;
async function stop() {
  if (stopped) return;
  stopped = true;
  await mf.dispose();
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => stop().finally(() => process.exit(130)));
}

/** The workerd processes miniflare started: descendants of this process named workerd. */
function workerdPids() {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(Number(name), { ppid, comm });
    } catch {
      // The process ended while we looked.
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, { ppid }] of children) {
      if (!mine.has(pid) && mine.has(ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  return [...mine].filter((pid) => children.get(pid)?.comm.startsWith("workerd"));
}
function rssKiB(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]);
    } catch {
      // Gone.
    }
  }
  return total;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
}

let result;
let failed = false;
try {
  const url = new URL("/predict", await mf.ready);
  const pids = workerdPids();
  if (pids.length === 0) throw new Error("no workerd process found under this one");

  // Keep-alive connections, as a load balancer would hold. A request the worker
  // refuses before reading its body (413 on the declared length, 415) goes on a
  // connection of its own: workerd closes a connection whose request body was
  // left unread, and the next request on it would fail with ECONNRESET.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  function send(request) {
    const start = process.hrtime.bigint();
    const own = request.status === 413 || request.status === 415;
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: "POST",
          agent: own ? false : agent,
          headers: { ...request.headers, "content-length": request.body.byteLength, ...(own ? { connection: "close" } : {}) },
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(request.body);
    });
  }

  // Warm-up: not measured, so isolate start-up and first allocations are not counted as growth.
  for (let i = 0; i < WARMUP; ) {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, WARMUP - i) }, () => send(next().request)));
    i += CONCURRENCY;
  }

  const byStatus = {};
  const byCase = {};
  const perId = {};
  const unexpected = [];
  const times = new Float64Array(REQUESTS);
  const samples = [];
  let sent = 0;
  let done = 0;
  const t0 = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9;
  samples.push({ t: 0, done: 0, rss_kib: rssKiB(pids) });
  const sampler = setInterval(() => samples.push({ t: elapsed(), done, rss_kib: rssKiB(pids) }), SAMPLE_MS);

  async function loop() {
    while (sent < REQUESTS) {
      const i = sent++;
      const { c, request } = next();
      let status;
      let ms;
      try {
        ({ status, ms } = await send(request));
      } catch (e) {
        status = 0;
        ms = 0;
        if (unexpected.length < 50) unexpected.push({ i, case: c.name, id: request.id, error: `${e.code ?? ""} ${e.message}` });
      }
      times[i] = ms;
      const key0 = request.id ?? c.name;
      perId[key0] ??= { n: 0, ms: 0 };
      perId[key0].n++;
      perId[key0].ms += ms;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      const key = `${c.group}: ${c.name}`;
      byCase[key] ??= { requests: 0, unexpected: 0 };
      byCase[key].requests++;
      if (status !== request.status) {
        byCase[key].unexpected++;
        if (unexpected.length < 50) unexpected.push({ i, case: c.name, id: request.id, expected: request.status, status });
      }
      done++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const seconds = elapsed();
  clearInterval(sampler);
  samples.push({ t: seconds, done, rss_kib: rssKiB(pids) });

  // The slowest requests on average, by corpus entry or case.
  const slowest = Object.entries(perId)
    .sort((a, b) => b[1].ms / b[1].n - a[1].ms / a[1].n)
    .slice(0, 5)
    .map(([k, v]) => ({ request: k, count: v.n, mean_ms: Number((v.ms / v.n).toFixed(1)) }));
  agent.destroy();
  const sorted = Array.from(times).sort((a, b) => a - b);
  const quarter = (from, to) => {
    const s = samples.filter((x) => x.done >= from * REQUESTS && x.done <= to * REQUESTS);
    return s.length ? s.reduce((a, x) => a + x.rss_kib, 0) / s.length : NaN;
  };
  const first = quarter(0, 0.25);
  const second = quarter(0.25, 0.5);
  const third = quarter(0.5, 0.75);
  const last = quarter(0.75, 1);
  const growth = (last - first) / first;
  const fivexx = Object.entries(byStatus).filter(([s]) => Number(s) >= 500).reduce((a, [, n]) => a + n, 0);
  const mismatches = Object.values(byCase).reduce((a, c) => a + c.unexpected, 0);
  failed = mismatches > 0 || fivexx > ALLOW_5XX || !(growth <= TOLERANCE);
  result = {
    date: new Date().toISOString(),
    node: process.version,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    warmup: WARMUP,
    seconds: Number(seconds.toFixed(2)),
    throughput_rps: Number((REQUESTS / seconds).toFixed(1)),
    latency_ms: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] },
    by_status: byStatus,
    by_case: byCase,
    unexpected_statuses: mismatches,
    fivexx,
    allowed_5xx: ALLOW_5XX,
    unexpected: unexpected.slice(0, 20),
    slowest,
    memory: {
      workerd_pids: pids,
      first_quarter_mean_kib: Math.round(first),
      quarter_means_kib: [first, second, third, last].map(Math.round),
      last_quarter_mean_kib: Math.round(last),
      growth: Number(growth.toFixed(4)),
      tolerance: TOLERANCE,
      min_kib: Math.min(...samples.map((s) => s.rss_kib)),
      max_kib: Math.max(...samples.map((s) => s.rss_kib)),
      samples,
    },
    ok: !failed,
  };
} finally {
  await stop();
}

// ---------------------------------------------------------------- report
const r = result;
const f = (x) => x.toFixed(2);
console.log(`soak: ${r.date}, node ${r.node}, ${r.requests} requests (+${r.warmup} warm-up), concurrency ${r.concurrency}`);
console.log(`throughput ${r.throughput_rps} requests/s over ${r.seconds} s`);
console.log(`latency ms: p50 ${f(r.latency_ms.p50)}, p99 ${f(r.latency_ms.p99)}, max ${f(r.latency_ms.max)}`);
console.log(`by status: ${Object.entries(r.by_status).map(([s, n]) => `${s}: ${n}`).join(", ")}`);
for (const [name, c] of Object.entries(r.by_case)) console.log(`  ${name}: ${c.requests} requests, ${c.unexpected} unexpected`);
console.log(`unexpected statuses: ${r.unexpected_statuses}; 5xx: ${r.fivexx} (allowed ${r.allowed_5xx})`);
for (const u of r.unexpected) console.log(`  ${JSON.stringify(u)}`);
console.log(`slowest on average: ${r.slowest.map((x) => `${x.request} ${x.mean_ms} ms (${x.count})`).join(", ")}`);
const m = r.memory;
console.log(
  `workerd RSS: first quarter mean ${(m.first_quarter_mean_kib / 1024).toFixed(1)} MiB, last quarter mean ${(m.last_quarter_mean_kib / 1024).toFixed(1)} MiB, ` +
    `growth ${(m.growth * 100).toFixed(1)}% (tolerance ${(m.tolerance * 100).toFixed(0)}%), quarter means ${m.quarter_means_kib.map((k) => (k / 1024).toFixed(1)).join(" / ")} MiB, min ${(m.min_kib / 1024).toFixed(1)} MiB, max ${(m.max_kib / 1024).toFixed(1)} MiB, ${m.samples.length} samples`,
);
const step = Math.max(1, Math.floor(m.samples.length / 10));
console.log(`  over time (s: MiB): ${m.samples.filter((_, i) => i % step === 0 || i === m.samples.length - 1).map((s) => `${s.t.toFixed(0)}: ${(s.rss_kib / 1024).toFixed(1)}`).join(", ")}`);
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(r, null, 2) + "\n");
console.log(r.ok ? "soak: ok" : "soak: FAILED");
process.exit(failed ? 1 : 0);
