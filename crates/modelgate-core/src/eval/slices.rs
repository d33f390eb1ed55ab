//! Metrics per slice: per value of a categorical column, per quantile bin of a
//! numeric one, with the weakest slices flagged against the overall figure
//! (the checklist's example: 80% accuracy overall, 55% for one age group).
//!
//! A column is sliced by value when it is not numeric or has at most
//! `slice_max_categories` distinct values; otherwise by `slice_bins` bins on
//! its quantiles over the evaluated rows (numpy's linear method, repeated edges
//! dropped), `(-inf, e1), [e1, e2), ..., [ek, inf)` as for the PSI. Missing
//! values form their own slice. A slice is flagged when it has at least
//! `min_slice_rows` rows and its primary metric falls short of the overall
//! value by at least `slice_gap` of it (relative).

use std::collections::HashMap;

use serde::Serialize;

use super::align::Prepared;
use super::metrics::{direction, MetricSet};
use super::predictor::{metric, metric_names, Ctx};
use super::table::{Table, Value};
use super::EvalOptions;
use crate::stats::psi::quantile_sorted;

/// Most groups listed per categorical column; rarer values are pooled.
const MAX_GROUPS: usize = 50;

/// Rows grouped by one column.
#[derive(Debug, Clone)]
pub(crate) struct Grouping {
    pub kind: &'static str,
    pub edges: Option<Vec<f64>>,
    /// (label, indices into the evaluated rows)
    pub groups: Vec<(String, Vec<usize>)>,
}

/// Groups the evaluated rows by column `col`.
pub(crate) fn group_rows(table: &Table, col: usize, rows: &[usize], options: &EvalOptions) -> Grouping {
    let numeric = rows.iter().all(|&r| !matches!(table.value(col, r), Value::Text(_)));
    let mut finite: Vec<f64> = rows
        .iter()
        .filter_map(|&r| table.number(col, r))
        .filter(|x| x.is_finite())
        .map(|x| if x == 0.0 { 0.0 } else { x })
        .collect();
    finite.sort_by(f64::total_cmp);
    let mut distinct = finite.clone();
    distinct.dedup();
    if numeric && distinct.len() > options.slice_max_categories {
        let bins = options.slice_bins;
        let mut edges: Vec<f64> =
            (1..bins).map(|k| quantile_sorted(&finite, k as f64 / bins as f64)).collect();
        edges.dedup();
        let mut groups: Vec<(String, Vec<usize>)> =
            (0..=edges.len()).map(|b| (bin_label(&edges, b), Vec::new())).collect();
        let mut missing = Vec::new();
        for (i, &r) in rows.iter().enumerate() {
            match table.number(col, r) {
                Some(x) if !x.is_nan() => groups[edges.partition_point(|&e| e <= x)].1.push(i),
                _ => missing.push(i),
            }
        }
        groups.retain(|g| !g.1.is_empty());
        if !missing.is_empty() {
            groups.push(("(missing)".into(), missing));
        }
        return Grouping { kind: "quantile_bins", edges: Some(edges), groups };
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, &r) in rows.iter().enumerate() {
        let key = table.key(col, r).map_or_else(|| "(missing)".to_string(), |k| k.into_owned());
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    if groups.len() > MAX_GROUPS {
        let rest: Vec<usize> = groups.drain(MAX_GROUPS - 1..).flat_map(|g| g.1).collect();
        groups.push(("(other values)".into(), rest));
    }
    Grouping { kind: "categories", edges: None, groups }
}

fn bin_label(edges: &[f64], b: usize) -> String {
    let s = super::short;
    if edges.is_empty() {
        "all".into()
    } else if b == 0 {
        format!("< {}", s(edges[0]))
    } else if b == edges.len() {
        format!("≥ {}", s(edges[b - 1]))
    } else {
        format!("[{}, {})", s(edges[b - 1]), s(edges[b]))
    }
}

/// One slice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SliceGroup {
    /// The value or bin.
    pub value: String,
    /// Rows in it.
    pub rows: usize,
    /// Its share of the evaluated rows.
    pub share: f64,
    /// The primary metric (and accuracy or MAE when that is not the primary one).
    pub metrics: MetricSet,
    /// How far the primary metric falls short of overall, relative to overall (negative: better).
    pub shortfall: Option<f64>,
    /// Flagged as weaker than overall.
    pub weak: bool,
}

/// The slices of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SliceColumn {
    /// The column.
    pub column: String,
    /// `categories` or `quantile_bins`.
    pub kind: &'static str,
    /// Inner bin edges, for quantile bins.
    pub edges: Option<Vec<f64>>,
    /// The slices, most frequent first (bins in order).
    pub groups: Vec<SliceGroup>,
}

/// A flagged slice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeakSlice {
    /// The column.
    pub column: String,
    /// The value or bin.
    pub value: String,
    /// Rows in it.
    pub rows: usize,
    /// The primary metric on it.
    pub value_metric: f64,
    /// The primary metric overall.
    pub overall: f64,
    /// Relative shortfall.
    pub shortfall: f64,
}

pub(crate) fn secondary(primary: &str, regression: bool) -> Option<&'static str> {
    let s = if regression { "mae" } else { "accuracy" };
    (primary != s).then_some(s)
}

/// Metrics of the primary (and secondary) metric on each group.
pub(crate) fn group_metrics(prep: &Prepared, idx: &[usize], options: &EvalOptions) -> MetricSet {
    let regression = matches!(prep.ctx, Ctx::Reg { .. });
    let names = metric_names(regression, prep.ctx.classes().len());
    let mut set = MetricSet::default();
    let bins = options.calibration_bins;
    if let Some(&name) = names.iter().find(|n| **n == prep.primary) {
        set.push(name, metric(&prep.ctx, &prep.model, idx, name, bins));
    }
    if let Some(s) = secondary(&prep.primary, regression) {
        set.push(s, metric(&prep.ctx, &prep.model, idx, s, bins));
    }
    set
}

pub(crate) fn shortfall(primary: &str, value: f64, overall: f64) -> Option<f64> {
    if overall == 0.0 {
        return None;
    }
    let (higher, _) = direction(primary);
    Some(if higher { (overall - value) / overall.abs() } else { (value - overall) / overall.abs() })
}

pub(crate) fn run(
    prep: &Prepared,
    table: &Table,
    options: &EvalOptions,
    overall: &MetricSet,
) -> (Vec<SliceColumn>, Vec<WeakSlice>) {
    let n = prep.ctx.len();
    let primary = prep.primary.as_str();
    let overall_value = overall.get(primary);
    let mut columns = Vec::new();
    let mut weak = Vec::new();
    for name in &prep.columns.slices {
        let Some(col) = table.column(name) else { continue };
        let grouping = group_rows(table, col, &prep.rows, options);
        let groups = grouping
            .groups
            .iter()
            .map(|(label, idx)| {
                let metrics = group_metrics(prep, idx, options);
                let v = metrics.get(primary);
                let gap = match (v, overall_value) {
                    (Some(v), Some(o)) => shortfall(primary, v, o),
                    _ => None,
                };
                let is_weak =
                    idx.len() >= options.min_slice_rows && gap.is_some_and(|g| g >= options.slice_gap);
                if is_weak {
                    weak.push(WeakSlice {
                        column: name.clone(),
                        value: label.clone(),
                        rows: idx.len(),
                        value_metric: v.unwrap_or(f64::NAN),
                        overall: overall_value.unwrap_or(f64::NAN),
                        shortfall: gap.unwrap_or(0.0),
                    });
                }
                SliceGroup {
                    value: label.clone(),
                    rows: idx.len(),
                    share: idx.len() as f64 / n as f64,
                    metrics,
                    shortfall: gap,
                    weak: is_weak,
                }
            })
            .collect();
        columns.push(SliceColumn {
            column: name.clone(),
            kind: grouping.kind,
            edges: grouping.edges,
            groups,
        });
    }
    weak.sort_by(|a, b| b.shortfall.total_cmp(&a.shortfall));
    (columns, weak)
}
