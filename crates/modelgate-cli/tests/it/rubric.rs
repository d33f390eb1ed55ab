//! `modelgate rubric`: scores, evidence, exit codes, templates and located errors.

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use serde_json::{json, Value};

use super::modelgate;

/// A scratch file for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, text: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("modelgate-cli-rubric-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        Scratch(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn scores_an_answers_file() {
    let out =
        modelgate(&["rubric", "--answers", "tests/data/rubric/answers/ok-2017.csv", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report = stdout_json(&out);
    // data 1 (data-5 n/a), model 0.5 + 1, infra 0.5, monitoring 1: the minimum is 0.5.
    let sections: Vec<f64> =
        report["sections"].as_array().unwrap().iter().map(|s| s["score"].as_f64().unwrap()).collect();
    assert_eq!(sections, [1.0, 1.5, 0.5, 1.0]);
    assert_eq!(report["sections"][0]["max_points"], 6.0);
    assert_eq!(report["final_score"], 0.5);
    assert_eq!(report["band"]["label"], "(0, 1]");
    assert_eq!(report["weakest_sections"], json!(["infrastructure"]));
    assert_eq!(report["rubric"]["id"], "ml-test-score-2017");
    assert_eq!(report["next_steps"][0]["item"], "infra-2");
    assert_eq!(report["evidence"], json!([]));
    assert_eq!(report["flags"], json!([]));
}

#[test]
fn the_rubric_comes_from_the_file_or_the_flag() {
    // The JSON file names the 2016 rubric, so no --rubric is needed.
    let out = modelgate(&["rubric", "-a", "tests/data/rubric/answers/ok-2016.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_json(&out)["rubric"]["id"], "ml-test-score-2016");
    // Forcing another rubric is refused, naming the key.
    let out = modelgate(&[
        "rubric",
        "-a",
        "tests/data/rubric/answers/ok-2016.json",
        "--rubric",
        "ml-test-score-2017",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: tests/data/rubric/answers/ok-2016.json: rubric: these answers are for rubric \"ml-test-score-2016\", not \"ml-test-score-2017\"\n"
    );
    // A rubric JSON file can be given instead of a built-in id.
    let out = modelgate(&[
        "rubric",
        "-a",
        "tests/data/rubric/answers/ok-minimal.csv",
        "--rubric",
        "rubrics/ml-test-score-2016.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // data-1 manual = 1 point in the 2016 scoring.
    assert_eq!(stdout_json(&out)["sections"][0]["score"], 1.0);
    let out = modelgate(&[
        "rubric",
        "-a",
        "tests/data/rubric/answers/ok-minimal.csv",
        "--rubric",
        "ml-test-score-2099",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().starts_with(
        "error: unknown rubric \"ml-test-score-2099\"; the built-in rubrics are ml-test-score-2017, ml-test-score-2016, production-readiness"
    ));
}

#[test]
fn drift_evidence_contradicting_an_answer_exits_one() {
    // In the 2016 rubric the distribution test is measured by the drift check itself; the
    // sample drifts, so claiming it automated is contradicted.
    let answers = Scratch::new(
        "drift.csv",
        "rubric,id,status\nml-test-score-2016,data-1,automated\nml-test-score-2016,monitoring-2,manual\n",
    );
    let args = [
        "rubric",
        "-a",
        answers.path(),
        "--drift-reference",
        "web/sample/reference.csv",
        "--drift-current",
        "web/sample/current.csv",
    ];
    let out = modelgate(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report = stdout_json(&out);
    let kinds: Vec<&str> =
        report["evidence"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["drift", "schema", "nan_inf"]);
    assert_eq!(report["evidence"][0]["passed"], false);
    let flags = report["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0]["item"], "data-1");
    assert_eq!(flags[0]["severity"], "error");
    assert!(
        flags[0]["message"].as_str().unwrap().starts_with(
            "answered automated, but this run's drift check fails: 3 of 5 columns tested drifted"
        ),
        "{}",
        flags[0]["message"]
    );
    // Monitor 2 gets the schema and NaN checks (both pass) and the drift check beside it.
    let m2 = report["items"].as_array().unwrap().iter().find(|i| i["id"] == "monitoring-2").unwrap();
    let beside: Vec<(&str, bool)> = m2["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["passed"].as_bool().unwrap()))
        .collect();
    assert_eq!(beside, [("schema", true), ("nan_inf", true), ("drift", false)]);
    assert_eq!(m2["flag"], Value::Null);

    let text = String::from_utf8(modelgate(&args).stdout).unwrap();
    assert!(
        text.contains("\nflags:\n  error: data-1: answered automated, but this run's drift check fails:"),
        "{text}"
    );
    assert!(text.contains("  FAIL  drift check: 3 of 5 columns tested drifted"), "{text}");
}

#[test]
fn a_baseline_that_beats_the_model_contradicts_model_5() {
    let answers = Scratch::new("baseline.csv", "id,status\nmodel-5,automated\nmodel-6,manual\n");
    let evidence = Scratch::new(
        "evidence.json",
        r#"{"baseline": {"metric": "accuracy", "higher_is_better": true, "model": 0.79, "baseline": 0.81, "baseline_name": "majority class"}}"#,
    );
    let out = modelgate(&["rubric", "-a", answers.path(), "--evidence", evidence.path()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  error: model-5: answered automated, but this run's baseline comparison fails: accuracy: majority class (0.81) beats the model (0.79)\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  !model-5      automated   1       A simpler model does not do better"),
        "{text}"
    );

    // The same answers with a model that wins: nothing to flag.
    let better = Scratch::new(
        "better.json",
        r#"{"baseline": {"metric": "accuracy", "higher_is_better": true, "model": 0.9, "baseline": 0.81}}"#,
    );
    let out = modelgate(&["rubric", "-a", answers.path(), "--evidence", better.path()]);
    assert_eq!(out.status.code(), Some(0));

    let typo = Scratch::new("typo.json", r#"{"baselin": {}}"#);
    let out = modelgate(&["rubric", "-a", answers.path(), "--evidence", typo.path()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("error: {}: not valid evidence: unknown field `baselin`", typo.path())),
        "{stderr}"
    );
}

#[test]
fn fail_under_turns_a_low_score_into_exit_one() {
    let args = ["rubric", "-a", "tests/data/rubric/answers/ok-2017.csv", "--fail-under"];
    assert_eq!(modelgate(&[&args[..], &["0.5"]].concat()).status.code(), Some(0), "0.5 is not below 0.5");
    assert_eq!(modelgate(&[&args[..], &["1"]].concat()).status.code(), Some(1));
}

#[test]
fn the_checklist_prints_shares() {
    let answers = Scratch::new(
        "checklist.json",
        &json!({
            "rubric": "production-readiness",
            "answers": [
                { "id": "baseline", "status": "manual" },
                { "id": "business-metric", "status": "manual" },
                { "id": "auto-scaling", "status": "not_applicable", "reason": "nightly batch job" },
            ]
        })
        .to_string(),
    );
    let out = modelgate(&["rubric", "-a", answers.path()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // 2 done of 21 applicable = 9.5%; evaluation 2 of 8 = 25%; serving 0 of 4.
    assert!(text.contains("final score: 9.5% (the share of applicable items done"), "{text}");
    assert!(
        text.contains(
            "\n  Problem and evaluation    25%    8 items     0          2       0         0    6\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "\n  Serving                   0%     4 items     0          0       0         1    4\n"
        ),
        "{text}"
    );
    assert!(text.contains("band < 50%: Not ready."), "{text}");
    // Data and reproducibility, serving and operations tie at 0%: the first in rubric order goes first.
    assert!(text.contains("\n  1. do distributions (Train, validation and test distributions are analysed, and can be for new data, now unanswered): Data and reproducibility 25%, final 14.3%, band < 50%\n"), "{text}");
}

#[test]
fn answers_errors_exit_two_naming_the_line() {
    for (file, message) in [
        (
            "err-bad-status.csv",
            "line 4, column \"status\": unknown status \"done\"; expected not_done, manual, automated or not_applicable",
        ),
        ("err-duplicate.csv", "line 5, column \"id\": item \"data-1\" is answered twice (first on line 2)"),
        ("err-unknown-item.csv", "line 3, column \"id\": unknown item id \"data-9\" for rubric ml-test-score-2017"),
        ("err-missing-reason.csv", "line 2, column \"reason\": item \"data-1\" is not_applicable without a reason"),
        ("err-json-paths.json", "answer: unknown field \"answer\""),
    ] {
        let path = format!("tests/data/rubric/answers/{file}");
        let out = modelgate(&["rubric", "--answers", &path]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with(&format!("error: {path}: {message}")), "{file}: {stderr}");
        assert!(out.stdout.is_empty(), "{file}: no report on stdout");
    }
    let out = modelgate(&["rubric", "--answers", "tests/data/rubric/answers/nope.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: tests/data/rubric/answers/nope.csv: cannot open: No such file or directory (os error 2)\n"
    );
    let latin1 = Scratch::new("latin1.csv", "");
    fs::write(&latin1.0, b"id,status,notes\ndata-1,manual,caf\xe9\n").unwrap();
    let out = modelgate(&["rubric", "--answers", latin1.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("error: {}: line 2, byte 18: not UTF-8 text; save the answers as UTF-8\n", latin1.path())
    );
    // --answers is required without a subcommand; both drift files go together.
    assert_eq!(modelgate(&["rubric"]).status.code(), Some(2));
    assert_eq!(
        modelgate(&["rubric", "-a", "x.csv", "--drift-reference", "web/sample/reference.csv"]).status.code(),
        Some(2)
    );
}

#[test]
fn templates_are_written_and_read_back() {
    for (format, first) in [("csv", "rubric,section,id,title,status,reason,evidence,notes"), ("json", "{")] {
        let out = modelgate(&["rubric", "template", "--rubric", "ml-test-score-2016", "--format", format]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().next(), Some(first), "{format}");
        let file = Scratch::new(&format!("template.{format}"), &text);
        let out = modelgate(&["rubric", "-a", file.path(), "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let report = stdout_json(&out);
        assert_eq!(report["rubric"]["id"], "ml-test-score-2016");
        assert_eq!(report["counts"]["unanswered"], 28);
        assert_eq!(report["final_score"], 0.0);
    }
    let file = Scratch::new("out.csv", "");
    let out = modelgate(&["rubric", "template", "--rubric", "production-readiness", "-o", file.path()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(fs::read_to_string(&file.0).unwrap().lines().count(), 23, "a header and 22 items");

    let out = modelgate(&["rubric", "list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<&str> = text.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(ids, ["ml-test-score-2017", "ml-test-score-2016", "production-readiness"]);
}
