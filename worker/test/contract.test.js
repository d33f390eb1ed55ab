// The contract in force: bundled at build time, or read from KV so it can
// change without a redeploy; its version and hash are reported.
import { afterEach, describe, expect, it } from "vitest";
import * as mg from "../pkg/modelgate_wasm.js";
import { wasm } from "../src/engine.js";
import { call, contractJson, env, get, post, problemOf, record } from "./helpers.js";

function hashOf(text) {
  wasm();
  const contract = mg.Contract.fromJson(text);
  try {
    return [contract.version, contract.hash];
  } finally {
    contract.free();
  }
}

describe("bundled contract", () => {
  it("GET /__modelgate/contract reports its version, hash and source", async () => {
    const [version, hash] = hashOf(JSON.stringify(contractJson));
    const response = await call(get("/__modelgate/contract"));
    expect(response.status).toBe(200);
    const info = await response.json();
    expect(info).toMatchObject({ version, hash, source: "bundled" });
    expect(version).toBe("credit-1");
    expect(response.headers.get("x-modelgate-contract")).toBe(`${version}; sha256=${hash}`);
    expect(info.live_reference).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("contract from KV", () => {
  const KV = { CONTRACT_CACHE_SECONDS: "0" };
  afterEach(async () => {
    await env.CONTRACTS.delete("contract");
    await env.CONTRACTS.delete("reference");
  });

  it("changes without a redeploy", async () => {
    const stricter = structuredClone(contractJson);
    stricter.version = "credit-2";
    stricter.fields.find((f) => f.name === "age").maximum = 30;
    await env.CONTRACTS.put("contract", JSON.stringify(stricter));
    const [version, hash] = hashOf(JSON.stringify(stricter));

    const info = await (await call(get("/__modelgate/contract"), KV)).json();
    expect(info).toMatchObject({ version, hash, source: "kv:contract" });
    const body = await problemOf(await call(post("/predict", record({ age: 45 })), KV), 422, "contract-violation");
    expect(body.contract).toEqual({ version: "credit-2", hash });
    expect(body.violations.map((v) => [v.field, v.rule, v.expected])).toEqual([["age", "above_maximum", 30]]);

    // Removing the key goes back to the bundled contract.
    await env.CONTRACTS.delete("contract");
    expect((await call(post("/predict", record({ age: 45 })), KV)).status).toBe(200);
  });

  it("is cached for CONTRACT_CACHE_SECONDS", async () => {
    await call(get("/__modelgate/contract"), { CONTRACT_CACHE_SECONDS: "0" });
    const changed = { ...structuredClone(contractJson), version: "credit-3" };
    await env.CONTRACTS.put("contract", JSON.stringify(changed));
    const cached = await (await call(get("/__modelgate/contract"), { CONTRACT_CACHE_SECONDS: "3600" })).json();
    expect(cached.version).toBe("credit-1");
    const fresh = await (await call(get("/__modelgate/contract"), KV)).json();
    expect(fresh.version).toBe("credit-3");
  });

  it("an invalid contract in KV is a 503 naming the problem, and the worker recovers once it is fixed", async () => {
    const broken = structuredClone(contractJson);
    broken.fields[0].minimum = "low";
    await env.CONTRACTS.put("contract", JSON.stringify(broken));
    const body = await problemOf(await call(post("/predict", record()), KV), 503, "contract-unavailable");
    expect(body.detail).toContain("the contract in force (kv:contract) cannot be used: fields[0].minimum");
    expect(body.detail).toContain('(field "age")');
    await env.CONTRACTS.delete("contract");
    expect((await call(post("/predict", record()), KV)).status).toBe(200);
  });
});
