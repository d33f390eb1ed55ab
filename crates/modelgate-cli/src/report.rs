//! `modelgate report`: every check of this run in one file, as the page exports it.

use std::fs;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;
use modelgate_core::report::{to_html, to_json_pretty, to_markdown, Report};
use modelgate_core::{drift_report, DriftOptions};

use crate::input::read_csv;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// The reference (training) data.
    #[arg(long, short = 'r')]
    reference: String,
    /// The current (production) data.
    #[arg(long, short = 'c')]
    current: String,
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

/// Writes the report; the exit code is 0 whatever it says (use `drift` to gate on drift).
pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let reference = read_csv(&args.reference)?;
    let current = read_csv(&args.current)?;
    let report = Report::new().with_drift(&drift_report(&reference, &current, &DriftOptions::default()));
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
