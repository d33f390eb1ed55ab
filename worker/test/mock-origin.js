// A stand-in model server for the tests: answers every request with what it
// received (method, path, query, x- and content headers, and the body), under its
// own NAME, and records each request in the SEEN KV namespace so tests can see
// what reached it after the response (shadow requests).
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const body = await request.text();
    const headers = {};
    for (const [name, value] of request.headers) {
      if (name.startsWith("x-") || name === "content-encoding" || name === "content-type") headers[name] = value;
    }
    const seen = { origin: env.NAME, method: request.method, path: url.pathname, query: url.search, headers, body };
    await env.SEEN.put(`${env.NAME}:${crypto.randomUUID()}`, JSON.stringify(seen));
    const status = Number(url.searchParams.get("status") ?? 200);
    return new Response(JSON.stringify({ predictions: [0.5], seen }), {
      status,
      statusText: status === 200 ? "OK" : "Custom",
      headers: { "content-type": "application/json", "x-origin": env.NAME, "set-cookie": `origin=${env.NAME}; Path=/` },
    });
  },
};
