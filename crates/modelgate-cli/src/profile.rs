//! `modelgate profile`: write a reusable, mergeable reference profile.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use modelgate_core::ProfileOptions;

use crate::input::{read_csv_profiled, read_profile};

#[derive(clap::Args)]
pub struct ProfileArgs {
    /// CSV files to profile (several are merged into one profile, as partitions of one dataset).
    #[arg(long, short = 'i')]
    input: Vec<String>,
    /// Profile files to merge in (written by earlier runs of this command).
    #[arg(long)]
    merge: Vec<String>,
    /// Where to write the profile (JSON).
    #[arg(long, short = 'o')]
    output: String,
    /// Finite values kept exactly per column; past this a quantile sketch replaces them.
    #[arg(long, default_value_t = ProfileOptions::default().exact_values)]
    exact_values: u64,
    /// Distinct rows kept for correlations.
    #[arg(long, default_value_t = ProfileOptions::default().sample_rows)]
    sample_rows: usize,
}

pub fn run(args: &ProfileArgs) -> Result<ExitCode> {
    if args.input.is_empty() && args.merge.is_empty() {
        bail!("nothing to profile: give --input (CSV) or --merge (profile) at least once");
    }
    let options = ProfileOptions {
        exact_values: args.exact_values,
        sample_rows: args.sample_rows,
        ..Default::default()
    };
    let mut profiles = Vec::new();
    for path in &args.input {
        profiles.push(read_csv_profiled(path, options)?);
    }
    for path in &args.merge {
        profiles.push(read_profile(path)?);
    }
    let mut merged = profiles.remove(0);
    for p in &profiles {
        merged.merge(p)?;
    }
    if !profiles.is_empty() {
        let names: Vec<&str> = args.input.iter().chain(&args.merge).map(String::as_str).collect();
        merged.source = names.join(" + ");
    }
    std::fs::write(&args.output, merged.to_json())
        .with_context(|| format!("{}: cannot write", args.output))?;
    eprintln!("wrote {} ({} rows, {} columns)", args.output, merged.rows, merged.columns.len());
    Ok(ExitCode::SUCCESS)
}
