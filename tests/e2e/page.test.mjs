// End-to-end tests of the page (web/) in headless Chromium, driven by playwright-core.
//
//   node --test tests/e2e/
//
// Needs web/pkg (bash scripts/build-wasm.sh), Debian's /usr/bin/chromium and cargo
// (the expected numbers come from the native CLI on the same files).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { ARTIFACTS, EXPECTED_METHOD, expectedNumber, expectedVerdict, launchChromium, ROOT } from './helpers.mjs';

const WEB = path.join(ROOT, 'web');
const SAMPLE = {
  reference: path.join(WEB, 'sample', 'reference.csv'),
  current: path.join(WEB, 'sample', 'current.csv'),
};

let server;
let browser;
let sampleCli; // the native CLI's JSON report on the sample
let tmp;

function runCli(reference = 'web/sample/reference.csv', current = 'web/sample/current.csv') {
  const env = { ...process.env, PATH: `${path.join(os.homedir(), '.cargo', 'bin')}${path.delimiter}${process.env.PATH}` };
  const result = spawnSync(
    'cargo',
    ['run', '-q', '-p', 'modelgate-cli', '--', 'drift', '--reference', reference, '--current', current, '--format', 'json'],
    { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 15 * 60 * 1000 },
  );
  assert.equal(result.error, undefined, `cannot run cargo: ${result.error}`);
  assert.ok(result.status === 0 || result.status === 1, `the CLI exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

before(async () => {
  assert.ok(
    fs.existsSync(path.join(WEB, 'pkg', 'modelgate_wasm_bg.wasm')),
    'web/pkg is missing: run bash scripts/build-wasm.sh first',
  );
  sampleCli = runCli();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-e2e-'));
  server = await startServer({ port: 0, root: WEB });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * A fresh page on `query` that records every request (page and worker) and every
 * page error or console error. check() asserts that nothing left 127.0.0.1 and
 * nothing went wrong in the page.
 */
async function openPage(t, query = '') {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push(r.url()));
  // Recorded above, then never let through: a regression must not send anything off this machine.
  await context.route((url) => !url.href.startsWith(`${server.url}/`), (route) => route.abort());
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console error: ${m.text()}`)));
  t.after(() => context.close());
  await page.goto(`${server.url}/${query}`);
  const check = () => {
    const prefix = `${server.url}/`;
    const outside = requests.filter((u) => !u.startsWith(prefix));
    assert.deepEqual(outside, [], 'every request goes to the local server');
    assert.ok(requests.some((u) => u.endsWith('/pkg/modelgate_wasm_bg.wasm')), `the worker's wasm fetch is recorded: ${requests}`);
    assert.deepEqual(problems, [], 'no page errors or console errors');
  };
  return { page, requests, check };
}

const tid = (id) => `[data-testid="${id}"]`;

async function reportSeq(page) {
  return Number((await page.getAttribute(tid('results'), 'data-report-seq')) ?? 0);
}

/** Waits until a report newer than `after` is rendered. */
async function waitForReport(page, after = 0) {
  await page.waitForFunction(
    ({ sel, after }) => {
      const el = document.querySelector(sel);
      return el?.dataset.state === 'ready' && Number(el.dataset.reportSeq ?? 0) > after;
    },
    { sel: tid('results'), after },
  );
}

async function waitForError(page, role) {
  const box = page.locator(tid(`error-${role}`));
  await box.waitFor({ state: 'visible' });
  return box;
}

async function setFile(page, role, file) {
  await page.setInputFiles(tid(`file-input-${role}`), file);
}

/** Reads the rendered table: per row, the text of each data-field cell and the raw numbers. */
async function readTable(page) {
  return page.$$eval(`${tid('results-table')} tbody tr`, (rows) =>
    rows.map((row) => {
      const cell = (f) => row.querySelector(`[data-field="${f}"]`);
      const raw = (f) => (cell(f)?.dataset.value === undefined ? null : Number(cell(f).dataset.value));
      return {
        column: row.dataset.column,
        testid: row.dataset.testid,
        highlighted: row.classList.contains('mg-verdict-drifted'),
        name: cell('column').textContent,
        type: cell('type').textContent,
        method: cell('method').textContent,
        statistic: cell('statistic').textContent,
        p_value: cell('p_value').textContent,
        threshold: cell('threshold').textContent,
        verdict: cell('verdict-label').textContent,
        note: cell('note')?.textContent ?? null,
        raw: { statistic: raw('statistic'), p_value: raw('p_value'), threshold: raw('threshold') },
      };
    }),
  );
}

function assertClose(actual, expected, what) {
  if (expected === null) {
    assert.equal(actual, null, what);
    return;
  }
  const tolerance = 1e-9 * Math.max(Math.abs(expected), Number.MIN_VALUE);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: page ${actual}, CLI ${expected}`);
}

/** The rendered table and summary equal the native CLI's report, in the page's formatting. */
async function assertMatchesCli(page, cli = sampleCli) {
  const rows = await readTable(page);
  assert.deepEqual(rows.map((r) => r.column), cli.columns.map((c) => c.column), 'one row per column, in CLI order');
  for (const [i, c] of cli.columns.entries()) {
    const row = rows[i];
    const what = `column ${c.column}`;
    assert.equal(row.testid, 'result-row');
    assert.equal(row.name, c.column, what);
    const type = c.current_type && c.current_type !== c.column_type ? `${c.column_type} → ${c.current_type}` : c.column_type;
    assert.equal(row.type, type, `${what}: type`);
    assert.equal(row.method, c.method ? EXPECTED_METHOD[c.method] : '—', `${what}: method`);
    assert.equal(row.statistic, expectedNumber(c.statistic), `${what}: statistic`);
    assert.equal(row.p_value, expectedNumber(c.p_value), `${what}: p-value`);
    assert.equal(row.threshold, expectedNumber(c.threshold), `${what}: threshold`);
    assert.equal(row.verdict, expectedVerdict(c), `${what}: verdict`);
    assert.equal(row.note, c.note, `${what}: note`);
    assert.equal(row.highlighted, c.status === 'tested' && c.drifted, `${what}: highlighted when drifted`);
    for (const f of ['statistic', 'p_value', 'threshold']) assertClose(row.raw[f], c[f], `${what}: ${f}`);
  }
  const summary = await page.textContent(tid('summary'));
  assert.equal(
    summary,
    `${cli.drifted_columns} of ${cli.tested_columns} tested columns drifted — dataset drift: ${cli.dataset_drift ? 'yes' : 'no'}`,
  );
  return rows;
}

test('the CLI finds the documented mix of drifted and stable columns in the sample', () => {
  const cli = sampleCli;
  const verdicts = Object.fromEntries(cli.columns.map((c) => [c.column, expectedVerdict(c)]));
  assert.deepEqual(verdicts, {
    date: 'skipped',
    precipitation: 'ok',
    temp_max: 'drifted',
    temp_min: 'drifted',
    wind: 'ok',
    weather: 'drifted',
  });
  assert.equal(cli.dataset_drift, true);
  assert.equal(cli.reference.rows, 731);
  assert.equal(cli.current.rows, 365);
});

/** A raw GET (the path is sent as written, '..' and all). */
function rawGet(urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: urlPath }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

test('the static server: MIME types, 404s, no way out of web/', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const expect = {
    '/': 'text/html; charset=utf-8',
    '/app.js': 'text/javascript; charset=utf-8',
    '/compute-worker.js': 'text/javascript; charset=utf-8',
    '/style.css': 'text/css; charset=utf-8',
    '/pkg/modelgate_wasm.js': 'text/javascript; charset=utf-8',
    '/pkg/modelgate_wasm_bg.wasm': 'application/wasm',
    '/sample/reference.csv': 'text/csv; charset=utf-8',
  };
  for (const [p, type] of Object.entries(expect)) {
    const res = await rawGet(p);
    assert.equal(res.status, 200, p);
    assert.equal(res.type, type, p);
  }
  assert.deepEqual((await rawGet('/sample/reference.csv')).body, fs.readFileSync(SAMPLE.reference));
  assert.equal((await rawGet('/no-such-file.js')).status, 404);
  for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/sample/..%2f..%2fCargo.toml', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/..\\package.json']) {
    const res = await rawGet(p);
    assert.ok(res.status === 400 || res.status === 404, `${p}: ${res.status}`);
    assert.ok(!res.body.toString().includes('"name"'), `${p} leaked a file`);
  }
});

test('sample files set through the file inputs render the CLI numbers', async (t) => {
  const { page, check } = await openPage(t);
  assert.equal(await page.title(), 'modelgate');
  assert.match(await page.textContent('body'), /no data leaves your machine/i);
  // The pickers are labelled for assistive technology, and reachable with the keyboard.
  assert.equal(await page.getByLabel('Choose a file for the reference CSV').getAttribute('data-testid'), 'file-input-reference');
  assert.equal(await page.getByLabel('Choose a file for the current CSV').getAttribute('data-testid'), 'file-input-current');
  // First the picker for several files at once, then the two zones.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'file-input-many');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'file-input-reference');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'file-input-current');

  await setFile(page, 'reference', SAMPLE.reference);
  await setFile(page, 'current', SAMPLE.current);
  await waitForReport(page);

  const rows = await assertMatchesCli(page);
  // The numbers are real: tiny p-values in scientific notation, the rest to 4 significant digits.
  const weather = rows.find((r) => r.column === 'weather');
  assert.match(weather.p_value, /^\d(\.\d+)?e-\d+$/);
  assert.equal(rows.find((r) => r.column === 'temp_max').verdict, 'drifted');
  assert.equal(rows.find((r) => r.column === 'wind').verdict, 'ok');

  assert.equal(await page.getAttribute(tid('dropzone-reference'), 'data-state'), 'loaded');
  assert.equal(await page.getAttribute(tid('dropzone-current'), 'data-state'), 'loaded');
  assert.match(await page.textContent(tid('info-reference')), /731 rows/);
  assert.match(await page.textContent(tid('info-current')), /365 rows/);
  assert.equal(await page.isVisible(tid('error-reference')), false);
  assert.equal(await page.isVisible(tid('error-current')), false);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'page-sample.png'), fullPage: true });
  check();
});

test('the "Try the sample" button renders the same table', async (t) => {
  const { page, check } = await openPage(t);
  await page.click(tid('sample-button'));
  await waitForReport(page);
  await assertMatchesCli(page);
  assert.equal(await page.textContent(tid('file-name-reference')), 'reference.csv');
  assert.equal(await page.textContent(tid('file-name-current')), 'current.csv');
  check();
});

test('?sample=1 runs the sample on load', async (t) => {
  const { page, check } = await openPage(t, '?sample=1');
  await waitForReport(page);
  await assertMatchesCli(page);
  check();
});

test('two files dropped together on one zone are assigned by name', async (t) => {
  const { page, check } = await openPage(t);
  const texts = { reference: fs.readFileSync(SAMPLE.reference, 'utf8'), current: fs.readFileSync(SAMPLE.current, 'utf8') };
  // Current first, on the current zone: the name "train" still makes the second the reference.
  await page.evaluate(({ texts }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([texts.current], 'prod-2015.csv', { type: 'text/csv' }));
    dt.items.add(new File([texts.reference], 'train-2012-2013.csv', { type: 'text/csv' }));
    const zone = document.querySelector('[data-testid="dropzone-current"]');
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { texts });
  await waitForReport(page);
  assert.equal(await page.textContent(tid('file-name-reference')), 'train-2012-2013.csv');
  assert.equal(await page.textContent(tid('file-name-current')), 'prod-2015.csv');
  await assertMatchesCli(page);
  check();
});

test('a file of several MiB is streamed in slices, with progress', async (t) => {
  const { page, check } = await openPage(t);
  // The sample's current rows, 5000 times: about 58 MiB, so many stream pieces whose
  // boundaries fall inside rows, and a read long enough (about half a second) for
  // the progress, drawn at most every 200 ms, to show several times.
  const [header, ...rows] = fs.readFileSync(SAMPLE.current, 'utf8').trimEnd().split('\n');
  const copies = 5000;
  const big = path.join(tmp, 'big-current.csv');
  fs.writeFileSync(big, `${header}\n${Array(copies).fill(rows.join('\n')).join('\n')}\n`);
  const size = fs.statSync(big).size;
  assert.ok(size > 50 * 1024 * 1024, `big file is ${size} bytes`);

  await setFile(page, 'reference', SAMPLE.reference);
  await page.evaluate((sel) => {
    const bar = document.querySelector(sel);
    window.progressSeen = [];
    new MutationObserver(() => window.progressSeen.push([bar.value, bar.max])).observe(bar, { attributes: true });
  }, tid('progress-current'));
  const seq = await reportSeq(page);
  await setFile(page, 'current', big);
  await waitForReport(page, seq);

  const seen = await page.evaluate(() => window.progressSeen);
  const partial = new Set(seen.filter(([v, max]) => max === size && v > 0 && v < size).map(([v]) => v));
  assert.ok(partial.size >= 2, `progress shown between slices: ${JSON.stringify(seen)}`);
  assert.equal(await page.isVisible(tid('progress-current')), false, 'progress hidden once loaded');
  assert.match(await page.textContent(tid('info-current')), new RegExp(`${(rows.length * copies).toLocaleString('en-US')} rows`));
  assert.match(await page.textContent(tid('summary-details')), new RegExp(`big-current\\.csv: ${(rows.length * copies).toLocaleString('en-US')} rows`));
  // Ingest across slice boundaries gives the native CLI's numbers on the same file.
  await assertMatchesCli(page, runCli(SAMPLE.reference, big));
  check();
});

test('bad files give an inline error naming the file, and the page stays usable', async (t) => {
  const { page, check } = await openPage(t);
  const write = (name, bytes) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const ragged = write('ragged-current.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n');

  await setFile(page, 'reference', SAMPLE.reference);
  await setFile(page, 'current', ragged);
  let box = await waitForError(page, 'current');
  let message = await box.textContent();
  assert.match(message, /ragged-current\.csv/, 'names the file');
  assert.match(message, /row 3\b/, 'names the row');
  assert.match(message, /expected 3 fields/);
  assert.equal(await box.getAttribute('data-code'), 'ragged_row');
  assert.equal(await box.getAttribute('data-row'), '3');
  assert.equal(await page.getAttribute(tid('dropzone-current'), 'data-state'), 'error');
  // The other file is kept, and no stale report is shown.
  assert.equal(await page.getAttribute(tid('dropzone-reference'), 'data-state'), 'loaded');
  assert.equal(await page.isVisible(tid('error-reference')), false);
  assert.equal(await page.isVisible(tid('report')), false);

  // A good current file replaces only the bad one: the table appears.
  let seq = await reportSeq(page);
  await setFile(page, 'current', SAMPLE.current);
  await waitForReport(page, seq);
  assert.equal(await page.isVisible(tid('error-current')), false);
  await assertMatchesCli(page);

  const bad = [
    { name: 'junk.csv', bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01]), code: 'binary' },
    { name: 'empty.csv', bytes: Buffer.alloc(0), code: 'empty' },
    { name: 'latin1.csv', bytes: Buffer.concat([Buffer.from('city,temp\nZ'), Buffer.from([0xfc]), Buffer.from('rich,12\n')]), code: 'invalid_utf8' },
  ];
  for (const { name, bytes, code } of bad) {
    await setFile(page, 'current', write(name, bytes));
    box = await waitForError(page, 'current');
    await page.waitForFunction((sel) => document.querySelector(sel).textContent.length > 0, tid('error-current'));
    message = await box.textContent();
    assert.ok(message.startsWith(name), `the error names ${name}: ${message}`);
    assert.equal(await box.getAttribute('data-code'), code, `${name}: ${message}`);
    assert.equal(await page.isVisible(tid('report')), false, `${name}: no report`);
    assert.equal(await page.getAttribute(tid('dropzone-reference'), 'data-state'), 'loaded', `${name}: reference kept`);
    // Back to a good current file each time; the page recovers.
    seq = await reportSeq(page);
    await setFile(page, 'current', SAMPLE.current);
    await waitForReport(page, seq);
  }

  // A header without rows is not an error: the report says per column that there is no data (issue 3, item 6).
  seq = await reportSeq(page);
  await setFile(page, 'current', write('header-only.csv', Buffer.from('date,precipitation,temp_max\n')));
  await waitForReport(page, seq);
  assert.equal(await page.isVisible(tid('error-current')), false);
  const headerOnly = await readTable(page);
  assert.deepEqual(
    headerOnly.map((r) => [r.column, r.verdict]),
    [['date', 'skipped'], ['precipitation', 'skipped'], ['temp_max', 'skipped'], ['temp_min', 'missing'], ['wind', 'missing'], ['weather', 'missing']],
  );
  assert.equal(headerOnly.find((r) => r.column === 'temp_max').note, 'the current data has no rows');
  assert.equal(await page.textContent(tid('summary')), 'No column could be tested — dataset drift: no');
  seq = await reportSeq(page);
  await setFile(page, 'current', SAMPLE.current);
  await waitForReport(page, seq);

  // A bad reference is reported next to the reference, and the current file is kept.
  await setFile(page, 'reference', write('junk-reference.csv', Buffer.from([0x00, 0x01, 0x02, 0x0a, 0xff, 0x00])));
  box = await waitForError(page, 'reference');
  assert.match(await box.textContent(), /^junk-reference\.csv/);
  assert.equal(await page.isVisible(tid('error-current')), false);
  assert.equal(await page.getAttribute(tid('dropzone-current'), 'data-state'), 'loaded');
  seq = await reportSeq(page);
  await setFile(page, 'reference', SAMPLE.reference);
  await waitForReport(page, seq);
  await assertMatchesCli(page);
  check();
});
