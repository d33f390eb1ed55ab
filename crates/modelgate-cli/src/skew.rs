//! `modelgate skew`: do training-time and serving-time features agree for the same rows?

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use modelgate_core::eval::{skew_report, SkewOptions, SkewReport};

use crate::input::read_table;
use crate::text::{self, number, short, table, write_findings, Format};

#[derive(clap::Args)]
pub struct SkewArgs {
    /// The features as computed at training time.
    #[arg(long)]
    training: String,
    /// The features as computed at serving time.
    #[arg(long)]
    serving: String,
    /// The id column joining the rows (default: id).
    #[arg(long)]
    id: Option<String>,
    /// A feature to compare (repeat it; default: every shared column).
    #[arg(long = "feature")]
    features: Vec<String>,
    /// Largest absolute difference between two numbers still counted equal.
    #[arg(long, default_value_t = 0.0)]
    tolerance: f64,
    /// A feature is skewed when more than this share of joined rows differ.
    #[arg(long, default_value_t = 0.0)]
    max_mismatch_share: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: &SkewArgs) -> Result<ExitCode> {
    let options = SkewOptions {
        id: args.id.clone(),
        features: args.features.clone(),
        tolerance: args.tolerance,
        max_mismatch_share: args.max_mismatch_share,
        ..SkewOptions::default()
    };
    let training = read_table(&args.training)?;
    let serving = read_table(&args.serving)?;
    let report = skew_report(&training, &serving, &options)?;
    text::emit(args.format, &report, write_text)?;
    let errors = report.findings.iter().any(|f| f.severity == modelgate_core::eval::Severity::Error);
    Ok(if report.skewed_features == 0 && !errors { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn write_text(out: &mut impl Write, r: &SkewReport) -> io::Result<()> {
    writeln!(
        out,
        "training: {} ({} rows)\nserving:  {} ({} rows)\njoined by \"{}\": {} pairs, {} only in training, {} only in serving\n",
        r.training, r.training_rows, r.serving, r.serving_rows, r.id, r.joined, r.training_only_rows, r.serving_only_rows
    )?;
    let rows: Vec<Vec<String>> = r
        .features
        .iter()
        .map(|f| {
            vec![
                f.feature.clone(),
                f.match_count.to_string(),
                f.mismatch_count.to_string(),
                f.training_only.to_string(),
                f.serving_only.to_string(),
                number(f.mismatch_share),
                f.max_abs_difference.map_or("-".into(), number),
                if f.skewed { "SKEW".into() } else { "ok".into() },
            ]
        })
        .collect();
    table(
        out,
        &["feature", "match", "mismatch", "training only", "serving only", "share", "max |a-b|", "verdict"],
        &rows,
    )?;
    write_findings(out, &r.findings)?;
    writeln!(
        out,
        "\n{} of {} features skewed (more than {}% of joined rows differ)",
        r.skewed_features,
        r.features.len(),
        short(r.max_mismatch_share * 100.0)
    )
}
