// The worker's tests run inside workerd through @cloudflare/vitest-pool-workers,
// with three stand-in model servers (test/mock-origin.js) bound as services.
// Everything is local: `cf: false` keeps miniflare from fetching request.cf data.
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

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
        bindings: { ORIGIN_URL: "", ENABLE_TEST_ROUTES: "true", DRIFT_FLUSH_RECORDS: 1 },
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
