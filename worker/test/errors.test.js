// Bodies that cannot be validated answer 400, 413 or 415 with problem+json,
// and the worker keeps serving; bad settings and failing origins are problems too.
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, post, problemOf, record, seen } from "./helpers.js";

async function stillServes() {
  const response = await call(post("/predict", record()));
  expect(response.status).toBe(200);
}

describe("unreadable bodies", () => {
  it("malformed JSON: 400 naming line and column", async () => {
    const body = await problemOf(await call(post("/predict", '{"age": 31,\n "income": }')), 400, "malformed-json");
    expect(body.detail).toBe("body: line 2, column 12: malformed JSON: expected value");
    expect(body.code).toBe("malformed_json");
    await stillServes();
  });

  it("NaN: 400 with a hint", async () => {
    const body = await problemOf(await call(post("/predict", '{"age": NaN}')), 400, "malformed-json");
    expect(body.detail).toMatch(/NaN is not JSON, send null for a missing number$/);
  });

  it("empty body: 400", async () => {
    await problemOf(await call(post("/predict", "")), 400, "empty-body");
    await stillServes();
  });

  it("unknown shape: 400 listing the accepted shapes", async () => {
    const body = await problemOf(await call(post("/predict", '"age=31"')), 400, "invalid-payload");
    expect(body.detail).toContain("body: a string is not an accepted shape; send a JSON object of features");
    expect(body.detail).toContain('{"dataframe_split": {"columns", "data"}}');
    expect(body.code).toBe("unknown_shape");
  });

  it("inconsistent envelope: 400 naming the JSON path", async () => {
    const oip = { inputs: [{ name: "age", shape: [3], datatype: "INT64", data: [31, 45] }] };
    const body = await problemOf(await call(post("/predict", oip)), 400, "invalid-payload");
    expect(body.detail).toBe("inputs[0].data: holds 2 elements but shape [3] needs 3");
  });

  it("wrong content type: 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"]) {
      const request = post("/predict", JSON.stringify(record()), { "content-type": type });
      const body = await problemOf(await call(request), 415, "unsupported-media-type");
      expect(body.detail).toContain(JSON.stringify(type));
      expect(await seen(request.testId)).toEqual([]);
    }
    const ok = await call(post("/predict", record(), { "content-type": "application/vnd.api+json; charset=utf-8" }));
    expect(ok.status).toBe(200);
  });

  it("oversized body: 413, by Content-Length and by what is read", async () => {
    const big = JSON.stringify([record(), record(), record()]);
    const withLength = post("/predict", big, { "content-length": String(big.length) });
    const declared = await problemOf(await call(withLength, { MAX_BODY_BYTES: "1000" }), 413, "body-too-large");
    expect(declared.detail).toBe(`body: ${big.length} bytes is more than the 1000-byte limit`);
    // A streamed body has no Content-Length: the limit applies while reading.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(big.slice(i * 300, (i + 1) * 300)));
        controller.close();
      },
    });
    const request = new Request("https://gate.test/predict", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    });
    const streamed = await problemOf(await call(request, { MAX_BODY_BYTES: "1000" }), 413, "body-too-large");
    expect(streamed.detail).toBe("body: more than the 1000-byte limit (read 1200 bytes before stopping)");
    await stillServes();
  });

  it("too deep: 400 before the JSON parser recurses", async () => {
    const deep = '{"age": ' + "[".repeat(5000) + "]".repeat(5000) + "}";
    const body = await problemOf(await call(post("/predict", deep)), 400, "too-deep");
    expect(body.detail).toBe("body: line 1, column 40: arrays and objects are nested deeper than the limit of 32");
    await problemOf(await call(post("/predict", '{"a": [[[1]]]}'), { MAX_DEPTH: "3" }), 400, "too-deep");
    await stillServes();
  });

  it("a gzip body is decompressed, checked and forwarded decompressed; the limit applies after decompression", async () => {
    const gzip = async (text) =>
      new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
    const json = JSON.stringify([record()]);
    const request = post("/predict", await gzip(json), { "content-encoding": "gzip" });
    const response = await call(request);
    expect(response.status).toBe(200);
    const [received] = await seen(request.testId);
    expect(received.body).toBe(json);
    expect(received.headers["content-encoding"]).toBeUndefined();
    expect(received.headers["content-type"]).toBe("application/json");
    await problemOf(await call(post("/predict", await gzip(JSON.stringify([record({ age: 1 })])), { "content-encoding": "gzip" })), 422, "contract-violation");
    // 4 MB of spaces compress to a few KB: refused once 1 MB has been decompressed.
    const bomb = await gzip("[" + " ".repeat(4 << 20) + "]");
    expect(bomb.length).toBeLessThan(10_000);
    const body = await problemOf(await call(post("/predict", bomb, { "content-encoding": "gzip" })), 413, "body-too-large");
    expect(body.detail).toMatch(/^body: decompressed, more than the 1048576-byte limit/);
    await problemOf(await call(post("/predict", new Uint8Array([31, 139, 8, 0, 1, 2, 3]), { "content-encoding": "gzip" })), 400, "malformed-json");
    const br = await problemOf(await call(post("/predict", json, { "content-encoding": "br" })), 415, "unsupported-media-type");
    expect(br.detail).toBe('content encoding "br" is not supported; send identity, gzip or deflate');
    await stillServes();
  });

  it("too many records: 413", async () => {
    const rows = Array.from({ length: 11 }, (_, i) => record({}, i));
    const body = await problemOf(await call(post("/predict", rows), { MAX_RECORDS: "10" }), 413, "too-many-records");
    expect(body.detail).toBe("body: 11 records is more than the limit of 10");
    await stillServes();
  });
});

describe("settings and origins", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a bad setting is a 500 problem naming it", async () => {
    const body = await problemOf(await call(post("/predict", record()), { MODE: "block" }), 500, "misconfigured");
    expect(body.detail).toBe('MODE must be one of enforce, report, off, found "block"');
    const split = await problemOf(
      await call(post("/predict", record()), { ROLLOUT: "split", CHALLENGER: undefined }),
      500,
      "misconfigured",
    );
    expect(split.detail).toContain('ROLLOUT "split" needs a challenger');
  });

  it("forwards to ORIGIN_URL when no service is bound, keeping path and query", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (req) => new Response(`from ${req.url}`, { status: 202 }));
    const response = await call(post("/v1/predict?x=1", record()), { ORIGIN: undefined, ORIGIN_URL: "https://model.internal/base/" });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("from https://model.internal/base/v1/predict?x=1");
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it("an unreachable origin is a 502 problem", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    const body = await problemOf(
      await call(post("/predict", record()), { ORIGIN: undefined, ORIGIN_URL: "https://model.internal" }),
      502,
      "origin-unavailable",
    );
    expect(body.detail).toBe("the primary origin failed: connection refused");
  });

  it("every problem type has a description page", async () => {
    const response = await call(new Request("https://gate.test/__modelgate/problems/contract-violation"));
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^The request does not satisfy the data contract \(HTTP 422\)/);
    await problemOf(await call(new Request("https://gate.test/__modelgate/nothing")), 404, "not-found");
  });
});
