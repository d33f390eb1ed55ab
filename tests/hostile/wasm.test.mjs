// The hostile-input corpus through the page's wasm build (web/pkg) under node:
// every entry must give the manifest's outcome through the exported API the
// page uses, as a JS Error carrying the core's message (and code, where the
// export gives one), never a trap (a panic in wasm is a RuntimeError).
//
//   node --test tests/hostile/
//
// Needs web/pkg (bash scripts/build-wasm.sh). What cannot reach the wasm from
// JavaScript is left out and counted: text files that are not UTF-8 (a JS string
// is always valid Unicode; the CLI level checks them) and the entries marked
// `slow` (a 300 MB string; the core and CLI levels check them), and
// `report_duplicate_keys` (evidence is a JS object, and JSON.parse keeps the last
// of repeated keys). For `report` entries only the verdict (refused or accepted)
// is compared: JSON.parse answers first for text that is not JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { bytesOf, entries, nameOf } from "./corpus.mjs";

const pkg = new URL("../../web/pkg/", import.meta.url);
const mg = await import(new URL("modelgate_wasm.js", pkg));
mg.initSync({ module: readFileSync(new URL("modelgate_wasm_bg.wasm", pkg)) });
const contract = mg.Contract.fromJson(readFileSync(new URL("../../worker/contract.json", import.meta.url), "utf8"));

/** What the wasm does with an entry: { error, message } or { accepted }. */
function outcome(entry, bytes) {
  const name = nameOf(entry);
  const run = (f) => {
    try {
      return { accepted: f() };
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), `${entry.id}: the wasm trapped: ${e.message}`);
      assert.ok(e instanceof Error, `${entry.id}: threw a non-Error ${e}`);
      return { error: e.details?.code ?? null, message: e.message };
    }
  };
  switch (entry.kind) {
    case "csv":
      return run(() => {
        const ingest = new mg.CsvIngest(name, undefined);
        for (let i = 0; i < bytes.length; i += 1 << 16) ingest.push(bytes.subarray(i, i + (1 << 16)));
        if (bytes.length === 0) ingest.push(bytes);
        const d = ingest.finish();
        const cols = d.columns();
        return { rows: d.rows, columns: cols.length, names: cols.map((c) => c.name) };
      });
    case "payload":
      return run(() => {
        const r = mg.validatePayload(contract, bytes, undefined);
        return { format: r.format, records: r.records, violations: r.violations.length };
      });
    default: {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      switch (entry.kind) {
        case "contract":
          return run(() => ({ fields: JSON.parse(mg.Contract.fromJson(text).toJson()).fields.length }));
        case "profile":
          return run(() => ({ rows: mg.Dataset.fromProfileJson(name, text).rows }));
        case "answers":
          return run(() => ({ answers: mg.parseAnswers(mg.answersRubric(text) ?? "ml-test-score-2017", name, text).answers.length }));
        case "report":
          return run(() => {
            const evidence = JSON.parse(text);
            return { score: mg.scoreRubric("ml-test-score-2017", "answers.csv", "id,status\ndata-1,manual\n", evidence).final_score };
          });
        default:
          throw new Error(`unknown kind ${entry.kind}`);
      }
    }
  }
}

test("the hostile corpus gives the stated outcome through the wasm API", () => {
  assert.ok(entries.length >= 60);
  const failures = [];
  const skipped = [];
  for (const entry of entries) {
    const want = entry.expect;
    if (entry.slow || (entry.kind !== "csv" && entry.kind !== "payload" && want.error === "invalid_utf8") || entry.id === "report_duplicate_keys") {
      skipped.push(entry.id);
      continue;
    }
    const got = outcome(entry, bytesOf(entry));
    if (want.error) {
      if (!("error" in got)) failures.push(`${entry.id}: accepted, expected ${want.error}`);
      else if (entry.kind !== "report" && !got.message.includes(want.message)) failures.push(`${entry.id}: message ${JSON.stringify(got.message)} lacks ${JSON.stringify(want.message)}`);
      else if ((entry.kind === "csv" || entry.kind === "payload") && got.error !== want.error) failures.push(`${entry.id}: code ${got.error}, expected ${want.error}`);
    } else if (!("accepted" in got)) {
      failures.push(`${entry.id}: refused (${got.message}), expected accepted`);
    } else {
      for (const [k, v] of Object.entries(want.accepted)) {
        if (k in got.accepted && JSON.stringify(got.accepted[k]) !== JSON.stringify(v)) {
          failures.push(`${entry.id}: ${k} = ${JSON.stringify(got.accepted[k])}, expected ${JSON.stringify(v)}`);
        }
      }
    }
  }
  assert.deepEqual(failures, []);
  // What JavaScript cannot hand to the wasm; the core and CLI levels cover these.
  assert.deepEqual(skipped.sort(), ["answers_invalid_utf8", "contract_invalid_utf8", "profile_oversized", "report_duplicate_keys"]);
});
