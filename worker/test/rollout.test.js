// Safe rollouts: a sticky weighted split between primary and challenger, a
// shadow copy that never affects the answer, and a one-setting rollback.
import { describe, expect, it } from "vitest";
import { config } from "../src/config.js";
import { fnv1a, variantFor } from "../src/rollout.js";
import { call, env, post, record, seen } from "./helpers.js";

const SPLIT = { ROLLOUT: "split", CHALLENGER_PERCENT: "20", STICKY_KEY: "header:x-user-id" };

describe("weighted split", () => {
  it("sends CHALLENGER_PERCENT of 10,000 keys to the challenger, within 1.5 points", () => {
    for (const percent of [1, 5, 20, 50, 90]) {
      const c = config({ ...env, ...SPLIT, CHALLENGER_PERCENT: String(percent) });
      let challenger = 0;
      for (let i = 0; i < 10_000; i++) {
        const request = new Request("https://gate.test/", { headers: { "x-user-id": `user-${i}` } });
        if (variantFor(c, request) === "challenger") challenger += 1;
      }
      // Binomial sd at 50% is 0.5 points over 10,000 keys: 1.5 points is 3 sd.
      expect(Math.abs(challenger / 100 - percent)).toBeLessThan(1.5);
    }
  });

  it("is sticky: a key keeps its variant, and a salt reshuffles keys", () => {
    const c = config({ ...env, ...SPLIT });
    const salted = config({ ...env, ...SPLIT, ROLLOUT_SALT: "experiment-2" });
    let moved = 0;
    for (let i = 0; i < 1000; i++) {
      const request = () => new Request("https://gate.test/", { headers: { "x-user-id": `user-${i}` } });
      const first = variantFor(c, request());
      for (let k = 0; k < 5; k++) expect(variantFor(c, request())).toBe(first);
      if (variantFor(salted, request()) !== first) moved += 1;
    }
    // Independent 20% assignments disagree for 2 * 0.2 * 0.8 = 32% of keys.
    expect(moved).toBeGreaterThan(250);
    expect(moved).toBeLessThan(390);
  });

  it("reads the key from a cookie when configured", () => {
    const c = config({ ...env, ...SPLIT, STICKY_KEY: "cookie:sid" });
    const variants = new Set();
    for (let i = 0; i < 200; i++) {
      const request = new Request("https://gate.test/", { headers: { cookie: `theme=dark; sid=s${i}` } });
      const expected = fnv1a(`:s${i}`) % 10_000 < 2000 ? "challenger" : "primary";
      expect(variantFor(c, request)).toBe(expected);
      variants.add(expected);
    }
    expect(variants.size).toBe(2);
  });

  it("FNV-1a matches its published test vectors", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });

  it("end to end, each request goes to its variant's origin and says which", async () => {
    let challenger = 0;
    for (let i = 0; i < 60; i++) {
      const response = await call(post("/predict", record({}, i), { "x-user-id": `user-${i}` }), SPLIT);
      expect(response.status).toBe(200);
      const variant = response.headers.get("x-modelgate-variant");
      expect(response.headers.get("x-origin")).toBe(variant);
      if (variant === "challenger") challenger += 1;
    }
    const c = config({ ...env, ...SPLIT });
    const expected = Array.from({ length: 60 }, (_, i) =>
      variantFor(c, new Request("https://gate.test/", { headers: { "x-user-id": `user-${i}` } })),
    ).filter((v) => v === "challenger").length;
    expect(challenger).toBe(expected);
    expect(challenger).toBeGreaterThan(0);
  });
});

describe("shadow", () => {
  it("mirrors the request to the shadow origin and answers from the primary", async () => {
    const request = post("/predict", [record()]);
    const response = await call(request, { ROLLOUT: "shadow" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-origin")).toBe("primary");
    const received = await seen(request.testId);
    const shadow = received.find((r) => r.origin === "shadow");
    const primary = received.find((r) => r.origin === "primary");
    expect(received).toHaveLength(2);
    expect(shadow.body).toBe(primary.body);
    expect(shadow.path).toBe("/predict");
    expect(shadow.headers["x-modelgate-shadow"]).toBe("1");
    expect(primary.headers["x-modelgate-shadow"]).toBeUndefined();
  });

  it("a failing shadow does not change the answer", async () => {
    const request = post("/predict", [record()]);
    const failing = { fetch: async () => { throw new Error("shadow down"); } };
    const response = await call(request, { ROLLOUT: "shadow", SHADOW: failing });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-origin")).toBe("primary");
  });

  it("mirrors unvalidated (mode off) requests too, streaming the body to both", async () => {
    const request = post("/predict", "raw body", { "content-type": "text/plain" });
    await call(request, { ROLLOUT: "shadow", MODE: "off" });
    const received = await seen(request.testId);
    expect(received.map((r) => [r.origin, r.body]).sort()).toEqual([
      ["primary", "raw body"],
      ["shadow", "raw body"],
    ]);
  });

  it("combines with the split", async () => {
    const request = post("/predict", [record()], { "x-user-id": "user-3" });
    await call(request, { ...SPLIT, ROLLOUT: "split+shadow" });
    expect((await seen(request.testId)).map((r) => r.origin)).toContain("shadow");
  });
});

describe("rollback", () => {
  it('ROLLOUT = "primary-only" sends everything to the primary and nothing to the shadow', async () => {
    for (let i = 0; i < 40; i++) {
      const request = post("/predict", record({}, i), { "x-user-id": `user-${i}` });
      const response = await call(request, { ...SPLIT, CHALLENGER_PERCENT: "50", ROLLOUT: "primary-only" });
      expect(response.headers.get("x-modelgate-variant")).toBe("primary");
      expect((await seen(request.testId)).map((r) => r.origin)).toEqual(["primary"]);
    }
  });
});
