//! Finding the columns, deciding the task and lining labels up with predictions.
//!
//! Columns not named in the options are found by name, compared ignoring ASCII
//! case: the label is `label`, `target`, `y`, `y_true`, `actual`, `truth` or
//! `ground_truth`; the prediction `prediction`, `pred`, `predicted`, `y_pred`
//! or `predicted_label`; a binary score `score`, `proba`, `probability`,
//! `prob`, `y_score` or `y_proba`; class probabilities every column named
//! `proba_<class>`, `probability_<class>` or `prob_<class>`; the id `id`,
//! `row_id`, `example_id` or `uid`; the timestamp `timestamp`, `date`,
//! `datetime`, `time`, `ts` or `event_time`, else the first column of dates.
//!
//! The task is the one asked for, else classification when there are
//! probabilities, a score, or labels that are not numbers, or numeric labels
//! that are whole numbers with at most 20 distinct values (and predictions that
//! are whole numbers too); regression otherwise.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::predictor::{metric_names, Ctx, Predictor};
use super::table::{number_key, Table, Value};
use super::{EvalError, EvalOptions, Finding, Severity, Task, TrainingInfo};
use crate::dataset::ColumnType;

pub(crate) const LABEL_NAMES: &[&str] =
    &["label", "target", "y", "y_true", "actual", "truth", "ground_truth"];
pub(crate) const PREDICTION_NAMES: &[&str] =
    &["prediction", "pred", "predicted", "y_pred", "predicted_label"];
pub(crate) const SCORE_NAMES: &[&str] = &["score", "proba", "probability", "prob", "y_score", "y_proba"];
pub(crate) const PROBA_PREFIXES: &[&str] = &["proba_", "probability_", "prob_"];
const ID_NAMES: &[&str] = &["id", "row_id", "example_id", "uid"];
const TIME_NAMES: &[&str] = &["timestamp", "date", "datetime", "time", "ts", "event_time"];
/// Numeric labels with at most this many distinct whole values are classes.
const MAX_NUMERIC_CLASSES: usize = 20;

/// A class probability column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbabilityColumn {
    /// The class.
    pub class: String,
    /// The column holding its probability.
    pub column: String,
}

/// The columns an evaluation used, whether named or detected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedColumns {
    /// The label.
    pub label: String,
    /// The prediction, when there is a column for it.
    pub prediction: Option<String>,
    /// The binary score.
    pub score: Option<String>,
    /// Class probability columns.
    pub probabilities: Vec<ProbabilityColumn>,
    /// The id.
    pub id: Option<String>,
    /// The timestamp.
    pub timestamp: Option<String>,
    /// The sensitive column.
    pub sensitive: Option<String>,
    /// Slice columns.
    pub slices: Vec<String>,
    /// Features used by the stump and linear baselines.
    pub features: Vec<String>,
}

/// Collects findings, one per (code, file, column), with the first rows listed.
#[derive(Debug)]
pub(crate) struct Findings {
    max_rows: usize,
    items: Vec<Finding>,
    index: HashMap<(&'static str, String, Option<String>), usize>,
}

impl Findings {
    pub(crate) fn new(max_rows: usize) -> Self {
        Findings { max_rows, items: Vec::new(), index: HashMap::new() }
    }

    /// Records `code` at `row` (1-based; 0 for a finding about the whole file).
    pub(crate) fn add(
        &mut self,
        code: &'static str,
        severity: Severity,
        source: &str,
        column: Option<&str>,
        row: u64,
        message: impl FnOnce() -> String,
    ) {
        let key = (code, source.to_string(), column.map(str::to_string));
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.items.push(Finding {
                    code,
                    severity,
                    source: source.to_string(),
                    column: column.map(str::to_string),
                    count: 0,
                    rows: Vec::new(),
                    message: message(),
                });
                self.index.insert(key, self.items.len() - 1);
                self.items.len() - 1
            }
        };
        let f = &mut self.items[i];
        if row > 0 {
            f.count += 1;
            if f.rows.len() < self.max_rows {
                f.rows.push(row);
            }
        }
    }

    pub(crate) fn finish(mut self) -> Vec<Finding> {
        self.items.sort_by_key(|f| std::cmp::Reverse(f.severity));
        self.items
    }
}

/// Labels of the rows the baselines are fitted on.
#[derive(Debug, Clone)]
pub(crate) enum FitLabels {
    Classes(Vec<usize>),
    Values(Vec<f64>),
}

/// Everything the checks need, lined up.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub task: Task,
    pub columns: ResolvedColumns,
    pub ctx: Ctx,
    pub model: Predictor,
    /// Table row index of each evaluated row.
    pub rows: Vec<usize>,
    pub primary: String,
    pub prediction_derived: bool,
    pub training_info: Option<TrainingInfo>,
    /// Table rows (of the training file, or of the predictions when there is none) the baselines are fitted on.
    pub fit_rows: Vec<usize>,
    pub fit_labels: FitLabels,
    /// Whether the baselines are fitted on a training file.
    pub fit_on_training: bool,
    /// Feature column indices in the predictions table and in the fit table.
    pub feature_columns: Vec<(usize, usize)>,
}

fn find(
    table: &Table,
    wanted: &Option<String>,
    defaults: &[&str],
    what: &str,
) -> Result<Option<usize>, EvalError> {
    match wanted {
        Some(name) => table.column(name).map(Some).ok_or_else(|| missing(table, name, what)),
        None => Ok(defaults.iter().find_map(|d| table.column(d))),
    }
}

pub(crate) fn missing(table: &Table, name: &str, what: &str) -> EvalError {
    EvalError::new(
        "missing_column",
        format!(
            "{}: no column \"{name}\" for the {what} (columns: {})",
            table.source,
            table.names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
        ),
    )
}

/// Orders class keys: numerically when every key is a number, else by text.
pub(crate) fn sort_classes(classes: &mut [String]) {
    let numeric: Option<Vec<f64>> = classes.iter().map(|c| c.parse::<f64>().ok()).collect();
    if numeric.is_some() {
        classes.sort_by(|a, b| {
            let (x, y) = (a.parse::<f64>().unwrap_or(0.0), b.parse::<f64>().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        });
    } else {
        classes.sort();
    }
}

fn canonical_class(suffix: &str) -> String {
    match suffix.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => number_key(x),
        _ => suffix.to_string(),
    }
}

pub(crate) fn prepare(
    table: &Table,
    training: Option<&Table>,
    options: &EvalOptions,
    findings: &mut Findings,
) -> Result<Prepared, EvalError> {
    let src = table.source.as_str();
    let label = find(table, &options.label, LABEL_NAMES, "label")?.ok_or_else(|| {
        EvalError::new(
            "no_label_column",
            format!(
                "{src}: no label column; name it with the label option (looked for {})",
                LABEL_NAMES.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let prediction = find(table, &options.prediction, PREDICTION_NAMES, "prediction")?;
    let mut probabilities: Vec<(String, usize)> = Vec::new();
    for name in &options.probabilities {
        let c = table.column(name).ok_or_else(|| missing(table, name, "class probabilities"))?;
        let class = name.split_once('_').map_or(name.as_str(), |(_, s)| s);
        probabilities.push((canonical_class(class), c));
    }
    if options.probabilities.is_empty() && options.score.is_none() {
        for (i, n) in table.names.iter().enumerate() {
            let lower = n.to_ascii_lowercase();
            if let Some(p) = PROBA_PREFIXES.iter().find(|p| lower.starts_with(*p) && lower.len() > p.len()) {
                probabilities.push((canonical_class(&n[p.len()..]), i));
            }
        }
        // A single proba_<class> column is a binary score, not a class distribution.
        if probabilities.len() < 2 {
            probabilities.clear();
        }
    }
    let score = if probabilities.is_empty() {
        find(table, &options.score, SCORE_NAMES, "score")?
    } else {
        match &options.score {
            Some(s) => Some(table.column(s).ok_or_else(|| missing(table, s, "score"))?),
            None => None,
        }
    };
    if score.is_some() && !probabilities.is_empty() {
        return Err(EvalError::new(
            "bad_option",
            format!("{src}: give either a score column or per-class probability columns, not both"),
        ));
    }
    {
        let mut seen = HashMap::new();
        for (class, c) in &probabilities {
            if let Some(other) = seen.insert(class.clone(), *c) {
                return Err(EvalError::new(
                    "bad_option",
                    format!(
                        "{src}: columns \"{}\" and \"{}\" are both probabilities of class \"{class}\"",
                        table.names[other], table.names[*c]
                    ),
                ));
            }
        }
    }
    let id = find(table, &options.id, ID_NAMES, "id")?;
    let timestamp = match find(table, &options.timestamp, TIME_NAMES, "timestamp")? {
        Some(c) => Some(c),
        None if options.timestamp.is_none() => table.types.iter().position(|t| *t == ColumnType::Datetime),
        None => None,
    };
    let sensitive = match &options.sensitive {
        Some(s) => Some(table.column(s).ok_or_else(|| missing(table, s, "sensitive attribute"))?),
        None => None,
    };
    if prediction.is_none() && score.is_none() && probabilities.is_empty() {
        return Err(EvalError::new(
            "no_prediction_column",
            format!(
                "{src}: no prediction column; name it with the prediction option (looked for {}), or give scores or class probabilities",
                PREDICTION_NAMES.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }

    let mut special: Vec<usize> = vec![label];
    special.extend(prediction);
    special.extend(score);
    special.extend(probabilities.iter().map(|p| p.1));
    special.extend(id);
    special.extend(timestamp);

    // ---- task
    let train_label = match training {
        Some(t) => {
            let name = &table.names[label];
            Some(match t.column(name) {
                Some(c) => c,
                None => find(t, &None, LABEL_NAMES, "label")?.ok_or_else(|| missing(t, name, "label"))?,
            })
        }
        None => None,
    };
    let regression = match options.task {
        Some(Task::Regression) => true,
        Some(_) => false,
        None => detect_regression(table, label, prediction, score.is_some() || !probabilities.is_empty()),
    };
    if regression && prediction.is_none() {
        return Err(EvalError::new(
            "no_prediction_column",
            format!("{src}: a regression needs a prediction column; name it with the prediction option"),
        ));
    }

    let mut prediction_derived = false;
    let n = table.rows();
    let mut rows = Vec::new();
    let (ctx, model, task, fit_rows_training, fit_y_training) = if regression {
        let mut y = Vec::new();
        let mut p = Vec::new();
        for r in 0..n {
            let row = r as u64 + 1;
            let Some(t) = numeric_cell(table, label, r, row, "label", findings, true) else { continue };
            let Some(v) =
                numeric_cell(table, prediction.unwrap_or(label), r, row, "prediction", findings, false)
            else {
                continue;
            };
            rows.push(r);
            y.push(t);
            p.push(v);
        }
        let mut fit = (Vec::new(), Vec::new());
        if let (Some(t), Some(tl)) = (training, train_label) {
            for r in 0..t.rows() {
                if let Some(v) = numeric_cell(t, tl, r, r as u64 + 1, "label", findings, true) {
                    fit.0.push(r);
                    fit.1.push(v);
                }
            }
        }
        (Ctx::Reg { y }, Predictor::Values(p), Task::Regression, fit.0, FitLabels::Values(fit.1))
    } else {
        // ---- classes
        let mut classes: Vec<String>;
        if !probabilities.is_empty() {
            classes = probabilities.iter().map(|p| p.0.clone()).collect();
        } else {
            let mut set: BTreeMap<String, ()> = BTreeMap::new();
            for r in 0..n {
                for c in [Some(label), prediction].into_iter().flatten() {
                    if let Some(k) = class_key(table, c, r) {
                        set.insert(k, ());
                    }
                }
            }
            if let (Some(t), Some(tl)) = (training, train_label) {
                for r in 0..t.rows() {
                    if let Some(k) = class_key(t, tl, r) {
                        set.insert(k, ());
                    }
                }
            }
            if let Some(p) = &options.positive_class {
                set.insert(canonical_class(p), ());
            }
            classes = set.into_keys().collect();
        }
        sort_classes(&mut classes);
        let k = classes.len();
        if score.is_some() && k > 2 {
            return Err(EvalError::new(
                "bad_option",
                format!(
                    "{src}: a score column holds one class's probability, but the labels and predictions have {k} classes ({}); give one probability column per class (proba_<class>)",
                    classes.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        if options.task == Some(Task::Binary) && k > 2 {
            return Err(EvalError::new(
                "bad_option",
                format!("{src}: the task is binary but the data have {k} classes"),
            ));
        }
        let index: HashMap<&str, usize> = classes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
        let positive = if k == 2 {
            match &options.positive_class {
                Some(p) => Some(*index.get(canonical_class(p).as_str()).ok_or_else(|| {
                    EvalError::new(
                        "bad_option",
                        format!(
                            "{src}: the positive class \"{p}\" is not one of the classes ({})",
                            classes.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                })?),
                None => Some(1),
            }
        } else {
            None
        };
        if k < 2 {
            findings.add("single_class", Severity::Warning, src, Some(&table.names[label]), 0, || {
                format!(
                    "only one class ({}) occurs; ROC AUC, average precision and the probability metrics are undefined",
                    classes.first().map_or("none".to_string(), |c| format!("\"{c}\""))
                )
            });
        }
        let mut y = Vec::new();
        let mut pred = Vec::new();
        let has_proba = score.is_some() || !probabilities.is_empty();
        let mut proba = Vec::new();
        prediction_derived = prediction.is_none();
        'rows: for r in 0..n {
            let row = r as u64 + 1;
            let Some(t) = class_cell(table, label, r, row, &index, findings, true) else { continue };
            // Probabilities first: they may be needed to derive the prediction.
            let mut p_row = vec![0.0; k];
            if let Some(sc) = score {
                match probability_cell(table, sc, r, row, findings) {
                    Some(s) if k == 2 => {
                        let pos = positive.unwrap_or(1);
                        p_row[pos] = s;
                        p_row[1 - pos] = 1.0 - s;
                    }
                    Some(s) => {
                        if k == 1 {
                            p_row[0] = s;
                        }
                    }
                    None => continue,
                }
            } else if !probabilities.is_empty() {
                for (class, c) in &probabilities {
                    let Some(v) = probability_cell(table, *c, r, row, findings) else { continue 'rows };
                    p_row[index[class.as_str()]] = v;
                }
                let s: f64 = p_row.iter().sum();
                if (s - 1.0).abs() > options.probability_tolerance {
                    findings.add("probabilities_do_not_sum_to_one", Severity::Warning, src, None, row, || {
                        format!(
                            "the class probabilities of a row sum to {} rather than 1 (tolerance {}); the rows are kept and used as given, as scikit-learn does",
                            super::short(s),
                            options.probability_tolerance
                        )
                    });
                }
            }
            let p = match prediction {
                Some(pc) => {
                    let Some(p) = class_cell(table, pc, r, row, &index, findings, false) else { continue };
                    p
                }
                None if k == 2 && score.is_some() => {
                    let pos = positive.unwrap_or(1);
                    if p_row[pos] > options.threshold {
                        pos
                    } else {
                        1 - pos
                    }
                }
                None => {
                    let mut best = 0;
                    for j in 1..k {
                        if p_row[j] > p_row[best] {
                            best = j;
                        }
                    }
                    best
                }
            };
            rows.push(r);
            y.push(t);
            pred.push(p);
            if has_proba {
                proba.extend_from_slice(&p_row);
            }
        }
        let mut fit = (Vec::new(), Vec::new());
        if let (Some(t), Some(tl)) = (training, train_label) {
            for r in 0..t.rows() {
                if let Some(c) = class_cell(t, tl, r, r as u64 + 1, &index, findings, true) {
                    fit.0.push(r);
                    fit.1.push(c);
                }
            }
        }
        let task = if k > 2 { Task::Multiclass } else { Task::Binary };
        (
            Ctx::Class { classes, positive, y },
            Predictor::Hard { pred, proba: has_proba.then_some(proba) },
            task,
            fit.0,
            FitLabels::Classes(fit.1),
        )
    };

    // ---- the primary metric
    let k = ctx.classes().len();
    let primary = match &options.metric {
        Some(m) => {
            let names = metric_names(regression, k);
            if !names.contains(&m.as_str()) {
                return Err(EvalError::new(
                    "bad_option",
                    format!(
                        "metric \"{m}\" is not available for this task; choose one of {}",
                        names.join(", ")
                    ),
                ));
            }
            m.clone()
        }
        None => (if regression { "mae" } else { "accuracy" }).to_string(),
    };
    if matches!(&model, Predictor::Hard { proba: None, .. })
        && super::predictor::probability_metric_names(k).contains(&primary.as_str())
    {
        return Err(EvalError::new(
            "bad_option",
            format!("{src}: metric \"{primary}\" needs scores or class probabilities, and there are none"),
        ));
    }

    // ---- what the baselines are fitted on
    let (fit_rows, fit_labels, training_info) = match training {
        Some(t) => {
            let info =
                TrainingInfo { source: t.source.clone(), rows: t.rows(), rows_used: fit_rows_training.len() };
            (fit_rows_training, fit_y_training, Some(info))
        }
        None => {
            let labels = match &ctx {
                Ctx::Class { y, .. } => FitLabels::Classes(y.clone()),
                Ctx::Reg { y } => FitLabels::Values(y.clone()),
            };
            (rows.clone(), labels, None)
        }
    };

    // ---- features and slices
    let fit_table = training.unwrap_or(table);
    let mut features = Vec::new();
    let mut feature_columns = Vec::new();
    let candidates: Vec<usize> = if options.features.is_empty() {
        (0..table.names.len()).filter(|c| !special.contains(c) && table.is_numeric(*c)).collect()
    } else {
        let mut v = Vec::new();
        for f in &options.features {
            v.push(table.column(f).ok_or_else(|| missing(table, f, "features"))?);
        }
        v
    };
    for c in candidates {
        let name = &table.names[c];
        let Some(fc) = fit_table.column(name) else {
            if !options.features.is_empty() {
                return Err(missing(fit_table, name, "features"));
            }
            continue;
        };
        let finite = |t: &Table, col: usize, rs: &[usize]| {
            rs.iter().all(|&r| matches!(t.value(col, r), Value::Number(x) if x.is_finite()))
        };
        if finite(table, c, &rows) && finite(fit_table, fc, &fit_rows) {
            features.push(name.clone());
            feature_columns.push((c, fc));
        } else {
            findings.add("feature_not_used", Severity::Info, src, Some(name), 0, || {
                format!(
                    "column \"{name}\" is not used by the stump and linear baselines: it has missing, non-numeric or non-finite values{}",
                    if training.is_some() { " in one of the files" } else { "" }
                )
            });
        }
    }
    let slices: Vec<String> = if options.slices.is_empty() {
        (0..table.names.len())
            .filter(|c| !special.contains(c))
            .filter(|&c| {
                matches!(
                    table.types[c],
                    ColumnType::Categorical | ColumnType::Boolean | ColumnType::Numeric | ColumnType::Integer
                )
            })
            .map(|c| table.names[c].clone())
            .collect()
    } else {
        let mut v = Vec::new();
        for s in &options.slices {
            let c = table.column(s).ok_or_else(|| missing(table, s, "slices"))?;
            v.push(table.names[c].clone());
        }
        v
    };

    let columns = ResolvedColumns {
        label: table.names[label].clone(),
        prediction: prediction.map(|c| table.names[c].clone()),
        score: score.map(|c| table.names[c].clone()),
        probabilities: {
            let mut v: Vec<ProbabilityColumn> = probabilities
                .iter()
                .map(|(class, c)| ProbabilityColumn { class: class.clone(), column: table.names[*c].clone() })
                .collect();
            let order = ctx.classes();
            v.sort_by_key(|p| order.iter().position(|c| *c == p.class));
            v
        },
        id: id.map(|c| table.names[c].clone()),
        timestamp: timestamp.map(|c| table.names[c].clone()),
        sensitive: sensitive.map(|c| table.names[c].clone()),
        slices,
        features,
    };
    if rows.is_empty() {
        let seen: Vec<String> =
            findings.items.iter().map(|f| format!("{} in {} rows", f.code, f.count)).collect();
        return Err(EvalError::new(
            "no_rows",
            format!("{src}: no row has both a usable label and a usable prediction ({})", seen.join(", ")),
        ));
    }
    Ok(Prepared {
        task,
        columns,
        ctx,
        model,
        rows,
        primary,
        prediction_derived,
        training_info,
        fit_rows,
        fit_labels,
        fit_on_training: training.is_some(),
        feature_columns,
    })
}

fn detect_regression(table: &Table, label: usize, prediction: Option<usize>, has_scores: bool) -> bool {
    if has_scores || !table.is_numeric(label) {
        return false;
    }
    let whole = |c: usize| {
        (0..table.rows()).all(|r| match table.value(c, r) {
            Value::Number(x) => !x.is_finite() || x.fract() == 0.0,
            _ => true,
        })
    };
    let mut distinct = std::collections::HashSet::new();
    for r in 0..table.rows() {
        if let Value::Number(x) = table.value(label, r) {
            if x.is_finite() {
                distinct.insert(x.to_bits());
            }
        }
    }
    let classes = distinct.len() <= MAX_NUMERIC_CLASSES && whole(label) && prediction.is_none_or(whole);
    !classes
}

fn class_key(table: &Table, c: usize, r: usize) -> Option<String> {
    match table.value(c, r) {
        Value::Number(x) if !x.is_finite() => None,
        _ => table.key(c, r).map(|k| k.into_owned()),
    }
}

fn class_cell(
    table: &Table,
    c: usize,
    r: usize,
    row: u64,
    index: &HashMap<&str, usize>,
    findings: &mut Findings,
    is_label: bool,
) -> Option<usize> {
    let src = table.source.as_str();
    let name = table.names[c].as_str();
    let what = if is_label { "label" } else { "prediction" };
    match table.value(c, r) {
        Value::Null => {
            let (code, severity) = if is_label {
                ("missing_label", Severity::Warning)
            } else {
                ("missing_prediction", Severity::Error)
            };
            findings.add(code, severity, src, Some(name), row, || {
                format!("the {what} is missing; these rows are left out of every metric")
            });
            None
        }
        Value::Number(x) if !x.is_finite() => {
            findings.add(
                if is_label { "non_finite_label" } else { "non_finite_prediction" },
                Severity::Error,
                src,
                Some(name),
                row,
                || format!("the {what} is NaN or infinite; these rows are left out of every metric"),
            );
            None
        }
        _ => {
            let key = table.key(c, r)?;
            match index.get(key.as_ref()) {
                Some(&i) => Some(i),
                None => {
                    let (code, severity) = if is_label {
                        ("unknown_label_class", Severity::Warning)
                    } else {
                        ("unknown_predicted_class", Severity::Error)
                    };
                    let known = index.len();
                    findings.add(code, severity, src, Some(name), row, || {
                        format!(
                            "the {what} is a class the model has no probability for (it knows {known} classes); these rows are left out of every metric"
                        )
                    });
                    None
                }
            }
        }
    }
}

fn numeric_cell(
    table: &Table,
    c: usize,
    r: usize,
    row: u64,
    what: &str,
    findings: &mut Findings,
    is_label: bool,
) -> Option<f64> {
    let src = table.source.as_str();
    let name = table.names[c].as_str();
    match table.value(c, r) {
        Value::Number(x) if x.is_finite() => Some(x),
        Value::Null => {
            let (code, severity) = if is_label {
                ("missing_label", Severity::Warning)
            } else {
                ("missing_prediction", Severity::Error)
            };
            findings.add(code, severity, src, Some(name), row, || {
                format!("the {what} is missing; these rows are left out of every metric")
            });
            None
        }
        Value::Number(_) => {
            findings.add(
                if is_label { "non_finite_label" } else { "non_finite_prediction" },
                Severity::Error,
                src,
                Some(name),
                row,
                || format!("the {what} is NaN or infinite; these rows are left out of every metric"),
            );
            None
        }
        Value::Text(_) => {
            findings.add(
                if is_label { "non_numeric_label" } else { "non_numeric_prediction" },
                Severity::Error,
                src,
                Some(name),
                row,
                || {
                    format!(
                        "the {what} is not a number in a regression; these rows are left out of every metric"
                    )
                },
            );
            None
        }
    }
}

fn probability_cell(table: &Table, c: usize, r: usize, row: u64, findings: &mut Findings) -> Option<f64> {
    let src = table.source.as_str();
    let name = table.names[c].as_str();
    match table.value(c, r) {
        Value::Number(x) if (0.0..=1.0).contains(&x) => Some(x),
        Value::Number(x) if x.is_finite() => {
            findings.add("probability_out_of_range", Severity::Error, src, Some(name), row, || {
                "a probability is below 0 or above 1; these rows are left out of every metric".to_string()
            });
            None
        }
        Value::Number(_) => {
            findings.add("non_finite_probability", Severity::Error, src, Some(name), row, || {
                "a probability is NaN or infinite; these rows are left out of every metric".to_string()
            });
            None
        }
        Value::Null => {
            findings.add("missing_probability", Severity::Error, src, Some(name), row, || {
                "a probability is missing; these rows are left out of every metric".to_string()
            });
            None
        }
        Value::Text(_) => {
            findings.add("non_numeric_probability", Severity::Error, src, Some(name), row, || {
                "a probability is not a number; these rows are left out of every metric".to_string()
            });
            None
        }
    }
}
