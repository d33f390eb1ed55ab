//! Property tests (proptest): laws that must hold for every input, not only for
//! the fixtures.
//!
//! - profiles of chunks merged in any order, and with any grouping, equal the
//!   profile of the whole (exactly for counts, values, categories and sketches;
//!   within rounding for the mean and variance), and a sketch's quantile lies in
//!   the bucket of the true one;
//! - metrics stay within their ranges, and drift statistics are zero for
//!   identical inputs;
//! - a record built to satisfy a contract gets no violation;
//! - CSV written with proper quoting reads back cell for cell.
//!
//! Proptest's default of 256 cases per property; failures are persisted under
//! `tests/properties.proptest-regressions` (committed only for a fixed failure).

use modelgate_core::contract::{Contract, FieldContract, FieldType};
use modelgate_core::eval::metrics::{average_precision, brier_binary, calibration, log_loss_binary, roc_auc};
use modelgate_core::eval::{evaluate, EvalOptions, TableIngest};
use modelgate_core::sketch::bucket_floor;
use modelgate_core::stats::chi2::chi2_homogeneity;
use modelgate_core::stats::distance::{
    hellinger_counts, jensen_shannon_counts, pearson_chi2, psi_evidently, total_variation, wasserstein_sorted,
};
use modelgate_core::stats::ks::ks_2samp;
use modelgate_core::stats::psi::{psi_from_counts, psi_quantile_bins};
use modelgate_core::validate::{validate_json, validate_record};
use modelgate_core::value::NULL_TOKENS;
use modelgate_core::{
    drift_report, CsvIngest, DatasetProfile, DriftOptions, IngestLimits, ProfileBuilder, ProfileOptions, Row,
    RowSink, Status,
};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{json, Map, Value};

/// Proptest's defaults, with failures persisted beside this file (the default
/// looks for a `lib.rs` and finds none for an integration test).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/properties.proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- profile merge

/// A cell of a generated column: numbers of several spellings, nulls, booleans, text.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-50i64..50).prop_map(|i| i.to_string()),
        3 => (-1e6f64..1e6).prop_map(|x| format!("{x}")),
        1 => select(vec!["", "NA", "nan", "inf", "-inf", "true", "no", "2024-01-31"]).prop_map(str::to_string),
        2 => select(vec!["red", "green", "blue", "Lyon", "São Paulo"]).prop_map(str::to_string),
    ]
}

/// Rows of three columns, cut into 1 to 5 chunks (cut points sorted).
fn rows_and_cuts() -> impl Strategy<Value = (Vec<[String; 3]>, Vec<usize>)> {
    prop::collection::vec([cell(), cell(), cell()], 0..60).prop_flat_map(|rows| {
        let n = rows.len();
        (Just(rows), prop::collection::vec(0..=n, 0..4)).prop_map(|(rows, mut cuts)| {
            cuts.sort_unstable();
            (rows, cuts)
        })
    })
}

const NAMES: [&str; 3] = ["a", "b", "c"];

fn profile(rows: &[[String; 3]], options: ProfileOptions) -> DatasetProfile {
    let mut b = ProfileBuilder::new("data", &NAMES, options);
    for row in rows {
        b.push_row(row);
    }
    b.finish()
}

fn chunks(rows: &[[String; 3]], cuts: &[usize], options: ProfileOptions) -> Vec<DatasetProfile> {
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(rows.len());
    bounds.windows(2).map(|w| profile(&rows[w[0]..w[1]], options)).collect()
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The merged profile equals the whole's: exactly for every count, value,
/// category and sketch bucket; within rounding for the mean and the sum of squares.
fn assert_same_profile(merged: &DatasetProfile, whole: &DatasetProfile) -> Result<(), TestCaseError> {
    prop_assert_eq!(merged.rows, whole.rows);
    prop_assert_eq!(merged.columns.len(), whole.columns.len());
    for (m, w) in merged.columns.iter().zip(&whole.columns) {
        prop_assert_eq!(&m.name, &w.name);
        prop_assert_eq!(m.counts, w.counts, "counts of {}", w.name);
        prop_assert_eq!(m.integral, w.integral);
        prop_assert_eq!(m.column_type, w.column_type, "type of {}", w.name);
        prop_assert_eq!(m.exact, w.exact, "exactness of {}", w.name);
        prop_assert_eq!(&m.values, &w.values);
        prop_assert_eq!(m.sketch_or_build(), w.sketch_or_build(), "sketch of {}", w.name);
        prop_assert_eq!(&m.categories, &w.categories);
        prop_assert_eq!(&m.text_categories, &w.text_categories);
        prop_assert_eq!(&m.number_categories, &w.number_categories);
        let (a, b) = (&m.moments, &w.moments);
        prop_assert_eq!((a.n, a.min, a.max), (b.n, b.min, b.max));
        prop_assert!(close(a.mean, b.mean), "mean {} vs {}", a.mean, b.mean);
        prop_assert!(
            close(a.m2, b.m2) || (a.m2 - b.m2).abs() <= 1e-6 * b.mean.abs().max(1.0).powi(2) * b.n as f64,
            "m2 {} vs {}",
            a.m2,
            b.m2
        );
    }
    prop_assert_eq!(&merged.sample, &whole.sample);
    Ok(())
}

fn options() -> impl Strategy<Value = ProfileOptions> {
    // Small caps, so the sketch and the sample's eviction are exercised.
    (prop_oneof![Just(1_000_000u64), 0u64..30], 1usize..20).prop_map(|(exact_values, sample_rows)| {
        ProfileOptions { exact_values, exact_budget: 8_000_000, sample_rows }
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn profile_merge_in_any_order_equals_the_whole(
        (rows, cuts) in rows_and_cuts(),
        opts in options(),
        order_seed in any::<u64>(),
    ) {
        let whole = profile(&rows, opts);
        let mut parts = chunks(&rows, &cuts, opts);
        // A deterministic shuffle of the chunks from the seed.
        let mut s = order_seed;
        for i in (1..parts.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            parts.swap(i, (s >> 33) as usize % (i + 1));
        }
        let mut merged = parts[0].clone();
        for p in &parts[1..] {
            merged.merge(p).unwrap();
        }
        assert_same_profile(&merged, &whole)?;
    }

    #[test]
    fn profile_merge_is_associative(
        (rows, cuts) in rows_and_cuts(),
        opts in options(),
    ) {
        let cuts = [cuts.first().copied().unwrap_or(0), cuts.last().copied().unwrap_or(rows.len())];
        let [a, b, c]: [DatasetProfile; 3] = chunks(&rows, &cuts, opts).try_into().unwrap();
        let mut left = a.clone();
        left.merge(&b).unwrap();
        left.merge(&c).unwrap();
        let mut bc = b.clone();
        bc.merge(&c).unwrap();
        let mut right = a.clone();
        right.merge(&bc).unwrap();
        assert_same_profile(&left, &right)?;
        assert_same_profile(&left, &profile(&rows, opts))?;
    }

    /// The sketch's quantile is the floor of the bucket holding the true
    /// (type 7, lower-rank) quantile: within one bucket, 2^-8 relative.
    #[test]
    fn sketch_quantile_is_in_the_true_quantiles_bucket(
        values in prop::collection::vec(prop_oneof![-1e9f64..1e9, -10f64..10.0, (-100i64..100).prop_map(|i| i as f64)], 1..200),
        q in 0.0f64..=1.0,
    ) {
        let rows: Vec<[String; 3]> = values.iter().map(|v| [format!("{v}"), String::new(), String::new()]).collect();
        let p = profile(&rows, ProfileOptions { exact_values: 0, ..ProfileOptions::default() });
        let sketch = p.columns[0].sketch.clone().expect("past the exact cap of 0");
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = (q * (sorted.len() - 1) as f64).floor() as usize;
        prop_assert_eq!(sketch.quantile_boundary(q), Some(bucket_floor(sorted[rank])));
    }
}

// ---------------------------------------------------------------- metric bounds

fn in_unit(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

fn counts_pair() -> impl Strategy<Value = (Vec<u64>, Vec<u64>)> {
    (1usize..12).prop_flat_map(|k| {
        (prop::collection::vec(0u64..1000, k), prop::collection::vec(0u64..1000, k))
            .prop_filter("both non-empty", |(a, b)| a.iter().sum::<u64>() > 0 && b.iter().sum::<u64>() > 0)
    })
}

/// A sorted sample (the statistics take sorted, finite values), with ties.
fn sample() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(prop_oneof![-1e6f64..1e6, (-5i64..5).prop_map(|i| i as f64)], 1..80).prop_map(
        |mut v| {
            v.sort_by(f64::total_cmp);
            v
        },
    )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn distances_stay_within_bounds((reference, current) in counts_pair()) {
        let js = jensen_shannon_counts(&reference, &current);
        prop_assert!(in_unit(js), "js {js}");
        let h = hellinger_counts(&reference, &current);
        prop_assert!(in_unit(h), "hellinger {h}");
        let tvd = total_variation(&reference, &current);
        prop_assert!(in_unit(tvd), "tvd {tvd}");
        let psi = psi_from_counts(&reference, &current);
        prop_assert!(psi >= 0.0, "psi {psi}");
        let psi = psi_evidently(&reference, &current);
        prop_assert!(psi >= 0.0, "psi (evidently) {psi}");
        if let Some(c) = chi2_homogeneity(&reference, &current) {
            prop_assert!(c.statistic >= 0.0 && in_unit(c.p_value), "{c:?}");
        }
    }

    #[test]
    fn ks_and_psi_on_samples_stay_within_bounds(a in sample(), b in sample()) {
        let ks = ks_2samp(&a, &b).unwrap();
        prop_assert!(in_unit(ks.statistic) && in_unit(ks.p_value), "{ks:?}");
        let psi = psi_quantile_bins(&a, &b, 10).unwrap();
        prop_assert!(psi.psi >= 0.0, "psi {}", psi.psi);
        prop_assert!(wasserstein_sorted(&a, &b).unwrap() >= 0.0);
    }

    #[test]
    fn drift_statistics_are_zero_for_identical_inputs(a in sample(), counts in prop::collection::vec(1u64..1000, 2..10)) {
        let ks = ks_2samp(&a, &a).unwrap();
        prop_assert_eq!((ks.statistic, ks.p_value), (0.0, 1.0));
        prop_assert_eq!(psi_quantile_bins(&a, &a, 10).unwrap().psi, 0.0);
        prop_assert_eq!(wasserstein_sorted(&a, &a), Some(0.0));
        prop_assert_eq!(psi_from_counts(&counts, &counts), 0.0);
        prop_assert_eq!(jensen_shannon_counts(&counts, &counts), 0.0);
        let chi2 = chi2_homogeneity(&counts, &counts).unwrap();
        prop_assert_eq!((chi2.statistic, chi2.p_value), (0.0, 1.0));
        prop_assert_eq!(pearson_chi2(&[&counts, &counts]), Some(0.0));
    }

    /// The same through the whole drift report: a dataset against itself.
    #[test]
    fn drift_report_of_a_dataset_against_itself_is_zero(
        rows in prop::collection::vec([cell(), cell(), cell()], 1..60),
    ) {
        let mut text = String::from("a,b,c\n");
        for r in &rows {
            text.push_str(&format!("{},{},{}\n", r[0], r[1], r[2]));
        }
        let mut ingest = CsvIngest::new("data.csv");
        ingest.push(text.as_bytes()).unwrap();
        let data = ingest.finish().unwrap();
        let report = drift_report(&data, &data, &DriftOptions::default());
        let zero = [
            "psi", "psi_evidently", "ks_statistic", "jensen_shannon", "tvd", "l_infinity",
            "wasserstein_distance", "wasserstein_normed", "chi2_statistic", "chi2_gof_statistic",
        ];
        for c in &report.columns {
            prop_assert!(!c.drifted, "{} drifted against itself: {:?}", c.column, c.metrics);
            // Every tested column reports at least one of these (the check is not vacuous).
            if c.status == Status::Tested {
                prop_assert!(zero.iter().any(|n| c.metrics.contains_key(n)), "{:?}", c.metrics);
            }
            for name in zero {
                if let Some(&v) = c.metrics.get(name) {
                    prop_assert_eq!(v, 0.0, "{} of {}", name, c.column);
                }
            }
            // Hellinger is sqrt(1 - sum sqrt(p q)) as Evidently computes it: the sum
            // rounds a few ulps below 1, and the square root lifts that to ~1e-8.
            if let Some(&h) = c.metrics.get("hellinger") {
                prop_assert!((0.0..1e-7).contains(&h), "hellinger of {}: {}", c.column, h);
            }
            if let Some(&p) = c.metrics.get("ks_p_value") {
                prop_assert_eq!(p, 1.0);
            }
        }
    }

    #[test]
    fn binary_score_metrics_stay_within_bounds(
        rows in prop::collection::vec((any::<bool>(), prop_oneof![0.0f64..=1.0, Just(0.0), Just(1.0)]), 1..100),
    ) {
        let (y, p): (Vec<bool>, Vec<f64>) = rows.into_iter().unzip();
        if let Some(auc) = roc_auc(&y, &p) {
            prop_assert!(in_unit(auc), "auc {auc}");
        }
        if let Some(ap) = average_precision(&y, &p) {
            prop_assert!(in_unit(ap), "ap {ap}");
        }
        let ll = log_loss_binary(&y, &p).unwrap();
        prop_assert!(ll >= 0.0, "log loss {ll}");
        let brier = brier_binary(&y, &p).unwrap();
        prop_assert!(in_unit(brier), "brier {brier}");
        let cal = calibration(&y, &p, 10, "positive_class").unwrap();
        prop_assert!(in_unit(cal.ece), "ece {}", cal.ece);
    }
}

/// Evaluates a generated prediction file and checks every metric it reports.
fn evaluate_csv(text: &str) -> Result<(), TestCaseError> {
    let mut ingest = TableIngest::new("predictions.csv");
    ingest.push(text.as_bytes()).unwrap();
    let table = ingest.finish().unwrap();
    let options = EvalOptions { resamples: 10, ..EvalOptions::default() };
    let report = evaluate(&table, None, &options).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    for &(name, value) in &report.metrics.0 {
        let Some(v) = value else { continue };
        if name == "log_loss" {
            prop_assert!(v >= 0.0, "{name} {v}");
        } else if name == "brier" && report.classes.len() > 2 {
            // The multiclass Brier score sums over classes without halving: [0, 2].
            prop_assert!((0.0..=2.0).contains(&v), "{name} {v}");
        } else {
            prop_assert!(in_unit(v), "{name} {v}");
        }
    }
    for c in &report.per_class {
        prop_assert!(in_unit(c.precision) && in_unit(c.recall) && in_unit(c.f1), "{c:?}");
    }
    if let Some(cal) = &report.calibration {
        prop_assert!(in_unit(cal.ece), "ece {}", cal.ece);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn binary_evaluation_metrics_stay_within_bounds(
        rows in prop::collection::vec((any::<bool>(), 0.0f64..=1.0), 2..60),
    ) {
        let mut text = String::from("label,score\n");
        for (y, p) in &rows {
            text.push_str(&format!("{},{p:?}\n", u8::from(*y)));
        }
        evaluate_csv(&text)?;
    }

    #[test]
    fn multiclass_evaluation_metrics_stay_within_bounds(
        rows in prop::collection::vec((0usize..3, [0.0f64..1.0, 0.0f64..1.0, 0.001f64..1.0]), 2..60),
    ) {
        let classes = ["cat", "dog", "emu"];
        let mut text = String::from("label,prediction,proba_cat,proba_dog,proba_emu\n");
        for (y, w) in &rows {
            let total: f64 = w.iter().sum();
            let p: Vec<f64> = w.iter().map(|x| x / total).collect();
            let top = (0..3).max_by(|&i, &j| p[i].total_cmp(&p[j])).unwrap();
            text.push_str(&format!("{},{},{:?},{:?},{:?}\n", classes[*y], classes[top], p[0], p[1], p[2]));
        }
        evaluate_csv(&text)?;
    }
}

// ---------------------------------------------------------------- contracts

/// A field of any type with a random selection of the rules that type allows.
fn field(name: String) -> impl Strategy<Value = FieldContract> {
    let types = select(vec![
        FieldType::Number,
        FieldType::Integer,
        FieldType::Boolean,
        FieldType::String,
        FieldType::Datetime,
        FieldType::Any,
    ]);
    (
        types,
        any::<bool>(),
        any::<bool>(),
        any::<(bool, bool, bool, bool)>(),
        -1e6f64..1e6,
        0.0f64..1e6,
        0u64..6,
        0u64..6,
        prop::option::of(prop::collection::btree_set("[a-zé ,\"]{0,8}", 1..5)),
    )
        .prop_map(
            move |(
                t,
                required,
                nullable,
                (has_min, has_max, nan, inf),
                lo,
                width,
                min_len,
                extra_len,
                cats,
            )| {
                let mut f = FieldContract::new(name.clone(), t);
                f.required = required;
                f.nullable = nullable;
                match t {
                    FieldType::Number | FieldType::Integer => {
                        // Integer bounds keep a whole number between them.
                        let (lo, hi) = if t == FieldType::Integer {
                            (lo.floor() - 0.25, lo.floor() + width.floor() + 0.5)
                        } else {
                            (lo, lo + width)
                        };
                        f.minimum = has_min.then_some(lo);
                        f.maximum = has_max.then_some(hi);
                        f.allow_nan = nan;
                        f.allow_inf = inf;
                    }
                    FieldType::String => {
                        f.min_length = has_min.then_some(min_len);
                        f.max_length = has_max.then_some(min_len + extra_len);
                        // Categories that all satisfy the length rules.
                        f.categories = cats.map(|set| {
                            let (lo, hi) =
                                (f.min_length.unwrap_or(0) as usize, f.max_length.unwrap_or(8) as usize);
                            set.into_iter()
                                .map(|c| fit_length(&c, lo, hi))
                                .collect::<std::collections::BTreeSet<_>>()
                                .into_iter()
                                .collect()
                        });
                    }
                    _ => {}
                }
                f
            },
        )
}

/// `s` padded or cut to a length (in characters) between `lo` and `hi`.
fn fit_length(s: &str, lo: usize, hi: usize) -> String {
    let mut out: String = s.chars().take(hi).collect();
    while out.chars().count() < lo {
        out.push('x');
    }
    out
}

fn contract() -> impl Strategy<Value = Contract> {
    prop::collection::btree_set("[a-z_]{1,6}", 1..8)
        .prop_flat_map(|names| names.into_iter().map(field).collect::<Vec<_>>())
        .prop_map(|fields| Contract::new(fields).expect("generated contracts are valid"))
}

/// A value that satisfies `f`, from `pick` (a random number in [0, 1)) and `alt` choices.
fn conforming_value(f: &FieldContract, pick: f64, alt: u8, text: &str) -> Value {
    if f.nullable && alt % 5 == 0 {
        return Value::Null;
    }
    match f.field_type {
        FieldType::Number | FieldType::Integer => {
            if f.allow_nan && alt % 7 == 1 {
                return json!("NaN");
            }
            if f.allow_inf && alt % 7 == 2 {
                return json!(if alt % 2 == 0 { "Infinity" } else { "-Infinity" });
            }
            let lo = f.minimum.unwrap_or(-1e9);
            let hi = f.maximum.unwrap_or(lo.max(0.0) + 1e9);
            if f.field_type == FieldType::Integer {
                let (a, b) = (lo.ceil() as i64, hi.floor() as i64);
                json!(a + ((b - a) as f64 * pick) as i64)
            } else {
                json!((lo + (hi - lo) * pick).clamp(lo, hi))
            }
        }
        FieldType::Boolean => json!(alt % 2 == 0),
        FieldType::String => match &f.categories {
            Some(c) => json!(c[(pick * c.len() as f64) as usize % c.len()]),
            None => json!(fit_length(
                text,
                f.min_length.unwrap_or(0) as usize,
                f.max_length.map_or(usize::MAX, |m| m as usize)
            )),
        },
        FieldType::Datetime => {
            let day = 1 + (pick * 28.0) as u32;
            if alt % 2 == 0 {
                json!(format!("2024-0{}-{day:02}", 1 + alt % 9))
            } else {
                json!(format!("2023/12/{day:02}T{:02}:30:05Z", alt % 24))
            }
        }
        FieldType::Any => match alt % 4 {
            0 => json!(pick),
            1 => json!(text),
            2 => json!([1, "two", null]),
            _ => json!({"nested": true}),
        },
    }
}

fn contract_and_record() -> impl Strategy<Value = (Contract, Map<String, Value>)> {
    contract().prop_flat_map(|c| {
        let n = c.fields().len();
        let choices =
            prop::collection::vec((0.0f64..1.0, any::<u8>(), "[a-zA-Z0-9 ,\"é\n]{0,12}", any::<bool>()), n);
        (Just(c), choices).prop_map(|(c, choices)| {
            let mut record = Map::new();
            for (f, (pick, alt, text, keep)) in c.fields().iter().zip(choices) {
                if f.required || keep {
                    record.insert(f.name.clone(), conforming_value(f, pick, alt, &text));
                }
            }
            (c, record)
        })
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_record_built_to_satisfy_a_contract_has_no_violation((contract, record) in contract_and_record()) {
        let violations = validate_record(&contract, &record);
        prop_assert!(violations.is_empty(), "{:?}\nrecord {}\ncontract {}",
            violations, Value::Object(record.clone()), contract.to_json_pretty());
        // The same through the JSON text entry point, and through the contract file.
        let text = Value::Object(record.clone()).to_string();
        let v = validate_json(&contract, &text).unwrap();
        prop_assert!(v.violations.is_empty(), "{:?}", v.violations);
        let reread = Contract::from_json(&contract.to_json_pretty()).unwrap();
        prop_assert!(validate_record(&reread, &record).is_empty());
    }
}

// ---------------------------------------------------------------- CSV round trip

/// Collects every data row as it is parsed.
#[derive(Default)]
struct Collect {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl RowSink for Collect {
    fn header(&mut self, names: &[String]) {
        self.header = names.to_vec();
    }
    fn row(&mut self, _row: u64, fields: Row<'_>) {
        self.rows.push(fields.iter().map(str::to_string).collect());
    }
}

/// A field quoted when it must be (RFC 4180): it holds the delimiter, a quote
/// or a line break, or it is the only field of its row and empty (a blank line
/// is no row, as Python's `csv` writer knows).
fn quote(cell: &str, alone: bool) -> String {
    if cell.contains([',', '"', '\n', '\r']) || (alone && cell.is_empty()) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

fn csv_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (-1000i64..1000).prop_map(|i| i.to_string()),
        2 => (-1e3f64..1e3).prop_map(|x| format!("{x}")),
        1 => Just(String::new()),
        4 => "[a-zA-Z0-9 ,\"\né;|\t]{1,10}",
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn csv_with_proper_quoting_round_trips_its_cells(
        (names, rows) in (1usize..6).prop_flat_map(|k| (
            // Header names are trimmed on read (by design), so none has outer spaces.
            prop::collection::btree_set("[a-z]([a-z ,\"\n]{0,5}[a-z])?", k..=k),
            prop::collection::vec(prop::collection::vec(csv_cell(), k..=k), 1..30),
        )),
        crlf in any::<bool>(),
        chunk in 1usize..64,
    ) {
        let names: Vec<String> = names.into_iter().collect();
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        for line in std::iter::once(&names).chain(&rows) {
            text.push_str(&line.iter().map(|c| quote(c, line.len() == 1)).collect::<Vec<_>>().join(","));
            text.push_str(eol);
        }
        let mut ingest = CsvIngest::with_sink("table.csv", IngestLimits::default(), Collect::default());
        for c in text.as_bytes().chunks(chunk) {
            ingest.push(c).unwrap();
        }
        let (data, seen) = ingest.finish_with_sink().unwrap();
        prop_assert_eq!(data.delimiter, b',');
        prop_assert_eq!(&seen.header, &names);
        prop_assert_eq!(&seen.rows, &rows);
        prop_assert_eq!(data.rows, rows.len() as u64);
        let names_read: Vec<&str> = data.columns.iter().map(|c| c.name.as_str()).collect();
        prop_assert_eq!(names_read, names.iter().map(String::as_str).collect::<Vec<_>>());
        for (j, column) in data.columns.iter().enumerate() {
            let empty = rows.iter().filter(|r| NULL_TOKENS.iter().any(|t| t.eq_ignore_ascii_case(r[j].trim()))).count() as u64;
            let numbers = rows.iter().filter(|r| r[j].trim().parse::<f64>().is_ok_and(f64::is_finite)).count() as u64;
            prop_assert_eq!(column.counts.rows, rows.len() as u64);
            prop_assert_eq!(column.counts.nulls, empty, "nulls in {}", column.name);
            prop_assert_eq!(column.counts.numbers, numbers, "numbers in {}", column.name);
        }
    }
}
