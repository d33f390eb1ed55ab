// A wide file (600 columns) in the page: every column gets a row, search and the
// drifted-only filter work, and opening one column draws only that column's plot.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from '../../scripts/serve.mjs';
import { launchChromium } from './helpers.mjs';

const COLUMNS = 600;
const ROWS = 300;

let server;
let browser;
let tmp;

/** Column c holds (row * (c + 1)) % 97, plus 40 in the current file for every tenth column. */
function writeWide(file, shifted) {
  const header = Array.from({ length: COLUMNS }, (_, c) => `feature_${c}`).join(',');
  const lines = [header];
  for (let r = 0; r < ROWS; r++) {
    lines.push(Array.from({ length: COLUMNS }, (_, c) => ((r * (c + 1)) % 97) + (shifted && c % 10 === 0 ? 40 : 0) + 0.5).join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-wide-'));
  writeWide(path.join(tmp, 'wide-reference.csv'), false);
  writeWide(path.join(tmp, 'wide-current.csv'), true);
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('600 columns render, filter and search', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.setInputFiles('[data-testid="file-input-reference"]', [path.join(tmp, 'wide-reference.csv'), path.join(tmp, 'wide-current.csv')]);
  await page.locator('[data-testid="results"][data-state="ready"]').waitFor();
  const rows = page.locator('[data-testid="result-row"]');
  assert.equal(await rows.count(), COLUMNS);
  assert.equal(await page.locator('[data-testid="column-count"]').innerText(), `${COLUMNS} of ${COLUMNS} columns`);
  // No per-column plot is drawn until asked for.
  assert.equal(await page.locator('[data-testid="detail-row"]').count(), 0);

  await page.check('[data-testid="only-drifted"]');
  const drifted = await page.locator('[data-testid="result-row"]').evaluateAll((els) => els.map((e) => e.dataset.column));
  assert.deepEqual(drifted, Array.from({ length: COLUMNS / 10 }, (_, i) => `feature_${i * 10}`));

  await page.uncheck('[data-testid="only-drifted"]');
  await page.fill('[data-testid="column-search"]', 'feature_59');
  const found = await page.locator('[data-testid="result-row"]').evaluateAll((els) => els.map((e) => e.dataset.column));
  assert.deepEqual(found, ['feature_59', ...Array.from({ length: 10 }, (_, i) => `feature_59${i}`)]);

  await page.locator('[data-column="feature_590"] [data-testid="toggle-detail"]').click();
  assert.equal(await page.locator('[data-testid="detail-row"]').count(), 1);
  await page.close();
});
