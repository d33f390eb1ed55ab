//! `modelgate`: ML production-readiness checks from the command line.
//!
//! The binary owns the I/O (files, stdout, exit codes) and leaves every
//! computation to `modelgate-core`, so CI gets the numbers the page shows.
//!
//! ```text
//! modelgate drift --reference train.csv --current prod.csv --format json
//! modelgate quality --reference train.csv --current prod.csv
//! modelgate contract infer --reference train.csv --output contract.json
//! modelgate contract check --contract contract.json --current prod.csv
//! modelgate evaluate --predictions preds.csv --train train.csv --slice region
//! modelgate compare-predictions --a run1.csv --b run2.csv --id id
//! modelgate skew --training features_train.csv --serving features_served.csv --id id
//! modelgate rubric --answers answers.csv --drift-reference train.csv --drift-current prod.csv
//! modelgate profile --input train.csv --output train.profile.json
//! modelgate drift --reference-profile train.profile.json --current prod.csv --format json
//! ```
//!
//! Exit codes: 0 ok, 1 the check failed (drift, quality findings at error severity,
//! contract violations, a baseline that matches or beats the model, predictions or
//! features that differ, or evidence that contradicts a rubric answer), 2 error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod compare;
mod contract;
mod drift;
mod evaluate;
mod input;
mod profile;
mod quality;
mod report;
mod rubric;
mod skew;
mod text;

#[derive(Parser)]
#[command(
    name = "modelgate",
    version,
    about = "ML production-readiness checks: data drift, reference profiles, data quality, data contracts, model evaluation against baselines, reproducibility and skew, readiness rubrics"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare current data (CSV files or profiles) with reference data, column by column.
    ///
    /// Exits 0 when nothing drifted, 1 when drift was found (or a file has no rows), 2 on error.
    Drift(Box<drift::DriftArgs>),
    /// Profile CSV files into a reusable, mergeable reference profile (JSON).
    Profile(profile::ProfileArgs),
    /// Evaluate a model's predictions against simple baselines, on slices, for a
    /// sensitive group and over time.
    ///
    /// Exits 0 when the model beats every baseline and the rows line up, 1 when a
    /// baseline matches or beats it or a finding is at error severity, 2 on error.
    Evaluate(Box<evaluate::EvaluateArgs>),
    /// Compare two prediction files row by row (joined by id or by order).
    ///
    /// Exits 0 when they agree, 1 when any row differs or lacks a partner, 2 on error.
    ComparePredictions(compare::CompareArgs),
    /// Compare training-time and serving-time features joined by id (training/serving skew).
    ///
    /// Exits 0 when no feature is skewed, 1 when one is, 2 on error.
    Skew(skew::SkewArgs),
    /// Data-quality findings of a current CSV against a reference CSV and its contract.
    ///
    /// Exits 0 when no finding is an error (or, with --fail-on warning, a warning), 1 otherwise, 2 on error.
    Quality(quality::QualityArgs),
    /// Infer a data contract, export it as JSON Schema, or check data against it.
    #[command(subcommand)]
    Contract(contract::ContractCommand),
    /// Write every check of this run as one HTML, JSON or Markdown report (no raw values).
    ///
    /// Sections: drift and quality (--reference, --current, --contract), the evaluation
    /// (--predictions, --training and the column flags of `evaluate`), reproducibility
    /// (--compare-with), skew (--training with --serving) and the rubric (--answers, scored
    /// with this run's evidence). --from re-renders a saved JSON report. Exits 0 when the
    /// report is written, 2 on error.
    Report(Box<report::ReportArgs>),
    /// Score a readiness rubric (the ML Test Score, a deployment checklist) from an answers file.
    ///
    /// Evidence from this run (--drift-reference and --drift-current, --report, --evidence) is shown
    /// beside the items it bears on. Exits 0 when scored, 1 when the evidence contradicts an
    /// answer (or the score is below --fail-under), 2 on error.
    Rubric(rubric::RubricArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Drift(args) => drift::run(&args),
        Command::Profile(args) => profile::run(&args),
        Command::Evaluate(args) => evaluate::run(&args),
        Command::ComparePredictions(args) => compare::run(&args),
        Command::Skew(args) => skew::run(&args),
        Command::Quality(args) => quality::run(&args),
        Command::Contract(command) => contract::run(&command),
        Command::Report(args) => report::run(&args),
        Command::Rubric(args) => rubric::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
