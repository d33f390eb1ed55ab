//! `modelgate report`: every check of this run in one file, as the page exports it.
//!
//! Each input turns on the sections it allows: `--reference` and `--current` give drift,
//! and data quality against `--contract` (or the contract inferred from the reference, as
//! the page does); `--predictions` the evaluation (baselines fitted on `--training` when
//! given); `--compare-with` the comparison of two prediction files; `--training` with
//! `--serving` the training/serving skew; `--answers` the rubric, scored with evidence
//! from the sections of this very run. `--from` re-renders a saved JSON report.

use std::fs;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use modelgate_core::contract::{Contract, ContractOptions};
use modelgate_core::eval::{compare_predictions, evaluate, skew_report, CompareOptions, SkewOptions};
use modelgate_core::quality::{quality_report, QualityOptions, QualityScanner};
use modelgate_core::report::{to_html, to_json_pretty, to_markdown, Report};
use modelgate_core::rubric::{score, Evidence};
use modelgate_core::{drift_report, DriftOptions};

use crate::evaluate::EvalColumns;
use crate::input::{read_contract, read_csv, read_csv_with, read_table};
use crate::rubric::read_answers;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The reference (training) data: with --current, the drift section.
    #[arg(long, short = 'r')]
    reference: Option<String>,
    /// The current (production) data: with --reference, the drift section; with
    /// --reference or --contract, the data-quality section.
    #[arg(long, short = 'c')]
    current: Option<String>,
    /// A data contract for the quality section (default: inferred from --reference).
    #[arg(long)]
    contract: Option<String>,
    /// A predictions CSV: the evaluation section (the model against baselines, slices,
    /// fairness, time), with the same column flags as `modelgate evaluate`.
    #[arg(long, short = 'p')]
    predictions: Option<String>,
    /// A training CSV with labels and features: the baselines are fitted on it, and with
    /// --serving it is the training side of the skew section.
    #[arg(long)]
    training: Option<String>,
    /// A second predictions CSV (another run of the same model on the same rows): the
    /// reproducibility section, compared with --predictions row by row.
    #[arg(long, requires = "predictions", value_name = "CSV")]
    compare_with: Option<String>,
    /// Serving-time features joined by id to --training: the training/serving skew section.
    #[arg(long, requires = "training", value_name = "CSV")]
    serving: Option<String>,
    /// The id column joining --serving to --training (default: id).
    #[arg(long = "skew-id", requires = "serving", value_name = "COLUMN")]
    skew_id: Option<String>,
    /// An answers file: the rubric section, scored with evidence from this run's sections.
    #[arg(long, short = 'a')]
    answers: Option<String>,
    /// The rubric of --answers (a built-in id or a rubric JSON file; default: the one the file names).
    #[arg(long, requires = "answers")]
    rubric: Option<String>,
    /// A saved JSON report to render again (in another --format); no other input goes with it.
    #[arg(
        long,
        value_name = "JSON",
        conflicts_with_all = ["reference", "current", "contract", "predictions", "training", "answers"]
    )]
    from: Option<String>,
    /// Which columns of --predictions hold what (as for `modelgate evaluate`).
    #[command(flatten)]
    columns: EvalColumns,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// Where to write the report; standard output when absent.
    #[arg(long, short = 'o')]
    output: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Html,
    Json,
    Markdown,
}

/// Writes the report; the exit code is 0 whatever it says (the single-check subcommands
/// gate a pipeline), 2 when an input cannot be read or the inputs do not make a report.
pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let report = match &args.from {
        Some(path) => {
            let text = fs::read_to_string(path).with_context(|| format!("{path}: cannot read"))?;
            Report::from_json(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?
        }
        None => compute(args)?,
    };
    let text = match args.format {
        ReportFormat::Html => to_html(&report),
        ReportFormat::Json => to_json_pretty(&report),
        ReportFormat::Markdown => to_markdown(&report),
    };
    match &args.output {
        Some(path) => fs::write(path, text).with_context(|| format!("{path}: cannot write"))?,
        None => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn compute(args: &ReportArgs) -> Result<Report> {
    if args.reference.is_none()
        && args.current.is_none()
        && args.predictions.is_none()
        && args.training.is_none()
        && args.answers.is_none()
    {
        bail!(
            "nothing to report: give --reference and --current (drift, quality), --predictions (evaluation), \
             --training with --serving (skew), --answers (rubric), or --from a saved report"
        );
    }
    match (&args.reference, &args.current, &args.contract) {
        (Some(_), None, _) => bail!("--reference needs --current: drift compares the two"),
        (None, Some(_), None) => {
            bail!("--current needs --reference (drift and quality) or --contract (quality)")
        }
        (None, None, Some(_)) => bail!("--contract needs --current: it checks the current data"),
        _ => {}
    }
    if args.training.is_some() && args.predictions.is_none() && args.serving.is_none() {
        bail!("--training goes with --predictions (baselines) or --serving (skew)");
    }

    let mut report = Report::new();
    let reference = args.reference.as_deref().map(read_csv).transpose()?;
    if let (Some(reference), Some(current)) = (&reference, &args.current) {
        report = report.with_drift(&drift_report(reference, &read_csv(current)?, &DriftOptions::default()));
    }
    if let Some(current) = &args.current {
        let contract = match (&args.contract, &reference) {
            (Some(path), _) => read_contract(path)?,
            (None, Some(reference)) => Contract::infer(reference, &ContractOptions::default()),
            (None, None) => unreachable!("checked above"),
        };
        // A second pass over the current file: the drift profile keeps no row.
        let (current, scan) =
            read_csv_with(current, QualityScanner::new(&contract, &QualityOptions::default()))?;
        report = report.with_quality(&quality_report(reference.as_ref(), &current, &scan));
    }
    let training = args.training.as_deref().map(read_table).transpose()?;
    if let Some(path) = &args.predictions {
        let predictions = read_table(path)?;
        let evaluation = evaluate(&predictions, training.as_ref(), &args.columns.options())?;
        report = report.with_evaluation(&evaluation);
        if let Some(other) = &args.compare_with {
            let comparison =
                compare_predictions(&predictions, &read_table(other)?, &CompareOptions::default())?;
            report = report.with_comparison(&comparison);
        }
    }
    if let (Some(training), Some(serving)) = (&training, &args.serving) {
        let options = SkewOptions { id: args.skew_id.clone(), ..SkewOptions::default() };
        report = report.with_skew(&skew_report(training, &read_table(serving)?, &options)?);
    }
    if let Some(path) = &args.answers {
        let (rubric, answers) = read_answers(path, args.rubric.as_deref())?;
        let scored = score(&rubric, &answers, &Evidence::from(&report));
        report = report.with_rubric(&scored);
    }
    Ok(report)
}
