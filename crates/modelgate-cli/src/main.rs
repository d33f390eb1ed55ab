//! `modelgate`: ML production-readiness checks from the command line.
//!
//! The binary owns the I/O (files, stdout, exit codes) and leaves every
//! computation to `modelgate-core`, so CI gets the numbers the page shows.
//!
//! ```text
//! modelgate profile --input train.csv --output train.profile.json
//! modelgate drift --reference-profile train.profile.json --current prod.csv --format json
//! ```
//!
//! Exit codes: 0 no drift, 1 drift found, 2 error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod drift;
mod input;
mod profile;
mod text;

#[derive(Parser)]
#[command(
    name = "modelgate",
    version,
    about = "ML production-readiness checks: data drift between CSV files and reference profiles"
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Drift(args) => drift::run(&args),
        Command::Profile(args) => profile::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
