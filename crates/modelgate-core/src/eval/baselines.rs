//! The simplest things that could work, on the same rows as the model.
//!
//! Classification: the majority class (with the class shares as its
//! probabilities, scikit-learn's `DummyClassifier(strategy="prior")`), a
//! stratified and a uniform random guess (their *expected* metrics, in closed
//! form: accuracy, balanced accuracy and recall are exact expectations;
//! precision and F1 are those of the expected confusion matrix, `E[C] = n_t p_j`),
//! the decision stump and a logistic regression. Regression: the mean, the
//! median, the last value (the previous row's label in timestamp order; the
//! first row gets the mean), the stump and least squares. Fitted baselines use
//! the training file, or without one the evaluated rows themselves, which
//! flatters the baseline: a model that cannot beat an in-sample baseline would
//! not beat it out of sample either.
//!
//! The model's **gain** over a baseline is Deepchecks' (`get_gain` in
//! `deepchecks/utils/metrics.py`, used by its `SimpleModelComparison` check):
//! `(score - baseline) / (perfect - baseline)`, on scores where larger is
//! better (losses negated, perfect 0), bounded to `[-max_gain, max_gain]`; 0
//! when the baseline is already perfect and the model equals it, `-max_gain`
//! when the baseline is perfect and the model is not.
//!
//! The **interval** is a paired percentile bootstrap of the difference in the
//! primary metric (positive: the model is better): `resamples` times, draw
//! `n` rows with replacement with [`super::rng::Rng`] seeded by `seed`, compute
//! both metrics on the draw, and take the `(1 - confidence) / 2` and
//! `(1 + confidence) / 2` quantiles (numpy's linear method). The verdict is
//! `model_better` when the whole interval is above 0, `baseline_better` when it
//! is below, `no_significant_difference` otherwise: a baseline that matches the
//! model is reported just like one that beats it.

use serde::Serialize;

use super::align::{Findings, FitLabels, Prepared};
use super::linear::{fit_logistic, fit_ols, fit_stump, StumpTarget};
use super::metrics::{self, direction, MetricSet};
use super::predictor::{metric_drawn, metric_set, Ctx, Predictor};
use super::rng::Rng;
use super::table::Table;
use super::time::parse_timestamp;
use super::{EvalOptions, Severity};
use crate::stats::psi::quantile_sorted;

/// Most parameters (weight vectors times features plus intercept) the logistic
/// baseline is fitted with. Its Newton solver builds and factors a square
/// Hessian of that size at each of up to 200 steps, so time grows with the cube
/// and memory with the square: 56 classes on 10 features (616 parameters) took
/// 11 s on 64 rows, and 56 on 8 (504) 13 s. 128 covers 11 classes on the
/// default 10 features.
pub const MAX_LOGISTIC_PARAMETERS: usize = 128;

/// How a baseline compares with the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The interval of the difference lies above 0.
    ModelBetter,
    /// The interval includes 0: the baseline matches the model.
    NoSignificantDifference,
    /// The interval lies below 0.
    BaselineBetter,
    /// The primary metric is undefined for this baseline.
    NotCompared,
}

/// The model against one baseline on the primary metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineComparison {
    /// The metric.
    pub metric: String,
    /// The model's value.
    pub model: f64,
    /// The baseline's value (`None` when undefined for it).
    pub baseline: Option<f64>,
    /// How much better the model is (model minus baseline, or baseline minus model for a loss).
    pub difference: Option<f64>,
    /// Lower end of the bootstrap interval of the difference.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// Its confidence level.
    pub confidence: f64,
    /// Resamples on which the metric was defined for both.
    pub resamples_used: usize,
    /// Deepchecks' gain.
    pub gain: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
}

/// What a baseline is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BaselineDetails {
    /// Always the same class or value.
    Constant {
        /// The class or the value, as text.
        value: String,
    },
    /// Random classes with these shares.
    Shares {
        /// Classes.
        classes: Vec<String>,
        /// The probability of drawing each.
        shares: Vec<f64>,
    },
    /// A one-split rule.
    Stump {
        /// The feature.
        feature: Option<String>,
        /// Rows with the feature at or below this (after rounding to `f32`) take the left leaf.
        threshold: f64,
        /// Left leaf: class shares or `[mean]`.
        left: Vec<f64>,
        /// Right leaf.
        right: Vec<f64>,
    },
    /// A linear or logistic model.
    Linear {
        /// Features used.
        features: Vec<String>,
        /// Features dropped as linear combinations of others.
        dropped: Vec<String>,
        /// Whether the coefficients apply to standardised features.
        standardized: bool,
        /// Coefficients: one row (regression, or binary log-odds of the second class) or one per class.
        coefficients: Vec<Vec<f64>>,
        /// Intercepts, one per row of coefficients.
        intercepts: Vec<f64>,
        /// Classes of the rows of coefficients (multinomial), or the modelled class (binary).
        classes: Vec<String>,
        /// Newton iterations (logistic regression).
        iterations: usize,
    },
    /// The previous row's label in time order.
    LastValue {
        /// The timestamp column.
        timestamp: String,
        /// What the first row gets.
        first_row: f64,
    },
}

/// One baseline's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineResult {
    /// `majority`, `stratified`, `uniform`, `stump`, `linear`, `mean`, `median` or `last_value`.
    pub name: &'static str,
    /// What it does, in a sentence.
    pub description: String,
    /// True when its metrics are expected values of a random predictor.
    pub expected_value: bool,
    /// Why it was not run, if it was not.
    pub skipped: Option<String>,
    /// Its metrics on the evaluated rows.
    pub metrics: MetricSet,
    /// The model's gain over it, per metric.
    pub gain: MetricSet,
    /// The comparison on the primary metric.
    pub comparison: Option<BaselineComparison>,
    /// What it is.
    pub details: Option<BaselineDetails>,
}

/// All baselines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baselines {
    /// `training` or `evaluated_rows`.
    pub fitted_on: &'static str,
    /// Rows the baselines were fitted on.
    pub fit_rows: usize,
    /// The metric compared.
    pub metric: String,
    /// Bootstrap seed.
    pub seed: u64,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// Interval confidence.
    pub confidence: f64,
    /// Bound on the gain.
    pub max_gain: f64,
    /// One entry per baseline.
    pub results: Vec<BaselineResult>,
}

/// Deepchecks' gain of `model` over `base` on `name`.
pub(crate) fn gain(name: &str, model: Option<f64>, base: Option<f64>, max_gain: f64) -> Option<f64> {
    let (model, base) = (model?, base?);
    let (higher, perfect) = direction(name);
    let (score, base_score, perfect) =
        if higher { (model, base, perfect) } else { (-model, -base, -perfect) };
    let distance = perfect - base_score;
    let diff = score - base_score;
    if distance == 0.0 {
        return Some(if diff == 0.0 { 0.0 } else { -max_gain });
    }
    Some((diff / distance).clamp(-max_gain, max_gain))
}

struct Candidate {
    name: &'static str,
    description: String,
    expected_value: bool,
    predictor: Option<Predictor>,
    skipped: Option<String>,
    details: Option<BaselineDetails>,
}

impl Candidate {
    fn skipped(name: &'static str, description: String, why: String) -> Self {
        Candidate {
            name,
            description,
            expected_value: false,
            predictor: None,
            skipped: Some(why),
            details: None,
        }
    }
}

fn features_of(table: &Table, col_pairs: &[(usize, usize)], rows: &[usize], fit: bool) -> Vec<Vec<f64>> {
    col_pairs
        .iter()
        .map(|&(c, fc)| {
            let col = if fit { fc } else { c };
            rows.iter().map(|&r| table.number(col, r).unwrap_or(f64::NAN)).collect()
        })
        .collect()
}

fn row_of(columns: &[Vec<f64>], i: usize) -> Vec<f64> {
    columns.iter().map(|c| c[i]).collect()
}

pub(crate) fn run(
    prep: &Prepared,
    table: &Table,
    training: Option<&Table>,
    options: &EvalOptions,
    model_metrics: &MetricSet,
    findings: &mut Findings,
) -> Baselines {
    let fit_table = training.unwrap_or(table);
    let fit_x = features_of(fit_table, &prep.feature_columns, &prep.fit_rows, true);
    let eval_x = features_of(table, &prep.feature_columns, &prep.rows, false);
    let feature_names = &prep.columns.features;
    let n = prep.ctx.len();
    let mut candidates = Vec::new();
    let no_fit = prep.fit_rows.is_empty();

    match (&prep.ctx, &prep.fit_labels) {
        (Ctx::Class { classes, .. }, FitLabels::Classes(fy)) => {
            let k = classes.len();
            let mut counts = vec![0.0; k];
            for &c in fy {
                counts[c] += 1.0;
            }
            let total: f64 = counts.iter().sum();
            if no_fit || k == 0 {
                for name in ["majority", "stratified", "uniform", "stump", "linear"] {
                    candidates.push(Candidate::skipped(
                        name,
                        String::new(),
                        "no labelled row to fit it on".into(),
                    ));
                }
            } else {
                let shares: Vec<f64> = counts.iter().map(|c| c / total).collect();
                let mut majority = 0;
                for j in 1..k {
                    if counts[j] > counts[majority] {
                        majority = j;
                    }
                }
                candidates.push(Candidate {
                    name: "majority",
                    description: format!(
                        "always predicts \"{}\", the most frequent class, with the class shares as probabilities",
                        classes[majority]
                    ),
                    expected_value: false,
                    predictor: Some(Predictor::Hard {
                        pred: vec![majority; n],
                        proba: Some((0..n).flat_map(|_| shares.iter().copied()).collect()),
                    }),
                    skipped: None,
                    details: Some(BaselineDetails::Constant { value: classes[majority].clone() }),
                });
                candidates.push(Candidate {
                    name: "stratified",
                    description: "draws a class at random with the class shares; expected metrics".into(),
                    expected_value: true,
                    predictor: Some(Predictor::Random { shares: shares.clone(), proba: None }),
                    skipped: None,
                    details: Some(BaselineDetails::Shares {
                        classes: classes.clone(),
                        shares: shares.clone(),
                    }),
                });
                let seen = counts.iter().filter(|&&c| c > 0.0).count() as f64;
                let uniform: Vec<f64> =
                    counts.iter().map(|&c| if c > 0.0 { 1.0 / seen } else { 0.0 }).collect();
                candidates.push(Candidate {
                    name: "uniform",
                    description: format!(
                        "draws one of the {seen} classes uniformly at random; expected metrics, probabilities 1/{seen}"
                    ),
                    expected_value: true,
                    predictor: Some(Predictor::Random { shares: uniform.clone(), proba: Some(uniform.clone()) }),
                    skipped: None,
                    details: Some(BaselineDetails::Shares { classes: classes.clone(), shares: uniform }),
                });
                // The stump.
                if prep.feature_columns.is_empty() {
                    candidates.push(Candidate::skipped(
                        "stump",
                        "a single-feature threshold rule".into(),
                        "no numeric feature without missing values".into(),
                    ));
                } else if let Some(s) = fit_stump(&fit_x, StumpTarget::Classes(fy, k)) {
                    let mut pred = Vec::with_capacity(n);
                    let mut proba = Vec::with_capacity(n * k);
                    for i in 0..n {
                        let leaf = s.leaf(&row_of(&eval_x, i));
                        pred.push(argmax(leaf));
                        proba.extend_from_slice(leaf);
                    }
                    let feature = s.feature.map(|j| feature_names[j].clone());
                    candidates.push(Candidate {
                        name: "stump",
                        description: match &feature {
                            Some(f) => format!(
                                "one threshold on \"{f}\" (at {}), the best single-feature split by Gini impurity",
                                super::short(s.threshold)
                            ),
                            None => "no split improves on a single leaf; predicts the majority class".into(),
                        },
                        expected_value: false,
                        predictor: Some(Predictor::Hard { pred, proba: Some(proba) }),
                        skipped: None,
                        details: Some(BaselineDetails::Stump {
                            feature,
                            threshold: s.threshold,
                            left: s.left,
                            right: s.right,
                        }),
                    });
                }
                // Logistic regression.
                let fitted: Vec<usize> = (0..k).filter(|&c| counts[c] > 0.0).collect();
                let m = options.linear_max_features.min(fit_x.len());
                if m == 0 {
                    candidates.push(Candidate::skipped(
                        "linear",
                        "logistic regression".into(),
                        "no numeric feature without missing values".into(),
                    ));
                } else if fitted.len() < 2 {
                    candidates.push(Candidate::skipped(
                        "linear",
                        "logistic regression".into(),
                        "the rows it would be fitted on hold a single class".into(),
                    ));
                } else if logistic_parameters(fitted.len(), m) > MAX_LOGISTIC_PARAMETERS {
                    candidates.push(Candidate::skipped(
                        "linear",
                        "logistic regression".into(),
                        format!(
                            "{} classes on {m} feature{} need {} parameters, more than the {MAX_LOGISTIC_PARAMETERS} \
                             its solver is given",
                            fitted.len(),
                            if m == 1 { "" } else { "s" },
                            logistic_parameters(fitted.len(), m)
                        ),
                    ));
                } else {
                    let compact: Vec<usize> =
                        fy.iter().map(|c| fitted.iter().position(|f| f == c).unwrap_or(0)).collect();
                    match fit_logistic(&fit_x[..m], &compact, fitted.len(), options.logistic_c) {
                        Some(fit) => {
                            let mut pred = Vec::with_capacity(n);
                            let mut proba = Vec::with_capacity(n * k);
                            for i in 0..n {
                                let x: Vec<f64> = eval_x[..m].iter().map(|c| c[i]).collect();
                                let p = fit.predict_proba(&x);
                                let mut full = vec![0.0; k];
                                for (a, &c) in fitted.iter().enumerate() {
                                    full[c] = p[a];
                                }
                                pred.push(fitted[argmax(&p)]);
                                proba.extend_from_slice(&full);
                            }
                            let modelled: Vec<String> = if fitted.len() == 2 {
                                vec![classes[fitted[1]].clone()]
                            } else {
                                fitted.iter().map(|&c| classes[c].clone()).collect()
                            };
                            candidates.push(Candidate {
                                name: "linear",
                                description: format!(
                                    "logistic regression (L2, C = {}) on {} standardised feature{}",
                                    options.logistic_c,
                                    m,
                                    if m == 1 { "" } else { "s" }
                                ),
                                expected_value: false,
                                predictor: Some(Predictor::Hard { pred, proba: Some(proba) }),
                                skipped: None,
                                details: Some(BaselineDetails::Linear {
                                    features: feature_names[..m].to_vec(),
                                    dropped: Vec::new(),
                                    standardized: true,
                                    coefficients: fit.coefficients.clone(),
                                    intercepts: fit.intercepts.clone(),
                                    classes: modelled,
                                    iterations: fit.iterations,
                                }),
                            });
                        }
                        None => candidates.push(Candidate::skipped(
                            "linear",
                            "logistic regression".into(),
                            "the Newton solver could not factor the Hessian".into(),
                        )),
                    }
                }
            }
        }
        (Ctx::Reg { y }, FitLabels::Values(fy)) => {
            if no_fit {
                for name in ["mean", "median", "last_value", "stump", "linear"] {
                    candidates.push(Candidate::skipped(
                        name,
                        String::new(),
                        "no labelled row to fit it on".into(),
                    ));
                }
            } else {
                let mean = metrics::mean(fy);
                let mut sorted = fy.clone();
                sorted.sort_by(f64::total_cmp);
                let median = quantile_sorted(&sorted, 0.5);
                for (name, v, what) in [("mean", mean, "mean"), ("median", median, "median")] {
                    candidates.push(Candidate {
                        name,
                        description: format!("always predicts the {what} label, {}", super::short(v)),
                        expected_value: false,
                        predictor: Some(Predictor::Values(vec![v; n])),
                        skipped: None,
                        details: Some(BaselineDetails::Constant { value: format!("{v}") }),
                    });
                }
                candidates.push(last_value(prep, table, y, mean, findings));
                if prep.feature_columns.is_empty() {
                    candidates.push(Candidate::skipped(
                        "stump",
                        "a single-feature threshold rule".into(),
                        "no numeric feature without missing values".into(),
                    ));
                } else if let Some(s) = fit_stump(&fit_x, StumpTarget::Values(fy)) {
                    let values = (0..n).map(|i| s.leaf(&row_of(&eval_x, i))[0]).collect();
                    let feature = s.feature.map(|j| feature_names[j].clone());
                    candidates.push(Candidate {
                        name: "stump",
                        description: match &feature {
                            Some(f) => format!(
                                "one threshold on \"{f}\" (at {}), the best single-feature split by squared error",
                                super::short(s.threshold)
                            ),
                            None => "no split improves on a single leaf; predicts the mean".into(),
                        },
                        expected_value: false,
                        predictor: Some(Predictor::Values(values)),
                        skipped: None,
                        details: Some(BaselineDetails::Stump {
                            feature,
                            threshold: s.threshold,
                            left: s.left,
                            right: s.right,
                        }),
                    });
                }
                let m = options.linear_max_features.min(fit_x.len());
                match (m, fit_ols(&fit_x[..m], fy)) {
                    (0, _) => candidates.push(Candidate::skipped(
                        "linear",
                        "least squares".into(),
                        "no numeric feature without missing values".into(),
                    )),
                    (_, Some(fit)) => {
                        let values = (0..n)
                            .map(|i| fit.predict(&(0..m).map(|j| eval_x[j][i]).collect::<Vec<_>>()))
                            .collect();
                        candidates.push(Candidate {
                            name: "linear",
                            description: format!(
                                "least-squares linear regression on {m} feature{}",
                                if m == 1 { "" } else { "s" }
                            ),
                            expected_value: false,
                            predictor: Some(Predictor::Values(values)),
                            skipped: None,
                            details: Some(BaselineDetails::Linear {
                                features: feature_names[..m].to_vec(),
                                dropped: fit.dropped.iter().map(|&j| feature_names[j].clone()).collect(),
                                standardized: false,
                                coefficients: vec![fit.coefficients.clone()],
                                intercepts: vec![fit.intercept],
                                classes: Vec::new(),
                                iterations: 0,
                            }),
                        });
                    }
                    (_, None) => candidates.push(Candidate::skipped(
                        "linear",
                        "least squares".into(),
                        "the normal equations could not be solved".into(),
                    )),
                }
            }
        }
        _ => {}
    }

    // ---- metrics, gains and the paired bootstrap
    let primary = prep.primary.as_str();
    let (higher, _) = direction(primary);
    let bins = options.calibration_bins;
    let all: Vec<usize> = (0..n).collect();
    let model_value = model_metrics.get(primary);
    let orient = |model: f64, base: f64| if higher { model - base } else { base - model };
    let active: Vec<usize> =
        candidates.iter().enumerate().filter(|(_, c)| c.predictor.is_some()).map(|(i, _)| i).collect();
    let mut diffs: Vec<Vec<f64>> = vec![Vec::new(); candidates.len()];
    if options.resamples > 0 && n > 0 && model_value.is_some() {
        let mut rng = Rng::new(options.seed);
        let mut idx = vec![0usize; n];
        let mut drawn = vec![0u32; n];
        for _ in 0..options.resamples {
            drawn.fill(0);
            for slot in idx.iter_mut() {
                *slot = rng.below(n);
                drawn[*slot] += 1;
            }
            let Some(m) = metric_drawn(&prep.ctx, &prep.model, &idx, &drawn, primary, bins) else { continue };
            for &b in &active {
                let Some(p) = &candidates[b].predictor else { continue };
                if let Some(v) = metric_drawn(&prep.ctx, p, &idx, &drawn, primary, bins) {
                    diffs[b].push(orient(m, v));
                }
            }
        }
    }
    let alpha = (1.0 - options.confidence) / 2.0;
    let results = candidates
        .into_iter()
        .enumerate()
        .map(|(b, c)| {
            let Some(p) = &c.predictor else {
                return BaselineResult {
                    name: c.name,
                    description: c.description,
                    expected_value: c.expected_value,
                    skipped: c.skipped,
                    metrics: MetricSet::default(),
                    gain: MetricSet::default(),
                    comparison: None,
                    details: c.details,
                };
            };
            let set = metric_set(&prep.ctx, p, &all, bins);
            let mut gains = MetricSet::default();
            for (name, v) in &set.0 {
                gains.push(name, gain(name, model_metrics.get(name), *v, options.max_gain));
            }
            let comparison = match (model_value, set.get(primary)) {
                (Some(mv), Some(bv)) => {
                    let d = &mut diffs[b];
                    d.sort_by(f64::total_cmp);
                    let (lo, hi) = if d.is_empty() {
                        (None, None)
                    } else {
                        (Some(quantile_sorted(d, alpha)), Some(quantile_sorted(d, 1.0 - alpha)))
                    };
                    let difference = orient(mv, bv);
                    let verdict = match (lo, hi) {
                        (Some(lo), _) if lo > 0.0 => Verdict::ModelBetter,
                        (_, Some(hi)) if hi < 0.0 => Verdict::BaselineBetter,
                        (Some(_), Some(_)) => Verdict::NoSignificantDifference,
                        _ if difference > 0.0 => Verdict::ModelBetter,
                        _ if difference < 0.0 => Verdict::BaselineBetter,
                        _ => Verdict::NoSignificantDifference,
                    };
                    Some(BaselineComparison {
                        metric: primary.to_string(),
                        model: mv,
                        baseline: Some(bv),
                        difference: Some(difference),
                        ci_low: lo,
                        ci_high: hi,
                        confidence: options.confidence,
                        resamples_used: d.len(),
                        gain: gain(primary, Some(mv), Some(bv), options.max_gain),
                        verdict,
                    })
                }
                (Some(mv), None) => Some(BaselineComparison {
                    metric: primary.to_string(),
                    model: mv,
                    baseline: None,
                    difference: None,
                    ci_low: None,
                    ci_high: None,
                    confidence: options.confidence,
                    resamples_used: 0,
                    gain: None,
                    verdict: Verdict::NotCompared,
                }),
                _ => None,
            };
            BaselineResult {
                name: c.name,
                description: c.description,
                expected_value: c.expected_value,
                skipped: None,
                metrics: set,
                gain: gains,
                comparison,
                details: c.details,
            }
        })
        .collect();
    Baselines {
        fitted_on: if prep.fit_on_training { "training" } else { "evaluated_rows" },
        fit_rows: prep.fit_rows.len(),
        metric: primary.to_string(),
        seed: options.seed,
        resamples: options.resamples,
        confidence: options.confidence,
        max_gain: options.max_gain,
        results,
    }
}

fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for j in 1..v.len() {
        if v[j] > v[best] {
            best = j;
        }
    }
    best
}

fn last_value(prep: &Prepared, table: &Table, y: &[f64], first: f64, findings: &mut Findings) -> Candidate {
    let name = "last_value";
    let description = "predicts the previous row's label in timestamp order".to_string();
    let Some(ts_name) = &prep.columns.timestamp else {
        return Candidate::skipped(name, description, "no timestamp column orders the rows".into());
    };
    let Some(col) = table.column(ts_name) else {
        return Candidate::skipped(name, description, "no timestamp column orders the rows".into());
    };
    let mut keys = Vec::with_capacity(prep.rows.len());
    for &r in &prep.rows {
        match parse_timestamp(table, col, r) {
            Some(t) => keys.push(t),
            None => {
                findings.add("last_value_skipped", Severity::Info, &table.source, Some(ts_name), 0, || {
                    "the last-value baseline needs a timestamp on every evaluated row".to_string()
                });
                return Candidate::skipped(
                    name,
                    description,
                    "some evaluated rows have no usable timestamp".into(),
                );
            }
        }
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    let mut values = vec![first; y.len()];
    for w in order.windows(2) {
        values[w[1]] = y[w[0]];
    }
    Candidate {
        name,
        description: format!("{description}; the first row gets the mean label"),
        expected_value: false,
        predictor: Some(Predictor::Values(values)),
        skipped: None,
        details: Some(BaselineDetails::LastValue { timestamp: ts_name.clone(), first_row: first }),
    }
}

/// Parameters of a logistic regression on `features` features: one weight vector
/// (features and intercept) for two classes, one per class otherwise.
fn logistic_parameters(classes: usize, features: usize) -> usize {
    let vectors = if classes == 2 { 1 } else { classes };
    vectors.saturating_mul(features + 1)
}
