// Bundles the edge worker offline, as `wrangler deploy --dry-run` would for a deploy,
// into a fresh directory; the benchmark and soak scripts run that bundle in workerd.

import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Bundles worker/ into `out` (emptied first); exits the process when wrangler fails. */
export function bundleWorker(out) {
  rmSync(out, { recursive: true, force: true });
  const build = spawnSync(
    join(root, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--config", "worker/wrangler.toml", "--outdir", out],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" }, encoding: "utf8" },
  );
  if (build.status !== 0) {
    console.error(build.stdout, build.stderr);
    process.exit(2);
  }
  if (!readdirSync(out).some((f) => f.endsWith(".wasm"))) throw new Error("the bundle has no wasm");
}
