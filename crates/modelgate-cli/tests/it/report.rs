//! `modelgate report`: every input in one run, the sections and numbers it writes, the
//! saved report read back (`--from`, `rubric --report`) and the errors.

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use serde_json::{json, Value};

use super::modelgate;

/// A scratch file for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, text: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("modelgate-cli-report-{}", std::process::id()));
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

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

const SAMPLE: [&str; 9] = [
    "report",
    "-r",
    "web/sample/reference.csv",
    "-c",
    "web/sample/current.csv",
    "--predictions",
    "web/sample/predictions.csv",
    "--training",
    "web/sample/training.csv",
];

/// The top-level keys, sorted (serde_json's map sorts them; the file keeps section order).
fn keys(report: &Value) -> Vec<&str> {
    report.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn every_input_in_one_run() {
    let answers = Scratch::new("answers.csv", "id,status\nmodel-5,automated\nmonitoring-2,automated\n");
    let out = modelgate(&[&SAMPLE[..], &["--answers", answers.path(), "--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r = json_of(&out);
    assert_eq!(keys(&r), ["drift", "evaluation", "format_version", "kind", "modelgate", "quality", "rubric"]);
    assert_eq!((r["kind"].as_str(), r["format_version"].as_u64()), (Some("modelgate-report"), Some(2)));

    assert_eq!(
        (r["drift"]["tested_columns"].as_u64(), r["drift"]["drifted_columns"].as_u64()),
        (Some(5), Some(3))
    );
    // Quality against the contract inferred from the reference: "snow" no longer appears.
    assert_eq!((r["quality"]["errors"].as_u64(), r["quality"]["warnings"].as_u64()), (Some(0), Some(1)));
    assert_eq!(r["quality"]["findings"][0]["kind"], "vanished_category");
    assert_eq!(r["quality"]["findings"][0]["values"][0]["value"], "[redacted]");

    let e = &r["evaluation"];
    assert_eq!((e["primary_metric"].as_str(), e["rows_evaluated"].as_u64()), (Some("mae"), Some(364)));
    assert_eq!(e["training"]["source"], "web/sample/training.csv");
    let linear =
        e["baselines"]["results"].as_array().unwrap().iter().find(|b| b["name"] == "linear").unwrap();
    assert_eq!(linear["comparison"]["verdict"], "baseline_better");

    // The rubric took its evidence from the sections above.
    let rubric = &r["rubric"];
    assert_eq!(rubric["rubric"]["id"], "ml-test-score-2017");
    let checks: Vec<(&str, bool)> = rubric["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["passed"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        checks,
        [
            ("drift", false),
            ("schema", true),
            ("nan_inf", true),
            ("data_quality", true),
            ("baseline", false),
            ("slices", false),
        ]
    );
    let baseline = rubric["evidence"].as_array().unwrap().iter().find(|c| c["kind"] == "baseline").unwrap();
    assert_eq!(
        baseline["summary"],
        "mae: linear (2.21) beats the model (2.323); 95% interval of the difference [-0.2032, -0.02256]; gain -0.05079"
    );
    let flags: Vec<(&str, &str)> = rubric["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["item"].as_str().unwrap(), f["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(flags, [("model-5", "baseline")]);

    // Markdown: the summary first, then a part per section.
    let out = modelgate(&[&SAMPLE[..], &["--answers", answers.path(), "--format", "markdown"]].concat());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# modelgate report\n\n## Summary\n\n- Data drift: 3 of 5 tested columns drifted — dataset drift: yes\n- Data quality: passed — 0 errors, 1 warning, 0 notes in `web/sample/current.csv`\n- Model: failed — mae 2.323; strongest baseline `linear` 2.21\n- Readiness: ML Test Score (2017) — final score 0 of at most 7, band 0"), "{md}");
    assert!(md.contains("| linear | 2.21 | 2.323 | -0.1123 | [-0.2032, -0.02256] at 95% | -0.05079 | **baseline better** |"), "{md}");
    assert!(md.contains("| temp_max | ≥ 22.8 | 98 | 2.978 | **weak** |"), "{md}");
    assert!(md.contains("| 2015-05 | 31 | 3.454 | yes |"), "{md}");
    assert!(md.contains("- **error** `model-5`: "), "{md}");
}

#[test]
fn a_second_run_and_serving_features_add_their_sections() {
    let predictions = fs::read_to_string(super::repo("web/sample/predictions.csv")).unwrap();
    // Another run: row 3's prediction changed.
    let mut lines: Vec<String> = predictions.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[3].split(',').map(String::from).collect();
    let last = cells.len() - 1;
    cells[last] = "7.123456789".into();
    lines[3] = cells.join(",");
    let rerun = Scratch::new("rerun.csv", &(lines.join("\n") + "\n"));
    let serving = Scratch::new("serving.csv", "id,precipitation,temp_max\n0,0,12.8\n1,10.9,99.98765\n");
    let out = modelgate(&[
        "report",
        "--predictions",
        "web/sample/predictions.csv",
        "--compare-with",
        rerun.path(),
        "--training",
        "web/sample/training.csv",
        "--serving",
        serving.path(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r = json_of(&out);
    assert_eq!(keys(&r), ["comparison", "evaluation", "format_version", "kind", "modelgate", "skew"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let at = |key: &str| text.find(&format!("\n  \"{key}\": ")).unwrap();
    assert!(
        at("modelgate") < at("evaluation")
            && at("evaluation") < at("comparison")
            && at("comparison") < at("skew")
    );
    let c = &r["comparison"];
    assert_eq!(c["reproducible"], false);
    let mismatched: u64 =
        c["columns"].as_array().unwrap().iter().map(|x| x["mismatched"].as_u64().unwrap()).sum();
    assert_eq!(mismatched, 1);
    let column = c["columns"].as_array().unwrap().iter().find(|x| x["mismatched"] == 1).unwrap();
    assert_eq!(column["column"], "prediction");
    // Row numbers stay; the two values and the id are blanked.
    assert_eq!(column["examples"], json!([{"id": null, "row_a": 3, "row_b": 3, "a": null, "b": null}]));
    let s = &r["skew"];
    assert_eq!((s["joined"].as_u64(), s["skewed_features"].as_u64()), (Some(2), Some(1)));
    let temp = s["features"].as_array().unwrap().iter().find(|f| f["feature"] == "temp_max").unwrap();
    assert_eq!((temp["mismatch_count"].as_u64(), temp["skewed"].as_bool()), (Some(1), Some(true)));
    assert_eq!(temp["examples"][0]["b"], Value::Null);
    assert!(!text.contains("99.98765") && !text.contains("7.123456789"), "a raw value leaked");
}

#[test]
fn a_saved_report_renders_again_and_feeds_the_rubric() {
    let out = modelgate(&[&SAMPLE[..], &["--format", "json"]].concat());
    let saved = Scratch::new("saved.json", &String::from_utf8(out.stdout).unwrap());
    let direct = modelgate(&[&SAMPLE[..], &["--format", "markdown"]].concat());
    let again = modelgate(&["report", "--from", saved.path(), "--format", "markdown"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(String::from_utf8(again.stdout).unwrap(), String::from_utf8(direct.stdout).unwrap());
    let json_again = modelgate(&["report", "--from", saved.path(), "--format", "json"]);
    assert_eq!(json_again.stdout, fs::read(saved.path()).unwrap());

    let answers =
        Scratch::new("rubric-answers.csv", "id,status\nmodel-5,automated\nmonitoring-2,automated\n");
    let out = modelgate(&["rubric", "-a", answers.path(), "--report", saved.path(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "the baseline contradicts model-5");
    let scored = json_of(&out);
    let kinds: Vec<&str> =
        scored["evidence"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["drift", "schema", "nan_inf", "data_quality", "baseline", "slices"]);
    assert_eq!(scored["flags"][0]["item"], "model-5");

    // Drift twice (the report and the CSVs) is one source too many.
    let out = modelgate(&[
        "rubric",
        "-a",
        answers.path(),
        "--report",
        saved.path(),
        "--drift-reference",
        "web/sample/reference.csv",
        "--drift-current",
        "web/sample/current.csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!("error: {} and the other evidence options both give drift evidence; use one\n", saved.path())
    );
}

#[test]
fn inputs_that_make_no_report_are_errors() {
    let cases: [(&[&str], &str); 4] = [
        (&["report"], "error: nothing to report: give --reference and --current"),
        (
            &["report", "-r", "web/sample/reference.csv"],
            "error: --reference needs --current: drift compares the two",
        ),
        (
            &["report", "-c", "web/sample/current.csv"],
            "error: --current needs --reference (drift and quality) or --contract (quality)",
        ),
        (
            &["report", "--training", "web/sample/training.csv"],
            "error: --training goes with --predictions (baselines) or --serving (skew)",
        ),
    ];
    for (args, message) in cases {
        let out = modelgate(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with(message), "{args:?}: {stderr}");
    }
    let notes = Scratch::new("notes.json", r#"{"kind": "notes"}"#);
    let out = modelgate(&["report", "--from", notes.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "error: {}: not a modelgate report: \"kind\" is \"notes\", expected \"modelgate-report\"\n",
            notes.path()
        )
    );
    let newer = Scratch::new("newer.json", r#"{"kind": "modelgate-report", "format_version": 9}"#);
    let out = modelgate(&["report", "--from", newer.path(), "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("format_version 9, newer than this modelgate reads (2)"));
    // --from goes alone.
    let out = modelgate(&["report", "--from", notes.path(), "-r", "web/sample/reference.csv"]);
    assert_eq!(out.status.code(), Some(2));
}
