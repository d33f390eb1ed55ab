//! `modelgate evaluate`: the model against simple baselines, on slices, for a
//! sensitive group and across time.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use modelgate_core::eval::{evaluate, EvalOptions, EvalReport, Period, Task};

use crate::input::read_table;
use crate::text::{self, number, short, table, write_findings, Format};

#[derive(clap::Args)]
pub struct EvaluateArgs {
    /// The predictions CSV: a label column, the model's prediction and, for
    /// classifiers, a score or one probability column per class.
    #[arg(long, short = 'p')]
    predictions: String,
    /// A training CSV with labels (and the features), to fit the baselines on;
    /// without it they are fitted on the evaluated rows.
    #[arg(long)]
    train: Option<String>,
    /// Which columns hold what, and the evaluation's options.
    #[command(flatten)]
    columns: EvalColumns,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// The column and option flags of `modelgate evaluate`, shared with `modelgate report`.
#[derive(clap::Args)]
pub struct EvalColumns {
    /// The label column (default: label, target, y, ...).
    #[arg(long)]
    label: Option<String>,
    /// The prediction column (default: prediction, pred, ...).
    #[arg(long)]
    prediction: Option<String>,
    /// The positive class's probability (binary models; default: score, proba, ...).
    #[arg(long)]
    score: Option<String>,
    /// A class probability column, named like proba_setosa for class setosa (repeat it; default: every proba_CLASS column).
    #[arg(long = "proba")]
    probabilities: Vec<String>,
    /// The positive class of a binary model (default: the larger class).
    #[arg(long)]
    positive_class: Option<String>,
    /// The task (default: detected from the columns).
    #[arg(long, value_enum)]
    task: Option<TaskArg>,
    /// A row id column.
    #[arg(long)]
    id: Option<String>,
    /// A timestamp column (default: timestamp, date, ... or the first date column).
    #[arg(long)]
    timestamp: Option<String>,
    /// Time period for the analysis over time (default: from the time span).
    #[arg(long, value_enum)]
    period: Option<PeriodArg>,
    /// A column to slice by (repeat it; default: every categorical and numeric column).
    #[arg(long = "slice")]
    slices: Vec<String>,
    /// A sensitive column for the fairness metrics.
    #[arg(long)]
    sensitive: Option<String>,
    /// A feature for the stump and linear baselines (repeat it; default: every numeric column).
    #[arg(long = "feature")]
    features: Vec<String>,
    /// The metric baselines, slices and time are judged on (default: accuracy, or mae for regression).
    #[arg(long)]
    metric: Option<String>,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = EvalOptions::default().seed)]
    seed: u64,
    /// Bootstrap resamples (0: no intervals).
    #[arg(long, default_value_t = EvalOptions::default().resamples)]
    resamples: usize,
    /// Confidence level of the bootstrap intervals.
    #[arg(long, default_value_t = EvalOptions::default().confidence)]
    confidence: f64,
    /// Relative drop from the first period that suggests retraining.
    #[arg(long, default_value_t = EvalOptions::default().retrain_drop)]
    retrain_drop: f64,
    /// Relative shortfall from overall that flags a slice.
    #[arg(long, default_value_t = EvalOptions::default().slice_gap)]
    slice_gap: f64,
    /// Slices with fewer rows are never flagged.
    #[arg(long, default_value_t = EvalOptions::default().min_slice_rows)]
    min_slice_rows: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum TaskArg {
    Binary,
    Multiclass,
    Classification,
    Regression,
}

#[derive(Clone, Copy, ValueEnum)]
enum PeriodArg {
    Day,
    Week,
    Month,
}

impl EvalColumns {
    /// The evaluation options these flags set.
    pub fn options(&self) -> EvalOptions {
        let args = self;
        EvalOptions {
            label: args.label.clone(),
            prediction: args.prediction.clone(),
            score: args.score.clone(),
            probabilities: args.probabilities.clone(),
            positive_class: args.positive_class.clone(),
            task: args.task.map(|t| match t {
                TaskArg::Binary => Task::Binary,
                TaskArg::Multiclass => Task::Multiclass,
                TaskArg::Classification => Task::Classification,
                TaskArg::Regression => Task::Regression,
            }),
            id: args.id.clone(),
            timestamp: args.timestamp.clone(),
            slices: args.slices.clone(),
            sensitive: args.sensitive.clone(),
            features: args.features.clone(),
            period: args.period.map(|p| match p {
                PeriodArg::Day => Period::Day,
                PeriodArg::Week => Period::Week,
                PeriodArg::Month => Period::Month,
            }),
            metric: args.metric.clone(),
            seed: args.seed,
            resamples: args.resamples,
            confidence: args.confidence,
            retrain_drop: args.retrain_drop,
            slice_gap: args.slice_gap,
            min_slice_rows: args.min_slice_rows,
            ..EvalOptions::default()
        }
    }
}

pub fn run(args: &EvaluateArgs) -> Result<ExitCode> {
    let options = args.columns.options();
    let predictions = read_table(&args.predictions)?;
    let training = args.train.as_deref().map(read_table).transpose()?;
    let report = evaluate(&predictions, training.as_ref(), &options)?;
    text::emit(args.format, &report, write_text)?;
    Ok(if report.verdict.passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), number)
}

fn write_text(out: &mut impl Write, r: &EvalReport) -> io::Result<()> {
    let task = match r.task {
        Task::Binary => "binary classification",
        Task::Multiclass => "multiclass classification",
        _ => "regression",
    };
    writeln!(out, "predictions: {} ({} rows, {} evaluated)", r.source, r.rows, r.rows_evaluated)?;
    if let Some(t) = &r.training {
        writeln!(out, "training:    {} ({} rows, {} with a label)", t.source, t.rows, t.rows_used)?;
    }
    let mut cols = format!("label \"{}\"", r.columns.label);
    if let Some(p) = &r.columns.prediction {
        cols.push_str(&format!(", prediction \"{p}\""));
    }
    if let Some(s) = &r.columns.score {
        cols.push_str(&format!(", score \"{s}\""));
    }
    if !r.columns.probabilities.is_empty() {
        cols.push_str(&format!(", {} probability columns", r.columns.probabilities.len()));
    }
    write!(out, "task:        {task}; {cols}")?;
    if let Some(p) = &r.positive_class {
        write!(out, "; positive class \"{p}\"")?;
    }
    writeln!(out, "\n")?;

    let rows: Vec<Vec<String>> =
        r.metrics.0.iter().map(|(name, v)| vec![name.to_string(), opt(*v)]).collect();
    table(out, &["metric", "model"], &rows)?;

    let b = &r.baselines;
    writeln!(
        out,
        "\nbaselines, fitted on {} ({} rows); {}: difference with a {}% bootstrap interval ({} resamples, seed {})",
        if b.fitted_on == "training" { "the training file" } else { "the evaluated rows" },
        b.fit_rows,
        b.metric,
        short(b.confidence * 100.0),
        b.resamples,
        b.seed
    )?;
    let rows: Vec<Vec<String>> = b
        .results
        .iter()
        .map(|x| match (&x.skipped, &x.comparison) {
            (Some(why), _) => vec![
                x.name.to_string(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                format!("skipped: {why}"),
            ],
            (None, Some(c)) => vec![
                format!("{}{}", x.name, if x.expected_value { " (expected)" } else { "" }),
                opt(c.baseline),
                opt(c.difference),
                match (c.ci_low, c.ci_high) {
                    (Some(lo), Some(hi)) => format!("[{}, {}]", number(lo), number(hi)),
                    _ => "-".into(),
                },
                opt(c.gain),
                match c.verdict {
                    modelgate_core::eval::BaselineVerdict::ModelBetter => "model better",
                    modelgate_core::eval::BaselineVerdict::NoSignificantDifference => "BASELINE MATCHES",
                    modelgate_core::eval::BaselineVerdict::BaselineBetter => "BASELINE BETTER",
                    modelgate_core::eval::BaselineVerdict::NotCompared => "not compared",
                }
                .to_string(),
            ],
            (None, None) => {
                vec![x.name.to_string(), "-".into(), "-".into(), "-".into(), "-".into(), "-".into()]
            }
        })
        .collect();
    table(out, &["baseline", &b.metric, "difference", "interval", "gain", "verdict"], &rows)?;

    if !r.weak_slices.is_empty() {
        writeln!(
            out,
            "\nweak slices ({} at least {}% below overall):",
            r.primary_metric,
            short(r.options.slice_gap * 100.0)
        )?;
        for w in r.weak_slices.iter().take(10) {
            writeln!(
                out,
                "  {} = {} ({} rows): {} vs {} overall ({}% short)",
                w.column,
                w.value,
                w.rows,
                number(w.value_metric),
                number(w.overall),
                short(w.shortfall * 100.0)
            )?;
        }
    } else if !r.slices.is_empty() {
        writeln!(
            out,
            "\nno slice is {}% or more below overall on {}",
            short(r.options.slice_gap * 100.0),
            r.primary_metric
        )?;
    }
    if let Some(f) = &r.fairness {
        writeln!(
            out,
            "\nfairness by \"{}\"{}:",
            f.column,
            f.positive_class.as_ref().map_or(String::new(), |p| format!(" (positive class \"{p}\")"))
        )?;
        if let Some(note) = &f.note {
            writeln!(out, "  {note}")?;
        } else {
            writeln!(
                out,
                "  demographic parity difference {}, ratio {}; equal opportunity difference {}; equalized odds difference {}",
                opt(f.demographic_parity_difference),
                opt(f.demographic_parity_ratio),
                opt(f.equal_opportunity_difference),
                opt(f.equalized_odds_difference)
            )?;
        }
        let rows: Vec<Vec<String>> = f
            .groups
            .iter()
            .map(|g| {
                vec![
                    g.value.clone(),
                    g.rows.to_string(),
                    opt(g.selection_rate),
                    opt(g.true_positive_rate),
                    opt(g.false_positive_rate),
                    opt(g.metrics.get(&r.primary_metric)),
                ]
            })
            .collect();
        table(out, &["group", "rows", "selection", "TPR", "FPR", &r.primary_metric], &rows)?;
    }
    if let Some(t) = &r.time {
        writeln!(
            out,
            "\nover time by {} ({}, \"{}\"): {} per period; {}",
            serde_json::to_value(t.period)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            if t.automatic { "chosen from the span" } else { "as asked" },
            t.column,
            t.slope.map_or("no trend".into(), |s| format!("trend {s:+.3e}")),
            t.suggestion
        )?;
    }
    write_findings(out, &r.findings)?;
    if r.verdict.passed {
        writeln!(out, "\nverdict: pass; the model beats every baseline")
    } else {
        writeln!(out, "\nverdict: FAIL")?;
        for reason in &r.verdict.reasons {
            writeln!(out, "  - {reason}")?;
        }
        Ok(())
    }
}
