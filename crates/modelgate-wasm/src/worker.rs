//! Exports for the edge worker: a [`PayloadGate`] that validates request bodies
//! against a contract and counts valid records into a live drift profile, the
//! functions that merge profiles and compare them with the reference, and a
//! panic the worker's tests use to check that it recovers from a trapped instance.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use modelgate_core::contract;
use modelgate_core::live::{LiveDriftOptions, LiveError, LiveProfile, LiveReference, LiveReferenceOptions};
use modelgate_core::payload::{self, PayloadError, PayloadLimits, PayloadOptions, PayloadReport};

use super::{js_error, to_js, Contract, Dataset};

/// A contract, payload limits and, optionally, a live reference with the
/// profile of the records counted since the last [`PayloadGate::take_profile`].
/// The worker keeps one per isolate.
#[wasm_bindgen]
pub struct PayloadGate {
    contract: contract::Contract,
    options: PayloadOptions,
    live: Option<(LiveReference, LiveProfile)>,
}

#[wasm_bindgen]
impl PayloadGate {
    /// A gate for `contract` (copied) and, when given, the live reference (JSON
    /// text). `options` may set `max_body_bytes`, `max_depth`, `max_records` and
    /// `feature_names` (by default the contract's field order).
    #[wasm_bindgen(constructor)]
    pub fn new(
        contract: &Contract,
        #[wasm_bindgen(unchecked_param_type = "Partial<PayloadOptions> | undefined")] options: JsValue,
        live_reference_json: Option<String>,
    ) -> Result<PayloadGate, JsValue> {
        let contract = contract.inner.clone();
        let mut options = payload_options(options)?;
        if options.feature_names.is_empty() {
            options.feature_names = PayloadOptions::for_contract(&contract).feature_names;
        }
        let live = match live_reference_json {
            Some(text) => {
                let reference = LiveReference::from_json(&text).map_err(live_error)?;
                let profile = reference.empty_profile();
                Some((reference, profile))
            }
            None => None,
        };
        Ok(PayloadGate { contract, options, live })
    }

    /// The contract's own version label.
    #[wasm_bindgen(getter, js_name = contractVersion)]
    pub fn contract_version(&self) -> String {
        self.contract.version.clone()
    }

    /// The SHA-256 of the contract's canonical JSON.
    #[wasm_bindgen(getter, js_name = contractHash)]
    pub fn contract_hash(&self) -> String {
        self.contract.hash()
    }

    /// The live reference's key, when there is a live reference.
    #[wasm_bindgen(getter, js_name = referenceKey)]
    pub fn reference_key(&self) -> Option<String> {
        self.live.as_ref().map(|(r, _)| r.key())
    }

    /// Parses `body`, validates every record and counts the valid ones into the
    /// live profile. Throws for a body that cannot be read (`error.details`).
    #[wasm_bindgen(unchecked_return_type = "PayloadReport")]
    pub fn check(&mut self, body: &[u8]) -> Result<JsValue, JsValue> {
        let parsed = payload::parse_payload(body, &self.options).map_err(payload_error)?;
        let report = PayloadReport::new(&self.contract, &parsed);
        if let Some((reference, profile)) = &mut self.live {
            reference.fold_valid(profile, &parsed.records, &report.violations);
        }
        to_js(&report)
    }

    /// Records counted into the live profile since the last `takeProfile`.
    #[wasm_bindgen(getter, js_name = pendingRecords)]
    pub fn pending_records(&self) -> f64 {
        self.live.as_ref().map_or(0.0, |(_, p)| p.records as f64)
    }

    /// The live profile's JSON, leaving an empty one in its place; `undefined`
    /// when there is no live reference or nothing was counted.
    #[wasm_bindgen(js_name = takeProfile)]
    pub fn take_profile(&mut self) -> Option<String> {
        let (reference, profile) = self.live.as_mut()?;
        if profile.records == 0 {
            return None;
        }
        let taken = std::mem::replace(profile, reference.empty_profile());
        Some(taken.to_json())
    }
}

/// Builds a live reference (JSON text) from reference data: numeric columns
/// into quantile bins, categorical ones into their categories. `options` may set
/// `bins` (10) and `max_categories` (50).
#[wasm_bindgen(js_name = liveReference)]
pub fn live_reference(
    dataset: &Dataset,
    #[wasm_bindgen(unchecked_param_type = "Partial<LiveReferenceOptions> | undefined")] options: JsValue,
) -> Result<String, JsValue> {
    let mut o = LiveReferenceOptions::default();
    if !options.is_undefined() && !options.is_null() {
        for (key, slot) in [("bins", &mut o.bins), ("max_categories", &mut o.max_categories)] {
            let v = js_sys::Reflect::get(&options, &JsValue::from_str(key))?;
            if v.is_undefined() {
                continue;
            }
            match v.as_f64() {
                Some(n) if (1.0..=1000.0).contains(&n) && n.fract() == 0.0 => *slot = n as usize,
                _ => {
                    return Err(js_error(
                        &format!("live reference option \"{key}\" must be a whole number from 1 to 1000"),
                        None,
                    ))
                }
            }
        }
    }
    Ok(LiveReference::from_dataset(&dataset.inner, &o).to_json())
}

/// Adds two live profiles (JSON text) counted against the same reference.
#[wasm_bindgen(js_name = mergeLiveProfiles)]
pub fn merge_live_profiles(a: &str, b: &str) -> Result<String, JsValue> {
    let mut a = LiveProfile::from_json(a).map_err(live_error)?;
    let b = LiveProfile::from_json(b).map_err(live_error)?;
    a.merge(&b).map_err(live_error)?;
    Ok(a.to_json())
}

/// Live drift of a profile (JSON text; `undefined` for no traffic yet) against
/// its reference (JSON text).
#[wasm_bindgen(js_name = liveDrift, unchecked_return_type = "LiveDriftReport")]
pub fn live_drift(
    reference_json: &str,
    profile_json: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "Partial<LiveDriftOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let reference = LiveReference::from_json(reference_json).map_err(live_error)?;
    let profile = match profile_json {
        Some(text) => LiveProfile::from_json(&text).map_err(live_error)?,
        None => reference.empty_profile(),
    };
    let mut o = LiveDriftOptions::default();
    if !options.is_undefined() && !options.is_null() {
        let get = |key: &str| js_sys::Reflect::get(&options, &JsValue::from_str(key));
        for (key, slot) in [
            ("psi_threshold", &mut o.psi_threshold),
            ("chi2_alpha", &mut o.chi2_alpha),
            ("drift_share", &mut o.drift_share),
        ] {
            let v = get(key)?;
            if !v.is_undefined() {
                *slot = v.as_f64().filter(|x| x.is_finite()).ok_or_else(|| {
                    js_error(&format!("live drift option \"{key}\" must be a finite number"), None)
                })?;
            }
        }
        let v = get("min_count")?;
        if !v.is_undefined() {
            o.min_count = v
                .as_f64()
                .filter(|x| *x >= 0.0 && x.fract() == 0.0)
                .ok_or_else(|| js_error("live drift option \"min_count\" must be a whole number", None))?
                as u64;
        }
    }
    to_js(&reference.drift(&profile, &o).map_err(live_error)?)
}

/// Parses an inference request body into records and names the format it was in.
///
/// `options` may set `max_body_bytes`, `max_depth`, `max_records` and
/// `feature_names` (the order that names rows sent as arrays of values).
#[wasm_bindgen(js_name = parsePayload, unchecked_return_type = "ParsedPayload")]
pub fn parse_payload(
    body: &[u8],
    #[wasm_bindgen(unchecked_param_type = "Partial<PayloadOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Parsed<'a> {
        format: payload::PayloadFormat,
        records: &'a [payload::Record],
    }
    let options = payload_options(options)?;
    let parsed = payload::parse_payload(body, &options).map_err(payload_error)?;
    to_js(&Parsed { format: parsed.format, records: &parsed.records })
}

/// Parses a request body and validates every record against `contract`, in
/// one call: `{ format, records, invalid_records, violations, summary }`.
/// Rows sent as arrays of values are named by the contract's field order unless
/// `options.feature_names` says otherwise. Throws for a body that cannot be read
/// (`error.details`: `{ code, too_large }`).
#[wasm_bindgen(js_name = validatePayload, unchecked_return_type = "PayloadReport")]
pub fn validate_payload(
    contract: &Contract,
    body: &[u8],
    #[wasm_bindgen(unchecked_param_type = "Partial<PayloadOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let mut options = payload_options(options)?;
    if options.feature_names.is_empty() {
        options.feature_names = PayloadOptions::for_contract(&contract.inner).feature_names;
    }
    to_js(&payload::validate_payload(&contract.inner, body, &options).map_err(payload_error)?)
}

/// Panics inside wasm, which traps the instance. Only for the worker's tests of
/// its recovery path, behind a configuration flag that is off by default.
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test() {
    panic!("modelgate: deliberate panic for a recovery test");
}

pub(crate) fn payload_options(value: JsValue) -> Result<PayloadOptions, JsValue> {
    let mut options = PayloadOptions::default();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    let get = |key: &str| js_sys::Reflect::get(&value, &JsValue::from_str(key));
    let limits: &mut PayloadLimits = &mut options.limits;
    for (key, slot) in [
        ("max_body_bytes", &mut limits.max_body_bytes),
        ("max_depth", &mut limits.max_depth),
        ("max_records", &mut limits.max_records),
    ] {
        let v = get(key)?;
        if v.is_undefined() {
            continue;
        }
        match v.as_f64() {
            Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => *slot = n as usize,
            _ => {
                return Err(js_error(
                    &format!("payload option \"{key}\" must be a whole number of at least 1"),
                    None,
                ))
            }
        }
    }
    let names = get("feature_names")?;
    if !names.is_undefined() && !names.is_null() {
        let array: &js_sys::Array = names
            .dyn_ref()
            .ok_or_else(|| js_error("payload option \"feature_names\" must be an array of strings", None))?;
        options.feature_names =
            array.iter().map(|n| n.as_string()).collect::<Option<Vec<String>>>().ok_or_else(|| {
                js_error("payload option \"feature_names\" must be an array of strings", None)
            })?;
    }
    Ok(options)
}

/// Machine-readable details of a payload error, attached to the JS error as `details`.
#[derive(Serialize)]
struct PayloadErrorDetails {
    code: &'static str,
    /// Whether the host should answer 413 rather than 400.
    too_large: bool,
}

fn live_error(e: LiveError) -> JsValue {
    js_error(&e.to_string(), None)
}

pub(crate) fn payload_error(e: PayloadError) -> JsValue {
    let details = PayloadErrorDetails { code: e.code(), too_large: e.is_too_large() };
    js_error(&e.to_string(), to_js(&details).ok())
}
