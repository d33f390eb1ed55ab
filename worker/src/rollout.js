// Where a request goes: the primary origin, or the challenger for a sticky
// share of request keys; and, in shadow mode, a copy to a third origin whose
// answer is dropped.

/** 32-bit FNV-1a of a string's UTF-8 bytes. */
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function cookie(header, name) {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The request's assignment key: the configured header or cookie, else the client address. */
export function requestKey(c, request) {
  const value =
    c.sticky.from === "header"
      ? request.headers.get(c.sticky.name)
      : cookie(request.headers.get("cookie"), c.sticky.name);
  if (value) return value;
  return request.headers.get("cf-connecting-ip");
}

/**
 * "challenger" for a share of CHALLENGER_PERCENT of keys, "primary" otherwise.
 * The same key (and salt) always gets the same variant; a request without a
 * key is assigned at random.
 */
export function variantFor(c, request) {
  if (!c.rollout.startsWith("split") || c.challengerPercent <= 0) return "primary";
  const key = requestKey(c, request);
  // Buckets of 1/10,000: a percentage with two decimals is exact.
  const bucket = key === null ? Math.floor(Math.random() * 10_000) : fnv1a(`${c.salt}:${key}`) % 10_000;
  return bucket < Math.round(c.challengerPercent * 100) ? "challenger" : "primary";
}

/** Headers only modelgate sets: a client's own copies are dropped, so the origin can trust them. */
const OWN_HEADERS = ["x-modelgate-violations", "x-modelgate-summary", "x-modelgate-contract", "x-modelgate-format", "x-modelgate-variant", "x-modelgate-shadow"];

/**
 * A request for `target` with the original method, path, query and headers.
 * `body` is what was read (decompressed when the client compressed it) or the
 * original stream.
 */
export function outbound(target, request, body, extraHeaders) {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  if (body instanceof Uint8Array) headers.delete("content-encoding");
  for (const name of OWN_HEADERS) headers.delete(name);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  const href = target.base ? target.base + url.pathname + url.search : request.url;
  return new Request(href, { method: request.method, headers, body, redirect: "manual" });
}

/** Sends `req` to `target` (a service binding or a URL). */
export function send(target, req) {
  return target.binding ? target.binding.fetch(req) : fetch(req);
}

/** Mirrors the request to the shadow origin after the response, ignoring its answer. */
export function shadow(c, ctx, request, body, headers) {
  const req = outbound(c.shadow, request, body, { ...headers, "x-modelgate-shadow": "1" });
  ctx.waitUntil(
    send(c.shadow, req)
      .then((response) => response.body?.cancel())
      .catch((e) => console.warn(`modelgate: shadow request failed: ${e.message}`)),
  );
}
