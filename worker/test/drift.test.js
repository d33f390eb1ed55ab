// Live drift: valid records are counted (never stored) per isolate, merged in
// the Durable Object of their contract version and reference, and compared
// with the reference on GET /__modelgate/drift.
import { runInDurableObject } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { call, env, get, post, record, REFERENCE_ROWS } from "./helpers.js";
import referenceJson from "../reference.json";

async function drift(settings = {}) {
  const response = await call(get("/__modelgate/drift?min_count=30"), settings);
  expect(response.status).toBe(200);
  return response.json();
}

async function stub() {
  const info = await (await call(get("/__modelgate/contract"))).json();
  return env.DRIFT.get(env.DRIFT.idFromName(info.drift_object));
}

const feature = (report, name) => report.features.find((f) => f.name === name);

describe("live drift", () => {
  beforeEach(async () => {
    await (await stub()).reset();
  });

  it("sums the valid records of many requests in one Durable Object", async () => {
    const batches = [REFERENCE_ROWS.slice(0, 40), REFERENCE_ROWS.slice(40, 100), REFERENCE_ROWS.slice(100, 101)];
    for (const rows of batches) expect((await call(post("/predict", rows))).status).toBe(200);
    // An invalid request (report mode forwards it) and an invalid row are not counted.
    await call(post("/predict", [record({ age: 500 }), REFERENCE_ROWS[101]]), { MODE: "report" });
    const report = await drift();
    expect(report.records).toBe(102);
    const age = feature(report, "age");
    expect(age.live_counts.reduce((a, b) => a + b, 0)).toBe(102);
    // The counts are the reference bins' counts of exactly those rows.
    const edges = referenceJson.features.find((f) => f.name === "age").edges;
    const expected = new Array(edges.length + 1).fill(0);
    for (const row of [...REFERENCE_ROWS.slice(0, 101), REFERENCE_ROWS[101]]) {
      expected[edges.filter((e) => e <= row.age).length] += 1;
    }
    expect(age.live_counts).toEqual(expected);
    const state = feature(report, "state");
    expect(state.labels.at(-1)).toBe("(other)");
    expect(state.live_counts.reduce((a, b) => a + b, 0)).toBe(102);
    // Half the rows leave the nullable field out or null, and those with no delinquency have none.
    const months = feature(report, "months_since_delinquency");
    expect(months.missing_share).toBeGreaterThan(0.5);
    expect(report.contract.version).toBe("credit-1");
  });

  it("merging profiles from separate isolates is their sum", async () => {
    const s = await stub();
    // Two isolates' profiles, as the worker's gates would send them.
    const a = { reference: (await drift()).reference, records: 3, features: referenceJson.features.map((f) => ({ counts: f.counts.map((_, i) => (i === 0 ? 3 : 0)), missing: 0, non_finite: 0, invalid: 0 })) };
    const b = { ...a, records: 2, features: a.features.map((f) => ({ ...f, counts: f.counts.map((_, i) => (i === 1 ? 2 : 0)), missing: 1 })) };
    expect(await s.merge(JSON.stringify(a))).toEqual({ records: 3 });
    expect(await s.merge(JSON.stringify(b))).toEqual({ records: 5 });
    const merged = JSON.parse(await s.profile());
    expect(merged.records).toBe(5);
    expect(merged.features[0].counts.slice(0, 3)).toEqual([3, 2, 0]);
    expect(merged.features[0].missing).toBe(1);
    // A profile counted against another reference is refused, and the sum is unchanged.
    const refused = await s.merge(JSON.stringify({ ...a, reference: "0000000000000000" }));
    expect(refused.error).toMatch(/^live profile: cannot merge a profile of reference 0000000000000000/);
    expect(JSON.parse(await s.profile()).records).toBe(5);
  });

  it("traffic like the reference does not drift; shifted traffic does", async () => {
    for (let i = 0; i < 400; i += 50) await call(post("/predict", REFERENCE_ROWS.slice(1000 + i, 1050 + i)));
    const calm = await drift();
    expect(calm.records).toBe(400);
    expect(calm.tested_features).toBe(20);
    expect(calm.dataset_drift).toBe(false);
    expect(feature(calm, "age").drifted).toBe(false);

    // Older applicants, all through the mobile channel.
    const shifted = REFERENCE_ROWS.slice(0, 400).map((r, i) => ({ ...r, age: 70 + (i % 15), channel: "mobile" }));
    for (let i = 0; i < 400; i += 100) await call(post("/predict", shifted.slice(i, i + 100)));
    const report = await drift();
    expect(report.records).toBe(800);
    expect(feature(report, "age")).toMatchObject({ method: "psi", drifted: true });
    expect(feature(report, "age").statistic).toBeGreaterThan(1);
    expect(feature(report, "channel")).toMatchObject({ method: "chi2", drifted: true });
    expect(feature(report, "channel").p_value).toBeLessThan(1e-10);
    expect(feature(report, "credit_score").drifted).toBe(false);
  });

  it("stores counts only, never a value sent", async () => {
    await call(post("/predict", [record({ income: 123456.789, state: "PA" })]));
    await call(post("/predict", [record({ state: "ZZ-unique-42" })]), { MODE: "report" });
    const s = await stub();
    await runInDurableObject(s, async (_instance, state) => {
      const stored = await state.storage.list();
      expect([...stored.keys()]).toEqual(["profile"]);
      const text = stored.get("profile");
      expect(text).not.toContain("123456.789");
      expect(text).not.toContain("ZZ-unique");
      expect(text).not.toContain("PA");
      expect(Object.keys(JSON.parse(text))).toEqual(["reference", "records", "features"]);
    });
  });

  it("flushes every DRIFT_FLUSH_RECORDS records, and on demand for GET /__modelgate/drift", async () => {
    const settings = { DRIFT_FLUSH_RECORDS: "50", DRIFT_FLUSH_SECONDS: "3600" };
    await call(post("/predict", REFERENCE_ROWS.slice(0, 30)), settings);
    const s = await stub();
    expect(await s.profile()).toBeUndefined();
    await call(post("/predict", REFERENCE_ROWS.slice(30, 60)), settings);
    expect(JSON.parse(await s.profile()).records).toBe(60);
    await call(post("/predict", REFERENCE_ROWS.slice(60, 70)), settings);
    expect(JSON.parse(await s.profile()).records).toBe(60);
    expect((await drift(settings)).records).toBe(70);
  });

  it("is off without a live reference", async () => {
    const response = await call(get("/__modelgate/drift"), { LIVE_DRIFT: "off" });
    expect(response.status).toBe(404);
    expect((await response.json()).detail).toMatch(/^live drift is off/);
  });
});
