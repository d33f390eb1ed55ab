//! Row-by-row comparisons: two prediction files (is scoring reproducible?) and
//! training-time against serving-time features (is serving skewed?).
//!
//! Rows are joined by an id column, or by position when there is none. Cells
//! are equal when both are null, both are the same text, or both are numbers
//! within `tolerance` of each other (NaN equals NaN, an infinity itself).
//!
//! The skew counts follow TensorFlow Data Validation's feature skew detector
//! (`tensorflow_data_validation/skew/feature_skew_detector.py`): for each
//! feature over the joined pairs, `training_count` and `serving_count` (pairs
//! where the side has a value), `match_count`, `mismatch_count` (both have a
//! value and they differ), `training_only` and `serving_only` (one side null),
//! and `diff_count = mismatch_count + training_only + serving_only`. TFDV
//! compares serialised values, optionally rounded; modelgate compares parsed
//! numbers with a tolerance, so `1` and `1.0` match.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::align::{missing, Findings};
use super::table::{Table, Value};
use super::{EvalError, Finding, Severity};

const ID_NAMES: &[&str] = &["id", "row_id", "example_id", "uid"];
const PREDICTION_LIKE: &[&str] = &[
    "prediction",
    "pred",
    "predicted",
    "y_pred",
    "predicted_label",
    "score",
    "proba",
    "probability",
    "prob",
    "y_score",
    "y_proba",
];
const EXAMPLES: usize = 5;

/// How to compare two prediction files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompareOptions {
    /// The id column joining the files (default: `id` when both have it, else row order).
    pub id: Option<String>,
    /// Columns to compare (default: prediction, score and probability columns both have, else every shared column).
    pub columns: Vec<String>,
    /// Largest absolute difference between two numbers still counted equal.
    pub tolerance: f64,
    /// Row numbers listed per finding.
    pub max_listed_rows: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions { id: None, columns: Vec::new(), tolerance: 0.0, max_listed_rows: 20 }
    }
}

/// A differing pair of cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// The id, when joined by id.
    pub id: Option<String>,
    /// Row in the first file.
    pub row_a: u64,
    /// Row in the second file.
    pub row_b: u64,
    /// The first file's value, as text.
    pub a: Option<String>,
    /// The second file's value.
    pub b: Option<String>,
}

/// One compared column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnComparison {
    /// The column.
    pub column: String,
    /// Pairs compared.
    pub compared: u64,
    /// Pairs that differ.
    pub mismatched: u64,
    /// `mismatched / compared`.
    pub mismatch_share: f64,
    /// Largest absolute difference between two finite numbers.
    pub max_abs_difference: Option<f64>,
    /// Rows of the first file with NaN or an infinity.
    pub non_finite_a: u64,
    /// Rows of the second file with NaN or an infinity.
    pub non_finite_b: u64,
    /// The first differences.
    pub examples: Vec<Difference>,
}

/// Whether two prediction files agree row by row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareReport {
    /// The first file.
    pub a: String,
    /// The second file.
    pub b: String,
    /// Rows of each.
    pub rows_a: usize,
    /// Rows of the second.
    pub rows_b: usize,
    /// The id column, or `None` when joined by row order.
    pub id: Option<String>,
    /// Pairs of rows compared.
    pub joined: u64,
    /// Rows of the first file with no partner.
    pub only_in_a: u64,
    /// Rows of the second file with no partner.
    pub only_in_b: u64,
    /// Per compared column.
    pub columns: Vec<ColumnComparison>,
    /// Duplicate or missing ids, unmatched rows, NaN predictions.
    pub findings: Vec<Finding>,
    /// True when every compared cell matches, every row has a partner and no prediction is NaN or infinite.
    pub reproducible: bool,
}

/// How to compare training-time and serving-time features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SkewOptions {
    /// The id column joining the files (default: `id`).
    pub id: Option<String>,
    /// Features to compare (default: every column both files have, except the id).
    pub features: Vec<String>,
    /// Largest absolute difference between two numbers still counted equal.
    pub tolerance: f64,
    /// A feature is skewed when `diff_count / joined` exceeds this.
    pub max_mismatch_share: f64,
    /// Row numbers listed per finding.
    pub max_listed_rows: usize,
}

impl Default for SkewOptions {
    fn default() -> Self {
        SkewOptions {
            id: None,
            features: Vec::new(),
            tolerance: 0.0,
            max_mismatch_share: 0.0,
            max_listed_rows: 20,
        }
    }
}

/// TFDV-style skew counts of one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureSkew {
    /// The feature.
    pub feature: String,
    /// Joined pairs where training has a value.
    pub training_count: u64,
    /// Joined pairs where serving has a value.
    pub serving_count: u64,
    /// Pairs with equal values.
    pub match_count: u64,
    /// Pairs where both have a value and they differ.
    pub mismatch_count: u64,
    /// Pairs where only training has a value.
    pub training_only: u64,
    /// Pairs where only serving has a value.
    pub serving_only: u64,
    /// `mismatch_count + training_only + serving_only`.
    pub diff_count: u64,
    /// `diff_count / joined pairs`.
    pub mismatch_share: f64,
    /// Largest absolute difference between two finite numbers.
    pub max_abs_difference: Option<f64>,
    /// Whether `mismatch_share` exceeds the threshold.
    pub skewed: bool,
    /// The first differences.
    pub examples: Vec<Difference>,
}

/// Training/serving skew, feature by feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkewReport {
    /// The training-time file.
    pub training: String,
    /// The serving-time file.
    pub serving: String,
    /// The id column.
    pub id: String,
    /// Rows of the training file.
    pub training_rows: usize,
    /// Rows of the serving file.
    pub serving_rows: usize,
    /// Pairs joined by id.
    pub joined: u64,
    /// Training rows whose id is not served.
    pub training_only_rows: u64,
    /// Serving rows whose id is not in training.
    pub serving_only_rows: u64,
    /// Per feature.
    pub features: Vec<FeatureSkew>,
    /// Features over the threshold.
    pub skewed_features: usize,
    /// The threshold used.
    pub max_mismatch_share: f64,
    /// Ids that repeat or are missing, columns in one file only.
    pub findings: Vec<Finding>,
}

fn display(table: &Table, col: usize, row: usize) -> Option<String> {
    table.key(col, row).map(|k| k.into_owned())
}

/// Compares two cells; `Some(d)` carries the absolute difference of two finite numbers.
fn equal(a: Value, ta: &Table, b: Value, tb: &Table, tolerance: f64) -> (bool, Option<f64>) {
    match (a, b) {
        (Value::Null, Value::Null) => (true, None),
        (Value::Number(x), Value::Number(y)) => {
            if x.is_nan() || y.is_nan() {
                (x.is_nan() && y.is_nan(), None)
            } else if x.is_infinite() || y.is_infinite() {
                (x == y, None)
            } else {
                let d = (x - y).abs();
                (d <= tolerance, Some(d))
            }
        }
        (Value::Text(i), Value::Text(j)) => (ta.text(i) == tb.text(j), None),
        _ => (false, None),
    }
}

fn non_finite(v: Value) -> bool {
    matches!(v, Value::Number(x) if !x.is_finite())
}

/// Joins rows by the id column (`Some`) or by order; returns pairs of row indices.
/// Rows without a partner are findings when `report_unmatched` (two scoring runs
/// should hold the same rows); for skew they are only counted, since not every
/// training row is served.
fn join(
    a: &Table,
    b: &Table,
    id: Option<(usize, usize)>,
    report_unmatched: bool,
    findings: &mut Findings,
) -> (Vec<(usize, usize)>, u64, u64) {
    let Some((ia, ib)) = id else {
        let n = a.rows().min(b.rows());
        return ((0..n).map(|r| (r, r)).collect(), (a.rows() - n) as u64, (b.rows() - n) as u64);
    };
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in 0..b.rows() {
        let Some(k) = b.key(ib, r) else {
            findings.add("missing_id", Severity::Error, &b.source, Some(&b.names[ib]), r as u64 + 1, || {
                "the id is missing; the row cannot be joined".into()
            });
            continue;
        };
        match index.entry(k.into_owned()) {
            std::collections::hash_map::Entry::Occupied(_) => findings.add(
                "duplicate_id",
                Severity::Error,
                &b.source,
                Some(&b.names[ib]),
                r as u64 + 1,
                || "the id repeats an earlier row's; only the first row with it is joined".into(),
            ),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(r);
            }
        }
    }
    let mut used = vec![false; b.rows()];
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut pairs = Vec::new();
    let mut only_a = 0;
    for r in 0..a.rows() {
        let Some(k) = a.key(ia, r) else {
            findings.add("missing_id", Severity::Error, &a.source, Some(&a.names[ia]), r as u64 + 1, || {
                "the id is missing; the row cannot be joined".into()
            });
            only_a += 1;
            continue;
        };
        let k = k.into_owned();
        if seen.insert(k.clone(), ()).is_some() {
            findings.add(
                "duplicate_id",
                Severity::Error,
                &a.source,
                Some(&a.names[ia]),
                r as u64 + 1,
                || "the id repeats an earlier row's; only the first row with it is joined".into(),
            );
            continue;
        }
        match index.get(&k) {
            Some(&rb) => {
                used[rb] = true;
                pairs.push((r, rb));
            }
            None => {
                only_a += 1;
                findings.add(
                    "unmatched_row",
                    Severity::Error,
                    &a.source,
                    Some(&a.names[ia]),
                    r as u64 + 1,
                    || format!("no row of {} has this id", b.source),
                );
            }
        }
    }
    let mut only_b = 0;
    for (r, u) in used.iter().enumerate() {
        if !u && b.key(ib, r).is_some_and(|k| index.get(k.as_ref()) == Some(&r)) {
            only_b += 1;
            if !report_unmatched {
                continue;
            }
            findings.add(
                "unmatched_row",
                Severity::Error,
                &b.source,
                Some(&b.names[ib]),
                r as u64 + 1,
                || format!("no row of {} has this id", a.source),
            );
        }
    }
    (pairs, only_a, only_b)
}

/// Compares two prediction files row by row.
pub fn compare_predictions(
    a: &Table,
    b: &Table,
    options: &CompareOptions,
) -> Result<CompareReport, EvalError> {
    if !super::non_negative(options.tolerance) {
        return Err(EvalError::new("bad_option", "option \"tolerance\" must not be negative"));
    }
    let id = match &options.id {
        Some(name) => Some((
            a.column(name).ok_or_else(|| missing(a, name, "id"))?,
            b.column(name).ok_or_else(|| missing(b, name, "id"))?,
        )),
        None => ID_NAMES.iter().find_map(|n| Some((a.column(n)?, b.column(n)?))),
    };
    let mut columns: Vec<(usize, usize)> = Vec::new();
    if options.columns.is_empty() {
        let shared: Vec<(usize, usize)> = (0..a.names.len())
            .filter(|&c| id.is_none_or(|(ia, _)| ia != c))
            .filter_map(|c| Some((c, b.column(&a.names[c])?)))
            .collect();
        let is_prediction = |name: &str| {
            let lower = name.to_ascii_lowercase();
            PREDICTION_LIKE.contains(&lower.as_str())
                || ["proba_", "probability_", "prob_"].iter().any(|p| lower.starts_with(p))
        };
        columns = shared.iter().copied().filter(|&(c, _)| is_prediction(&a.names[c])).collect();
        if columns.is_empty() {
            columns = shared;
        }
    } else {
        for name in &options.columns {
            columns.push((
                a.column(name).ok_or_else(|| missing(a, name, "comparison"))?,
                b.column(name).ok_or_else(|| missing(b, name, "comparison"))?,
            ));
        }
    }
    if columns.is_empty() {
        return Err(EvalError::new(
            "no_shared_columns",
            format!("{} and {} share no column to compare", a.source, b.source),
        ));
    }
    let mut findings = Findings::new(options.max_listed_rows);
    let (pairs, only_a, only_b) = join(a, b, id, true, &mut findings);
    if id.is_none() && (only_a > 0 || only_b > 0) {
        findings.add("row_count_differs", Severity::Error, &a.source, None, 0, || {
            format!(
                "{} has {} rows and {} has {}; joined by row order, the extra rows have no partner",
                a.source,
                a.rows(),
                b.source,
                b.rows()
            )
        });
    }
    let mut out = Vec::new();
    for &(ca, cb) in &columns {
        let mut cmp = ColumnComparison {
            column: a.names[ca].clone(),
            compared: 0,
            mismatched: 0,
            mismatch_share: 0.0,
            max_abs_difference: None,
            non_finite_a: 0,
            non_finite_b: 0,
            examples: Vec::new(),
        };
        for &(ra, rb) in &pairs {
            let (va, vb) = (a.value(ca, ra), b.value(cb, rb));
            cmp.compared += 1;
            if non_finite(va) {
                cmp.non_finite_a += 1;
                findings.add(
                    "non_finite_prediction",
                    Severity::Error,
                    &a.source,
                    Some(&a.names[ca]),
                    ra as u64 + 1,
                    || "the value is NaN or infinite".into(),
                );
            }
            if non_finite(vb) {
                cmp.non_finite_b += 1;
                findings.add(
                    "non_finite_prediction",
                    Severity::Error,
                    &b.source,
                    Some(&b.names[cb]),
                    rb as u64 + 1,
                    || "the value is NaN or infinite".into(),
                );
            }
            let (same, d) = equal(va, a, vb, b, options.tolerance);
            if let Some(d) = d {
                cmp.max_abs_difference = Some(cmp.max_abs_difference.map_or(d, |m: f64| m.max(d)));
            }
            if !same {
                cmp.mismatched += 1;
                if cmp.examples.len() < EXAMPLES {
                    cmp.examples.push(Difference {
                        id: id.and_then(|(ia, _)| display(a, ia, ra)),
                        row_a: ra as u64 + 1,
                        row_b: rb as u64 + 1,
                        a: display(a, ca, ra),
                        b: display(b, cb, rb),
                    });
                }
            }
        }
        cmp.mismatch_share =
            if cmp.compared == 0 { 0.0 } else { cmp.mismatched as f64 / cmp.compared as f64 };
        out.push(cmp);
    }
    let findings = findings.finish();
    let reproducible = out.iter().all(|c| c.mismatched == 0 && c.non_finite_a == 0 && c.non_finite_b == 0)
        && only_a == 0
        && only_b == 0
        && !findings.iter().any(|f| f.severity == Severity::Error);
    Ok(CompareReport {
        a: a.source.clone(),
        b: b.source.clone(),
        rows_a: a.rows(),
        rows_b: b.rows(),
        id: id.map(|(ia, _)| a.names[ia].clone()),
        joined: pairs.len() as u64,
        only_in_a: only_a,
        only_in_b: only_b,
        columns: out,
        findings,
        reproducible,
    })
}

/// Compares training-time and serving-time features joined by id, as TFDV's skew detector.
pub fn skew_report(
    training: &Table,
    serving: &Table,
    options: &SkewOptions,
) -> Result<SkewReport, EvalError> {
    if !super::non_negative(options.tolerance) || !(0.0..=1.0).contains(&options.max_mismatch_share) {
        return Err(EvalError::new(
            "bad_option",
            "options \"tolerance\" must not be negative and \"max_mismatch_share\" must be from 0 to 1",
        ));
    }
    let (it, is) = match &options.id {
        Some(name) => (
            training.column(name).ok_or_else(|| missing(training, name, "id"))?,
            serving.column(name).ok_or_else(|| missing(serving, name, "id"))?,
        ),
        None => ID_NAMES.iter().find_map(|n| Some((training.column(n)?, serving.column(n)?))).ok_or_else(
            || {
                EvalError::new(
                    "no_id_column",
                    format!(
                        "{} and {}: skew detection joins rows by id; name the id column with the id option",
                        training.source, serving.source
                    ),
                )
            },
        )?,
    };
    let mut findings = Findings::new(options.max_listed_rows);
    let mut features: Vec<(usize, usize)> = Vec::new();
    if options.features.is_empty() {
        for c in (0..training.names.len()).filter(|&c| c != it) {
            match serving.column(&training.names[c]) {
                Some(s) if s != is => features.push((c, s)),
                Some(_) => {}
                None => findings.add(
                    "feature_only_in_training",
                    Severity::Warning,
                    &training.source,
                    Some(&training.names[c]),
                    0,
                    || format!("the column is not in {}; it cannot be compared", serving.source),
                ),
            }
        }
        for c in (0..serving.names.len()).filter(|&c| c != is) {
            if training.column(&serving.names[c]).is_none() {
                findings.add(
                    "feature_only_in_serving",
                    Severity::Warning,
                    &serving.source,
                    Some(&serving.names[c]),
                    0,
                    || format!("the column is not in {}; it cannot be compared", training.source),
                );
            }
        }
    } else {
        for f in &options.features {
            features.push((
                training.column(f).ok_or_else(|| missing(training, f, "features"))?,
                serving.column(f).ok_or_else(|| missing(serving, f, "features"))?,
            ));
        }
    }
    let (pairs, only_t, only_s) = join(training, serving, Some((it, is)), false, &mut findings);
    let joined = pairs.len() as u64;
    if joined == 0 {
        findings.add("no_joined_rows", Severity::Error, &serving.source, Some(&serving.names[is]), 0, || {
            format!("no id of {} occurs in {}; nothing could be compared", serving.source, training.source)
        });
    }
    let mut out = Vec::new();
    for &(ct, cs) in &features {
        let mut f = FeatureSkew {
            feature: training.names[ct].clone(),
            training_count: 0,
            serving_count: 0,
            match_count: 0,
            mismatch_count: 0,
            training_only: 0,
            serving_only: 0,
            diff_count: 0,
            mismatch_share: 0.0,
            max_abs_difference: None,
            skewed: false,
            examples: Vec::new(),
        };
        for &(rt, rs) in &pairs {
            let (vt, vs) = (training.value(ct, rt), serving.value(cs, rs));
            let (ht, hs) = (vt != Value::Null, vs != Value::Null);
            f.training_count += u64::from(ht);
            f.serving_count += u64::from(hs);
            let differs = match (ht, hs) {
                (false, false) => false,
                (true, false) => {
                    f.training_only += 1;
                    true
                }
                (false, true) => {
                    f.serving_only += 1;
                    true
                }
                (true, true) => {
                    let (same, d) = equal(vt, training, vs, serving, options.tolerance);
                    if let Some(d) = d {
                        f.max_abs_difference = Some(f.max_abs_difference.map_or(d, |m: f64| m.max(d)));
                    }
                    if same {
                        f.match_count += 1;
                    } else {
                        f.mismatch_count += 1;
                    }
                    !same
                }
            };
            if differs && f.examples.len() < EXAMPLES {
                f.examples.push(Difference {
                    id: display(training, it, rt),
                    row_a: rt as u64 + 1,
                    row_b: rs as u64 + 1,
                    a: display(training, ct, rt),
                    b: display(serving, cs, rs),
                });
            }
        }
        f.diff_count = f.mismatch_count + f.training_only + f.serving_only;
        f.mismatch_share = if joined == 0 { 0.0 } else { f.diff_count as f64 / joined as f64 };
        f.skewed = f.mismatch_share > options.max_mismatch_share;
        out.push(f);
    }
    let skewed_features = out.iter().filter(|f| f.skewed).count();
    Ok(SkewReport {
        training: training.source.clone(),
        serving: serving.source.clone(),
        id: training.names[it].clone(),
        training_rows: training.rows(),
        serving_rows: serving.rows(),
        joined,
        training_only_rows: only_t,
        serving_only_rows: only_s,
        features: out,
        skewed_features,
        max_mismatch_share: options.max_mismatch_share,
        findings: findings.finish(),
    })
}
