// Every payload entry of the hostile corpus (tests/hostile/manifest.json, bound
// as HOSTILE_PAYLOADS by vitest.config.mjs) posted to the worker in workerd:
// a refused body answers the problem type its core error code maps to, with the
// core's message as the detail and the code as `code`; an accepted body is
// validated (200 and forwarded, or 422 with the violations) with the format and
// the violation count the manifest states. After all of them the worker still
// serves a valid request.
import { describe, expect, it } from "vitest";
import { PAYLOAD_PROBLEMS, PROBLEM_TYPES } from "../src/problem.js";
import { call, env, post, problemOf, record } from "./helpers.js";

function build({ head, repeat, times, tail, numbered }) {
  let body = "";
  if (numbered) {
    const parts = new Array(times);
    for (let i = 0; i < times; i++) parts[i] = repeat.replaceAll("{i}", String(i));
    body = parts.join("");
  } else {
    body = repeat.repeat(times);
  }
  return new TextEncoder().encode(head + body + tail);
}

function bytesOf(entry) {
  if (entry.generate) return build(entry.generate);
  return Uint8Array.from(atob(entry.base64), (c) => c.charCodeAt(0));
}

const entries = JSON.parse(env.HOSTILE_PAYLOADS);

describe("hostile payload corpus", () => {
  it("has the payload entries", () => {
    expect(entries.length).toBeGreaterThanOrEqual(30);
  });

  for (const entry of entries) {
    it(entry.id, async () => {
      const response = await call(post("/predict", bytesOf(entry)));
      const { expect: want } = entry;
      if (want.error) {
        const slug = PAYLOAD_PROBLEMS[want.error];
        expect(slug, `no problem type for ${want.error}`).toBeTruthy();
        const body = await problemOf(response, PROBLEM_TYPES[slug].status, slug);
        expect(body.detail).toContain(want.message);
        // A body over the size limit is refused while it is read, before the core sees it.
        if (want.error !== "body_too_large") expect(body.code).toBe(want.error);
      } else {
        const { format, violations } = want.accepted;
        expect(response.headers.get("x-modelgate-format")).toBe(format);
        expect(response.headers.get("x-modelgate-violations")).toBe(String(violations));
        if (violations === 0) {
          expect(response.status).toBe(200);
        } else {
          const body = await problemOf(response, 422, "contract-violation");
          expect(body.violation_count).toBe(violations);
        }
      }
    });
  }

  it("still serves a valid request afterwards", async () => {
    const response = await call(post("/predict", record()));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-modelgate-violations")).toBe("0");
  });
});
