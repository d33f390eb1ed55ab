// RFC 9457 problem details. Each problem type has a URI under
// /__modelgate/problems/ on the worker's own origin, which answers with a
// short description of the type, so a client can look it up.

export const PROBLEM_TYPES = {
  "contract-violation": {
    status: 422,
    title: "The request does not satisfy the data contract",
    description:
      "At least one record of the request broke a rule of the data contract. `violations` lists every broken rule " +
      "(up to the configured limit): `instance` is the 0-based index of the record in the request, `field` the " +
      "feature, `rule` the rule, `expected` what the rule wants and `actual` the value sent.",
  },
  "malformed-json": {
    status: 400,
    title: "The request body is not valid JSON",
    description: "The body could not be parsed as JSON; `detail` gives the line and column.",
  },
  "empty-body": {
    status: 400,
    title: "The request body is empty",
    description: "A request to a validated route needs a JSON body.",
  },
  "too-deep": {
    status: 400,
    title: "The request body is nested too deeply",
    description: "Arrays and objects in the body are nested deeper than the configured MAX_DEPTH.",
  },
  "invalid-payload": {
    status: 400,
    title: "The request body is not a supported inference payload",
    description:
      "The body is JSON but not in an accepted shape, or its envelope is inconsistent (an Open Inference tensor " +
      "whose data does not match its shape or datatype, a dataframe_split row of the wrong width...). `detail` names the place.",
  },
  "body-too-large": {
    status: 413,
    title: "The request body is too large",
    description: "The body is larger than the configured MAX_BODY_BYTES.",
  },
  "too-many-records": {
    status: 413,
    title: "The request holds too many records",
    description: "The body holds more records than the configured MAX_RECORDS.",
  },
  "unsupported-media-type": {
    status: 415,
    title: "The request body must be JSON",
    description:
      "Validated routes accept `application/json` (or a `+json` media type) in UTF-8, uncompressed or with a gzip or deflate content encoding.",
  },
  "validator-failure": {
    status: 500,
    title: "The validator failed on this request",
    description:
      "The wasm validator stopped with an internal error on this request, which was not forwarded. The validator is " +
      "re-instantiated for the next request.",
  },
  "contract-unavailable": {
    status: 503,
    title: "The data contract cannot be loaded",
    description: "The contract (bundled or from KV) or the live reference could not be read or is invalid.",
  },
  "misconfigured": {
    status: 500,
    title: "The worker is misconfigured",
    description: "A setting of the worker is invalid; `detail` names it.",
  },
  "origin-unavailable": {
    status: 502,
    title: "The model origin could not be reached",
    description: "Forwarding the request to the model origin failed.",
  },
  "not-found": {
    status: 404,
    title: "No such modelgate endpoint",
    description: "Paths under /__modelgate/ are the worker's own endpoints.",
  },
};

/** Maps a core payload error code (error.details.code) to a problem type. */
export const PAYLOAD_PROBLEMS = {
  empty_body: "empty-body",
  body_too_large: "body-too-large",
  too_deep: "too-deep",
  malformed_json: "malformed-json",
  unknown_shape: "invalid-payload",
  invalid_payload: "invalid-payload",
  unnamed_values: "invalid-payload",
  too_many_records: "too-many-records",
};

/** A problem+json response of type `slug`, with `extra` members. */
export function problem(request, slug, detail, extra = {}, headers = {}) {
  const type = PROBLEM_TYPES[slug];
  const body = {
    type: new URL(`/__modelgate/problems/${slug}`, request.url).href,
    title: type.title,
    status: type.status,
    detail,
    instance: `urn:uuid:${crypto.randomUUID()}`,
    ...extra,
  };
  return new Response(JSON.stringify(body), {
    status: type.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

/** The description page of a problem type. */
export function describeProblem(request, slug) {
  const type = PROBLEM_TYPES[slug];
  if (!type) return problem(request, "not-found", `no problem type "${slug}"`);
  const text = `${type.title} (HTTP ${type.status})\n\n${type.description}\n`;
  return new Response(text, { headers: { "content-type": "text/plain; charset=utf-8" } });
}
