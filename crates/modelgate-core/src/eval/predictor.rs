//! Labels and predictions lined up row by row, and every metric computed on
//! any multiset of those rows (all rows, a slice, a period, a bootstrap resample).

use super::metrics::{self, Calibration, ClassMetrics, MetricSet, Residuals};
use super::{ConfusionMatrix, EvalOptions};

/// The labels of the evaluated rows.
#[derive(Debug, Clone)]
pub(crate) enum Ctx {
    Class { classes: Vec<String>, positive: Option<usize>, y: Vec<usize> },
    Reg { y: Vec<f64> },
}

impl Ctx {
    pub(crate) fn len(&self) -> usize {
        match self {
            Ctx::Class { y, .. } => y.len(),
            Ctx::Reg { y } => y.len(),
        }
    }

    pub(crate) fn classes(&self) -> &[String] {
        match self {
            Ctx::Class { classes, .. } => classes,
            Ctx::Reg { .. } => &[],
        }
    }

    pub(crate) fn positive(&self) -> Option<usize> {
        match self {
            Ctx::Class { positive, .. } => *positive,
            Ctx::Reg { .. } => None,
        }
    }
}

/// What a model or a baseline predicts for the evaluated rows.
#[derive(Debug, Clone)]
pub(crate) enum Predictor {
    /// A class per row, with class probabilities per row (row-major `n x k`).
    Hard { pred: Vec<usize>, proba: Option<Vec<f64>> },
    /// A random class drawn with these shares; metrics are expected values.
    /// Probabilities, when given, are the same for every row.
    Random { shares: Vec<f64>, proba: Option<Vec<f64>> },
    /// A value per row.
    Values(Vec<f64>),
}

/// The probability metrics reported for `k` classes.
pub(crate) fn probability_metric_names(k: usize) -> &'static [&'static str] {
    if k >= 3 {
        &[
            "roc_auc_ovr_macro",
            "roc_auc_ovr_weighted",
            "roc_auc_ovo_macro",
            "pr_auc_macro",
            "log_loss",
            "brier",
            "ece",
        ]
    } else {
        &["roc_auc", "pr_auc", "log_loss", "brier", "ece"]
    }
}

/// Every metric name that can be the primary metric of a task.
pub(crate) fn metric_names(regression: bool, k: usize) -> Vec<&'static str> {
    if regression {
        return vec!["mae", "mse", "rmse", "r2", "mape", "median_ae", "max_error"];
    }
    let mut names = vec![
        "accuracy",
        "balanced_accuracy",
        "precision_macro",
        "recall_macro",
        "f1_macro",
        "precision_weighted",
        "recall_weighted",
        "f1_weighted",
    ];
    if k == 2 {
        names.extend(["precision", "recall", "f1"]);
    }
    names.extend(probability_metric_names(k));
    names
}

struct Sub {
    y: Vec<usize>,
    cm: Vec<f64>,
    proba: Option<Vec<f64>>,
}

fn class_sub(ctx_y: &[usize], k: usize, p: &Predictor, idx: &[usize], need_proba: bool) -> Sub {
    let y: Vec<usize> = idx.iter().map(|&i| ctx_y[i]).collect();
    let (cm, proba) = match p {
        Predictor::Hard { pred, proba } => {
            let pr: Vec<usize> = idx.iter().map(|&i| pred[i]).collect();
            let cm = metrics::confusion(&y, &pr, k);
            let proba = if need_proba {
                proba
                    .as_ref()
                    .map(|pb| idx.iter().flat_map(|&i| pb[i * k..(i + 1) * k].iter().copied()).collect())
            } else {
                None
            };
            (cm, proba)
        }
        Predictor::Random { shares, proba } => {
            let cm = metrics::expected_confusion(&y, shares);
            let proba = if need_proba {
                proba.as_ref().map(|pb| idx.iter().flat_map(|_| pb.iter().copied()).collect())
            } else {
                None
            };
            (cm, proba)
        }
        Predictor::Values(_) => (Vec::new(), None),
    };
    Sub { y, cm, proba }
}

fn probability_metric(
    name: &str,
    y: &[usize],
    proba: &[f64],
    k: usize,
    positive: usize,
    bins: usize,
) -> Option<f64> {
    if k == 2 {
        let pos: Vec<bool> = y.iter().map(|&t| t == positive).collect();
        let score: Vec<f64> = (0..y.len()).map(|i| proba[i * k + positive]).collect();
        match name {
            "roc_auc" => metrics::roc_auc(&pos, &score),
            "pr_auc" => metrics::average_precision(&pos, &score),
            "log_loss" => metrics::log_loss_binary(&pos, &score),
            "brier" => metrics::brier_binary(&pos, &score),
            "ece" => metrics::calibration(&pos, &score, bins, "positive_class").map(|c| c.ece),
            _ => None,
        }
    } else {
        match name {
            "roc_auc_ovr_macro" => metrics::roc_auc_ovr(y, proba, k).0,
            "roc_auc_ovr_weighted" => metrics::roc_auc_ovr(y, proba, k).1,
            "roc_auc_ovo_macro" => metrics::roc_auc_ovo(y, proba, k),
            "pr_auc_macro" => metrics::average_precision_macro(y, proba, k),
            "log_loss" => metrics::log_loss_multi(y, proba, k),
            "brier" => metrics::brier_multi(y, proba, k),
            "ece" => {
                let (correct, conf) = top_label(y, proba, k);
                metrics::calibration(&correct, &conf, bins, "top_label").map(|c| c.ece)
            }
            _ => None,
        }
    }
}

/// Top-label confidence and whether the top class (first on ties, as `np.argmax`) is the label.
fn top_label(y: &[usize], proba: &[f64], k: usize) -> (Vec<bool>, Vec<f64>) {
    let mut correct = Vec::with_capacity(y.len());
    let mut conf = Vec::with_capacity(y.len());
    for (i, &t) in y.iter().enumerate() {
        let row = &proba[i * k..(i + 1) * k];
        let mut best = 0;
        for j in 1..k {
            if row[j] > row[best] {
                best = j;
            }
        }
        correct.push(best == t);
        conf.push(row[best]);
    }
    (correct, conf)
}

/// One metric on the rows `idx` (indices into the evaluated rows, repeats allowed).
///
/// The bootstrap calls this for every resample and predictor, so label metrics
/// and the common regression errors are computed straight from `idx` without
/// copying the rows.
pub(crate) fn metric(ctx: &Ctx, p: &Predictor, idx: &[usize], name: &str, bins: usize) -> Option<f64> {
    match ctx {
        Ctx::Reg { y } => {
            let Predictor::Values(v) = p else { return None };
            if idx.is_empty() {
                return None;
            }
            let n = idx.len() as f64;
            match name {
                "mae" => Some(metrics::sum(idx.iter().map(|&i| (y[i] - v[i]).abs())) / n),
                "mse" => Some(metrics::sum(idx.iter().map(|&i| (y[i] - v[i]) * (y[i] - v[i]))) / n),
                "rmse" => Some((metrics::sum(idx.iter().map(|&i| (y[i] - v[i]) * (y[i] - v[i]))) / n).sqrt()),
                _ => {
                    let ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
                    let ps: Vec<f64> = idx.iter().map(|&i| v[i]).collect();
                    regression_metric(name, &ys, &ps)
                }
            }
        }
        Ctx::Class { y, positive, classes } => {
            let k = classes.len();
            if probability_metric_names(k).contains(&name) {
                let sub = class_sub(y, k, p, idx, true);
                let proba = sub.proba.as_ref()?;
                if sub.y.is_empty() {
                    return None;
                }
                return probability_metric(
                    name,
                    &sub.y,
                    proba,
                    k,
                    positive.unwrap_or(k.saturating_sub(1)),
                    bins,
                );
            }
            let mut cm = vec![0.0; k * k];
            match p {
                Predictor::Hard { pred, .. } => {
                    let cells = tally(idx, k * k, |i| y[i] * k + pred[i]);
                    for (c, n) in cm.iter_mut().zip(cells) {
                        *c = n as f64;
                    }
                }
                Predictor::Random { shares, .. } => {
                    let counts = tally(idx, k, |i| y[i]);
                    for t in 0..k {
                        for j in 0..k {
                            cm[t * k + j] = counts[t] as f64 * shares[j];
                        }
                    }
                }
                Predictor::Values(_) => return None,
            }
            let pos = if k == 2 { *positive } else { None };
            metrics::label_metrics(&cm, k, pos, classes).0.get(name)
        }
    }
}

/// One metric on a bootstrap resample given both as indices `idx` and as the
/// number of times each row was drawn, `drawn`. Label metrics and the common
/// regression errors read the rows in order, weighted by `drawn` (the same
/// multiset as `idx`, and far kinder to the cache than following `idx`); the
/// rest are computed on `idx`.
pub(crate) fn metric_drawn(
    ctx: &Ctx,
    p: &Predictor,
    idx: &[usize],
    drawn: &[u32],
    name: &str,
    bins: usize,
) -> Option<f64> {
    let n = idx.len() as f64;
    match (ctx, p) {
        (Ctx::Reg { y }, Predictor::Values(v))
            if matches!(name, "mae" | "mse" | "rmse") && !idx.is_empty() =>
        {
            let terms = y.iter().zip(v).zip(drawn).filter(|(_, &c)| c > 0).map(|((a, b), &c)| {
                let e = a - b;
                f64::from(c) * if name == "mae" { e.abs() } else { e * e }
            });
            let m = metrics::sum(terms) / n;
            Some(if name == "rmse" { m.sqrt() } else { m })
        }
        (Ctx::Class { y, positive, classes }, Predictor::Hard { .. } | Predictor::Random { .. })
            if !probability_metric_names(classes.len()).contains(&name) =>
        {
            let k = classes.len();
            let mut cm = vec![0.0; k * k];
            match p {
                Predictor::Hard { pred, .. } => {
                    let mut cells = vec![0u64; k * k];
                    for ((&t, &q), &c) in y.iter().zip(pred).zip(drawn) {
                        cells[t * k + q] += u64::from(c);
                    }
                    for (slot, c) in cm.iter_mut().zip(cells) {
                        *slot = c as f64;
                    }
                }
                Predictor::Random { shares, .. } => {
                    let mut counts = vec![0u64; k];
                    for (&t, &c) in y.iter().zip(drawn) {
                        counts[t] += u64::from(c);
                    }
                    for t in 0..k {
                        for j in 0..k {
                            cm[t * k + j] = counts[t] as f64 * shares[j];
                        }
                    }
                }
                Predictor::Values(_) => return None,
            }
            let pos = if k == 2 { *positive } else { None };
            metrics::label_metrics(&cm, k, pos, classes).0.get(name)
        }
        _ => metric(ctx, p, idx, name, bins),
    }
}

/// Counts `cell(i)` over `idx` into `cells` bins. Four interleaved tallies keep
/// consecutive rows that land in the same cell from waiting on each other.
fn tally(idx: &[usize], cells: usize, cell: impl Fn(usize) -> usize) -> Vec<u64> {
    let mut lanes = vec![0u64; 4 * cells];
    let mut chunks = idx.chunks_exact(4);
    for c in &mut chunks {
        lanes[cell(c[0])] += 1;
        lanes[cells + cell(c[1])] += 1;
        lanes[2 * cells + cell(c[2])] += 1;
        lanes[3 * cells + cell(c[3])] += 1;
    }
    for &i in chunks.remainder() {
        lanes[cell(i)] += 1;
    }
    (0..cells).map(|j| lanes[j] + lanes[cells + j] + lanes[2 * cells + j] + lanes[3 * cells + j]).collect()
}

fn regression_metric(name: &str, y: &[f64], p: &[f64]) -> Option<f64> {
    if y.is_empty() {
        return None;
    }
    metrics::regression_metrics(y, p).get(name)
}

/// Every metric on the rows `idx`.
pub(crate) fn metric_set(ctx: &Ctx, p: &Predictor, idx: &[usize], bins: usize) -> MetricSet {
    match ctx {
        Ctx::Reg { y } => {
            let Predictor::Values(v) = p else { return MetricSet::default() };
            let ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
            let ps: Vec<f64> = idx.iter().map(|&i| v[i]).collect();
            metrics::regression_metrics(&ys, &ps)
        }
        Ctx::Class { y, positive, classes } => {
            let k = classes.len();
            let sub = class_sub(y, k, p, idx, true);
            let pos = if k == 2 { *positive } else { None };
            let (mut set, _) = metrics::label_metrics(&sub.cm, k, pos, classes);
            if k == 2 && !set.contains("precision") {
                for name in ["precision", "recall", "f1"] {
                    set.push(name, None);
                }
            }
            for &name in probability_metric_names(k) {
                let v = match &sub.proba {
                    Some(proba) if !sub.y.is_empty() && k >= 2 => {
                        probability_metric(name, &sub.y, proba, k, positive.unwrap_or(k - 1), bins)
                    }
                    _ => None,
                };
                set.push(name, v);
            }
            set
        }
    }
}

/// Per-class metrics, the confusion matrix, the reliability curve and the residuals of the model.
pub(crate) fn details(
    ctx: &Ctx,
    p: &Predictor,
    options: &EvalOptions,
) -> (Vec<ClassMetrics>, Option<ConfusionMatrix>, Option<Calibration>, Option<Residuals>) {
    let all: Vec<usize> = (0..ctx.len()).collect();
    match ctx {
        Ctx::Reg { y } => {
            let Predictor::Values(v) = p else { return (Vec::new(), None, None, None) };
            (Vec::new(), None, None, metrics::residuals(y, v))
        }
        Ctx::Class { y, positive, classes } => {
            let k = classes.len();
            let sub = class_sub(y, k, p, &all, true);
            let pos = if k == 2 { *positive } else { None };
            let (_, per_class) = metrics::label_metrics(&sub.cm, k, pos, classes);
            let present: Vec<usize> = (0..k)
                .filter(|&c| (0..k).any(|j| sub.cm[c * k + j] > 0.0 || sub.cm[j * k + c] > 0.0))
                .collect();
            let confusion = (!present.is_empty()).then(|| ConfusionMatrix {
                labels: present.iter().map(|&c| classes[c].clone()).collect(),
                matrix: present
                    .iter()
                    .map(|&t| present.iter().map(|&q| sub.cm[t * k + q] as u64).collect())
                    .collect(),
            });
            let calibration = match (&sub.proba, k) {
                (Some(proba), 2) if !y.is_empty() => {
                    let positive = positive.unwrap_or(1);
                    let outcome: Vec<bool> = y.iter().map(|&t| t == positive).collect();
                    let score: Vec<f64> = (0..y.len()).map(|i| proba[i * k + positive]).collect();
                    metrics::calibration(&outcome, &score, options.calibration_bins, "positive_class")
                }
                (Some(proba), k) if k >= 3 && !y.is_empty() => {
                    let (correct, conf) = top_label(y, proba, k);
                    metrics::calibration(&correct, &conf, options.calibration_bins, "top_label")
                }
                _ => None,
            };
            (per_class, confusion, calibration, None)
        }
    }
}
