//! Per-column drift between a reference and a current dataset.
//!
//! Method choice, per column, by the reference column's type:
//!
//! | type | primary method | drifted when | also computed |
//! |---|---|---|---|
//! | numeric, integer | two-sample Kolmogorov-Smirnov | p < `ks_alpha` (0.05) | PSI on 10 reference-quantile bins |
//! | numeric, integer with at most `low_cardinality_max` (5) distinct reference values | chi-square on the values | p < `chi2_alpha` (0.05) | KS, PSI |
//! | categorical, boolean | chi-square test of homogeneity | p < `chi2_alpha` (0.05) | |
//! | identifier, text, datetime, empty | not tested | | |
//!
//! The low-cardinality rule follows Evidently's default method selection, which
//! treats a numeric column with five or fewer distinct values as categorical.
//! PSI has its own threshold (`psi_threshold`, 0.1, Evidently's default) and its
//! own verdict in the column's `tests`; the column's verdict is the primary method's.
//! NaN and infinities are left out of the numeric tests (they are counted in
//! the column summaries); nulls are left out of every test.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dataset::{CellCounts, Column, ColumnType, Dataset};
use crate::stats::{chi2, ks, psi};

/// Thresholds and choices for [`drift_report`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DriftOptions {
    /// Bins for PSI.
    pub psi_bins: usize,
    /// PSI at or above this is drift.
    pub psi_threshold: f64,
    /// KS p-values below this are drift.
    pub ks_alpha: f64,
    /// Chi-square p-values below this are drift.
    pub chi2_alpha: f64,
    /// Numeric columns with at most this many distinct reference values are tested as categories.
    pub low_cardinality_max: usize,
    /// The dataset drifts when at least this share of the tested columns drift.
    pub drift_share: f64,
}

impl Default for DriftOptions {
    fn default() -> Self {
        DriftOptions {
            psi_bins: 10,
            psi_threshold: 0.1,
            ks_alpha: 0.05,
            chi2_alpha: 0.05,
            low_cardinality_max: 5,
            drift_share: 0.5,
        }
    }
}

/// A drift method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Two-sample Kolmogorov-Smirnov test.
    Ks,
    /// Population Stability Index.
    Psi,
    /// Chi-square test of homogeneity.
    Chi2,
}

/// The outcome of one method on one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// Which method.
    pub method: Method,
    /// Its statistic.
    pub statistic: f64,
    /// Its p-value, for hypothesis tests.
    pub p_value: Option<f64>,
    /// The threshold the verdict used (a significance level for tests, a bound on the statistic otherwise).
    pub threshold: f64,
    /// The verdict.
    pub drifted: bool,
}

/// Whether and how a column was tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Tested in both datasets.
    Tested,
    /// Present in both but not testable (see `note`).
    Skipped,
    /// In the reference only.
    MissingInCurrent,
    /// In the current data only.
    NewInCurrent,
}

/// Drift of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnDrift {
    /// Column name.
    pub column: String,
    /// Type in the reference (or in the current data for a new column).
    pub column_type: ColumnType,
    /// Type in the current data, when present there.
    pub current_type: Option<ColumnType>,
    /// Whether it was tested.
    pub status: Status,
    /// The method that decides the verdict.
    pub method: Option<Method>,
    /// The primary method's statistic.
    pub statistic: Option<f64>,
    /// The primary method's p-value, when it has one.
    pub p_value: Option<f64>,
    /// The primary method's threshold.
    pub threshold: Option<f64>,
    /// The verdict.
    pub drifted: bool,
    /// Every number computed, by name: `ks_statistic`, `ks_p_value`, `psi`,
    /// `chi2_statistic`, `chi2_p_value`, `chi2_dof`.
    pub metrics: BTreeMap<&'static str, f64>,
    /// Every method run, with its own threshold and verdict.
    pub tests: Vec<TestResult>,
    /// Why a column was skipped, or anything else worth knowing.
    pub note: Option<String>,
    /// Reference-side summary.
    pub reference: Option<ColumnSummary>,
    /// Current-side summary.
    pub current: Option<ColumnSummary>,
    /// Histogram for plotting: PSI bins for numeric columns, top categories otherwise.
    pub histogram: Option<Histogram>,
}

/// Counts behind a column's plot.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Histogram {
    /// Numeric bins: `edges` are inner edges, counts have one more entry.
    Bins {
        /// Inner edges.
        edges: Vec<f64>,
        /// Reference counts per bin.
        reference: Vec<u64>,
        /// Current counts per bin.
        current: Vec<u64>,
    },
    /// Category counts, the most frequent reference categories first, at most [`MAX_PLOTTED_CATEGORIES`].
    Categories {
        /// Category labels.
        labels: Vec<String>,
        /// Reference counts.
        reference: Vec<u64>,
        /// Current counts.
        current: Vec<u64>,
    },
}

/// Categories kept in a histogram; the rest are summed into `other`.
pub const MAX_PLOTTED_CATEGORIES: usize = 20;

/// Summary of one side of a column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSummary {
    /// Inferred type.
    pub column_type: ColumnType,
    /// Cell counts.
    #[serde(flatten)]
    pub counts: CellCounts,
    /// Distinct values, when tracked.
    pub distinct: Option<usize>,
    /// Smallest finite value.
    pub min: Option<f64>,
    /// Largest finite value.
    pub max: Option<f64>,
    /// Mean of the finite values.
    pub mean: Option<f64>,
}

impl ColumnSummary {
    fn of(column: &Column) -> Self {
        let v = &column.values;
        ColumnSummary {
            column_type: column.column_type,
            counts: column.counts,
            distinct: column.distinct(),
            min: v.first().copied(),
            max: v.last().copied(),
            mean: (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64),
        }
    }
}

/// Name and size of one dataset in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetInfo {
    /// File name.
    pub source: String,
    /// Data rows.
    pub rows: u64,
    /// Columns.
    pub columns: usize,
}

impl DatasetInfo {
    pub(crate) fn of(data: &Dataset) -> Self {
        DatasetInfo { source: data.source.clone(), rows: data.rows, columns: data.columns.len() }
    }
}

/// Drift of every column, and the dataset verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftReport {
    /// The reference dataset.
    pub reference: DatasetInfo,
    /// The current dataset.
    pub current: DatasetInfo,
    /// Options used.
    pub options: DriftOptions,
    /// Columns that were tested.
    pub tested_columns: usize,
    /// Tested columns that drifted.
    pub drifted_columns: usize,
    /// `drifted_columns / tested_columns` (0 when nothing was tested).
    pub share_drifted: f64,
    /// Whether `share_drifted >= options.drift_share` (and at least one column drifted).
    pub dataset_drift: bool,
    /// One entry per column: reference columns in file order, then columns new in the current data.
    pub columns: Vec<ColumnDrift>,
}

/// Compares every column of `current` with the same-named column of `reference`.
pub fn drift_report(reference: &Dataset, current: &Dataset, options: &DriftOptions) -> DriftReport {
    let mut columns: Vec<ColumnDrift> = reference
        .columns
        .iter()
        .map(|r| match current.column(&r.name) {
            Some(c) => column_drift(r, c, options),
            None => unpaired(r, Status::MissingInCurrent),
        })
        .collect();
    columns.extend(
        current
            .columns
            .iter()
            .filter(|c| reference.column(&c.name).is_none())
            .map(|c| unpaired(c, Status::NewInCurrent)),
    );
    let tested_columns = columns.iter().filter(|c| c.status == Status::Tested).count();
    let drifted_columns = columns.iter().filter(|c| c.drifted).count();
    let share_drifted =
        if tested_columns == 0 { 0.0 } else { drifted_columns as f64 / tested_columns as f64 };
    DriftReport {
        reference: DatasetInfo::of(reference),
        current: DatasetInfo::of(current),
        options: *options,
        tested_columns,
        drifted_columns,
        share_drifted,
        dataset_drift: drifted_columns > 0 && share_drifted >= options.drift_share,
        columns,
    }
}

fn unpaired(column: &Column, status: Status) -> ColumnDrift {
    let summary = Some(ColumnSummary::of(column));
    let (reference, current, note) = match status {
        Status::NewInCurrent => (None, summary, "the column is not in the reference data"),
        _ => (summary, None, "the column is not in the current data"),
    };
    ColumnDrift {
        column: column.name.clone(),
        column_type: column.column_type,
        current_type: current.as_ref().map(|s| s.column_type),
        status,
        method: None,
        statistic: None,
        p_value: None,
        threshold: None,
        drifted: false,
        metrics: BTreeMap::new(),
        tests: Vec::new(),
        note: Some(note.to_string()),
        reference,
        current,
        histogram: None,
    }
}

fn column_drift(reference: &Column, current: &Column, options: &DriftOptions) -> ColumnDrift {
    let mut out = ColumnDrift {
        column: reference.name.clone(),
        column_type: reference.column_type,
        current_type: Some(current.column_type),
        status: Status::Skipped,
        method: None,
        statistic: None,
        p_value: None,
        threshold: None,
        drifted: false,
        metrics: BTreeMap::new(),
        tests: Vec::new(),
        note: None,
        reference: Some(ColumnSummary::of(reference)),
        current: Some(ColumnSummary::of(current)),
        histogram: None,
    };
    let (rt, ct) = (reference.column_type, current.column_type);
    let primary = if rt.is_numeric() && (ct.is_numeric() || ct == ColumnType::Empty) {
        numeric_tests(reference, current, options, &mut out)
    } else if matches!(rt, ColumnType::Categorical | ColumnType::Boolean) {
        categorical_test(reference, current, options, &mut out)
    } else {
        out.note = Some(match rt {
            ColumnType::Identifier => {
                "identifier column: every value is distinct, so it is not a feature to test".into()
            }
            ColumnType::Text => "free-text column: too many distinct values to compare as categories".into(),
            ColumnType::Datetime => {
                "datetime column: time moves on between datasets, so it is not tested".into()
            }
            ColumnType::Empty => "every reference value is null".into(),
            _ => format!("type changed from {rt} to {ct}"),
        });
        None
    };
    if let Some(primary) = primary {
        out.status = Status::Tested;
        out.method = Some(primary.method);
        out.statistic = Some(primary.statistic);
        out.p_value = primary.p_value;
        out.threshold = Some(primary.threshold);
        out.drifted = primary.drifted;
    }
    if rt != ct && out.note.is_none() {
        out.note = Some(format!("type changed from {rt} to {ct}"));
    }
    out
}

/// Runs KS and PSI (and chi-square for low-cardinality columns); returns the primary result.
fn numeric_tests(
    reference: &Column,
    current: &Column,
    options: &DriftOptions,
    out: &mut ColumnDrift,
) -> Option<TestResult> {
    let (r, c) = (&reference.values, &current.values);
    if r.is_empty() || c.is_empty() {
        out.note = Some(format!(
            "no finite values in the {} data",
            if r.is_empty() { "reference" } else { "current" }
        ));
        return None;
    }
    let ks = ks::ks_2samp(r, c)?;
    out.metrics.insert("ks_statistic", ks.statistic);
    out.metrics.insert("ks_p_value", ks.p_value);
    let ks_test = TestResult {
        method: Method::Ks,
        statistic: ks.statistic,
        p_value: Some(ks.p_value),
        threshold: options.ks_alpha,
        drifted: ks.p_value < options.ks_alpha,
    };
    out.tests.push(ks_test.clone());
    if let Some(p) = psi::psi_quantile_bins(r, c, options.psi_bins) {
        out.metrics.insert("psi", p.psi);
        out.tests.push(TestResult {
            method: Method::Psi,
            statistic: p.psi,
            p_value: None,
            threshold: options.psi_threshold,
            drifted: p.psi >= options.psi_threshold,
        });
        out.histogram = Some(Histogram::Bins {
            edges: p.edges,
            reference: p.reference_counts,
            current: p.current_counts,
        });
    }
    let low_cardinality = reference.distinct().is_some_and(|d| d <= options.low_cardinality_max);
    if low_cardinality && current.categories.is_some() {
        if let Some(chi) = categorical_test(reference, current, options, out) {
            out.note = Some(format!(
                "at most {} distinct values: tested as categories",
                options.low_cardinality_max
            ));
            return Some(chi);
        }
    }
    Some(ks_test)
}

fn categorical_test(
    reference: &Column,
    current: &Column,
    options: &DriftOptions,
    out: &mut ColumnDrift,
) -> Option<TestResult> {
    let (Some(rc), Some(cc)) = (&reference.categories, &current.categories) else {
        out.note = Some("too many distinct values in the current data to compare as categories".into());
        return None;
    };
    // Union of categories, reference order first, then categories new in the current data.
    let current_counts: BTreeMap<&str, u64> = cc.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let reference_keys: BTreeMap<&str, u64> = rc.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let mut labels: Vec<&str> = rc.iter().map(|(k, _)| k.as_str()).collect();
    labels.extend(cc.iter().map(|(k, _)| k.as_str()).filter(|k| !reference_keys.contains_key(k)));
    let r_counts: Vec<u64> = labels.iter().map(|k| reference_keys.get(k).copied().unwrap_or(0)).collect();
    let c_counts: Vec<u64> = labels.iter().map(|k| current_counts.get(k).copied().unwrap_or(0)).collect();
    let Some(result) = chi2::chi2_homogeneity(&r_counts, &c_counts) else {
        out.note = Some("no non-null values on one side".into());
        return None;
    };
    out.metrics.insert("chi2_statistic", result.statistic);
    out.metrics.insert("chi2_p_value", result.p_value);
    out.metrics.insert("chi2_dof", result.dof as f64);
    let test = TestResult {
        method: Method::Chi2,
        statistic: result.statistic,
        p_value: Some(result.p_value),
        threshold: options.chi2_alpha,
        drifted: result.p_value < options.chi2_alpha,
    };
    out.tests.push(test.clone());
    if !matches!(out.histogram, Some(Histogram::Bins { .. })) {
        out.histogram = Some(category_histogram(&labels, &r_counts, &c_counts));
    }
    Some(test)
}

fn category_histogram(labels: &[&str], reference: &[u64], current: &[u64]) -> Histogram {
    let keep = labels.len().min(MAX_PLOTTED_CATEGORIES);
    let mut h_labels: Vec<String> = labels[..keep].iter().map(|s| s.to_string()).collect();
    let mut h_ref = reference[..keep].to_vec();
    let mut h_cur = current[..keep].to_vec();
    if labels.len() > keep {
        h_labels.push("(other)".into());
        h_ref.push(reference[keep..].iter().sum());
        h_cur.push(current[keep..].iter().sum());
    }
    Histogram::Categories { labels: h_labels, reference: h_ref, current: h_cur }
}
