//! The human-readable report.

use std::io::{self, StdoutLock, Write};

use clap::ValueEnum;
use modelgate_core::eval::Finding;
use modelgate_core::{DriftReport, Severity, Status};
use serde::Serialize;

/// Output format of every subcommand.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Writes `report` to standard output: indented JSON, or `write_text`'s rendering.
pub fn emit<T: Serialize + ?Sized>(
    format: Format,
    report: &T,
    write_text: impl FnOnce(&mut StdoutLock<'static>, &T) -> io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, report)?;
            writeln!(out)?;
        }
        Format::Text => write_text(&mut out, report)?,
    }
    out.flush()?;
    Ok(())
}

/// Writes rows under a header as left-aligned columns two spaces apart.
pub fn table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: Vec<&str>| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            text.extend(std::iter::repeat_n(' ', w - cell.chars().count()));
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(header.to_vec())?;
    for row in rows {
        line(row.iter().map(String::as_str).collect())?;
    }
    Ok(())
}

/// Lists findings, one per line, with their rows.
pub fn write_findings(out: &mut impl Write, findings: &[Finding]) -> io::Result<()> {
    if findings.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nfindings:")?;
    for f in findings {
        let severity = match f.severity {
            modelgate_core::eval::Severity::Error => "error",
            modelgate_core::eval::Severity::Warning => "warning",
            modelgate_core::eval::Severity::Info => "info",
        };
        let mut place = f.source.clone();
        if let Some(c) = &f.column {
            place.push_str(&format!(", column \"{c}\""));
        }
        if f.count > 0 {
            let list: Vec<String> = f.rows.iter().map(u64::to_string).collect();
            let more = if f.count as usize > f.rows.len() { ", ..." } else { "" };
            place.push_str(&format!(
                ", {} row{} ({}{more})",
                f.count,
                if f.count == 1 { "" } else { "s" },
                list.join(", ")
            ));
        }
        writeln!(out, "  {severity} {}: {place}: {}", f.code, f.message)?;
    }
    Ok(())
}

/// Writes the drift report as an aligned table with a verdict line.
pub fn write_drift(out: &mut impl Write, report: &DriftReport) -> io::Result<()> {
    writeln!(
        out,
        "reference: {} ({} rows, {} columns)\ncurrent:   {} ({} rows, {} columns)\n",
        report.reference.source,
        report.reference.rows,
        report.reference.columns,
        report.current.source,
        report.current.rows,
        report.current.columns
    )?;
    let rows: Vec<[String; 7]> = report
        .columns
        .iter()
        .map(|c| {
            let verdict = match c.status {
                Status::Tested if c.drifted => "DRIFT".to_string(),
                Status::Tested => "ok".to_string(),
                Status::Skipped => "skipped".to_string(),
                Status::MissingInCurrent => "missing".to_string(),
                Status::NewInCurrent => "new".to_string(),
            };
            [
                c.column.clone(),
                c.column_type.to_string(),
                c.method.map_or("-", |m| m.as_str()).to_string(),
                c.statistic.map_or("-".into(), number),
                c.p_value.map_or("-".into(), number),
                c.threshold.map_or("-".into(), number),
                verdict,
            ]
        })
        .collect();
    let header = ["column", "type", "method", "statistic", "p-value", "threshold", "verdict"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[&str]| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            text.extend(std::iter::repeat_n(' ', w - cell.chars().count()));
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, &header)?;
    for row in &rows {
        line(out, &row.each_ref().map(String::as_str))?;
    }
    for c in report.columns.iter().filter(|c| c.note.is_some()) {
        writeln!(out, "note: {}: {}", c.column, c.note.as_deref().unwrap_or_default())?;
    }
    for f in &report.findings {
        writeln!(out, "{}: {}", severity(f.severity), f.message)?;
    }
    for c in report.correlations.features.iter().chain(&report.correlations.target).filter(|c| c.flagged) {
        writeln!(
            out,
            "correlation change: {} ~ {} ({}): {} -> {}",
            c.a,
            c.b,
            c.method,
            c.reference.map_or("-".into(), number),
            c.current.map_or("-".into(), number)
        )?;
    }
    for (what, verdict) in
        [("label drift", report.target_drift), ("prediction drift", report.prediction_drift)]
    {
        if let Some(v) = verdict {
            writeln!(out, "{what}: {}", if v { "yes" } else { "no" })?;
        }
    }
    writeln!(
        out,
        "\n{} of {} tested columns drifted ({:.0}%); dataset drift: {}",
        report.drifted_columns,
        report.tested_columns,
        report.share_drifted * 100.0,
        if report.dataset_drift { "yes" } else { "no" }
    )
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// Up to four significant digits with trailing zeros dropped (percentages, counts of units).
pub fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Four significant digits, switching to scientific notation for tiny values.
pub fn number(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}")
    }
}
