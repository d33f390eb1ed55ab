//! `modelgate rubric`: score a readiness rubric from an answers file, with evidence from this run.

use std::fs;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use modelgate_core::report::Report;
use modelgate_core::rubric::{
    self, number, parse_answers, score, template, Aggregate, AnswerStatus, Answers, AnswersFormat, Evidence,
    Rubric, RubricReport, Severity, DEFAULT_RUBRIC,
};
use modelgate_core::{drift_report, DriftOptions};

use crate::input::{read_csv, read_text_of};
use crate::text::{self, Format};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct RubricArgs {
    #[command(subcommand)]
    command: Option<RubricCommand>,
    /// The answers file, CSV or JSON (`modelgate rubric template` writes a blank one).
    #[arg(long, short = 'a', required = true)]
    answers: Option<String>,
    /// A built-in rubric (ml-test-score-2017, ml-test-score-2016, production-readiness) or a
    /// rubric JSON file. Default: the rubric the answers file names, else ml-test-score-2017.
    #[arg(long)]
    rubric: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Reference (training) CSV: with --drift-current, this run's drift, schema and NaN/infinity
    /// checks become evidence beside the items they bear on.
    #[arg(long, requires = "drift_current", value_name = "CSV")]
    drift_reference: Option<String>,
    /// Current (production) CSV for the drift evidence.
    #[arg(long, requires = "drift_reference", value_name = "CSV")]
    drift_current: Option<String>,
    /// Evidence from other checks as JSON: {"baseline": {...}, "slices": {...}, ...} (see docs/rubric.md).
    #[arg(long, value_name = "JSON")]
    evidence: Option<String>,
    /// A saved report (`modelgate report --format json`, the page's JSON export): every
    /// section it holds becomes evidence (drift, quality, evaluation, comparison, skew).
    #[arg(long, value_name = "JSON")]
    report: Option<String>,
    /// Also exit 1 when the final score is below this (a share from 0 to 1 for checklists).
    #[arg(long, value_name = "SCORE")]
    fail_under: Option<f64>,
}

#[derive(Subcommand)]
enum RubricCommand {
    /// Write a blank answers file: every item of the rubric, unanswered.
    Template {
        /// A built-in rubric or a rubric JSON file.
        #[arg(long, default_value = DEFAULT_RUBRIC)]
        rubric: String,
        /// File format.
        #[arg(long, value_enum, default_value_t = FileFormat::Csv)]
        format: FileFormat,
        /// Write here instead of to standard output.
        #[arg(long, short = 'o')]
        output: Option<String>,
    },
    /// List the built-in rubrics.
    List,
}

#[derive(Clone, Copy, ValueEnum)]
enum FileFormat {
    Csv,
    Json,
}

pub fn run(args: &RubricArgs) -> Result<ExitCode> {
    match &args.command {
        Some(RubricCommand::Template { rubric, format, output }) => {
            let rubric = load_rubric(rubric)?;
            let format = match format {
                FileFormat::Csv => AnswersFormat::Csv,
                FileFormat::Json => AnswersFormat::Json,
            };
            let text = template(&rubric, format);
            match output {
                Some(path) => fs::write(path, text).with_context(|| format!("{path}: cannot write"))?,
                None => io::stdout().lock().write_all(text.as_bytes())?,
            }
            return Ok(ExitCode::SUCCESS);
        }
        Some(RubricCommand::List) => {
            let mut out = io::stdout().lock();
            for r in rubric::builtins() {
                writeln!(out, "{:<22}{} ({} items)", r.id, r.title, r.item_count())?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        None => {}
    }
    let Some(path) = args.answers.as_deref() else { bail!("--answers is required") };
    let (rubric, answers) = read_answers(path, args.rubric.as_deref())?;
    let evidence = evidence(args)?;
    let report = score(&rubric, &answers, &evidence);

    text::emit(args.format, &report, |out, report| write_text(out, &rubric, report))?;
    let below = args.fail_under.is_some_and(|min| report.final_score < min);
    Ok(if report.has_contradictions() || below { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Reads an answers file and the rubric it is for: `rubric` (a built-in id or a rubric
/// JSON file) when given, else the rubric the file names, else the default one.
pub fn read_answers(path: &str, rubric: Option<&str>) -> Result<(Rubric, Answers)> {
    let text = read_text_of(path, "answers")?;
    let rubric = match rubric {
        Some(name) => load_rubric(name)?,
        None => match rubric::answers_rubric_id(&text) {
            None => rubric::builtin(DEFAULT_RUBRIC).cloned().context("the default rubric is missing")?,
            Some(id) => rubric::builtin(&id).cloned().with_context(|| {
                format!("{path}: the answers are for rubric \"{id}\", which is not built in; pass --rubric with its JSON file")
            })?,
        },
    };
    let answers = parse_answers(&rubric, path, &text)?;
    Ok((rubric, answers))
}

/// A built-in id, or a path to a rubric JSON file.
pub fn load_rubric(name: &str) -> Result<Rubric> {
    if let Some(r) = rubric::builtin(name) {
        return Ok(r.clone());
    }
    if name.ends_with(".json") || std::path::Path::new(name).is_file() {
        let text = fs::read_to_string(name).with_context(|| format!("{name}: cannot read"))?;
        return Ok(Rubric::from_json(name, &text)?);
    }
    let known: Vec<&str> = rubric::builtin_ids().collect();
    bail!(
        "unknown rubric \"{name}\"; the built-in rubrics are {}, or give a rubric JSON file",
        known.join(", ")
    )
}

fn evidence(args: &RubricArgs) -> Result<Evidence> {
    let mut evidence = match &args.evidence {
        None => Evidence::default(),
        Some(path) => {
            let text = read_text_of(path, "evidence")?;
            Evidence::from_json(&text).map_err(|e| anyhow::anyhow!("{path}: not valid evidence: {e}"))?
        }
    };
    if let (Some(reference), Some(current)) = (&args.drift_reference, &args.drift_current) {
        if evidence.drift.is_some() {
            bail!("both --drift-reference/--drift-current and the \"drift\" entry of --evidence give drift evidence; use one");
        }
        let report = drift_report(&read_csv(reference)?, &read_csv(current)?, &DriftOptions::default());
        evidence.drift = Evidence::from_drift(&report).drift;
    }
    if let Some(path) = &args.report {
        let text = fs::read_to_string(path).with_context(|| format!("{path}: cannot read"))?;
        let report = Report::from_json(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
        merge(&mut evidence, Evidence::from(&report), path)?;
    }
    Ok(evidence)
}

/// Adds the evidence a saved report yields; a kind given twice is an error naming both sources.
fn merge(into: &mut Evidence, from: Evidence, path: &str) -> Result<()> {
    fn take<T>(slot: &mut Option<T>, value: Option<T>, kind: &str, path: &str) -> Result<()> {
        match (slot.is_some(), value) {
            (true, Some(_)) => {
                bail!("{path} and the other evidence options both give {kind} evidence; use one")
            }
            (false, Some(v)) => *slot = Some(v),
            (_, None) => {}
        }
        Ok(())
    }
    take(&mut into.drift, from.drift, "drift", path)?;
    take(&mut into.data_quality, from.data_quality, "data_quality", path)?;
    take(&mut into.baseline, from.baseline, "baseline", path)?;
    take(&mut into.slices, from.slices, "slices", path)?;
    take(&mut into.fairness, from.fairness, "fairness", path)?;
    take(&mut into.reproducibility, from.reproducibility, "reproducibility", path)?;
    take(&mut into.skew, from.skew, "skew", path)?;
    Ok(())
}

fn score_text(aggregate: Aggregate, x: f64) -> String {
    match aggregate {
        Aggregate::Minimum => number(x),
        Aggregate::Share => format!("{}%", number((x * 1000.0).round() / 10.0)),
    }
}

fn status_text(status: Option<AnswerStatus>) -> &'static str {
    status.map_or("unanswered", |s| match s {
        AnswerStatus::NotDone => "not done",
        AnswerStatus::Manual => "manual",
        AnswerStatus::Automated => "automated",
        AnswerStatus::NotApplicable => "n/a",
    })
}

fn table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: Vec<&str>| -> io::Result<()> {
        let mut text = String::from("  ");
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

fn write_text(out: &mut impl Write, rubric: &Rubric, report: &RubricReport) -> io::Result<()> {
    let agg = rubric.scoring.aggregate;
    let title =
        |id: &str| rubric.sections.iter().find(|s| s.id == id).map_or(id, |s| s.title.as_str()).to_string();
    writeln!(out, "{} · {}\n", rubric.title, report.answers_source)?;
    let rows: Vec<Vec<String>> = report
        .sections
        .iter()
        .map(|s| {
            let c = s.counts;
            let max = match agg {
                Aggregate::Minimum => number(s.max_points),
                Aggregate::Share => format!("{} items", number(s.max_points / rubric.scoring.points.full())),
            };
            vec![
                s.title.clone(),
                score_text(agg, s.score),
                max,
                c.automated.to_string(),
                c.manual.to_string(),
                c.not_done.to_string(),
                c.not_applicable.to_string(),
                c.unanswered.to_string(),
            ]
        })
        .collect();
    let max_header = if agg == Aggregate::Minimum { "of" } else { "applicable" };
    table(
        out,
        &["section", "score", max_header, "automated", "manual", "not done", "n/a", "unanswered"],
        &rows,
    )?;

    let weakest: Vec<String> = report.weakest_sections.iter().map(|s| title(s)).collect();
    let rule = match agg {
        Aggregate::Minimum => "the lowest section score",
        Aggregate::Share => "the share of applicable items done",
    };
    writeln!(
        out,
        "\nfinal score: {} ({rule}; best possible with these answers {}); weakest: {}",
        score_text(agg, report.final_score),
        score_text(agg, report.max_final_score),
        weakest.join(", ")
    )?;
    let band = &report.band;
    writeln!(out, "band {}: {}. {}", band.label, band.title, band.meaning)?;
    if let Some(note) = &band.note {
        writeln!(out, "note: {note}")?;
    }

    if !report.next_steps.is_empty() {
        writeln!(out, "\nnext steps:")?;
        for (i, step) in report.next_steps.iter().enumerate() {
            let verb = if step.to == AnswerStatus::Automated { "automate" } else { "do" };
            writeln!(
                out,
                "  {}. {verb} {} ({}, now {}): {} {}, final {}, band {}",
                i + 1,
                step.item,
                step.title,
                status_text(step.from),
                title(&step.section),
                score_text(agg, step.section_score_after),
                score_text(agg, step.final_score_after),
                step.band_after
            )?;
            if let Some(blocked) = &step.blocked_by {
                writeln!(out, "     first: {blocked}")?;
            }
        }
    }
    if !report.evidence.is_empty() {
        writeln!(out, "\nevidence from this run:")?;
        for check in &report.evidence {
            writeln!(
                out,
                "  {:<5} {}: {}",
                if check.passed { "pass" } else { "FAIL" },
                check.kind.title(),
                check.summary
            )?;
        }
    }
    if !report.flags.is_empty() {
        writeln!(out, "\nflags:")?;
        for flag in &report.flags {
            let level = if flag.severity == Severity::Error { "error" } else { "warning" };
            writeln!(out, "  {level}: {}: {}", flag.item, flag.message)?;
        }
    }
    writeln!(out, "\nitems:")?;
    let rows: Vec<Vec<String>> = report
        .items
        .iter()
        .map(|i| {
            let mut extra = Vec::new();
            if let Some(reason) = &i.reason {
                extra.push(format!("reason: {reason}"));
            }
            if !i.evidence_links.is_empty() {
                extra.push(format!("evidence: {}", i.evidence_links.join(" ")));
            }
            if !i.evidence.is_empty() {
                let checks: Vec<String> = i
                    .evidence
                    .iter()
                    .map(|e| format!("{} {}", e.kind.as_str(), if e.passed { "pass" } else { "FAIL" }))
                    .collect();
                extra.push(format!("this run: {}", checks.join(", ")));
            }
            let mark = match i.flag {
                Some(Severity::Error) => "!",
                Some(Severity::Warning) => "?",
                None => "",
            };
            vec![
                format!("{mark}{}", i.id),
                status_text(i.status).to_string(),
                score_text(Aggregate::Minimum, i.points),
                i.title.clone(),
                extra.join("; "),
            ]
        })
        .collect();
    table(out, &["item", "answer", "points", "title", ""], &rows)
}
