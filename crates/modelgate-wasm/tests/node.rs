//! The bindings under Node: streaming ingest, the drift report as a JS object,
//! and errors that carry the file, row and column.

#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use modelgate_wasm::{drift_report, CsvIngest, Dataset, DriftComparison, ProfileBuilder};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const REFERENCE: &str = include_str!("../../../web/sample/reference.csv");
const CURRENT: &str = include_str!("../../../web/sample/current.csv");

fn load(name: &str, text: &str, chunk: usize) -> Result<Dataset, JsValue> {
    let mut ingest = CsvIngest::new(name.to_string(), JsValue::UNDEFINED)?;
    for piece in text.as_bytes().chunks(chunk) {
        ingest.push(piece)?;
    }
    ingest.finish()
}

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| Reflect::get(&v, &JsValue::from_str(key)).unwrap())
}

fn column(report: &JsValue, name: &str) -> JsValue {
    let columns: js_sys::Array = get(report, &["columns"]).unchecked_into();
    columns.iter().find(|c| get(c, &["column"]).as_string().as_deref() == Some(name)).unwrap()
}

#[wasm_bindgen_test]
fn report_object_matches_the_core() {
    let reference = load("reference.csv", REFERENCE, 4096).unwrap();
    let current = load("current.csv", CURRENT, 777).unwrap();
    let report = drift_report(&reference, &current, JsValue::UNDEFINED).unwrap();

    let direct = {
        let load = |name: &str, text: &str| {
            let mut ingest = modelgate_core::CsvIngest::new(name);
            ingest.push(text.as_bytes()).unwrap();
            ingest.finish().unwrap()
        };
        modelgate_core::drift_report(
            &load("reference.csv", REFERENCE),
            &load("current.csv", CURRENT),
            &modelgate_core::DriftOptions::default(),
        )
    };
    assert_eq!(get(&report, &["tested_columns"]).as_f64(), Some(direct.tested_columns as f64));
    for expected in &direct.columns {
        let got = column(&report, &expected.column);
        assert_eq!(get(&got, &["drifted"]).as_bool(), Some(expected.drifted), "{}", expected.column);
        for (name, value) in &expected.metrics {
            let js = get(&got, &["metrics", name]).as_f64();
            assert_eq!(js, Some(*value), "{} {name}", expected.column);
        }
    }
}

#[wasm_bindgen_test]
fn options_override_thresholds() {
    let reference = load("reference.csv", REFERENCE, 1 << 20).unwrap();
    let current = load("current.csv", CURRENT, 1 << 20).unwrap();
    let options = js_sys::JSON::parse(r#"{"thresholds": {"ks": 1e-300, "chi2": 1e-300}}"#).unwrap();
    let report = drift_report(&reference, &current, options).unwrap();
    assert_eq!(get(&report, &["drifted_columns"]).as_f64(), Some(0.0));
    assert_eq!(get(&report, &["options", "thresholds", "ks"]).as_f64(), Some(1e-300));
    // The other methods keep their defaults.
    assert_eq!(get(&report, &["options", "thresholds", "psi"]).as_f64(), Some(0.1));

    let options = js_sys::JSON::parse(
        r#"{"method_for_column": {"wind": "psi"}, "method_for_type": {"numeric": "wasserstein"}, "bonferroni": true, "target": "weather"}"#,
    )
    .unwrap();
    let report = drift_report(&reference, &current, options).unwrap();
    assert_eq!(get(&column(&report, "wind"), &["method"]).as_string().unwrap(), "psi");
    assert_eq!(get(&column(&report, "temp_max"), &["method"]).as_string().unwrap(), "wasserstein");
    assert_eq!(get(&column(&report, "weather"), &["role"]).as_string().unwrap(), "target");
    assert_eq!(get(&report, &["target_drift"]).as_bool(), Some(true));

    let bad = js_sys::JSON::parse(r#"{"psi_bins": 0}"#).unwrap();
    let err = drift_report(&reference, &current, bad).unwrap_err();
    let message = get(&err, &["message"]).as_string().unwrap();
    assert_eq!(message, "invalid drift options: psi_bins must be a whole number from 1 to 1000");
    let bad = js_sys::JSON::parse(r#"{"method_for_column": {"wind": "nope"}}"#).unwrap();
    let message =
        get(&drift_report(&reference, &current, bad).unwrap_err(), &["message"]).as_string().unwrap();
    assert!(message.starts_with("invalid drift options: unknown variant `nope`"), "{message}");
}

#[wasm_bindgen_test]
fn errors_name_file_row_and_column() {
    let err = load("current.csv", "a,b\n1,2\n3\n", 3).err().unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "current.csv: row 2: expected 2 fields as in the header, found 1"
    );
    assert_eq!(get(&err, &["details", "code"]).as_string().unwrap(), "ragged_row");
    assert_eq!(get(&err, &["details", "row"]).as_f64(), Some(2.0));
    assert_eq!(get(&err, &["details", "source"]).as_string().unwrap(), "current.csv");

    let err = load("latin1.csv", "a,b\n1,caf\u{e9}\n", 100).ok();
    assert!(err.is_some(), "valid UTF-8 text must parse");
    let mut ingest = CsvIngest::new("latin1.csv".into(), JsValue::UNDEFINED).unwrap();
    ingest.push(b"a,b\n1,caf\xe9\n").unwrap();
    let err = ingest.finish().err().unwrap();
    assert_eq!(get(&err, &["details", "column"]).as_string().unwrap(), "b");

    for (text, code) in [("", "empty"), ("\u{0}\u{1}", "binary")] {
        let err = load("x.csv", text, 10).err().unwrap();
        assert_eq!(get(&err, &["details", "code"]).as_string().unwrap(), code, "{text:?}");
    }
}

#[wasm_bindgen_test]
fn a_finished_ingest_refuses_more_input() {
    let mut ingest = CsvIngest::new("a.csv".into(), JsValue::UNDEFINED).unwrap();
    ingest.push(b"x\n1\n").unwrap();
    let dataset = ingest.finish().unwrap();
    assert_eq!(dataset.rows(), 1.0);
    let err = ingest.push(b"2\n").unwrap_err();
    assert_eq!(get(&err, &["message"]).as_string().unwrap(), "this CsvIngest has already finished");
}

#[wasm_bindgen_test]
fn profiles_round_trip_merge_and_compare() {
    let reference = load("reference.csv", REFERENCE, 1 << 20).unwrap();
    let current = load("current.csv", CURRENT, 1 << 20).unwrap();
    let direct = drift_report(&reference, &current, JsValue::UNDEFINED).unwrap();
    let restored =
        Dataset::from_profile_json("reference.profile.json", &reference.to_profile_json()).unwrap();
    let again = drift_report(&restored, &current, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        js_sys::JSON::stringify(&get(&direct, &["columns"])).unwrap(),
        js_sys::JSON::stringify(&get(&again, &["columns"])).unwrap()
    );

    // Two halves merged equal the whole file.
    let lines: Vec<&str> = REFERENCE.lines().collect();
    let half = |rows: &[&str]| format!("{}\n{}\n", lines[0], rows.join("\n"));
    let mut a = load("a.csv", &half(&lines[1..400]), 1000).unwrap();
    let b = load("b.csv", &half(&lines[400..]), 1000).unwrap();
    a.merge(&b).unwrap();
    let merged = drift_report(&a, &current, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        js_sys::JSON::stringify(&get(&direct, &["columns"])).unwrap(),
        js_sys::JSON::stringify(&get(&merged, &["columns"])).unwrap()
    );

    let err = Dataset::from_profile_json("bad.json", "{\"format\": \"modelgate-profile\", \"version\": 9}")
        .err()
        .unwrap();
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "bad.json: unsupported profile version 9 (this build reads version 1)"
    );

    let mut comparison = DriftComparison::new(&reference);
    comparison.add("same".into(), &reference);
    comparison.add("prod".into(), &current);
    let multi = comparison.report(JsValue::UNDEFINED).unwrap();
    let comparisons: js_sys::Array = get(&multi, &["comparisons"]).unchecked_into();
    assert_eq!(comparisons.length(), 2);
    assert_eq!(get(&comparisons.get(0), &["drifted_columns"]).as_f64(), Some(0.0));
    assert_eq!(get(&comparisons.get(1), &["name"]).as_string().unwrap(), "prod");
    assert_eq!(get(&multi, &["dataset_drift"]).as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn a_profile_builder_takes_records() {
    let columns = vec!["x".to_string(), "kind".to_string()];
    let mut builder = ProfileBuilder::new("live".into(), columns, JsValue::UNDEFINED).unwrap();
    for i in 0..50 {
        let row = js_sys::Array::of2(
            &JsValue::from_f64(f64::from(i % 7)),
            &JsValue::from_str(if i % 2 == 0 { "a" } else { "b" }),
        );
        builder.push_row(row).unwrap();
    }
    builder.push_row(js_sys::Array::of2(&JsValue::NULL, &JsValue::from_bool(true))).unwrap();
    builder.push_record(js_sys::JSON::parse(r#"{"kind": "a", "x": 3.5, "other": 1}"#).unwrap()).unwrap();
    assert!(builder.push_record(JsValue::from_f64(1.0)).is_err());
    assert_eq!(builder.rows(), 52.0);
    let live = builder.finish().unwrap();
    let info = live.columns().unwrap();
    // The record's 3.5 makes x numeric; its unknown key is ignored.
    assert_eq!(
        js_sys::JSON::stringify(&info).unwrap(),
        r#"[{"name":"x","type":"numeric"},{"name":"kind","type":"categorical"}]"#
    );
    assert!(builder.finish().is_err());
}
