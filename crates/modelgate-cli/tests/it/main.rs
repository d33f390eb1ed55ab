//! End-to-end tests of the `modelgate` binary: exit codes, JSON shape and error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

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
                    "ks_statistic"
                    | "psi"
                    | "chi2_statistic"
                    | "chi2_gof_statistic"
                    | "z_statistic"
                    | "jensen_shannon"
                    | "tvd"
                    | "l_infinity"
                    | "psi_evidently"
                    | "cramers_v"
                    | "wasserstein_distance"
                    | "wasserstein_normed" => 0.0,
                    "ks_p_value" | "chi2_p_value" | "chi2_gof_p_value" | "z_p_value" => 1.0,
                    // sqrt(1 - sum sqrt(p q)) of equal shares is sqrt of a rounding residue.
                    "hellinger" => {
                        assert!(value.as_f64().unwrap() < 1e-7, "{} {name}", column["column"]);
                        continue;
                    }
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

fn run_json(args: &[&str]) -> (i32, Value) {
    let out = modelgate(args);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), json)
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("modelgate-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Issue 3, item 6: a header-only file is a finding in the report, not a crash.
#[test]
fn header_only_current_is_an_error_finding() {
    let (code, json) =
        drift_json("tests/data/golden/drift/edge_reference.csv", "tests/data/ingest/header_only.csv");
    assert_eq!(code, 1);
    assert_eq!(json["current"]["rows"], 0);
    assert_eq!(json["findings"][0]["severity"], "error");
    assert_eq!(json["findings"][0]["code"], "no_rows");
    assert_eq!(json["tested_columns"], 0);
}

#[test]
fn a_reference_profile_gives_the_same_report_as_the_csv() {
    let profile = tmp("sample.profile.json");
    let p = profile.to_str().unwrap();
    let out = modelgate(&["profile", "--input", "web/sample/reference.csv", "--output", p]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&profile).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format"], "modelgate-profile");
    assert_eq!(file["version"], 1);
    let (code_csv, from_csv) = drift_json("web/sample/reference.csv", "web/sample/current.csv");
    let (code_profile, from_profile) = run_json(&[
        "drift",
        "--reference-profile",
        p,
        "--current",
        "web/sample/current.csv",
        "--format",
        "json",
    ]);
    assert_eq!(code_csv, code_profile);
    assert_eq!(from_csv["columns"], from_profile["columns"]);
    assert_eq!(from_csv["correlations"], from_profile["correlations"]);
}

#[test]
fn profiles_of_partitions_merge_into_the_profile_of_the_whole() {
    let text = std::fs::read_to_string(repo("web/sample/reference.csv")).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let lines: Vec<&str> = rows.lines().collect();
    let (a, b) = lines.split_at(300);
    let pa = tmp("part-a.csv");
    let pb = tmp("part-b.csv");
    std::fs::write(&pa, format!("{header}\n{}\n", a.join("\n"))).unwrap();
    std::fs::write(&pb, format!("{header}\n{}\n", b.join("\n"))).unwrap();
    let merged = tmp("merged.profile.json");
    let out = modelgate(&[
        "profile",
        "-i",
        pa.to_str().unwrap(),
        "-i",
        pb.to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let (_, whole) = drift_json("web/sample/reference.csv", "web/sample/current.csv");
    let (_, parts) = run_json(&[
        "drift",
        "--reference-profile",
        merged.to_str().unwrap(),
        "-c",
        "web/sample/current.csv",
        "--format",
        "json",
    ]);
    assert_eq!(whole["columns"], parts["columns"]);
    assert_eq!(whole["correlations"], parts["correlations"]);
}

#[test]
fn several_datasets_in_one_run() {
    let (code, json) = run_json(&[
        "drift",
        "-r",
        "web/sample/reference.csv",
        "--compare",
        "same=web/sample/reference.csv",
        "--compare",
        "prod=web/sample/current.csv",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let comparisons = json["comparisons"].as_array().unwrap();
    assert_eq!(comparisons.len(), 2);
    assert_eq!(comparisons[0]["name"], "same");
    assert_eq!(comparisons[0]["drifted_columns"], 0);
    assert_eq!(comparisons[1]["name"], "prod");
    assert_eq!(comparisons[1]["dataset_drift"], true);
    assert_eq!(json["dataset_drift"], true);
    let text = modelgate(&[
        "drift",
        "-r",
        "web/sample/reference.csv",
        "-c",
        "web/sample/reference.csv",
        "-c",
        "web/sample/current.csv",
    ]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("== web/sample/reference.csv") && text.contains("== web/sample/current.csv"),
        "{text}"
    );
}

#[test]
fn method_and_threshold_overrides() {
    let (_, json) = run_json(&[
        "drift",
        "-r",
        "web/sample/reference.csv",
        "-c",
        "web/sample/current.csv",
        "--format",
        "json",
        "--method",
        "wind=psi",
        "--method-for",
        "numeric=wasserstein",
        "--threshold",
        "wasserstein=0.5",
        "--column-threshold",
        "wind=0.001",
    ]);
    let col =
        |n: &str| json["columns"].as_array().unwrap().iter().find(|c| c["column"] == n).unwrap().clone();
    let wind = col("wind");
    assert_eq!(wind["method"], "psi");
    assert_eq!(wind["threshold"], 0.001);
    assert_eq!(wind["statistic"], wind["metrics"]["psi"]);
    assert_eq!(wind["drifted"], true);
    let temp = col("temp_max");
    assert_eq!(temp["method"], "wasserstein");
    assert_eq!(temp["threshold"], 0.5);
    assert_eq!(temp["statistic"], temp["metrics"]["wasserstein_normed"]);
    assert_eq!(temp["drifted"], false);
    let bad = modelgate(&[
        "drift",
        "-r",
        "web/sample/reference.csv",
        "-c",
        "web/sample/current.csv",
        "--method",
        "wind=nope",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown method \"nope\""));
    let bad = modelgate(&[
        "drift",
        "-r",
        "web/sample/reference.csv",
        "-c",
        "web/sample/current.csv",
        "--method-for",
        "categorical=ks",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ks does not apply to categorical columns"));
}

#[test]
fn bonferroni_divides_the_level() {
    let (_, plain) = drift_json("web/sample/reference.csv", "web/sample/current.csv");
    let (_, bonf) = run_json(&[
        "drift",
        "-r",
        "web/sample/reference.csv",
        "-c",
        "web/sample/current.csv",
        "--format",
        "json",
        "--bonferroni",
    ]);
    let tested =
        plain["columns"].as_array().unwrap().iter().filter(|c| c["status"] == "tested").count() as f64;
    for (p, b) in plain["columns"].as_array().unwrap().iter().zip(bonf["columns"].as_array().unwrap()) {
        if p["status"] == "tested" {
            assert_eq!(b["threshold"].as_f64().unwrap(), p["threshold"].as_f64().unwrap() / tested);
        }
    }
    // temp_min (KS p = 0.012) drifts at 0.05 but not at 0.05 / 5.
    let temp_min = |j: &Value| {
        j["columns"].as_array().unwrap().iter().find(|c| c["column"] == "temp_min").unwrap()["drifted"]
            .clone()
    };
    assert_eq!(temp_min(&plain), true);
    assert_eq!(temp_min(&bonf), false);
}

#[test]
fn target_gives_label_drift_and_associations() {
    let (_, json) = run_json(&[
        "drift",
        "-r",
        "web/sample/reference.csv",
        "-c",
        "web/sample/current.csv",
        "--format",
        "json",
        "--target",
        "weather",
        "--prediction",
        "wind",
    ]);
    assert_eq!(json["target_drift"], true);
    assert_eq!(json["prediction_drift"], false);
    let roles: Vec<&str> =
        json["columns"].as_array().unwrap().iter().map(|c| c["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["feature", "feature", "feature", "feature", "prediction", "target"]);
    // Three numeric features tested (date skipped), and the label is not one of them.
    assert_eq!(json["tested_columns"], 3);
    let target = json["correlations"]["target"].as_array().unwrap();
    let eta = target.iter().find(|c| c["a"] == "temp_max" && c["b"] == "weather").unwrap();
    assert_eq!(eta["method"], "correlation_ratio");
    assert!(eta["reference"].as_f64().unwrap() > 0.3);
    assert!(target.iter().any(|c| c["a"] == "temp_max" && c["b"] == "wind" && c["method"] == "spearman"));
    assert_eq!(json["correlations"]["exact"], true);
}
