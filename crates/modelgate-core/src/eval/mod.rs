//! Model evaluation: the model's metrics next to simple baselines, on slices,
//! for a sensitive group, across time; and row-by-row comparisons of two
//! prediction files ([`compare_predictions`]) and of training-time and
//! serving-time features ([`skew_report`]).
//!
//! The checks answer the first questions of the readiness checklists modelgate
//! was designed from (`/work/shared/reference/`): "Is there a well-defined
//! baseline? Is the model performing better than the baseline?" and "how does
//! your model compare to a random guess ... a simple threshold ... always
//! predicting the most common value?" (an ML model production checklist,
//! `000_...`); the heuristic baseline and "out-of-time analysis ... performance
//! degrades by 5% after 2 months, so one can decide to retrain every two months"
//! (Tiwari, *ML Checklist*, 2021, `001_...`); reproducible pipelines (a
//! pre-deployment checklist, `002_...`); and the ML Test Score's "a simpler
//! model is not better", "model quality is sufficient on important data
//! slices", "the impact of model staleness is known" and "training and serving
//! are not skewed" (Breck et al., 2017).
//!
//! Input is a [`Table`] (every cell, rows aligned) read by [`TableIngest`].
//! Rows that cannot be scored (a missing label, a NaN prediction, an unknown
//! class, probabilities out of range) are left out and reported as
//! [`Finding`]s with their row numbers; only unusable configuration (a named
//! column that does not exist, no label column at all) is an [`EvalError`].
//!
//! ```
//! use modelgate_core::eval::{evaluate, EvalOptions, TableIngest};
//!
//! let mut ingest = TableIngest::new("preds.csv");
//! ingest.push(b"label,prediction,score\n1,1,0.9\n0,0,0.2\n1,0,0.4\n0,0,0.1\n1,1,0.8\n0,1,0.6\n").unwrap();
//! let table = ingest.finish().unwrap();
//! let report = evaluate(&table, None, &EvalOptions::default()).unwrap();
//! assert_eq!(report.task, modelgate_core::eval::Task::Binary);
//! assert!((report.metrics.get("accuracy").unwrap() - 4.0 / 6.0).abs() < 1e-15);
//! assert!((report.metrics.get("roc_auc").unwrap() - 8.0 / 9.0).abs() < 1e-15);
//! ```

mod align;
pub(crate) use align::{LABEL_NAMES, PREDICTION_NAMES, PROBA_PREFIXES, SCORE_NAMES};
mod baselines;
mod compare;
mod fairness;
pub mod linear;
pub mod metrics;
mod predictor;
pub mod rng;
mod slices;
mod table;
mod time;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use align::ResolvedColumns;
pub use baselines::{
    BaselineComparison, BaselineDetails, BaselineResult, Baselines, Verdict as BaselineVerdict,
    MAX_LOGISTIC_PARAMETERS,
};
pub use compare::{
    compare_predictions, skew_report, ColumnComparison, CompareOptions, CompareReport, FeatureSkew,
    SkewOptions, SkewReport,
};
pub use fairness::{Fairness, FairnessGroup};
pub use metrics::{Calibration, CalibrationBin, ClassMetrics, MetricSet, Residuals};
pub use slices::{SliceColumn, SliceGroup, WeakSlice};
pub use table::{number_key, Table, TableIngest, Value};
pub use time::{parse_timestamp, Period, PeriodMetrics, TimeReport};

/// What kind of model is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Two classes.
    Binary,
    /// Three or more classes.
    Multiclass,
    /// Real-valued predictions.
    Regression,
    /// Binary or multiclass, decided by the number of classes (an option only).
    Classification,
}

/// How an evaluation is configured. Every field has a default; column names
/// left empty are detected (see [`ResolvedColumns`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvalOptions {
    /// The label (ground truth) column.
    pub label: Option<String>,
    /// The predicted label or value.
    pub prediction: Option<String>,
    /// The positive class's probability (binary models).
    pub score: Option<String>,
    /// Per-class probability columns; the class is the name after the first
    /// `_` (`proba_setosa` is class `setosa`).
    pub probabilities: Vec<String>,
    /// The positive class of a binary model (default: the larger class, as
    /// scikit-learn's `roc_auc_score` takes it).
    pub positive_class: Option<String>,
    /// Binary, multiclass, classification or regression (default: detected).
    pub task: Option<Task>,
    /// A row identifier, shown in findings.
    pub id: Option<String>,
    /// A timestamp column for the analysis over time and the last-value baseline.
    pub timestamp: Option<String>,
    /// Columns to slice by (default: every categorical and numeric feature).
    pub slices: Vec<String>,
    /// A sensitive column for the fairness metrics.
    pub sensitive: Option<String>,
    /// Feature columns for the stump and linear baselines (default: every numeric column
    /// that is not the label, prediction, score, id or timestamp).
    pub features: Vec<String>,
    /// Time period (default: the finest of day, week and month whose median period has `min_period_rows` rows).
    pub period: Option<Period>,
    /// The metric baselines, slices and time are judged on (default:
    /// `accuracy` for classifiers, `mae` for regression).
    pub metric: Option<String>,
    /// A binary prediction is the positive class when its score is above this
    /// (used only when there is no prediction column).
    pub threshold: f64,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Bootstrap resamples (0 turns the intervals off).
    pub resamples: usize,
    /// Confidence level of the bootstrap intervals.
    pub confidence: f64,
    /// Equal-width bins of the reliability curve.
    pub calibration_bins: usize,
    /// Quantile bins per numeric slice column.
    pub slice_bins: usize,
    /// Numeric columns with at most this many distinct values are sliced by value.
    pub slice_max_categories: usize,
    /// Slices smaller than this are listed but never flagged.
    pub min_slice_rows: usize,
    /// A slice is flagged when its metric is worse than overall by this share of the overall value.
    pub slice_gap: f64,
    /// Relative degradation from the first period that suggests retraining.
    pub retrain_drop: f64,
    /// Periods with fewer rows are listed but left out of the trend.
    pub min_period_rows: usize,
    /// Allowed distance of a row's probabilities' sum from 1.
    pub probability_tolerance: f64,
    /// Most features the linear baseline uses (the first ones in file order).
    pub linear_max_features: usize,
    /// Inverse L2 strength of the logistic baseline (scikit-learn's `C`).
    pub logistic_c: f64,
    /// Bound on Deepchecks' gain, `[-max_gain, max_gain]`.
    pub max_gain: f64,
    /// Row numbers listed per finding.
    pub max_listed_rows: usize,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            label: None,
            prediction: None,
            score: None,
            probabilities: Vec::new(),
            positive_class: None,
            task: None,
            id: None,
            timestamp: None,
            slices: Vec::new(),
            sensitive: None,
            features: Vec::new(),
            period: None,
            metric: None,
            threshold: 0.5,
            seed: 42,
            resamples: 1000,
            confidence: 0.95,
            calibration_bins: 10,
            slice_bins: 4,
            slice_max_categories: 10,
            min_slice_rows: 10,
            slice_gap: 0.1,
            retrain_drop: 0.05,
            min_period_rows: 20,
            probability_tolerance: 1e-6,
            linear_max_features: 10,
            logistic_c: 1.0,
            max_gain: 50.0,
            max_listed_rows: 20,
        }
    }
}

/// Unusable configuration or input: a named column that does not exist, no
/// label column, an option out of range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// A stable machine-readable name.
    pub code: &'static str,
    /// What is wrong, naming the file and column.
    pub message: String,
}

impl EvalError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        EvalError { code, message: message.into() }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Rows were left out or a result is less certain.
    Warning,
    /// The predictions do not line up with the labels: the evaluation fails.
    Error,
}

/// Something about the data, with the rows where it was seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// A stable machine-readable name (`missing_label`, `unknown_predicted_class`, ...).
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// The file it was seen in.
    pub source: String,
    /// The column, when one is concerned.
    pub column: Option<String>,
    /// Rows it was seen in.
    pub count: u64,
    /// The first row numbers (1-based data rows, the header not counted).
    pub rows: Vec<u64>,
    /// What was seen and what was done about it.
    pub message: String,
}

/// The confusion matrix over the classes that occur in labels or predictions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfusionMatrix {
    /// Classes, in the order of rows (true) and columns (predicted).
    pub labels: Vec<String>,
    /// Counts, `matrix[true][predicted]`.
    pub matrix: Vec<Vec<u64>>,
}

/// The training file's part in an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingInfo {
    /// Its name.
    pub source: String,
    /// Its data rows.
    pub rows: usize,
    /// Rows with a usable label.
    pub rows_used: usize,
}

/// Pass or fail, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// True when no baseline matches or beats the model and no finding is an error.
    pub passed: bool,
    /// One sentence per reason it failed (empty when it passed).
    pub reasons: Vec<String>,
}

/// Everything [`evaluate`] found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// The predictions file.
    pub source: String,
    /// Its data rows.
    pub rows: usize,
    /// Rows that could be scored.
    pub rows_evaluated: usize,
    /// The training file, when one was given.
    pub training: Option<TrainingInfo>,
    /// The task.
    pub task: Task,
    /// The columns used.
    pub columns: ResolvedColumns,
    /// Classes in metric order (empty for regression).
    pub classes: Vec<String>,
    /// The positive class of a binary model.
    pub positive_class: Option<String>,
    /// True when predictions were derived from scores or probabilities.
    pub prediction_derived: bool,
    /// The metric baselines, slices and time are judged on.
    pub primary_metric: String,
    /// Whether a larger primary metric is better.
    pub higher_is_better: bool,
    /// Every metric of the model.
    pub metrics: MetricSet,
    /// Per-class precision, recall, F1 and support.
    pub per_class: Vec<ClassMetrics>,
    /// The confusion matrix.
    pub confusion: Option<ConfusionMatrix>,
    /// The reliability curve.
    pub calibration: Option<Calibration>,
    /// The residual distribution (regression).
    pub residuals: Option<Residuals>,
    /// The baselines and the model's gain over each.
    pub baselines: Baselines,
    /// Metrics per slice.
    pub slices: Vec<SliceColumn>,
    /// Slices flagged as weaker than overall, weakest first.
    pub weak_slices: Vec<WeakSlice>,
    /// Fairness for the sensitive column.
    pub fairness: Option<Fairness>,
    /// Metrics over time.
    pub time: Option<TimeReport>,
    /// Everything odd in the data.
    pub findings: Vec<Finding>,
    /// The options used (defaults filled in).
    pub options: EvalOptions,
    /// Pass or fail.
    pub verdict: Verdict,
}

/// Evaluates the predictions in `predictions` (and fits the baselines that need
/// fitting on `training`, or on the evaluated rows themselves without one).
pub fn evaluate(
    predictions: &Table,
    training: Option<&Table>,
    options: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    check_options(options)?;
    let mut findings = align::Findings::new(options.max_listed_rows);
    let prepared = align::prepare(predictions, training, options, &mut findings)?;
    let primary = prepared.primary.clone();
    let (higher_is_better, _) = metrics::direction(&primary);
    let ctx = &prepared.ctx;
    let all: Vec<usize> = (0..ctx.len()).collect();
    let model_metrics = predictor::metric_set(ctx, &prepared.model, &all, options.calibration_bins);
    let (per_class, confusion, calibration, residuals) = predictor::details(ctx, &prepared.model, options);

    let baselines = baselines::run(&prepared, predictions, training, options, &model_metrics, &mut findings);
    let (slices, weak_slices) = slices::run(&prepared, predictions, options, &model_metrics);
    let fairness = fairness::run(&prepared, predictions, options);
    let time = time::run(&prepared, predictions, options, &mut findings);

    let findings = findings.finish();
    let mut reasons = Vec::new();
    for b in &baselines.results {
        if let Some(c) = &b.comparison {
            match c.verdict {
                baselines::Verdict::BaselineBetter => reasons.push(format!(
                    "the {} baseline beats the model on {} ({} vs {})",
                    b.name,
                    c.metric,
                    c.baseline.map_or("-".into(), short),
                    short(c.model)
                )),
                baselines::Verdict::NoSignificantDifference => reasons.push(format!(
                    "the {} baseline matches the model on {} ({} vs {}; the {}% interval of the difference, [{}, {}], includes 0)",
                    b.name,
                    c.metric,
                    c.baseline.map_or("-".into(), short),
                    short(c.model),
                    short(c.confidence * 100.0),
                    c.ci_low.map_or("-".into(), short),
                    c.ci_high.map_or("-".into(), short)
                )),
                baselines::Verdict::ModelBetter | baselines::Verdict::NotCompared => {}
            }
        }
    }
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    if !errors.is_empty() {
        let rows: u64 = errors.iter().map(|f| f.count).sum();
        reasons.push(format!(
            "{} finding{} at error severity ({} row{}): {}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            rows,
            if rows == 1 { "" } else { "s" },
            errors.iter().map(|f| f.code).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(EvalReport {
        source: predictions.source.clone(),
        rows: predictions.rows(),
        rows_evaluated: ctx.len(),
        training: prepared.training_info.clone(),
        task: prepared.task,
        columns: prepared.columns.clone(),
        classes: ctx.classes().to_vec(),
        positive_class: ctx.positive().map(|p| ctx.classes()[p].clone()),
        prediction_derived: prepared.prediction_derived,
        primary_metric: primary,
        higher_is_better,
        metrics: model_metrics,
        per_class,
        confusion,
        calibration,
        residuals,
        baselines,
        slices,
        weak_slices,
        fairness,
        time,
        findings,
        options: options.clone(),
        verdict: Verdict { passed: reasons.is_empty(), reasons },
    })
}

/// Four significant digits, for messages.
pub(crate) fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = 3 - x.abs().log10().floor() as i32;
    if (0..=12).contains(&digits) {
        let s = format!("{:.*}", digits as usize, x);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{x:.3e}")
    }
}

/// Finite and at least 0.
pub(crate) fn non_negative(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

fn check_options(o: &EvalOptions) -> Result<(), EvalError> {
    let bad = |what: &str| Err(EvalError::new("bad_option", what.to_string()));
    if !(o.confidence.is_finite() && o.confidence > 0.0 && o.confidence < 1.0) {
        return bad("option \"confidence\" must be between 0 and 1");
    }
    if !o.threshold.is_finite() {
        return bad("option \"threshold\" must be a finite number");
    }
    if o.calibration_bins == 0 || o.calibration_bins > 1000 {
        return bad("option \"calibration_bins\" must be from 1 to 1000");
    }
    if o.slice_bins == 0 || o.slice_bins > 100 {
        return bad("option \"slice_bins\" must be from 1 to 100");
    }
    if !non_negative(o.slice_gap) || !non_negative(o.retrain_drop) {
        return bad("options \"slice_gap\" and \"retrain_drop\" must be finite and not negative");
    }
    if !non_negative(o.probability_tolerance) {
        return bad("option \"probability_tolerance\" must be finite and not negative");
    }
    if !non_negative(o.logistic_c) || o.logistic_c == 0.0 {
        return bad("option \"logistic_c\" must be a positive number");
    }
    if !non_negative(o.max_gain) || o.max_gain == 0.0 {
        return bad("option \"max_gain\" must be positive");
    }
    if o.resamples > 100_000 {
        return bad("option \"resamples\" must be at most 100000");
    }
    Ok(())
}
