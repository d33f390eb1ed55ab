// End-to-end tests of the page's model-evaluation section (web/sections/evaluation.js)
// in headless Chromium: the figures it renders equal the native CLI's
// `modelgate evaluate --format json` on the same files.
//
//   node --test tests/e2e/evaluation.test.mjs
//
// Needs web/pkg (bash scripts/build-wasm.sh), /usr/bin/chromium and cargo.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { ARTIFACTS, expectedNumber, launchChromium, ROOT } from './helpers.mjs';

const WEB = path.join(ROOT, 'web');
const SAMPLE = {
  predictions: path.join(WEB, 'sample', 'predictions.csv'),
  training: path.join(WEB, 'sample', 'training.csv'),
};
const DIABETES = path.join(ROOT, 'tests', 'data', 'eval', 'diabetes_binary.csv');

let server;
let browser;
let tmp;
let sampleCli;

const VERDICT = {
  model_better: 'model better',
  no_significant_difference: 'baseline matches',
  baseline_better: 'baseline better',
  not_compared: 'not compared',
};

function runCli(args, expectCodes = [0, 1]) {
  const env = { ...process.env, PATH: `${path.join(os.homedir(), '.cargo', 'bin')}${path.delimiter}${process.env.PATH}` };
  const result = spawnSync('cargo', ['run', '-q', '-p', 'modelgate-cli', '--', 'evaluate', ...args, '--format', 'json'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 15 * 60 * 1000,
  });
  assert.equal(result.error, undefined, `cannot run cargo: ${result.error}`);
  assert.ok(expectCodes.includes(result.status), `the CLI exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

before(async () => {
  assert.ok(fs.existsSync(path.join(WEB, 'pkg', 'modelgate_wasm_bg.wasm')), 'web/pkg is missing: run bash scripts/build-wasm.sh first');
  sampleCli = runCli(['-p', 'web/sample/predictions.csv', '--train', 'web/sample/training.csv']);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-e2e-eval-'));
  server = await startServer({ port: 0, root: WEB });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function openPage(t) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route((url) => !url.href.startsWith(`${server.url}/`), (route) => route.abort());
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console error: ${m.text()}`)));
  t.after(() => context.close());
  await page.goto(`${server.url}/`);
  const check = () => {
    assert.deepEqual(requests.filter((u) => !u.startsWith(`${server.url}/`)), [], 'every request goes to the local server');
    assert.deepEqual(problems, [], 'no page errors or console errors');
  };
  return { page, check };
}

const tid = (id) => `[data-testid="${id}"]`;

async function reportSeq(page) {
  return Number((await page.getAttribute(tid('evaluation'), 'data-report-seq')) ?? 0);
}

async function waitForReport(page, after = 0) {
  await page.waitForFunction(
    ({ sel, after }) => {
      const el = document.querySelector(sel);
      return el?.dataset.state === 'ready' && Number(el.dataset.reportSeq ?? 0) > after;
    },
    { sel: tid('evaluation'), after },
  );
}

function close(actual, expected, what) {
  if (expected === null || expected === undefined) {
    assert.equal(actual, null, `${what}: expected no value`);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(expected), 1e-300), `${what}: page ${actual}, CLI ${expected}`);
}

/** Reads a table's rows: the row's data- attributes and, per data-field cell, its text and raw value. */
async function readRows(page, testid) {
  return page.$$eval(`${tid(testid)} tbody tr`, (rows) =>
    rows.map((row) => {
      const cells = {};
      for (const cell of row.querySelectorAll('[data-field]')) {
        const key = cell.dataset.baseline && cell.dataset.field !== cell.dataset.baseline ? cell.dataset.field : cell.dataset.field;
        cells[key] = { text: cell.textContent, value: cell.dataset.value === undefined ? null : Number(cell.dataset.value) };
      }
      return { data: { ...row.dataset }, cells };
    }),
  );
}

/** Everything the section renders equals the CLI's report, in the page's formatting. */
async function assertMatchesCli(page, cli) {
  assert.equal(await page.getAttribute(tid('eval-verdict'), 'data-passed'), String(cli.verdict.passed));
  if (!cli.verdict.passed) {
    const reasons = await page.$$eval(`${tid('eval-reasons')} li`, (items) => items.map((i) => i.textContent));
    assert.deepEqual(reasons, cli.verdict.reasons);
  }
  const b = cli.baselines;
  const fitted = b.fitted_on === 'training' ? `${path.basename(cli.training.source)} (${b.fit_rows.toLocaleString('en-US')} rows)` : 'the evaluated rows';
  const task = { binary: 'binary classification', multiclass: 'multiclass classification', regression: 'regression' }[cli.task];
  const source = path.basename(cli.source);
  assert.equal(
    await page.textContent(tid('eval-details')),
    [
      `${source}: ${cli.rows_evaluated.toLocaleString('en-US')} of ${cli.rows.toLocaleString('en-US')} rows evaluated`,
      task + (cli.positive_class !== null ? `, positive class “${cli.positive_class}”` : ''),
      `baselines fitted on ${fitted}`,
      `${expectedNumber(b.confidence * 100)}% bootstrap intervals from ${b.resamples.toLocaleString('en-US')} resamples, seed ${b.seed}`,
    ].join(' · '),
  );

  // The model against the baselines.
  const rows = await readRows(page, 'eval-baselines');
  assert.deepEqual(rows.map((r) => r.data.baseline), ['model', ...b.results.map((x) => x.name)]);
  close(rows[0].cells.value.value, cli.metrics[cli.primary_metric], 'model');
  for (const [i, x] of b.results.entries()) {
    const row = rows[i + 1];
    const c = x.comparison;
    const what = `baseline ${x.name}`;
    if (x.skipped) {
      assert.equal(row.cells['verdict-label'].text, 'skipped', what);
      continue;
    }
    assert.equal(row.data.verdict, c.verdict, what);
    assert.equal(row.cells['verdict-label'].text, VERDICT[c.verdict], what);
    for (const key of ['baseline', 'difference', 'gain']) {
      const field = key === 'baseline' ? 'value' : key;
      close(row.cells[field].value, c[key], `${what} ${key}`);
      assert.equal(row.cells[field].text, expectedNumber(c[key]), `${what} ${key} text`);
    }
    const interval = c.ci_low === null ? '—' : `[${expectedNumber(c.ci_low)}, ${expectedNumber(c.ci_high)}]`;
    assert.equal(row.cells.interval.text, interval, `${what} interval`);
  }

  // Every metric, model and baselines.
  const metrics = await page.$$eval(`${tid('eval-metrics')} tbody tr`, (trs) =>
    trs.map((tr) => ({
      metric: tr.dataset.metric,
      cells: [...tr.querySelectorAll('td')].map((td) => ({
        baseline: td.dataset.baseline,
        text: td.textContent,
        value: td.dataset.value === undefined ? null : Number(td.dataset.value),
      })),
    })),
  );
  assert.deepEqual(metrics.map((m) => m.metric), Object.keys(cli.metrics));
  const shown = b.results.filter((x) => !x.skipped);
  for (const m of metrics) {
    assert.deepEqual(m.cells.map((c) => c.baseline), ['model', ...shown.map((x) => x.name)]);
    close(m.cells[0].value, cli.metrics[m.metric], `model ${m.metric}`);
    assert.equal(m.cells[0].text, expectedNumber(cli.metrics[m.metric]), `model ${m.metric} text`);
    for (const [i, x] of shown.entries()) {
      close(m.cells[i + 1].value, x.metrics[m.metric] ?? null, `${x.name} ${m.metric}`);
      assert.equal(m.cells[i + 1].text, expectedNumber(x.metrics[m.metric] ?? null), `${x.name} ${m.metric} text`);
    }
  }

  // Findings.
  const findings = await page.$$eval(`${tid('eval-findings')} li`, (items) => items.map((i) => ({ code: i.dataset.code, text: i.textContent })));
  assert.deepEqual(findings.map((f) => f.code), cli.findings.map((f) => f.code));
  for (const [i, f] of cli.findings.entries()) {
    if (f.count > 0) assert.ok(findings[i].text.includes(f.rows.join(', ')), `${f.code} lists rows ${f.rows}: ${findings[i].text}`);
  }

  // Slices.
  const slices = await readRows(page, 'eval-slices');
  const expected = cli.slices.flatMap((s) => s.groups.map((g) => ({ column: s.column, g })));
  assert.equal(slices.length, expected.length, 'one row per slice');
  for (const [i, { column, g }] of expected.entries()) {
    const row = slices[i];
    assert.equal(row.data.column, column);
    assert.equal(row.data.slice, g.value);
    assert.equal(row.data.weak, String(g.weak));
    assert.equal(row.cells.rows.value, g.rows);
    close(row.cells.metric.value, g.metrics[cli.primary_metric] ?? null, `slice ${column}=${g.value}`);
  }

  // Fairness.
  if (cli.fairness) {
    for (const key of ['demographic_parity_difference', 'demographic_parity_ratio', 'equal_opportunity_difference', 'equalized_odds_difference']) {
      const span = await page.$(`${tid('eval-fairness-summary')} [data-field="${key}"]`);
      close(Number(await span.getAttribute('data-value')), cli.fairness[key], key);
      assert.equal(await span.textContent(), expectedNumber(cli.fairness[key]), `${key} text`);
    }
    const groups = await readRows(page, 'eval-fairness');
    assert.deepEqual(groups.map((g) => g.data.group), cli.fairness.groups.map((g) => g.value));
    for (const [i, g] of cli.fairness.groups.entries()) {
      for (const key of ['selection_rate', 'true_positive_rate', 'false_positive_rate']) close(groups[i].cells[key].value, g[key], `group ${g.value} ${key}`);
    }
  } else {
    assert.equal(await page.$(tid('eval-fairness')), null, 'no fairness table without a sensitive column');
  }

  // Time.
  if (cli.time) {
    assert.equal(await page.textContent(tid('eval-time-summary')), cli.time.suggestion);
    const periods = await readRows(page, 'eval-time');
    assert.deepEqual(periods.map((p) => p.data.period), cli.time.periods.map((p) => p.period));
    for (const [i, p] of cli.time.periods.entries()) close(periods[i].cells.metric.value, p.metrics[cli.primary_metric] ?? null, `period ${p.period}`);
  }
}

test('the CLI report on the evaluation sample has the documented shape', () => {
  assert.equal(sampleCli.task, 'regression');
  assert.equal(sampleCli.rows_evaluated, 364);
  assert.equal(sampleCli.baselines.fitted_on, 'training');
  assert.deepEqual(sampleCli.baselines.results.map((b) => b.name), ['mean', 'median', 'last_value', 'stump', 'linear']);
  const verdicts = Object.fromEntries(sampleCli.baselines.results.map((b) => [b.name, b.comparison.verdict]));
  // Persistence (yesterday's temperature) matches the random forest and least squares beats it.
  assert.equal(verdicts.last_value, 'no_significant_difference');
  assert.equal(verdicts.linear, 'baseline_better');
  assert.equal(verdicts.mean, 'model_better');
  assert.equal(sampleCli.verdict.passed, false);
  assert.equal(sampleCli.time.period, 'month');
  assert.equal(sampleCli.time.degraded_period, '2015-03');
});

test('the evaluation sample set through the file inputs renders the CLI numbers', async (t) => {
  const { page, check } = await openPage(t);
  assert.equal(await page.getByLabel('Choose a file for the predictions CSV').getAttribute('data-testid'), 'file-input-predictions');
  await page.setInputFiles(tid('file-input-training'), SAMPLE.training);
  await page.setInputFiles(tid('file-input-predictions'), SAMPLE.predictions);
  await waitForReport(page);
  // The training file may land after a first report without it; wait for the one that used it.
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('training.csv'), tid('eval-details'));
  await assertMatchesCli(page, sampleCli);
  assert.equal(await page.getAttribute(tid('dropzone-predictions'), 'data-state'), 'loaded');
  assert.match(await page.textContent(tid('info-predictions')), /364 rows/);
  // The drift zones are untouched.
  assert.equal(await page.getAttribute(tid('dropzone-reference'), 'data-state'), 'empty');
  assert.equal(await page.getAttribute(tid('results'), 'data-state'), 'waiting');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'page-evaluation.png'), fullPage: true });
  check();
});

test('the evaluation sample button renders the same report', async (t) => {
  const { page, check } = await openPage(t);
  await page.click(tid('eval-sample-button'));
  await waitForReport(page);
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('training.csv'), tid('eval-details'));
  const cli = { ...sampleCli, source: 'predictions.csv', training: { ...sampleCli.training, source: 'training.csv' } };
  await assertMatchesCli(page, cli);
  check();
});

test('a sensitive column adds the fairness figures, and no training file fits the baselines on the rows', async (t) => {
  const { page, check } = await openPage(t);
  await page.setInputFiles(tid('file-input-predictions'), DIABETES);
  await waitForReport(page);
  await assertMatchesCli(page, runCli(['-p', 'tests/data/eval/diabetes_binary.csv']));
  const seq = await reportSeq(page);
  await page.selectOption(tid('eval-sensitive'), 'sex');
  await waitForReport(page, seq);
  const cli = runCli(['-p', 'tests/data/eval/diabetes_binary.csv', '--sensitive', 'sex']);
  assert.ok(cli.fairness.demographic_parity_difference > 0);
  await assertMatchesCli(page, cli);
  check();
});

test('misaligned rows are listed with their row numbers; a file without labels is an inline error', async (t) => {
  const { page, check } = await openPage(t);
  const write = (name, text) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const misaligned = write('misaligned.csv', 'label,prediction,score\n1,1,0.9\n,0,0.2\n0,,0.3\n1,1,NaN\n0,0,1.5\n0,0,0.1\n1,0,0.4\n0,1,0.6\n');
  await page.setInputFiles(tid('file-input-predictions'), misaligned);
  await waitForReport(page);
  const cli = runCli(['-p', misaligned]);
  await assertMatchesCli(page, { ...cli, source: 'misaligned.csv' });
  const items = await page.$$eval(`${tid('eval-findings')} li`, (li) => li.map((i) => [i.dataset.code, i.dataset.severity, i.textContent]));
  const byCode = Object.fromEntries(items.map(([code, severity, text]) => [code, { severity, text }]));
  assert.equal(byCode.missing_prediction.severity, 'error');
  assert.match(byCode.missing_prediction.text, /1 row: 3: the prediction is missing/);
  assert.match(byCode.missing_label.text, /1 row: 2:/);
  assert.match(byCode.non_finite_probability.text, /1 row: 4:/);
  assert.match(byCode.probability_out_of_range.text, /1 row: 5:/);
  assert.equal(await page.getAttribute(tid('eval-verdict'), 'data-passed'), 'false');

  const unlabelled = write('unlabelled.csv', 'a,b\n1,2\n3,4\n');
  await page.setInputFiles(tid('file-input-predictions'), unlabelled);
  const box = page.locator(tid('eval-error'));
  await box.waitFor({ state: 'visible' });
  assert.match(await box.textContent(), /^unlabelled\.csv: no label column/);
  assert.equal(await box.getAttribute('data-code'), 'no_label_column');
  assert.equal(await page.isVisible(tid('eval-report')), false);

  const ragged = write('ragged.csv', 'label,prediction\n1,1\n0\n');
  await page.setInputFiles(tid('file-input-predictions'), ragged);
  const zoneError = page.locator(tid('error-predictions'));
  await zoneError.waitFor({ state: 'visible' });
  assert.match(await zoneError.textContent(), /^ragged\.csv: row 2: expected 2 fields/);
  assert.equal(await zoneError.getAttribute('data-code'), 'ragged_row');

  // A good file brings the report back.
  const seq = await reportSeq(page);
  await page.setInputFiles(tid('file-input-predictions'), misaligned);
  await waitForReport(page, seq);
  assert.equal(await page.isVisible(tid('error-predictions')), false);
  check();
});
