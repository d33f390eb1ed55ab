//! The edge worker's bindings under Node: payload validation in one call, the
//! gate's live profile, merging and drift, and errors with their details.

#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use modelgate_wasm::{
    live_drift, live_reference, merge_live_profiles, parse_payload, validate_payload, Contract, CsvIngest,
    PayloadGate,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const CONTRACT: &str = include_str!("../../../worker/contract.json");
const REFERENCE_CSV: &str = include_str!("../../../worker/example/reference.csv");
const LIVE_REFERENCE: &str = include_str!("../../../worker/reference.json");

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| Reflect::get(&v, &JsValue::from_str(key)).unwrap())
}

fn contract() -> Contract {
    Contract::from_json(CONTRACT).unwrap()
}

/// The first `n` rows of the example reference as a `dataframe_split` body.
fn dataframe(n: usize, edit: impl Fn(usize, &mut Vec<String>)) -> Vec<u8> {
    let mut lines = REFERENCE_CSV.lines();
    let columns: Vec<&str> = lines.next().unwrap().split(',').collect();
    let quoted = |name: &str, cell: &str| -> String {
        let kind = CONTRACT.split(&format!("\"name\": \"{name}\"")).nth(1).unwrap();
        if cell.is_empty() {
            "null".into()
        } else if kind.trim_start().starts_with(",\n      \"type\": \"string\"") {
            format!("\"{cell}\"")
        } else {
            cell.into()
        }
    };
    let rows: Vec<String> = lines
        .take(n)
        .enumerate()
        .map(|(i, line)| {
            let mut cells: Vec<String> =
                line.split(',').zip(&columns).map(|(c, name)| quoted(name, c)).collect();
            edit(i, &mut cells);
            format!("[{}]", cells.join(","))
        })
        .collect();
    let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    format!("{{\"dataframe_split\": {{\"columns\": [{}], \"data\": [{}]}}}}", names.join(","), rows.join(","))
        .into_bytes()
}

#[wasm_bindgen_test]
fn validate_payload_reports_every_violation_with_its_instance() {
    let body = dataframe(5, |i, cells| {
        if i == 3 {
            cells[0] = "200".into(); // age above the maximum
            cells[13] = "\"ZZ\"".into(); // state outside the categories
        }
    });
    let report = validate_payload(&contract(), &body, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&report, &["format"]).as_string().as_deref(), Some("dataframe_split"));
    assert_eq!(get(&report, &["records"]).as_f64(), Some(5.0));
    assert_eq!(get(&report, &["invalid_records"]).as_f64(), Some(1.0));
    let violations: js_sys::Array = get(&report, &["violations"]).into();
    assert_eq!(violations.length(), 2);
    let first = violations.get(0);
    assert_eq!(get(&first, &["instance"]).as_f64(), Some(3.0));
    assert_eq!(get(&first, &["field"]).as_string().as_deref(), Some("age"));
    assert_eq!(get(&first, &["rule"]).as_string().as_deref(), Some("above_maximum"));
    assert_eq!(get(&first, &["expected"]).as_f64(), Some(91.0));
    assert_eq!(get(&first, &["actual"]).as_f64(), Some(200.0));
    let summary: js_sys::Array = get(&report, &["summary"]).into();
    assert_eq!(summary.length(), 2);
    assert_eq!(get(&summary.get(0), &["count"]).as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn payload_errors_carry_their_code() {
    let cases: [(&[u8], &str, bool); 4] = [
        (b"{\"age\": ", "malformed_json", false),
        (b"[[1, 2]]", "unnamed_values", false),
        (b"42", "unknown_shape", false),
        (b"[{}, {}, {}]", "too_many_records", true),
    ];
    let options = js_sys::JSON::parse(r#"{"max_records": 2}"#).unwrap();
    for (body, code, too_large) in cases {
        let error = parse_payload(body, options.clone()).unwrap_err();
        assert_eq!(get(&error, &["details", "code"]).as_string().as_deref(), Some(code));
        assert_eq!(get(&error, &["details", "too_large"]).as_bool(), Some(too_large));
    }
    // Rows of values are named by the contract's field order in validatePayload.
    let row = dataframe(1, |_, _| ());
    let text = String::from_utf8(row).unwrap();
    let values = text.split("\"data\": [").nth(1).unwrap().trim_end_matches("]}}");
    let instances = format!("{{\"instances\": [{values}]}}");
    let report = validate_payload(&contract(), instances.as_bytes(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&report, &["format"]).as_string().as_deref(), Some("instances"));
    assert_eq!(js_sys::Array::from(&get(&report, &["violations"])).length(), 0);
    let bad_option = js_sys::JSON::parse(r#"{"max_depth": 0}"#).unwrap();
    let error = parse_payload(b"{}", bad_option).unwrap_err();
    let message = Reflect::get(&error, &JsValue::from_str("message")).unwrap().as_string().unwrap();
    assert_eq!(message, "payload option \"max_depth\" must be a whole number of at least 1");
}

#[wasm_bindgen_test]
fn gate_counts_valid_records_and_profiles_merge_into_drift() {
    let mut gate =
        PayloadGate::new(&contract(), JsValue::UNDEFINED, Some(LIVE_REFERENCE.to_string())).unwrap();
    assert_eq!(gate.contract_version(), "credit-1");
    assert_eq!(gate.contract_hash(), contract().hash());
    assert_eq!(gate.take_profile(), None);
    // 40 rows, two of them invalid: 38 are counted.
    let body = dataframe(40, |i, cells| {
        if i % 20 == 7 {
            cells[5] = "9999".into();
        }
    });
    let report = gate.check(&body).unwrap();
    assert_eq!(get(&report, &["invalid_records"]).as_f64(), Some(2.0));
    assert_eq!(gate.pending_records(), 38.0);
    let first = gate.take_profile().unwrap();
    assert_eq!(gate.pending_records(), 0.0);
    gate.check(&dataframe(30, |_, _| ())).unwrap();
    let second = gate.take_profile().unwrap();
    let merged = merge_live_profiles(&first, &second).unwrap();
    let report = live_drift(LIVE_REFERENCE, Some(merged), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&report, &["records"]).as_f64(), Some(68.0));
    // Every feature but the sparse one (set only after a delinquency) has its 30 live values.
    assert_eq!(get(&report, &["tested_features"]).as_f64(), Some(19.0));
    let features = js_sys::Array::from(&get(&report, &["features"]));
    let untested: Vec<String> = features
        .iter()
        .filter(|f| get(f, &["method"]).is_null())
        .map(|f| get(&f, &["name"]).as_string().unwrap())
        .collect();
    assert_eq!(untested, ["months_since_delinquency"]);
    let empty = live_drift(LIVE_REFERENCE, None, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&empty, &["records"]).as_f64(), Some(0.0));
    assert_eq!(get(&empty, &["tested_features"]).as_f64(), Some(0.0));
    assert!(merge_live_profiles(&first, "{}").is_err());
}

#[wasm_bindgen_test]
fn live_reference_from_a_dataset_matches_the_committed_file() {
    let mut ingest = CsvIngest::new("reference.csv".into(), JsValue::UNDEFINED).unwrap();
    ingest.push(REFERENCE_CSV.as_bytes()).unwrap();
    let built = live_reference(&ingest.finish().unwrap(), JsValue::UNDEFINED).unwrap();
    assert_eq!(built.trim(), LIVE_REFERENCE.trim());
}
