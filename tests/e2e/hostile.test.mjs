// The CSV entries of the hostile-input corpus (tests/hostile/manifest.json) fed
// to the page through the current file's input, in headless Chromium. An entry
// the core refuses must show the inline error next to the file, naming it, with
// the core's message and code; an accepted one must give a report. After every
// refused file a valid one must still give a report: the page stays usable.
//
//   node --test tests/e2e/hostile.test.mjs
//
// Needs web/pkg (bash scripts/build-wasm.sh) and Debian's /usr/bin/chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { bytesOf, entries, nameOf } from '../hostile/corpus.mjs';
import { launchChromium, ROOT } from './helpers.mjs';

const WEB = path.join(ROOT, 'web');
const SAMPLE = { reference: path.join(WEB, 'sample', 'reference.csv'), current: path.join(WEB, 'sample', 'current.csv') };
const tid = (id) => `[data-testid="${id}"]`;

let server;
let browser;
let tmp;

before(async () => {
  assert.ok(fs.existsSync(path.join(WEB, 'pkg', 'modelgate_wasm_bg.wasm')), 'web/pkg is missing: run bash scripts/build-wasm.sh first');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-hostile-'));
  server = await startServer({ port: 0, root: WEB });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function reportSeq(page) {
  return Number((await page.getAttribute(tid('results'), 'data-report-seq')) ?? 0);
}

async function waitForReport(page, after) {
  await page.waitForFunction(
    ({ sel, after }) => {
      const el = document.querySelector(sel);
      return el?.dataset.state === 'ready' && Number(el.dataset.reportSeq ?? 0) > after;
    },
    { sel: tid('results'), after },
    { timeout: 120_000 },
  );
}

test('every CSV of the hostile corpus gives its inline error or a report, and the page stays usable', async (t) => {
  const csvs = entries.filter((e) => e.kind === 'csv');
  assert.ok(csvs.length >= 30, `only ${csvs.length} CSV entries`);
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  t.after(() => context.close());
  await context.route((url) => !url.href.startsWith(`${server.url}/`), (route) => route.abort());
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console error: ${m.text()}`)));
  await page.goto(`${server.url}/`);

  let seq = await reportSeq(page);
  await page.setInputFiles(tid('file-input-reference'), SAMPLE.reference);
  await page.setInputFiles(tid('file-input-current'), SAMPLE.current);
  await waitForReport(page, seq);

  let refused = 0;
  for (const entry of csvs) {
    const name = nameOf(entry);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, bytesOf(entry));
    const want = entry.expect;
    seq = await reportSeq(page);
    await page.setInputFiles(tid('file-input-current'), file);
    if (want.error) {
      const box = page.locator(tid('error-current'));
      await box.waitFor({ state: 'visible', timeout: 120_000 });
      await page.waitForFunction((sel) => document.querySelector(sel).textContent.length > 0, tid('error-current'));
      const message = await box.textContent();
      assert.ok(message.startsWith(name), `${entry.id}: the error names ${name}: ${message}`);
      assert.ok(message.includes(want.message), `${entry.id}: ${JSON.stringify(message)} lacks ${JSON.stringify(want.message)}`);
      assert.equal(await box.getAttribute('data-code'), want.error, entry.id);
      assert.equal(await page.isVisible(tid('report')), false, `${entry.id}: no stale report`);
      assert.equal(await page.getAttribute(tid('dropzone-reference'), 'data-state'), 'loaded', `${entry.id}: reference kept`);
      refused++;
      // The page recovers: a valid current file gives a report again.
      seq = await reportSeq(page);
      await page.setInputFiles(tid('file-input-current'), SAMPLE.current);
      await waitForReport(page, seq);
    } else {
      await waitForReport(page, seq);
      assert.equal(await page.isVisible(tid('error-current')), false, `${entry.id}: no error`);
    }
    fs.rmSync(file);
  }
  assert.ok(refused >= 20, `only ${refused} refused entries`);
  assert.deepEqual(problems, [], 'no page errors');
});
