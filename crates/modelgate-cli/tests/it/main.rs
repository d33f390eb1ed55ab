//! End-to-end tests of the `modelgate` binary: exit codes, JSON shape and error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod eval;
mod rubric;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn modelgate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_modelgate")).args(args).current_dir(repo("")).output().unwrap()
}

fn drift_json(reference: &str, current: &str) -> (i32, Value) {
    let out = modelgate(&["drift", "--reference", reference, "--current", current, "--format", "json"]);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), json)
}

#[test]
fn identical_files_exit_zero() {
    let (code, json) = drift_json("web/sample/reference.csv", "web/sample/reference.csv");
    assert_eq!(code, 0);
    assert_eq!(json["drifted_columns"], 0);
    for column in json["columns"].as_array().unwrap() {
        if column["status"] == "tested" {
            assert_eq!(column["drifted"], false, "{}", column["column"]);
            for (name, value) in column["metrics"].as_object().unwrap() {
                let expected = match name.as_str() {
                    "ks_statistic" | "psi" | "chi2_statistic" => 0.0,
                    "ks_p_value" | "chi2_p_value" => 1.0,
                    _ => continue,
                };
                assert_eq!(value.as_f64().unwrap(), expected, "{} {name}", column["column"]);
            }
        }
    }
}

#[test]
fn sample_drifts_and_json_lists_every_metric() {
    let (code, json) = drift_json("web/sample/reference.csv", "web/sample/current.csv");
    assert_eq!(code, 1);
    let columns = json["columns"].as_array().unwrap();
    let names: Vec<&str> = columns.iter().map(|c| c["column"].as_str().unwrap()).collect();
    assert_eq!(names, ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]);
    for column in columns {
        for key in
            ["column", "column_type", "method", "statistic", "p_value", "threshold", "drifted", "metrics"]
        {
            assert!(column.get(key).is_some(), "{} lacks {key}", column["column"]);
        }
    }
    let by_name = |name: &str| columns.iter().find(|c| c["column"] == name).unwrap();
    let temp = by_name("temp_max");
    assert_eq!(temp["column_type"], "numeric");
    assert_eq!(temp["method"], "ks");
    let metrics = temp["metrics"].as_object().unwrap();
    assert!(["ks_statistic", "ks_p_value", "psi"].iter().all(|k| metrics.contains_key(*k)));
    assert_eq!(temp["statistic"], temp["metrics"]["ks_statistic"]);
    let weather = by_name("weather");
    assert_eq!(weather["method"], "chi2");
    assert!(weather["metrics"]["chi2_p_value"].as_f64().unwrap() < 0.05);
    assert_eq!(weather["drifted"], true);
    assert_eq!(by_name("date")["status"], "skipped");
}

#[test]
fn text_output_is_a_table_with_a_verdict() {
    let out = modelgate(&["drift", "-r", "web/sample/reference.csv", "-c", "web/sample/current.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("column "), "{text}");
    assert!(text.lines().any(|l| l.starts_with("weather") && l.ends_with("DRIFT")), "{text}");
    assert!(text.contains("dataset drift: "), "{text}");
}

#[test]
fn fail_on_dataset_uses_the_drift_share() {
    let args =
        ["drift", "-r", "web/sample/reference.csv", "-c", "web/sample/current.csv", "--fail-on", "dataset"];
    let strict = modelgate(&[&args[..], &["--drift-share", "0.01"]].concat());
    assert_eq!(strict.status.code(), Some(1));
    let lax = modelgate(&[&args[..], &["--drift-share", "1.0"]].concat());
    assert_eq!(lax.status.code(), Some(0), "{}", String::from_utf8_lossy(&lax.stdout));
}

#[test]
fn bad_input_exits_two_naming_file_and_row() {
    let cases = [
        (
            "tests/data/ingest/ragged_short.csv",
            "tests/data/ingest/ragged_short.csv: row 2: expected 3 fields",
        ),
        ("tests/data/ingest/empty.csv", "tests/data/ingest/empty.csv: the file is empty"),
        ("tests/data/ingest/header_only.csv", "tests/data/ingest/header_only.csv: the file has a header"),
        (
            "tests/data/ingest/binary_png.csv",
            "tests/data/ingest/binary_png.csv: line 3: the file contains NUL",
        ),
        (
            "tests/data/ingest/invalid_utf8_latin1.csv",
            "tests/data/ingest/invalid_utf8_latin1.csv: row 1, column \"b\": invalid UTF-8",
        ),
        ("tests/data/does-not-exist.csv", "tests/data/does-not-exist.csv: cannot open"),
    ];
    for (path, message) in cases {
        let out = modelgate(&["drift", "--reference", "web/sample/reference.csv", "--current", path]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with(&format!("error: {message}")), "{path}: {stderr}");
        assert!(out.stdout.is_empty(), "{path}: no partial report on stdout");
    }
}

#[test]
fn usage_errors_exit_two() {
    let out = modelgate(&["drift", "--reference", "web/sample/reference.csv"]);
    assert_eq!(out.status.code(), Some(2));
}
