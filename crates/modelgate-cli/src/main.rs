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
//! ```
//!
//! Exit codes: 0 ok, 1 the check failed (drift, error findings, contract
//! violations), 2 error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod contract;
mod drift;
mod input;
mod quality;
mod text;

#[derive(Parser)]
#[command(
    name = "modelgate",
    version,
    about = "ML production-readiness checks: data drift, data quality and data contracts for CSV files"
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
    Drift(drift::DriftArgs),
    /// Data-quality findings of a current CSV against a reference CSV and its contract.
    ///
    /// Exits 0 when no finding is an error (or, with --fail-on warning, a warning), 1 otherwise, 2 on error.
    Quality(quality::QualityArgs),
    /// Infer a data contract, export it as JSON Schema, or check data against it.
    #[command(subcommand)]
    Contract(contract::ContractCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Drift(args) => drift::run(&args),
        Command::Quality(args) => quality::run(&args),
        Command::Contract(command) => contract::run(&command),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
