// The worker's settings, read from its environment (wrangler.toml [vars],
// secrets and bindings). Every setting has a default, so a deployment names
// only its model origin. docs/worker.md lists them all.

export const MODES = ["enforce", "report", "off"];
export const ROLLOUTS = ["primary-only", "split", "shadow", "split+shadow"];

const DEFAULTS = {
  MODE: "enforce",
  ROLLOUT: "primary-only",
  CHALLENGER_PERCENT: 0,
  STICKY_KEY: "header:x-modelgate-key",
  ROLLOUT_SALT: "",
  MAX_BODY_BYTES: 1 << 20,
  MAX_DEPTH: 32,
  MAX_RECORDS: 10_000,
  MAX_LISTED_VIOLATIONS: 1_000,
  CONTRACT_KV_KEY: "contract",
  REFERENCE_KV_KEY: "reference",
  CONTRACT_CACHE_SECONDS: 60,
  LIVE_DRIFT: "on",
  DRIFT_FLUSH_RECORDS: 1000,
  DRIFT_FLUSH_SECONDS: 30,
  DRIFT_MIN_COUNT: 30,
  ENABLE_TEST_ROUTES: "false",
};

export class ConfigError extends Error {}

const cache = new WeakMap();

/** The parsed settings of `env`, computed once per env object. */
export function config(env) {
  let parsed = cache.get(env);
  if (!parsed) {
    parsed = parse(env);
    cache.set(env, parsed);
  }
  return parsed;
}

function setting(env, name) {
  const value = env[name];
  return value === undefined || value === null || value === "" ? DEFAULTS[name] : value;
}

function whole(env, name, min, max) {
  const value = Number(setting(env, name));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, found ${JSON.stringify(env[name])}`);
  }
  return value;
}

function oneOf(env, name, allowed) {
  const value = String(setting(env, name));
  if (!allowed.includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(", ")}, found ${JSON.stringify(value)}`);
  }
  return value;
}

function flag(env, name) {
  const value = String(setting(env, name)).toLowerCase();
  if (["true", "on", "1", "yes"].includes(value)) return true;
  if (["false", "off", "0", "no"].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, found ${JSON.stringify(env[name])}`);
}

/** ROUTES maps path patterns to modes: "/predict" exactly, "/v2/*" as a prefix. */
function routes(env) {
  let value = env.ROUTES;
  if (value === undefined || value === null || value === "") return [];
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ConfigError(`ROUTES must be a JSON object of path patterns to modes, found ${JSON.stringify(env.ROUTES)}`);
    }
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError("ROUTES must be an object of path patterns to modes");
  }
  const out = [];
  for (const [pattern, mode] of Object.entries(value)) {
    if (!MODES.includes(mode)) {
      throw new ConfigError(`ROUTES["${pattern}"] must be one of ${MODES.join(", ")}, found ${JSON.stringify(mode)}`);
    }
    const prefix = pattern.endsWith("*");
    out.push({ pattern, prefix, path: prefix ? pattern.slice(0, -1) : pattern, mode });
  }
  // Exact patterns first, then the longest prefix.
  out.sort((a, b) => Number(a.prefix) - Number(b.prefix) || b.path.length - a.path.length);
  return out;
}

function sticky(env) {
  const value = String(setting(env, "STICKY_KEY"));
  const match = /^(header|cookie):(.+)$/.exec(value);
  if (!match) {
    throw new ConfigError(`STICKY_KEY must be "header:<name>" or "cookie:<name>", found ${JSON.stringify(value)}`);
  }
  return { from: match[1], name: match[1] === "header" ? match[2].toLowerCase() : match[2] };
}

function target(env, binding, url) {
  if (env[binding] && typeof env[binding].fetch === "function") return { binding: env[binding], name: binding };
  const value = env[url];
  if (value === undefined || value === null || value === "") return null;
  let parsed;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${url} must be an absolute http(s) URL, found ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError(`${url} must be an http(s) URL, found ${JSON.stringify(value)}`);
  }
  return { base: value.replace(/\/+$/, ""), name: url };
}

function parse(env) {
  const rollout = oneOf(env, "ROLLOUT", ROLLOUTS);
  const c = {
    mode: oneOf(env, "MODE", MODES),
    routes: routes(env),
    rollout,
    challengerPercent: Number(setting(env, "CHALLENGER_PERCENT")),
    sticky: sticky(env),
    salt: String(setting(env, "ROLLOUT_SALT")),
    primary: target(env, "ORIGIN", "ORIGIN_URL"),
    challenger: target(env, "CHALLENGER", "CHALLENGER_URL"),
    shadow: target(env, "SHADOW", "SHADOW_URL"),
    limits: {
      max_body_bytes: whole(env, "MAX_BODY_BYTES", 1, 100 * (1 << 20)),
      max_depth: whole(env, "MAX_DEPTH", 1, 127),
      max_records: whole(env, "MAX_RECORDS", 1, 1_000_000),
    },
    maxListedViolations: whole(env, "MAX_LISTED_VIOLATIONS", 0, 1_000_000),
    kv: env.CONTRACTS && typeof env.CONTRACTS.get === "function" ? env.CONTRACTS : null,
    contractKey: String(setting(env, "CONTRACT_KV_KEY")),
    referenceKey: String(setting(env, "REFERENCE_KV_KEY")),
    cacheMs: whole(env, "CONTRACT_CACHE_SECONDS", 0, 86_400) * 1000,
    liveDrift: flag(env, "LIVE_DRIFT"),
    drift: env.DRIFT && typeof env.DRIFT.idFromName === "function" ? env.DRIFT : null,
    flushRecords: whole(env, "DRIFT_FLUSH_RECORDS", 1, 1_000_000),
    flushMs: whole(env, "DRIFT_FLUSH_SECONDS", 0, 86_400) * 1000,
    driftMinCount: whole(env, "DRIFT_MIN_COUNT", 0, 1_000_000_000),
    testRoutes: flag(env, "ENABLE_TEST_ROUTES"),
  };
  c.limitsKey = JSON.stringify(c.limits);
  if (!Number.isFinite(c.challengerPercent) || c.challengerPercent < 0 || c.challengerPercent > 100) {
    throw new ConfigError(`CHALLENGER_PERCENT must be a number from 0 to 100, found ${JSON.stringify(env.CHALLENGER_PERCENT)}`);
  }
  if (!c.primary) throw new ConfigError("no model origin: set ORIGIN_URL or bind a service as ORIGIN");
  if (rollout.startsWith("split") && !c.challenger) {
    throw new ConfigError(`ROLLOUT "${rollout}" needs a challenger: set CHALLENGER_URL or bind a service as CHALLENGER`);
  }
  if (rollout.endsWith("shadow") && !c.shadow) {
    throw new ConfigError(`ROLLOUT "${rollout}" needs a shadow origin: set SHADOW_URL or bind a service as SHADOW`);
  }
  return c;
}

/** The mode for a request path: the first matching ROUTES pattern, else MODE. */
export function modeFor(c, path) {
  for (const route of c.routes) {
    if (route.prefix ? path.startsWith(route.path) : path === route.path) return route.mode;
  }
  return c.mode;
}
