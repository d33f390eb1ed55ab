//! `modelgate drift`: compare a current CSV with a reference CSV.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use modelgate_core::{drift_report, DriftOptions, DriftReport, Status};

use crate::input::read_csv;
use crate::text::{self, Format};

#[derive(clap::Args)]
pub struct DriftArgs {
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

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum FailOn {
    Column,
    Dataset,
}

pub fn run(args: &DriftArgs) -> Result<ExitCode> {
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
