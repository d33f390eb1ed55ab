//! `modelgate`: ML production-readiness checks from the command line.
//!
//! The binary owns the I/O (files, stdout, exit codes) and leaves every
//! computation to `modelgate-core`, so CI gets the numbers the page shows.
//!
//! ```text
//! modelgate drift --reference train.csv --current prod.csv --format json
//! ```
//!
//! Exit codes: 0 no drift, 1 drift found, 2 error.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use modelgate_core::{drift_report, CsvIngest, Dataset, DriftOptions, DriftReport, Status};

mod text;

#[derive(Parser)]
#[command(
    name = "modelgate",
    version,
    about = "ML production-readiness checks: data drift between two CSV files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare a current CSV with a reference CSV, column by column.
    ///
    /// Exits 0 when nothing drifted, 1 when drift was found, 2 on error.
    Drift(DriftArgs),
}

#[derive(clap::Args)]
struct DriftArgs {
    /// The reference (training) data.
    #[arg(long, short = 'r')]
    reference: String,
    /// The current (production) data.
    #[arg(long, short = 'c')]
    current: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// What makes the exit code 1: any drifted column, or dataset drift (the share of
    /// drifted columns reaching --drift-share).
    #[arg(long, value_enum, default_value_t = FailOn::Column)]
    fail_on: FailOn,
    /// PSI at or above this is drift.
    #[arg(long, default_value_t = DriftOptions::default().psi_threshold)]
    psi_threshold: f64,
    /// KS p-values below this are drift.
    #[arg(long, default_value_t = DriftOptions::default().ks_alpha)]
    ks_alpha: f64,
    /// Chi-square p-values below this are drift.
    #[arg(long, default_value_t = DriftOptions::default().chi2_alpha)]
    chi2_alpha: f64,
    /// Share of drifted columns at which the dataset drifts.
    #[arg(long, default_value_t = DriftOptions::default().drift_share)]
    drift_share: f64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum FailOn {
    Column,
    Dataset,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Drift(args) => drift(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn drift(args: &DriftArgs) -> Result<ExitCode> {
    let options = DriftOptions {
        psi_threshold: args.psi_threshold,
        ks_alpha: args.ks_alpha,
        chi2_alpha: args.chi2_alpha,
        drift_share: args.drift_share,
        ..DriftOptions::default()
    };
    let reference = read_csv(&args.reference)?;
    let current = read_csv(&args.current)?;
    let report = drift_report(&reference, &current, &options);
    let mut out = io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Text => text::write_drift(&mut out, &report)?,
    }
    out.flush()?;
    Ok(if drift_found(&report, args.fail_on) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn drift_found(report: &DriftReport, fail_on: FailOn) -> bool {
    match fail_on {
        FailOn::Column => report.columns.iter().any(|c| c.status == Status::Tested && c.drifted),
        FailOn::Dataset => report.dataset_drift,
    }
}

/// Streams a file into the core in blocks, so memory holds the parsed columns, not the text.
fn read_csv(path: &str) -> Result<Dataset> {
    const BLOCK: usize = 1 << 20;
    let mut file = File::open(Path::new(path)).with_context(|| format!("{path}: cannot open"))?;
    let mut ingest = CsvIngest::new(path);
    let mut buf = vec![0u8; BLOCK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("{path}: cannot read")),
        };
        ingest.push(&buf[..n])?;
    }
    Ok(ingest.finish()?)
}
