// The page's exports (HTML, JSON, Markdown) and the cancel button, in headless Chromium.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { startServer } from '../../scripts/serve.mjs';
import { ARTIFACTS, ROOT, assertCloseDeep, assertDriftTable, launchChromium, runModelgate } from './helpers.mjs';

let server;
let browser;
let tmp;
let cliReport;

/** The CLI's report with the file names the page knows (it sees names, not paths). */
function withPageSources(report) {
  const copy = structuredClone(report);
  copy.drift.reference.source = 'reference.csv';
  copy.drift.current.source = 'current.csv';
  if (copy.quality) {
    copy.quality.reference.source = 'reference.csv';
    copy.quality.current.source = 'current.csv';
  }
  return copy;
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-exports-'));
  cliReport = JSON.parse(
    runModelgate(['report', '-r', 'web/sample/reference.csv', '-c', 'web/sample/current.csv', '--format', 'json']).stdout,
  );
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function samplePage() {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.url}/?sample=1`);
  await page.locator('[data-testid="results"][data-state="ready"]').waitFor();
  return { context, page, requests };
}

async function exportFile(page, format) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="export-${format}"]`)]);
  const file = path.join(tmp, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test('every export holds the report the CLI writes, and the HTML opens offline', async () => {
  const { context, page, requests } = await samplePage();

  // The export holds every section on screen: wait for the quality findings too.
  await page.locator('[data-testid="quality"][data-state="ready"]').waitFor();
  const jsonFile = await exportFile(page, 'json');
  assert.equal(path.basename(jsonFile), 'modelgate-report.json');
  const exported = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  const expected = withPageSources(cliReport);
  // The inferred contract records its source file ("reference.csv" here, the path in the
  // CLI), so its hash differs by that name only; the findings must be the same.
  assert.match(exported.quality.contract.hash, /^[0-9a-f]{64}$/);
  expected.quality.contract.hash = exported.quality.contract.hash;
  assertCloseDeep(exported, expected);

  const mdFile = await exportFile(page, 'markdown');
  assert.equal(path.basename(mdFile), 'modelgate-report.md');
  const md = fs.readFileSync(mdFile, 'utf8');
  assert.match(md, /\| temp_max \| numeric \| KS \| 0\.116 \| 0\.002456 \| 0\.05 \| \*\*drifted\*\* \|/);

  const htmlFile = await exportFile(page, 'html');
  assert.equal(path.basename(htmlFile), 'modelgate-report.html');
  // No raw rows: the sample's first data line must not appear in any export.
  const firstRow = fs.readFileSync(path.join(ROOT, 'web', 'sample', 'current.csv'), 'utf8').split('\n')[1];
  for (const f of [jsonFile, mdFile, htmlFile]) assert.ok(!fs.readFileSync(f, 'utf8').includes(firstRow), `${f} holds a raw row`);
  assert.ok(requests.every((u) => u.startsWith(server.url) || u.startsWith('blob:')), requests.join('\n'));
  await context.close();

  const offline = await browser.newPage();
  const offlineRequests = [];
  offline.on('request', (r) => offlineRequests.push(r.url()));
  await offline.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await offline.goto(pathToFileURL(htmlFile).href);
  await offline.locator('[data-testid="summary"]').waitFor();
  await assertDriftTable(offline, cliReport.drift);
  assert.deepEqual(offlineRequests, [pathToFileURL(htmlFile).href]);
  await offline.close();
});

test('a long read shows rows and time left, and cancel stops it', async () => {
  // About 174 MiB: long enough to cancel mid-way (the page reads about 100 MB/s).
  const big = path.join(tmp, 'big-current.csv');
  const line = '1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,9.5,10.5,11.5,12.5,13.5,14.5,15.5,16.5,17.5,18.5,19.5,20.5\n';
  const header = Array.from({ length: 20 }, (_, i) => `f${i}`).join(',') + '\n';
  const fd = fs.openSync(big, 'w');
  fs.writeSync(fd, header);
  const block = line.repeat(10_000);
  for (let i = 0; i < 200; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);

  const page = await browser.newPage();
  await page.goto(server.url);
  await page.setInputFiles('[data-testid="file-input-current"]', big);
  const info = page.locator('[data-testid="info-current"]');
  // Rows counted so far: the reader worker has pushed slices (the first progress says 0 rows).
  await page.waitForFunction(() => /[1-9][\d,]* rows/.test(document.querySelector('[data-testid="info-current"]').textContent));
  assert.match(await info.innerText(), /[\d.]+ [KM]iB of 173\.6 MiB · [\d,]+ rows/);
  const cancel = page.locator('[data-testid="cancel-current"]');
  assert.equal(await cancel.isVisible(), true);
  await cancel.click();
  assert.equal(await page.getAttribute('[data-testid="dropzone-current"]', 'data-state'), 'empty');
  assert.equal(await info.innerText(), 'Cancelled.');
  assert.equal(await cancel.isVisible(), false);

  // The page stays usable: the sample still runs to a full report.
  await page.click('[data-testid="sample-button"]');
  await page.locator('[data-testid="results"][data-state="ready"]').waitFor();
  await assertDriftTable(page, cliReport.drift);
  await page.close();
});
