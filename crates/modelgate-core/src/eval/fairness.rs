//! Fairness for a column the user marks as sensitive, as fairlearn defines it.
//!
//! Groups are formed as for slices. For a binary model, with `Y` the label
//! being the positive class and `Ŷ` the prediction being it, per group:
//! selection rate `P(Ŷ = 1)`, true positive rate `P(Ŷ = 1 | Y = 1)` and false
//! positive rate `P(Ŷ = 1 | Y = 0)` (0 when the group has no such rows, as
//! scikit-learn's normalised confusion matrix gives). Then, as
//! `fairlearn.metrics` (0.15) with `method="between_groups"`:
//! demographic parity difference `max - min` of the selection rates and ratio
//! `min / max`; equal opportunity difference `max - min` of the true positive
//! rates; equalized odds difference, the larger of the true and false positive
//! rate differences. Multiclass and regression models get the per-group
//! metrics only.

use serde::Serialize;

use super::align::Prepared;
use super::metrics::MetricSet;
use super::predictor::{Ctx, Predictor};
use super::slices::{group_metrics, group_rows};
use super::table::Table;
use super::EvalOptions;

/// One group of the sensitive column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FairnessGroup {
    /// The value or bin.
    pub value: String,
    /// Rows in it.
    pub rows: usize,
    /// Share predicted positive (binary models).
    pub selection_rate: Option<f64>,
    /// True positive rate (binary models).
    pub true_positive_rate: Option<f64>,
    /// False positive rate (binary models).
    pub false_positive_rate: Option<f64>,
    /// The primary metric (and accuracy or MAE).
    pub metrics: MetricSet,
}

/// Fairness of the model across the groups of the sensitive column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fairness {
    /// The sensitive column.
    pub column: String,
    /// `categories` or `quantile_bins`.
    pub kind: &'static str,
    /// Inner bin edges, for quantile bins.
    pub edges: Option<Vec<f64>>,
    /// The positive class the rates are about.
    pub positive_class: Option<String>,
    /// Largest minus smallest selection rate.
    pub demographic_parity_difference: Option<f64>,
    /// Smallest over largest selection rate.
    pub demographic_parity_ratio: Option<f64>,
    /// Largest minus smallest true positive rate.
    pub equal_opportunity_difference: Option<f64>,
    /// The larger of the true and false positive rate differences.
    pub equalized_odds_difference: Option<f64>,
    /// Per group.
    pub groups: Vec<FairnessGroup>,
    /// Why the parity metrics are absent, when they are.
    pub note: Option<String>,
}

fn spread(values: &[f64]) -> Option<(f64, f64)> {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (!values.is_empty()).then_some((min, max))
}

pub(crate) fn run(prep: &Prepared, table: &Table, options: &EvalOptions) -> Option<Fairness> {
    let name = prep.columns.sensitive.as_ref()?;
    let col = table.column(name)?;
    let grouping = group_rows(table, col, &prep.rows, options);
    let binary = match (&prep.ctx, &prep.model) {
        (Ctx::Class { y, positive: Some(pos), classes }, Predictor::Hard { pred, .. })
            if classes.len() == 2 =>
        {
            Some((y, pred, *pos))
        }
        _ => None,
    };
    let mut groups = Vec::new();
    for (label, idx) in &grouping.groups {
        let metrics = group_metrics(prep, idx, options);
        let (mut sel, mut tpr, mut fpr) = (None, None, None);
        if let Some((y, pred, pos)) = binary {
            let (mut tp, mut fp, mut p, mut neg, mut selected) = (0u64, 0u64, 0u64, 0u64, 0u64);
            for &i in idx {
                let yp = y[i] == pos;
                let pp = pred[i] == pos;
                selected += u64::from(pp);
                if yp {
                    p += 1;
                    tp += u64::from(pp);
                } else {
                    neg += 1;
                    fp += u64::from(pp);
                }
            }
            sel = Some(selected as f64 / idx.len() as f64);
            tpr = Some(if p == 0 { 0.0 } else { tp as f64 / p as f64 });
            fpr = Some(if neg == 0 { 0.0 } else { fp as f64 / neg as f64 });
        }
        groups.push(FairnessGroup {
            value: label.clone(),
            rows: idx.len(),
            selection_rate: sel,
            true_positive_rate: tpr,
            false_positive_rate: fpr,
            metrics,
        });
    }
    let rates = |f: fn(&FairnessGroup) -> Option<f64>| groups.iter().filter_map(f).collect::<Vec<f64>>();
    let (dpd, dpr, eod, eqodds, note) = if binary.is_some() {
        let sel = spread(&rates(|g| g.selection_rate));
        let tpr = spread(&rates(|g| g.true_positive_rate));
        let fpr = spread(&rates(|g| g.false_positive_rate));
        let dpd = sel.map(|(lo, hi)| hi - lo);
        let dpr = sel.and_then(|(lo, hi)| (hi > 0.0).then(|| lo / hi));
        let eod = tpr.map(|(lo, hi)| hi - lo);
        let eqodds = match (tpr, fpr) {
            (Some(t), Some(f)) => Some((t.1 - t.0).max(f.1 - f.0)),
            _ => None,
        };
        (dpd, dpr, eod, eqodds, None)
    } else {
        let why = match prep.ctx {
            Ctx::Reg { .. } => {
                "parity metrics are defined for binary classifiers; per-group regression metrics only"
            }
            _ => "parity metrics are defined for binary classifiers; per-group metrics only",
        };
        (None, None, None, None, Some(why.to_string()))
    };
    Some(Fairness {
        column: name.clone(),
        kind: grouping.kind,
        edges: grouping.edges,
        positive_class: binary.map(|(_, _, pos)| prep.ctx.classes()[pos].clone()),
        demographic_parity_difference: dpd,
        demographic_parity_ratio: dpr,
        equal_opportunity_difference: eod,
        equalized_odds_difference: eqodds,
        groups,
        note,
    })
}
