// Shared pieces of the end-to-end tests: Chromium's launch flags, the native CLI,
// and the report's number format written out independently of web/report/render.js.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Runs the native CLI (`modelgate ...args`) through cargo; returns { status, stdout, stderr }. */
export function runModelgate(args, { okStatuses = [0, 1] } = {}) {
  const env = { ...process.env, PATH: `${path.join(os.homedir(), '.cargo', 'bin')}${path.delimiter}${process.env.PATH}` };
  const result = spawnSync('cargo', ['run', '-q', '-p', 'modelgate-cli', '--', ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 15 * 60 * 1000,
  });
  assert.equal(result.error, undefined, `cannot run cargo: ${result.error}`);
  assert.ok(okStatuses.includes(result.status), `modelgate ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result;
}

/** The report's number format: 4 significant digits, scientific below 1e-4 and from 1e6. */
export function expectedNumber(x) {
  if (x === null || x === undefined) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e6) {
    const [m, e] = x.toExponential(3).split('e');
    return `${m.replace(/\.?0+$/, '')}e${e.replace('+', '')}`;
  }
  return String(Number(x.toPrecision(4)));
}

export const EXPECTED_METHOD = {
  ks: 'KS', chi2: 'χ²', psi: 'PSI', psi_evidently: 'PSI (Evidently)', chi2_gof: 'χ² GoF', z: 'z',
  jensen_shannon: 'JS', hellinger: 'Hellinger', wasserstein: 'Wasserstein', wasserstein_raw: 'Wasserstein (raw)',
  l_infinity: 'L∞', tvd: 'TVD', cramers_v: 'Cramér’s V',
};

export function expectedVerdict(column) {
  if (column.status === 'tested') return column.drifted ? 'drifted' : 'ok';
  return { skipped: 'skipped', missing_in_current: 'missing', new_in_current: 'new' }[column.status];
}

/**
 * Asserts that the rendered drift table rows under `scope` (a page, frame or locator)
 * show exactly the CLI report's columns, numbers and verdicts.
 */
export async function assertDriftTable(scope, drift) {
  const rows = scope.locator('[data-testid="result-row"]');
  assert.equal(await rows.count(), drift.columns.length);
  for (const column of drift.columns) {
    const row = scope.locator(`[data-testid="result-row"][data-column="${column.column}"]`);
    const text = async (field) => (await row.locator(`[data-field="${field}"]`).first().innerText()).trim();
    assert.equal(await text('statistic'), expectedNumber(column.statistic), `${column.column} statistic`);
    assert.equal(await text('p_value'), expectedNumber(column.p_value), `${column.column} p-value`);
    assert.equal(await text('threshold'), expectedNumber(column.threshold), `${column.column} threshold`);
    assert.equal(await text('method'), column.method ? EXPECTED_METHOD[column.method] : '—', `${column.column} method`);
    assert.equal(await text('verdict-label'), expectedVerdict(column), `${column.column} verdict`);
  }
}

/**
 * Deep equality where numbers may differ by `rel` relative: the wasm build computes
 * ln/exp in software, so its last digit can differ from the native build's.
 */
export function assertCloseDeep(actual, expected, rel = 1e-12, where = '$') {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tolerance = rel * Math.max(Math.abs(expected), Math.abs(actual));
    assert.ok(actual === expected || Math.abs(actual - expected) <= tolerance, `${where}: ${actual} vs ${expected}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    assert.equal(actual, expected, where);
    return;
  }
  assert.equal(Array.isArray(actual), Array.isArray(expected), `${where}: array vs object`);
  assert.deepEqual(Object.keys(actual ?? {}).sort(), Object.keys(expected).sort(), `${where}: keys`);
  for (const key of Object.keys(expected)) assertCloseDeep(actual[key], expected[key], rel, `${where}.${key}`);
}

/**
 * A fresh page at `url` in its own context that records every request (page and
 * workers) and every page or console error, and blocks anything not under `allowed`.
 * check() asserts that nothing tried to leave and nothing went wrong. The context
 * closes when the test `t` ends.
 */
export async function openAuditedPage(browser, t, url, allowed) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route((u) => !u.href.startsWith(allowed), (route) => route.abort());
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console error: ${m.text()}`)));
  t.after(() => context.close());
  await page.goto(url);
  const check = () => {
    assert.deepEqual(requests.filter((u) => !u.startsWith(allowed)), [], 'every request goes to the local server');
    assert.deepEqual(problems, [], 'no page errors or console errors');
  };
  return { page, requests, check };
}
