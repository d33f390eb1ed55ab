//! `modelgate quality`: data-quality findings of a current CSV against a reference
//! CSV and the contract inferred from it (or an edited contract file).

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;
use modelgate_core::contract::{Contract, ContractOptions};
use modelgate_core::quality::{quality_report, QualityOptions, QualityReport, QualityScanner, Severity};

use crate::input::{read_contract, read_csv, read_csv_with};
use crate::text::{self, Format};

#[derive(clap::Args)]
pub struct QualityArgs {
    /// The reference (training) data.
    #[arg(long, short = 'r')]
    reference: String,
    /// The current (production) data.
    #[arg(long, short = 'c')]
    current: String,
    /// A contract file to check against instead of the one inferred from the reference.
    #[arg(long)]
    contract: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Example row numbers listed per finding.
    #[arg(long, default_value_t = QualityOptions::default().max_examples)]
    max_examples: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
}

pub fn run(args: &QualityArgs) -> Result<ExitCode> {
    let contract = match &args.contract {
        Some(path) => Some(read_contract(path)?),
        None => None,
    };
    let reference = read_csv(&args.reference)?;
    let contract = contract.unwrap_or_else(|| Contract::infer(&reference, &ContractOptions::default()));
    let options = QualityOptions { max_examples: args.max_examples.min(1000), ..QualityOptions::default() };
    let (current, scan) = read_csv_with(&args.current, QualityScanner::new(&contract, &options))?;
    let report = quality_report(Some(&reference), &current, &scan);
    write_report(&report, args.format)?;
    let failed = match args.fail_on {
        FailOn::Error => report.errors > 0,
        FailOn::Warning => report.errors + report.warnings > 0,
    };
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

pub fn write_report(report: &QualityReport, format: Format) -> Result<()> {
    text::emit(format, report, write_text)?;
    Ok(())
}

fn write_text(out: &mut impl Write, report: &QualityReport) -> io::Result<()> {
    if let Some(r) = &report.reference {
        writeln!(out, "reference: {} ({} rows, {} columns)", r.source, r.rows, r.columns)?;
    }
    let c = &report.current;
    writeln!(out, "current:   {} ({} rows, {} columns)", c.source, c.rows, c.columns)?;
    let k = &report.contract;
    writeln!(out, "contract:  version {}, {} fields, hash {}\n", k.version, k.fields, &k.hash[..16])?;
    let width = report.findings.iter().map(|f| f.kind.as_str().len()).max().unwrap_or(0);
    for f in &report.findings {
        let severity = match f.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        writeln!(out, "{severity:<7}  {:<width$}  {}", f.kind.as_str(), f.message)?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }
    let s = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "{}, {}, {}; contract {}",
        s(report.errors, "error"),
        s(report.warnings, "warning"),
        s(report.infos, "info"),
        if report.passed { "met" } else { "broken" }
    )
}
