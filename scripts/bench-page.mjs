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
const RUNS = Number(process.env.RUNS ?? 7);
const IDLE_MS = Number(process.env.IDLE_MS ?? 1000);
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
  // Page and CLI runs alternate, so both see the same machine load.
  const pageRuns = []; // from the page's own marks: files chosen -> report drawn
  const seenRuns = []; // as Playwright sees it: setInputFiles called -> ready state noticed
  const cliRuns = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(server.url);
    await page.locator('[data-testid="version"]').filter({ hasText: /\d/ }).waitFor();
    // A person picks files seconds after the page loaded, not within milliseconds:
    // let its start-up work (the spare reader worker) finish first.
    await page.waitForTimeout(IDLE_MS);
    await page.evaluate(() => performance.clearMarks());
    const t0 = Date.now();
    const start = await page.evaluate(() => performance.now());
    await page.setInputFiles('[data-testid="file-input-reference"]', [reference, current]);
    await page.locator('[data-testid="results"][data-state="ready"]').waitFor({ timeout: 600_000 });
    seenRuns.push((Date.now() - t0) / 1000);
    // Where the time went: the marks app.js sets when the files are chosen, each is read and the report drawn.
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
    const at = (name) => marks.find(([n]) => n === `modelgate:${name}`)?.[1];
    pageRuns.push((at('report') - at('chosen')) / 1000);
    // The page goes on with the quality check (a second read of the current file):
    // leave it, so the CLI runs on a quiet machine as the page did.
    await page.goto('about:blank');
    await page.waitForTimeout(IDLE_MS);
    cliRuns.push(cliSeconds());
    console.log(
      `  run ${run + 1}: page ${marks.map(([n, t]) => `${n.replace('modelgate:', '')} at ${((t - start) / 1000).toFixed(2)} s`).join(', ')}; ` +
        `CLI ${cliRuns.at(-1).toFixed(2)} s`,
    );
  }
  const best = (xs) => Math.min(...xs);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const show = (xs) => `best ${best(xs).toFixed(2)} s, median ${median(xs).toFixed(2)} s  [${xs.map((x) => x.toFixed(2)).join(', ')}]`;
  console.log(`rows per file: ${rows}, ${RUNS} runs of each`);
  console.log(`page, files chosen -> report drawn (its marks): ${show(pageRuns)}`);
  console.log(`page as Playwright sees it (file hand-off and polling included): ${show(seenRuns)}`);
  console.log(`native CLI, same files: ${show(cliRuns)}`);
  console.log(`ratio page / CLI: ${(best(pageRuns) / best(cliRuns)).toFixed(2)} (best), ${(median(pageRuns) / median(cliRuns)).toFixed(2)} (median)`);
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
