// A panic inside the wasm traps its instance: the request gets a 500 problem,
// and the next request runs on a fresh instance of the same module.
import { describe, expect, it } from "vitest";
import { call, get, post, problemOf, record, seen } from "./helpers.js";

async function health() {
  return (await call(get("/__modelgate/health"))).json();
}

describe("panic recovery", () => {
  it("answers 500 problem+json, then serves the next requests normally", async () => {
    // Warm up: a gate exists before the panic, so recovery must rebuild it.
    expect((await call(post("/predict", record()))).status).toBe(200);
    const before = await health();

    const body = await problemOf(await call(post("/__modelgate/test/panic", "{}")), 500, "validator-failure");
    expect(body.detail).toBe("the validator stopped with an internal error; the request was not forwarded");
    expect((await health()).poisoned).toBe(true);

    const request = post("/predict", [record(), record({ age: 300 })]);
    const response = await call(request, { MODE: "report" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-modelgate-violations")).toBe("1");
    expect(await seen(request.testId)).toHaveLength(1);
    const after = await health();
    expect(after.instance_resets).toBe(before.instance_resets + 1);
    expect(after.poisoned).toBe(false);

    // And again: recovery is not a one-off.
    await problemOf(await call(post("/__modelgate/test/panic", "{}")), 500, "validator-failure");
    await problemOf(await call(post("/predict", [record({ age: 300 })])), 422, "contract-violation");
    expect((await health()).instance_resets).toBe(before.instance_resets + 2);
  });

  it("the panic route exists only with ENABLE_TEST_ROUTES", async () => {
    await problemOf(await call(post("/__modelgate/test/panic", "{}"), { ENABLE_TEST_ROUTES: "false" }), 404, "not-found");
    expect((await health()).poisoned).toBe(false);
  });
});
