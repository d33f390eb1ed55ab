// Every payload format the worker accepts, end to end: a valid body is
// forwarded to the model unchanged and tagged with its format; the same rows
// with one bad value answer 422 naming the instance of the bad row.
import { describe, expect, it } from "vitest";
import { FIELDS, call, contractJson, post, problemOf, record, seen } from "./helpers.js";

const good = [record({}, 3), record({}, 4)];
const bad = [record({}, 3), record({ credit_score: 2000, state: "ZZ" }, 4)];

const INTEGER = new Set(contractJson.fields.filter((f) => f.type === "integer").map((f) => f.name));
const NUMBER = new Set(contractJson.fields.filter((f) => f.type === "number").map((f) => f.name));
const BOOLEAN = new Set(contractJson.fields.filter((f) => f.type === "boolean").map((f) => f.name));

const full = (rows) => rows.map((r) => Object.fromEntries(FIELDS.map((f) => [f, r[f] ?? null])));
const rowsOf = (rows) => full(rows).map((r) => FIELDS.map((f) => r[f]));

/** Open Inference tensors, one per feature (months_since_delinquency left out: OIP has no null). */
function openInference(rows) {
  const names = FIELDS.filter((f) => f !== "months_since_delinquency");
  return {
    id: "req-1",
    inputs: names.map((name) => ({
      name,
      shape: [rows.length, 1],
      datatype: INTEGER.has(name) ? "INT64" : NUMBER.has(name) ? "FP64" : BOOLEAN.has(name) ? "BOOL" : "BYTES",
      data: rows.map((r) => r[name]),
    })),
  };
}

const FORMATS = {
  json_object: { good: good[0], bad: bad[1], badInstance: 0 },
  json_array: { good, bad, badInstance: 1 },
  instances: { good: { signature_name: "serving_default", instances: good }, bad: { instances: bad }, badInstance: 1 },
  "instances (rows of values in contract order)": {
    format: "instances",
    good: { instances: rowsOf(good) },
    bad: { instances: rowsOf(bad) },
    badInstance: 1,
  },
  inputs: {
    good: { inputs: Object.fromEntries(FIELDS.map((f) => [f, full(good).map((r) => r[f])])) },
    bad: { inputs: Object.fromEntries(FIELDS.map((f) => [f, full(bad).map((r) => r[f])])) },
    badInstance: 1,
  },
  "inputs (rows of values)": { format: "inputs", good: { inputs: rowsOf(good) }, bad: { inputs: rowsOf(bad) }, badInstance: 1 },
  open_inference: { good: openInference(good), bad: openInference(bad), badInstance: 1 },
  dataframe_split: {
    good: { dataframe_split: { columns: FIELDS, index: [10, 11], data: rowsOf(good) }, params: { top_k: 1 } },
    bad: { dataframe_split: { columns: FIELDS, data: rowsOf(bad) } },
    badInstance: 1,
  },
  dataframe_records: { good: { dataframe_records: good }, bad: { dataframe_records: bad }, badInstance: 1 },
};

describe("payload formats", () => {
  for (const [name, fixture] of Object.entries(FORMATS)) {
    const format = fixture.format ?? name;

    it(`${name}: a valid body is forwarded unchanged`, async () => {
      const body = JSON.stringify(fixture.good);
      const request = post("/v1/models/credit:predict", body);
      const response = await call(request);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-modelgate-format")).toBe(format);
      expect(response.headers.get("x-modelgate-violations")).toBe("0");
      const [received] = await seen(request.testId);
      expect(received.origin).toBe("primary");
      expect(received.path).toBe("/v1/models/credit:predict");
      expect(received.body).toBe(body);
      expect(received.headers["x-modelgate-format"]).toBe(format);
    });

    it(`${name}: a bad row answers 422 naming its instance`, async () => {
      const request = post("/v1/models/credit:predict", fixture.bad);
      const body = await problemOf(await call(request), 422, "contract-violation");
      expect(body.format).toBe(format);
      const rules = body.violations.map((v) => [v.instance, v.field, v.rule, v.expected, v.actual]);
      expect(rules).toEqual([
        [fixture.badInstance, "credit_score", "above_maximum", 886, 2000],
        [fixture.badInstance, "state", "category_not_allowed", ["CA", "FL", "GA", "IL", "MI", "NC", "NY", "OH", "PA", "TX"], "ZZ"],
      ]);
      expect(await seen(request.testId)).toEqual([]);
    });
  }

  it("a single Open Inference tensor of shape [n, 20] is spread over the contract's features", async () => {
    const numeric = contractJson.fields.filter((f) => f.type === "integer" || f.type === "number").map((f) => f.name);
    // The example contract mixes types, so a [n, k] FP64 tensor only fits a contract of numbers;
    // here it must fail on the first non-numeric feature rather than be misread.
    const body = { inputs: [{ name: "input-0", shape: [1, 20], datatype: "FP64", data: new Array(20).fill(1) }] };
    const problem = await problemOf(await call(post("/predict", body)), 422, "contract-violation");
    expect(problem.format).toBe("open_inference");
    expect(problem.violations.filter((v) => v.rule === "wrong_type").map((v) => v.field).sort()).toEqual(
      FIELDS.filter((f) => !numeric.includes(f)).sort(),
    );
    expect(problem.violations.every((v) => v.instance === 0)).toBe(true);
  });
});
