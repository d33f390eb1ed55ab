//! The bindings under Node: streaming ingest, the drift report as a JS object,
//! errors that carry the file, row and column, and the rubric functions.

#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use modelgate_wasm::{
    answers_rubric, drift_report, export_report, parse_answers, rubric, rubric_evidence, rubric_template,
    rubrics, score_rubric, write_answers, CsvIngest, Dataset, DriftComparison, ProfileBuilder,
};
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
fn profiles_cross_in_parts_unchanged() {
    let reference = load("reference.csv", REFERENCE, 4096).unwrap();
    let current = load("current.csv", CURRENT, 4096).unwrap();
    let parts = reference.to_hand_over().unwrap();
    let head: js_sys::Uint8Array = get(&parts, &["head"]).dyn_into().unwrap();
    let values: js_sys::Array = get(&parts, &["values"]).dyn_into().unwrap();
    assert!(values.iter().any(|v| v.is_instance_of::<js_sys::Float64Array>()), "no exact column handed over");
    let copy = Dataset::from_hand_over("copy", &head.to_vec(), values.clone()).unwrap();
    assert_eq!(copy.rows(), reference.rows());
    assert_eq!(copy.to_profile_json(), reference.to_profile_json());
    let json = |r: &Dataset| {
        js_sys::JSON::stringify(&drift_report(r, &current, JsValue::UNDEFINED).unwrap()).unwrap()
    };
    assert_eq!(String::from(json(&copy)), String::from(json(&reference)));
    // Anything but a Float64Array or null where a column's values go is refused, naming the source.
    let wrong = values.clone();
    wrong.set(0, JsValue::from_str("1,2,3"));
    let Err(err) = Dataset::from_hand_over("junk", &head.to_vec(), wrong) else { panic!("junk accepted") };
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "junk: malformed profile hand-over: each value array must be a Float64Array or null"
    );
    let Err(err) = Dataset::from_hand_over("junk", b"not a profile", values) else { panic!("junk accepted") };
    assert!(get(&err, &["message"]).as_string().unwrap().starts_with("junk: "), "{err:?}");
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

// ---------------------------------------------------------------- contract, validation, quality

use modelgate_wasm::{check_contract, infer_contract, quality_report, validate_records, Contract};

const RULES: &str = include_str!("../../../tests/data/contract/rules.contract.json");

#[wasm_bindgen_test]
fn contract_from_json_and_its_getters() {
    let contract = Contract::from_json(RULES).unwrap();
    assert_eq!(contract.version(), "2024-06-01");
    // The same hash as the native core: the canonical JSON does not depend on the platform.
    assert_eq!(contract.hash(), include_str!("../../../tests/data/contract/rules.hash").trim());
    assert_eq!(contract.field_count(), 11);
    let back = Contract::from_json(&contract.to_json()).unwrap();
    assert_eq!(back.hash(), contract.hash());
    let schema = contract.json_schema().unwrap();
    assert_eq!(
        get(&schema, &["$schema"]).as_string().unwrap(),
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(get(&schema, &["properties", "age", "maximum"]).as_f64(), Some(120.0));
}

#[wasm_bindgen_test]
fn bad_contracts_throw_errors_naming_the_field() {
    let Err(err) = Contract::from_json(&RULES.replace("\"maximum\": 120", "\"maximum\": \"120\"")) else {
        panic!("a string maximum must be refused")
    };
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "fields[0].maximum (field \"age\"): expected a number, found the string \"120\""
    );
    assert_eq!(get(&err, &["details", "code"]).as_string().unwrap(), "contract");
    assert_eq!(get(&err, &["details", "path"]).as_string().unwrap(), "fields[0].maximum");
    assert_eq!(get(&err, &["details", "field"]).as_string().unwrap(), "age");
    let Err(err) = Contract::from_json("{\n  \"format\": }") else { panic!("invalid JSON must be refused") };
    assert_eq!(get(&err, &["details", "line"]).as_f64(), Some(2.0));
    assert_eq!(get(&err, &["details", "column"]).as_f64(), Some(13.0));
}

#[wasm_bindgen_test]
fn validate_records_returns_every_violation() {
    let contract = Contract::from_json(RULES).unwrap();
    let text = r#"[{"age": 31, "income": 1, "city": "Lyon", "member": true}, {"age": "x", "city": "Nice", "member": null}, 7]"#;
    let result = validate_records(&contract, JsValue::from_str(text)).unwrap();
    // The same JSON as UTF-8 bytes gives the same result.
    let bytes = js_sys::Uint8Array::from(text.as_bytes());
    let from_bytes = validate_records(&contract, bytes.into()).unwrap();
    assert_eq!(js_sys::JSON::stringify(&from_bytes).unwrap(), js_sys::JSON::stringify(&result).unwrap());
    assert_eq!(get(&result, &["records"]).as_f64(), Some(3.0));
    let violations: js_sys::Array = get(&result, &["violations"]).unchecked_into();
    let rules: Vec<(String, String, f64)> = violations
        .iter()
        .map(|v| {
            (
                get(&v, &["rule"]).as_string().unwrap(),
                get(&v, &["field"]).as_string().unwrap(),
                get(&v, &["instance"]).as_f64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("wrong_type", "age", 1.0),
        ("category_not_allowed", "city", 1.0),
        ("null_not_allowed", "member", 1.0),
        ("missing_required", "income", 1.0),
        ("not_an_object", "", 2.0),
    ];
    let expected: Vec<(String, String, f64)> =
        expected.iter().map(|(r, f, i)| (r.to_string(), f.to_string(), *i)).collect();
    assert_eq!(rules, expected);
    let first = violations.get(0);
    assert_eq!(get(&first, &["expected"]).as_string().unwrap(), "integer");
    assert_eq!(get(&first, &["actual"]).as_string().unwrap(), "x");

    let one = validate_records(
        &contract,
        JsValue::from_str(r#"{"age": 31, "income": 1, "city": "Lyon", "member": true}"#),
    )
    .unwrap();
    assert_eq!(get(&one, &["records"]).as_f64(), Some(1.0));
    assert_eq!(js_sys::Array::from(&get(&one, &["violations"])).length(), 0);

    let err = validate_records(&contract, JsValue::from_str("[{\"age\": 1},\n {\"age\": ]")).unwrap_err();
    assert_eq!(get(&err, &["message"]).as_string().unwrap(), "line 2, column 10: expected value");
    assert_eq!(get(&err, &["details", "code"]).as_string().unwrap(), "json");
    // Invalid UTF-8 in a string is invalid JSON, with its place.
    let err = validate_records(&contract, js_sys::Uint8Array::from(&b"{\"city\": \"caf\xe9\"}"[..]).into())
        .unwrap_err();
    assert_eq!(get(&err, &["message"]).as_string().unwrap(), "line 1, column 14: invalid UTF-8");
    let err = validate_records(&contract, JsValue::from_f64(3.0)).unwrap_err();
    assert!(get(&err, &["message"])
        .as_string()
        .unwrap()
        .starts_with("validateRecords takes the records as a JSON string"));
}

fn numbers_as_f64(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64()),
        Value::Array(a) => Value::Array(a.iter().map(numbers_as_f64).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), numbers_as_f64(v))).collect()),
        other => other.clone(),
    }
}

fn load_checked(name: &str, text: &str, contract: &Contract, chunk: usize) -> Dataset {
    let mut ingest = CsvIngest::with_contract(name.to_string(), contract, JsValue::UNDEFINED).unwrap();
    for piece in text.as_bytes().chunks(chunk) {
        ingest.push(piece).unwrap();
    }
    ingest.finish().unwrap()
}

const EVAL_PREDICTIONS: &str = include_str!("../../../tests/data/eval/diabetes_binary.csv");
const EVAL_TRAINING: &str = include_str!("../../../tests/data/eval/diabetes_binary_train.csv");

fn table(name: &str, text: &str, chunk: usize) -> modelgate_wasm::Table {
    let mut ingest = modelgate_wasm::TableIngest::new(name.to_string());
    for piece in text.as_bytes().chunks(chunk) {
        ingest.push(piece).unwrap();
    }
    ingest.finish().unwrap()
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn evaluation_object_matches_the_core() {
    let predictions = table("diabetes_binary.csv", EVAL_PREDICTIONS, 333);
    let training = table("diabetes_binary_train.csv", EVAL_TRAINING, 4096);
    let opts = r#"{"sensitive": "sex", "slices": ["sex", "age"], "resamples": 100, "seed": 7}"#;
    let report = modelgate_wasm::evaluate_with_training(&predictions, &training, options(opts)).unwrap();
    let direct = {
        let load = |name: &str, text: &str| {
            let mut ingest = modelgate_core::eval::TableIngest::new(name);
            ingest.push(text.as_bytes()).unwrap();
            ingest.finish().unwrap()
        };
        let options: modelgate_core::eval::EvalOptions = serde_json::from_str(opts).unwrap();
        modelgate_core::eval::evaluate(
            &load("diabetes_binary.csv", EVAL_PREDICTIONS),
            Some(&load("diabetes_binary_train.csv", EVAL_TRAINING)),
            &options,
        )
        .unwrap()
    };
    for (name, value) in &direct.metrics.0 {
        assert_eq!(get(&report, &["metrics", name]).as_f64(), *value, "{name}");
    }
    assert_eq!(get(&report, &["task"]).as_string().as_deref(), Some("binary"));
    assert_eq!(get(&report, &["baselines", "seed"]).as_f64(), Some(7.0));
    let results: js_sys::Array = get(&report, &["baselines", "results"]).unchecked_into();
    assert_eq!(results.length() as usize, direct.baselines.results.len());
    for (js, core) in results.iter().zip(&direct.baselines.results) {
        assert_eq!(get(&js, &["name"]).as_string().as_deref(), Some(core.name));
        let c = core.comparison.as_ref().unwrap();
        assert_eq!(get(&js, &["comparison", "ci_low"]).as_f64(), c.ci_low, "{}", core.name);
        assert_eq!(get(&js, &["comparison", "ci_high"]).as_f64(), c.ci_high, "{}", core.name);
    }
    assert_eq!(
        get(&report, &["fairness", "demographic_parity_difference"]).as_f64(),
        direct.fairness.as_ref().unwrap().demographic_parity_difference
    );
    // Without training: fitted on the evaluated rows; the table handles stay usable.
    let alone = modelgate_wasm::evaluate(&predictions, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&alone, &["baselines", "fitted_on"]).as_string().as_deref(), Some("evaluated_rows"));
    assert_eq!(predictions.rows(), 133.0);
    assert_eq!(training.rows(), 309.0);
}

#[wasm_bindgen_test]
fn evaluation_errors_and_bad_options() {
    let predictions = table("p.csv", "label,prediction\n1,1\n0,1\n", 7);
    let err = modelgate_wasm::evaluate(&predictions, options(r#"{"sensitive": "gender"}"#)).unwrap_err();
    let err: js_sys::Error = err.unchecked_into();
    assert_eq!(
        String::from(err.message()),
        "p.csv: no column \"gender\" for the sensitive attribute (columns: \"label\", \"prediction\")"
    );
    assert_eq!(get(&err, &["details", "code"]).as_string().as_deref(), Some("missing_column"));
    let err = modelgate_wasm::evaluate(&predictions, options(r#"{"sensitve": "sex"}"#)).unwrap_err();
    let message = String::from(err.unchecked_into::<js_sys::Error>().message());
    assert!(message.starts_with("bad evaluation options: unknown field `sensitve`"), "{message}");
    let report = modelgate_wasm::evaluate(&predictions, JsValue::NULL).unwrap();
    assert_eq!(get(&report, &["rows_evaluated"]).as_f64(), Some(2.0));
}

#[wasm_bindgen_test]
fn comparison_and_skew_objects() {
    let a = table("a.csv", "id,prediction\n1,0.5\n2,0.25\n", 5);
    let b = table("b.csv", "id,prediction\n2,0.25\n1,0.75\n", 5);
    let r = modelgate_wasm::compare_predictions(&a, &b, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, &["reproducible"]).as_bool(), Some(false));
    let columns: js_sys::Array = get(&r, &["columns"]).unchecked_into();
    assert_eq!(get(&columns.get(0), &["mismatched"]).as_f64(), Some(1.0));
    assert_eq!(get(&columns.get(0), &["max_abs_difference"]).as_f64(), Some(0.25));
    let s = modelgate_wasm::skew_report(&a, &b, options(r#"{"max_mismatch_share": 0.6}"#)).unwrap();
    assert_eq!(get(&s, &["skewed_features"]).as_f64(), Some(0.0));
    let features: js_sys::Array = get(&s, &["features"]).unchecked_into();
    assert_eq!(get(&features.get(0), &["mismatch_share"]).as_f64(), Some(0.5));
}

#[wasm_bindgen_test]
fn quality_report_matches_the_core() {
    const WINE_REF: &str = include_str!("../../../tests/data/quality/real_wine/reference.csv");
    const WINE_CUR: &str = include_str!("../../../tests/data/quality/real_wine/current.csv");
    let reference = load("reference.csv", WINE_REF, 4096).unwrap();
    let contract = infer_contract(&reference, JsValue::UNDEFINED).unwrap();
    let current = load_checked("current.csv", WINE_CUR, &contract, 333);
    assert_eq!(current.contract_hash(), Some(contract.hash()));
    let report = quality_report(&reference, &current).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/data/quality/real_wine/expected.json")).unwrap();
    let json = js_sys::JSON::stringify(&report).unwrap().as_string().unwrap();
    let got: serde_json::Value = serde_json::from_str(&json).unwrap();
    // JSON.stringify writes 1.0 as 1: compare numbers as numbers.
    assert_eq!(numbers_as_f64(&got["findings"]), numbers_as_f64(&expected["findings"]));
    assert_eq!(got["errors"], expected["errors"]);

    // Without the reference: the contract's own findings only.
    let alone = check_contract(&current).unwrap();
    assert!(get(&alone, &["reference"]).is_null());
    assert_eq!(get(&alone, &["passed"]).as_bool(), Some(false));

    // A dataset read without a contract has no row scan to report on.
    let plain = load("current.csv", WINE_CUR, 4096).unwrap();
    let err = quality_report(&reference, &plain).unwrap_err();
    assert!(get(&err, &["message"]).as_string().unwrap().contains("CsvIngest.withContract"));
}

/// The sections object the page hands to exportReport and rubricEvidence.
fn sections(entries: &[(&str, &JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

#[wasm_bindgen_test]
fn export_report_reads_every_section_and_blanks_raw_values() {
    const WINE_REF: &str = include_str!("../../../tests/data/quality/real_wine/reference.csv");
    const WINE_CUR: &str = include_str!("../../../tests/data/quality/real_wine/current.csv");
    let reference = load("reference.csv", WINE_REF, 4096).unwrap();
    let contract = infer_contract(&reference, JsValue::UNDEFINED).unwrap();
    let current = load_checked("current.csv", WINE_CUR, &contract, 333);
    let drift = drift_report(&reference, &current, JsValue::UNDEFINED).unwrap();
    let quality = quality_report(&reference, &current).unwrap();
    let raw = js_sys::JSON::stringify(&quality).unwrap().as_string().unwrap();
    let raw: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let with_values = raw["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["values"].as_array().unwrap().is_empty())
        .count();
    assert!(with_values > 0, "the wine findings list offending values");

    // 90 "no", 10 "yes"; the model says "yes" on every other row: the majority baseline wins.
    let mut text = String::from("label,prediction\n");
    for i in 0..100 {
        text.push_str(&format!(
            "{},{}\n",
            if i < 90 { "no" } else { "yes" },
            if i % 2 == 0 { "yes" } else { "no" }
        ));
    }
    let evaluation =
        modelgate_wasm::evaluate(&table("predictions.csv", &text, 64), JsValue::UNDEFINED).unwrap();
    let all = sections(&[("drift", &drift), ("quality", &quality), ("evaluation", &evaluation)]);

    let json = export_report(all.clone(), "json").unwrap();
    let saved: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (saved["kind"].as_str(), saved["format_version"].as_u64()),
        (Some("modelgate-report"), Some(2))
    );
    // The sections come back as they went in, but for the blanked values.
    assert_eq!(
        numbers_as_f64(&saved["drift"]["columns"]),
        numbers_as_f64(
            &serde_json::from_str::<serde_json::Value>(
                &js_sys::JSON::stringify(&drift).unwrap().as_string().unwrap()
            )
            .unwrap()["columns"]
        )
    );
    assert_eq!(saved["quality"]["errors"], raw["errors"]);
    for (got, want) in
        saved["quality"]["findings"].as_array().unwrap().iter().zip(raw["findings"].as_array().unwrap())
    {
        assert_eq!(
            (&got["kind"], &got["examples"], &got["count"]),
            (&want["kind"], &want["examples"], &want["count"])
        );
        for (v, w) in got["values"].as_array().unwrap().iter().zip(want["values"].as_array().unwrap()) {
            assert_eq!((v["value"].as_str(), &v["count"]), (Some("[redacted]"), &w["count"]));
            let value = w["value"].as_str().unwrap();
            assert!(
                !got["message"].as_str().unwrap().contains(&format!("\"{value}\"")),
                "{}",
                got["message"]
            );
        }
    }
    assert_eq!(saved["evaluation"]["verdict"]["passed"], false);

    let md = export_report(all.clone(), "markdown").unwrap();
    assert!(md.contains("- Model: failed — accuracy 0.5; strongest baseline `majority` 0.9"), "{md}");
    assert!(md.contains("\n## Data quality\n"), "{md}");
    let html = export_report(all.clone(), "html").unwrap();
    assert!(html.starts_with("<!doctype html>") && html.contains("\"format_version\":2"));

    // The same sections as rubric evidence: drift, data quality and the baseline check.
    let evidence = rubric_evidence(all).unwrap();
    assert_eq!(get(&evidence, &["data_quality", "errors"]).as_f64(), raw["errors"].as_f64());
    assert_eq!(get(&evidence, &["baseline", "verdict"]).as_string().as_deref(), Some("baseline_better"));
    assert_eq!(get(&evidence, &["baseline", "baseline_name"]).as_string().as_deref(), Some("majority"));
    let scored =
        score_rubric("ml-test-score-2017", "answers.csv", "id,status\nmodel-5,automated\n", evidence)
            .unwrap();
    let flags = array(&get(&scored, &["flags"]));
    assert_eq!(get(&flags[0], &["item"]).as_string().as_deref(), Some("model-5"));
    assert_eq!(get(&flags[0], &["severity"]).as_string().as_deref(), Some("error"));

    // A misspelt key, a section lacking a field, a wrong format: errors naming them.
    let err = export_report(sections(&[("qualty", &quality)]), "json").unwrap_err();
    assert!(get(&err, &["message"]).as_string().unwrap().contains("unknown field `qualty`"));
    assert_eq!(get(&err, &["details", "code"]).as_string().as_deref(), Some("report"));
    let broken = js_sys::JSON::parse(r#"{"quality": {"errors": 1}}"#).unwrap();
    let err = export_report(broken, "json").unwrap_err();
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "report section \"quality\": missing field `current`"
    );
    let err = export_report(sections(&[("drift", &drift)]), "pdf").unwrap_err();
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "unknown report format \"pdf\"; use json, markdown or html"
    );
    assert!(export_report(JsValue::from_f64(3.0), "json").is_err());
}

#[wasm_bindgen_test]
fn contract_and_quality_options_are_checked() {
    let reference = load("reference.csv", REFERENCE, 4096).unwrap();
    let options =
        js_sys::JSON::parse(r#"{"range_tolerance": 0, "version": "v2", "additional_fields": "allow"}"#)
            .unwrap();
    let contract = infer_contract(&reference, options).unwrap();
    assert_eq!(contract.version(), "v2");
    let file: serde_json::Value = serde_json::from_str(&contract.to_json()).unwrap();
    assert_eq!(file["additional_fields"], "allow");
    assert_eq!(file["fields"][2]["minimum"], serde_json::json!(-1.1));
    for (bad, message) in [
        (
            r#"{"range_tolerance": -1}"#,
            "contract option \"range_tolerance\" must be a number from 0 to 1000000",
        ),
        (
            r#"{"additional_fields": "sometimes"}"#,
            "contract options: unknown variant `sometimes`, expected `reject` or `allow`",
        ),
        (
            r#"{"rangeTolerance": 1}"#,
            "contract options: unknown option \"rangeTolerance\"; known: range_tolerance,",
        ),
    ] {
        let Err(err) = infer_contract(&reference, js_sys::JSON::parse(bad).unwrap()) else { panic!("{bad}") };
        let got = get(&err, &["message"]).as_string().unwrap();
        assert!(got.starts_with(message), "{bad}: {got}");
    }
    let Err(err) = CsvIngest::with_contract(
        "c.csv".into(),
        &contract,
        js_sys::JSON::parse(r#"{"max_examples": -2}"#).unwrap(),
    ) else {
        panic!("a negative max_examples must be refused")
    };
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "quality option \"max_examples\" must be a number from 0 to 1000"
    );
}

fn array(value: &JsValue) -> Vec<JsValue> {
    value.clone().unchecked_into::<js_sys::Array>().iter().collect()
}

#[wasm_bindgen_test]
fn rubrics_are_listed_and_served() {
    let list = rubrics().unwrap();
    let ids: Vec<String> = array(&list).iter().map(|r| get(r, &["id"]).as_string().unwrap()).collect();
    assert_eq!(ids, ["ml-test-score-2017", "ml-test-score-2016", "production-readiness"]);
    let items: Vec<f64> = array(&list).iter().map(|r| get(r, &["items"]).as_f64().unwrap()).collect();
    assert_eq!(items, [28.0, 28.0, 22.0]);

    let r = rubric("ml-test-score-2016").unwrap();
    assert_eq!(get(&r, &["scoring", "points", "automated"]).as_f64(), Some(2.0));
    let sections = array(&get(&r, &["sections"]));
    assert_eq!(get(&sections[1], &["id"]).as_string().unwrap(), "model");
    let model5 = &array(&get(&sections[1], &["items"]))[4];
    assert_eq!(get(model5, &["ref"]).as_string().unwrap(), "Model, test 5");

    let err = rubric("ml-test-score-1999").unwrap_err();
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "unknown rubric \"ml-test-score-1999\"; the built-in rubrics are ml-test-score-2017, ml-test-score-2016, production-readiness"
    );
}

#[wasm_bindgen_test]
fn scoring_takes_the_drift_report_object_as_evidence() {
    let reference = load("reference.csv", REFERENCE, 1 << 20).unwrap();
    let current = load("current.csv", CURRENT, 1 << 20).unwrap();
    let report = drift_report(&reference, &current, JsValue::UNDEFINED).unwrap();
    let evidence = js_sys::Object::new();
    Reflect::set(&evidence, &JsValue::from_str("drift"), &report).unwrap();
    let text = "id,status\ndata-1,automated\nmonitoring-2,manual\n";
    let scored = score_rubric("ml-test-score-2016", "answers.csv", text, evidence.into()).unwrap();

    // The same scoring in the core, with the evidence built from the Rust report.
    let direct = {
        let load = |name: &str, text: &str| {
            let mut ingest = modelgate_core::CsvIngest::new(name);
            ingest.push(text.as_bytes()).unwrap();
            ingest.finish().unwrap()
        };
        let drift = modelgate_core::drift_report(
            &load("reference.csv", REFERENCE),
            &load("current.csv", CURRENT),
            &modelgate_core::DriftOptions::default(),
        );
        let r = modelgate_core::rubric::builtin("ml-test-score-2016").unwrap();
        let answers = modelgate_core::rubric::parse_answers(r, "answers.csv", text).unwrap();
        modelgate_core::rubric::score(r, &answers, &modelgate_core::rubric::Evidence::from_drift(&drift))
    };
    assert_eq!(get(&scored, &["final_score"]).as_f64(), Some(direct.final_score));
    let flags = array(&get(&scored, &["flags"]));
    assert_eq!(flags.len(), direct.flags.len());
    assert_eq!(flags.len(), 1);
    assert_eq!(get(&flags[0], &["item"]).as_string().unwrap(), "data-1");
    assert_eq!(get(&flags[0], &["message"]).as_string().unwrap(), direct.flags[0].message);
    let checks = array(&get(&scored, &["evidence"]));
    let summaries: Vec<String> = checks.iter().map(|c| get(c, &["summary"]).as_string().unwrap()).collect();
    let expected: Vec<String> = direct.evidence.iter().map(|c| c.summary.clone()).collect();
    assert_eq!(summaries, expected);

    let bad = js_sys::JSON::parse(r#"{"drift": 3}"#).unwrap();
    let err = score_rubric("ml-test-score-2016", "answers.csv", text, bad).unwrap_err();
    assert!(get(&err, &["message"]).as_string().unwrap().starts_with("evidence: "));
}

#[wasm_bindgen_test]
fn answers_errors_carry_their_places() {
    let err =
        parse_answers("ml-test-score-2017", "a.csv", "id,status\ndata-1,manual\ndata-9,done\n").unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "a.csv: line 3, column \"status\": unknown status \"done\"; expected not_done, manual, automated or not_applicable (or nothing, for unanswered)"
    );
    assert_eq!(get(&err, &["details", "code"]).as_string().unwrap(), "answers");
    let problem = &array(&get(&err, &["details", "problems"]))[0];
    assert_eq!(get(problem, &["code"]).as_string().unwrap(), "bad_status");
    assert_eq!(get(problem, &["place", "kind"]).as_string().unwrap(), "line");
    assert_eq!(get(problem, &["place", "line"]).as_f64(), Some(3.0));
    assert_eq!(get(problem, &["place", "column"]).as_string().unwrap(), "status");

    let err = parse_answers(
        "ml-test-score-2017",
        "a.json",
        r#"{"answers": [{"id": "data-1", "status": "not_applicable"}]}"#,
    )
    .unwrap_err();
    let problem = &array(&get(&err, &["details", "problems"]))[0];
    assert_eq!(get(problem, &["code"]).as_string().unwrap(), "missing_reason");
    assert_eq!(get(problem, &["place", "path"]).as_string().unwrap(), "answers[0].reason");
}

#[wasm_bindgen_test]
fn answers_are_written_as_csv_or_json_and_read_back() {
    let json = r#"{"rubric": "production-readiness", "answers": [
        {"id": "baseline", "status": "manual", "evidence": ["https://x.example/a b"], "notes": "beats, \"by far\""},
        {"id": "auto-scaling", "status": "not_applicable", "reason": "batch"}]}"#;
    assert_eq!(answers_rubric(json).as_deref(), Some("production-readiness"));
    let parsed = parse_answers("production-readiness", "page", json).unwrap();
    let csv = write_answers("production-readiness", "page", json, "csv").unwrap();
    assert_eq!(answers_rubric(&csv).as_deref(), Some("production-readiness"));
    let back = parse_answers("production-readiness", "page", &csv).unwrap();
    assert_eq!(js_sys::JSON::stringify(&back).unwrap(), js_sys::JSON::stringify(&parsed).unwrap());
    let again = write_answers("production-readiness", "page", &csv, "json").unwrap();
    assert_eq!(again, write_answers("production-readiness", "page", json, "json").unwrap());

    let template = rubric_template("ml-test-score-2017", "json").unwrap();
    let scored = score_rubric("ml-test-score-2017", "template.json", &template, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&scored, &["counts", "unanswered"]).as_f64(), Some(28.0));
    let err = rubric_template("ml-test-score-2017", "xlsx").unwrap_err();
    assert_eq!(
        get(&err, &["message"]).as_string().unwrap(),
        "unknown answers format \"xlsx\"; expected \"csv\" or \"json\""
    );
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
