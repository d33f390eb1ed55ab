//! The whole report: every section in, raw values out, read back, and evidence for the
//! rubrics from each section (issues 6 and 7).

use modelgate_core::contract::{Contract, ContractOptions};
use modelgate_core::eval::{
    compare_predictions, evaluate, skew_report, CompareOptions, EvalOptions, EvalReport, SkewOptions, Table,
    TableIngest,
};
use modelgate_core::quality::{quality_report, QualityOptions, QualityReport, QualityScanner};
use modelgate_core::report::{
    to_html, to_json_pretty, to_markdown, Report, ReportErrorKind, REPORT_FORMAT_VERSION,
};
use modelgate_core::rubric::{self, Evidence, EvidenceKind, Severity};
use modelgate_core::{drift_report, CsvIngest, DriftOptions, IngestLimits};

const SECRET: &str = "SECRET-123";
const SECRET_NUMBER: &str = "987654321";

fn dataset(name: &str, text: &str) -> modelgate_core::Dataset {
    let mut ingest = CsvIngest::new(name);
    ingest.push(text.as_bytes()).unwrap();
    ingest.finish().unwrap()
}

fn table(name: &str, text: &str) -> Table {
    let mut ingest = TableIngest::new(name);
    ingest.push(text.as_bytes()).unwrap();
    ingest.finish().unwrap()
}

/// Reference: cities from a small set and ages 20-60. Current: row 21 holds text in the
/// numeric column (SECRET-123) and row 22 an age far out of range (987654321).
fn quality(current_text: &str) -> (modelgate_core::Dataset, modelgate_core::Dataset, QualityReport) {
    let mut reference_text = String::from("age,city\n");
    for i in 0..40 {
        reference_text.push_str(&format!("{},{}\n", 20 + i % 20, ["Lyon", "Paris", "Nice"][i % 3]));
    }
    let reference = dataset("reference.csv", &reference_text);
    let contract = Contract::infer(&reference, &ContractOptions::default());
    let scanner = QualityScanner::new(&contract, &QualityOptions::default());
    let mut ingest = CsvIngest::with_sink("current.csv", IngestLimits::default(), scanner);
    ingest.push(current_text.as_bytes()).unwrap();
    let (current, scan) = ingest.finish_with_sink().unwrap();
    let report = quality_report(Some(&reference), &current, &scan);
    (reference, current, report)
}

fn secret_current() -> String {
    let mut text = String::from("age,city\n");
    for i in 0..20 {
        text.push_str(&format!("{},{}\n", 25 + i % 10, ["Lyon", "Paris"][i % 2]));
    }
    text.push_str(&format!("{SECRET},Lyon\n{SECRET_NUMBER},Marseille\n"));
    text
}

/// Two prediction files that differ on one row, whose values are secret.
fn secret_comparison() -> (modelgate_core::eval::CompareReport, modelgate_core::eval::SkewReport) {
    let a = table("run-a.csv", &format!("id,prediction\nu1,0.5\nu2,{SECRET_NUMBER}\nu3,0.25\n"));
    let b = table("run-b.csv", &format!("id,prediction\nu1,0.5\nu2,{SECRET}\nu3,0.25\n"));
    let compare = compare_predictions(&a, &b, &CompareOptions::default()).unwrap();
    let training = table("training.csv", &format!("id,city\n{SECRET}-id,Lyon\nu2,{SECRET}\n"));
    let serving = table("serving.csv", &format!("id,city\n{SECRET}-id,Lyon\nu2,Paris-{SECRET}\n"));
    let skew = skew_report(&training, &serving, &SkewOptions::default()).unwrap();
    (compare, skew)
}

#[test]
fn exports_never_hold_a_raw_value() {
    let (reference, current, q) = quality(&secret_current());
    // The raw quality report does hold the values: the export must drop them.
    let raw = serde_json::to_string(&q).unwrap();
    assert!(raw.contains(SECRET), "{raw}");
    let (compare, skew) = secret_comparison();
    assert!(serde_json::to_string(&compare).unwrap().contains(SECRET));
    assert!(serde_json::to_string(&skew).unwrap().contains(SECRET));

    let report = Report::new()
        .with_drift(&drift_report(&reference, &current, &DriftOptions::default()))
        .with_quality(&q)
        .with_comparison(&compare)
        .with_skew(&skew);
    let json = to_json_pretty(&report);
    for (what, text) in
        [("json", json.as_str()), ("markdown", &to_markdown(&report)), ("html", &to_html(&report))]
    {
        assert!(!text.contains(SECRET), "{what} holds {SECRET}");
    }
    // The drift section keeps its summaries (the current maximum is 987654321, and category
    // labels feed the bars); the quality, comparison and skew sections name no value.
    for section in ["quality", "comparison", "skew"] {
        let text = report.sections().find(|(n, _)| *n == section).unwrap().1.to_json_string();
        assert!(!text.contains(SECRET_NUMBER) && !text.contains(SECRET), "{section}: {text}");
    }

    // Row numbers and counts stay.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = value["quality"]["findings"].as_array().unwrap();
    let changed = findings.iter().find(|f| f["kind"] == "type_change").unwrap();
    assert_eq!(changed["examples"], serde_json::json!([21]));
    assert_eq!(changed["values"], serde_json::json!([{"value": "[redacted]", "count": 1}]));
    assert!(
        changed["message"].as_str().unwrap().contains("\"[redacted]\" (1) in row 21"),
        "{}",
        changed["message"]
    );
    let unseen = findings.iter().find(|f| f["kind"] == "unseen_category").unwrap();
    assert_eq!(
        (unseen["examples"].clone(), unseen["count"].clone()),
        (serde_json::json!([22]), serde_json::json!(1))
    );
    assert!(!findings.iter().any(|f| f.to_string().contains("Marseille")));
    let example = &value["comparison"]["columns"][0]["examples"][0];
    assert_eq!(example, &serde_json::json!({"id": null, "row_a": 2, "row_b": 2, "a": null, "b": null}));
    let skewed = &value["skew"]["features"][0];
    assert_eq!(skewed["mismatch_count"], 1);
    assert_eq!(skewed["examples"][0]["row_a"], 2);
    assert_eq!(skewed["examples"][0]["a"], serde_json::Value::Null);
}

#[test]
fn out_of_range_extremes_are_blanked() {
    let mut text = String::from("age,city\n");
    for i in 0..20 {
        text.push_str(&format!("{},{}\n", 25 + i % 10, ["Lyon", "Paris"][i % 2]));
    }
    text.push_str(&format!("{SECRET_NUMBER},Lyon\n"));
    let (_, _, q) = quality(&text);
    let range =
        q.findings.iter().find(|f| f.kind == modelgate_core::quality::FindingKind::OutOfRange).unwrap();
    assert!(range.message.contains(SECRET_NUMBER), "{}", range.message);
    let report = Report::new().with_quality(&q);
    let section = report.quality.as_ref().unwrap().to_value();
    let message = section["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("(highest [redacted] in row 21)"), "{message}");
    assert_eq!(section["findings"][0]["examples"], serde_json::json!([21]));
    for text in [to_json_pretty(&report), to_markdown(&report), to_html(&report)] {
        assert!(!text.contains(SECRET_NUMBER));
    }
}

#[test]
fn a_saved_report_reads_back_the_same_and_is_sanitised_on_read() {
    let (reference, current, q) = quality(&secret_current());
    let report = Report::new()
        .with_drift(&drift_report(&reference, &current, &DriftOptions::default()))
        .with_quality(&q);
    let json = to_json_pretty(&report);
    let back = Report::from_json(&json).unwrap();
    assert_eq!(back, report);
    assert_eq!(to_json_pretty(&back), json);
    assert_eq!(back.format_version, REPORT_FORMAT_VERSION);

    // A report written by hand (or by an older tool) with raw values in it: read, they go.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["quality"]["findings"][0]["values"] = serde_json::json!([{"value": SECRET, "count": 1}]);
    value["quality"]["findings"][0]["message"] =
        serde_json::json!(format!("city: \"{SECRET}\" (1) in row 21"));
    value["drift"] = serde_json::Value::Null;
    let read = Report::from_json(&value.to_string()).unwrap();
    let out = to_json_pretty(&read);
    assert!(!out.contains(SECRET), "{out}");
    assert!(!to_markdown(&read).contains(SECRET));
}

#[test]
fn reading_a_report_names_what_is_wrong() {
    let err = |text: &str| Report::from_json(text).unwrap_err();
    let e = err("{\"kind\": \"notes\", \"format_version\": 2}");
    assert_eq!(e.kind, ReportErrorKind::NotAReport);
    assert_eq!(e.message, "not a modelgate report: \"kind\" is \"notes\", expected \"modelgate-report\"");
    let e = err("{\"kind\": \"modelgate-report\", \"format_version\": 3, \"modelgate\": \"9.0.0\"}");
    assert_eq!(e.kind, ReportErrorKind::NewerFormat);
    assert_eq!(
        e.message,
        "the report has format_version 3, newer than this modelgate reads (2); upgrade modelgate"
    );
    let e = err("{\"kind\": \"modelgate-report\", \"format_version\": 2, \"quality\": {\"errors\": 1}}");
    assert_eq!(e.kind, ReportErrorKind::Section);
    assert_eq!(e.message, "report section \"quality\": missing field `current`");
    let e = err("[1, 2]");
    assert_eq!(e.kind, ReportErrorKind::Json);
    let e = err("{\"kind\": \"modelgate-report\",");
    assert_eq!(e.kind, ReportErrorKind::Json);
    assert!(e.message.starts_with("not a JSON report: "), "{}", e.message);
    // A version-1 report (drift only) still reads.
    let v1 = "{\"kind\": \"modelgate-report\", \"format_version\": 1, \"modelgate\": \"0.1.0\"}";
    assert!(Report::from_json(v1).unwrap().is_empty());
    // Sections objects (the page's exportReport) name a misspelt key.
    let e = Report::from_sections_json("{\"qualty\": {}}").unwrap_err();
    assert_eq!(e.kind, ReportErrorKind::Section);
    assert!(e.message.contains("unknown field `qualty`"), "{}", e.message);
}

/// 90 rows of class "no", 10 of "yes"; the model says "yes" on half of each: accuracy 0.5,
/// while always answering "no" scores 0.9.
fn weak_model() -> EvalReport {
    let mut text = String::from("label,prediction,group\n");
    for i in 0..100 {
        let label = if i < 90 { "no" } else { "yes" };
        let prediction = if i % 2 == 0 { "yes" } else { "no" };
        text.push_str(&format!("{label},{prediction},{}\n", if i % 4 < 2 { "a" } else { "b" }));
    }
    let options = EvalOptions { sensitive: Some("group".into()), ..EvalOptions::default() };
    evaluate(&table("predictions.csv", &text), None, &options).unwrap()
}

fn score(rubric_id: &str, answers: &str, report: &Report) -> modelgate_core::rubric::RubricReport {
    let rubric = rubric::builtin(rubric_id).unwrap();
    let answers = rubric::parse_answers(rubric, "answers.csv", answers).unwrap();
    rubric::score(rubric, &answers, &Evidence::from(report))
}

fn error_flags(report: &modelgate_core::rubric::RubricReport) -> Vec<(&str, EvidenceKind)> {
    report.flags.iter().filter(|f| f.severity == Severity::Error).map(|f| (f.item.as_str(), f.kind)).collect()
}

#[test]
fn a_baseline_that_beats_the_model_contradicts_automated_model_5() {
    let evaluation = weak_model();
    let majority = evaluation.baselines.results.iter().find(|b| b.name == "majority").unwrap();
    let c = majority.comparison.as_ref().unwrap();
    assert_eq!((c.model, c.baseline), (0.5, Some(0.9)));

    let evidence = Evidence::from(&Report::new().with_evaluation(&evaluation));
    let baseline = evidence.baseline.as_ref().unwrap();
    assert_eq!(baseline.baseline_name, "majority");
    assert_eq!(baseline.verdict.as_deref(), Some("baseline_better"));
    assert_eq!((baseline.model, baseline.baseline), (0.5, 0.9));
    assert!(baseline.ci_high.unwrap() < 0.0, "{baseline:?}");
    let check = evidence.checks().into_iter().find(|c| c.kind == EvidenceKind::Baseline).unwrap();
    assert!(!check.passed);
    assert!(
        check
            .summary
            .starts_with("accuracy: majority (0.9) beats the model (0.5); 95% interval of the difference ["),
        "{}",
        check.summary
    );

    let report = Report::new().with_evaluation(&evaluation);
    let scored = score("ml-test-score-2017", "id,status\nmodel-5,automated\nmodel-6,manual\n", &report);
    let flags = error_flags(&scored);
    assert!(flags.contains(&("model-5", EvidenceKind::Baseline)), "{flags:?}");
    let scored = score("production-readiness", "id,status\nbaseline,automated\n", &report);
    assert!(error_flags(&scored).contains(&("baseline", EvidenceKind::Baseline)));
    // Answered not done, nothing is contradicted.
    let scored = score("ml-test-score-2017", "id,status\nmodel-5,not_done\n", &report);
    assert!(error_flags(&scored).is_empty());

    // Fairness: the model says "yes" as often in both groups, so the four-fifths rule holds.
    let fairness = evidence.fairness.as_ref().unwrap();
    assert_eq!((fairness.evaluated, fairness.failing.len()), (2, 0));
}

#[test]
fn quality_errors_contradict_the_data_invariant_items() {
    let (_, _, q) = quality(&secret_current());
    assert!(q.errors >= 2, "{q:?}");
    let evidence = modelgate_core::rubric::DataQualityEvidence::from(&q);
    assert_eq!(evidence.source, "current.csv");
    assert_eq!(evidence.errors, q.errors as u64);
    assert!(evidence.findings.contains(&"age (type change, 1 row)".to_string()), "{:?}", evidence.findings);
    assert!(evidence.findings.iter().all(|f| !f.contains(SECRET)));
    let report = Report::new().with_quality(&q);
    for (rubric_id, item) in [("ml-test-score-2017", "monitoring-2"), ("ml-test-score-2016", "monitoring-2")]
    {
        let scored = score(rubric_id, &format!("id,status\n{item},automated\n"), &report);
        assert!(error_flags(&scored).contains(&(item, EvidenceKind::DataQuality)), "{rubric_id}");
    }
    // Clean data: the same answer stands.
    let mut clean = String::from("age,city\n");
    for i in 0..20 {
        clean.push_str(&format!("{},{}\n", 25 + i % 10, ["Lyon", "Paris", "Nice"][i % 3]));
    }
    let (_, _, q) = quality(&clean);
    assert_eq!(q.errors, 0, "{q:?}");
    let scored =
        score("ml-test-score-2017", "id,status\nmonitoring-2,automated\n", &Report::new().with_quality(&q));
    assert!(error_flags(&scored).is_empty(), "{:?}", scored.flags);
}

#[test]
fn differing_runs_and_skewed_features_contradict_their_items() {
    let (compare, skew) = secret_comparison();
    let report = Report::new().with_comparison(&compare).with_skew(&skew);
    let evidence = Evidence::from(&report);
    let r = evidence.reproducibility.as_ref().unwrap();
    assert_eq!((r.reproducible, r.mismatched, r.unmatched), (Some(false), 1, 0));
    assert_eq!(evidence.skew.as_ref().unwrap().skewed, ["city"]);
    let scored = score("ml-test-score-2017", "id,status\ninfra-1,automated\nmonitoring-3,manual\n", &report);
    let flags = error_flags(&scored);
    assert!(flags.contains(&("infra-1", EvidenceKind::Reproducibility)), "{flags:?}");
    assert!(flags.contains(&("monitoring-3", EvidenceKind::Skew)), "{flags:?}");

    // The same file twice reproduces.
    let a = table("a.csv", "id,prediction\n1,0.5\n2,0.7\n");
    let same = compare_predictions(&a, &a, &CompareOptions::default()).unwrap();
    let scored =
        score("ml-test-score-2017", "id,status\ninfra-1,automated\n", &Report::new().with_comparison(&same));
    assert!(error_flags(&scored).is_empty());
}

#[test]
fn markdown_has_a_summary_and_a_part_per_section() {
    let (reference, current, q) = quality(&secret_current());
    let evaluation = weak_model();
    let report = Report::new()
        .with_drift(&drift_report(&reference, &current, &DriftOptions::default()))
        .with_quality(&q)
        .with_evaluation(&evaluation);
    let scored = score("ml-test-score-2017", "id,status\nmodel-5,automated\n", &report);
    let report = report.with_rubric(&scored);
    let md = to_markdown(&report);
    let summary = md.split("\n## Data drift").next().unwrap();
    assert!(summary.contains("## Summary\n\n- Data drift: "), "{md}");
    assert!(summary.contains(&format!("- Data quality: failed — {} errors", q.errors)), "{md}");
    assert!(summary.contains("- Model: failed — accuracy 0.5; strongest baseline `majority` 0.9"), "{md}");
    assert!(summary.contains("- Readiness: ML Test Score (2017) — final score 0 of at most"), "{summary}");
    for heading in [
        "## Data drift",
        "## Data quality",
        "## Model versus baselines",
        "### Fairness: `group`",
        "## Readiness rubric",
    ] {
        assert!(md.contains(heading), "{heading}\n{md}");
    }
    assert!(md.contains("| majority | 0.9 | 0.5 | -0.4 |"), "{md}");
    assert!(
        md.contains("| error | city | unseen category | 1 | ")
            || md.contains("| **error** | city | unseen category | 1 | "),
        "{md}"
    );
    assert!(md.contains("| Section | Score | Points |"), "{md}");
    assert!(md.contains("Answers the evidence contradicts:\n\n- **error** `model-5`"), "{md}");
}

#[test]
fn unequal_selection_rates_fail_the_four_fifths_rule() {
    // Group a: predicted "yes" on 30 of 40 rows (0.75); group b: on 10 of 40 (0.25 < 0.8 * 0.75).
    let mut text = String::from("label,prediction,group,size\n");
    for i in 0..80 {
        let group = if i < 40 { "a" } else { "b" };
        let yes = if i < 40 { i % 4 != 0 } else { i % 4 == 0 };
        let label = if i % 2 == 0 { "yes" } else { "no" };
        text.push_str(&format!("{label},{},{group},{}\n", if yes { "yes" } else { "no" }, i % 8));
    }
    let options = EvalOptions { sensitive: Some("group".into()), ..EvalOptions::default() };
    let evaluation = evaluate(&table("predictions.csv", &text), None, &options).unwrap();
    let fairness = evaluation.fairness.as_ref().unwrap();
    let rates: Vec<Option<f64>> = fairness.groups.iter().map(|g| g.selection_rate).collect();
    assert_eq!(rates, [Some(0.75), Some(0.25)]);

    let evidence = modelgate_core::rubric::GroupEvidence::fairness(&evaluation).unwrap();
    assert_eq!(evidence.metric, "selection rate (four-fifths rule)");
    assert_eq!((evidence.evaluated, evidence.failing.clone()), (2, vec!["group=b".to_string()]));
    let slices = modelgate_core::rubric::GroupEvidence::slices(&evaluation).unwrap();
    let groups: u64 = evaluation.slices.iter().map(|s| s.groups.len() as u64).sum();
    assert_eq!(slices.evaluated, groups);
    assert_eq!(slices.failing.len(), evaluation.weak_slices.len());

    let report = Report::new().with_evaluation(&evaluation);
    let scored = score("ml-test-score-2017", "id,status\nmodel-7,manual\n", &report);
    assert!(error_flags(&scored).contains(&("model-7", EvidenceKind::Fairness)), "{:?}", scored.flags);
    let check = scored.evidence.iter().find(|c| c.kind == EvidenceKind::Fairness).unwrap();
    assert_eq!(check.summary, "selection rate (four-fifths rule): 1 of 2 groups fall short: group=b");
}
