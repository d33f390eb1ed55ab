//! `modelgate contract`: infer a data contract, export it as JSON Schema, and
//! check a CSV or JSON records against it.

use std::fs;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use modelgate_core::contract::{AdditionalFields, Contract, ContractOptions};
use modelgate_core::quality::{quality_report, QualityOptions, QualityScanner};
use modelgate_core::validate::validate_json;

use crate::input::{read_contract, read_csv, read_csv_with, read_text};
use crate::quality::write_report;
use crate::text::Format;

#[derive(Subcommand)]
pub enum ContractCommand {
    /// Infer a contract from reference data and write it as JSON.
    Infer(InferArgs),
    /// Write the JSON Schema (draft 2020-12) of one record under a contract.
    Schema(SchemaArgs),
    /// Check a current CSV, or JSON records, against a contract.
    ///
    /// Exits 0 when the data meets the contract, 1 when it breaks a rule, 2 on error.
    Check(CheckArgs),
}

#[derive(clap::Args)]
pub struct InferArgs {
    /// The reference (training) data.
    #[arg(long, short = 'r')]
    reference: String,
    /// Where to write the contract (default: standard output).
    #[arg(long, short = 'o')]
    output: Option<String>,
    /// Widen each numeric range by this share of its width on both sides.
    #[arg(long, default_value_t = ContractOptions::default().range_tolerance)]
    range_tolerance: f64,
    /// Categorical columns with more distinct values than this get no allowed set.
    #[arg(long, default_value_t = ContractOptions::default().max_categories)]
    max_categories: usize,
    /// A nullable field may hold this much more null share than the reference.
    #[arg(long, default_value_t = ContractOptions::default().null_share_tolerance)]
    null_share_tolerance: f64,
    /// Let records carry fields the reference does not have.
    #[arg(long)]
    allow_additional_fields: bool,
    /// The version label written into the contract.
    #[arg(long, default_value = "1")]
    contract_version: String,
}

#[derive(clap::Args)]
pub struct SchemaArgs {
    /// The contract file.
    #[arg(long)]
    contract: String,
    /// Where to write the schema (default: standard output).
    #[arg(long, short = 'o')]
    output: Option<String>,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The contract file.
    #[arg(long)]
    contract: String,
    /// A current CSV to check, row by row.
    #[arg(long, short = 'c', required_unless_present = "records", conflicts_with = "records")]
    current: Option<String>,
    /// A JSON file of records: one object, or an array of objects.
    #[arg(long)]
    records: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(command: &ContractCommand) -> Result<ExitCode> {
    match command {
        ContractCommand::Infer(args) => infer(args),
        ContractCommand::Schema(args) => schema(args),
        ContractCommand::Check(args) => check(args),
    }
}

fn write_output(output: Option<&str>, text: &str) -> Result<()> {
    match output {
        Some(path) => fs::write(path, text).with_context(|| format!("{path}: cannot write")),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}

fn infer(args: &InferArgs) -> Result<ExitCode> {
    let options = ContractOptions {
        range_tolerance: args.range_tolerance,
        max_categories: args.max_categories,
        null_share_tolerance: args.null_share_tolerance,
        additional_fields: if args.allow_additional_fields {
            AdditionalFields::Allow
        } else {
            AdditionalFields::Reject
        },
        version: args.contract_version.clone(),
    };
    if !(options.range_tolerance >= 0.0 && options.range_tolerance.is_finite()) {
        anyhow::bail!("--range-tolerance must be a finite number 0 or more");
    }
    if !(0.0..=1.0).contains(&options.null_share_tolerance) {
        anyhow::bail!("--null-share-tolerance must be between 0 and 1");
    }
    let reference = read_csv(&args.reference)?;
    let contract = Contract::infer(&reference, &options);
    contract.check().map_err(|e| anyhow::anyhow!("--contract-version: {e}"))?;
    write_output(args.output.as_deref(), &contract.to_json_pretty())?;
    if let Some(path) = &args.output {
        eprintln!(
            "wrote {path}: {} fields, version {}, hash {}",
            contract.fields().len(),
            contract.version,
            contract.hash()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn schema(args: &SchemaArgs) -> Result<ExitCode> {
    let contract = read_contract(&args.contract)?;
    let text = serde_json::to_string_pretty(&contract.json_schema())? + "\n";
    write_output(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn check(args: &CheckArgs) -> Result<ExitCode> {
    let contract = read_contract(&args.contract)?;
    if let Some(path) = &args.records {
        let text = read_text(path)?;
        let result = validate_json(&contract, &text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
        let mut out = io::stdout().lock();
        match args.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut out, &result)?;
                writeln!(out)?;
            }
            Format::Text => {
                for v in &result.violations {
                    writeln!(out, "record {}: {} [{}]", v.instance, v.message, v.rule)?;
                }
                let bad: std::collections::BTreeSet<usize> =
                    result.violations.iter().map(|v| v.instance).collect();
                writeln!(
                    out,
                    "{} of {} records break the contract ({} violations); contract version {}, hash {}",
                    bad.len(),
                    result.records,
                    result.violations.len(),
                    contract.version,
                    contract.hash()
                )?;
            }
        }
        out.flush()?;
        return Ok(if result.violations.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let Some(current) = &args.current else { anyhow::bail!("give --current or --records") };
    let scanner = QualityScanner::new(&contract, &QualityOptions::default());
    let (dataset, scan) = read_csv_with(current, scanner)?;
    let report = quality_report(None, &dataset, &scan);
    write_report(&report, args.format)?;
    Ok(if report.passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
