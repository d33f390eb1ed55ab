// The wasm validator of this isolate: instantiated once from the bundled
// module, with one PayloadGate (contract, limits, pending live profile) built
// from the contract and live reference in force.
//
// A Rust panic traps the wasm instance, and a trapped instance may hold broken
// state (a half-moved allocation, a borrowed handle). The worker then answers
// 500 and marks the instance poisoned; the next call re-instantiates the
// module (kept, so no recompilation) with the __wbg_reset_state function that
// scripts/build-wasm.sh has wasm-bindgen generate, and rebuilds the gate.

import wasmModule from "../pkg/modelgate_wasm_bg.wasm";
import * as mg from "../pkg/modelgate_wasm.js";
import bundledContract from "../contract.json";
import bundledReference from "../reference.json";

const BUNDLED_CONTRACT = JSON.stringify(bundledContract);
const BUNDLED_REFERENCE = JSON.stringify(bundledReference);

let initialized = false;
let poisoned = false;
let resets = 0;
/** The gate in use, and what it was built from. */
let current = null;
/** Contract and reference texts from KV, with the time they were read. */
let fetched = null;

/** The wasm bindings, instantiated (or re-instantiated after a trap). */
export function wasm() {
  if (!initialized) {
    mg.initSync({ module: wasmModule });
    initialized = true;
  } else if (poisoned) {
    mg.__wbg_reset_state();
    poisoned = false;
    resets += 1;
    // Handles of the old instance are stale; the gate is rebuilt on demand
    // and its uncounted live profile is lost.
    current = null;
  }
  return mg;
}

/** Whether an exception came from a trapped instance rather than from a clean error. */
export function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError || (error instanceof Error && /stale object/.test(error.message));
}

/** Marks the instance as unusable after a trap. */
export function poison() {
  poisoned = true;
}

export function stats() {
  return { instance_resets: resets, poisoned };
}

/** Error for a contract or reference that cannot be loaded or read. */
export class ContractUnavailable extends Error {}

async function sources(c, now) {
  if (!c.kv) return { contract: BUNDLED_CONTRACT, reference: BUNDLED_REFERENCE, source: "bundled" };
  if (!fetched || now - fetched.at >= c.cacheMs) {
    let contract, reference;
    try {
      [contract, reference] = await Promise.all([c.kv.get(c.contractKey), c.kv.get(c.referenceKey)]);
    } catch (e) {
      if (fetched) return fetched; // keep serving the last contract read
      throw new ContractUnavailable(`cannot read the contract from KV: ${e.message}`);
    }
    fetched = {
      at: now,
      contract: contract ?? BUNDLED_CONTRACT,
      reference: reference ?? BUNDLED_REFERENCE,
      source: contract ? `kv:${c.contractKey}` : "bundled",
    };
  }
  return fetched;
}

/**
 * The gate for these settings, built or rebuilt when the contract, the
 * reference or the limits changed. `retire` receives the gate being replaced
 * so its pending live profile can still be flushed.
 */
export async function gate(c, now, retire) {
  const src = await sources(c, now);
  const reference = c.liveDrift ? src.reference : null;
  const key = c.limitsKey;
  const m = wasm();
  if (current && current.contractText === src.contract && current.referenceText === reference && current.key === key) {
    return current;
  }
  let built;
  try {
    const contract = m.Contract.fromJson(src.contract);
    let g;
    try {
      g = new m.PayloadGate(contract, { ...c.limits }, reference ?? undefined);
    } finally {
      contract.free();
    }
    built = {
      gate: g,
      contractText: src.contract,
      referenceText: reference,
      key,
      source: src.source,
      version: g.contractVersion,
      hash: g.contractHash,
      referenceKey: g.referenceKey ?? null,
      lastFlush: now,
    };
  } catch (e) {
    if (isTrap(e)) {
      poison();
      throw e;
    }
    throw new ContractUnavailable(`the contract in force (${src.source}) cannot be used: ${e.message}`);
  }
  const old = current;
  current = built;
  if (old && retire) retire(old);
  if (old) old.gate.free();
  return built;
}
