// The page on a ~1 GB CSV: headless Chromium reads the big current file (27,000,000
// rows, made by gen_bench) against the saved reference profile, and this script
// samples the memory of every Chromium process (proportional set size, so shared
// pages count once) while it runs. Prints the time to the report and the peak.
//
//   node scripts/bench-page-big.mjs
//
// Makes the files on first use (target/bench/big, the same files as bench-drift.sh).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const big = path.join(ROOT, 'target', 'bench', 'big');
const current = path.join(big, 'current.csv');
const profile = path.join(big, 'reference.profile.json');
const bin = path.join(ROOT, 'target', 'release');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

if (!fs.existsSync(current) || !fs.existsSync(profile)) {
  run('cargo', ['build', '--release', '-q', '-p', 'modelgate-cli', '--bin', 'modelgate', '--example', 'gen_bench']);
  const small = path.join(ROOT, 'target', 'bench', '1000000');
  if (!fs.existsSync(path.join(small, 'reference.csv'))) run(path.join(bin, 'examples', 'gen_bench'), ['1000000', small]);
  if (!fs.existsSync(current)) run(path.join(bin, 'examples', 'gen_bench'), ['27000000', big, 'current']);
  run(path.join(bin, 'modelgate'), ['profile', '--input', path.join(small, 'reference.csv'), '--output', profile]);
}

/** Every process under `root` (Chromium's browser, renderers, GPU, utility processes). */
function tree(root) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Sum of the proportional set sizes of the processes, in bytes. */
function pss(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // gone meanwhile
    }
  }
  return kb * 1024;
}

const server = await startServer({ port: 0, root: path.join(ROOT, 'web') });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  // Chromium's processes are this script's descendants (node itself left out).
  const chromiumTree = () => tree(process.pid).filter((pid) => pid !== process.pid);
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.locator('[data-testid="version"]').filter({ hasText: /\d/ }).waitFor();
  const idle = pss(chromiumTree());
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, pss(chromiumTree()));
  }, 250);
  const t0 = Date.now();
  await page.setInputFiles('[data-testid="file-input-reference"]', profile);
  await page.setInputFiles('[data-testid="file-input-current"]', current);
  await page.locator('[data-testid="results"][data-state="ready"]').waitFor({ timeout: 1_800_000 });
  const seconds = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, pss(chromiumTree()));
  const rows = await page.locator('[data-testid="info-current"]').innerText();
  const mb = (b) => (b / 1e6).toFixed(0);
  console.log(`file: ${current} (${(fs.statSync(current).size / 1e9).toFixed(2)} GB) against ${path.basename(profile)}`);
  console.log(`current zone: ${rows}`);
  console.log(`page, files chosen -> report drawn: ${seconds.toFixed(1)} s`);
  console.log(`Chromium memory (PSS of every process): idle ${mb(idle)} MB, peak ${mb(peak)} MB, so the run added ${mb(peak - idle)} MB`);
} finally {
  await browser.close();
  await server.close();
}
