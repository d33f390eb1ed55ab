// modelgate edge worker: validates inference requests against a data contract
// before they reach the model, routes them between a primary and a challenger
// origin, mirrors them to a shadow origin, and keeps live drift counts.
//
//   POST <any route>           validated per its mode (enforce | report | off), then forwarded
//   GET  /__modelgate/contract the contract in force: version, hash, source
//   GET  /__modelgate/drift    live drift against the reference profile
//   GET  /__modelgate/health   liveness and validator resets
//   GET  /__modelgate/problems/<type>  what a problem type means
//
// docs/worker.md describes the settings; src/config.js reads them.

import { config, ConfigError, modeFor } from "./config.js";
import { ContractUnavailable, gate, isTrap, poison, stats, wasm } from "./engine.js";
import { flush, objectName, takeDue } from "./drift.js";
import { PAYLOAD_PROBLEMS, describeProblem, problem } from "./problem.js";
import { outbound, send, shadow, variantFor } from "./rollout.js";

export { DriftAggregator } from "./drift.js";

const VALIDATED_METHODS = new Set(["POST", "PUT", "PATCH"]);
const SUMMARY_MAX = 512;

class TooLarge extends Error {}

/** Reads a stream, refusing more than `limit` bytes without buffering them. */
async function readStream(stream, limit, what) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new TooLarge(`body: ${what}more than the ${limit}-byte limit (read ${total} bytes before stopping)`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Reads the body, refusing more than `limit` bytes. A gzip or deflate body is
 * decompressed, and the limit applies to what it decompresses to.
 */
async function readBody(request, limit, encoding) {
  if (!request.body) return new Uint8Array(0);
  if (encoding) return readStream(request.body.pipeThrough(new DecompressionStream(encoding)), limit, "decompressed, ");
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw new TooLarge(`body: ${declared} bytes is more than the ${limit}-byte limit`);
  // With a declared length within the limit, the runtime reads the body in one go.
  if (declared !== null) {
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > limit) throw new TooLarge(`body: ${body.byteLength} bytes is more than the ${limit}-byte limit`);
    return body;
  }
  return readStream(request.body, limit, "");
}

/** Whether a Content-Type is JSON in UTF-8. */
function isJson(contentType) {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) return false;
  const charset = params.find((p) => p.startsWith("charset="));
  return !charset || ["charset=utf-8", 'charset="utf-8"'].includes(charset);
}

/** A one-line summary of violations for a header: `age:below_minimum=2, city:category_not_allowed=1`. */
function summaryHeader(report) {
  let text = "";
  for (const { field, rule, count } of report.summary) {
    const item = `${field || "(record)"}:${rule}=${count}`;
    const next = text ? `${text}, ${item}` : item;
    if (next.length > SUMMARY_MAX) return `${text}, ...`;
    text = next;
  }
  // Header values must be ISO-8859-1 without control characters.
  return text.replace(/[^\x20-\x7e]/g, "?");
}

function json(value, status = 200, headers = {}) {
  return new Response(JSON.stringify(value, null, 2), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** Passes the origin's response back, adding only modelgate's own headers. */
function passBack(response, headers) {
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  return out;
}

async function forward(c, request, ctx, body, headers) {
  const variant = variantFor(c, request);
  const target = variant === "challenger" ? c.challenger : c.primary;
  let mirrorBody = body;
  if (c.rollout.endsWith("shadow")) {
    if (body instanceof ReadableStream) [body, mirrorBody] = body.tee();
    shadow(c, ctx, request, mirrorBody, headers);
  }
  const extra = { ...headers, "x-modelgate-variant": variant };
  let response;
  try {
    response = await send(target, outbound(target, request, body, extra));
  } catch (e) {
    return problem(request, "origin-unavailable", `the ${variant} origin failed: ${e.message}`, { variant });
  }
  return passBack(response, extra);
}

async function validateAndForward(c, request, env, ctx, mode) {
  if (!isJson(request.headers.get("content-type"))) {
    return problem(
      request,
      "unsupported-media-type",
      `content type ${JSON.stringify(request.headers.get("content-type") ?? "")} is not JSON; send application/json in UTF-8`,
    );
  }
  const coding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  const encoding = { identity: null, gzip: "gzip", "x-gzip": "gzip", deflate: "deflate" }[coding];
  if (encoding === undefined) {
    return problem(request, "unsupported-media-type", `content encoding ${JSON.stringify(coding)} is not supported; send identity, gzip or deflate`);
  }
  let body;
  try {
    body = await readBody(request, c.limits.max_body_bytes, encoding);
  } catch (e) {
    if (e instanceof TooLarge) return problem(request, "body-too-large", e.message);
    if (encoding) return problem(request, "malformed-json", `body: cannot be decompressed as ${encoding}: ${e.message}`);
    throw e;
  }
  const now = Date.now();
  let built;
  try {
    built = await gate(c, now, (old) => {
      const profile = takeDue(c, old, now, true);
      if (profile) ctx.waitUntil(flush(c, old, profile).catch((e) => console.warn(`modelgate: drift flush failed: ${e.message}`)));
    });
  } catch (e) {
    if (e instanceof ContractUnavailable) return problem(request, "contract-unavailable", e.message);
    if (isTrap(e)) return problem(request, "validator-failure", "the validator failed while loading the contract");
    throw e;
  }
  const contractHeader = `${built.version}; sha256=${built.hash}`;
  let report;
  try {
    report = built.gate.check(body);
  } catch (e) {
    if (e?.details?.code in PAYLOAD_PROBLEMS) {
      return problem(request, PAYLOAD_PROBLEMS[e.details.code], e.message, { code: e.details.code }, { "x-modelgate-contract": contractHeader });
    }
    if (isTrap(e)) poison();
    console.error(`modelgate: validator failure: ${e?.message}`);
    return problem(request, "validator-failure", "the validator stopped with an internal error; the request was not forwarded");
  }
  const profile = takeDue(c, built, now);
  if (profile) ctx.waitUntil(flush(c, built, profile).catch((e) => console.warn(`modelgate: drift flush failed: ${e.message}`)));

  const count = report.violations.length;
  const headers = { "x-modelgate-contract": contractHeader, "x-modelgate-violations": String(count), "x-modelgate-format": report.format };
  if (count > 0) headers["x-modelgate-summary"] = summaryHeader(report);
  if (count > 0 && mode === "enforce") {
    const listed = report.violations.slice(0, c.maxListedViolations).map(({ instance, field, rule, expected, actual, message }) => ({
      instance,
      field,
      rule,
      expected,
      actual,
      message,
    }));
    const noun = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
    return problem(
      request,
      "contract-violation",
      `${noun(count, "violation")} in ${noun(report.invalid_records, "instance")} of ${report.records}`,
      {
        contract: { version: built.version, hash: built.hash },
        format: report.format,
        records: report.records,
        invalid_records: report.invalid_records,
        violation_count: count,
        violations_listed: listed.length,
        violations: listed,
      },
      headers,
    );
  }
  return forward(c, request, ctx, body, headers);
}

async function contractInfo(c, request) {
  const built = await gate(c, Date.now());
  return json({
    version: built.version,
    hash: built.hash,
    source: built.source,
    live_reference: built.referenceKey,
    drift_object: built.referenceKey && c.drift ? objectName(built) : null,
  }, 200, { "x-modelgate-contract": `${built.version}; sha256=${built.hash}` });
}

async function driftInfo(c, request, url) {
  const now = Date.now();
  const built = await gate(c, now);
  if (!built.referenceKey || !c.drift) {
    return problem(request, "not-found", "live drift is off: it needs a live reference (reference.json or KV) and the DRIFT Durable Object binding");
  }
  await flush(c, built, takeDue(c, built, now, true));
  const stub = c.drift.get(c.drift.idFromName(objectName(built)));
  const minCount = url.searchParams.get("min_count");
  const report = await stub.drift(built.referenceText, { min_count: minCount === null ? c.driftMinCount : Number(minCount) });
  return json({ contract: { version: built.version, hash: built.hash }, ...report });
}

async function admin(c, request, url, env, ctx) {
  const path = url.pathname;
  if (path.startsWith("/__modelgate/problems/")) return describeProblem(request, path.slice("/__modelgate/problems/".length));
  if (request.method === "GET" && path === "/__modelgate/health") return json({ ok: true, ...stats() });
  if (request.method === "GET" && path === "/__modelgate/contract") return contractInfo(c, request);
  if (request.method === "GET" && path === "/__modelgate/drift") return driftInfo(c, request, url);
  if (c.testRoutes && request.method === "POST" && path === "/__modelgate/test/panic") {
    try {
      wasm().panicForTest();
    } catch (e) {
      if (isTrap(e)) poison();
      return problem(request, "validator-failure", "the validator stopped with an internal error; the request was not forwarded");
    }
  }
  return problem(request, "not-found", `no modelgate endpoint ${request.method} ${path}`);
}

async function handle(request, env, ctx) {
  let c;
  try {
    c = config(env);
  } catch (e) {
    if (e instanceof ConfigError) return problem(request, "misconfigured", e.message);
    throw e;
  }
  const url = new URL(request.url);
  try {
    if (url.pathname.startsWith("/__modelgate/")) return await admin(c, request, url, env, ctx);
    const mode = modeFor(c, url.pathname);
    if (mode === "off" || !VALIDATED_METHODS.has(request.method)) return await forward(c, request, ctx, request.body, {});
    return await validateAndForward(c, request, env, ctx, mode);
  } catch (e) {
    if (e instanceof ContractUnavailable) return problem(request, "contract-unavailable", e.message);
    if (isTrap(e)) poison();
    console.error(`modelgate: ${e?.stack ?? e}`);
    return problem(request, "validator-failure", "internal error in the worker; the request was not forwarded");
  }
}

export default { fetch: handle };
