//! `modelgate drift`: compare current data with reference data, column by column.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};
use clap::ValueEnum;
use modelgate_core::{
    drift_reports, ColumnType, DatasetProfile, DriftOptions, DriftReport, Method, Severity, Status,
};

use crate::input::{read_data, read_profile};
use crate::text::{self, Format};

#[derive(clap::Args)]
pub struct DriftArgs {
    /// The reference (training) data, a CSV.
    #[arg(
        long,
        short = 'r',
        required_unless_present = "reference_profile",
        conflicts_with = "reference_profile"
    )]
    reference: Option<String>,
    /// The reference as a profile written by `modelgate profile`.
    #[arg(long)]
    reference_profile: Option<String>,
    /// Current data to compare (repeat for several datasets; a name ending in .json is read as a profile).
    #[arg(long, short = 'c', required_unless_present = "compare")]
    current: Vec<String>,
    /// A named dataset to compare, as NAME=PATH (repeatable, e.g. --compare test=test.csv --compare prod=prod.csv).
    #[arg(long, value_name = "NAME=PATH")]
    compare: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// What makes the exit code 1: any drifted column, or dataset drift (the share of
    /// drifted columns reaching --drift-share). Error findings (a file without rows) always do.
    #[arg(long, value_enum, default_value_t = FailOn::Column)]
    fail_on: FailOn,
    /// Primary method of one column, as COLUMN=METHOD (repeatable).
    #[arg(long, value_name = "COLUMN=METHOD")]
    method: Vec<String>,
    /// Primary method for a column type (numeric, integer, categorical, boolean), as TYPE=METHOD.
    #[arg(long, value_name = "TYPE=METHOD")]
    method_for: Vec<String>,
    /// Threshold of a method, as METHOD=VALUE (repeatable; p-value level for tests).
    #[arg(long, value_name = "METHOD=VALUE")]
    threshold: Vec<String>,
    /// Threshold of one column's primary method, as COLUMN=VALUE (repeatable).
    #[arg(long, value_name = "COLUMN=VALUE")]
    column_threshold: Vec<String>,
    /// Divide the level of the p-value tests by the number of columns tested with one.
    #[arg(long)]
    bonferroni: bool,
    /// The target (label) column: label drift, and feature-target association.
    #[arg(long)]
    target: Option<String>,
    /// The prediction column: prediction drift, and feature-prediction association.
    #[arg(long)]
    prediction: Option<String>,
    /// PSI at or above this is drift (same as --threshold psi=VALUE).
    #[arg(long)]
    psi_threshold: Option<f64>,
    /// KS p-values at or below this are drift (same as --threshold ks=VALUE).
    #[arg(long)]
    ks_alpha: Option<f64>,
    /// Chi-square p-values below this are drift (same as --threshold chi2=VALUE).
    #[arg(long)]
    chi2_alpha: Option<f64>,
    /// Share of drifted feature columns at which the dataset drifts.
    #[arg(long, default_value_t = DriftOptions::default().drift_share)]
    drift_share: f64,
    /// A correlation or association changing by at least this much is flagged.
    #[arg(long, default_value_t = DriftOptions::default().correlation_change)]
    correlation_change: f64,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum FailOn {
    Column,
    Dataset,
}

fn split<'a>(flag: &str, text: &'a str) -> Result<(&'a str, &'a str)> {
    text.split_once('=')
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .ok_or_else(|| anyhow!("--{flag} {text}: expected KEY=VALUE"))
}

fn method(flag: &str, name: &str) -> Result<Method> {
    Method::parse(name).ok_or_else(|| {
        let all: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
        anyhow!("--{flag}: unknown method \"{name}\" (one of {})", all.join(", "))
    })
}

fn number(flag: &str, text: &str) -> Result<f64> {
    text.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| anyhow!("--{flag}: \"{text}\" is not a number"))
}

fn options(args: &DriftArgs) -> Result<DriftOptions> {
    let mut o = DriftOptions {
        drift_share: args.drift_share,
        correlation_change: args.correlation_change,
        ..Default::default()
    };
    for (m, v) in
        [(Method::Psi, args.psi_threshold), (Method::Ks, args.ks_alpha), (Method::Chi2, args.chi2_alpha)]
    {
        if let Some(v) = v {
            o.thresholds.insert(m, v);
        }
    }
    for t in &args.threshold {
        let (k, v) = split("threshold", t)?;
        o.thresholds.insert(method("threshold", k)?, number("threshold", v)?);
    }
    for t in &args.column_threshold {
        let (k, v) = split("column-threshold", t)?;
        o.column_thresholds.insert(k.to_string(), number("column-threshold", v)?);
    }
    for t in &args.method {
        let (k, v) = split("method", t)?;
        o.method_for_column.insert(k.to_string(), method("method", v)?);
    }
    for t in &args.method_for {
        let (k, v) = split("method-for", t)?;
        let ty = match k {
            "numeric" => ColumnType::Numeric,
            "integer" => ColumnType::Integer,
            "categorical" => ColumnType::Categorical,
            "boolean" => ColumnType::Boolean,
            _ => bail!("--method-for {t}: the type must be numeric, integer, categorical or boolean"),
        };
        o.method_for_type.insert(ty, method("method-for", v)?);
    }
    o.bonferroni = args.bonferroni;
    o.target = args.target.clone();
    o.prediction = args.prediction.clone();
    o.validate().map_err(|e| anyhow!("invalid drift options: {e}"))?;
    Ok(o)
}

pub fn run(args: &DriftArgs) -> Result<ExitCode> {
    let options = options(args)?;
    let mut named: Vec<(String, String)> = args.current.iter().map(|p| (p.clone(), p.clone())).collect();
    for c in &args.compare {
        let (name, path) = split("compare", c)?;
        named.push((name.to_string(), path.to_string()));
    }
    // Each file is parsed on its own thread: the core is single-threaded, the files are independent.
    let (reference, currents) = std::thread::scope(|scope| {
        let reference = scope.spawn(|| match (&args.reference, &args.reference_profile) {
            (Some(path), _) => read_data(path),
            (None, Some(path)) => read_profile(path),
            (None, None) => bail!("give --reference or --reference-profile"),
        });
        let currents: Vec<_> = named
            .iter()
            .map(|(name, path)| scope.spawn(move || Ok((name.clone(), read_data(path)?))))
            .collect();
        let reference = reference.join().map_err(|_| anyhow!("reading the reference failed"))?;
        let currents: Vec<Result<(String, DatasetProfile)>> =
            currents.into_iter().map(|h| h.join().map_err(|_| anyhow!("reading a file failed"))?).collect();
        Ok::<_, anyhow::Error>((reference, currents))
    })?;
    let reference = reference?;
    let currents: Vec<(String, DatasetProfile)> = currents.into_iter().collect::<Result<_>>()?;
    let refs: Vec<(&str, &DatasetProfile)> = currents.iter().map(|(n, d)| (n.as_str(), d)).collect();
    let multi = drift_reports(&reference, &refs, &options);
    let mut out = io::stdout().lock();
    let single = multi.comparisons.len() == 1 && args.compare.is_empty();
    match args.format {
        Format::Json if single => {
            let mut report = multi.comparisons[0].clone();
            report.name = None;
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &multi)?;
            writeln!(out)?;
        }
        Format::Text => {
            for (i, report) in multi.comparisons.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                if !single {
                    writeln!(out, "== {}", report.name.as_deref().unwrap_or_default())?;
                }
                text::write_drift(&mut out, report)?;
            }
        }
    }
    out.flush()?;
    let failed = multi.comparisons.iter().any(|r| drift_found(r, args.fail_on));
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn drift_found(report: &DriftReport, fail_on: FailOn) -> bool {
    let errors = report.findings.iter().any(|f| f.severity == Severity::Error);
    errors
        || match fail_on {
            FailOn::Column => report.columns.iter().any(|c| c.status == Status::Tested && c.drifted),
            FailOn::Dataset => report.dataset_drift,
        }
}
