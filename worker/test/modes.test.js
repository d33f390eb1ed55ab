// Modes per route: enforce rejects, report forwards with a violation header,
// off forwards without looking; the origin's answer comes back unchanged.
import { describe, expect, it } from "vitest";
import { call, get, post, problemOf, record, seen } from "./helpers.js";

const bad = [record({ age: 7, purpose: "yacht" }, 1), record({}, 2), record({ income: "lots" }, 5)];

describe("enforce", () => {
  it("answers 422 with every violation, and nothing reaches the model", async () => {
    const request = post("/predict", bad);
    const response = await call(request, { MODE: "enforce" });
    const body = await problemOf(response, 422, "contract-violation");
    expect(body.detail).toBe("3 violations in 2 instances of 3");
    expect(body).toMatchObject({ records: 3, invalid_records: 2, violation_count: 3, violations_listed: 3, format: "json_array" });
    expect(body.contract.version).toBe("credit-1");
    expect(body.contract.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.violations.map(({ instance, field, rule, expected, actual }) => ({ instance, field, rule, expected, actual }))).toEqual([
      { instance: 0, field: "age", rule: "below_minimum", expected: 12, actual: 7 },
      {
        instance: 0,
        field: "purpose",
        rule: "category_not_allowed",
        expected: ["car", "credit_card", "debt_consolidation", "home_improvement", "medical", "other"],
        actual: "yacht",
      },
      { instance: 2, field: "income", rule: "wrong_type", expected: "number", actual: "lots" },
    ]);
    expect(body.violations[0].message).toBe("age: 7 is below the minimum 12");
    expect(response.headers.get("x-modelgate-violations")).toBe("3");
    expect(await seen(request.testId)).toEqual([]);
  });

  it("lists at most MAX_LISTED_VIOLATIONS but counts them all", async () => {
    const many = Array.from({ length: 50 }, (_, i) => record({ age: 200 + i }, i));
    const body = await problemOf(await call(post("/predict", many), { MAX_LISTED_VIOLATIONS: "10" }), 422, "contract-violation");
    expect(body.violation_count).toBe(50);
    expect(body.violations_listed).toBe(10);
    expect(body.violations.map((v) => v.instance)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("forwards a valid request and passes the origin's response back unchanged", async () => {
    const request = post("/predict?status=201", [record()], { "x-user-id": "u-17" });
    const response = await call(request);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe("Custom");
    expect(response.headers.get("x-origin")).toBe("primary");
    expect(response.headers.get("set-cookie")).toBe("origin=primary; Path=/");
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = await response.json();
    expect(body.predictions).toEqual([0.5]);
    expect(body.seen.query).toBe("?status=201");
    expect(body.seen.headers["x-user-id"]).toBe("u-17");
    expect(response.headers.get("x-modelgate-variant")).toBe("primary");
  });
});

describe("report", () => {
  it("forwards a bad request with the violation count and summary in headers", async () => {
    const request = post("/predict", bad);
    const response = await call(request, { MODE: "report" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-origin")).toBe("primary");
    expect(response.headers.get("x-modelgate-violations")).toBe("3");
    const summary = "age:below_minimum=1, income:wrong_type=1, purpose:category_not_allowed=1";
    expect(response.headers.get("x-modelgate-summary")).toBe(summary);
    const [received] = await seen(request.testId);
    expect(received.body).toBe(JSON.stringify(bad));
    expect(received.headers["x-modelgate-violations"]).toBe("3");
    expect(received.headers["x-modelgate-summary"]).toBe(summary);
    expect(received.headers["x-modelgate-contract"]).toMatch(/^credit-1; sha256=[0-9a-f]{64}$/);
  });

  it("still refuses what cannot be read", async () => {
    await problemOf(await call(post("/predict", "{not json"), { MODE: "report" }), 400, "malformed-json");
  });
});

describe("off", () => {
  it("drops a client's own x-modelgate headers, so the origin can trust them", async () => {
    const spoof = { "x-modelgate-violations": "0", "x-modelgate-contract": "forged", "x-modelgate-key": "user-1" };
    for (const mode of ["off", "report"]) {
      const request = post("/predict", bad, spoof);
      await call(request, { MODE: mode });
      const [received] = await seen(request.testId);
      expect(received.headers["x-modelgate-contract"]).not.toBe("forged");
      expect(received.headers["x-modelgate-violations"]).toBe(mode === "off" ? undefined : "3");
      expect(received.headers["x-modelgate-key"]).toBe("user-1");
    }
  });

  it("forwards anything untouched, even invalid JSON", async () => {
    const request = post("/predict", "{not json", { "content-type": "text/plain", "content-encoding": "identity" });
    const response = await call(request, { MODE: "off" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-modelgate-violations")).toBeNull();
    const [received] = await seen(request.testId);
    expect(received.body).toBe("{not json");
    expect(received.headers["content-type"]).toBe("text/plain");
    expect(received.headers["content-encoding"]).toBe("identity");
  });
});

describe("routes", () => {
  const ROUTES = { "/v1/models/*": "report", "/v1/models/legacy:predict": "off", "/admin*": "enforce" };

  it("picks the exact route, then the longest prefix, then MODE", async () => {
    const settings = { ROUTES: JSON.stringify(ROUTES), MODE: "enforce" };
    const reported = await call(post("/v1/models/credit:predict", bad), settings);
    expect(reported.status).toBe(200);
    expect(reported.headers.get("x-modelgate-violations")).toBe("3");
    const off = await call(post("/v1/models/legacy:predict", bad), settings);
    expect(off.status).toBe(200);
    expect(off.headers.get("x-modelgate-violations")).toBeNull();
    await problemOf(await call(post("/other", bad), settings), 422, "contract-violation");
  });

  it("accepts ROUTES as an object (a wrangler.toml inline table)", async () => {
    const response = await call(post("/v1/models/credit:predict", bad), { ROUTES });
    expect(response.headers.get("x-modelgate-violations")).toBe("3");
  });

  it("forwards GET requests without validation", async () => {
    const response = await call(get("/v2/models/credit/ready"));
    expect(response.status).toBe(200);
    expect((await response.json()).seen.method).toBe("GET");
  });
});
