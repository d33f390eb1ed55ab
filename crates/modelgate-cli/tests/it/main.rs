//! End-to-end tests of the `modelgate` binary: exit codes, JSON shape and error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod eval;
mod hostile;
mod report;
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

// ---------------------------------------------------------------- quality and contracts

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("modelgate-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn contract_infer_writes_a_contract_that_reads_back() {
    let out = modelgate(&["contract", "infer", "--reference", "web/sample/reference.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let contract = stdout_json(&out);
    assert_eq!(contract["format"], "modelgate-contract");
    assert_eq!(contract["format_version"], 1);
    let names: Vec<&str> =
        contract["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]);
    let weather = &contract["fields"][5];
    assert_eq!(weather["categories"], serde_json::json!(["drizzle", "fog", "rain", "snow", "sun"]));
    // Precipitation is never negative in the reference, so its minimum stays 0.
    assert_eq!(contract["fields"][1]["minimum"], 0);

    let dir = scratch("infer");
    let path = dir.join("contract.json");
    let out = modelgate(&[
        "contract",
        "infer",
        "-r",
        "web/sample/reference.csv",
        "-o",
        path.to_str().unwrap(),
        "--range-tolerance",
        "0",
        "--contract-version",
        "7",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with(&format!("wrote {}: 6 fields, version 7, hash ", path.display())), "{stderr}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["version"], "7");
    // With no tolerance the range is the reference's own: -1.1 to 34.4 degrees (pandas agrees).
    assert_eq!(
        (written["fields"][2]["minimum"].as_f64(), written["fields"][2]["maximum"].as_f64()),
        (Some(-1.1), Some(34.4))
    );
}

#[test]
fn contract_check_of_a_csv() {
    let dir = scratch("check");
    let contract = dir.join("contract.json");
    let c = contract.to_str().unwrap();
    assert_eq!(
        modelgate(&["contract", "infer", "-r", "tests/data/quality/type_change/reference.csv", "-o", c])
            .status
            .code(),
        Some(0)
    );
    let ok = modelgate(&[
        "contract",
        "check",
        "--contract",
        c,
        "--current",
        "tests/data/quality/type_change/reference.csv",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8(ok.stdout).unwrap().ends_with("0 errors, 0 warnings, 0 infos; contract met\n"));

    let bad = modelgate(&[
        "contract",
        "check",
        "--contract",
        c,
        "--current",
        "tests/data/quality/type_change/current.csv",
        "--format",
        "json",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let report = stdout_json(&bad);
    assert_eq!(report["passed"], false);
    assert!(report["reference"].is_null());
    let f = &report["findings"][0];
    assert_eq!(
        (f["kind"].as_str(), f["column"].as_str(), f["count"].as_u64()),
        (Some("type_change"), Some("age"), Some(3))
    );
    assert_eq!(f["examples"], serde_json::json!([4, 8, 9]));

    let text = modelgate(&[
        "contract",
        "check",
        "--contract",
        c,
        "--current",
        "tests/data/quality/type_change/current.csv",
    ]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("ERROR    type_change  age: 3 values (25.0%) are not whole numbers")),
        "{text}"
    );
}

#[test]
fn contract_check_of_json_records() {
    let dir = scratch("records");
    let records = dir.join("records.json");
    std::fs::write(
        &records,
        r#"[{"age": 31, "income": 1, "city": "Lyon", "member": true},
            {"age": -4, "income": 1, "city": "Nice", "member": true, "agee": 1}]"#,
    )
    .unwrap();
    let args = ["contract", "check", "--contract", "tests/data/contract/rules.contract.json", "--records"];
    let out = modelgate(&[&args[..], &[records.to_str().unwrap(), "--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let result = stdout_json(&out);
    assert_eq!(result["records"], 2);
    let rules: Vec<(&str, &str, u64)> = result["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["rule"].as_str().unwrap(), v["field"].as_str().unwrap(), v["instance"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [("below_minimum", "age", 1), ("category_not_allowed", "city", 1), ("unknown_field", "agee", 1)]
    );

    let out = modelgate(&[&args[..], &[records.to_str().unwrap()]].concat());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("record 1: age: -4 is below the minimum 0 [below_minimum]\n"), "{text}");
    assert!(
        text.contains(
            "1 of 2 records break the contract (3 violations); contract version 2024-06-01, hash 97544ce8"
        ),
        "{text}"
    );

    std::fs::write(&records, r#"{"age": 31, "income": null, "city": "Paris", "member": false}"#).unwrap();
    assert_eq!(modelgate(&[&args[..], &[records.to_str().unwrap()]].concat()).status.code(), Some(0));

    std::fs::write(&records, "[{\"age\": 31},\n {\"age\": ]").unwrap();
    let out = modelgate(&[&args[..], &[records.to_str().unwrap()]].concat());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr, format!("error: {}: line 2, column 10: expected value\n", records.display()));
}

#[test]
fn bad_contracts_exit_two_naming_the_field() {
    let cases = [
        (
            "unknown_rule_typo",
            "fields[0].maxmum (field \"age\"): unknown rule \"maxmum\"; did you mean \"maximum\"?",
        ),
        ("minimum_string", "fields[0].minimum (field \"age\"): expected a number, found the string \"0\""),
        ("syntax_missing_comma", "line 3, column 3: invalid JSON: expected `,` or `}`"),
    ];
    for (name, message) in cases {
        let path = format!("tests/data/contract/invalid/{name}.json");
        let out =
            modelgate(&["contract", "check", "--contract", &path, "--current", "web/sample/current.csv"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert_eq!(String::from_utf8(out.stderr).unwrap(), format!("error: {path}: {message}\n"));
        assert!(out.stdout.is_empty());
        let out = modelgate(&[
            "quality",
            "-r",
            "web/sample/reference.csv",
            "-c",
            "web/sample/current.csv",
            "--contract",
            &path,
        ]);
        assert_eq!(out.status.code(), Some(2), "{name}");
    }
}

#[test]
fn contract_schema_is_draft_2020_12() {
    let out = modelgate(&["contract", "schema", "--contract", "tests/data/contract/rules.contract.json"]);
    assert_eq!(out.status.code(), Some(0));
    let schema = stdout_json(&out);
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["required"], serde_json::json!(["age", "income", "city", "member"]));
    assert_eq!(
        schema["properties"]["age"],
        serde_json::json!({"type": "integer", "minimum": 0, "maximum": 120})
    );
    assert_eq!(schema["properties"]["income"]["type"], serde_json::json!(["number", "null"]));
}

#[test]
fn quality_exit_codes_and_json() {
    // The sample only loses a weather category: a warning, so exit 0 unless warnings fail.
    let args = ["quality", "-r", "web/sample/reference.csv", "-c", "web/sample/current.csv"];
    let out = modelgate(&args);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("warning  vanished_category  weather: 1 category of the reference (3.1% of its rows) no longer appears: \"snow\" (23)"), "{text}");
    assert!(text.ends_with("0 errors, 1 warning, 0 infos; contract met\n"), "{text}");
    assert_eq!(modelgate(&[&args[..], &["--fail-on", "warning"]].concat()).status.code(), Some(1));

    let out = modelgate(&[
        "quality",
        "-r",
        "tests/data/quality/real_wine/reference.csv",
        "-c",
        "tests/data/quality/real_wine/current.csv",
        "--format",
        "json",
        "--max-examples",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    assert_eq!(report["reference"]["rows"], 120);
    assert_eq!(report["current"]["rows"], 61);
    assert_eq!(report["options"]["max_examples"], 2);
    for f in report["findings"].as_array().unwrap() {
        for key in ["severity", "kind", "column", "count", "share", "examples", "values", "message"] {
            assert!(f.get(key).is_some(), "{f} lacks {key}");
        }
        assert!(f["examples"].as_array().unwrap().len() <= 2);
    }
    assert_eq!(
        report["errors"].as_u64().unwrap() as usize,
        report["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").count()
    );

    // The same report as the core computes from the same files.
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("tests/data/quality/real_wine/expected.json")).unwrap(),
    )
    .unwrap();
    let kinds = |r: &Value| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["kind"].clone(), f["column"].clone(), f["count"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&report), kinds(&expected));
}

#[test]
fn quality_uses_an_edited_contract() {
    let dir = scratch("edited");
    let path = dir.join("contract.json");
    let p = path.to_str().unwrap();
    modelgate(&["contract", "infer", "-r", "tests/data/quality/unseen_category/reference.csv", "-o", p]);
    // Allow the new plans, as a team would after deciding they are fine.
    let mut contract: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let plan = contract["fields"].as_array_mut().unwrap().iter_mut().find(|f| f["name"] == "plan").unwrap();
    plan["categories"] = serde_json::json!(["basic", "enterprise", "free", "pro", "Pro", "trial"]);
    std::fs::write(&path, serde_json::to_string_pretty(&contract).unwrap()).unwrap();
    let args = [
        "quality",
        "-r",
        "tests/data/quality/unseen_category/reference.csv",
        "-c",
        "tests/data/quality/unseen_category/current.csv",
    ];
    assert_eq!(modelgate(&args).status.code(), Some(1), "the inferred contract rejects the new plans");
    let out = modelgate(&[&args[..], &["--contract", p, "--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stdout_json(&out)["findings"], serde_json::json!([]));
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
