//! `modelgate evaluate`, `compare-predictions` and `skew`: exit codes, JSON and messages.

use std::path::PathBuf;

use serde_json::Value;

use super::{modelgate, repo};

fn json(args: &[&str]) -> (i32, Value) {
    let out = modelgate(&[args, &["--format", "json"]].concat());
    let text = String::from_utf8_lossy(&out.stdout);
    let value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!("stdout is not JSON ({e}): {text}\nstderr: {}", String::from_utf8_lossy(&out.stderr))
    });
    (out.status.code().unwrap(), value)
}

fn golden(name: &str) -> Value {
    let all: Value =
        serde_json::from_str(&std::fs::read_to_string(repo("tests/data/golden/eval.json")).unwrap()).unwrap();
    all["cases"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone()
}

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("modelgate-cli-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn evaluate_passes_when_the_model_beats_every_baseline() {
    let args = [
        "evaluate",
        "-p",
        "tests/data/eval/iris.csv",
        "--train",
        "tests/data/eval/iris_train.csv",
        "--label",
        "species",
        "--feature",
        "sepal_width",
        "--resamples",
        "200",
    ];
    let (code, report) = json(&args);
    assert_eq!(code, 0, "{}", report["verdict"]);
    assert_eq!(report["verdict"]["passed"], true);
    assert_eq!(report["task"], "multiclass");
    assert_eq!(report["columns"]["features"], serde_json::json!(["sepal_width"]));
    for b in report["baselines"]["results"].as_array().unwrap() {
        assert_eq!(b["comparison"]["verdict"], "model_better", "{}", b["name"]);
    }
    let text = modelgate(&args);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("verdict: pass; the model beats every baseline"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("stratified (expected)")), "{text}");
}

#[test]
fn evaluate_fails_when_a_baseline_matches_and_reports_the_golden_numbers() {
    let case = golden("diabetes_binary");
    let (code, report) = json(&[
        "evaluate",
        "-p",
        "tests/data/eval/diabetes_binary.csv",
        "--train",
        "tests/data/eval/diabetes_binary_train.csv",
        "--sensitive",
        "sex",
        "--slice",
        "sex",
        "--slice",
        "age",
        "--slice",
        "bmi",
        "--period",
        "week",
        "--resamples",
        "200",
        "--seed",
        "42",
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"]["passed"], false);
    let reasons = report["verdict"]["reasons"].as_array().unwrap();
    assert!(
        reasons
            .iter()
            .any(|r| r.as_str().unwrap().starts_with("the stump baseline matches the model on accuracy")),
        "{reasons:?}"
    );
    for (name, want) in case["metrics"].as_object().unwrap() {
        let got = report["metrics"][name].as_f64().unwrap();
        let want = want.as_f64().unwrap();
        assert!((got - want).abs() <= 1e-9 * want.abs(), "{name}: {got} vs {want}");
    }
    let stump =
        report["baselines"]["results"].as_array().unwrap().iter().find(|b| b["name"] == "stump").unwrap();
    let ci = &case["bootstrap"]["ci"]["stump"];
    assert!((stump["comparison"]["ci_low"].as_f64().unwrap() - ci[0].as_f64().unwrap()).abs() < 1e-12);
    assert_eq!(stump["details"]["feature"], "s5");
    let dpd = report["fairness"]["demographic_parity_difference"].as_f64().unwrap();
    assert!((dpd - case["fairness"]["demographic_parity_difference"].as_f64().unwrap()).abs() < 1e-12);
    assert_eq!(report["time"]["period"], "week");
    assert_eq!(report["baselines"]["seed"], 42);
}

#[test]
fn evaluate_reports_misaligned_rows_and_exits_one() {
    let p = temp(
        "misaligned.csv",
        "label,prediction,score\n1,1,0.9\n0,,0.2\n1,1,nan\n0,0,0.1\n1,0,0.4\n0,1,0.7\n",
    );
    let (code, report) = json(&["evaluate", "-p", p.to_str().unwrap(), "--resamples", "0"]);
    assert_eq!(code, 1);
    let findings = report["findings"].as_array().unwrap();
    let by_code =
        |c: &str| findings.iter().find(|f| f["code"] == c).unwrap_or_else(|| panic!("{c}: {findings:?}"));
    assert_eq!(by_code("missing_prediction")["rows"], serde_json::json!([2]));
    assert_eq!(by_code("missing_prediction")["severity"], "error");
    assert_eq!(by_code("non_finite_probability")["rows"], serde_json::json!([3]));
    assert_eq!(report["rows_evaluated"], 4);
    let text =
        String::from_utf8(modelgate(&["evaluate", "-p", p.to_str().unwrap(), "--resamples", "0"]).stdout)
            .unwrap();
    assert!(text.contains("error missing_prediction: "), "{text}");
    assert!(text.contains("column \"prediction\", 1 row (2): the prediction is missing"), "{text}");
}

#[test]
fn evaluate_errors_exit_two_naming_file_and_column() {
    let out = modelgate(&[
        "evaluate",
        "-p",
        "tests/data/eval/iris.csv",
        "--label",
        "species",
        "--sensitive",
        "gender",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr
            .starts_with("error: tests/data/eval/iris.csv: no column \"gender\" for the sensitive attribute"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    let out = modelgate(&["evaluate", "-p", "tests/data/eval/does-not-exist.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with("error: tests/data/eval/does-not-exist.csv: cannot open"));
    let out = modelgate(&["evaluate", "-p", "tests/data/ingest/ragged_short.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("row 2: expected 3 fields"));
}

#[test]
fn compare_predictions_exit_codes() {
    let (code, report) =
        json(&["compare-predictions", "--a", "tests/data/eval/wine.csv", "--b", "tests/data/eval/wine.csv"]);
    assert_eq!(code, 0);
    assert_eq!(report["reproducible"], true);
    assert_eq!(report["id"], "id");
    assert_eq!(report["columns"].as_array().unwrap().len(), 4, "prediction and three probability columns");
    let original = std::fs::read_to_string(repo("tests/data/eval/wine.csv")).unwrap();
    // Rerun with row 3's prediction changed and the rows in another order.
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    let cells: Vec<&str> = lines[3].split(',').collect();
    let changed: Vec<String> =
        cells.iter().enumerate().map(|(i, c)| if i == 7 { "2".to_string() } else { c.to_string() }).collect();
    lines[3] = changed.join(",");
    lines[1..].reverse();
    let b = temp("wine-rerun.csv", &(lines.join("\n") + "\n"));
    let (code, report) =
        json(&["compare-predictions", "--a", "tests/data/eval/wine.csv", "--b", b.to_str().unwrap()]);
    assert_eq!(code, 1);
    let pred = &report["columns"][0];
    assert_eq!((pred["column"].as_str(), pred["mismatched"].as_u64()), (Some("prediction"), Some(1)));
    assert_eq!(pred["examples"][0]["row_a"], 3);
    assert_eq!(report["reproducible"], false);
}

#[test]
fn skew_exit_codes() {
    let t = temp("train-features.csv", "id,age,city\n1,30,Lyon\n2,40,Paris\n3,50,Nice\n");
    let s = temp("serve-features.csv", "id,age,city\n3,50,Nice\n1,30.0,Lyon\n2,41,Paris\n");
    let (code, report) = json(&["skew", "--training", t.to_str().unwrap(), "--serving", s.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(report["joined"], 3);
    assert_eq!(report["features"][0]["feature"], "age");
    assert_eq!(report["features"][0]["mismatch_count"], 1);
    assert_eq!(report["features"][1]["mismatch_count"], 0);
    let (code, _) = json(&[
        "skew",
        "--training",
        t.to_str().unwrap(),
        "--serving",
        s.to_str().unwrap(),
        "--feature",
        "city",
    ]);
    assert_eq!(code, 0);
    let (code, _) = json(&[
        "skew",
        "--training",
        t.to_str().unwrap(),
        "--serving",
        s.to_str().unwrap(),
        "--max-mismatch-share",
        "0.5",
    ]);
    assert_eq!(code, 0);
    let out = modelgate(&[
        "skew",
        "--training",
        t.to_str().unwrap(),
        "--serving",
        s.to_str().unwrap(),
        "--id",
        "key",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("no column \"key\" for the id"));
}
