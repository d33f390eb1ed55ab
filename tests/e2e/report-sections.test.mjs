// Every section of a full report, drawn with its plots by the one renderer
// (web/report/): in the <modelgate-report> widget on its example page and in
// the self-contained HTML export opened from a file:// URL with the network
// blocked. The reports are the fixtures in tests/data/report/ (written by
// make_fixtures.py from the CLI's output) passed through the page's own export
// path, wasm `exportReport(sections, format)`, so the widget draws the saved JSON
// and the HTML is the file the page would save; the numbers asserted come from
// that JSON.
//
//   node --test tests/e2e/report-sections.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { startServer } from '../../scripts/serve.mjs';
import { ARTIFACTS, ROOT, assertDriftTable, expectedNumber, launchChromium, runModelgate } from './helpers.mjs';

const FIXTURES = path.join(ROOT, 'tests', 'data', 'report');
const fixtures = {};
let BINARY;
let REGRESSION;
let MULTICLASS;

/** A fixture's sections through wasm exportReport: the saved JSON and the HTML file. */
function exported(wasm, name) {
  const { kind, format_version: version, modelgate, ...sections } = JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
  assert.equal(kind, 'modelgate-report');
  assert.ok(version >= 1 && modelgate);
  fixtures[name] = { html: wasm.exportReport(sections, 'html') };
  return JSON.parse(wasm.exportReport(sections, 'json'));
}

let server;
let browser;
let tmp;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-sections-'));
  const wasmFile = path.join(ROOT, 'web', 'pkg', 'modelgate_wasm_bg.wasm');
  assert.ok(fs.existsSync(wasmFile), 'web/pkg is missing: run bash scripts/build-wasm.sh first');
  const wasm = await import(pathToFileURL(path.join(ROOT, 'web', 'pkg', 'modelgate_wasm.js')).href);
  wasm.initSync({ module: fs.readFileSync(wasmFile) });
  BINARY = exported(wasm, 'full-binary.json');
  REGRESSION = exported(wasm, 'full-regression.json');
  MULTICLASS = exported(wasm, 'evaluation-multiclass.json');
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A context that blocks every request but `allow(url)` and records page errors. */
async function isolatedPage(t, allow, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme });
  const blocked = [];
  const errors = [];
  await context.route('**/*', (route) => {
    if (allow(route.request().url())) return route.fallback();
    blocked.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  t.after(() => context.close());
  return { page, context, blocked, errors };
}

const text = async (scope, selector) => (await scope.locator(selector).first().innerText()).trim();

/** Asserts every section of `report` under `scope`, with its plots and numbers from the JSON. */
async function assertSections(scope, report) {
  const present = ['drift', 'quality', 'evaluation', 'comparison', 'skew', 'rubric'].filter((k) => report[k]);
  const order = await scope.locator('[data-testid^="section-"]').evaluateAll((nodes) => nodes.map((n) => n.dataset.testid));
  assert.deepEqual(order, [...(present.length > 1 ? ['section-summary'] : []), ...present.map((k) => `section-${k}`)], 'sections in order, absent ones not drawn');

  if (present.length > 1) {
    for (const key of present) {
      const summaryKey = key;
      assert.equal(await scope.locator(`[data-testid="summary-${summaryKey}"]`).count(), 1, `summary line for ${key}`);
    }
  }
  if (report.drift) {
    await assertDriftTable(scope, report.drift);
    assert.equal(await scope.locator('[data-testid="drift-chart"] .mg-bar').count(), report.drift.columns.filter((c) => c.status === 'tested').length);
  }
  if (report.quality) {
    const q = report.quality;
    const summary = `${q.errors} error${q.errors === 1 ? '' : 's'}, ${q.warnings} warning${q.warnings === 1 ? '' : 's'}, ${q.infos} info${q.infos === 1 ? '' : 's'} — contract ${q.passed ? 'met' : 'broken'}`;
    assert.equal(await text(scope, '[data-testid="section-quality"] [data-testid="quality-summary"]'), summary);
    assert.equal(await text(scope, '[data-testid="summary-quality"]'), `ok Data quality: ${summary}`.replace(/^ok/, q.passed ? 'ok' : 'look'));
    const rows = scope.locator('[data-testid="section-quality"] [data-testid="finding-row"]');
    assert.equal(await rows.count(), q.findings.length);
    for (const [i, f] of q.findings.entries()) {
      assert.equal(await rows.nth(i).getAttribute('data-kind'), f.kind);
      assert.equal(Number(await rows.nth(i).locator('[data-field="count"]').getAttribute('data-value')), f.count);
    }
    assert.ok((await scope.locator('[data-testid="quality-chart"] .mg-bar').count()) >= 1, 'findings per column chart');
  }
  if (report.evaluation) await assertEvaluation(scope.locator('[data-testid="section-evaluation"]'), report.evaluation);
  if (report.comparison) {
    const c = report.comparison;
    assert.equal(await scope.locator('[data-testid="comparison-summary"]').getAttribute('data-reproducible'), String(c.reproducible));
    for (const col of c.columns) {
      const row = scope.locator(`[data-testid="comparison-table"] tr[data-column="${col.column}"]`);
      assert.equal(await text(row, '[data-field="mismatched"]'), String(col.mismatched), `${col.column} mismatched`);
      assert.equal(Number(await row.locator('[data-field="mismatch_share"]').getAttribute('data-value')), col.mismatch_share);
      assert.equal(await text(row, '[data-field="max_abs_difference"]'), expectedNumber(col.max_abs_difference));
    }
  }
  if (report.skew) {
    const s = report.skew;
    assert.equal(await scope.locator('[data-testid="skew-summary"]').getAttribute('data-skewed'), String(s.skewed_features));
    for (const f of s.features) {
      const row = scope.locator(`[data-testid="skew-table"] tr[data-feature="${f.feature}"]`);
      assert.equal(await row.getAttribute('data-skewed'), String(f.skewed));
      assert.equal(await text(row, '[data-field="mismatch_count"]'), String(f.mismatch_count), `${f.feature} mismatches`);
      assert.equal(Number(await row.locator('[data-field="mismatch_share"]').getAttribute('data-value')), f.mismatch_share);
    }
  }
  if (report.rubric) {
    const r = report.rubric;
    const final = scope.locator('[data-testid="rubric-summary"] [data-field="final_score"]');
    assert.equal(await final.innerText(), expectedNumber(r.final_score));
    assert.equal(Number(await final.getAttribute('data-value')), r.final_score);
    assert.equal(await text(scope, '[data-testid="rubric-summary"] [data-field="band"]'), r.band.label);
    const bars = scope.locator('[data-testid="rubric-chart"] .mg-bar');
    assert.deepEqual(await bars.evaluateAll((b) => b.map((g) => [g.dataset.label, Number(g.dataset.value)])), r.sections.map((s) => [s.title, s.score]));
    assert.equal(await scope.locator('[data-testid="rubric-report-next-steps"] li').count(), r.next_steps.length);
    assert.match(await text(scope, '[data-testid="summary-rubric"]'), new RegExp(`${expectedNumber(r.final_score)} of ${expectedNumber(r.max_final_score)}`));
  }
}

/** Asserts the evaluation drawn under `section` (the report's section, or the page's). */
async function assertEvaluation(section, e) {
  const metric = e.primary_metric;
  assert.equal(await section.locator('[data-testid="eval-verdict"]').getAttribute('data-passed'), String(e.verdict.passed));
  // The baseline bars: the model and every compared baseline, with their whiskers.
  const compared = e.baselines.results.filter((b) => !b.skipped && typeof b.comparison?.baseline === 'number');
  const bars = await section.locator('[data-testid="baseline-chart"] .mg-bar').evaluateAll((g) => g.map((n) => [n.dataset.label, Number(n.dataset.value), n.querySelectorAll('.mg-whisker').length]));
  assert.deepEqual(bars, [['the model', e.metrics[metric], 0], ...compared.map((b) => [b.name, b.comparison.baseline, b.comparison.ci_low === null ? 0 : 1])]);
  // The whisker is the interval of the difference on the baseline's scale: the baseline
  // value the model's advantage at each end of the interval implies.
  for (const b of compared.filter((x) => x.comparison.ci_low !== null)) {
    const c = b.comparison;
    const g = section.locator(`[data-testid="baseline-chart"] .mg-bar[data-label="${b.name}"]`);
    const [lo, hi] = [Number(await g.getAttribute('data-lo')), Number(await g.getAttribute('data-hi'))];
    const baselineAt = (d) => (e.higher_is_better ? c.model - d : c.model + d);
    assert.ok(Math.abs(lo - Math.min(baselineAt(c.ci_low), baselineAt(c.ci_high))) < 1e-12 && Math.abs(hi - Math.max(baselineAt(c.ci_low), baselineAt(c.ci_high))) < 1e-12, `${b.name} whisker`);
    // Its difference, placed the same way, is the baseline's own value.
    assert.ok(Math.abs(baselineAt(c.difference) - c.baseline) < 1e-9, `${b.name}: difference and baseline agree`);
  }
  for (const b of compared) {
    const row = section.locator(`[data-testid="eval-baselines"] tr[data-baseline="${b.name}"]`);
    assert.equal(await text(row, '[data-field="gain"]'), expectedNumber(b.comparison.gain), `${b.name} gain`);
    assert.equal(await row.getAttribute('data-verdict'), b.comparison.verdict);
  }
  const losing = compared.filter((b) => b.comparison.verdict !== 'model_better');
  assert.equal(await section.locator('[data-testid="eval-baseline-verdict"]').getAttribute('data-passed'), String(losing.length === 0));
  if (losing.length) assert.match(await text(section, '[data-testid="eval-baseline-verdict"]'), new RegExp(`^${losing.map((b) => b.name).join(', ')} match`));

  if (e.task === 'regression') {
    assert.equal(await section.locator('[data-testid="confusion-matrix"]').count(), 0);
    const bars = section.locator('[data-testid="residual-histogram"] rect');
    assert.equal(await bars.count(), e.residuals.histogram_counts.length);
    for (const key of ['mae', 'rmse', 'r2']) {
      const cell = section.locator(`[data-testid="eval-regression-metrics"] [data-field="${key}"]`);
      assert.equal(await cell.innerText(), expectedNumber(e.metrics[key]), key);
    }
  } else {
    assert.equal(await section.locator('[data-testid="residual-histogram"]').count(), 0);
    // Confusion matrix counts, cell by cell.
    const cells = await section.locator('[data-testid="confusion-matrix"] [data-testid="heat-cell"]').evaluateAll((g) => g.map((n) => [n.dataset.row, n.dataset.col, n.querySelector('text').textContent]));
    const expected = e.confusion.labels.flatMap((r, i) => e.confusion.labels.map((c, j) => [r, c, String(e.confusion.matrix[i][j])]));
    assert.deepEqual(cells, expected, 'confusion matrix counts');
    // Per class.
    for (const c of e.per_class) {
      const row = section.locator(`[data-testid="eval-per-class"] tr[data-class="${c.class}"]`);
      for (const key of ['precision', 'recall', 'f1']) assert.equal(await text(row, `[data-field="${key}"]`), expectedNumber(c[key]), `${c.class} ${key}`);
    }
    // Reliability curve: a point per non-empty bin, the diagonal, the ECE.
    assert.equal(await section.locator('[data-testid="reliability-curve"] .mg-point').count(), e.calibration.curve.filter((b) => b.count > 0).length);
    assert.equal(await section.locator('[data-testid="reliability-curve"] .mg-diagonal').count(), 1);
    assert.equal(await text(section, '[data-testid="eval-ece"] [data-field="ece"]'), expectedNumber(e.calibration.ece));
  }
  // Slices: the chart has the slices furthest below overall, weak ones flagged.
  const groups = e.slices.flatMap((s) => s.groups.map((g) => ({ column: s.column, ...g })));
  assert.equal(await section.locator('[data-testid="eval-slices"] tbody tr').count(), groups.length);
  assert.equal(await section.locator('[data-testid="slice-chart"] .mg-bar').count(), Math.min(groups.filter((g) => typeof g.metrics[metric] === 'number').length, 24));
  assert.equal(await section.locator('[data-testid="slice-chart"] .mg-bar.mg-drifted').count(), Math.min(groups.filter((g) => g.weak).length, 24));
  const search = section.locator('[data-testid="eval-slices-search"]');
  if (groups.length > 8) {
    await search.fill(e.slices[0].column);
    const visible = await section.locator('[data-testid="eval-slices"] tbody tr:not([hidden])').count();
    assert.ok(visible >= e.slices[0].groups.length && visible < groups.length, 'the search hides other slices');
    await search.fill('');
  }
  if (e.fairness) {
    for (const key of ['demographic_parity_difference', 'equalized_odds_difference']) {
      assert.equal(await text(section, `[data-testid="eval-fairness-summary"] [data-field="${key}"]`), expectedNumber(e.fairness[key]), key);
    }
    assert.equal(await section.locator('[data-testid="fairness-chart"] .mg-bar').count(), e.fairness.groups.length);
  }
  if (e.time) {
    const points = await section.locator('[data-testid="time-chart"] .mg-point').evaluateAll((p) => p.map((n) => [n.dataset.label, Number(n.dataset.value)]));
    assert.deepEqual(points, e.time.periods.map((p) => [p.period, p.metrics[metric]]));
    const first = e.time.periods.find((p) => p.period === e.time.first_period).metrics[metric];
    const threshold = Number(await section.locator('[data-testid="time-chart"] [data-testid="threshold-line"]').getAttribute('data-value'));
    assert.ok(Math.abs(threshold - (e.higher_is_better ? first * (1 - e.time.drop) : first * (1 + e.time.drop))) < 1e-12, 'the first-period drop threshold');
    assert.equal(await text(section, '[data-testid="eval-time-summary"]'), e.time.suggestion);
  }
}

test('the page draws its quality and evaluation results with the same renderer and plots', async (t) => {
  const cli = (args) => JSON.parse(runModelgate(args).stdout);
  const evaluation = cli(['evaluate', '-p', 'web/sample/predictions.csv', '--train', 'web/sample/training.csv', '--format', 'json']);
  const quality = cli(['quality', '-r', 'web/sample/reference.csv', '-c', 'web/sample/current.csv', '--format', 'json']);
  const { page, blocked, errors } = await isolatedPage(t, (u) => u.startsWith(`${server.url}/`) || u.startsWith('blob:'));
  await page.goto(`${server.url}/`);
  await page.click('[data-testid="sample-button"]');
  await page.click('[data-testid="eval-sample-button"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="quality"]')?.dataset.state === 'ready');
  await page.waitForFunction(() => document.querySelector('[data-testid="evaluation"]')?.dataset.state === 'ready' && document.querySelector('[data-testid="eval-details"]')?.textContent.includes('training.csv'));
  const box = page.locator('[data-testid="eval-report"]');
  assert.equal(await box.locator('.mg-report').count(), 1, 'drawn by the report renderer');
  await assertEvaluation(box, evaluation);
  const q = page.locator('[data-testid="quality-render"]');
  assert.equal(await q.locator('[data-testid="finding-row"]').count(), quality.findings.length);
  assert.deepEqual(
    await q.locator('[data-testid="quality-chart"] .mg-bar').evaluateAll((g) => g.map((n) => n.dataset.label)),
    [...new Set(quality.findings.map((f) => f.column ?? 'all rows'))],
  );
  await page.screenshot({ path: path.join(ARTIFACTS, 'page-report-sections.png'), fullPage: true });
  assert.deepEqual(blocked, []);
  assert.deepEqual(errors, []);
});

test('the page exports every section it computed; the HTML export draws them offline', async (t) => {
  const cli = (args) => JSON.parse(runModelgate(args).stdout);
  const evaluation = cli(['evaluate', '-p', 'web/sample/predictions.csv', '--train', 'web/sample/training.csv', '--format', 'json']);
  const quality = cli(['quality', '-r', 'web/sample/reference.csv', '-c', 'web/sample/current.csv', '--format', 'json']);
  const { page, context, blocked, errors } = await isolatedPage(t, (u) => u.startsWith(`${server.url}/`) || u.startsWith('blob:'));
  await page.goto(`${server.url}/`);
  // An evaluation alone can be exported.
  await page.click('[data-testid="eval-sample-button"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="eval-details"]')?.textContent.includes('training.csv'));
  const save = async (format) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="export-${format}"]`)]);
    const file = path.join(tmp, `page-${Date.now()}-${download.suggestedFilename()}`);
    await download.saveAs(file);
    return file;
  };
  let saved = JSON.parse(fs.readFileSync(await save('json'), 'utf8'));
  assert.deepEqual(['drift', 'quality', 'evaluation', 'rubric'].filter((k) => saved[k]), ['evaluation']);
  // Then the drift sample (drift and quality) and one rubric answer.
  await page.click('[data-testid="sample-button"]');
  await page.locator('[data-testid="results"][data-state="ready"]').waitFor();
  await page.locator('[data-testid="quality"][data-state="ready"]').waitFor();
  const seq = Number((await page.getAttribute('[data-testid="rubric"]', 'data-score-seq')) ?? 0);
  await page.selectOption('[data-testid="rubric-item"][data-item="data-1"] [data-field="status"]', 'automated');
  await page.waitForFunction((before) => Number(document.querySelector('[data-testid="rubric"]').dataset.scoreSeq ?? 0) > before, seq);
  const jsonFile = await save('json');
  saved = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  assert.deepEqual(['drift', 'quality', 'evaluation', 'rubric'].filter((k) => saved[k]), ['drift', 'quality', 'evaluation', 'rubric']);
  assert.equal(saved.evaluation.metrics[evaluation.primary_metric], evaluation.metrics[evaluation.primary_metric]);
  assert.equal(saved.quality.warnings, quality.warnings);
  assert.equal(saved.rubric.counts.automated, 1);
  const htmlFile = await save('html');
  await context.close();

  const url = pathToFileURL(htmlFile).href;
  const offline = await isolatedPage(t, (u) => u === url);
  await offline.page.goto(url);
  await offline.page.locator('[data-testid="mg-report"]').waitFor();
  await assertSections(offline.page, saved);
  await offline.page.screenshot({ path: path.join(ARTIFACTS, 'page-export-all-sections.png'), fullPage: true });
  assert.deepEqual(offline.blocked, []);
  assert.deepEqual(offline.errors, []);
  assert.deepEqual(blocked, []);
  assert.deepEqual(errors, []);
});

/** The widget example page with its report served from `report`. */
async function widgetWith(t, report, shot) {
  const { page, context, blocked, errors } = await isolatedPage(t, (u) => u.startsWith(`${server.url}/`));
  await context.route('**/sample/report.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(report) }));
  await page.goto(`${server.url}/widget/example.html`);
  const widget = page.locator('[data-testid="widget-src"]');
  await widget.locator('[data-testid="mg-report"]').waitFor();
  await assertSections(widget, report);
  // The summary's links reach their section inside the shadow root, by keyboard.
  const link = widget.locator('[data-testid="summary-evaluation"] a');
  if (await link.count()) {
    await link.focus();
    await page.keyboard.press('Enter');
    assert.equal(await widget.locator('[data-testid="section-evaluation"]').evaluate((s) => s.getRootNode().activeElement === s), true, 'focus moved to the section');
  }
  if (shot) await page.screenshot({ path: path.join(ARTIFACTS, shot), fullPage: true });
  assert.deepEqual(blocked, []);
  assert.deepEqual(errors, []);
}

test('the widget example page draws the committed sample report, every section of it', async (t) => {
  const sample = JSON.parse(fs.readFileSync(path.join(ROOT, 'web', 'sample', 'report.json'), 'utf8'));
  assert.ok(sample.drift && sample.quality && sample.evaluation, 'the sample report has drift, quality and an evaluation');
  const { page, blocked, errors } = await isolatedPage(t, (u) => u.startsWith(`${server.url}/`));
  await page.goto(`${server.url}/widget/example.html`);
  const widget = page.locator('[data-testid="widget-src"]');
  await widget.locator('[data-testid="mg-report"]').waitFor();
  await assertSections(widget, sample);
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-example-sample.png'), fullPage: true });
  assert.deepEqual(blocked, []);
  assert.deepEqual(errors, []);
});

test('the widget draws every section of a full binary-classification report with its plots', async (t) => {
  await widgetWith(t, BINARY, 'widget-full-binary.png');
});

test('the widget draws the regression details and leaves absent sections out', async (t) => {
  await widgetWith(t, REGRESSION, 'widget-full-regression.png');
});

test('a multiclass evaluation alone: per-class table, confusion matrix and top-label reliability', async (t) => {
  await widgetWith(t, MULTICLASS, null);
});

for (const [name, fixture, scheme] of [
  ['binary', 'full-binary.json', 'light'],
  ['regression', 'full-regression.json', 'dark'],
]) {
  test(`the HTML export of the full ${name} report draws every section offline (${scheme} theme)`, async (t) => {
    const report = { 'full-binary.json': BINARY, 'full-regression.json': REGRESSION }[fixture];
    const file = path.join(tmp, `${name}.html`);
    fs.writeFileSync(file, fixtures[fixture].html);
    // Category labels are summaries (the drift histograms name them); the values a finding quotes are not.
    assert.ok(report.quality.findings.every((f) => !f.message.includes('"snow"') && !('values' in f && f.values?.length)), 'no raw value in the quality findings');
    const url = pathToFileURL(file).href;
    const { page, blocked, errors } = await isolatedPage(t, (u) => u === url, { colorScheme: scheme });
    await page.goto(url);
    await page.locator('[data-testid="mg-report"]').waitFor();
    await assertSections(page, report);
    // Sorting a table by a header is keyboard reachable.
    const header = page.locator('[data-testid="eval-metrics"] thead .mg-sort').nth(1);
    await header.focus();
    await page.keyboard.press('Enter');
    assert.equal(await header.evaluate((b) => b.parentElement.getAttribute('aria-sort')), 'descending');
    const values = await page.locator('[data-testid="eval-metrics"] tbody tr td:first-of-type').evaluateAll((c) => c.map((x) => Number(x.dataset.value)));
    assert.deepEqual(values, [...values].sort((a, b) => b - a));
    await page.screenshot({ path: path.join(ARTIFACTS, `export-full-${name}-${scheme}.png`), fullPage: true });
    assert.deepEqual(blocked, [], 'nothing but the file itself is requested');
    assert.deepEqual(errors, []);
  });
}
