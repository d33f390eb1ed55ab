// Shared helpers of the worker tests: records from the example reference data,
// requests, calls into the worker with adjusted settings, and what the stand-in
// origins received.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index.js";
import referenceCsv from "../example/reference.csv?raw";
import contractJson from "../contract.json";

export { env, worker, contractJson };

export const FIELDS = contractJson.fields.map((f) => f.name);
const TYPES = Object.fromEntries(contractJson.fields.map((f) => [f.name, f.type]));

function typed(name, cell) {
  if (cell === "") return null;
  switch (TYPES[name]) {
    case "integer":
    case "number":
      return Number(cell);
    case "boolean":
      return cell === "true";
    default:
      return cell;
  }
}

/** The reference rows as records (2,000 of them), typed as the contract wants. */
export const REFERENCE_ROWS = referenceCsv
  .trim()
  .split("\n")
  .slice(1)
  .map((line, row) => {
    const cells = line.split(",");
    const record = {};
    FIELDS.forEach((name, i) => {
      const value = typed(name, cells[i]);
      // The one nullable field is also optional: sent as null in even rows, left out in odd ones.
      if (value !== null || row % 2 === 0) record[name] = value;
    });
    return record;
  });

/** A valid record, with `overrides` applied. */
export function record(overrides = {}, index = 3) {
  return { ...REFERENCE_ROWS[index], ...overrides };
}

let counter = 0;

/** A JSON POST to `path` tagged with a fresh x-test-id. */
export function post(path, body, headers = {}) {
  const id = `t${Date.now()}-${++counter}`;
  const request = new Request(`https://gate.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test-id": id, ...headers },
    body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  request.testId = id;
  return request;
}

export function get(path, headers = {}) {
  return new Request(`https://gate.test${path}`, { headers });
}

/**
 * Runs the worker on `request` with the test environment plus `settings`, and
 * waits for everything it left running (shadow requests, drift flushes).
 */
export async function call(request, settings = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...settings }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** What the stand-in origins received for the request with this x-test-id. */
export async function seen(testId) {
  const out = [];
  let cursor;
  do {
    const page = await env.SEEN.list({ cursor });
    for (const key of page.keys) {
      const value = JSON.parse(await env.SEEN.get(key.name));
      if (value.headers["x-test-id"] === testId) out.push(value);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}

/** Checks the RFC 9457 members of a problem response and returns its body. */
export async function problemOf(response, status, slug) {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  if (response.headers.get("content-type") !== "application/problem+json") {
    throw new Error(`content-type ${response.headers.get("content-type")}`);
  }
  const body = await response.json();
  if (body.type !== `https://gate.test/__modelgate/problems/${slug}`) throw new Error(`type ${body.type}`);
  if (body.status !== status || typeof body.title !== "string" || typeof body.detail !== "string") {
    throw new Error(`incomplete problem ${JSON.stringify(body)}`);
  }
  if (!/^urn:uuid:[0-9a-f-]{36}$/.test(body.instance)) throw new Error(`instance ${body.instance}`);
  return body;
}
