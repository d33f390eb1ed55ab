// The page's data-quality section in headless Chromium: the findings equal the
// native CLI's (`modelgate quality`) on the same files, the contract download is
// the CLI's `modelgate contract infer` byte for byte, an edited contract file is
// used for the check, and a bad one gets an error naming the field.
//
//   node --test --test-concurrency=1 tests/e2e/
//
// Needs web/pkg (bash scripts/build-wasm.sh), Debian's /usr/bin/chromium and cargo.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { launchChromium, ROOT } from './helpers.mjs';

const WEB = path.join(ROOT, 'web');
const WINE = path.join(ROOT, 'tests', 'data', 'quality', 'real_wine');

let server;
let browser;
let tmp;

/** Runs the native CLI in `cwd` (so file names match the page's) and returns stdout and the exit code. */
function cli(args, cwd = ROOT) {
  const env = { ...process.env, PATH: `${path.join(os.homedir(), '.cargo', 'bin')}${path.delimiter}${process.env.PATH}` };
  const manifest = path.join(ROOT, 'Cargo.toml');
  const result = spawnSync('cargo', ['run', '-q', '--manifest-path', manifest, '-p', 'modelgate-cli', '--', ...args], {
    cwd, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 15 * 60 * 1000,
  });
  assert.equal(result.error, undefined, `cannot run cargo: ${result.error}`);
  assert.ok([0, 1].includes(result.status), `the CLI exited ${result.status}: ${result.stderr}`);
  return { stdout: result.stdout, status: result.status };
}

before(async () => {
  assert.ok(fs.existsSync(path.join(WEB, 'pkg', 'modelgate_wasm_bg.wasm')), 'web/pkg is missing: run bash scripts/build-wasm.sh first');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-quality-e2e-'));
  server = await startServer({ port: 0, root: WEB });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const tid = (id) => `[data-testid="${id}"]`;

async function openPage(t, query = '') {
  const context = await browser.newContext({ viewport: { width: 1300, height: 1000 }, acceptDownloads: true });
  const problems = [];
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route((url) => !url.href.startsWith(`${server.url}/`) && !url.href.startsWith('blob:'), (route) => route.abort());
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console error: ${m.text()}`)));
  t.after(() => context.close());
  await page.goto(`${server.url}/${query}`);
  const check = () => {
    assert.deepEqual(requests.filter((u) => !u.startsWith(`${server.url}/`) && !u.startsWith('blob:')), [], 'nothing leaves 127.0.0.1');
    assert.deepEqual(problems, [], 'no page errors or console errors');
  };
  return { page, check };
}

/** Waits for a quality report newer than `after`; returns its sequence number. */
async function waitForQuality(page, after = 0) {
  await page.waitForFunction(
    ({ sel, after }) => {
      const el = document.querySelector(sel);
      return el?.dataset.state === 'ready' && Number(el.dataset.reportSeq ?? 0) > after;
    },
    { sel: tid('quality'), after },
    { timeout: 60_000 },
  );
  return Number(await page.getAttribute(tid('quality'), 'data-report-seq'));
}

async function readFindings(page) {
  return page.$$eval(`${tid('quality-table')} tbody tr`, (rows) =>
    rows.map((row) => {
      const cell = (f) => row.querySelector(`[data-field="${f}"]`);
      return {
        severity: row.dataset.severity,
        kind: row.dataset.kind,
        column: row.dataset.column || null,
        count: Number(cell('count').dataset.value),
        examples: cell('examples').textContent,
        message: cell('message').textContent,
      };
    }),
  );
}

function expectedRows(report) {
  return report.findings.map((f) => ({
    severity: f.severity,
    kind: f.kind,
    column: f.column,
    count: f.count,
    examples: f.examples.length ? f.examples.join(', ') : '—',
    message: f.message,
  }));
}

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(tid(testid))]);
  return fs.readFileSync(await file.path(), 'utf8');
}

test('the sample: the findings and the contract are the CLI\'s', async (t) => {
  const { page, check } = await openPage(t, '?sample=1');
  await waitForQuality(page);
  const sampleDir = path.join(WEB, 'sample');
  const expected = JSON.parse(cli(['quality', '-r', 'reference.csv', '-c', 'current.csv', '--format', 'json'], sampleDir).stdout);
  assert.deepEqual(await readFindings(page), expectedRows(expected));
  assert.equal(await page.textContent(tid('quality-summary')), '0 errors, 1 warning, 0 infos — contract met');

  const contract = cli(['contract', 'infer', '-r', 'reference.csv'], sampleDir).stdout;
  assert.equal(await download(page, 'contract-download'), contract, 'the downloaded contract is the CLI\'s, byte for byte');
  const hash = JSON.parse(cli(['quality', '-r', 'reference.csv', '-c', 'current.csv', '--format', 'json'], sampleDir).stdout).contract.hash;
  assert.equal(await page.getAttribute(tid('contract-info'), 'data-hash'), hash);
  const contractPath = path.join(tmp, 'sample-contract.json');
  fs.writeFileSync(contractPath, contract);
  const schema = cli(['contract', 'schema', '--contract', contractPath]).stdout;
  assert.deepEqual(JSON.parse(await download(page, 'schema-download')), JSON.parse(schema));
  check();
});

test('an edited contract file is used, and a bad one is refused naming the field', async (t) => {
  const { page, check } = await openPage(t, '?sample=1');
  const seq = await waitForQuality(page);
  const contract = JSON.parse(await download(page, 'contract-download'));
  // Fog is no longer an allowed weather; the temperature must stay below 30.
  contract.fields.find((f) => f.name === 'weather').categories = ['drizzle', 'rain', 'snow', 'sun'];
  contract.fields.find((f) => f.name === 'temp_max').maximum = 30;
  contract.version = 'edited-1';
  const edited = path.join(tmp, 'edited.json');
  fs.writeFileSync(edited, JSON.stringify(contract, null, 2));
  await page.setInputFiles(tid('contract-input'), edited);
  const seq2 = await waitForQuality(page, seq);
  const findings = await readFindings(page);
  const expected = JSON.parse(
    cli(['quality', '-r', 'reference.csv', '-c', 'current.csv', '--contract', edited, '--format', 'json'], path.join(WEB, 'sample')).stdout,
  );
  assert.deepEqual(findings, expectedRows(expected));
  assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => [f.kind, f.column]), [['out_of_range', 'temp_max'], ['unseen_category', 'weather']]);
  assert.match(await page.textContent(tid('contract-info')), /^Contract: the contract file edited\.json · version edited-1 · hash /);
  assert.equal(await page.getAttribute(tid('quality-summary'), 'data-passed'), 'false');

  const bad = path.join(tmp, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ ...contract, fields: [{ name: 'temp_max', type: 'number', maximum: 'thirty' }] }));
  await page.setInputFiles(tid('contract-input'), bad);
  const box = page.locator(tid('contract-error'));
  await box.waitFor({ state: 'visible' });
  assert.equal(await box.textContent(), 'bad.json: fields[0].maximum (field "temp_max"): expected a number, found the string "thirty"');
  // The edited contract stays in use.
  assert.equal(await page.getAttribute(tid('contract-info'), 'data-origin'), 'file');

  await page.click(tid('contract-reset'));
  await waitForQuality(page, seq2);
  assert.equal(await page.getAttribute(tid('contract-info'), 'data-origin'), 'inferred');
  assert.equal(await page.textContent(tid('quality-summary')), '0 errors, 1 warning, 0 infos — contract met');
  check();
});

test('real data with breakages: every finding, with its example rows', async (t) => {
  const { page, check } = await openPage(t);
  await page.setInputFiles(tid('file-input-reference'), path.join(WINE, 'reference.csv'));
  await page.setInputFiles(tid('file-input-current'), path.join(WINE, 'current.csv'));
  await waitForQuality(page);
  const { stdout, status } = cli(['quality', '-r', 'reference.csv', '-c', 'current.csv', '--format', 'json'], WINE);
  assert.equal(status, 1);
  const findings = await readFindings(page);
  assert.deepEqual(findings, expectedRows(JSON.parse(stdout)));
  assert.ok(findings.length >= 10);
  const cultivar = findings.find((f) => f.kind === 'unseen_category');
  assert.deepEqual([cultivar.column, cultivar.examples], ['cultivar', '6, 18']);
  assert.equal(await page.locator(`${tid('finding-row')}[data-severity="error"]`).count(), findings.filter((f) => f.severity === 'error').length);
  await page.screenshot({ path: path.join(tmp, 'quality.png'), fullPage: true });
  check();
});
