//! Per-column drift between a reference profile and one or more current profiles.
//!
//! Every applicable method runs on every column (its numbers are in `metrics`
//! and `tests`); one of them, the *primary* method, decides the column's
//! verdict. The default primary method follows Evidently's documented rule
//! (`docs/drift-methods.md` has the table and every formula):
//!
//! | column | reference values | distinct values (both sides) | primary method |
//! |---|---|---|---|
//! | numeric, integer | at most 1000 | more than 5 | Kolmogorov-Smirnov |
//! | numeric, integer | at most 1000 | 3 to 5 | chi-square |
//! | numeric, integer | at most 1000 | at most 2 | two-proportion z-test |
//! | numeric, integer | more than 1000 | more than 5 | Wasserstein, normed |
//! | numeric, integer | more than 1000 | at most 5 | Jensen-Shannon |
//! | categorical, boolean | at most 1000 | more than 2 | chi-square |
//! | categorical, boolean | at most 1000 | at most 2 | two-proportion z-test |
//! | categorical, boolean | more than 1000 | any | Jensen-Shannon |
//! | identifier, text, datetime, empty | | | not tested, with the reason |
//!
//! `DriftOptions::method_for_column` and `method_for_type` override it;
//! `thresholds` and `column_thresholds` set the thresholds. NaN and infinities
//! are left out of the numeric methods (counted in the summaries), nulls out of
//! every method. Past a column's exact cap the numeric methods run on quantile
//! sketches and state their error bound.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dataset::{CellCounts, ColumnProfile, ColumnType, DatasetProfile, SampleCell};
use crate::sketch::{QuantileSketch, SKETCH_RELATIVE_ERROR};
use crate::stats::{binning, chi2, corr, distance, ks, psi};

/// A drift method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Two-sample Kolmogorov-Smirnov test (numeric).
    Ks,
    /// Population Stability Index on reference-quantile bins.
    Psi,
    /// PSI as Evidently computes it (Sturges bins over both samples, its empty-bin rule).
    PsiEvidently,
    /// Chi-square test of homogeneity (as `scipy.stats.chi2_contingency`).
    Chi2,
    /// Evidently's chi-square goodness-of-fit variant (current against reference shares).
    Chi2Gof,
    /// Two-proportion z-test (Evidently's `z`).
    Z,
    /// Jensen-Shannon distance, natural logarithm.
    JensenShannon,
    /// Hellinger distance.
    Hellinger,
    /// Wasserstein distance divided by the reference standard deviation (Evidently's `wasserstein`).
    Wasserstein,
    /// Wasserstein distance in the column's units.
    WassersteinRaw,
    /// L-infinity distance between category shares (TFDV).
    LInfinity,
    /// Total variation distance.
    Tvd,
    /// Cramer's V of the dataset-by-category table.
    CramersV,
}

/// Which values a method works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Numeric,
    Categorical,
}

impl Method {
    /// Every method.
    pub const ALL: [Method; 13] = [
        Method::Ks,
        Method::Psi,
        Method::PsiEvidently,
        Method::Chi2,
        Method::Chi2Gof,
        Method::Z,
        Method::JensenShannon,
        Method::Hellinger,
        Method::Wasserstein,
        Method::WassersteinRaw,
        Method::LInfinity,
        Method::Tvd,
        Method::CramersV,
    ];

    /// The name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Ks => "ks",
            Method::Psi => "psi",
            Method::PsiEvidently => "psi_evidently",
            Method::Chi2 => "chi2",
            Method::Chi2Gof => "chi2_gof",
            Method::Z => "z",
            Method::JensenShannon => "jensen_shannon",
            Method::Hellinger => "hellinger",
            Method::Wasserstein => "wasserstein",
            Method::WassersteinRaw => "wasserstein_raw",
            Method::LInfinity => "l_infinity",
            Method::Tvd => "tvd",
            Method::CramersV => "cramers_v",
        }
    }

    /// Parses [`Method::as_str`].
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether the method is a hypothesis test (drift when `p < threshold`);
    /// otherwise it is a distance (drift when `statistic >= threshold`).
    pub fn is_test(self) -> bool {
        matches!(self, Method::Ks | Method::Chi2 | Method::Chi2Gof | Method::Z)
    }

    /// The default threshold: Evidently's where it has one.
    pub fn default_threshold(self) -> f64 {
        match self {
            Method::Ks | Method::Chi2 | Method::Chi2Gof | Method::Z => 0.05,
            _ => 0.1,
        }
    }

    fn numeric_only(self) -> bool {
        matches!(self, Method::Ks | Method::Wasserstein | Method::WassersteinRaw | Method::Psi)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Thresholds and choices for [`drift_report`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DriftOptions {
    /// Bins for PSI on reference quantiles.
    pub psi_bins: usize,
    /// Threshold per method (p-value level for tests, bound on the statistic for distances).
    pub thresholds: BTreeMap<Method, f64>,
    /// Threshold of a column's primary method, by column name.
    pub column_thresholds: BTreeMap<String, f64>,
    /// Primary method by column type (`numeric` also covers `integer` and
    /// `categorical` also covers `boolean`, unless those have their own entry).
    pub method_for_type: BTreeMap<ColumnType, Method>,
    /// Primary method by column name.
    pub method_for_column: BTreeMap<String, Method>,
    /// Numeric columns with at most this many distinct values (both sides) are tested as categories.
    pub low_cardinality_max: usize,
    /// References with at most this many values get tests, larger ones distances (Evidently's rule).
    pub small_reference_max: u64,
    /// The dataset drifts when at least this share of the tested feature columns drift.
    pub drift_share: f64,
    /// Divide the level of every p-value test by the number of columns tested with one.
    pub bonferroni: bool,
    /// The target (label) column: tested for label drift and not counted as a feature.
    pub target: Option<String>,
    /// The prediction column: tested for prediction drift and not counted as a feature.
    pub prediction: Option<String>,
    /// A correlation or association that changes by at least this much is flagged.
    pub correlation_change: f64,
    /// Most numeric features whose pairwise correlations are reported.
    pub max_correlation_columns: usize,
}

impl Default for DriftOptions {
    fn default() -> Self {
        DriftOptions {
            psi_bins: 10,
            thresholds: Method::ALL.into_iter().map(|m| (m, m.default_threshold())).collect(),
            column_thresholds: BTreeMap::new(),
            method_for_type: BTreeMap::new(),
            method_for_column: BTreeMap::new(),
            low_cardinality_max: 5,
            small_reference_max: 1000,
            drift_share: 0.5,
            bonferroni: false,
            target: None,
            prediction: None,
            correlation_change: 0.2,
            max_correlation_columns: 30,
        }
    }
}

impl DriftOptions {
    /// The threshold of `method`.
    pub fn threshold(&self, method: Method) -> f64 {
        self.thresholds.get(&method).copied().unwrap_or(method.default_threshold())
    }

    /// Fills in the default threshold of every method without one.
    pub fn with_default_thresholds(mut self) -> Self {
        for m in Method::ALL {
            self.thresholds.entry(m).or_insert(m.default_threshold());
        }
        self
    }

    /// Checks the options; the message names the offending option.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=1000).contains(&self.psi_bins) {
            return Err("psi_bins must be a whole number from 1 to 1000".into());
        }
        if !(0.0..=1.0).contains(&self.drift_share) {
            return Err("drift_share must be between 0 and 1".into());
        }
        if !self.correlation_change.is_finite() || self.correlation_change < 0.0 {
            return Err("correlation_change must be a non-negative number".into());
        }
        for (m, t) in &self.thresholds {
            if !t.is_finite() || *t < 0.0 || (m.is_test() && *t > 1.0) {
                return Err(format!(
                    "the threshold of {m} must be {}",
                    if m.is_test() { "a p-value level between 0 and 1" } else { "a non-negative number" }
                ));
            }
        }
        for (c, t) in &self.column_thresholds {
            if !t.is_finite() || *t < 0.0 {
                return Err(format!("the threshold of column \"{c}\" must be a non-negative number"));
            }
        }
        for (t, m) in &self.method_for_type {
            if matches!(t, ColumnType::Categorical | ColumnType::Boolean) && m.numeric_only() {
                return Err(format!("method {m} does not apply to {t} columns"));
            }
            if !matches!(
                t,
                ColumnType::Numeric | ColumnType::Integer | ColumnType::Categorical | ColumnType::Boolean
            ) {
                return Err(format!("{t} columns are not tested, so they take no method"));
            }
        }
        Ok(())
    }
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
    /// On sketches: an interval certain to hold the exact statistic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistic_bounds: Option<[f64; 2]>,
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

/// What a column is to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An input feature.
    Feature,
    /// The label (`DriftOptions::target`).
    Target,
    /// The model's output (`DriftOptions::prediction`).
    Prediction,
}

/// Drift of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnDrift {
    /// Column name.
    pub column: String,
    /// Feature, target or prediction.
    pub role: Role,
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
    /// Whether the numbers come from the exact values (false: from sketches, see `tests[].statistic_bounds`).
    pub exact: bool,
    /// Every number computed, by name (see `docs/drift-methods.md`).
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
    /// Population standard deviation of the finite values.
    pub std: Option<f64>,
}

impl ColumnSummary {
    fn of(column: &ColumnProfile) -> Self {
        let m = &column.moments;
        let has = m.n > 0;
        ColumnSummary {
            column_type: column.column_type,
            counts: column.counts,
            distinct: column.distinct(),
            min: has.then_some(m.min),
            max: has.then_some(m.max),
            mean: has.then_some(m.mean),
            std: has.then(|| m.std()),
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
    pub(crate) fn of(data: &DatasetProfile) -> Self {
        DatasetInfo { source: data.source.clone(), rows: data.rows, columns: data.columns.len() }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Probably a problem.
    Warning,
    /// The comparison cannot mean much (the CLI exits 1).
    Error,
}

/// Something odd about the data, reported instead of failing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// A stable code: `no_rows`, `missing_column`, `new_column`, `type_changed`,
    /// `identifier`, `all_null`, `constant_reference`, `non_finite`, `single_value`,
    /// `sketch`, `method_not_applicable`, `no_target`.
    pub code: &'static str,
    /// The column, when the finding is about one.
    pub column: Option<String>,
    /// What was found, in words.
    pub message: String,
}

/// A pairwise correlation in the reference and the current data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationChange {
    /// First column.
    pub a: String,
    /// Second column.
    pub b: String,
    /// `pearson`, `spearman`, `cramers_v` or `correlation_ratio`.
    pub method: &'static str,
    /// In the reference.
    pub reference: Option<f64>,
    /// In the current data.
    pub current: Option<f64>,
    /// `current - reference`.
    pub change: Option<f64>,
    /// `|change| >= correlation_change`.
    pub flagged: bool,
}

/// Correlations between features, and associations with the target and prediction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlations {
    /// Whether both row samples hold every row (otherwise the values are
    /// estimates from a sample of distinct rows, standard error about `1/sqrt(rows)`).
    pub exact: bool,
    /// Distinct rows the reference values were computed on.
    pub reference_rows: usize,
    /// Distinct rows the current values were computed on.
    pub current_rows: usize,
    /// Pearson and Spearman for every pair of numeric features.
    pub features: Vec<CorrelationChange>,
    /// Each feature against the target and the prediction (`b`).
    pub target: Vec<CorrelationChange>,
}

/// Drift of every column, and the dataset verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftReport {
    /// The name of the comparison (the current dataset's label), in multi-dataset reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The reference dataset.
    pub reference: DatasetInfo,
    /// The current dataset.
    pub current: DatasetInfo,
    /// Options used.
    pub options: DriftOptions,
    /// Feature columns that were tested.
    pub tested_columns: usize,
    /// Tested feature columns that drifted.
    pub drifted_columns: usize,
    /// `drifted_columns / tested_columns` (0 when nothing was tested).
    pub share_drifted: f64,
    /// Whether `share_drifted >= options.drift_share` (and at least one column drifted).
    pub dataset_drift: bool,
    /// Whether the target drifted (label drift), when a target was named and tested.
    pub target_drift: Option<bool>,
    /// Whether the prediction drifted, when a prediction column was named and tested.
    pub prediction_drift: Option<bool>,
    /// One entry per column: reference columns in file order, then columns new in the current data.
    pub columns: Vec<ColumnDrift>,
    /// Edge cases found, worst first.
    pub findings: Vec<Finding>,
    /// Correlation and association changes.
    pub correlations: Correlations,
}

/// Several current datasets against one reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultiDriftReport {
    /// The reference dataset.
    pub reference: DatasetInfo,
    /// Whether any comparison found dataset drift.
    pub dataset_drift: bool,
    /// One report per current dataset, in the order given.
    pub comparisons: Vec<DriftReport>,
}

/// Compares every column of `current` with the same-named column of `reference`.
pub fn drift_report(
    reference: &DatasetProfile,
    current: &DatasetProfile,
    options: &DriftOptions,
) -> DriftReport {
    let mut findings = Vec::new();
    for (data, side) in [(reference, "reference"), (current, "current")] {
        if data.rows == 0 {
            findings.push(Finding {
                severity: Severity::Error,
                code: "no_rows",
                column: None,
                message: format!("{}: the {side} data has a header but no rows", data.source),
            });
        }
    }
    if let Some(t) = &options.target {
        if reference.column(t).is_none() {
            findings.push(Finding {
                severity: Severity::Warning,
                code: "no_target",
                column: Some(t.clone()),
                message: format!("the target column \"{t}\" is not in the reference data"),
            });
        }
    }
    if let Some(p) = &options.prediction {
        if reference.column(p).is_none() {
            findings.push(Finding {
                severity: Severity::Warning,
                code: "no_target",
                column: Some(p.clone()),
                message: format!("the prediction column \"{p}\" is not in the reference data"),
            });
        }
    }
    let role = |name: &str| {
        if options.target.as_deref() == Some(name) {
            Role::Target
        } else if options.prediction.as_deref() == Some(name) {
            Role::Prediction
        } else {
            Role::Feature
        }
    };
    let mut columns: Vec<ColumnDrift> = reference
        .columns
        .iter()
        .map(|r| match current.column(&r.name) {
            Some(c) => column_drift(r, c, role(&r.name), current.rows, options, &mut findings),
            None => {
                findings.push(Finding {
                    severity: Severity::Warning,
                    code: "missing_column",
                    column: Some(r.name.clone()),
                    message: format!("\"{}\" is in the reference but not in {}", r.name, current.source),
                });
                unpaired(r, role(&r.name), Status::MissingInCurrent)
            }
        })
        .collect();
    for c in current.columns.iter().filter(|c| reference.column(&c.name).is_none()) {
        findings.push(Finding {
            severity: Severity::Info,
            code: "new_column",
            column: Some(c.name.clone()),
            message: format!("\"{}\" is in {} but not in the reference", c.name, current.source),
        });
        columns.push(unpaired(c, role(&c.name), Status::NewInCurrent));
    }
    if options.bonferroni {
        apply_bonferroni(&mut columns, options);
    }
    let features = || columns.iter().filter(|c| c.role == Role::Feature && c.status == Status::Tested);
    let tested_columns = features().count();
    let drifted_columns = features().filter(|c| c.drifted).count();
    let share_drifted =
        if tested_columns == 0 { 0.0 } else { drifted_columns as f64 / tested_columns as f64 };
    let verdict_of =
        |r: Role| columns.iter().find(|c| c.role == r && c.status == Status::Tested).map(|c| c.drifted);
    let target_drift = verdict_of(Role::Target);
    let prediction_drift = verdict_of(Role::Prediction);
    let correlations = correlations(reference, current, &columns, options);
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    DriftReport {
        name: None,
        reference: DatasetInfo::of(reference),
        current: DatasetInfo::of(current),
        options: options.clone(),
        tested_columns,
        drifted_columns,
        share_drifted,
        dataset_drift: drifted_columns > 0 && share_drifted >= options.drift_share,
        target_drift,
        prediction_drift,
        columns,
        findings,
        correlations,
    }
}

/// Compares each of `currents` (named) with `reference`.
pub fn drift_reports(
    reference: &DatasetProfile,
    currents: &[(&str, &DatasetProfile)],
    options: &DriftOptions,
) -> MultiDriftReport {
    let comparisons: Vec<DriftReport> = currents
        .iter()
        .map(|(name, current)| {
            let mut r = drift_report(reference, current, options);
            r.name = Some(name.to_string());
            r
        })
        .collect();
    MultiDriftReport {
        reference: DatasetInfo::of(reference),
        dataset_drift: comparisons.iter().any(|r| r.dataset_drift),
        comparisons,
    }
}

fn apply_bonferroni(columns: &mut [ColumnDrift], options: &DriftOptions) {
    let m = columns
        .iter()
        .filter(|c| c.status == Status::Tested && c.method.is_some_and(Method::is_test))
        .count();
    if m <= 1 {
        return;
    }
    for c in columns.iter_mut().filter(|c| c.status == Status::Tested) {
        let Some(method) = c.method.filter(|m| m.is_test()) else { continue };
        let (Some(p), Some(t)) = (c.p_value, c.threshold) else { continue };
        let level = t / m as f64;
        c.threshold = Some(level);
        c.drifted = test_drifted(method, p, level);
        if let Some(test) = c.tests.iter_mut().find(|x| x.method == method) {
            test.threshold = level;
            test.drifted = c.drifted;
        }
    }
    let _ = options;
}

/// Evidently's comparison: KS drifts at `p <= level`, the other tests at `p < level`.
fn test_drifted(method: Method, p: f64, level: f64) -> bool {
    if method == Method::Ks {
        p <= level
    } else {
        p < level
    }
}

fn unpaired(column: &ColumnProfile, role: Role, status: Status) -> ColumnDrift {
    let summary = Some(ColumnSummary::of(column));
    let (reference, current, note) = match status {
        Status::NewInCurrent => (None, summary, "the column is not in the reference data"),
        _ => (summary, None, "the column is not in the current data"),
    };
    ColumnDrift {
        column: column.name.clone(),
        role,
        column_type: column.column_type,
        current_type: current.as_ref().map(|s| s.column_type),
        status,
        method: None,
        statistic: None,
        p_value: None,
        threshold: None,
        drifted: false,
        exact: true,
        metrics: BTreeMap::new(),
        tests: Vec::new(),
        note: Some(note.to_string()),
        reference,
        current,
        histogram: None,
    }
}

fn finding(
    findings: &mut Vec<Finding>,
    severity: Severity,
    code: &'static str,
    column: &str,
    message: String,
) {
    findings.push(Finding { severity, code, column: Some(column.to_string()), message });
}

fn column_drift(
    reference: &ColumnProfile,
    current: &ColumnProfile,
    role: Role,
    current_rows: u64,
    options: &DriftOptions,
    findings: &mut Vec<Finding>,
) -> ColumnDrift {
    let name = reference.name.as_str();
    let mut out = ColumnDrift {
        column: reference.name.clone(),
        role,
        column_type: reference.column_type,
        current_type: Some(current.column_type),
        status: Status::Skipped,
        method: None,
        statistic: None,
        p_value: None,
        threshold: None,
        drifted: false,
        exact: true,
        metrics: BTreeMap::new(),
        tests: Vec::new(),
        note: None,
        reference: Some(ColumnSummary::of(reference)),
        current: Some(ColumnSummary::of(current)),
        histogram: None,
    };
    let (rt, ct) = (reference.column_type, current.column_type);
    let categorical = |t: ColumnType| matches!(t, ColumnType::Categorical | ColumnType::Boolean);
    let skip = |out: &mut ColumnDrift, note: String| {
        out.note = Some(note);
    };
    if rt == ColumnType::Identifier {
        skip(&mut out, "identifier column: every value is distinct, so it is not a feature to test".into());
        finding(
            findings,
            Severity::Info,
            "identifier",
            name,
            format!("\"{name}\" looks like an identifier (every value distinct) and is left out of drift"),
        );
        return out;
    }
    match rt {
        ColumnType::Text => {
            skip(&mut out, "free-text column: too many distinct values to compare as categories".into());
            return out;
        }
        ColumnType::Datetime => {
            skip(&mut out, "datetime column: time moves on between datasets, so it is not tested".into());
            return out;
        }
        ColumnType::Empty => {
            let why = if reference.counts.rows == 0 {
                "the reference data has no rows"
            } else {
                "every reference value is null"
            };
            skip(&mut out, why.into());
            if reference.counts.rows > 0 {
                finding(
                    findings,
                    Severity::Warning,
                    "all_null",
                    name,
                    format!("\"{name}\": every reference value is null"),
                );
            }
            return out;
        }
        _ => {}
    }
    if current_rows == 0 {
        skip(&mut out, "the current data has no rows".into());
        return out;
    }
    if ct == ColumnType::Empty {
        skip(&mut out, "every current value is null".into());
        finding(
            findings,
            Severity::Warning,
            "all_null",
            name,
            format!("\"{name}\": every current value is null"),
        );
        return out;
    }
    if rt != ct {
        finding(
            findings,
            Severity::Warning,
            "type_changed",
            name,
            format!("\"{name}\" changed type from {rt} to {ct}"),
        );
    }
    let non_finite = |c: &CellCounts| c.nan + c.pos_inf + c.neg_inf;
    let (nr, nc) = (non_finite(&reference.counts), non_finite(&current.counts));
    if nr + nc > 0 {
        finding(
            findings,
            Severity::Info,
            "non_finite",
            name,
            format!("\"{name}\": {nr} NaN or infinite values in the reference and {nc} in the current data are left out of the numeric methods"),
        );
    }
    let primary = if rt.is_numeric() && ct.is_numeric() {
        numeric_column(reference, current, options, &mut out, findings)
    } else if (categorical(rt) || rt.is_numeric()) && (categorical(ct) || ct.is_numeric()) {
        if reference.categories.is_none() || current.categories.is_none() {
            skip(&mut out, format!("type changed from {rt} to {ct} and there are too many distinct values to compare as categories"));
            None
        } else {
            categorical_column(reference, current, options, &mut out, findings)
        }
    } else {
        skip(&mut out, format!("type changed from {rt} to {ct}"));
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

/// The primary method chosen for a column: the override if it applies, else Evidently's rule.
fn choose(
    name: &str,
    t: ColumnType,
    kind: Kind,
    n_ref: u64,
    n_values: usize,
    options: &DriftOptions,
    findings: &mut Vec<Finding>,
) -> Method {
    let default = if n_ref <= options.small_reference_max {
        if kind == Kind::Numeric && n_values > options.low_cardinality_max {
            Method::Ks
        } else if n_values > 2 {
            Method::Chi2
        } else {
            Method::Z
        }
    } else if kind == Kind::Numeric && n_values > options.low_cardinality_max {
        Method::Wasserstein
    } else {
        Method::JensenShannon
    };
    let group = match t {
        ColumnType::Integer => Some(ColumnType::Numeric),
        ColumnType::Boolean => Some(ColumnType::Categorical),
        _ => None,
    };
    let chosen = options
        .method_for_column
        .get(name)
        .or_else(|| options.method_for_type.get(&t))
        .or_else(|| group.and_then(|g| options.method_for_type.get(&g)))
        .copied();
    match chosen {
        Some(m) if kind == Kind::Categorical && m.numeric_only() => {
            finding(
                findings,
                Severity::Warning,
                "method_not_applicable",
                name,
                format!("\"{name}\": {m} does not apply to categorical values; {default} was used"),
            );
            default
        }
        Some(m) => m,
        None => default,
    }
}

fn result(method: Method, statistic: f64, p_value: Option<f64>, threshold: f64) -> TestResult {
    let drifted = match p_value {
        Some(p) => test_drifted(method, p, threshold),
        None => statistic >= threshold,
    };
    TestResult { method, statistic, p_value, threshold, drifted, statistic_bounds: None }
}

fn threshold_for(name: &str, method: Method, primary: Method, options: &DriftOptions) -> f64 {
    if method == primary {
        if let Some(t) = options.column_thresholds.get(name) {
            return *t;
        }
    }
    options.threshold(method)
}

/// Category counts of both sides over the union of categories: reference order
/// (most frequent first), then categories new in the current data.
fn category_table<'a>(r: &'a [(String, u64)], c: &'a [(String, u64)]) -> (Vec<&'a str>, Vec<u64>, Vec<u64>) {
    let rmap: BTreeMap<&str, u64> = r.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let cmap: BTreeMap<&str, u64> = c.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let mut labels: Vec<&str> = r.iter().map(|(k, _)| k.as_str()).collect();
    labels.extend(c.iter().map(|(k, _)| k.as_str()).filter(|k| !rmap.contains_key(k)));
    let rc = labels.iter().map(|k| rmap.get(k).copied().unwrap_or(0)).collect();
    let cc = labels.iter().map(|k| cmap.get(k).copied().unwrap_or(0)).collect();
    (labels, rc, cc)
}

/// Runs every categorical method on the category counts; returns the primary result.
fn categorical_column(
    reference: &ColumnProfile,
    current: &ColumnProfile,
    options: &DriftOptions,
    out: &mut ColumnDrift,
    findings: &mut Vec<Finding>,
) -> Option<TestResult> {
    let (rc, cc) = (reference.categories.as_deref()?, current.categories.as_deref()?);
    let (labels, r, c) = category_table(rc, cc);
    let n_ref: u64 = r.iter().sum();
    if n_ref == 0 || c.iter().sum::<u64>() == 0 {
        out.note = Some("no non-null values on one side".into());
        return None;
    }
    if rc.len() == 1 {
        finding(
            findings,
            Severity::Info,
            "constant_reference",
            &reference.name,
            format!("\"{}\" has a single value in the reference", reference.name),
        );
    }
    let numeric_keys = reference.column_type.is_numeric();
    let primary = choose(
        &reference.name,
        reference.column_type,
        Kind::Categorical,
        n_ref,
        labels.len(),
        options,
        findings,
    );
    category_methods(&reference.name, &labels, &r, &c, numeric_keys, primary, options, out);
    out.histogram = Some(category_histogram(&labels, &r, &c));
    out.tests.iter().find(|t| t.method == primary).cloned()
}

#[allow(clippy::too_many_arguments)]
fn category_methods(
    name: &str,
    labels: &[&str],
    r: &[u64],
    c: &[u64],
    numeric_keys: bool,
    primary: Method,
    options: &DriftOptions,
    out: &mut ColumnDrift,
) {
    let th = |m: Method| threshold_for(name, m, primary, options);
    if let Some(x) = chi2::chi2_homogeneity(r, c) {
        out.metrics.insert("chi2_statistic", x.statistic);
        out.metrics.insert("chi2_p_value", x.p_value);
        out.metrics.insert("chi2_dof", x.dof as f64);
        out.tests.push(result(Method::Chi2, x.statistic, Some(x.p_value), th(Method::Chi2)));
    }
    if let Some(x) = distance::chi2_goodness_of_fit(r, c) {
        out.metrics.insert("chi2_gof_statistic", x.statistic);
        out.metrics.insert("chi2_gof_p_value", x.p_value);
        out.tests.push(result(Method::Chi2Gof, x.statistic, Some(x.p_value), th(Method::Chi2Gof)));
    }
    let first = (0..labels.len()).min_by(|&a, &b| {
        if numeric_keys {
            let (x, y) = (labels[a].parse::<f64>().unwrap_or(0.0), labels[b].parse::<f64>().unwrap_or(0.0));
            x.total_cmp(&y)
        } else {
            labels[a].cmp(labels[b])
        }
    });
    if let Some(x) = first.and_then(|f| distance::z_test(f, r, c)) {
        out.metrics.insert("z_statistic", x.statistic);
        out.metrics.insert("z_p_value", x.p_value);
        out.tests.push(result(Method::Z, x.statistic, Some(x.p_value), th(Method::Z)));
    }
    push_distances(name, r, c, primary, options, out, None);
    let psi = psi::psi_from_counts(r, c);
    out.metrics.insert("psi", psi);
    out.tests.push(result(Method::Psi, psi, None, th(Method::Psi)));
    if let Some(v) = distance::cramers_v(r, c) {
        out.metrics.insert("cramers_v", v);
        out.tests.push(result(Method::CramersV, v, None, th(Method::CramersV)));
    }
}

/// The binned distances on counts over the same bins or categories (Hellinger
/// only when `hellinger` is None, for categories; numeric Hellinger has its own bins).
fn push_distances(
    name: &str,
    r: &[u64],
    c: &[u64],
    primary: Method,
    options: &DriftOptions,
    out: &mut ColumnDrift,
    hellinger: Option<f64>,
) {
    let th = |m: Method| threshold_for(name, m, primary, options);
    let js = distance::jensen_shannon_counts(r, c);
    let h = hellinger.unwrap_or_else(|| distance::hellinger_counts(r, c));
    let tvd = distance::total_variation(r, c);
    let linf = distance::l_infinity(r, c);
    let psi_e = distance::psi_evidently(r, c);
    for (key, m, v) in [
        ("jensen_shannon", Method::JensenShannon, js),
        ("hellinger", Method::Hellinger, h),
        ("tvd", Method::Tvd, tvd),
        ("l_infinity", Method::LInfinity, linf),
        ("psi_evidently", Method::PsiEvidently, psi_e),
    ] {
        if v.is_finite() {
            out.metrics.insert(key, v);
            out.tests.push(result(m, v, None, th(m)));
        }
    }
}

/// One side of a numeric column: its exact sorted values, or a sketch.
enum Side<'a> {
    Exact(&'a [f64]),
    /// Distinct values with their counts, and the cumulative counts: exact too.
    Counts(Vec<(f64, u64)>, Vec<u64>),
    Sketch(QuantileSketch),
}

impl Side<'_> {
    fn counts(pairs: Vec<(f64, u64)>) -> Side<'static> {
        let cumulative = pairs
            .iter()
            .scan(0u64, |acc, p| {
                *acc += p.1;
                Some(*acc)
            })
            .collect();
        Side::Counts(pairs, cumulative)
    }

    fn n(&self) -> u64 {
        match self {
            Side::Exact(v) => v.len() as u64,
            Side::Counts(_, c) => c.last().copied().unwrap_or(0),
            Side::Sketch(s) => s.count(),
        }
    }

    /// Values below `x` (exact for any `x` on exact data, for bucket boundaries on sketches).
    fn count_below(&self, x: f64) -> u64 {
        match self {
            Side::Exact(v) => v.partition_point(|&a| a < x) as u64,
            Side::Counts(v, c) => match v.partition_point(|p| p.0 < x) {
                0 => 0,
                i => c[i - 1],
            },
            Side::Sketch(s) => s.count_below(x),
        }
    }

    /// Counts per bin for inner edges: `(-inf, e1), [e1, e2), ..., [ek, inf)`.
    fn bin_counts(&self, edges: &[f64]) -> Vec<u64> {
        let mut out = Vec::with_capacity(edges.len() + 1);
        let mut prev = 0;
        for &e in edges {
            let b = self.count_below(e);
            out.push(b - prev);
            prev = b;
        }
        out.push(self.n() - prev);
        out
    }
}

/// The lower bound of the sketch bucket holding `x`: where sketch-mode bin edges snap to.
fn snap(x: f64) -> f64 {
    crate::sketch::bucket_floor(x)
}

/// Distinct values of the union of both sides, when both track them.
fn union_numbers(r: &ColumnProfile, c: &ColumnProfile) -> Option<Vec<(f64, u64, u64)>> {
    let (a, b) = (r.number_categories.as_ref()?, c.number_categories.as_ref()?);
    let mut map: BTreeMap<u64, (f64, u64, u64)> = BTreeMap::new();
    let key = |v: f64| {
        let b = v.to_bits();
        if b >> 63 == 0 {
            b | (1 << 63)
        } else {
            !b
        }
    };
    for &(v, n) in a {
        map.entry(key(v)).or_insert((v, 0, 0)).1 += n;
    }
    for &(v, n) in b {
        map.entry(key(v)).or_insert((v, 0, 0)).2 += n;
    }
    Some(map.into_values().collect())
}

/// pandas reads a column as int64 when every cell is an integer literal and none is missing.
fn pandas_integer(c: &ColumnProfile) -> bool {
    c.column_type == ColumnType::Integer && c.counts.nulls == 0
}

fn numeric_column(
    reference: &ColumnProfile,
    current: &ColumnProfile,
    options: &DriftOptions,
    out: &mut ColumnDrift,
    findings: &mut Vec<Finding>,
) -> Option<TestResult> {
    let name = reference.name.as_str();
    let (nr, nc) = (reference.moments.n, current.moments.n);
    if nr == 0 || nc == 0 {
        out.note =
            Some(format!("no finite values in the {} data", if nr == 0 { "reference" } else { "current" }));
        return None;
    }
    let union = union_numbers(reference, current);
    let n_values = union.as_ref().map_or(usize::MAX, Vec::len);
    let primary = choose(name, reference.column_type, Kind::Numeric, nr, n_values, options, findings);
    let th = |m: Method| threshold_for(name, m, primary, options);
    if reference.moments.min == reference.moments.max {
        finding(
            findings,
            Severity::Info,
            "constant_reference",
            name,
            format!("\"{name}\" is constant in the reference ({})", reference.moments.min),
        );
    }
    if nr == 1 || nc == 1 {
        finding(
            findings,
            Severity::Info,
            "single_value",
            name,
            format!("\"{name}\" has a single finite value on one side: the tests have almost no power"),
        );
    }
    // Past the exact cap a column with at most 1,024 distinct values on both
    // sides is still known exactly, as value counts.
    let as_counts = |c: &ColumnProfile| -> Option<Vec<(f64, u64)>> {
        if c.exact {
            let mut out: Vec<(f64, u64)> = Vec::new();
            for &v in &c.values {
                match out.last_mut() {
                    Some(last) if last.0 == v => last.1 += 1,
                    _ => out.push((v, 1)),
                }
            }
            Some(out)
        } else {
            c.number_categories.clone()
        }
    };
    let counted =
        if reference.exact && current.exact { None } else { as_counts(reference).zip(as_counts(current)) };
    let exact = (reference.exact && current.exact) || counted.is_some();
    out.exact = exact;
    let (rs, cs) = if reference.exact && current.exact {
        (Side::Exact(&reference.values), Side::Exact(&current.values))
    } else if let Some((r, c)) = counted {
        (Side::counts(r), Side::counts(c))
    } else {
        finding(findings, Severity::Info, "sketch", name, format!(
            "\"{name}\" has more values than the exact cap ({}): its numeric methods ran on quantile sketches (relative error {}), with bounds in statistic_bounds",
            reference.exact_cap.min(current.exact_cap), SKETCH_RELATIVE_ERROR
        ));
        (Side::Sketch(reference.sketch_or_build()), Side::Sketch(current.sketch_or_build()))
    };

    // One walk over both sorted samples serves KS, Wasserstein and the distinct count.
    let walk = match (&rs, &cs) {
        (Side::Exact(r), Side::Exact(c)) => distance::ecdf_walk(r, c),
        (Side::Counts(r, _), Side::Counts(c, _)) => distance::ecdf_walk_counts(r, c),
        _ => None,
    };

    // Kolmogorov-Smirnov.
    match (&rs, &cs) {
        (Side::Exact(_), Side::Exact(_)) | (Side::Counts(..), Side::Counts(..)) => {
            if let Some(x) = walk.map(|w| ks::ks_2samp_from_statistic(nr, nc, w.ks_statistic)) {
                out.metrics.insert("ks_statistic", x.statistic);
                out.metrics.insert("ks_p_value", x.p_value);
                out.tests.push(result(Method::Ks, x.statistic, Some(x.p_value), th(Method::Ks)));
            }
        }
        (Side::Sketch(r), Side::Sketch(c)) => {
            let (lo, hi) = sketch_ks_bounds(r, c);
            let d = (lo + hi) / 2.0;
            let (m, n) = (nr.max(nc) as f64, nr.min(nc) as f64);
            let en = (m * n / (m + n)).round_ties_even() as u64;
            let p = ks::kolmogorov_sf(en, d).clamp(0.0, 1.0);
            out.metrics.insert("ks_statistic", d);
            out.metrics.insert("ks_p_value", p);
            let mut t = result(Method::Ks, d, Some(p), th(Method::Ks));
            t.statistic_bounds = Some([lo, hi]);
            out.tests.push(t);
        }
        _ => {}
    }

    // Wasserstein, raw and normed by the reference standard deviation (Evidently floors it at 0.001).
    let norm = reference.moments.std().max(0.001);
    let (w, bound) = match (&rs, &cs) {
        (Side::Exact(_), Side::Exact(_)) | (Side::Counts(..), Side::Counts(..)) => {
            (walk.map(|w| w.wasserstein), None)
        }
        (Side::Sketch(r), Side::Sketch(c)) => {
            let mids = |s: &QuantileSketch| s.buckets().map(|b| (b.mid(), b.count)).collect::<Vec<_>>();
            let mean_abs = |s: &QuantileSketch| {
                s.buckets().map(|b| b.lo.abs().max(b.hi.abs()).min(f64::MAX) * b.count as f64).sum::<f64>()
                    / s.count() as f64
            };
            let b = SKETCH_RELATIVE_ERROR / 2.0 * (mean_abs(r) + mean_abs(c));
            (distance::wasserstein_weighted(&mids(r), &mids(c)), Some(b))
        }
        _ => (None, None),
    };
    if let Some(w) = w {
        out.metrics.insert("wasserstein_distance", w);
        out.metrics.insert("wasserstein_normed", w / norm);
        let mut raw = result(Method::WassersteinRaw, w, None, th(Method::WassersteinRaw));
        let mut normed = result(Method::Wasserstein, w / norm, None, th(Method::Wasserstein));
        if let Some(b) = bound {
            raw.statistic_bounds = Some([(w - b).max(0.0), w + b]);
            normed.statistic_bounds = Some([(w - b).max(0.0) / norm, (w + b) / norm]);
        }
        out.tests.push(normed);
        out.tests.push(raw);
    }

    // PSI on reference-quantile bins.
    let psi_result = match (&rs, &cs) {
        (Side::Exact(r), Side::Exact(c)) => psi::psi_quantile_bins(r, c, options.psi_bins),
        (Side::Counts(v, cumulative), _) => {
            let mut edges: Vec<f64> = (1..options.psi_bins)
                .map(|k| psi::quantile_counts(v, cumulative, k as f64 / options.psi_bins as f64))
                .collect();
            edges.dedup();
            let (rc, cc) = (rs.bin_counts(&edges), cs.bin_counts(&edges));
            let v = psi::psi_from_counts(&rc, &cc);
            Some(psi::PsiResult { psi: v, edges, reference_counts: rc, current_counts: cc })
        }
        (Side::Sketch(r), _) => {
            let mut edges: Vec<f64> = (1..options.psi_bins)
                .filter_map(|k| r.quantile_boundary(k as f64 / options.psi_bins as f64))
                .collect();
            edges.dedup();
            let (rc, cc) = (rs.bin_counts(&edges), cs.bin_counts(&edges));
            let v = psi::psi_from_counts(&rc, &cc);
            Some(psi::PsiResult { psi: v, edges, reference_counts: rc, current_counts: cc })
        }
        _ => None,
    };
    if let Some(p) = psi_result {
        out.metrics.insert("psi", p.psi);
        out.tests.push(result(Method::Psi, p.psi, None, th(Method::Psi)));
        out.histogram = Some(Histogram::Bins {
            edges: p.edges,
            reference: p.reference_counts,
            current: p.current_counts,
        });
    }

    // Evidently's bins: categories when the reference has at most 20 distinct
    // values, otherwise Sturges bins over both samples.
    let ref_distinct = reference.number_categories.as_ref().map_or(usize::MAX, Vec::len);
    let (lo, hi) =
        (reference.moments.min.min(current.moments.min), reference.moments.max.max(current.moments.max));
    let integer = pandas_integer(reference) && pandas_integer(current);
    let binned: Option<(Vec<u64>, Vec<u64>)> = match &union {
        Some(u) if ref_distinct <= 20 => {
            Some((u.iter().map(|x| x.1).collect(), u.iter().map(|x| x.2).collect()))
        }
        _ => {
            let edges = binning::sturges_edges(lo, hi, nr + nc, integer);
            usable_edges(&edges).then(|| {
                let inner = &edges[1..edges.len() - 1];
                let inner: Vec<f64> =
                    if exact { inner.to_vec() } else { inner.iter().map(|&e| snap(e)).collect() };
                (rs.bin_counts(&inner), cs.bin_counts(&inner))
            })
        }
    };
    // Evidently's numeric Hellinger bins the distinct values of both sides instead.
    let hellinger = {
        let distinct = match (&union, &rs, &cs) {
            (Some(u), _, _) => u.len() as u64,
            (None, Side::Exact(_), Side::Exact(_)) => walk.map_or(0, |w| w.distinct),
            (None, Side::Sketch(r), Side::Sketch(c)) => {
                let mut s = r.clone();
                s.merge(c);
                s.buckets().count() as u64
            }
            _ => 0,
        };
        let edges = binning::sturges_edges(lo, hi, distinct, integer);
        if usable_edges(&edges) {
            let inner = &edges[1..edges.len() - 1];
            let inner: Vec<f64> =
                if exact { inner.to_vec() } else { inner.iter().map(|&e| snap(e)).collect() };
            distance::hellinger_histogram(&edges, &rs.bin_counts(&inner), &cs.bin_counts(&inner))
        } else {
            f64::NAN
        }
    };
    if let Some((r, c)) = &binned {
        push_distances(name, r, c, primary, options, out, Some(hellinger));
    }

    // Few distinct values: the categorical tests too (and they may be the primary method).
    if let Some(u) = union.as_ref().filter(|u| u.len() <= 20) {
        let labels: Vec<String> = u.iter().map(|x| x.0.to_string()).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let r: Vec<u64> = u.iter().map(|x| x.1).collect();
        let c: Vec<u64> = u.iter().map(|x| x.2).collect();
        let mut tmp = ColumnDrift { tests: Vec::new(), metrics: BTreeMap::new(), ..out.clone() };
        category_methods(name, &labels, &r, &c, true, primary, options, &mut tmp);
        for t in tmp.tests {
            if !out.tests.iter().any(|x| x.method == t.method) {
                out.tests.push(t);
            }
        }
        for (k, v) in tmp.metrics {
            out.metrics.entry(k).or_insert(v);
        }
        if primary.is_test() && primary != Method::Ks || primary == Method::CramersV {
            out.note = Some(format!("{} distinct values: tested as categories", u.len()));
            out.histogram = Some(category_histogram(&labels, &r, &c));
        }
    }
    let found = out.tests.iter().find(|t| t.method == primary).cloned();
    if found.is_none() {
        finding(
            findings,
            Severity::Warning,
            "method_not_applicable",
            name,
            format!("\"{name}\": {primary} could not be computed on this column"),
        );
    }
    found
}

/// Equal-width edges are usable when there are at least two and all are finite
/// (a range wider than `f64::MAX`, from -1e308 to 1e308, gives none).
fn usable_edges(edges: &[f64]) -> bool {
    edges.len() >= 2 && edges.iter().all(|e| e.is_finite())
}

/// Bounds on the KS statistic from two sketches: the ECDFs are exact at bucket
/// boundaries (lower bound), and inside a bucket each can rise by at most its
/// own bucket count (upper bound).
fn sketch_ks_bounds(r: &QuantileSketch, c: &QuantileSketch) -> (f64, f64) {
    let (nr, nc) = (r.count() as f64, c.count() as f64);
    let mut a = r.buckets().peekable();
    let mut b = c.buckets().peekable();
    let (mut fr, mut fc) = (0u64, 0u64);
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.lo.min(y.lo),
            (Some(x), None) => x.lo,
            (None, Some(y)) => y.lo,
            (None, None) => break,
        };
        let (sr, sc) = (fr, fc);
        if a.peek().is_some_and(|x| x.lo == next) {
            fr += a.next().map_or(0, |x| x.count);
        }
        if b.peek().is_some_and(|y| y.lo == next) {
            fc += b.next().map_or(0, |y| y.count);
        }
        let (er, ec) = (fr as f64 / nr, fc as f64 / nc);
        lo = lo.max((er - ec).abs());
        hi =
            hi.max(er - sc as f64 / nc).max(ec - sr as f64 / nr).max((sr as f64 / nr - sc as f64 / nc).abs());
    }
    (lo, hi.max(lo))
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

/// A sample column as numbers or as category keys.
fn sample_numbers(data: &DatasetProfile, a: usize, b: usize) -> Vec<(f64, f64, u64)> {
    data.sample
        .rows()
        .filter_map(|r| match (&r.cells[a], &r.cells[b]) {
            (SampleCell::Number(x), SampleCell::Number(y)) => Some((*x, *y, r.count)),
            _ => None,
        })
        .collect()
}

fn key_of(c: &SampleCell) -> Option<String> {
    match c {
        SampleCell::Missing => None,
        SampleCell::Number(v) => Some(v.to_string()),
        SampleCell::Text(s) => Some(s.to_string()),
    }
}

/// Association measures between columns `a` and `b` of `data`, one per method,
/// from one pass over the row sample.
fn associations(data: &DatasetProfile, a: &str, b: &str, methods: &[&'static str]) -> Vec<Option<f64>> {
    let (Some(ia), Some(ib)) =
        (data.columns.iter().position(|c| c.name == a), data.columns.iter().position(|c| c.name == b))
    else {
        return vec![None; methods.len()];
    };
    let numeric = || sample_numbers(data, ia, ib);
    match methods {
        ["pearson", "spearman"] => {
            let pairs = numeric();
            vec![corr::pearson(&pairs), corr::spearman(&pairs)]
        }
        ["cramers_v"] => {
            let pairs: Vec<(String, String, u64)> = data
                .sample
                .rows()
                .filter_map(|r| Some((key_of(&r.cells[ia])?, key_of(&r.cells[ib])?, r.count)))
                .collect();
            vec![corr::cramers_v(pairs.iter().map(|(x, y, w)| (x.as_str(), y.as_str(), *w)))]
        }
        _ => {
            // correlation_ratio: `a` categorical, `b` numeric.
            let pairs: Vec<(String, f64, u64)> = data
                .sample
                .rows()
                .filter_map(|r| match &r.cells[ib] {
                    SampleCell::Number(y) => Some((key_of(&r.cells[ia])?, *y, r.count)),
                    _ => None,
                })
                .collect();
            vec![corr::correlation_ratio(pairs.iter().map(|(x, y, w)| (x.as_str(), *y, *w)))]
        }
    }
}

/// The reference and current values of each method for the pair `a`, `b`.
fn changes(
    reference: &DatasetProfile,
    current: &DatasetProfile,
    a: &str,
    b: &str,
    methods: &[&'static str],
    options: &DriftOptions,
) -> Vec<CorrelationChange> {
    let r = associations(reference, a, b, methods);
    let c = associations(current, a, b, methods);
    methods
        .iter()
        .zip(r.into_iter().zip(c))
        .map(|(&method, (r, c))| {
            let d = r.zip(c).map(|(r, c)| c - r);
            CorrelationChange {
                a: a.to_string(),
                b: b.to_string(),
                method,
                reference: r,
                current: c,
                change: d,
                flagged: d.is_some_and(|d| d.abs() >= options.correlation_change),
            }
        })
        .collect()
}

fn correlations(
    reference: &DatasetProfile,
    current: &DatasetProfile,
    columns: &[ColumnDrift],
    options: &DriftOptions,
) -> Correlations {
    let numeric: Vec<&str> = columns
        .iter()
        .filter(|c| {
            c.role == Role::Feature
                && c.status == Status::Tested
                && c.column_type.is_numeric()
                && c.current_type.is_some_and(ColumnType::is_numeric)
        })
        .map(|c| c.column.as_str())
        .take(options.max_correlation_columns)
        .collect();
    let mut features = Vec::new();
    for (i, a) in numeric.iter().enumerate() {
        for b in &numeric[i + 1..] {
            features.extend(changes(reference, current, a, b, &["pearson", "spearman"], options));
        }
    }
    let mut target = Vec::new();
    for against in [&options.target, &options.prediction].into_iter().flatten() {
        let Some(t) = columns.iter().find(|c| &c.column == against && c.status == Status::Tested) else {
            continue;
        };
        for f in columns.iter().filter(|c| c.role == Role::Feature && c.status == Status::Tested) {
            let (fnum, tnum) = (f.column_type.is_numeric(), t.column_type.is_numeric());
            let methods: &[&'static str] = match (fnum, tnum) {
                (true, true) => &["pearson", "spearman"],
                (false, false) => &["cramers_v"],
                _ => &["correlation_ratio"],
            };
            let (a, b) = if methods == ["correlation_ratio"] && fnum {
                (&t.column, &f.column)
            } else {
                (&f.column, &t.column)
            };
            for mut ch in changes(reference, current, a, b, methods, options) {
                // Always name the feature first and the target or prediction second.
                ch.a = f.column.clone();
                ch.b = t.column.clone();
                target.push(ch);
            }
        }
    }
    Correlations {
        exact: !reference.sample.truncated && !current.sample.truncated,
        reference_rows: reference.sample.len(),
        current_rows: current.sample.len(),
        features,
        target,
    }
}
