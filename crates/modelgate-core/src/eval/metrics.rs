//! Classification and regression metrics, defined as scikit-learn defines them.
//!
//! Every function here is checked against scikit-learn (1.9) through
//! `tests/data/golden/eval.json`, written by `tests/golden/generate_eval.py`.
//! The definitions, with the scikit-learn call each one reproduces:
//!
//! - **Label metrics** come from the confusion matrix over the classes that
//!   occur in the labels or the predictions (`unique_labels(y_true, y_pred)`).
//!   `accuracy` is its trace over its sum (`accuracy_score`); `balanced_accuracy`
//!   the mean recall over classes with at least one true row
//!   (`balanced_accuracy_score`); precision, recall and F1 per class with
//!   `zero_division=0`, F1 as `2 tp / (true + predicted)`; `_macro` their plain
//!   mean, `_weighted` their mean weighted by true rows
//!   (`precision_recall_fscore_support(average=...)`); for two classes, plain
//!   `precision`, `recall`, `f1` are the positive class's (`average="binary"`).
//!   A confusion matrix of real-valued (expected) counts gives the metrics of a
//!   random predictor's expected confusion matrix.
//! - **ROC AUC** (`roc_auc_score`): the trapezoidal area under the ROC curve with
//!   one point per distinct score, so tied scores count one half. Multiclass:
//!   one-vs-rest macro and prevalence-weighted means, and Hand and Till's
//!   one-vs-one macro mean (`multi_class="ovr"/"ovo"`). Undefined (`None`) when
//!   a class has no positive or no negative row.
//! - **PR AUC** is average precision (`average_precision_score`):
//!   `sum_k (R_k - R_{k-1}) P_k` over distinct score thresholds, no
//!   interpolation; multiclass, the macro mean of the one-vs-rest values.
//! - **Log loss** (`log_loss`): probabilities clipped to `[eps, 1 - eps]` with
//!   `eps = f64::EPSILON` (scikit-learn ≥ 1.5 uses the dtype's machine epsilon
//!   and no longer renormalises rows), mean of `-ln p(true class)`.
//! - **Brier score** (`brier_score_loss`): binary, the mean squared difference
//!   between the positive-class indicator and its probability (scikit-learn
//!   sums over both columns and halves); multiclass (three or more classes),
//!   the mean over rows of the summed squared differences, not halved.
//! - **Calibration**: the reliability curve of `calibration_curve(n_bins=10,
//!   strategy="uniform")` (bin `b` holds probabilities in `(b/10, (b+1)/10]`,
//!   the first bin also 0) and the expected calibration error, the
//!   bin-size-weighted mean of `|fraction of positives - mean probability|`
//!   over non-empty bins. Multiclass uses the top-label confidence (largest
//!   probability; correct when its class is the label), as Guo et al. (2017).
//! - **Regression**: `mean_absolute_error`, `mean_squared_error`,
//!   `root_mean_squared_error`, `r2_score` (1 when labels are constant and
//!   predicted exactly, else 0 for constant labels), `mean_absolute_percentage_error`
//!   (`|y - p| / max(|y|, f64::EPSILON)`), `median_absolute_error`, `max_error`.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::stats::psi::quantile_sorted;

/// Named metric values in a fixed order; a value is `None` when undefined.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricSet(pub Vec<(&'static str, Option<f64>)>);

impl MetricSet {
    /// The value of `name`, when present and defined.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(n, _)| *n == name).and_then(|(_, v)| *v)
    }

    /// Whether `name` is in the set (defined or not).
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| *n == name)
    }

    pub(crate) fn push(&mut self, name: &'static str, value: Option<f64>) {
        self.0.push((name, value.filter(|v| v.is_finite())));
    }
}

impl Serialize for MetricSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// Whether a larger value of the metric `name` is better, and its perfect value.
pub fn direction(name: &str) -> (bool, f64) {
    match name {
        "log_loss" | "brier" | "ece" | "mae" | "mse" | "rmse" | "mape" | "median_ae" | "max_error" => {
            (false, 0.0)
        }
        _ => (true, 1.0),
    }
}

/// Sum with Neumaier's compensation, so long sums do not drift from numpy's
/// pairwise sums by more than a few ulps.
pub(crate) fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut s = 0.0f64;
    let mut c = 0.0f64;
    for x in values {
        let t = s + x;
        if s.abs() >= x.abs() {
            c += (s - t) + x;
        } else {
            c += (x - t) + s;
        }
        s = t;
    }
    s + c
}

pub(crate) fn mean(values: &[f64]) -> f64 {
    sum(values.iter().copied()) / values.len() as f64
}

// ---------------------------------------------------------------- labels

/// Per-class precision, recall, F1 and support.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClassMetrics {
    /// The class.
    pub class: String,
    /// `tp / predicted`, 0 when nothing was predicted as the class.
    pub precision: f64,
    /// `tp / true`, 0 when the class never occurs.
    pub recall: f64,
    /// `2 tp / (true + predicted)`, 0 when both are 0.
    pub f1: f64,
    /// Rows whose label is the class (expected rows for a random baseline).
    pub support: f64,
}

/// Label metrics of a `k x k` confusion matrix (rows true, columns predicted,
/// row-major), restricted to the classes with a true or a predicted row.
/// `positive` adds the binary precision, recall and F1 of that class.
pub(crate) fn label_metrics(
    cm: &[f64],
    k: usize,
    positive: Option<usize>,
    classes: &[String],
) -> (MetricSet, Vec<ClassMetrics>) {
    let row_sum = |i: usize| sum((0..k).map(|j| cm[i * k + j]));
    let col_sum = |j: usize| sum((0..k).map(|i| cm[i * k + j]));
    let present: Vec<usize> = (0..k).filter(|&c| row_sum(c) > 0.0 || col_sum(c) > 0.0).collect();
    let total = sum(cm.iter().copied());
    let trace = sum((0..k).map(|i| cm[i * k + i]));
    let mut out = MetricSet::default();
    out.push("accuracy", (total > 0.0).then(|| trace / total));

    let recalls: Vec<f64> =
        present.iter().filter(|&&c| row_sum(c) > 0.0).map(|&c| cm[c * k + c] / row_sum(c)).collect();
    out.push("balanced_accuracy", (!recalls.is_empty()).then(|| mean(&recalls)));

    let divide = |a: f64, b: f64| if b == 0.0 { 0.0 } else { a / b };
    let per_class: Vec<ClassMetrics> = present
        .iter()
        .map(|&c| {
            let tp = cm[c * k + c];
            let t = row_sum(c);
            let p = col_sum(c);
            ClassMetrics {
                class: classes.get(c).cloned().unwrap_or_default(),
                precision: divide(tp, p),
                recall: divide(tp, t),
                f1: divide(2.0 * tp, t + p),
                support: t,
            }
        })
        .collect();
    let macro_mean = |f: fn(&ClassMetrics) -> f64| {
        (!per_class.is_empty()).then(|| mean(&per_class.iter().map(f).collect::<Vec<_>>()))
    };
    let support = sum(per_class.iter().map(|c| c.support));
    let weighted = |f: fn(&ClassMetrics) -> f64| {
        if per_class.is_empty() {
            None
        } else if support == 0.0 {
            Some(0.0)
        } else {
            Some(sum(per_class.iter().map(|c| f(c) * c.support)) / support)
        }
    };
    out.push("precision_macro", macro_mean(|c| c.precision));
    out.push("recall_macro", macro_mean(|c| c.recall));
    out.push("f1_macro", macro_mean(|c| c.f1));
    out.push("precision_weighted", weighted(|c| c.precision));
    out.push("recall_weighted", weighted(|c| c.recall));
    out.push("f1_weighted", weighted(|c| c.f1));
    if let Some(pos) = positive {
        let tp = cm[pos * k + pos];
        let t = row_sum(pos);
        let p = col_sum(pos);
        out.push("precision", Some(divide(tp, p)));
        out.push("recall", Some(divide(tp, t)));
        out.push("f1", Some(divide(2.0 * tp, t + p)));
    }
    (out, per_class)
}

/// The confusion matrix (row-major `k x k`) of labels against predictions.
pub(crate) fn confusion(y: &[usize], pred: &[usize], k: usize) -> Vec<f64> {
    let mut cm = vec![0.0; k * k];
    for (&t, &p) in y.iter().zip(pred) {
        cm[t * k + p] += 1.0;
    }
    cm
}

/// The expected confusion matrix of a predictor that draws class `j` with
/// probability `shares[j]` independently of the row.
pub(crate) fn expected_confusion(y: &[usize], shares: &[f64]) -> Vec<f64> {
    let k = shares.len();
    let mut counts = vec![0.0; k];
    for &t in y {
        counts[t] += 1.0;
    }
    let mut cm = vec![0.0; k * k];
    for t in 0..k {
        for j in 0..k {
            cm[t * k + j] = counts[t] * shares[j];
        }
    }
    cm
}

// ---------------------------------------------------------------- scores

/// Cumulative (false positives, true positives) at each distinct score,
/// scores taken from the highest down (scikit-learn's `_binary_clf_curve`).
fn clf_curve(positive: &[bool], score: &[f64]) -> Vec<(u64, u64)> {
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
    let mut points = Vec::new();
    let (mut fp, mut tp) = (0u64, 0u64);
    for (i, &r) in order.iter().enumerate() {
        if positive[r] {
            tp += 1;
        } else {
            fp += 1;
        }
        if i + 1 == order.len() || score[order[i + 1]] != score[r] {
            points.push((fp, tp));
        }
    }
    points
}

/// Binary ROC AUC; `None` without both a positive and a negative row.
pub fn roc_auc(positive: &[bool], score: &[f64]) -> Option<f64> {
    let points = clf_curve(positive, score);
    let &(n_neg, n_pos) = points.last()?;
    if n_neg == 0 || n_pos == 0 {
        return None;
    }
    // Twice the area in count units, exact in integers.
    let mut twice: u128 = 0;
    let (mut fp0, mut tp0) = (0u64, 0u64);
    for &(fp, tp) in &points {
        twice += u128::from(fp - fp0) * u128::from(tp + tp0);
        fp0 = fp;
        tp0 = tp;
    }
    Some(twice as f64 / (2.0 * n_neg as f64 * n_pos as f64))
}

/// Average precision; `None` without a positive row.
pub fn average_precision(positive: &[bool], score: &[f64]) -> Option<f64> {
    let points = clf_curve(positive, score);
    let &(_, n_pos) = points.last()?;
    if n_pos == 0 {
        return None;
    }
    let total = n_pos as f64;
    let mut terms = Vec::with_capacity(points.len());
    let mut recall0 = 0.0;
    for &(fp, tp) in &points {
        let recall = tp as f64 / total;
        let precision = if tp + fp == 0 { 0.0 } else { tp as f64 / (tp + fp) as f64 };
        terms.push((recall - recall0) * precision);
        recall0 = recall;
    }
    Some(sum(terms))
}

fn clip(p: f64) -> f64 {
    p.clamp(f64::EPSILON, 1.0 - f64::EPSILON)
}

/// Binary log loss of the positive-class probabilities.
pub fn log_loss_binary(positive: &[bool], score: &[f64]) -> Option<f64> {
    if score.is_empty() {
        return None;
    }
    let losses: Vec<f64> = positive
        .iter()
        .zip(score)
        .map(|(&y, &p)| if y { -clip(p).ln() } else { -clip(1.0 - p).ln() })
        .collect();
    Some(mean(&losses))
}

/// Multiclass log loss; `proba` is row-major `n x k`.
pub fn log_loss_multi(y: &[usize], proba: &[f64], k: usize) -> Option<f64> {
    if y.is_empty() {
        return None;
    }
    let losses: Vec<f64> = y.iter().enumerate().map(|(i, &t)| -clip(proba[i * k + t]).ln()).collect();
    Some(mean(&losses))
}

/// Binary Brier score.
pub fn brier_binary(positive: &[bool], score: &[f64]) -> Option<f64> {
    if score.is_empty() {
        return None;
    }
    let terms: Vec<f64> = positive
        .iter()
        .zip(score)
        .map(|(&y, &p)| {
            let t = if y { 1.0 } else { 0.0 };
            let a = (1.0 - t) - (1.0 - p);
            let b = t - p;
            a * a + b * b
        })
        .collect();
    Some(mean(&terms) * 0.5)
}

/// Multiclass Brier score (three or more classes: not halved).
pub fn brier_multi(y: &[usize], proba: &[f64], k: usize) -> Option<f64> {
    if y.is_empty() {
        return None;
    }
    let terms: Vec<f64> = y
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            sum((0..k).map(|j| {
                let d = if j == t { 1.0 } else { 0.0 } - proba[i * k + j];
                d * d
            }))
        })
        .collect();
    let b = mean(&terms);
    Some(if k < 3 { b * 0.5 } else { b })
}

/// One-vs-rest ROC AUC per class, then (macro, prevalence-weighted) means.
pub fn roc_auc_ovr(y: &[usize], proba: &[f64], k: usize) -> (Option<f64>, Option<f64>) {
    let mut aucs = Vec::with_capacity(k);
    let mut weights = Vec::with_capacity(k);
    for c in 0..k {
        let positive: Vec<bool> = y.iter().map(|&t| t == c).collect();
        let score: Vec<f64> = (0..y.len()).map(|i| proba[i * k + c]).collect();
        let Some(auc) = roc_auc(&positive, &score) else { return (None, None) };
        aucs.push(auc);
        weights.push(positive.iter().filter(|&&p| p).count() as f64);
    }
    if aucs.is_empty() {
        return (None, None);
    }
    let total = sum(weights.iter().copied());
    let weighted = sum(aucs.iter().zip(&weights).map(|(a, w)| a * w)) / total;
    (Some(mean(&aucs)), Some(weighted))
}

/// Hand and Till's one-vs-one ROC AUC, macro mean over class pairs.
pub fn roc_auc_ovo(y: &[usize], proba: &[f64], k: usize) -> Option<f64> {
    let mut pairs = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            let rows: Vec<usize> = (0..y.len()).filter(|&i| y[i] == a || y[i] == b).collect();
            let a_true: Vec<bool> = rows.iter().map(|&i| y[i] == a).collect();
            let b_true: Vec<bool> = rows.iter().map(|&i| y[i] == b).collect();
            let a_score: Vec<f64> = rows.iter().map(|&i| proba[i * k + a]).collect();
            let b_score: Vec<f64> = rows.iter().map(|&i| proba[i * k + b]).collect();
            let auc_a = roc_auc(&a_true, &a_score)?;
            let auc_b = roc_auc(&b_true, &b_score)?;
            pairs.push((auc_a + auc_b) / 2.0);
        }
    }
    (!pairs.is_empty()).then(|| mean(&pairs))
}

/// Macro mean of the one-vs-rest average precisions.
pub fn average_precision_macro(y: &[usize], proba: &[f64], k: usize) -> Option<f64> {
    let mut aps = Vec::with_capacity(k);
    for c in 0..k {
        let positive: Vec<bool> = y.iter().map(|&t| t == c).collect();
        let score: Vec<f64> = (0..y.len()).map(|i| proba[i * k + c]).collect();
        aps.push(average_precision(&positive, &score)?);
    }
    (!aps.is_empty()).then(|| mean(&aps))
}

// ---------------------------------------------------------------- calibration

/// One non-empty bin of the reliability curve.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CalibrationBin {
    /// 0-based bin index; the bin covers `(lower, upper]` (the first also 0).
    pub bin: usize,
    /// Lower edge.
    pub lower: f64,
    /// Upper edge.
    pub upper: f64,
    /// Rows in the bin.
    pub count: u64,
    /// Mean predicted probability in the bin.
    pub mean_predicted: f64,
    /// Share of rows in the bin that are positive (or correctly classified, multiclass).
    pub fraction_positive: f64,
}

/// A reliability curve and its expected calibration error.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Calibration {
    /// `"positive_class"` for binary models, `"top_label"` for multiclass.
    pub kind: &'static str,
    /// Number of equal-width bins on `[0, 1]`.
    pub bins: usize,
    /// The non-empty bins.
    pub curve: Vec<CalibrationBin>,
    /// Expected calibration error.
    pub ece: f64,
}

/// Reliability curve with `bins` equal-width bins (edges `i * (1 / bins)`, as
/// `np.linspace`) and the expected calibration error.
pub fn calibration(outcome: &[bool], prob: &[f64], bins: usize, kind: &'static str) -> Option<Calibration> {
    if prob.is_empty() || bins == 0 {
        return None;
    }
    let step = 1.0 / bins as f64;
    let edges: Vec<f64> = (0..=bins).map(|i| if i == bins { 1.0 } else { i as f64 * step }).collect();
    let inner = &edges[1..bins];
    let mut count = vec![0u64; bins];
    let mut sum_p = vec![0.0f64; bins];
    let mut sum_t = vec![0.0f64; bins];
    for (&y, &p) in outcome.iter().zip(prob) {
        let b = inner.partition_point(|&e| e < p);
        count[b] += 1;
        sum_p[b] += p;
        sum_t[b] += if y { 1.0 } else { 0.0 };
    }
    let n = prob.len() as f64;
    let mut curve = Vec::new();
    let mut ece_terms = Vec::new();
    for b in 0..bins {
        if count[b] == 0 {
            continue;
        }
        let c = count[b] as f64;
        let mean_predicted = sum_p[b] / c;
        let fraction_positive = sum_t[b] / c;
        ece_terms.push(c / n * (fraction_positive - mean_predicted).abs());
        curve.push(CalibrationBin {
            bin: b,
            lower: edges[b],
            upper: edges[b + 1],
            count: count[b],
            mean_predicted,
            fraction_positive,
        });
    }
    Some(Calibration { kind, bins, curve, ece: ece_terms.iter().sum() })
}

// ---------------------------------------------------------------- regression

/// Regression metrics of predictions against labels (both finite).
pub fn regression_metrics(y: &[f64], pred: &[f64]) -> MetricSet {
    let mut out = MetricSet::default();
    if y.is_empty() {
        for name in ["mae", "mse", "rmse", "r2", "mape", "median_ae", "max_error"] {
            out.push(name, None);
        }
        return out;
    }
    let abs: Vec<f64> = y.iter().zip(pred).map(|(a, b)| (a - b).abs()).collect();
    let sq: Vec<f64> = y.iter().zip(pred).map(|(a, b)| (a - b) * (a - b)).collect();
    let mse = mean(&sq);
    out.push("mae", Some(mean(&abs)));
    out.push("mse", Some(mse));
    out.push("rmse", Some(mse.sqrt()));
    let y_mean = mean(y);
    let numerator = sum(sq.iter().copied());
    let denominator = sum(y.iter().map(|v| (v - y_mean) * (v - y_mean)));
    let r2 = if denominator == 0.0 {
        if numerator == 0.0 {
            1.0
        } else {
            0.0
        }
    } else {
        1.0 - numerator / denominator
    };
    out.push("r2", Some(r2));
    let ape: Vec<f64> = y.iter().zip(&abs).map(|(t, e)| e / t.abs().max(f64::EPSILON)).collect();
    out.push("mape", Some(mean(&ape)));
    let mut sorted = abs.clone();
    sorted.sort_by(f64::total_cmp);
    out.push("median_ae", Some(quantile_sorted(&sorted, 0.5)));
    out.push("max_error", sorted.last().copied());
    out
}

/// The distribution of residuals `label - prediction`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Residuals {
    /// Mean residual (positive: the model predicts too low on average).
    pub mean: f64,
    /// Population standard deviation.
    pub std: f64,
    /// Quantiles at 0, 5, 25, 50, 75, 95 and 100%, as `(q, value)`.
    pub quantiles: Vec<(f64, f64)>,
    /// Edges of 10 equal-width bins from the smallest to the largest residual.
    pub histogram_edges: Vec<f64>,
    /// Residuals per bin (the last bin includes its upper edge), as `np.histogram`.
    pub histogram_counts: Vec<u64>,
}

/// Residual summary; `None` for no rows.
pub fn residuals(y: &[f64], pred: &[f64]) -> Option<Residuals> {
    if y.is_empty() {
        return None;
    }
    let r: Vec<f64> = y.iter().zip(pred).map(|(a, b)| a - b).collect();
    let m = mean(&r);
    let var = mean(&r.iter().map(|v| (v - m) * (v - m)).collect::<Vec<_>>());
    let mut sorted = r.clone();
    sorted.sort_by(f64::total_cmp);
    let quantiles =
        [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0].iter().map(|&q| (q, quantile_sorted(&sorted, q))).collect();
    let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
    let (lo, hi) = if lo == hi { (lo - 0.5, hi + 0.5) } else { (lo, hi) };
    const BINS: usize = 10;
    let step = (hi - lo) / BINS as f64;
    let edges: Vec<f64> = (0..=BINS).map(|i| if i == BINS { hi } else { i as f64 * step + lo }).collect();
    let mut counts = vec![0u64; BINS];
    for &v in &r {
        let b = edges.partition_point(|&e| e <= v).saturating_sub(1).min(BINS - 1);
        counts[b] += 1;
    }
    Some(Residuals { mean: m, std: var.sqrt(), quantiles, histogram_edges: edges, histogram_counts: counts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_as_half() {
        // sklearn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        assert_eq!(roc_auc(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8]), Some(0.75));
        // All scores tied: 0.5.
        assert_eq!(roc_auc(&[false, true, true], &[0.3, 0.3, 0.3]), Some(0.5));
        assert_eq!(roc_auc(&[true, true], &[0.3, 0.4]), None);
        // sklearn: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333...
        let ap = average_precision(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8]).unwrap();
        assert!((ap - 0.8333333333333333).abs() < 1e-15, "{ap}");
    }

    #[test]
    fn log_loss_clips_like_sklearn() {
        // sklearn.metrics.log_loss([1, 0], [0.0, 1.0]) == -ln(eps) == 36.04365338911715
        let v = log_loss_binary(&[true, false], &[0.0, 1.0]).unwrap();
        assert!((v - 36.04365338911715).abs() < 1e-12, "{v}");
    }

    #[test]
    fn r2_of_constant_labels() {
        assert_eq!(regression_metrics(&[2.0, 2.0], &[2.0, 2.0]).get("r2"), Some(1.0));
        assert_eq!(regression_metrics(&[2.0, 2.0], &[1.0, 2.0]).get("r2"), Some(0.0));
    }

    #[test]
    fn calibration_bins_are_right_closed() {
        let c = calibration(&[true, false, true], &[0.1, 0.1000001, 0.0], 10, "positive_class").unwrap();
        assert_eq!(c.curve.iter().map(|b| (b.bin, b.count)).collect::<Vec<_>>(), vec![(0, 2), (1, 1)]);
    }
}
