// The readiness-rubric questionnaire in headless Chromium: answer items, watch the
// score, save the answers (download), reload, load the file, see the same score; the
// CLI scores the saved file the same; the drift check shows beside the items.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { ARTIFACTS, launchChromium, runModelgate } from './helpers.mjs';

let server;
let browser;
let tmp;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-rubric-'));
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const tid = (id) => `[data-testid="${id}"]`;
const item = (id) => `[data-testid="rubric-item"][data-item="${id}"]`;

/** A fresh page that records requests and page errors; check() asserts none went wrong. */
async function openPage(t, query = '') {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route((url) => !url.href.startsWith(`${server.url}/`), (route) => route.abort());
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  t.after(() => context.close());
  await page.goto(`${server.url}/${query}`);
  await page.locator(`${tid('rubric')}[data-state="ready"]`).waitFor();
  const check = () => {
    assert.deepEqual(requests.filter((u) => !u.startsWith(`${server.url}/`)), [], 'every request goes to the local server');
    assert.deepEqual(problems, [], 'no page errors or console errors');
  };
  return { page, check, requests };
}

async function scoreSeq(page) {
  return Number((await page.getAttribute(tid('rubric'), 'data-score-seq')) ?? 0);
}

/** Runs `action`, then waits for the score to be redrawn. */
async function rescored(page, action) {
  const before = await scoreSeq(page);
  await action();
  await page.waitForFunction(
    ({ sel, before }) => Number(document.querySelector(sel)?.dataset.scoreSeq ?? 0) > before,
    { sel: tid('rubric'), before },
  );
}

async function answer(page, id, status, { reason, evidence, notes } = {}) {
  await rescored(page, () => page.selectOption(`${item(id)} [data-field="status"]`, status));
  if (reason !== undefined) await rescored(page, () => page.fill(`${item(id)} [data-field="reason"]`, reason));
  if (evidence !== undefined) await rescored(page, () => page.fill(`${item(id)} [data-field="evidence"]`, evidence));
  if (notes !== undefined) await rescored(page, () => page.fill(`${item(id)} [data-field="notes"]`, notes));
}

/** What the page shows: final score, band, and each section's score. */
async function shown(page) {
  const sections = {};
  for (const row of await page.locator(tid('rubric-section-score')).all()) {
    sections[await row.getAttribute('data-section')] = (await row.locator('[data-field="score"]').innerText()).trim();
  }
  return {
    final: (await page.locator(tid('rubric-final')).innerText()).trim(),
    band: (await page.locator(tid('rubric-band')).innerText()).trim(),
    sections,
  };
}

async function save(page, format) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid(`rubric-save-${format}`))]);
  assert.equal(download.suggestedFilename(), `modelgate-answers-ml-test-score-2017.${format}`);
  const file = path.join(tmp, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

// Hand-computed (ML Test Score 2017: manual 0.5, automated 1, final = lowest section):
// data: data-1 automated (1), data-5 not applicable (out of the section: max 6) -> 1
// model: model-1 manual -> 0.5;  infrastructure: infra-1 automated -> 1
// monitoring: monitoring-1 manual + monitoring-2 manual -> 1;  final 0.5, band (0, 1]
const EXPECTED = { final: '0.5', band: '(0, 1]', sections: { data: '1', model: '0.5', infrastructure: '1', monitoring: '1' } };

test('answer items, save the file, reload, load it and see the same score', async (t) => {
  const { page, check } = await openPage(t);
  assert.equal(await page.inputValue(tid('rubric-select')), 'ml-test-score-2017');
  assert.equal(await page.locator(tid('rubric-item')).count(), 28);
  assert.deepEqual(await shown(page), {
    final: '0',
    band: '0',
    sections: { data: '0', model: '0', infrastructure: '0', monitoring: '0' },
  });

  await answer(page, 'data-1', 'automated', { evidence: 'https://ci.example/schema-check docs/schema.md', notes: 'nightly, "strict" mode, alerts to #ml' });
  // Not applicable without a reason counts as unanswered, and the page says so.
  await answer(page, 'data-5', 'not_applicable');
  assert.equal(await page.locator(`${item('data-5')} [data-field="hint"]`).isVisible(), true);
  assert.equal((await shown(page)).sections.data, '1');
  await page.click(tid('rubric-save-json'));
  await page.locator(tid('rubric-error')).waitFor();
  assert.match(await page.locator(tid('rubric-error')).innerText(), /Give a reason for each item marked not applicable before saving: data-5/);
  await answer(page, 'data-5', 'not_applicable', { reason: 'sensor readings only, no personal data' });
  assert.equal(await page.locator(`${item('data-5')} [data-field="hint"]`).isVisible(), false);
  await answer(page, 'model-1', 'manual');
  await answer(page, 'infra-1', 'automated');
  await answer(page, 'monitoring-1', 'manual');
  await answer(page, 'monitoring-2', 'manual');
  assert.deepEqual(await shown(page), EXPECTED);
  assert.equal(await page.locator(`${tid('rubric-section-score')}.weakest`).getAttribute('data-section'), 'model');
  assert.equal((await page.locator(`${item('data-5')} [data-field="points"]`).innerText()).trim(), 'not counted');
  // The weakest section's untouched test comes first among the next steps.
  assert.equal(await page.locator(`${tid('rubric-next-steps')} li`).first().getAttribute('data-item'), 'model-2');

  const jsonFile = await save(page, 'json');
  const csvFile = await save(page, 'csv');
  const saved = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  assert.equal(saved.rubric, 'ml-test-score-2017');
  assert.equal(saved.answers.length, 28, 'a saved file lists every item');
  assert.deepEqual(saved.answers.find((a) => a.id === 'data-1').evidence, ['https://ci.example/schema-check', 'docs/schema.md']);
  const csv = fs.readFileSync(csvFile, 'utf8');
  assert.ok(csv.startsWith('rubric,section,id,title,status,reason,evidence,notes\n'), csv);
  assert.ok(csv.includes(',data-1,A schema records what every feature should look like,automated,,https://ci.example/schema-check docs/schema.md,"nightly, ""strict"" mode, alerts to #ml"\n'), csv);

  // The native CLI scores the saved files exactly as the page did.
  for (const file of [jsonFile, csvFile]) {
    const cli = JSON.parse(runModelgate(['rubric', '--answers', file, '--format', 'json']).stdout);
    assert.equal(String(cli.final_score), EXPECTED.final);
    assert.equal(cli.band.label, EXPECTED.band);
    assert.deepEqual(Object.fromEntries(cli.sections.map((s) => [s.id, String(s.score)])), EXPECTED.sections);
  }

  // Reload: the answers are gone until the file is loaded again.
  await page.reload();
  await page.locator(`${tid('rubric')}[data-state="ready"]`).waitFor();
  assert.equal((await shown(page)).final, '0');
  // Loading a 2017 file while another rubric is selected switches back to its rubric.
  await rescored(page, () => page.selectOption(tid('rubric-select'), 'ml-test-score-2016'));
  await rescored(page, () => page.setInputFiles(tid('rubric-file-input'), jsonFile));
  assert.equal(await page.inputValue(tid('rubric-select')), 'ml-test-score-2017');
  assert.deepEqual(await shown(page), EXPECTED);
  assert.equal(await page.inputValue(`${item('data-1')} [data-field="status"]`), 'automated');
  assert.equal(await page.inputValue(`${item('data-1')} [data-field="notes"]`), 'nightly, "strict" mode, alerts to #ml');
  assert.equal(await page.inputValue(`${item('data-5')} [data-field="reason"]`), 'sensor readings only, no personal data');
  assert.match(await page.locator(tid('rubric-loaded')).innerText(), /Loaded modelgate-answers-ml-test-score-2017\.json: 6 answers\./);

  // The CSV, dropped on the section after a reload, gives the same score.
  await page.reload();
  await page.locator(`${tid('rubric')}[data-state="ready"]`).waitFor();
  const bytes = [...fs.readFileSync(csvFile)];
  await rescored(page, async () => {
    const drop = await page.evaluateHandle((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'answers.csv', { type: 'text/csv' }));
      return dt;
    }, bytes);
    await page.dispatchEvent(tid('rubric'), 'drop', { dataTransfer: drop });
  });
  assert.deepEqual(await shown(page), EXPECTED);
  // The drop went to the questionnaire, not to the drift check's file zones.
  assert.equal(await page.locator(tid('dropzone-reference')).getAttribute('data-state'), 'empty');
  check();
});

test('a bad answers file is refused with its line, and the answers on screen stay', async (t) => {
  const { page, check, requests } = await openPage(t);
  // The questionnaire's wasm instance comes from the module the worker compiled: one download.
  assert.equal(requests.filter((u) => u.endsWith('/pkg/modelgate_wasm_bg.wasm')).length, 1);
  await answer(page, 'model-1', 'automated');
  const bad = path.join(tmp, 'bad.csv');
  fs.writeFileSync(bad, 'id,status\ndata-1,manual\ndata-2,done\ndata-9,automated\n');
  await page.setInputFiles(tid('rubric-file-input'), bad);
  const error = page.locator(tid('rubric-error'));
  await error.waitFor();
  assert.equal(
    await error.innerText(),
    'bad.csv: line 3, column "status": unknown status "done"; expected not_done, manual, automated or not_applicable (or nothing, for unanswered)\n' +
      'bad.csv: line 4, column "id": unknown item id "data-9" for rubric ml-test-score-2017; its items are ' +
      'data-1, data-2, data-3, data-4, data-5, data-6, data-7, model-1, model-2, model-3, model-4, model-5, model-6, model-7, ' +
      'infra-1, infra-2, infra-3, infra-4, infra-5, infra-6, infra-7, monitoring-1, monitoring-2, monitoring-3, monitoring-4, ' +
      'monitoring-5, monitoring-6, monitoring-7',
  );
  assert.equal(await page.inputValue(`${item('model-1')} [data-field="status"]`), 'automated');
  assert.equal((await shown(page)).sections.model, '1');
  check();
});

test("the drift check shows beside the items it bears on and flags what it contradicts", async (t) => {
  const { page, check } = await openPage(t, '?sample=1');
  await page.locator(`${tid('results')}[data-state="ready"]`).waitFor();
  // The quality check runs after the drift report; its evidence joins once it is shown.
  await page.locator(`${tid('quality')}[data-state="ready"]`).waitFor();
  await rescored(page, () => page.selectOption(tid('rubric-select'), 'ml-test-score-2016'));
  const checks = page.locator(`${item('monitoring-2')} ${tid('rubric-item-evidence')} li`);
  await checks.first().waitFor();
  const kinds = await checks.evaluateAll((lis) => lis.map((li) => [li.dataset.kind, li.dataset.passed, li.dataset.role]));
  // The sample drifts (3 of 5 tested columns) but keeps its columns, types and finite values,
  // and meets the contract inferred from the reference (one warning, no error).
  assert.deepEqual(kinds, [
    ['schema', 'true', 'asserts'],
    ['nan_inf', 'true', 'asserts'],
    ['data_quality', 'true', 'asserts'],
    ['drift', 'false', 'informs'],
  ]);
  // In the 2016 rubric the distribution test is measured by the drift check itself.
  await answer(page, 'data-1', 'automated');
  const flag = page.locator(`${item('data-1')} ${tid('rubric-item-flag')}`);
  assert.equal(await flag.isVisible(), true);
  assert.match(await flag.innerText(), /^answered automated, but this run's drift check fails: 3 of 5 columns tested drifted between reference\.csv and current\.csv/);
  assert.equal(await page.locator(`${tid('rubric-flags')} li[data-item="data-1"]`).getAttribute('data-severity'), 'error');
  // data-1 automated = 2 points; the other sections are 0, so the final score stays 0.
  assert.deepEqual(await shown(page), { final: '0', band: '0', sections: { data: '2', model: '0', infrastructure: '0', monitoring: '0' } });
  // Answering it not done removes the contradiction.
  await answer(page, 'data-1', 'not_done');
  assert.equal(await flag.isVisible(), false);
  await page.screenshot({ path: path.join(ARTIFACTS, 'rubric.png'), fullPage: false });
  check();
});

test('the evaluation joins the evidence: a baseline that beats the model flags model-5', async (t) => {
  const { page, check } = await openPage(t);
  await page.click(tid('eval-sample-button'));
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="evaluation"]');
    return el?.dataset.state === 'ready' && Number(el.dataset.reportSeq ?? 0) > 0;
  });
  await rescored(page, () => page.selectOption(tid('rubric-select'), 'ml-test-score-2017'));
  const checks = page.locator(`${item('model-5')} ${tid('rubric-item-evidence')} li`);
  await checks.first().waitFor();
  const kinds = await checks.evaluateAll((lis) => lis.map((li) => [li.dataset.kind, li.dataset.passed, li.dataset.role]));
  // On the sample the linear baseline beats the model on MAE (modelgate evaluate says so too).
  assert.deepEqual(kinds, [['baseline', 'false', 'asserts']]);
  assert.match(await checks.first().innerText(), /mae: linear \(2\.21\) beats the model \(2\.323\)/);
  await answer(page, 'model-5', 'automated');
  const flag = page.locator(`${item('model-5')} ${tid('rubric-item-flag')}`);
  assert.equal(await flag.isVisible(), true);
  assert.match(await flag.innerText(), /^answered automated, but this run's baseline comparison fails: mae: linear \(2\.21\) beats the model/);
  // The slice check (weak slices on the sample) stands beside model-6.
  const slices = await page.locator(`${item('model-6')} ${tid('rubric-item-evidence')} li`).evaluateAll((lis) => lis.map((li) => [li.dataset.kind, li.dataset.passed]));
  assert.deepEqual(slices, [['slices', 'false']]);
  check();
});
