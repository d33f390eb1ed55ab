// Live drift. Each isolate counts the valid records it validates into a live
// profile (counts per reference bin and category, no values) inside its
// PayloadGate; every DRIFT_FLUSH_RECORDS records or DRIFT_FLUSH_SECONDS it
// sends that profile to the Durable Object of its contract version and live
// reference, which adds it to the stored sum. GET /__modelgate/drift asks the
// object for drift of the sum against the reference. Counts still pending in an
// isolate that is evicted are lost: at most one flush interval of traffic.

import { DurableObject } from "cloudflare:workers";
import { wasm } from "./engine.js";

/** The Durable Object name for a gate: one per contract version and live reference. */
export function objectName(built) {
  return `contract:${built.version}:reference:${built.referenceKey}`;
}

/** Sends a gate's pending profile to its Durable Object. */
export async function flush(c, built, profile) {
  if (!profile || !c.drift || !built.referenceKey) return;
  const stub = c.drift.get(c.drift.idFromName(objectName(built)));
  const result = await stub.merge(profile);
  if (result.error) console.warn(`modelgate: drift profile refused: ${result.error}`);
}

/** Takes the pending profile when it is due (or when `force`), for `flush`. */
export function takeDue(c, built, now, force = false) {
  if (!c.drift || !built.referenceKey) return null;
  const pending = built.gate.pendingRecords;
  if (pending === 0) return null;
  if (!force && pending < c.flushRecords && now - built.lastFlush < c.flushMs) return null;
  built.lastFlush = now;
  return built.gate.takeProfile() ?? null;
}

/** The merged live profile of one contract version and reference. */
export class DriftAggregator extends DurableObject {
  /**
   * Adds a profile (JSON text) to the stored sum: `{ records }` summed so far,
   * or `{ error }` for a profile that does not fit (the sum is then unchanged).
   */
  async merge(profile) {
    const m = wasm();
    const stored = await this.ctx.storage.get("profile");
    let merged;
    try {
      // The first profile comes from this worker's own gate and is stored as sent.
      merged = stored === undefined ? profile : m.mergeLiveProfiles(stored, profile);
    } catch (e) {
      return { error: e.message };
    }
    await this.ctx.storage.put("profile", merged);
    return { records: JSON.parse(merged).records };
  }

  /** The stored sum (JSON text), or undefined before the first merge. */
  async profile() {
    return this.ctx.storage.get("profile");
  }

  /** Drift of the stored sum against `reference` (JSON text). */
  async drift(reference, options) {
    const stored = await this.ctx.storage.get("profile");
    return wasm().liveDrift(reference, stored, options);
  }

  /** Forgets the stored sum. */
  async reset() {
    await this.ctx.storage.delete("profile");
  }
}
