// Several files dropped at once (web/files.js): every file's role is guessed from its
// name and columns, the guesses are shown with their reasons, each file reaches the
// part of the page that owns its role, a corrected role re-routes the file, and the
// numbers match the native CLI on the same files. Also the drift settings
// (web/drift-settings.js) and a saved profile as the reference.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { ARTIFACTS, assertDriftTable, launchChromium, openAuditedPage, ROOT, runModelgate } from './helpers.mjs';

const WEB = path.join(ROOT, 'web');
const sample = (name) => path.join(WEB, 'sample', name);
const tid = (id) => `[data-testid="${id}"]`;

let server;
let browser;
let tmp;
let splitPath; // a third dataset: the reference's last 200 rows, named like a validation split

before(async () => {
  assert.ok(fs.existsSync(path.join(WEB, 'pkg', 'modelgate_wasm_bg.wasm')), 'web/pkg is missing: run bash scripts/build-wasm.sh first');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-files-'));
  const lines = fs.readFileSync(sample('reference.csv'), 'utf8').trimEnd().split('\n');
  splitPath = path.join(tmp, 'validation-2013.csv');
  fs.writeFileSync(splitPath, `${[lines[0], ...lines.slice(-200)].join('\n')}\n`);
  server = await startServer({ port: 0, root: WEB });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const openPage = (t) => openAuditedPage(browser, t, `${server.url}/`, `${server.url}/`);

/** Drops the files (path -> name shown to the page) on the page body, as one drop. */
async function dropFiles(page, files) {
  const payload = files.map(([file, name]) => ({ name, bytes: [...fs.readFileSync(file)] }));
  await page.evaluate((payload) => {
    const dt = new DataTransfer();
    for (const { name, bytes } of payload) dt.items.add(new File([new Uint8Array(bytes)], name));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

async function roles(page) {
  return page.$$eval(`${tid('file-role-row')}`, (rows) =>
    Object.fromEntries(
      rows.map((r) => [r.dataset.file, { role: r.querySelector('select').value, reason: r.querySelector('[data-testid="file-role-reason"]').textContent }]),
    ),
  );
}

async function waitForDrift(page, currentName) {
  await page.waitForFunction(
    ({ name }) => document.querySelector('[data-testid="results"]')?.dataset.state === 'ready'
      && document.querySelector('[data-testid="file-name-current"]')?.textContent === name
      && document.querySelector('[data-testid="result-row"]'),
    { name: currentName },
  );
}

test('a folder of files dropped at once: every role guessed, routed, and correctable', async (t) => {
  const { page, check } = await openPage(t);
  const answers = path.join(tmp, 'answers.csv');
  fs.writeFileSync(answers, 'id,status,notes\ndata-1,automated,nightly\nmodel-1,manual,\n');
  await dropFiles(page, [
    [sample('predictions.csv'), 'predictions.csv'],
    [sample('current.csv'), 'current.csv'],
    [splitPath, 'validation-2013.csv'],
    [sample('training.csv'), 'training.csv'],
    [answers, 'answers.csv'],
    [sample('reference.csv'), 'reference.csv'],
  ]);
  await page.locator(`${tid('file-role-row')}[data-file="answers.csv"][data-role="answers"]`).waitFor();
  assert.deepEqual(await roles(page), {
    'predictions.csv': { role: 'predictions', reason: 'label column "target" next to "prediction"' },
    'current.csv': { role: 'current', reason: 'name contains "current"' },
    'validation-2013.csv': { role: 'split', reason: 'name contains "valid"' },
    'training.csv': { role: 'training', reason: 'labelled ("target") like predictions.csv, without predictions' },
    'answers.csv': { role: 'answers', reason: 'columns "id" and "status": rubric answers' },
    'reference.csv': { role: 'reference', reason: 'name contains "reference"' },
  });

  // The drift check got reference and current, and its numbers are the CLI's.
  await waitForDrift(page, 'current.csv');
  assert.equal(await page.textContent(tid('file-name-reference')), 'reference.csv');
  const cli = JSON.parse(runModelgate(['drift', '-r', 'web/sample/reference.csv', '-c', 'web/sample/current.csv', '-c', splitPath, '--format', 'json']).stdout);
  await assertDriftTable(page, cli.comparisons[0]);

  // The split is compared too: one row per dataset, the CLI's counts.
  await page.locator(`${tid('comparison-row')}[data-dataset="validation-2013.csv"]`).waitFor();
  const rows = await page.$$eval(tid('comparison-row'), (trs) =>
    trs.map((tr) => ({ dataset: tr.dataset.dataset, drift: tr.dataset.drift, rows: tr.querySelector('[data-field="rows"]').textContent, drifted: tr.querySelector('[data-field="drifted"]').textContent })));
  assert.deepEqual(rows, cli.comparisons.map((c, i) => ({
    dataset: ['current.csv', 'validation-2013.csv'][i],
    drift: String(c.dataset_drift),
    rows: c.current.rows.toLocaleString('en-US'),
    drifted: `${c.drifted_columns} of ${c.tested_columns}`,
  })));
  // Showing the split's report draws its own numbers.
  await page.locator(`${tid('comparison-row')}[data-dataset="validation-2013.csv"] ${tid('comparison-show')}`).click();
  await assertDriftTable(page, cli.comparisons[1]);

  // The predictions reached the evaluation, with the training file; the answers reached the rubric.
  await page.locator(`${tid('eval-report')}:visible`).waitFor({ timeout: 60_000 });
  assert.equal(await page.textContent(tid('file-name-predictions')), 'predictions.csv');
  assert.equal(await page.textContent(tid('file-name-training')), 'training.csv');
  await page.locator(tid('rubric-loaded')).waitFor();
  assert.match(await page.locator(tid('rubric-loaded')).innerText(), /Loaded answers\.csv: 2 answers\./);

  // A corrected role re-routes the file: the split becomes the current data.
  await page.selectOption(`${tid('file-role-row')}[data-file="validation-2013.csv"] select`, 'current');
  await waitForDrift(page, 'validation-2013.csv');
  const now = await roles(page);
  assert.deepEqual(now['validation-2013.csv'], { role: 'current', reason: 'chosen by you' });
  assert.deepEqual(now['current.csv'], { role: 'unused', reason: 'validation-2013.csv took its role' });
  await assertDriftTable(page, cli.comparisons[1]);
  await page.locator(tid('comparison')).waitFor({ state: 'hidden' });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'files-roles.png'), fullPage: true });
  check();
});

test('drift settings: methods per type and column, thresholds and Bonferroni, as the CLI', async (t) => {
  const { page, check } = await openPage(t);
  await page.click(tid('sample-button'));
  await waitForDrift(page, 'current.csv');
  await page.click(`${tid('drift-settings')} summary`);
  const seq = async () => Number(await page.getAttribute(tid('results'), 'data-report-seq'));
  const changed = async (action) => {
    const before = await seq();
    await action();
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid="results"]').dataset.reportSeq) > b, before);
  };
  await changed(() => page.selectOption(tid('setting-method-numeric'), 'psi'));
  await changed(() => page.check(tid('setting-bonferroni')));
  await page.selectOption(tid('setting-column'), 'weather');
  await page.selectOption(tid('setting-column-method'), 'jensen_shannon');
  await page.fill(tid('setting-column-threshold'), '0.05');
  await changed(() => page.click(tid('setting-column-add')));
  await page.selectOption(tid('setting-threshold-method'), 'psi');
  await page.fill(tid('setting-threshold'), '0.2');
  await changed(() => page.press(tid('setting-threshold'), 'Enter'));
  assert.deepEqual(await page.$$eval(`${tid('setting-column-chip')} span`, (s) => s.map((x) => x.textContent)), ['weather: JS, threshold 0.05']);
  const cli = JSON.parse(runModelgate([
    'drift', '-r', 'web/sample/reference.csv', '-c', 'web/sample/current.csv', '--format', 'json',
    '--method-for', 'numeric=psi', '--bonferroni', '--method', 'weather=jensen_shannon', '--column-threshold', 'weather=0.05',
    '--threshold', 'psi=0.2',
  ]).stdout);
  await assertDriftTable(page, cli);
  // A share outside (0, 1] is refused on the page, and the report stays.
  await page.fill(tid('setting-drift-share'), '1.5');
  await page.press(tid('setting-drift-share'), 'Enter');
  assert.match(await page.locator(tid('drift-settings-error')).innerText(), /share of drifted columns/);
  await assertDriftTable(page, cli);
  // Back to the defaults: the CLI's default report again.
  await page.fill(tid('setting-drift-share'), '');
  await changed(() => page.click(tid('setting-reset')));
  await assertDriftTable(page, JSON.parse(runModelgate(['drift', '-r', 'web/sample/reference.csv', '-c', 'web/sample/current.csv', '--format', 'json']).stdout));
  check();
});

test('a saved reference profile stands in for the reference data', async (t) => {
  const { page, check } = await openPage(t);
  const profile = path.join(tmp, 'reference.profile.json');
  runModelgate(['profile', '-i', 'web/sample/reference.csv', '-o', profile], { okStatuses: [0] });
  await dropFiles(page, [[profile, 'reference.profile.json'], [sample('current.csv'), 'current.csv']]);
  await page.locator(`${tid('file-role-row')}[data-file="reference.profile.json"][data-role="profile"]`).waitFor();
  assert.equal((await roles(page))['reference.profile.json'].reason, 'JSON in the modelgate-profile format');
  await waitForDrift(page, 'current.csv');
  const cli = JSON.parse(runModelgate(['drift', '--reference-profile', profile, '-c', 'web/sample/current.csv', '--format', 'json']).stdout);
  await assertDriftTable(page, cli);
  check();
});

test('the exported reference profile holds no row and gives the same drift when dropped back', async (t) => {
  const { page, check } = await openPage(t);
  await page.click(tid('sample-button'));
  await waitForDrift(page, 'current.csv');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('export-profile'))]);
  assert.equal(download.suggestedFilename(), 'reference.profile.json');
  const file = path.join(tmp, 'exported.profile.json');
  await download.saveAs(file);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(profile.format, 'modelgate-profile');
  assert.equal(profile.rows, fs.readFileSync(sample('reference.csv'), 'utf8').trimEnd().split('\n').length - 1);
  assert.deepEqual(profile.sample.rows, [], 'no row of the data');
  // The CLI's own profile of the same file does carry rows: the export left them out.
  const full = path.join(tmp, 'cli.profile.json');
  runModelgate(['profile', '-i', 'web/sample/reference.csv', '-o', full], { okStatuses: [0] });
  assert.ok(JSON.parse(fs.readFileSync(full, 'utf8')).sample.rows.length > 0);

  await page.reload();
  await dropFiles(page, [[file, 'reference.profile.json'], [sample('current.csv'), 'current.csv']]);
  await waitForDrift(page, 'current.csv');
  const cli = JSON.parse(runModelgate(['drift', '--reference-profile', file, '-c', 'web/sample/current.csv', '--format', 'json']).stdout);
  await assertDriftTable(page, cli);
  check();
});
