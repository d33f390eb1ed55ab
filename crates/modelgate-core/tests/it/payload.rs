//! Payload fixtures: every `tests/data/payload/<name>.json` is parsed (with the
//! options in `<name>.options.json` when present) and the result must equal
//! `<name>.expected.json`. Names say what they hold: a fixture named after a
//! format must be detected as that format, and `error_*` fixtures must fail.
//! `UPDATE_EXPECT=1 cargo test -p modelgate-core --test it payload` rewrites the
//! expectations; review the diff before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use modelgate_core::payload::{
    parse_payload, Payload, PayloadError, PayloadFormat, PayloadLimits, PayloadOptions, MAX_DEPTH_CEILING,
};
use serde_json::{json, Value};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/payload")
}

fn options_from(value: &Value) -> PayloadOptions {
    let mut options = PayloadOptions::default();
    if let Some(names) = value["feature_names"].as_array() {
        options.feature_names = names.iter().map(|n| n.as_str().unwrap().to_string()).collect();
    }
    let limit = |key: &str, default: usize| value[key].as_u64().map_or(default, |v| v as usize);
    options.limits = PayloadLimits {
        max_body_bytes: limit("max_body_bytes", options.limits.max_body_bytes),
        max_depth: limit("max_depth", options.limits.max_depth),
        max_records: limit("max_records", options.limits.max_records),
    };
    options
}

fn describe(result: &Result<Payload, PayloadError>) -> Value {
    match result {
        Ok(p) => json!({ "format": p.format, "records": p.records }),
        Err(e) => json!({ "error": e.to_string(), "code": e.code(), "too_large": e.is_too_large() }),
    }
}

const FORMATS: [PayloadFormat; 7] = [
    PayloadFormat::JsonObject,
    PayloadFormat::JsonArray,
    PayloadFormat::Instances,
    PayloadFormat::Inputs,
    PayloadFormat::OpenInference,
    PayloadFormat::DataframeSplit,
    PayloadFormat::DataframeRecords,
];

#[test]
fn payload_fixtures() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.ends_with(".json") && !name.ends_with(".expected.json") && !name.ends_with(".options.json")
        })
        .collect();
    paths.sort();
    assert!(paths.len() >= 50, "fixtures missing: found {}", paths.len());
    let mut failures = Vec::new();
    let mut formats_seen = Vec::new();
    for path in &paths {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let bytes = fs::read(path).unwrap();
        let options_path = path.with_extension("options.json");
        let options = match fs::read_to_string(&options_path) {
            Ok(text) => options_from(&serde_json::from_str(&text).unwrap()),
            Err(_) => PayloadOptions::default(),
        };
        let result = parse_payload(&bytes, &options);
        match (&result, stem.starts_with("error_")) {
            (Ok(p), false) => {
                let format = p.format.as_str();
                if !stem.starts_with(format) {
                    failures.push(format!("{stem}: detected as {format}"));
                }
                formats_seen.push(p.format);
            }
            (Err(e), false) => failures.push(format!("{stem}: unexpected error: {e}")),
            (Ok(p), true) => {
                failures.push(format!("{stem}: parsed as {} instead of failing", p.format.as_str()))
            }
            (Err(_), true) => {}
        }
        let got = describe(&result);
        let expected_path = path.with_extension("expected.json");
        if update {
            fs::write(&expected_path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        match fs::read_to_string(&expected_path) {
            Ok(text) => {
                let expected: Value = serde_json::from_str(&text).unwrap();
                if expected != got {
                    failures.push(format!(
                        "{stem}:\nexpected {}\n     got {}",
                        serde_json::to_string_pretty(&expected).unwrap(),
                        serde_json::to_string_pretty(&got).unwrap()
                    ));
                }
            }
            Err(_) => failures.push(format!("{stem}: no {}", expected_path.display())),
        }
    }
    for format in FORMATS {
        if !formats_seen.contains(&format) {
            failures.push(format!("no fixture is detected as {}", format.as_str()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_format_yields_the_same_records() {
    // One pair of rows in every envelope: the records must be identical.
    let names: Vec<String> = ["age", "income", "city"].map(String::from).to_vec();
    let options = PayloadOptions { feature_names: names, ..PayloadOptions::default() };
    let bodies = [
        r#"[{"age": 31, "income": 52000.5, "city": "Lyon"}, {"age": 45, "income": null, "city": "Paris"}]"#,
        r#"[[31, 52000.5, "Lyon"], [45, null, "Paris"]]"#,
        r#"{"instances": [{"age": 31, "income": 52000.5, "city": "Lyon"}, {"age": 45, "income": null, "city": "Paris"}]}"#,
        r#"{"instances": [[31, 52000.5, "Lyon"], [45, null, "Paris"]]}"#,
        r#"{"inputs": {"age": [31, 45], "income": [52000.5, null], "city": ["Lyon", "Paris"]}}"#,
        r#"{"inputs": [[31, 52000.5, "Lyon"], [45, null, "Paris"]]}"#,
        r#"{"dataframe_split": {"columns": ["age", "income", "city"], "data": [[31, 52000.5, "Lyon"], [45, null, "Paris"]]}}"#,
        r#"{"dataframe_records": [{"age": 31, "income": 52000.5, "city": "Lyon"}, {"age": 45, "income": null, "city": "Paris"}]}"#,
    ];
    let want =
        json!([{"age": 31, "income": 52000.5, "city": "Lyon"}, {"age": 45, "income": null, "city": "Paris"}]);
    for body in bodies {
        let payload = parse_payload(body.as_bytes(), &options).unwrap();
        assert_eq!(json!(payload.records), want, "{body}");
    }
    // Open Inference has no null: the same rows without the missing income.
    let oip = r#"{"inputs": [{"name": "age", "shape": [2], "datatype": "INT64", "data": [31, 45]},
        {"name": "city", "shape": [2, 1], "datatype": "BYTES", "data": [["Lyon"], ["Paris"]]}]}"#;
    let payload = parse_payload(oip.as_bytes(), &options).unwrap();
    assert_eq!(json!(payload.records), json!([{"age": 31, "city": "Lyon"}, {"age": 45, "city": "Paris"}]));
}

#[test]
fn depth_at_the_ceiling_parses_and_one_more_is_refused() {
    let options = PayloadOptions {
        limits: PayloadLimits { max_depth: usize::MAX, ..PayloadLimits::default() },
        ..PayloadOptions::default()
    };
    let nested = |depth: usize| "{\"a\":".repeat(depth - 1) + "{}" + &"}".repeat(depth - 1);
    let payload = parse_payload(nested(MAX_DEPTH_CEILING).as_bytes(), &options).unwrap();
    assert_eq!(payload.format, PayloadFormat::JsonObject);
    let err = parse_payload(nested(MAX_DEPTH_CEILING + 1).as_bytes(), &options).unwrap_err();
    assert_eq!(err.code(), "too_deep");
}

#[test]
fn hostile_bodies_fail_cleanly() {
    // Nothing below may panic; each must be an error or a parse.
    let options = PayloadOptions { feature_names: vec!["x".into()], ..PayloadOptions::default() };
    let long_string = format!("{{\"x\": \"{}\"}}", "\\\"".repeat(10_000));
    let cases: Vec<Vec<u8>> = vec![
        b"\xEF\xBB\xBF{}".to_vec(),
        b"{\"x\": 1}\x00".to_vec(),
        b"{\"inputs\": [{\"name\": \"x\", \"shape\": [4294967296, 4294967296, 4294967296], \"datatype\": \"FP32\", \"data\": []}]}".to_vec(),
        b"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 0], \"datatype\": \"FP32\", \"data\": []}]}".to_vec(),
        b"{\"inputs\": [{\"name\": \"x\", \"shape\": [], \"datatype\": \"FP32\", \"data\": [1]}]}".to_vec(),
        b"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [[[[1]]]]}]}".to_vec(),
        b"{\"inputs\": [1, {\"shape\": [1]}]}".to_vec(),
        b"{\"dataframe_split\": {\"columns\": [], \"data\": [[]]}}".to_vec(),
        b"{\"x\": 1e999}".to_vec(),
        b"{\"x\": \"\\ud800\"}".to_vec(),
        long_string.into_bytes(),
        b"[".to_vec(),
        b"]".to_vec(),
        b"\"".to_vec(),
    ];
    for body in cases {
        let _ = parse_payload(&body, &options);
    }
    // A zero-width tensor still gives one (empty-array) value per instance.
    let zero = br#"{"inputs": [{"name": "x", "shape": [1, 0], "datatype": "FP32", "data": []}]}"#;
    assert_eq!(json!(parse_payload(zero, &options).unwrap().records), json!([{"x": []}]));
}
