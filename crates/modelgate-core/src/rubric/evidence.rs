//! Evidence from modelgate's own checks, as a plain input to scoring.
//!
//! The host that assembles a report fills [`Evidence`] with whatever this run computed:
//! `Evidence::from(&report)` takes every section of a [`Report`]. The drift section yields
//! the drift, schema and NaN/infinity checks; the quality section the data-quality check;
//! the evaluation the baseline, slice and fairness checks; the comparison of two prediction
//! files the reproducibility check; the skew report the skew check. Each section is read
//! leniently through a small view (unknown fields ignored), so a saved report of any
//! version and the objects the wasm functions return serve alike.
//! Each present field becomes one or more [`EvidenceCheck`]s: a kind, a pass/fail and a line
//! of text. Rubric items name the kinds that bear on them (see [`super::EvidenceLink`]).
//!
//! [`DriftEvidence`] deserializes from a serialized [`DriftReport`] as it stands (unknown
//! fields are ignored), so the page can hand the report object it already holds.

use serde::{Deserialize, Serialize};

use crate::drift::{DriftReport, Status};
use crate::eval::{CompareReport, EvalReport, SkewReport};
use crate::quality::QualityReport;
use crate::report::{fmt_number, view, Report, Section};

/// The checks whose results can serve as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Distribution drift between reference and current data (from the drift report).
    Drift,
    /// Columns and types of the current data against the reference (from the drift report).
    Schema,
    /// NaN or infinite values in the current data where the reference has none (from the drift report).
    NanInf,
    /// Data-quality findings at error severity.
    DataQuality,
    /// The model compared with a simpler baseline.
    Baseline,
    /// Model quality on important data slices.
    Slices,
    /// Outcomes and quality across groups of people.
    Fairness,
    /// Two trainings, or two environments, giving the same results.
    Reproducibility,
    /// Training and serving computing the same feature values.
    Skew,
}

impl EvidenceKind {
    /// Every kind, in order.
    pub const ALL: [EvidenceKind; 9] = [
        EvidenceKind::Drift,
        EvidenceKind::Schema,
        EvidenceKind::NanInf,
        EvidenceKind::DataQuality,
        EvidenceKind::Baseline,
        EvidenceKind::Slices,
        EvidenceKind::Fairness,
        EvidenceKind::Reproducibility,
        EvidenceKind::Skew,
    ];

    /// The name used in rubric files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Drift => "drift",
            EvidenceKind::Schema => "schema",
            EvidenceKind::NanInf => "nan_inf",
            EvidenceKind::DataQuality => "data_quality",
            EvidenceKind::Baseline => "baseline",
            EvidenceKind::Slices => "slices",
            EvidenceKind::Fairness => "fairness",
            EvidenceKind::Reproducibility => "reproducibility",
            EvidenceKind::Skew => "skew",
        }
    }

    /// A short human name.
    pub fn title(self) -> &'static str {
        match self {
            EvidenceKind::Drift => "drift check",
            EvidenceKind::Schema => "schema check",
            EvidenceKind::NanInf => "NaN/infinity check",
            EvidenceKind::DataQuality => "data-quality check",
            EvidenceKind::Baseline => "baseline comparison",
            EvidenceKind::Slices => "slice check",
            EvidenceKind::Fairness => "fairness check",
            EvidenceKind::Reproducibility => "reproducibility check",
            EvidenceKind::Skew => "training/serving skew check",
        }
    }
}

/// Everything this run computed that can back or contradict an answer. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Evidence {
    /// The drift report (drift, schema and NaN/infinity checks).
    pub drift: Option<DriftEvidence>,
    /// Data-quality findings.
    pub data_quality: Option<DataQualityEvidence>,
    /// The model against a simpler baseline.
    pub baseline: Option<BaselineEvidence>,
    /// Quality per data slice.
    pub slices: Option<GroupEvidence>,
    /// Outcomes per group of people.
    pub fairness: Option<GroupEvidence>,
    /// Two runs compared.
    pub reproducibility: Option<ReproducibilityEvidence>,
    /// Training against serving features.
    pub skew: Option<SkewEvidence>,
}

/// The report assembler's hook: every section of a run's [`Report`] that bears on a rubric
/// becomes evidence: drift (with the schema and NaN/infinity checks), data quality, the
/// evaluation (baseline, slices, fairness), the prediction comparison (reproducibility) and
/// the skew report. A section that does not read as its check's report is left out.
impl From<&Report> for Evidence {
    fn from(report: &Report) -> Self {
        let evaluation = report.evaluation.as_ref().and_then(|s| s.read::<view::Evaluation>().ok());
        Evidence {
            drift: report.drift.as_ref().and_then(|s| s.read().ok()),
            data_quality: report
                .quality
                .as_ref()
                .and_then(|s| s.read::<view::Quality>().ok())
                .map(Into::into),
            baseline: evaluation.as_ref().and_then(BaselineEvidence::from_view),
            slices: evaluation.as_ref().and_then(GroupEvidence::slices_of),
            fairness: evaluation.as_ref().and_then(GroupEvidence::fairness_of),
            reproducibility: report
                .comparison
                .as_ref()
                .and_then(|s| s.read::<view::Comparison>().ok())
                .map(Into::into),
            skew: report.skew.as_ref().and_then(|s| s.read::<view::Skew>().ok()).map(Into::into),
        }
    }
}

impl From<&QualityReport> for DataQualityEvidence {
    fn from(q: &QualityReport) -> Self {
        Section::of(q).read::<view::Quality>().map(Into::into).unwrap_or_default()
    }
}

impl From<&CompareReport> for ReproducibilityEvidence {
    fn from(c: &CompareReport) -> Self {
        match Section::of(c).read::<view::Comparison>() {
            Ok(v) => v.into(),
            Err(_) => ReproducibilityEvidence {
                compared: format!("{} vs {}", c.a, c.b),
                max_abs_difference: f64::NAN,
                tolerance: None,
                reproducible: Some(c.reproducible),
                mismatched: 0,
                unmatched: 0,
            },
        }
    }
}

impl From<&SkewReport> for SkewEvidence {
    fn from(s: &SkewReport) -> Self {
        Section::of(s).read::<view::Skew>().map(Into::into).unwrap_or_default()
    }
}

impl BaselineEvidence {
    /// The model against its closest baseline (the smallest difference in the model's
    /// favour on the primary metric), with the bootstrap interval and verdict; `None` when
    /// no baseline could be compared.
    pub fn of(evaluation: &EvalReport) -> Option<BaselineEvidence> {
        Self::from_view(&Section::of(evaluation).read::<view::Evaluation>().ok()?)
    }

    fn from_view(e: &view::Evaluation) -> Option<BaselineEvidence> {
        let (result, c) = e
            .baselines
            .results
            .iter()
            .filter_map(|r| Some((r, r.comparison.as_ref()?)))
            .filter(|(_, c)| c.verdict != "not_compared" && c.baseline.is_some())
            .min_by(|(_, a), (_, b)| {
                let d = |c: &view::BaselineComparison| c.difference.unwrap_or(f64::NEG_INFINITY);
                d(a).total_cmp(&d(b))
            })?;
        Some(BaselineEvidence {
            metric: e.primary_metric.clone(),
            higher_is_better: e.higher_is_better,
            model: c.model.unwrap_or(f64::NAN),
            baseline: c.baseline.unwrap_or(f64::NAN),
            baseline_name: result.name.clone(),
            gain: c.gain,
            ci_low: c.ci_low,
            ci_high: c.ci_high,
            confidence: c.confidence,
            verdict: Some(c.verdict.clone()),
        })
    }
}

impl GroupEvidence {
    /// The slice check of an evaluation: every slice evaluated, the weak ones failing;
    /// `None` when the evaluation sliced nothing.
    pub fn slices(evaluation: &EvalReport) -> Option<GroupEvidence> {
        Self::slices_of(&Section::of(evaluation).read::<view::Evaluation>().ok()?)
    }

    /// The fairness check of an evaluation (see [`FOUR_FIFTHS`]); `None` without a
    /// sensitive column.
    pub fn fairness(evaluation: &EvalReport) -> Option<GroupEvidence> {
        Self::fairness_of(&Section::of(evaluation).read::<view::Evaluation>().ok()?)
    }

    fn slices_of(e: &view::Evaluation) -> Option<GroupEvidence> {
        if e.slices.is_empty() {
            return None;
        }
        let evaluated = e.slices.iter().map(|s| s.groups.len() as u64).sum();
        let failing = e.weak_slices.iter().map(|w| format!("{}={}", w.column, w.value)).collect();
        Some(GroupEvidence { metric: e.primary_metric.clone(), evaluated, failing })
    }

    /// With selection rates (a binary model), a group fails when its rate is below
    /// [`FOUR_FIFTHS`] of the highest group's; otherwise when its primary metric falls
    /// short of the overall one by more than the evaluation's `slice_gap`, as slices do.
    fn fairness_of(e: &view::Evaluation) -> Option<GroupEvidence> {
        let f = e.fairness.as_ref()?;
        let name = |g: &view::FairnessGroup| format!("{}={}", f.column, g.value);
        let rates: Vec<f64> = f.groups.iter().filter_map(|g| g.selection_rate).collect();
        let (metric, failing) = if !rates.is_empty() {
            let top = rates.iter().copied().fold(0.0, f64::max);
            let failing = f
                .groups
                .iter()
                .filter(|g| g.selection_rate.is_some_and(|r| r < FOUR_FIFTHS * top))
                .map(name)
                .collect();
            ("selection rate (four-fifths rule)".to_string(), failing)
        } else {
            let overall = e.metrics.get(&e.primary_metric).and_then(serde_json::Value::as_f64);
            let gap = e.options.slice_gap.unwrap_or(0.1);
            let failing = f
                .groups
                .iter()
                .filter(|g| {
                    let (Some(o), Some(v)) =
                        (overall, g.metrics.get(&e.primary_metric).and_then(serde_json::Value::as_f64))
                    else {
                        return false;
                    };
                    let short = if e.higher_is_better { o - v } else { v - o };
                    o != 0.0 && short / o.abs() > gap
                })
                .map(name)
                .collect();
            (e.primary_metric.clone(), failing)
        };
        Some(GroupEvidence { metric, evaluated: f.groups.len() as u64, failing })
    }
}

/// The four-fifths rule: a group's selection rate below 80% of the highest group's is
/// evidence of adverse impact (US EEOC Uniform Guidelines, 29 CFR 1607.4(D); Fairlearn's
/// `demographic_parity_ratio` measures the same ratio).
pub const FOUR_FIFTHS: f64 = 0.8;

impl From<view::Quality> for DataQualityEvidence {
    fn from(q: view::Quality) -> Self {
        let findings = q
            .findings
            .iter()
            .filter(|f| f.severity == "error")
            .map(|f| {
                let what = f.kind.replace('_', " ");
                match &f.column {
                    Some(c) => format!("{c} ({what}, {})", plural(f.count as usize, "row", "rows")),
                    None => format!("{what} ({})", plural(f.count as usize, "row", "rows")),
                }
            })
            .collect();
        DataQualityEvidence { source: q.current.source, errors: q.errors, warnings: q.warnings, findings }
    }
}

impl From<view::Comparison> for ReproducibilityEvidence {
    fn from(c: view::Comparison) -> Self {
        let max = c.columns.iter().filter_map(|x| x.max_abs_difference).fold(0.0, f64::max);
        ReproducibilityEvidence {
            compared: format!("{} vs {}", c.a, c.b),
            max_abs_difference: max,
            tolerance: None,
            reproducible: Some(c.reproducible),
            mismatched: c.columns.iter().map(|x| x.mismatched).sum(),
            unmatched: c.only_in_a + c.only_in_b,
        }
    }
}

impl From<view::Skew> for SkewEvidence {
    fn from(s: view::Skew) -> Self {
        SkewEvidence {
            features: s.features.len() as u64,
            skewed: s.features.iter().filter(|f| f.skewed).map(|f| f.feature.clone()).collect(),
        }
    }
}

impl Evidence {
    /// Evidence holding a drift report only.
    pub fn from_drift(report: &DriftReport) -> Evidence {
        Evidence { drift: Some(DriftEvidence::from(report)), ..Evidence::default() }
    }

    /// Reads evidence from JSON text (the shape of [`Evidence`]; `drift` takes a drift report
    /// as the CLI, the page and the wasm API serialize it).
    pub fn from_json(text: &str) -> Result<Evidence, String> {
        if text.len() > crate::limits::MAX_EVIDENCE_BYTES {
            return Err(format!(
                "{} bytes is more than the {}-byte limit for an evidence file",
                text.len(),
                crate::limits::MAX_EVIDENCE_BYTES
            ));
        }
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// Whether nothing was computed.
    pub fn is_empty(&self) -> bool {
        self.checks().is_empty()
    }

    /// The checks this evidence yields, in [`EvidenceKind`] order.
    pub fn checks(&self) -> Vec<EvidenceCheck> {
        let mut out = Vec::new();
        if let Some(d) = &self.drift {
            out.extend(d.drift_check());
            out.push(d.schema_check());
            out.push(d.nan_inf_check());
        }
        if let Some(q) = &self.data_quality {
            out.push(q.check());
        }
        if let Some(b) = &self.baseline {
            out.push(b.check());
        }
        if let Some(s) = &self.slices {
            out.push(s.check(EvidenceKind::Slices, "slice", "slices"));
        }
        if let Some(f) = &self.fairness {
            out.push(f.check(EvidenceKind::Fairness, "group", "groups"));
        }
        if let Some(r) = &self.reproducibility {
            out.push(r.check());
        }
        if let Some(s) = &self.skew {
            out.push(s.check());
        }
        out
    }
}

/// The outcome of one check, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceCheck {
    /// Which check.
    pub kind: EvidenceKind,
    /// Its human name ([`EvidenceKind::title`]).
    pub title: &'static str,
    /// Whether the property it measures holds.
    pub passed: bool,
    /// One line: what was found, naming files, columns or metrics.
    pub summary: String,
}

impl EvidenceCheck {
    fn new(kind: EvidenceKind, passed: bool, summary: String) -> Self {
        EvidenceCheck { kind, title: kind.title(), passed, summary }
    }
}

/// A dataset named in evidence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceDataset {
    /// File name.
    pub source: String,
    /// Data rows.
    #[serde(default)]
    pub rows: u64,
}

/// What the rubric needs from a drift report. Deserializes from the report's own JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftEvidence {
    /// The reference data.
    pub reference: EvidenceDataset,
    /// The current data.
    pub current: EvidenceDataset,
    /// Columns tested.
    pub tested_columns: usize,
    /// Tested columns that drifted.
    pub drifted_columns: usize,
    /// The dataset verdict.
    pub dataset_drift: bool,
    /// Per column.
    pub columns: Vec<DriftColumnEvidence>,
}

/// One column of [`DriftEvidence`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftColumnEvidence {
    /// Column name.
    pub column: String,
    /// Whether and how it was tested.
    pub status: DriftColumnStatus,
    /// Type in the reference (or in the current data for a new column).
    pub column_type: String,
    /// Type in the current data.
    #[serde(default)]
    pub current_type: Option<String>,
    /// The verdict.
    pub drifted: bool,
    /// Non-finite counts in the reference.
    #[serde(default)]
    pub reference: Option<NonFiniteCounts>,
    /// Non-finite counts in the current data.
    #[serde(default)]
    pub current: Option<NonFiniteCounts>,
}

/// The drift report's column status, mirrored for deserialization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftColumnStatus {
    /// Tested in both datasets.
    Tested,
    /// In both, not testable.
    Skipped,
    /// In the reference only.
    MissingInCurrent,
    /// In the current data only.
    NewInCurrent,
}

/// NaN and infinity counts of one side of a column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonFiniteCounts {
    /// NaN values.
    #[serde(default)]
    pub nan: u64,
    /// Positive infinities.
    #[serde(default)]
    pub pos_inf: u64,
    /// Negative infinities.
    #[serde(default)]
    pub neg_inf: u64,
}

impl NonFiniteCounts {
    fn total(&self) -> u64 {
        self.nan + self.pos_inf + self.neg_inf
    }
}

impl From<&DriftReport> for DriftEvidence {
    fn from(r: &DriftReport) -> Self {
        let counts = |s: &Option<crate::drift::ColumnSummary>| {
            s.as_ref().map(|s| NonFiniteCounts {
                nan: s.counts.nan,
                pos_inf: s.counts.pos_inf,
                neg_inf: s.counts.neg_inf,
            })
        };
        DriftEvidence {
            reference: EvidenceDataset { source: r.reference.source.clone(), rows: r.reference.rows },
            current: EvidenceDataset { source: r.current.source.clone(), rows: r.current.rows },
            tested_columns: r.tested_columns,
            drifted_columns: r.drifted_columns,
            dataset_drift: r.dataset_drift,
            columns: r
                .columns
                .iter()
                .map(|c| DriftColumnEvidence {
                    column: c.column.clone(),
                    status: match c.status {
                        Status::Tested => DriftColumnStatus::Tested,
                        Status::Skipped => DriftColumnStatus::Skipped,
                        Status::MissingInCurrent => DriftColumnStatus::MissingInCurrent,
                        Status::NewInCurrent => DriftColumnStatus::NewInCurrent,
                    },
                    column_type: c.column_type.as_str().to_string(),
                    current_type: c.current_type.map(|t| t.as_str().to_string()),
                    drifted: c.drifted,
                    reference: counts(&c.reference),
                    current: counts(&c.current),
                })
                .collect(),
        }
    }
}

/// Names, at most five, then how many more.
fn name_list(names: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut text = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl DriftEvidence {
    fn drift_check(&self) -> Option<EvidenceCheck> {
        if self.tested_columns == 0 {
            return None; // nothing was compared, so there is nothing to report
        }
        let drifted: Vec<&str> = self
            .columns
            .iter()
            .filter(|c| c.status == DriftColumnStatus::Tested && c.drifted)
            .map(|c| c.column.as_str())
            .collect();
        let (r, c) = (&self.reference.source, &self.current.source);
        let summary = if drifted.is_empty() {
            format!(
                "no drift: none of the {} tested between {r} and {c} drifted",
                plural(self.tested_columns, "column", "columns")
            )
        } else {
            format!(
                "{} of {} tested drifted between {r} and {c}: {}{}",
                drifted.len(),
                plural(self.tested_columns, "column", "columns"),
                name_list(&drifted),
                if self.dataset_drift { " (dataset drift)" } else { "" }
            )
        };
        Some(EvidenceCheck::new(EvidenceKind::Drift, drifted.is_empty(), summary))
    }

    /// Missing columns and type changes fail; integer and numeric count as one type; new
    /// columns are mentioned but do not fail, since the model cannot be reading them.
    fn schema_check(&self) -> EvidenceCheck {
        let c = &self.current.source;
        let missing: Vec<&str> = self
            .columns
            .iter()
            .filter(|x| x.status == DriftColumnStatus::MissingInCurrent)
            .map(|x| x.column.as_str())
            .collect();
        let new: Vec<&str> = self
            .columns
            .iter()
            .filter(|x| x.status == DriftColumnStatus::NewInCurrent)
            .map(|x| x.column.as_str())
            .collect();
        let changed: Vec<String> = self
            .columns
            .iter()
            .filter(|x| matches!(x.status, DriftColumnStatus::Tested | DriftColumnStatus::Skipped))
            .filter_map(|x| {
                let now = x.current_type.as_deref()?;
                let numeric = |t: &str| matches!(t, "numeric" | "integer");
                let same = now == x.column_type || (numeric(now) && numeric(&x.column_type));
                (!same).then(|| format!("{} ({} → {now})", x.column, x.column_type))
            })
            .collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!(
                "{c} lacks {}: {}",
                plural(missing.len(), "reference column", "reference columns"),
                name_list(&missing)
            ));
        }
        if !changed.is_empty() {
            let names: Vec<&str> = changed.iter().map(String::as_str).collect();
            parts.push(format!(
                "{} changed type: {}",
                plural(changed.len(), "column", "columns"),
                name_list(&names)
            ));
        }
        let passed = parts.is_empty();
        if passed {
            let present = self.columns.len() - new.len();
            parts.push(format!(
                "all {} of {} are in {c} with the same types",
                plural(present, "column", "columns"),
                self.reference.source
            ));
        }
        if !new.is_empty() {
            parts.push(format!(
                "{} new in {c}: {}",
                plural(new.len(), "column is", "columns are"),
                name_list(&new)
            ));
        }
        EvidenceCheck::new(EvidenceKind::Schema, passed, parts.join("; "))
    }

    /// Fails when a column holds NaN or infinities in the current data but none in the reference.
    fn nan_inf_check(&self) -> EvidenceCheck {
        let (r, c) = (&self.reference.source, &self.current.source);
        let mut fresh = Vec::new();
        let mut both = Vec::new();
        for col in &self.columns {
            let (Some(rc), Some(cc)) = (col.reference, col.current) else { continue };
            if cc.total() == 0 {
                continue;
            }
            let mut counts = Vec::new();
            for (n, what) in [(cc.nan, "NaN"), (cc.pos_inf, "+inf"), (cc.neg_inf, "-inf")] {
                if n > 0 {
                    counts.push(format!("{n} {what}"));
                }
            }
            let text = format!("{} ({})", col.column, counts.join(", "));
            if rc.total() == 0 {
                fresh.push(text);
            } else {
                both.push(col.column.as_str());
            }
        }
        let passed = fresh.is_empty();
        let mut summary = if passed {
            format!("no NaN or infinite values in {c} where {r} has none")
        } else {
            let names: Vec<&str> = fresh.iter().map(String::as_str).collect();
            format!("non-finite values in {c} where {r} has none: {}", name_list(&names))
        };
        if !both.is_empty() {
            summary.push_str(&format!("; both files hold NaN or infinities in {}", name_list(&both)));
        }
        EvidenceCheck::new(EvidenceKind::NanInf, passed, summary)
    }
}

/// Data-quality findings of this run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DataQualityEvidence {
    /// The file checked.
    pub source: String,
    /// Findings at error severity.
    pub errors: u64,
    /// Findings at warning severity.
    pub warnings: u64,
    /// Short descriptions of the error findings, most important first.
    pub findings: Vec<String>,
}

impl DataQualityEvidence {
    fn check(&self) -> EvidenceCheck {
        let names: Vec<&str> = self.findings.iter().map(String::as_str).collect();
        let summary = if self.errors == 0 {
            format!("no data-quality errors in {} ({} warnings)", self.source, self.warnings)
        } else if names.is_empty() {
            format!("{} data-quality errors in {}", self.errors, self.source)
        } else {
            format!("{} data-quality errors in {}: {}", self.errors, self.source, name_list(&names))
        };
        EvidenceCheck::new(EvidenceKind::DataQuality, self.errors == 0, summary)
    }
}

/// The model's score and a simpler baseline's on one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineEvidence {
    /// Metric name, such as `accuracy` or `rmse`.
    pub metric: String,
    /// Whether larger values are better (accuracy) or worse (error).
    pub higher_is_better: bool,
    /// The model's value.
    pub model: f64,
    /// The baseline's value.
    pub baseline: f64,
    /// What the baseline is, such as `majority class`.
    #[serde(default)]
    pub baseline_name: String,
    /// Deepchecks' gain of the model over the baseline, when an evaluation computed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gain: Option<f64>,
    /// Lower end of the bootstrap interval of the difference (model better when above 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci_low: Option<f64>,
    /// Upper end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci_high: Option<f64>,
    /// The interval's confidence level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The evaluation's verdict (`model_better`, `no_significant_difference`,
    /// `baseline_better`); when present it decides the check, as it decides `modelgate evaluate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
}

impl BaselineEvidence {
    /// The model must be better: strictly (without an interval), or with the whole bootstrap
    /// interval of the difference above 0 (with one); a tie means the extra complexity buys nothing.
    fn check(&self) -> EvidenceCheck {
        let (m, b) = (self.model, self.baseline);
        let name = if self.baseline_name.is_empty() { "the baseline" } else { self.baseline_name.as_str() };
        let comparable = m.is_finite() && b.is_finite();
        let strictly = comparable && if self.higher_is_better { m > b } else { m < b };
        let passed = match self.verdict.as_deref() {
            Some(v) => comparable && v == "model_better",
            None => strictly,
        };
        let metric = &self.metric;
        let (ms, bs) = (fmt_number(m), fmt_number(b));
        let mut summary = if !comparable {
            format!("{metric}: the model ({ms}) and {name} ({bs}) cannot be compared")
        } else if passed {
            format!("{metric}: the model ({ms}) beats {name} ({bs})")
        } else if self.verdict.as_deref() == Some("no_significant_difference") {
            format!("{metric}: the model ({ms}) does not do significantly better than {name} ({bs})")
        } else if m == b {
            format!("{metric}: the model ({ms}) only ties {name} ({bs})")
        } else {
            format!("{metric}: {name} ({bs}) beats the model ({ms})")
        };
        if let (Some(l), Some(h)) = (self.ci_low, self.ci_high) {
            let level = self.confidence.map_or(String::new(), |c| format!("{}% ", fmt_number(c * 100.0)));
            summary.push_str(&format!(
                "; {level}interval of the difference [{}, {}]",
                fmt_number(l),
                fmt_number(h)
            ));
        }
        if let Some(g) = self.gain {
            summary.push_str(&format!("; gain {}", fmt_number(g)));
        }
        EvidenceCheck::new(EvidenceKind::Baseline, passed, summary)
    }
}

/// A metric per slice or group, with those that fall short.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupEvidence {
    /// Metric name.
    pub metric: String,
    /// Slices or groups evaluated.
    pub evaluated: u64,
    /// Those below the bar (named like `country=FR`).
    pub failing: Vec<String>,
}

impl GroupEvidence {
    fn check(&self, kind: EvidenceKind, one: &str, many: &str) -> EvidenceCheck {
        let names: Vec<&str> = self.failing.iter().map(String::as_str).collect();
        let evaluated = plural(self.evaluated as usize, one, many);
        let summary = if names.is_empty() {
            format!("{}: all {evaluated} meet the bar", self.metric)
        } else {
            format!("{}: {} of {evaluated} fall short: {}", self.metric, names.len(), name_list(&names))
        };
        EvidenceCheck::new(kind, names.is_empty(), summary)
    }
}

/// Two runs compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReproducibilityEvidence {
    /// What was compared, such as `run-a vs run-b predictions`.
    pub compared: String,
    /// Largest absolute difference found.
    pub max_abs_difference: f64,
    /// Largest difference accepted, when known.
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// The comparison's own verdict (every cell equal within its tolerance, every row
    /// paired, no NaN prediction); when present it decides the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproducible: Option<bool>,
    /// Pairs of cells that differ.
    #[serde(default)]
    pub mismatched: u64,
    /// Rows without a partner in the other file.
    #[serde(default)]
    pub unmatched: u64,
}

impl ReproducibilityEvidence {
    fn check(&self) -> EvidenceCheck {
        let (passed, summary) = match self.reproducible {
            Some(passed) => (
                passed,
                format!(
                    "{}: {} {}, {} without a partner; largest difference {}",
                    self.compared,
                    plural(self.mismatched as usize, "pair of cells", "pairs of cells"),
                    if self.mismatched == 1 { "differs" } else { "differ" },
                    plural(self.unmatched as usize, "row", "rows"),
                    fmt_number(self.max_abs_difference),
                ),
            ),
            None => {
                let tolerance = self.tolerance.unwrap_or(0.0);
                let passed = self.max_abs_difference.is_finite() && self.max_abs_difference <= tolerance;
                let summary = format!(
                    "{}: largest difference {} {} the tolerance {tolerance}",
                    self.compared,
                    self.max_abs_difference,
                    if passed { "is within" } else { "exceeds" },
                );
                (passed, summary)
            }
        };
        EvidenceCheck::new(EvidenceKind::Reproducibility, passed, summary)
    }
}

/// Training against serving features.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SkewEvidence {
    /// Features compared.
    pub features: u64,
    /// Features whose values differ.
    pub skewed: Vec<String>,
}

impl SkewEvidence {
    fn check(&self) -> EvidenceCheck {
        let names: Vec<&str> = self.skewed.iter().map(String::as_str).collect();
        let compared = plural(self.features as usize, "feature", "features");
        let summary = if names.is_empty() {
            format!("training and serving agree on all {compared} compared")
        } else {
            format!(
                "{} of {compared} differ between training and serving: {}",
                names.len(),
                name_list(&names)
            )
        };
        EvidenceCheck::new(EvidenceKind::Skew, names.is_empty(), summary)
    }
}
