//! The whole report and its exports: JSON, Markdown and a self-contained HTML file.
//!
//! Exports hold summaries only (statistics, counts per bin or category, verdicts),
//! never raw rows, so a report can be pasted into a wiki or a pull request without
//! leaking data. The HTML export inlines the page's own renderer
//! (`web/report/render.js` and `report.css`), so it looks like the page, opens
//! offline and is a few tens of kilobytes plus the report itself.

use std::fmt::Write as _;

use serde::Serialize;

use crate::drift::{ColumnDrift, DriftReport, Method, Status};

/// The page's renderer, inlined into HTML exports: its modules in dependency
/// order (each only imports modules listed before it). `to_html` drops their
/// `import` lines and concatenates them into one inline module script, so their
/// top-level names are unique across the files.
const REPORT_MODULES: [&str; 6] = [
    include_str!("../../../web/report/base.js"),
    include_str!("../../../web/report/charts.js"),
    include_str!("../../../web/report/quality.js"),
    include_str!("../../../web/report/evaluation.js"),
    include_str!("../../../web/report/sections.js"),
    include_str!("../../../web/report/render.js"),
];
/// The page's report styles, inlined into HTML exports.
const REPORT_CSS: &str = include_str!("../../../web/report/report.css");

/// Version of the report JSON layout; bumped on incompatible changes.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// Every section a run produced. Sections that were not computed are absent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always `"modelgate-report"`, so readers can tell the file apart.
    pub kind: &'static str,
    /// [`REPORT_FORMAT_VERSION`].
    pub format_version: u32,
    /// The modelgate version that computed it.
    pub modelgate: &'static str,
    /// Data drift between the reference and the current data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<DriftReport>,
}

impl Report {
    /// A report with no sections yet.
    pub fn new() -> Self {
        Report {
            kind: "modelgate-report",
            format_version: REPORT_FORMAT_VERSION,
            modelgate: env!("CARGO_PKG_VERSION"),
            drift: None,
        }
    }

    /// Adds the drift section.
    pub fn with_drift(mut self, drift: DriftReport) -> Self {
        self.drift = Some(drift);
        self
    }
}

impl Default for Report {
    fn default() -> Self {
        Report::new()
    }
}

/// A number to 4 significant digits with trailing zeros dropped, scientific below
/// 1e-4 and from 1e6 up: the rule of `formatNumber` in `web/report/render.js`, so
/// the Markdown export and the page show the same figures.
pub fn fmt_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞".into() } else { "−∞".into() };
    }
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if !(1e-4..1e6).contains(&a) {
        let text = format!("{x:.3e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        return format!("{mantissa}e{exponent}");
    }
    // Round to 4 significant digits, then print the shortest decimal that reads back.
    let rounded: f64 = format!("{x:.3e}").parse().unwrap_or(x);
    format!("{rounded}")
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), fmt_number)
}

/// Short method names, as `METHOD_LABELS` in `web/report/render.js` spells them.
fn method_label(m: Method) -> &'static str {
    match m {
        Method::Ks => "KS",
        Method::Psi => "PSI",
        Method::PsiEvidently => "PSI (Evidently)",
        Method::Chi2 => "χ²",
        Method::Chi2Gof => "χ² GoF",
        Method::Z => "z",
        Method::JensenShannon => "JS",
        Method::Hellinger => "Hellinger",
        Method::Wasserstein => "Wasserstein",
        Method::WassersteinRaw => "Wasserstein (raw)",
        Method::LInfinity => "L∞",
        Method::Tvd => "TVD",
        Method::CramersV => "Cramér’s V",
    }
}

fn verdict(c: &ColumnDrift) -> &'static str {
    match c.status {
        Status::Tested if c.drifted => "drifted",
        Status::Tested => "ok",
        Status::Skipped => "skipped",
        Status::MissingInCurrent => "missing",
        Status::NewInCurrent => "new",
    }
}

/// Escapes text for a Markdown table cell.
fn md_cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The one-line drift verdict, worded as on the page.
pub fn drift_summary(drift: &DriftReport) -> String {
    let tested = drift.tested_columns;
    if tested == 0 {
        return "No column could be tested — dataset drift: no".into();
    }
    format!(
        "{} of {tested} tested column{} drifted — dataset drift: {}",
        drift.drifted_columns,
        if tested == 1 { "" } else { "s" },
        if drift.dataset_drift { "yes" } else { "no" }
    )
}

/// The report as Markdown, for a wiki page or a pull request.
pub fn to_markdown(report: &Report) -> String {
    let mut out = String::from("# modelgate report\n");
    if let Some(drift) = &report.drift {
        markdown_drift(&mut out, drift);
    }
    let _ = writeln!(
        out,
        "\n_modelgate {}: computed locally; this report holds summaries, never raw rows._",
        report.modelgate
    );
    out
}

fn markdown_drift(out: &mut String, drift: &DriftReport) {
    let (r, c) = (&drift.reference, &drift.current);
    let _ = writeln!(out, "\n## Data drift\n\n**{}**\n", drift_summary(drift));
    let _ = writeln!(
        out,
        "Reference `{}` ({}, {}); current `{}` ({}, {}). The dataset drifts when at least {}% of the tested columns drift.\n",
        md_cell(&r.source),
        plural(r.rows, "row"),
        plural(r.columns as u64, "column"),
        md_cell(&c.source),
        plural(c.rows, "row"),
        plural(c.columns as u64, "column"),
        fmt_number(drift.options.drift_share * 100.0)
    );
    out.push_str("| Column | Type | Method | Statistic | p-value | Threshold | Verdict |\n");
    out.push_str("|---|---|---|---:|---:|---:|---|\n");
    for col in &drift.columns {
        let column_type = match col.current_type {
            Some(t) if t != col.column_type => format!("{} → {t}", col.column_type),
            _ => col.column_type.to_string(),
        };
        let v = verdict(col);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md_cell(&col.column),
            column_type,
            col.method.map_or("—", method_label),
            fmt_opt(col.statistic),
            fmt_opt(col.p_value),
            fmt_opt(col.threshold),
            if v == "drifted" { "**drifted**".to_string() } else { v.to_string() }
        );
    }
    let notes: Vec<&ColumnDrift> = drift.columns.iter().filter(|c| c.note.is_some()).collect();
    if !notes.is_empty() {
        out.push_str("\nNotes:\n\n");
        for col in notes {
            let _ =
                writeln!(out, "- `{}`: {}", md_cell(&col.column), col.note.as_deref().unwrap_or_default());
        }
    }
}

/// The report as one self-contained HTML file: the report JSON, the page's
/// renderer and styles inlined, and a Content-Security-Policy that forbids every
/// connection, so opening it offline shows the same report and sends nothing.
pub fn to_html(report: &Report) -> String {
    // Inside <script type="application/json">, only "</script" and "<!--" could end or
    // confuse the element; escaping every '<' in the JSON rules both out.
    let json = serde_json_string(report).replace('<', "\\u003c");
    let title = report.drift.as_ref().map_or_else(
        || "modelgate report".to_string(),
        |d| {
            format!(
                "modelgate report: {} vs {}",
                html_escape(&d.current.source),
                html_escape(&d.reference.source)
            )
        },
    );
    let script = inline_script();
    let mut html = String::with_capacity(json.len() + script.len() + REPORT_CSS.len() + 1024);
    html.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; \
         style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
    );
    let _ = writeln!(html, "<title>{title}</title>");
    html.push_str("<style>\nbody { margin: 0 auto; max-width: 1080px; padding: 1.5rem 1.25rem; }\n");
    html.push_str("@media (prefers-color-scheme: dark) { body { background: #16181c; } }\n");
    html.push_str(REPORT_CSS);
    html.push_str(
        "</style>\n</head>\n<body>\n<h1 style=\"font-family: system-ui, sans-serif\">modelgate report</h1>\n",
    );
    html.push_str("<div id=\"report\"><noscript>This report needs JavaScript to draw; its data is in the JSON below.</noscript></div>\n");
    html.push_str("<script type=\"application/json\" id=\"report-data\">");
    html.push_str(&json);
    html.push_str("</script>\n<script type=\"module\">\n");
    html.push_str(&script);
    html.push_str(
        "\nrenderReport(document.getElementById('report'), JSON.parse(document.getElementById('report-data').textContent));\n",
    );
    html.push_str("</script>\n</body>\n</html>\n");
    html
}

/// The renderer's modules as one script: every module's lines but its imports of
/// siblings (which would need a server to resolve), in dependency order.
fn inline_script() -> String {
    let mut out = String::new();
    for module in REPORT_MODULES {
        for line in module.lines() {
            if !line.starts_with("import ") {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The report as indented JSON, as `modelgate report --format json` writes it.
pub fn to_json_pretty(report: &Report) -> String {
    serde_json::to_string_pretty(report)
        .map(|s| s + "\n")
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot encode the report: {e}\"}}\n"))
}

fn serde_json_string(report: &Report) -> String {
    serde_json::to_string(report)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot encode the report: {e}\"}}"))
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_the_page_formatting() {
        for (x, expected) in [
            (0.0, "0"),
            (0.116, "0.116"),
            (0.05, "0.05"),
            (0.055553, "0.05555"),
            (265.4987, "265.5"),
            (0.0024561, "0.002456"),
            (2.9673e-56, "2.967e-56"),
            (1e-5, "1e-5"),
            (1234567.0, "1.235e6"),
            (-0.5, "-0.5"),
            (12.0, "12"),
            (f64::INFINITY, "∞"),
        ] {
            assert_eq!(fmt_number(x), expected, "{x}");
        }
    }

    #[test]
    fn markdown_cells_are_escaped() {
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn html_export_inlines_every_renderer_module_without_imports() {
        let html = to_html(&Report::new());
        assert!(!html.lines().any(|l| l.starts_with("import ")), "an import line would fail offline");
        for name in [
            "function dataTable(",
            "function heatmapChart(",
            "function qualityParts(",
            "function evaluationParts(",
            "function renderRubric(",
            "function renderReport(",
        ] {
            assert_eq!(html.matches(name).count(), 1, "{name}");
        }
    }

    #[test]
    fn html_export_cannot_be_broken_out_of() {
        let mut report = Report::new();
        report.modelgate = "</script><script>alert(1)</script>";
        let html = to_html(&report);
        assert!(!html.contains("</script><script>alert"));
        assert!(html.contains("default-src 'none'"));
    }
}
