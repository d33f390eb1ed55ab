// Times the page from "files chosen" to "full report drawn" in headless Chromium,
// on the seeded benchmark pair, and the native CLI on the same files in the same run.
//
//   node scripts/bench-page.mjs [rows]      (after bash scripts/bench.sh [rows] made the files)
//
// Also prints the page weight: the wasm and JS the page loads, raw and gzipped.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rows = process.argv[2] ?? '1000000';
const RUNS = Number(process.env.RUNS ?? 5);
const dir = path.join(ROOT, 'target', 'bench', rows);
const reference = path.join(dir, 'reference.csv');
const current = path.join(dir, 'current.csv');
if (!fs.existsSync(current)) {
  console.error(`missing ${current}: run bash scripts/bench.sh ${rows} first`);
  process.exit(2);
}

function cliSeconds() {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(path.join(ROOT, 'target', 'release', 'modelgate'), ['drift', '-r', reference, '-c', current, '--format', 'json'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`modelgate exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const server = await startServer({ port: 0, root: path.join(ROOT, 'web') });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const loaded = [];
  page.on('response', async (r) => {
    const url = r.url();
    if (/\.(js|wasm)$/.test(url)) loaded.push(url.slice(server.url.length + 1));
  });
  const pageRuns = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(server.url);
    await page.locator('[data-testid="version"]').filter({ hasText: /\d/ }).waitFor();
    await page.evaluate(() => performance.clearMarks());
    const t0 = Date.now();
    const start = await page.evaluate(() => performance.now());
    await page.setInputFiles('[data-testid="file-input-reference"]', [reference, current]);
    await page.locator('[data-testid="results"][data-state="ready"]').waitFor({ timeout: 600_000 });
    pageRuns.push((Date.now() - t0) / 1000);
    const seen = await page.evaluate(() => performance.now());
    // Where the time went: the marks app.js sets when each file is read and the report drawn.
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
    console.log(`  page run ${run + 1}: ${marks.map(([n, t]) => `${n.replace('modelgate:', '')} at ${((t - start) / 1000).toFixed(2)} s`).join(', ')}, seen ready at ${((seen - start) / 1000).toFixed(2)} s`);
  }
  const cliRuns = [cliSeconds(), cliSeconds(), cliSeconds()];
  const best = (xs) => Math.min(...xs).toFixed(2);
  console.log(`rows per file: ${rows}`);
  console.log(`page, files chosen -> report drawn (best of 3): ${best(pageRuns)} s  [${pageRuns.map((x) => x.toFixed(2)).join(', ')}]`);
  console.log(`native CLI, same files (best of 3):            ${best(cliRuns)} s  [${cliRuns.map((x) => x.toFixed(2)).join(', ')}]`);
  console.log(`ratio page / CLI: ${(Math.min(...pageRuns) / Math.min(...cliRuns)).toFixed(2)}`);
  let raw = 0;
  let gz = 0;
  for (const file of [...new Set(loaded)]) {
    const bytes = fs.readFileSync(path.join(ROOT, 'web', file));
    raw += bytes.length;
    gz += zlib.gzipSync(bytes, { level: 9 }).length;
    console.log(`  ${file}: ${(bytes.length / 1024).toFixed(1)} KiB, gzipped ${(zlib.gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KiB`);
  }
  console.log(`page weight (wasm + JS): ${(raw / 1024).toFixed(1)} KiB, gzipped ${(gz / 1024).toFixed(1)} KiB`);
} finally {
  await browser.close();
  await server.close();
}
