// The report outside the page: the <modelgate-report> widget on its example page,
// and the self-contained HTML export opened offline from disk.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { startServer } from '../../scripts/serve.mjs';
import { ARTIFACTS, ROOT, assertDriftTable, launchChromium, runModelgate } from './helpers.mjs';

// Every section the sample files allow: drift and quality (reference, current), the
// evaluation (predictions, with baselines fitted on training).
const SAMPLE_ARGS = [
  '-r', 'web/sample/reference.csv', '-c', 'web/sample/current.csv',
  '--predictions', 'web/sample/predictions.csv', '--training', 'web/sample/training.csv',
];

let server;
let browser;
let tmp;
let cliReport; // `modelgate report --format json` on the sample

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-report-'));
  cliReport = JSON.parse(runModelgate(['report', ...SAMPLE_ARGS, '--format', 'json']).stdout);
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A page that records every request and fails the test on page errors. */
async function recordingPage() {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { page, requests, errors };
}

test('the committed sample report is what the CLI produces now', () => {
  const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'web', 'sample', 'report.json'), 'utf8'));
  assert.deepEqual(committed, cliReport, `regenerate it: modelgate report ${SAMPLE_ARGS.join(' ')} --format json -o web/sample/report.json`);
  assert.deepEqual(Object.keys(committed), ['kind', 'format_version', 'modelgate', 'drift', 'quality', 'evaluation']);
});

test('the widget renders a report from src, isolated from the host page styles', async () => {
  const { page, requests, errors } = await recordingPage();
  await page.goto(`${server.url}/widget/example.html`);
  const widget = page.locator('[data-testid="widget-src"]');
  await widget.locator('[data-testid="summary"]').waitFor();
  assert.equal(await widget.locator('[data-testid="summary"]').innerText(), '3 of 5 tested columns drifted — dataset drift: yes');
  await assertDriftTable(widget, cliReport.drift);

  // The host page paints every table cell magenta with a 3px border; the shadow root keeps it out.
  const border = await widget.locator('[data-testid="result-row"] td').first().evaluate((td) => getComputedStyle(td).borderTopWidth);
  assert.notEqual(border, '3px');
  assert.equal(await page.locator('[data-testid="snippet"]').innerText().then((t) => t.includes('<modelgate-report src=')), true);

  // A per-column plot opens on demand, with one bar pair per bin.
  await widget.locator('[data-column="temp_max"] [data-testid="toggle-detail"]').click();
  const bars = widget.locator('[data-testid="detail-row"][data-column="temp_max"] svg rect');
  const bins = cliReport.drift.columns.find((c) => c.column === 'temp_max').histogram.reference.length;
  assert.equal(await bars.count(), 2 * bins);
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-example.png'), fullPage: true });
  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => u.startsWith(server.url)), requests.join('\n'));
  await page.close();
});

test('the widget without src accepts a dropped report file', async () => {
  const { page, errors } = await recordingPage();
  await page.goto(`${server.url}/widget/example.html`);
  const host = page.locator('[data-testid="widget-drop-host"]');
  await host.locator('[data-testid="widget-drop"]').waitFor();

  // Not a report, then not JSON: an inline error naming the file, and the drop zone stays.
  const notReport = path.join(tmp, 'notes.json');
  fs.writeFileSync(notReport, '{"hello": "world"}');
  await host.locator('[data-testid="widget-file"]').setInputFiles(notReport);
  const problem = host.locator('[data-testid="widget-error"]');
  await problem.waitFor();
  assert.equal(await problem.innerText(), 'notes.json: not a modelgate report (expected "kind": "modelgate-report")');
  const notJson = path.join(tmp, 'broken.json');
  fs.writeFileSync(notJson, '{"kind": "modelgate-report", ');
  await host.locator('[data-testid="widget-file"]').setInputFiles(notJson);
  await page.waitForFunction(() => document.querySelector('[data-testid="widget-drop-host"]').shadowRoot
    .querySelector('[data-testid="widget-error"]').textContent.startsWith('broken.json: '));

  const file = path.join(tmp, 'saved-report.json');
  fs.writeFileSync(file, JSON.stringify(cliReport));
  await host.locator('[data-testid="widget-file"]').setInputFiles(file);
  await host.locator('[data-testid="summary"]').waitFor();
  await assertDriftTable(host, cliReport.drift);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the exported HTML opens offline with the same numbers and makes no request', async () => {
  const file = path.join(tmp, 'report.html');
  runModelgate(['report', ...SAMPLE_ARGS, '--format', 'html', '--output', file], { okStatuses: [0] });
  const size = fs.statSync(file).size;
  assert.ok(size < 100_000, `the HTML export should be small, is ${size} bytes`);
  const html = fs.readFileSync(file, 'utf8');
  assert.ok(!/<script[^>]+src=/.test(html) && !/<link[^>]+href=/.test(html), 'the export must not load anything');

  const { page, requests, errors } = await recordingPage();
  await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(file).href);
  await page.locator('[data-testid="summary"]').waitFor();
  await assertDriftTable(page, cliReport.drift);
  await page.locator('[data-column="weather"] [data-testid="toggle-detail"]').click();
  await page.locator('[data-testid="detail-row"][data-column="weather"] svg').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'export-html.png'), fullPage: true });
  assert.deepEqual(requests, [pathToFileURL(file).href]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Markdown export carries the same table', () => {
  const md = runModelgate(['report', ...SAMPLE_ARGS, '--format', 'markdown'], { okStatuses: [0] }).stdout;
  assert.match(md, /^# modelgate report\n/);
  assert.match(md, /\*\*3 of 5 tested columns drifted — dataset drift: yes\*\*/);
  assert.match(md, /\| weather \| categorical \| χ² \| 265\.5 \| 2\.967e-56 \| 0\.05 \| \*\*drifted\*\* \|/);
  assert.match(md, /\| wind \| numeric \| KS \| 0\.05564 \| 0\.4163 \| 0\.05 \| ok \|/);
});
