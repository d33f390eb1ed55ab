//! Issue 3, item 6: edge cases are findings in the report, never crashes or silent gaps.

use modelgate_core::{drift_report, ColumnDrift, CsvIngest, DriftOptions, DriftReport, Severity, Status};

fn load(name: &str, text: &str) -> modelgate_core::Dataset {
    let mut ingest = CsvIngest::new(name);
    ingest.push(text.as_bytes()).unwrap();
    ingest.finish().unwrap()
}

fn report(reference: &str, current: &str) -> DriftReport {
    drift_report(&load("ref.csv", reference), &load("cur.csv", current), &DriftOptions::default())
}

fn column<'a>(r: &'a DriftReport, name: &str) -> &'a ColumnDrift {
    r.columns.iter().find(|c| c.column == name).unwrap()
}

fn has(r: &DriftReport, code: &str, column: Option<&str>) -> bool {
    r.findings.iter().any(|f| f.code == code && f.column.as_deref() == column)
}

fn numbers(n: usize, f: impl Fn(usize) -> String) -> String {
    (0..n).map(|i| format!("{}\n", f(i))).collect()
}

#[test]
fn all_null_columns() {
    let r = report("a,b\n1,\n2,\n3,\n", "a,b\n1,x\n2,y\n3,z\n");
    assert_eq!(column(&r, "b").status, Status::Skipped);
    assert_eq!(column(&r, "b").note.as_deref(), Some("every reference value is null"));
    assert!(has(&r, "all_null", Some("b")));
    let r = report("a,b\n1,x\n2,y\n3,x\n", "a,b\n1,\n2,NA\n3,null\n");
    assert_eq!(column(&r, "b").note.as_deref(), Some("every current value is null"));
    assert!(has(&r, "all_null", Some("b")));
}

#[test]
fn header_only_file() {
    let r = report("a,b\n1,x\n2,y\n", "a,b\n");
    assert_eq!(r.current.rows, 0);
    assert_eq!(r.findings[0].severity, Severity::Error);
    assert_eq!(r.findings[0].code, "no_rows");
    assert!(r.columns.iter().all(|c| c.status == Status::Skipped));
    assert_eq!(column(&r, "a").note.as_deref(), Some("the current data has no rows"));
    let r = report("a,b\n", "a,b\n1,x\n");
    assert!(has(&r, "no_rows", None));
    assert_eq!(r.tested_columns, 0);
    assert!(!r.dataset_drift);
}

#[test]
fn different_column_sets() {
    let r = report("a,b\n1,2\n2,3\n3,4\n", "a,c\n1,2\n2,3\n3,4\n");
    assert_eq!(column(&r, "b").status, Status::MissingInCurrent);
    assert_eq!(column(&r, "c").status, Status::NewInCurrent);
    assert!(has(&r, "missing_column", Some("b")));
    assert!(has(&r, "new_column", Some("c")));
}

#[test]
fn a_column_whose_type_changes() {
    let r = report("a,b\n1,1.5\n2,2.5\n3,3.5\n", "a,b\n1,x\n2,y\n3,x\n");
    assert!(has(&r, "type_changed", Some("b")));
    let b = column(&r, "b");
    assert_eq!(b.current_type.map(|t| t.as_str()), Some("categorical"));
    // Both sides have few values: compared as categories, and the change is drift.
    assert_eq!(b.status, Status::Tested);
    assert_eq!(b.note.as_deref(), Some("type changed from numeric to categorical"));
}

#[test]
fn constant_reference_column() {
    let r = report(
        &format!("x\n{}", numbers(2000, |_| "5".into())),
        &format!("x\n{}", numbers(2000, |i| (i % 10).to_string())),
    );
    assert!(has(&r, "constant_reference", Some("x")));
    let x = column(&r, "x");
    assert_eq!(x.status, Status::Tested);
    assert!(x.drifted);
    let r = report(
        &format!("x\n{}", numbers(50, |_| "2.5".into())),
        &format!("x\n{}", numbers(50, |_| "2.5".into())),
    );
    let x = column(&r, "x");
    assert_eq!(x.status, Status::Tested);
    assert!(!x.drifted);
    assert!(x.metrics.values().all(|v| v.is_finite()), "{:?}", x.metrics);
}

#[test]
fn identifier_columns_are_left_out_with_the_reason() {
    let r = report(
        &format!("id,v\n{}", numbers(100, |i| format!("{i},{}", i % 3))),
        &format!("id,v\n{}", numbers(100, |i| format!("{},{}", i + 1000, i % 3))),
    );
    let id = column(&r, "id");
    assert_eq!(id.status, Status::Skipped);
    assert!(id.note.as_deref().unwrap().starts_with("identifier column"));
    assert!(has(&r, "identifier", Some("id")));
    // Text keys past the category cap: the distinct-count sketch still sees every value differ.
    let uuids = |seed: usize| {
        numbers(12_000, move |i| format!("k{:08x}-{seed}", i.wrapping_mul(2654435761) % 4294967291))
    };
    let r = report(&format!("key\n{}", uuids(1)), &format!("key\n{}", uuids(2)));
    assert_eq!(column(&r, "key").column_type.as_str(), "identifier");
    assert!(has(&r, "identifier", Some("key")));
}

#[test]
fn nan_and_infinities_are_counted_and_left_out() {
    let r = report("x\n1\n2\nNaN\ninf\n3\n4\n", "x\n1\n-inf\n2\n3\n4\nnan\n");
    let x = column(&r, "x");
    assert_eq!(x.status, Status::Tested);
    let rs = x.reference.as_ref().unwrap();
    assert_eq!((rs.counts.nan, rs.counts.pos_inf, rs.counts.numbers), (1, 1, 4));
    assert_eq!(x.metrics["ks_statistic"], 0.0);
    assert!(has(&r, "non_finite", Some("x")));
    assert!(x.metrics.values().all(|v| v.is_finite()));
}

#[test]
fn a_single_row() {
    let r = report("x,c\n1.5,a\n", "x,c\n2.5,b\n");
    let x = column(&r, "x");
    assert_eq!(x.status, Status::Tested);
    assert!(has(&r, "single_value", Some("x")));
    assert_eq!(x.metrics["ks_statistic"], 1.0);
    assert_eq!(column(&r, "c").status, Status::Tested);
}

#[test]
fn extreme_values_do_not_break_the_bins() {
    let r = report("x\n-1e308\n1e308\n0\n1\n", "x\n-1.7e308\n1.7e308\n2\n3\n");
    let x = column(&r, "x");
    assert_eq!(x.status, Status::Tested);
    assert!(x.metrics.contains_key("ks_statistic"));
    let r = report("x\n1e-320\n2e-320\n3e-320\n", "x\n4e-320\n5e-320\n6e-320\n");
    assert_eq!(column(&r, "x").metrics["ks_statistic"], 1.0);
}

#[test]
fn a_hostile_profile_file_is_an_error_not_an_abort() {
    let good = modelgate_core::ProfileBuilder::new("p", &["x"], Default::default()).finish().to_json();
    let huge = good
        .replace("\"rows\":0", "\"rows\":18000000000000000000")
        .replace("\"numbers\":0", "\"numbers\":18000000000000000000")
        .replace("\"exact_cap\":1000000", "\"exact_cap\":18000000000000000000")
        .replace("\"values\":[]", "\"values\":[1.5]")
        .replace("\"value_counts\":[]", "\"value_counts\":[18000000000000000000]")
        .replace("\"n\":0", "\"n\":18000000000000000000");
    assert_ne!(huge, good);
    let err = modelgate_core::DatasetProfile::from_json("p.json", &huge).unwrap_err().to_string();
    assert!(err.starts_with("p.json: malformed profile"), "{err}");
}
