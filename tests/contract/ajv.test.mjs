// The JSON Schema export, checked with Ajv (an independent JSON Schema validator,
// draft 2020-12): for every test record, Ajv's verdict on the exported schema must
// equal the core's own verdict (the wasm build's validateRecords) and the verdict
// written by hand in the fixture.
//
//   node --test tests/contract/
//
// Records: the hand-written cases of tests/data/contract/*.cases.json, the rows of
// the real and hand-made quality fixtures as JSON (checked against the contract
// inferred from their reference), and thousands of near-miss date strings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'web/pkg');
const wasm = await import(path.join(pkg, 'modelgate_wasm.js'));
wasm.initSync({ module: fs.readFileSync(path.join(pkg, 'modelgate_wasm_bg.wasm')) });

function compile(contract) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  return ajv.compile(contract.jsonSchema());
}

/** The core's verdict on one record: its violations, as "rule field". */
function coreViolations(contract, record) {
  const { records, violations } = wasm.validateRecords(contract, JSON.stringify([record]));
  assert.equal(records, 1);
  return violations.map((v) => `${v.rule} ${v.field}`).sort();
}

const contractDir = path.join(root, 'tests/data/contract');
const fixtures = fs.readdirSync(contractDir).filter((n) => n.endsWith('.cases.json')).map((n) => n.replace('.cases.json', ''));

test('fixture contracts: Ajv, the core and the hand-written verdicts agree on every case', () => {
  assert.ok(fixtures.length >= 3, `fixtures: ${fixtures}`);
  let checked = 0;
  const rules = new Set();
  for (const name of fixtures) {
    const contract = wasm.Contract.fromJson(fs.readFileSync(path.join(contractDir, `${name}.contract.json`), 'utf8'));
    const validate = compile(contract);
    const cases = JSON.parse(fs.readFileSync(path.join(contractDir, `${name}.cases.json`), 'utf8'));
    for (const [i, c] of cases.entries()) {
      const core = coreViolations(contract, c.record);
      core.forEach((v) => rules.add(v.split(' ')[0]));
      assert.deepEqual(core, [...c.violations].sort(), `${name} case ${i} (${c.note}): core`);
      const ajv = validate(c.record);
      assert.equal(ajv, core.length === 0, `${name} case ${i} (${c.note}): Ajv says ${ajv}, core says ${JSON.stringify(core)}; Ajv errors: ${JSON.stringify(validate.errors)}`);
      checked += 1;
    }
  }
  assert.ok(checked >= 50, `only ${checked} cases`);
  // Every record rule except duplicate_field, which JSON.parse cannot even represent.
  for (const rule of ['missing_required', 'unknown_field', 'not_an_object', 'wrong_type', 'null_not_allowed', 'nan_not_allowed',
    'inf_not_allowed', 'below_minimum', 'above_maximum', 'category_not_allowed', 'too_short', 'too_long']) {
    assert.ok(rules.has(rule), `no case breaks ${rule}`);
  }
});

/** A small CSV reader for the fixtures (quoted fields, doubled quotes, no line breaks in fields). */
function readCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { fields.push(field); field = ''; } else field += ch;
    }
    fields.push(field);
    rows.push(fields);
  }
  return rows;
}

/** A CSV cell as a JSON value a client would send: null, a number, a boolean or a string. */
function jsonValue(cell) {
  if (cell === '') return null;
  if (/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) && Number.isFinite(Number(cell))) return Number(cell);
  if (cell === 'true' || cell === 'false') return cell === 'true';
  return cell;
}

test('real and hand-made CSV rows as JSON records: Ajv and the core agree', () => {
  const qualityDir = path.join(root, 'tests/data/quality');
  let records = 0;
  let invalid = 0;
  for (const name of fs.readdirSync(qualityDir)) {
    const dir = path.join(qualityDir, name);
    if (!fs.statSync(dir).isDirectory() || name === 'decimal_comma') continue;
    const inputs = fs.existsSync(path.join(dir, 'inputs.json'))
      ? JSON.parse(fs.readFileSync(path.join(dir, 'inputs.json'), 'utf8'))
      : { reference: path.join('tests/data/quality', name, 'reference.csv'), current: path.join('tests/data/quality', name, 'current.csv') };
    const ingest = new wasm.CsvIngest('reference.csv');
    ingest.push(fs.readFileSync(path.join(root, inputs.reference)));
    const reference = ingest.finish();
    const contract = fs.existsSync(path.join(dir, 'contract.json'))
      ? wasm.Contract.fromJson(fs.readFileSync(path.join(dir, 'contract.json'), 'utf8'))
      : wasm.inferContract(reference);
    const validate = compile(contract);
    for (const file of [inputs.reference, inputs.current]) {
      const [header, ...rows] = readCsv(fs.readFileSync(path.join(root, file), 'utf8'));
      for (const row of rows) {
        const record = Object.fromEntries(header.map((h, i) => [h, jsonValue(row[i])]).filter(([, v]) => v !== null));
        const core = coreViolations(contract, record);
        assert.equal(validate(record), core.length === 0, `${file}: ${JSON.stringify(record)}: core ${JSON.stringify(core)}, Ajv ${JSON.stringify(validate.errors)}`);
        records += 1;
        invalid += core.length > 0 ? 1 : 0;
      }
    }
  }
  assert.ok(records > 1500, `only ${records} records`);
  assert.ok(invalid > 100 && invalid < records, `${invalid} of ${records} invalid: both verdicts must occur`);
});

test('datetime fields: the schema pattern accepts exactly what the core reads as a date', () => {
  const contract = wasm.Contract.fromJson(JSON.stringify({
    format: 'modelgate-contract', format_version: 1, version: '1',
    fields: [{ name: 'd', type: 'datetime', required: true, nullable: false }],
  }));
  const validate = compile(contract);
  const seeds = ['2024-01-31', '2024/12/01', '2024-01-31T12:30', '2024-01-31 23:59:60.125Z', '2024-02-29T00:00:00+05:30',
    '2024-02-29T00:00:00-0800', '1999-09-09T09:09z'];
  const replacements = ['', '0', '1', '2', '3', '9', '-', '/', ':', 'T', 't', ' ', 'Z', '+', '.', 'x', '00', '60', '13', '32', '24'];
  const strings = new Set(seeds);
  for (const seed of seeds) {
    for (let i = 0; i <= seed.length; i++) {
      for (const r of replacements) {
        strings.add(seed.slice(0, i) + r + seed.slice(i + 1)); // replace one character (or delete it)
        strings.add(seed.slice(0, i) + r + seed.slice(i)); // insert
      }
    }
  }
  let accepted = 0;
  for (const s of strings) {
    const core = coreViolations(contract, { d: s }).length === 0;
    assert.equal(validate({ d: s }), core, `${JSON.stringify(s)}: core says ${core}`);
    accepted += core ? 1 : 0;
  }
  assert.ok(strings.size > 3000, `${strings.size} strings`);
  assert.ok(accepted > 100 && accepted < strings.size - 100, `${accepted} of ${strings.size} accepted`);
});
