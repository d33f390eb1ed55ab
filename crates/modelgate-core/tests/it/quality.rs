//! Data-quality fixtures: each folder of `tests/data/quality/` holds a
//! `reference.csv` and a `current.csv` (or an `inputs.json` naming them), and
//! optionally a `contract.json` to check against instead of the one inferred from
//! the reference. The current file is scanned whole and in small chunks, and the
//! report must be the same each time and equal `expected.json`
//! (`UPDATE_EXPECT=1` rewrites it). The findings that each folder is there for
//! are also asserted by hand below, with their counts and example rows.

use std::fs;
use std::path::{Path, PathBuf};

use modelgate_core::contract::{Contract, ContractOptions};
use modelgate_core::quality::{
    quality_report, FindingKind, QualityOptions, QualityReport, QualityScanner, Severity,
};
use modelgate_core::{CsvIngest, Dataset, IngestLimits};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dir() -> PathBuf {
    repo().join("tests/data/quality")
}

fn ingest(name: &str, bytes: &[u8]) -> Dataset {
    let mut ingest = CsvIngest::new(name);
    ingest.push(bytes).unwrap();
    ingest.finish().unwrap()
}

fn scan(name: &str, bytes: &[u8], contract: &Contract, chunk: usize) -> (Dataset, QualityScanner) {
    let scanner = QualityScanner::new(contract, &QualityOptions::default());
    let mut ingest = CsvIngest::with_sink(name, IngestLimits::default(), scanner);
    for piece in bytes.chunks(chunk.max(1)) {
        ingest.push(piece).unwrap();
    }
    ingest.finish_with_sink().unwrap()
}

/// Runs one case folder and returns its report.
fn run_case(case: &str) -> QualityReport {
    let folder = dir().join(case);
    let (reference_path, current_path) = match fs::read_to_string(folder.join("inputs.json")) {
        Ok(text) => {
            let inputs: Value = serde_json::from_str(&text).unwrap();
            (
                repo().join(inputs["reference"].as_str().unwrap()),
                repo().join(inputs["current"].as_str().unwrap()),
            )
        }
        Err(_) => (folder.join("reference.csv"), folder.join("current.csv")),
    };
    let reference = ingest("reference.csv", &fs::read(reference_path).unwrap());
    let contract = match fs::read_to_string(folder.join("contract.json")) {
        Ok(text) => Contract::from_json(&text).unwrap(),
        Err(_) => Contract::infer(&reference, &ContractOptions::default()),
    };
    let bytes = fs::read(current_path).unwrap();
    let (current, scanner) = scan("current.csv", &bytes, &contract, bytes.len());
    let report = quality_report(Some(&reference), &current, &scanner);
    for chunk in [1, 7, 64] {
        let (current, scanner) = scan("current.csv", &bytes, &contract, chunk);
        assert_eq!(quality_report(Some(&reference), &current, &scanner), report, "{case}: chunks of {chunk}");
    }
    report
}

fn cases() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn quality_fixtures() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let names = cases();
    assert!(names.len() >= 20, "fixtures missing: {names:?}");
    let mut failures = Vec::new();
    let mut kinds_seen = std::collections::BTreeSet::new();
    for case in &names {
        let report = run_case(case);
        kinds_seen.extend(report.findings.iter().map(|f| f.kind));
        let actual = serde_json::to_value(&report).unwrap();
        let path = dir().join(case).join("expected.json");
        if update {
            fs::write(&path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value = match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).unwrap(),
            Err(_) => {
                failures.push(format!("{case}: no expected.json"));
                continue;
            }
        };
        if expected != actual {
            failures.push(format!(
                "{case}:\nexpected {}\n     got {}",
                serde_json::to_string_pretty(&expected["findings"]).unwrap(),
                serde_json::to_string_pretty(&actual["findings"]).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let all = [
        FindingKind::MissingColumn,
        FindingKind::NewColumn,
        FindingKind::TypeChange,
        FindingKind::NullNotAllowed,
        FindingKind::NullShareJump,
        FindingKind::NanPresent,
        FindingKind::InfPresent,
        FindingKind::OutOfRange,
        FindingKind::UnseenCategory,
        FindingKind::VanishedCategory,
        FindingKind::LengthOutOfRange,
        FindingKind::DuplicateValues,
        FindingKind::ConstantColumn,
        FindingKind::DuplicatedRows,
        FindingKind::MixedTypes,
        FindingKind::IdentifierLike,
        FindingKind::MostlyNullRows,
    ];
    let missing: Vec<_> = all.iter().filter(|k| !kinds_seen.contains(k)).collect();
    assert!(missing.is_empty(), "finding kinds no fixture shows: {missing:?}");
}

/// One finding as the tests compare it: severity, kind, column, count and example rows.
type Summary<'a> = (Severity, FindingKind, Option<&'a str>, u64, &'a [u64]);
type Expect = Summary<'static>;

fn assert_findings(case: &str, expected: &[Expect]) {
    let report = run_case(case);
    let got: Vec<Summary<'_>> = report
        .findings
        .iter()
        .map(|f| (f.severity, f.kind, f.column.as_deref(), f.count, f.examples.as_slice()))
        .collect();
    assert_eq!(got, expected, "{case}: {:#?}", report.findings);
    assert_eq!(report.passed, !expected.iter().any(|e| e.0 == Severity::Error), "{case}");
}

use FindingKind as K;
use Severity::{Error as E, Info as I, Warning as W};

#[test]
fn each_finding_on_its_fixture() {
    assert_findings("clean", &[]);
    assert_findings(
        "missing_column",
        &[(E, K::MissingColumn, Some("c"), 10, &[]), (W, K::MissingColumn, Some("n"), 10, &[])],
    );
    assert_findings(
        "new_column",
        &[(E, K::NewColumn, Some("session"), 12, &[]), (E, K::NewColumn, Some("z"), 12, &[])],
    );
    assert_findings(
        "new_column_allowed",
        &[(I, K::NewColumn, Some("session"), 12, &[]), (I, K::NewColumn, Some("z"), 12, &[])],
    );
    // "thirty", "40 years" and 41.5 are not whole numbers; the rows are 4, 8 and 9.
    assert_findings("type_change", &[(E, K::TypeChange, Some("age"), 3, &[4, 8, 9])]);
    assert_findings(
        "null_not_allowed",
        &[(E, K::NullNotAllowed, Some("x"), 2, &[2, 5]), (E, K::NullNotAllowed, Some("y"), 1, &[9])],
    );
    // 12 of 20 rows null against 10% in the reference (+10 points allowed).
    assert_findings("null_share_jump", &[(E, K::NullShareJump, Some("x"), 12, &[1, 2, 5, 6, 7])]);
    assert_findings(
        "nan_inf",
        &[
            (E, K::NanPresent, Some("x"), 2, &[4, 9]),
            (E, K::InfPresent, Some("x"), 2, &[6, 7]),
            (I, K::NanPresent, Some("y"), 2, &[]),
        ],
    );
    // 101 is within the contract's range: 0..=100 widened by 10% of its width, so 110.
    assert_findings(
        "out_of_range",
        &[(E, K::OutOfRange, Some("pct"), 2, &[3, 6]), (E, K::OutOfRange, Some("temp"), 2, &[2, 8])],
    );
    assert_findings("unseen_category", &[(E, K::UnseenCategory, Some("plan"), 4, &[2, 5, 6, 9])]);
    // "c" held 20% of the reference: 8 of the 40 current rows were expected to hold it.
    assert_findings("vanished_category", &[(W, K::VanishedCategory, Some("grade"), 1, &[])]);
    assert_findings("length_out_of_range", &[(E, K::LengthOutOfRange, Some("zip"), 2, &[2, 4])]);
    // 1007 repeats within the batch (rows 4 and 6); 1014 was in the reference only, which is fine.
    assert_findings("duplicate_values", &[(E, K::DuplicateValues, Some("user_id"), 1, &[6])]);
    assert_findings(
        "constant_column",
        &[(W, K::ConstantColumn, Some("country"), 10, &[]), (I, K::ConstantColumn, Some("unit"), 10, &[])],
    );
    assert_findings("duplicated_rows", &[(W, K::DuplicatedRows, None, 3, &[4, 6, 7])]);
    // "2024-02-30" reads as a date: the classifier checks ranges, not the calendar.
    assert_findings(
        "mixed_types",
        &[(W, K::MixedTypes, Some("code"), 2, &[1, 4]), (W, K::MixedTypes, Some("when"), 2, &[3, 6])],
    );
    assert_findings("identifier_like", &[(I, K::IdentifierLike, Some("row"), 25, &[])]);
    // Row 8 has exactly half its columns null: not more than half.
    assert_findings("mostly_null_rows", &[(W, K::MostlyNullRows, None, 2, &[3, 6])]);
    // A form breaks: two features stop arriving altogether.
    assert_findings(
        "all_null",
        &[
            (E, K::NullNotAllowed, Some("income"), 15, &[1, 2, 3, 4, 5]),
            (E, K::NullNotAllowed, Some("country"), 15, &[1, 2, 3, 4, 5]),
            (W, K::MostlyNullRows, None, 15, &[1, 2, 3, 4, 5]),
        ],
    );
    assert_findings("decimal_comma", &[(E, K::OutOfRange, Some("poids"), 2, &[2, 3])]);
}

#[test]
fn messages_name_values_rows_and_reference_figures() {
    let report = run_case("out_of_range");
    assert_eq!(
        report.findings[0].message,
        "pct: 2 values (20.0%) outside the contract's range: 1 below the minimum 0 (lowest -5 in row 3), \
         1 above the maximum 110 (highest 250 in row 6); the reference ranged from 0 to 100; rows 3, 6"
    );
    let report = run_case("unseen_category");
    let f = &report.findings[0];
    let values: Vec<(&str, u64)> = f.values.iter().map(|v| (v.value.as_str(), v.count)).collect();
    assert_eq!(values, [("enterprise", 2), ("Pro", 1), ("trial", 1)]);
    let report = run_case("duplicated_rows");
    assert!(report.findings[0]
        .message
        .contains("row 4 repeats row 2, row 6 repeats row 1, row 7 repeats row 2"));
    let report = run_case("all_null");
    assert!(
        report.findings[0].message.contains("; the column is now entirely null"),
        "{}",
        report.findings[0].message
    );
    let report = run_case("null_share_jump");
    assert_eq!(
        report.findings[0].message,
        "x: the null share rose from 10.0% in the reference to 60.0% (12 of 20 rows), above the 20% the contract allows: rows 1, 2, 5, 6, 7"
    );
}

#[test]
fn real_wine_breakages_are_all_found() {
    let report = run_case("real_wine");
    let has = |severity: Severity, kind: FindingKind, column: Option<&str>| {
        report
            .findings
            .iter()
            .find(|f| f.severity == severity && f.kind == kind && f.column.as_deref() == column)
    };
    // Alcohol sent as per mille in six rows (unit change): rows 5, 10, 16, 23, 32 and 41
    // hold 10x values. Three natural wines also fall outside the widened range.
    let alcohol = has(E, K::OutOfRange, Some("alcohol")).expect("alcohol out of range");
    assert_eq!(alcohol.count, 9);
    assert!(
        alcohol.message.contains("8 above the maximum 14.688 (highest 138.2 in row 23)"),
        "{}",
        alcohol.message
    );
    // Magnesium blank in the first 30 rows, and in the 3 copies of rows 2-4; the reference had no nulls.
    assert_eq!(has(E, K::NullNotAllowed, Some("magnesium")).unwrap().count, 33);
    // A cultivar label the model never saw.
    let cultivar = has(E, K::UnseenCategory, Some("cultivar")).unwrap();
    assert_eq!((cultivar.count, cultivar.examples.as_slice()), (2, &[6u64, 18][..]));
    assert_eq!(cultivar.values[0].value, "class_3");
    // Sensor faults.
    assert_eq!(has(E, K::NanPresent, Some("color_intensity")).unwrap().examples, [9, 34]);
    assert_eq!(has(E, K::InfPresent, Some("color_intensity")).unwrap().examples, [13]);
    // A text placeholder in a numeric column.
    let hue = has(E, K::TypeChange, Some("hue")).unwrap();
    assert_eq!(
        (hue.count, hue.examples.as_slice(), hue.values[0].value.as_str()),
        (1, &[28u64][..], "unknown")
    );
    // Rows ingested twice, and an identifier added upstream.
    let dup = has(W, K::DuplicatedRows, None).unwrap();
    assert_eq!(dup.examples, [59, 60, 61]);
    assert!(has(E, K::NewColumn, Some("sample_id")).is_some());
    assert!(!report.passed);
}

#[test]
fn real_cars_shows_real_nulls_and_range_changes() {
    let report = run_case("real_cars");
    // Horsepower has real nulls in both periods: allowed, and within the null share.
    assert!(!report
        .findings
        .iter()
        .any(|f| f.column.as_deref() == Some("Horsepower") && f.kind == K::NullShareJump));
    // Later cars are more fuel-efficient than any before 1977 (with 10% of range tolerance).
    let mpg = report.findings.iter().find(|f| f.column.as_deref() == Some("Miles_per_Gallon")).unwrap();
    assert_eq!(mpg.kind, K::OutOfRange);
    assert!(mpg.message.contains("above the maximum"), "{}", mpg.message);
}

#[test]
fn a_contract_check_needs_no_reference() {
    let folder = dir().join("unseen_category");
    let reference = ingest("reference.csv", &fs::read(folder.join("reference.csv")).unwrap());
    let contract = Contract::infer(&reference, &ContractOptions::default());
    let bytes = fs::read(folder.join("current.csv")).unwrap();
    let (current, scanner) = scan("current.csv", &bytes, &contract, bytes.len());
    let report = quality_report(None, &current, &scanner);
    assert!(report.reference.is_none());
    assert_eq!(report.findings.iter().map(|f| f.kind).collect::<Vec<_>>(), [K::UnseenCategory]);
    assert_eq!(report.contract.hash, contract.hash());
}

#[test]
fn duplicate_tracking_is_bounded() {
    let contract = Contract::infer(
        &ingest("r.csv", b"a\n1\n2\n"),
        &ContractOptions { range_tolerance: 1e9, ..Default::default() },
    );
    let options = QualityOptions { max_tracked_rows: 3, ..QualityOptions::default() };
    let scanner = QualityScanner::new(&contract, &options);
    let mut ingest = CsvIngest::with_sink("c.csv", IngestLimits::default(), scanner);
    ingest.push(b"a\n1\n2\n3\n4\n5\n1\n").unwrap();
    let (current, scanner) = ingest.finish_with_sink().unwrap();
    let report = quality_report(None, &current, &scanner);
    let dup = report.findings.iter().find(|f| f.kind == K::DuplicatedRows).unwrap();
    assert_eq!(dup.count, 1);
    assert!(
        dup.message.contains("; 2 rows past the first 3 distinct rows were not checked"),
        "{}",
        dup.message
    );
    // A single column of five values allows five distinct rows: repeats are expected.
    assert_eq!(dup.severity, Severity::Info);
}

/// Mutated current files: the scan and the report give a result or an ingest
/// error, never a panic, whatever the cells hold.
#[test]
fn mutated_current_files_never_panic() {
    let folder = dir().join("real_wine");
    let reference = ingest("reference.csv", &fs::read(folder.join("reference.csv")).unwrap());
    let contract = Contract::infer(&reference, &ContractOptions::default());
    let source = fs::read(folder.join("current.csv")).unwrap();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: [&[u8]; 10] =
        [b",", b"\n", b"\"", b"NaN", b"-inf", b"1e400", b"", b"2024-02-30", b"\xc3\xa9", b";"];
    let mut reports = 0;
    for _ in 0..400 {
        let mut bytes = source.clone();
        for _ in 0..1 + next() % 6 {
            let at = (next() as usize) % (bytes.len() + 1);
            let piece = pieces[(next() as usize) % pieces.len()];
            bytes.splice(at..at, piece.iter().copied());
        }
        let scanner = QualityScanner::new(&contract, &QualityOptions::default());
        let mut ingest = CsvIngest::with_sink("current.csv", IngestLimits::default(), scanner);
        if ingest.push(&bytes).is_err() {
            continue;
        }
        if let Ok((current, scan)) = ingest.finish_with_sink() {
            let report = quality_report(Some(&reference), &current, &scan);
            assert_eq!(report.errors + report.warnings + report.infos, report.findings.len());
            reports += 1;
        }
    }
    assert!(reports > 50, "only {reports} mutated files parsed");
}
