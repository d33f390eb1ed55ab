//! `modelgate compare-predictions`: are two scoring runs the same, row by row?

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use modelgate_core::eval::{compare_predictions, CompareOptions, CompareReport};

use crate::input::read_table;
use crate::text::{self, number, table, write_findings, Format};

#[derive(clap::Args)]
pub struct CompareArgs {
    /// The first predictions CSV.
    #[arg(long)]
    a: String,
    /// The second predictions CSV.
    #[arg(long)]
    b: String,
    /// The id column joining the rows (default: id when both have it, else row order).
    #[arg(long)]
    id: Option<String>,
    /// A column to compare (repeat it; default: the prediction, score and probability columns).
    #[arg(long = "column")]
    columns: Vec<String>,
    /// Largest absolute difference between two numbers still counted equal.
    #[arg(long, default_value_t = 0.0)]
    tolerance: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: &CompareArgs) -> Result<ExitCode> {
    let options = CompareOptions {
        id: args.id.clone(),
        columns: args.columns.clone(),
        tolerance: args.tolerance,
        ..CompareOptions::default()
    };
    let a = read_table(&args.a)?;
    let b = read_table(&args.b)?;
    let report = compare_predictions(&a, &b, &options)?;
    text::emit(args.format, &report, write_text)?;
    Ok(if report.reproducible { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn write_text(out: &mut impl Write, r: &CompareReport) -> io::Result<()> {
    writeln!(
        out,
        "a: {} ({} rows)\nb: {} ({} rows)\njoined by {}: {} pairs, {} only in a, {} only in b\n",
        r.a,
        r.rows_a,
        r.b,
        r.rows_b,
        r.id.as_ref().map_or("row order".to_string(), |id| format!("\"{id}\"")),
        r.joined,
        r.only_in_a,
        r.only_in_b
    )?;
    let rows: Vec<Vec<String>> = r
        .columns
        .iter()
        .map(|c| {
            vec![
                c.column.clone(),
                c.compared.to_string(),
                c.mismatched.to_string(),
                number(c.mismatch_share),
                c.max_abs_difference.map_or("-".into(), number),
                format!("{}/{}", c.non_finite_a, c.non_finite_b),
            ]
        })
        .collect();
    table(out, &["column", "compared", "mismatched", "share", "max |a-b|", "NaN/inf a/b"], &rows)?;
    for c in &r.columns {
        for d in &c.examples {
            writeln!(
                out,
                "  {}: {}row {} vs row {}: {} vs {}",
                c.column,
                d.id.as_ref().map_or(String::new(), |id| format!("id {id}, ")),
                d.row_a,
                d.row_b,
                d.a.as_deref().unwrap_or("(null)"),
                d.b.as_deref().unwrap_or("(null)")
            )?;
        }
    }
    write_findings(out, &r.findings)?;
    writeln!(out, "\nreproducible: {}", if r.reproducible { "yes" } else { "NO" })
}
