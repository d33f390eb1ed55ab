//! The human-readable report.

use std::io::{self, Write};

use modelgate_core::{DriftReport, Severity, Status};

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

/// Four significant digits, switching to scientific notation for tiny values.
fn number(x: f64) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}")
    }
}
