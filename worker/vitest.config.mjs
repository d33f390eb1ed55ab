// The worker's tests run inside workerd through @cloudflare/vitest-pool-workers,
// with three stand-in model servers (test/mock-origin.js) bound as services.
// Everything is local: `cf: false` keeps miniflare from fetching request.cf data.
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { entries } from "../tests/hostile/corpus.mjs";
import { readFileSync } from "node:fs";

// The payload entries of the hostile corpus (tests/hostile/manifest.json), bound
// as JSON for test/hostile.test.js: workerd has no file system, and some bodies
// are not UTF-8, so committed files travel as base64 and big ones as recipes.
const hostilePayloads = entries
  .filter((e) => e.kind === "payload")
  .map((e) => ({
    id: e.id,
    expect: e.expect,
    generate: e.generate,
    base64: e.file ? readFileSync(new URL(`../tests/hostile/${e.file}`, import.meta.url)).toString("base64") : undefined,
  }));

const origin = (name) => ({
  name,
  modules: true,
  scriptPath: "./test/mock-origin.js",
  compatibilityDate: "2026-04-01",
  bindings: { NAME: name },
  kvNamespaces: { SEEN: "seen" },
});

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        cf: false,
        bindings: { ORIGIN_URL: "", ENABLE_TEST_ROUTES: "true", DRIFT_FLUSH_RECORDS: 1, HOSTILE_PAYLOADS: JSON.stringify(hostilePayloads) },
        serviceBindings: { ORIGIN: "primary", CHALLENGER: "challenger", SHADOW: "shadow" },
        kvNamespaces: { SEEN: "seen", CONTRACTS: "contracts" },
        workers: [origin("primary"), origin("challenger"), origin("shadow")],
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.js"],
  },
});
