//! `eval` on hand-made files: misaligned rows become findings with row numbers,
//! bad configuration becomes an error naming the file and column, odd input
//! never panics, and the slice, time, comparison and skew logic on cases whose
//! answer is known by construction.

use modelgate_core::eval::rng::Rng;
use modelgate_core::eval::{
    compare_predictions, evaluate, skew_report, CompareOptions, EvalOptions, EvalReport, Finding, Severity,
    SkewOptions, Table, TableIngest, Task,
};

fn table(name: &str, text: &str) -> Table {
    let mut ingest = TableIngest::new(name);
    ingest.push(text.as_bytes()).unwrap();
    ingest.finish().unwrap()
}

fn finding<'a>(report: &'a [Finding], code: &str) -> &'a Finding {
    report.iter().find(|f| f.code == code).unwrap_or_else(|| panic!("no finding {code}: {report:?}"))
}

fn quick() -> EvalOptions {
    EvalOptions { resamples: 50, ..EvalOptions::default() }
}

#[test]
fn misaligned_binary_rows_are_findings_with_row_numbers() {
    let t = table(
        "preds.csv",
        "id,label,prediction,score\n\
         a,1,1,0.9\n\
         b,,0,0.2\n\
         c,0,NA,0.3\n\
         d,1,1,NaN\n\
         e,0,0,1.5\n\
         f,0,0,0.1\n\
         g,1,0,0.4\n\
         h,0,1,0.6\n",
    );
    let r = evaluate(&t, None, &quick()).unwrap();
    assert_eq!(r.task, Task::Binary);
    assert_eq!(r.rows, 8);
    assert_eq!(r.rows_evaluated, 4);
    let f = finding(&r.findings, "missing_label");
    assert_eq!(
        (f.severity, f.rows.clone(), f.column.as_deref()),
        (Severity::Warning, vec![2], Some("label"))
    );
    let f = finding(&r.findings, "missing_prediction");
    assert_eq!((f.severity, f.rows.clone()), (Severity::Error, vec![3]));
    assert_eq!(finding(&r.findings, "non_finite_probability").rows, vec![4]);
    assert_eq!(finding(&r.findings, "probability_out_of_range").rows, vec![5]);
    assert_eq!(r.findings[0].severity, Severity::Error, "errors are listed first");
    assert!(!r.verdict.passed);
    assert!(r.verdict.reasons.iter().any(|m| m.contains("error severity")), "{:?}", r.verdict.reasons);
    // The metrics are those of the four usable rows: a, f, g, h.
    assert_eq!(r.metrics.get("accuracy"), Some(0.5));
}

#[test]
fn multiclass_unknown_classes_and_probability_sums() {
    let t = table(
        "m.csv",
        "label,prediction,proba_a,proba_b,proba_c,when\n\
         a,a,0.8,0.1,0.1,2024-01-01\n\
         b,b,0.1,0.8,0.1,2024-01-02\n\
         d,a,0.6,0.2,0.2,2024-01-03\n\
         c,e,0.2,0.2,0.6,yesterday\n\
         c,c,0.1,0.1,0.7,2024-01-05\n\
         a,b,0.3,0.4,0.3,2024-01-06\n",
    );
    let opts = EvalOptions { timestamp: Some("when".into()), ..quick() };
    let r = evaluate(&t, None, &opts).unwrap();
    assert_eq!(r.task, Task::Multiclass);
    assert_eq!(r.classes, ["a", "b", "c"]);
    assert_eq!(finding(&r.findings, "unknown_label_class").rows, vec![3]);
    let f = finding(&r.findings, "unknown_predicted_class");
    assert_eq!((f.severity, f.rows.clone()), (Severity::Error, vec![4]));
    let f = finding(&r.findings, "probabilities_do_not_sum_to_one");
    assert_eq!((f.severity, f.rows.clone()), (Severity::Warning, vec![5]));
    assert_eq!(r.rows_evaluated, 4);
    assert!(
        r.findings.iter().all(|f| f.code != "unparsable_timestamp"),
        "row 4 was excluded before the time analysis"
    );
}

#[test]
fn unparsable_timestamps_are_left_out_of_the_time_analysis() {
    let t =
        table("t.csv", "date,label,prediction\n2024-01-01,1,1\n2024-02-30,0,0\nsoon,1,0\n2024-01-03,0,0\n");
    let r = evaluate(&t, None, &quick()).unwrap();
    let f = finding(&r.findings, "unparsable_timestamp");
    assert_eq!((f.rows.clone(), f.column.as_deref()), (vec![2, 3], Some("date")));
    assert_eq!(r.time.as_ref().unwrap().rows, 2);
    assert_eq!(r.rows_evaluated, 4, "a bad timestamp does not remove the row from the metrics");
}

#[test]
fn regression_findings() {
    let t = table("r.csv", "target,prediction\n1.5,1.0\nabc,2.0\n3.0,inf\n4.0,\n5.0,5.5\n2.0,2.5\n");
    let r = evaluate(&t, None, &EvalOptions { task: Some(Task::Regression), ..quick() }).unwrap();
    assert_eq!(r.task, Task::Regression);
    assert_eq!(finding(&r.findings, "non_numeric_label").rows, vec![2]);
    assert_eq!(finding(&r.findings, "non_finite_prediction").rows, vec![3]);
    assert_eq!(finding(&r.findings, "missing_prediction").rows, vec![4]);
    assert_eq!(r.rows_evaluated, 3);
    assert_eq!(r.metrics.get("mae"), Some(0.5));
}

#[test]
fn bad_configuration_is_an_error_naming_file_and_column() {
    let t = table("p.csv", "label,prediction,score\n1,1,0.9\n0,0,0.1\n");
    let e = evaluate(&t, None, &EvalOptions { sensitive: Some("gender".into()), ..quick() }).unwrap_err();
    assert_eq!(e.code, "missing_column");
    assert_eq!(e.to_string(), "p.csv: no column \"gender\" for the sensitive attribute (columns: \"label\", \"prediction\", \"score\")");
    let e = evaluate(&table("q.csv", "a,b\n1,1\n"), None, &quick()).unwrap_err();
    assert_eq!(e.code, "no_label_column");
    assert!(e.to_string().starts_with("q.csv: no label column"), "{e}");
    let e = evaluate(&table("s.csv", "label,prediction,score\n1,1,0.9\n2,0,0.1\n0,0,0.3\n"), None, &quick())
        .unwrap_err();
    assert_eq!(e.code, "bad_option");
    assert!(e.to_string().contains("3 classes"), "{e}");
    let e = evaluate(&t, None, &EvalOptions { metric: Some("r2".into()), ..quick() }).unwrap_err();
    assert!(e.to_string().starts_with("metric \"r2\" is not available"), "{e}");
    let e = evaluate(&t, None, &EvalOptions { confidence: 1.5, ..quick() }).unwrap_err();
    assert_eq!(e.code, "bad_option");
    let e = evaluate(&table("n.csv", "label,prediction\n,1\n,0\n"), None, &quick()).unwrap_err();
    assert_eq!(e.code, "no_rows");
    assert!(e.to_string().contains("missing_label in 2 rows"), "{e}");
}

#[test]
fn predictions_are_derived_from_scores_and_probabilities() {
    let t = table("s.csv", "y,score\n1,0.9\n0,0.5\n1,0.51\n0,0.2\n");
    let r = evaluate(&t, None, &quick()).unwrap();
    assert!(r.prediction_derived);
    // 0.5 is not above the 0.5 threshold: predicted 0, as LogisticRegression.predict.
    assert_eq!(r.metrics.get("accuracy"), Some(1.0));
    let t = table("p.csv", "label,proba_x,proba_y,proba_z\nx,0.5,0.5,0\ny,0.2,0.3,0.5\nz,0.1,0.1,0.8\n");
    let r = evaluate(&t, None, &quick()).unwrap();
    // Ties go to the first class, as np.argmax: row 1 is predicted x.
    let cm = r.confusion.unwrap();
    assert_eq!(cm.labels, ["x", "y", "z"]);
    assert_eq!(cm.matrix, vec![vec![1, 0, 0], vec![0, 0, 1], vec![0, 0, 1]]);
}

/// The checklist's example: 80% accuracy overall, 55% for one age group.
#[test]
fn the_weak_age_group_is_flagged() {
    let mut text = String::from("age_group,label,prediction\n");
    // 20 rows of 20-30 with 11 right (55%), 80 others with 69 right: 80/100 overall.
    for i in 0..20 {
        text.push_str(&format!("20-30,1,{}\n", u8::from(i < 11)));
    }
    for i in 0..80 {
        text.push_str(&format!("{},1,{}\n", if i % 2 == 0 { "30-40" } else { "40-50" }, u8::from(i < 69)));
    }
    let r = evaluate(&table("ages.csv", &text), None, &quick()).unwrap();
    assert_eq!(r.metrics.get("accuracy"), Some(0.8));
    let weak = &r.weak_slices[0];
    assert_eq!((weak.column.as_str(), weak.value.as_str(), weak.rows), ("age_group", "20-30", 20));
    assert_eq!(weak.value_metric, 0.55);
    assert!((weak.shortfall - 0.3125).abs() < 1e-15, "(0.8 - 0.55) / 0.8");
    let groups = &r.slices.iter().find(|s| s.column == "age_group").unwrap().groups;
    assert_eq!(groups.iter().filter(|g| g.weak).count(), 1);
}

fn monthly(accuracies: &[usize]) -> String {
    // 20 rows per month from January 2023; `k` of them right.
    let mut text = String::from("timestamp,label,prediction\n");
    for (m, &k) in accuracies.iter().enumerate() {
        for i in 0..20 {
            text.push_str(&format!("2023-{:02}-{:02}T08:00:00Z,1,{}\n", m + 1, 1 + i, u8::from(i < k)));
        }
    }
    text
}

#[test]
fn a_drop_of_five_percent_suggests_a_retraining_interval() {
    // 90%, 90%, 85% (5.6% down, the first drop of 5%), 80%.
    let r = evaluate(&table("m.csv", &monthly(&[18, 18, 17, 16])), None, &quick());
    let t = r.unwrap().time.unwrap();
    assert!(t.automatic);
    // Days hold 1 row and weeks at most 7, fewer than the 20 rows a period needs by default.
    assert_eq!(serde_json::to_value(t.period).unwrap(), "month");
    assert_eq!(t.degraded_period.as_deref(), Some("2023-03"));
    let r = evaluate(
        &table("m.csv", &monthly(&[18, 18, 17, 16])),
        None,
        &EvalOptions { period: Some(modelgate_core::eval::Period::Month), ..quick() },
    )
    .unwrap();
    let t = r.time.unwrap();
    assert_eq!(
        t.periods.iter().map(|p| p.period.as_str()).collect::<Vec<_>>(),
        ["2023-01", "2023-02", "2023-03", "2023-04"]
    );
    assert_eq!(t.degraded_period.as_deref(), Some("2023-03"));
    assert_eq!((t.degraded_after_periods, t.degraded_after_days), (Some(2), Some(59)));
    assert_eq!(
        t.suggestion,
        "accuracy is 5% or more worse than in the first period (2023-01) by 2023-03, 2 months later: consider retraining at least every 2 months"
    );
    assert!(t.slope.unwrap() < 0.0);
    let flat = evaluate(
        &table("f.csv", &monthly(&[18, 18, 18])),
        None,
        &EvalOptions { period: Some(modelgate_core::eval::Period::Month), ..quick() },
    )
    .unwrap()
    .time
    .unwrap();
    assert_eq!(flat.degraded_period, None);
    assert!(
        flat.suggestion.starts_with("accuracy is never 5% worse than in the first period over 3 months"),
        "{}",
        flat.suggestion
    );
}

#[test]
fn a_baseline_that_matches_the_model_fails_the_verdict() {
    // The model always says 1 and so does the majority class.
    let mut text = String::from("label,prediction\n");
    for i in 0..50 {
        text.push_str(&format!("{},1\n", u8::from(i % 5 != 0)));
    }
    let r = evaluate(&table("maj.csv", &text), None, &quick()).unwrap();
    let majority = r.baselines.results.iter().find(|b| b.name == "majority").unwrap();
    let c = majority.comparison.as_ref().unwrap();
    assert_eq!((c.model, c.baseline, c.difference), (0.8, Some(0.8), Some(0.0)));
    assert_eq!(c.gain, Some(0.0));
    assert_eq!(serde_json::to_value(c.verdict).unwrap(), "no_significant_difference");
    assert!(!r.verdict.passed);
    assert!(
        r.verdict.reasons[0].starts_with("the majority baseline matches the model on accuracy"),
        "{:?}",
        r.verdict.reasons
    );
    assert_eq!(r.baselines.fitted_on, "evaluated_rows");
}

fn report_json(r: &EvalReport) -> serde_json::Value {
    serde_json::to_value(r).unwrap()
}

/// Random small files of nulls, NaNs, text, numbers and dates: evaluate returns
/// a report or an error, and never panics.
#[test]
fn odd_input_never_panics() {
    let mut rng = Rng::new(2026);
    let cells =
        ["", "NA", "NaN", "inf", "-1", "0", "1", "2", "0.5", "1.5", "x", "2024-01-01", "true", "1e308"];
    for case in 0..300 {
        let rows = 1 + rng.below(12);
        let mut text = String::from("label,prediction,score,x,group,timestamp\n");
        for _ in 0..rows {
            let row: Vec<&str> = (0..6).map(|_| cells[rng.below(cells.len())]).collect();
            text.push_str(&row.join(","));
            text.push('\n');
        }
        let t = table("fuzz.csv", &text);
        for task in [None, Some(Task::Regression), Some(Task::Classification)] {
            let opts = EvalOptions {
                task,
                sensitive: Some("group".into()),
                resamples: 20,
                ..EvalOptions::default()
            };
            if let Ok(r) = evaluate(&t, Some(&t), &opts) {
                // The JSON report is always serialisable (NaN never reaches it).
                let json = report_json(&r);
                assert!(json["rows_evaluated"].as_u64().unwrap() <= rows as u64, "case {case}");
            }
        }
        let _ = compare_predictions(&t, &t, &CompareOptions::default());
        let _ = skew_report(&t, &t, &SkewOptions { id: Some("x".into()), ..SkewOptions::default() });
    }
}

#[test]
fn compare_predictions_joined_by_id() {
    let a = table("a.csv", "id,prediction,score\n1,1,0.9\n2,0,0.2\n3,1,0.7\n4,0,NaN\n5,1,0.6\n5,1,0.6\n");
    let b = table("b.csv", "id,prediction,score\n2,0,0.2\n1,1,0.9000001\n3,0,0.4\n4,0,NaN\n6,1,0.5\n");
    let r = compare_predictions(&a, &b, &CompareOptions::default()).unwrap();
    assert_eq!(r.id.as_deref(), Some("id"));
    assert_eq!((r.joined, r.only_in_a, r.only_in_b), (4, 1, 1));
    let pred = &r.columns[0];
    assert_eq!((pred.column.as_str(), pred.compared, pred.mismatched), ("prediction", 4, 1));
    assert_eq!(pred.mismatch_share, 0.25);
    assert_eq!(pred.examples[0].id.as_deref(), Some("3"));
    assert_eq!((pred.examples[0].row_a, pred.examples[0].row_b), (3, 3));
    let score = &r.columns[1];
    assert_eq!((score.mismatched, score.non_finite_a, score.non_finite_b), (2, 1, 1));
    assert!((score.max_abs_difference.unwrap() - 0.3).abs() < 1e-12);
    assert_eq!(finding(&r.findings, "duplicate_id").rows, vec![6]);
    assert_eq!(finding(&r.findings, "non_finite_prediction").rows, vec![4]);
    assert!(!r.reproducible);
    // With a tolerance the tiny score difference is not a mismatch.
    let loose = compare_predictions(&a, &b, &CompareOptions { tolerance: 1e-6, ..CompareOptions::default() })
        .unwrap();
    assert_eq!(loose.columns[1].mismatched, 1);
    // A file against itself is reproducible, joined by order when there is no id.
    let same = table("p.csv", "prediction,score\n1,0.9\n0,0.1\n");
    let r = compare_predictions(&same, &same, &CompareOptions::default()).unwrap();
    assert!(r.reproducible && r.id.is_none() && r.joined == 2);
    let short = table("q.csv", "prediction,score\n1,0.9\n");
    let r = compare_predictions(&same, &short, &CompareOptions::default()).unwrap();
    assert_eq!((r.joined, r.only_in_a, r.reproducible), (1, 1, false));
    assert_eq!(finding(&r.findings, "row_count_differs").severity, Severity::Error);
}

#[test]
fn skew_counts_as_tfdv() {
    let training = table(
        "train.csv",
        "id,age,city,income\n1,30,Lyon,100\n2,40,Paris,\n3,50,Nice,300\n4,60,Lyon,400\n9,1,x,1\n",
    );
    let serving = table("serve.csv", "id,age,city,income,extra\n1,30.0,Lyon,100,a\n2,41,Paris,200,b\n3,50,nice,,c\n4,60,Lyon,400,d\n7,1,y,1,z\n");
    let r = skew_report(&training, &serving, &SkewOptions::default()).unwrap();
    assert_eq!((r.joined, r.training_only_rows, r.serving_only_rows), (4, 1, 1));
    let f = |name: &str| r.features.iter().find(|f| f.feature == name).unwrap();
    let age = f("age");
    assert_eq!((age.match_count, age.mismatch_count, age.diff_count), (3, 1, 1), "30 and 30.0 match");
    assert_eq!(age.max_abs_difference, Some(1.0));
    let city = f("city");
    assert_eq!(
        (city.mismatch_count, city.examples[0].a.as_deref(), city.examples[0].b.as_deref()),
        (1, Some("Nice"), Some("nice"))
    );
    let income = f("income");
    assert_eq!((income.training_count, income.serving_count), (3, 3));
    assert_eq!((income.training_only, income.serving_only, income.diff_count), (1, 1, 2));
    assert_eq!(income.mismatch_share, 0.5);
    assert_eq!(r.skewed_features, 3);
    assert_eq!(finding(&r.findings, "feature_only_in_serving").column.as_deref(), Some("extra"));
    let tolerant =
        skew_report(&training, &serving, &SkewOptions { max_mismatch_share: 0.3, ..SkewOptions::default() })
            .unwrap();
    assert_eq!(tolerant.skewed_features, 1);
    let e = skew_report(&table("a.csv", "x\n1\n"), &table("b.csv", "x\n1\n"), &SkewOptions::default())
        .unwrap_err();
    assert_eq!(e.code, "no_id_column");
}
