//! The whole report and its exports: JSON, Markdown and a self-contained HTML file.
//!
//! A [`Report`] gathers the sections one run computed: drift, data quality, the
//! evaluation against baselines, the comparison of two prediction files, the
//! training/serving skew and the scored rubric. Each section is held as the JSON its
//! check serializes to (the very objects the wasm functions return, keys in their
//! order), so a saved report reads back with [`Report::from_json`] into the same
//! value, and readers of any version see the shapes they render.
//!
//! Exports hold summaries only (statistics, counts per bin or category, verdicts,
//! row numbers), never raw cell values, so a report can be pasted into a wiki or a
//! pull request without leaking data. Every way into a report (the `with_*`
//! builders, [`Report::from_sections_json`] and [`Report::from_json`]) passes
//! through one sanitiser that blanks the values quality findings, prediction
//! comparisons and skew examples carry. The HTML export inlines the page's own
//! renderer (`web/report/render.js` and `report.css`), so it looks like the page,
//! opens offline and is a few tens of kilobytes plus the report itself.
//!
//! ```
//! use modelgate_core::report::{to_markdown, Report};
//! let saved = r#"{"kind": "modelgate-report", "format_version": 2, "modelgate": "0.1.0"}"#;
//! let report = Report::from_json(saved).unwrap();
//! assert!(to_markdown(&report).starts_with("# modelgate report\n"));
//! assert!(Report::from_json(r#"{"kind": "notes"}"#).is_err());
//! ```

use std::fmt::{self, Write as _};

use serde::de::{DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::drift::{DriftReport, Method};
use crate::eval::{CompareReport, EvalReport, SkewReport};
use crate::quality::QualityReport;
use crate::rubric::RubricReport;

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
///
/// 1: drift only. 2: adds `quality`, `evaluation`, `comparison`, `skew` and `rubric`,
/// and blanks raw values (a version-1 file reads as a version-2 report with drift only).
pub const REPORT_FORMAT_VERSION: u32 = 2;

/// What a sanitised report shows instead of a raw cell value in a finding's text.
pub const REDACTED: &str = "[redacted]";

/// The `kind` every report file carries.
pub const REPORT_KIND: &str = "modelgate-report";

/// Every section a run produced. Sections that were not computed are absent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always [`REPORT_KIND`], so readers can tell the file apart.
    pub kind: String,
    /// [`REPORT_FORMAT_VERSION`].
    pub format_version: u32,
    /// The modelgate version that computed it.
    pub modelgate: String,
    /// Data drift between the reference and the current data (a `DriftReport`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<Section>,
    /// Data quality of the current data against its contract (a `QualityReport`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<Section>,
    /// The model against baselines, on slices and over time (an `EvalReport`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Section>,
    /// Two prediction files compared row by row (a `CompareReport`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Section>,
    /// Training against serving features (a `SkewReport`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skew: Option<Section>,
    /// The scored readiness rubric (a `RubricReport`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rubric: Option<Section>,
}

/// The names of the sections, in report order.
pub const SECTION_NAMES: [&str; 6] = ["drift", "quality", "evaluation", "comparison", "skew", "rubric"];

/// Why a saved report or a set of sections cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportError {
    /// What went wrong.
    pub kind: ReportErrorKind,
    /// A sentence naming the place (line and column, or the section and field).
    pub message: String,
}

/// The kinds of [`ReportError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportErrorKind {
    /// Not JSON, or not an object.
    Json,
    /// JSON, but its `kind` is not [`REPORT_KIND`].
    NotAReport,
    /// Written by a newer modelgate in a layout this one cannot read.
    NewerFormat,
    /// A key that is no section, or a section without the fields its renderer needs.
    Section,
}

impl ReportErrorKind {
    /// A stable machine-readable name.
    pub fn code(self) -> &'static str {
        match self {
            ReportErrorKind::Json => "json",
            ReportErrorKind::NotAReport => "not_a_report",
            ReportErrorKind::NewerFormat => "newer_format",
            ReportErrorKind::Section => "section",
        }
    }
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReportError {}

fn report_error(kind: ReportErrorKind, message: String) -> ReportError {
    ReportError { kind, message }
}

impl Report {
    /// A report with no sections yet.
    pub fn new() -> Self {
        Report {
            kind: REPORT_KIND.to_string(),
            format_version: REPORT_FORMAT_VERSION,
            modelgate: env!("CARGO_PKG_VERSION").to_string(),
            drift: None,
            quality: None,
            evaluation: None,
            comparison: None,
            skew: None,
            rubric: None,
        }
    }

    /// Adds the drift section.
    pub fn with_drift(mut self, drift: &DriftReport) -> Self {
        self.drift = Some(Section::of(drift));
        self.sanitised()
    }

    /// Adds the data-quality section; the offending values its findings list are blanked.
    pub fn with_quality(mut self, quality: &QualityReport) -> Self {
        self.quality = Some(Section::of(quality));
        self.sanitised()
    }

    /// Adds the evaluation section.
    pub fn with_evaluation(mut self, evaluation: &EvalReport) -> Self {
        self.evaluation = Some(Section::of(evaluation));
        self.sanitised()
    }

    /// Adds the comparison of two prediction files; the differing values are blanked.
    pub fn with_comparison(mut self, comparison: &CompareReport) -> Self {
        self.comparison = Some(Section::of(comparison));
        self.sanitised()
    }

    /// Adds the training/serving skew section; the differing values are blanked.
    pub fn with_skew(mut self, skew: &SkewReport) -> Self {
        self.skew = Some(Section::of(skew));
        self.sanitised()
    }

    /// Adds the scored rubric.
    pub fn with_rubric(mut self, rubric: &RubricReport) -> Self {
        self.rubric = Some(Section::of(rubric));
        self.sanitised()
    }

    /// The sections present, with their names, in report order.
    pub fn sections(&self) -> impl Iterator<Item = (&'static str, &Section)> {
        let all = [&self.drift, &self.quality, &self.evaluation, &self.comparison, &self.skew, &self.rubric];
        SECTION_NAMES.into_iter().zip(all).filter_map(|(name, s)| s.as_ref().map(|s| (name, s)))
    }

    /// Whether no section is present.
    pub fn is_empty(&self) -> bool {
        self.sections().next().is_none()
    }

    /// Reads a saved report (`modelgate report --format json`, the page's JSON export).
    ///
    /// The file must say `"kind": "modelgate-report"` and have a `format_version` no newer
    /// than [`REPORT_FORMAT_VERSION`]; each section must hold the fields its rendering
    /// needs. Raw values are blanked on the way in, as on the way out.
    pub fn from_json(text: &str) -> Result<Report, ReportError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| report_error(ReportErrorKind::Json, format!("not a JSON report: {e}")))?;
        let Some(object) = value.as_object() else {
            return Err(report_error(
                ReportErrorKind::Json,
                "not a modelgate report: expected a JSON object".into(),
            ));
        };
        match object.get("kind").and_then(|k| k.as_str()) {
            Some(REPORT_KIND) => {}
            Some(other) => {
                return Err(report_error(
                    ReportErrorKind::NotAReport,
                    format!("not a modelgate report: \"kind\" is \"{other}\", expected \"{REPORT_KIND}\""),
                ))
            }
            None => {
                return Err(report_error(
                    ReportErrorKind::NotAReport,
                    format!("not a modelgate report (expected \"kind\": \"{REPORT_KIND}\")"),
                ))
            }
        }
        let version = object.get("format_version").and_then(|v| v.as_u64()).ok_or_else(|| {
            report_error(ReportErrorKind::Section, "\"format_version\" must be a whole number".into())
        })?;
        if version > u64::from(REPORT_FORMAT_VERSION) {
            return Err(report_error(
                ReportErrorKind::NewerFormat,
                format!(
                    "the report has format_version {version}, newer than this modelgate reads ({REPORT_FORMAT_VERSION}); upgrade modelgate"
                ),
            ));
        }
        let f: ReportFile = serde_json::from_str(text)
            .map_err(|e| report_error(ReportErrorKind::Section, format!("report: {e}")))?;
        let sections = Sections {
            drift: f.drift,
            quality: f.quality,
            evaluation: f.evaluation,
            comparison: f.comparison,
            skew: f.skew,
            rubric: f.rubric,
        };
        let mut report = Report::from_sections(sections)?;
        report.modelgate = f.modelgate;
        Ok(report)
    }

    /// Builds a report from an object of sections, `{drift?, quality?, evaluation?,
    /// comparison?, skew?, rubric?}`, each the object its check returns (as the wasm
    /// functions give them). Unknown keys are an error naming the key.
    pub fn from_sections_json(text: &str) -> Result<Report, ReportError> {
        let sections: Sections = serde_json::from_str(text)
            .map_err(|e| report_error(ReportErrorKind::Section, format!("report sections: {e}")))?;
        Report::from_sections(sections)
    }

    fn from_sections(s: Sections) -> Result<Report, ReportError> {
        let report = Report {
            drift: s.drift,
            quality: s.quality,
            evaluation: s.evaluation,
            comparison: s.comparison,
            skew: s.skew,
            rubric: s.rubric,
            ..Report::new()
        };
        for (name, section) in report.sections() {
            section.check(name)?;
        }
        Ok(report.sanitised())
    }

    /// The one place raw values leave a report: every constructor ends here.
    fn sanitised(mut self) -> Self {
        if let Some(q) = &mut self.quality {
            sanitise_quality(&mut q.0);
        }
        if let Some(c) = &mut self.comparison {
            sanitise_examples(&mut c.0, "columns");
        }
        if let Some(s) = &mut self.skew {
            sanitise_examples(&mut s.0, "features");
        }
        self
    }
}

impl Default for Report {
    fn default() -> Self {
        Report::new()
    }
}

/// A saved report: the header and the sections (other keys are ignored, so a reader
/// skips what a later minor addition writes).
#[derive(Deserialize)]
struct ReportFile {
    #[serde(default)]
    modelgate: String,
    #[serde(default)]
    drift: Option<Section>,
    #[serde(default)]
    quality: Option<Section>,
    #[serde(default)]
    evaluation: Option<Section>,
    #[serde(default)]
    comparison: Option<Section>,
    #[serde(default)]
    skew: Option<Section>,
    #[serde(default)]
    rubric: Option<Section>,
}

/// The sections of a report, each optional; any other key is a mistake worth naming.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Sections {
    drift: Option<Section>,
    quality: Option<Section>,
    evaluation: Option<Section>,
    comparison: Option<Section>,
    skew: Option<Section>,
    rubric: Option<Section>,
}

/// One section: the JSON its check serialized to, keys in their order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Section(Json);

impl Section {
    pub(crate) fn of<T: Serialize>(report: &T) -> Section {
        // Serializing a report struct cannot fail (no maps with non-string keys); a null
        // section would fail its check on reading back rather than panic here.
        let text = serde_json::to_string(report).unwrap_or_else(|_| "null".into());
        Section(serde_json::from_str(&text).unwrap_or(Json::Null))
    }

    /// The section as compact JSON text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "null".into())
    }

    /// The section read as `T` (any struct whose fields it holds; unknown fields are ignored).
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.to_json_string())
    }

    /// The section as a `serde_json::Value` (object keys sorted).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::from_str(&self.to_json_string()).unwrap_or(serde_json::Value::Null)
    }

    /// Checks that the section holds what its Markdown rendering reads.
    fn check(&self, name: &str) -> Result<(), ReportError> {
        let result = match name {
            "drift" => self.read::<view::Drift>().map(drop),
            "quality" => self.read::<view::Quality>().map(drop),
            "evaluation" => self.read::<view::Evaluation>().map(drop),
            "comparison" => self.read::<view::Comparison>().map(drop),
            "skew" => self.read::<view::Skew>().map(drop),
            _ => self.read::<view::Rubric>().map(drop),
        };
        result.map_err(|e| {
            let e = e.to_string();
            // The line and column refer to the re-encoded section, not to the file.
            let e = e.split(" at line ").next().unwrap_or(&e).to_string();
            report_error(ReportErrorKind::Section, format!("report section \"{name}\": {e}"))
        })
    }
}

/// JSON with object keys in their order (serde_json's `Value` sorts them unless a
/// crate-wide feature is on, which would also reorder contract and payload parsing).
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn items_mut(&mut self) -> &mut [Json] {
        match self {
            Json::Array(items) => items,
            _ => &mut [],
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_none<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
                Json::deserialize(d)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_f64<E>(self, x: f64) -> Result<Json, E> {
                Ok(serde_json::Number::from_f64(x).map_or(Json::Null, Json::Number))
            }
            fn visit_str<E>(self, s: &str) -> Result<Json, E> {
                Ok(Json::String(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Json, E> {
                Ok(Json::String(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries: Vec<(String, Json)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    // A repeated key keeps its last value, as JSON.parse does.
                    match entries.iter_mut().find(|(key, _)| *key == k) {
                        Some(slot) => slot.1 = v,
                        None => entries.push((k, v)),
                    }
                }
                Ok(Json::Object(entries))
            }
        }
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// Blanks the offending values of every quality finding: their text in `values` and
/// wherever the message quotes them (`"value" (count)`), and the lowest or highest
/// value an out-of-range message names. Row numbers and counts stay.
fn sanitise_quality(quality: &mut Json) {
    let Some(findings) = quality.get_mut("findings") else { return };
    for finding in findings.items_mut() {
        let mut quoted: Vec<String> = Vec::new();
        if let Some(values) = finding.get_mut("values") {
            for v in values.items_mut() {
                if let Some(slot) = v.get_mut("value") {
                    if let Json::String(text) = slot {
                        if text != REDACTED {
                            quoted.push(format!("\"{text}\" ("));
                        }
                    }
                    *slot = Json::String(REDACTED.into());
                }
            }
        }
        if let Some(Json::String(message)) = finding.get_mut("message") {
            // Longest first, so a value that contains another is replaced whole.
            quoted.sort_by_key(|q| std::cmp::Reverse(q.len()));
            for q in &quoted {
                *message = message.replace(q.as_str(), &format!("\"{REDACTED}\" ("));
            }
            *message = redact_quoted(message);
            for word in ["(lowest ", "(highest "] {
                *message = redact_between(message, word, " in row ");
            }
        }
    }
}

/// Every `"…"` in quality messages quotes a value: column names and contract terms are
/// never quoted there.
fn redact_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let Some(len) = rest[start + 1..].find('"') else { break };
        out.push_str(&rest[..start]);
        out.push('"');
        out.push_str(REDACTED);
        out.push('"');
        rest = &rest[start + 1 + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Replaces whatever stands between `open` and `close` with [`REDACTED`].
fn redact_between(text: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let after = start + open.len();
        let Some(len) = rest[after..].find(close) else { break };
        out.push_str(&rest[..after]);
        out.push_str(REDACTED);
        rest = &rest[after + len..];
    }
    out.push_str(rest);
    out
}

/// Blanks the ids and the two values of every listed difference (`examples[].id`, `.a`,
/// `.b`) under each entry of `list`; the row numbers stay.
fn sanitise_examples(section: &mut Json, list: &str) {
    let Some(entries) = section.get_mut(list) else { return };
    for entry in entries.items_mut() {
        let Some(examples) = entry.get_mut("examples") else { continue };
        for example in examples.items_mut() {
            for key in ["id", "a", "b"] {
                if let Some(slot) = example.get_mut(key) {
                    *slot = Json::Null;
                }
            }
        }
    }
}

/// What the Markdown export, the section checks and the rubric evidence
/// (`rubric::evidence`) read from each section: one view of each section's JSON.
/// Numbers that may be undefined are `Option`s: a report's JSON writes NaN as `null`.
pub(crate) mod view {
    use serde::Deserialize;

    use crate::drift::Method;

    #[derive(Deserialize)]
    pub struct DatasetInfo {
        pub source: String,
        #[serde(default)]
        pub rows: u64,
        #[serde(default)]
        pub columns: u64,
    }

    #[derive(Deserialize)]
    pub struct DriftOptions {
        #[serde(default)]
        pub drift_share: Option<f64>,
    }

    #[derive(Deserialize)]
    pub struct Drift {
        pub reference: DatasetInfo,
        pub current: DatasetInfo,
        pub options: DriftOptions,
        pub tested_columns: u64,
        pub drifted_columns: u64,
        pub dataset_drift: bool,
        pub columns: Vec<DriftColumn>,
    }

    #[derive(Deserialize)]
    pub struct DriftColumn {
        pub column: String,
        pub column_type: String,
        #[serde(default)]
        pub current_type: Option<String>,
        pub status: String,
        #[serde(default)]
        pub method: Option<Method>,
        #[serde(default)]
        pub statistic: Option<f64>,
        #[serde(default)]
        pub p_value: Option<f64>,
        #[serde(default)]
        pub threshold: Option<f64>,
        #[serde(default)]
        pub drifted: bool,
        #[serde(default)]
        pub note: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct ContractInfo {
        #[serde(default)]
        pub version: String,
    }

    #[derive(Deserialize)]
    pub struct Quality {
        #[serde(default)]
        pub reference: Option<DatasetInfo>,
        pub current: DatasetInfo,
        pub contract: ContractInfo,
        pub errors: u64,
        pub warnings: u64,
        #[serde(default)]
        pub infos: u64,
        pub passed: bool,
        pub findings: Vec<QualityFinding>,
    }

    #[derive(Deserialize)]
    pub struct QualityFinding {
        pub severity: String,
        pub kind: String,
        #[serde(default)]
        pub column: Option<String>,
        #[serde(default)]
        pub count: u64,
        #[serde(default)]
        pub share: Option<f64>,
        #[serde(default)]
        pub examples: Vec<u64>,
    }

    #[derive(Deserialize)]
    pub struct Verdict {
        pub passed: bool,
        #[serde(default)]
        pub reasons: Vec<String>,
    }

    #[derive(Deserialize)]
    pub struct Evaluation {
        pub source: String,
        #[serde(default)]
        pub rows: u64,
        #[serde(default)]
        pub rows_evaluated: u64,
        pub task: String,
        pub primary_metric: String,
        pub higher_is_better: bool,
        #[serde(default)]
        pub metrics: serde_json::Map<String, serde_json::Value>,
        pub baselines: Baselines,
        #[serde(default)]
        pub slices: Vec<SliceColumn>,
        #[serde(default)]
        pub weak_slices: Vec<WeakSlice>,
        #[serde(default)]
        pub fairness: Option<Fairness>,
        #[serde(default)]
        pub time: Option<Time>,
        #[serde(default)]
        pub options: EvalOptions,
        pub verdict: Verdict,
    }

    #[derive(Deserialize, Default)]
    pub struct EvalOptions {
        #[serde(default)]
        pub slice_gap: Option<f64>,
    }

    #[derive(Deserialize)]
    pub struct Baselines {
        #[serde(default)]
        pub fitted_on: String,
        #[serde(default)]
        pub metric: String,
        #[serde(default)]
        pub results: Vec<Baseline>,
    }

    #[derive(Deserialize)]
    pub struct Baseline {
        pub name: String,
        #[serde(default)]
        pub skipped: Option<String>,
        #[serde(default)]
        pub comparison: Option<BaselineComparison>,
    }

    #[derive(Deserialize)]
    pub struct BaselineComparison {
        #[serde(default)]
        pub model: Option<f64>,
        #[serde(default)]
        pub baseline: Option<f64>,
        #[serde(default)]
        pub difference: Option<f64>,
        #[serde(default)]
        pub ci_low: Option<f64>,
        #[serde(default)]
        pub ci_high: Option<f64>,
        #[serde(default)]
        pub confidence: Option<f64>,
        #[serde(default)]
        pub gain: Option<f64>,
        pub verdict: String,
    }

    #[derive(Deserialize)]
    pub struct SliceColumn {
        pub column: String,
        #[serde(default)]
        pub groups: Vec<SliceGroup>,
    }

    #[derive(Deserialize)]
    pub struct WeakSlice {
        pub column: String,
        pub value: String,
    }

    #[derive(Deserialize)]
    pub struct SliceGroup {
        pub value: String,
        #[serde(default)]
        pub rows: u64,
        #[serde(default)]
        pub metrics: serde_json::Map<String, serde_json::Value>,
        #[serde(default)]
        pub weak: bool,
    }

    #[derive(Deserialize)]
    pub struct Fairness {
        pub column: String,
        #[serde(default)]
        pub demographic_parity_difference: Option<f64>,
        #[serde(default)]
        pub demographic_parity_ratio: Option<f64>,
        #[serde(default)]
        pub equal_opportunity_difference: Option<f64>,
        #[serde(default)]
        pub equalized_odds_difference: Option<f64>,
        #[serde(default)]
        pub groups: Vec<FairnessGroup>,
        #[serde(default)]
        pub note: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct FairnessGroup {
        pub value: String,
        #[serde(default)]
        pub rows: u64,
        #[serde(default)]
        pub selection_rate: Option<f64>,
        #[serde(default)]
        pub true_positive_rate: Option<f64>,
        #[serde(default)]
        pub false_positive_rate: Option<f64>,
        #[serde(default)]
        pub metrics: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(Deserialize)]
    pub struct Time {
        pub column: String,
        #[serde(default)]
        pub period: String,
        #[serde(default)]
        pub periods: Vec<Period>,
        #[serde(default)]
        pub slope: Option<f64>,
        #[serde(default)]
        pub degraded_period: Option<String>,
        #[serde(default)]
        pub suggestion: String,
    }

    #[derive(Deserialize)]
    pub struct Period {
        pub period: String,
        #[serde(default)]
        pub rows: u64,
        #[serde(default)]
        pub metrics: serde_json::Map<String, serde_json::Value>,
        #[serde(default)]
        pub used: bool,
    }

    #[derive(Deserialize)]
    pub struct ComparedColumn {
        pub column: String,
        #[serde(default)]
        pub compared: u64,
        #[serde(default)]
        pub mismatched: u64,
        #[serde(default)]
        pub max_abs_difference: Option<f64>,
        #[serde(default)]
        pub examples: Vec<Example>,
    }

    #[derive(Deserialize)]
    pub struct Example {
        #[serde(default)]
        pub row_a: u64,
        #[serde(default)]
        pub row_b: u64,
    }

    #[derive(Deserialize)]
    pub struct Finding {
        #[serde(default)]
        pub code: String,
        #[serde(default)]
        pub severity: String,
        #[serde(default)]
        pub column: Option<String>,
        #[serde(default)]
        pub count: u64,
    }

    #[derive(Deserialize)]
    pub struct Comparison {
        pub a: String,
        pub b: String,
        #[serde(default)]
        pub joined: u64,
        #[serde(default)]
        pub only_in_a: u64,
        #[serde(default)]
        pub only_in_b: u64,
        pub columns: Vec<ComparedColumn>,
        #[serde(default)]
        pub findings: Vec<Finding>,
        pub reproducible: bool,
    }

    #[derive(Deserialize)]
    pub struct Skew {
        pub training: String,
        pub serving: String,
        #[serde(default)]
        pub id: String,
        #[serde(default)]
        pub joined: u64,
        #[serde(default)]
        pub training_only_rows: u64,
        #[serde(default)]
        pub serving_only_rows: u64,
        pub features: Vec<FeatureSkew>,
        pub skewed_features: u64,
        #[serde(default)]
        pub max_mismatch_share: Option<f64>,
        #[serde(default)]
        pub findings: Vec<Finding>,
    }

    #[derive(Deserialize)]
    pub struct FeatureSkew {
        pub feature: String,
        #[serde(default)]
        pub mismatch_count: u64,
        #[serde(default)]
        pub training_only: u64,
        #[serde(default)]
        pub serving_only: u64,
        #[serde(default)]
        pub mismatch_share: Option<f64>,
        #[serde(default)]
        pub max_abs_difference: Option<f64>,
        #[serde(default)]
        pub skewed: bool,
    }

    #[derive(Deserialize)]
    pub struct RubricInfo {
        pub title: String,
    }

    #[derive(Deserialize)]
    pub struct Band {
        pub label: String,
        #[serde(default)]
        pub title: String,
        #[serde(default)]
        pub meaning: String,
    }

    #[derive(Deserialize)]
    pub struct Rubric {
        pub rubric: RubricInfo,
        #[serde(default)]
        pub answers_source: String,
        pub final_score: Option<f64>,
        #[serde(default)]
        pub max_final_score: Option<f64>,
        pub band: Band,
        #[serde(default)]
        pub weakest_sections: Vec<String>,
        pub sections: Vec<RubricSection>,
        #[serde(default)]
        pub next_steps: Vec<NextStep>,
        #[serde(default)]
        pub evidence: Vec<EvidenceCheck>,
        #[serde(default)]
        pub flags: Vec<Flag>,
    }

    #[derive(Deserialize)]
    pub struct RubricSection {
        pub title: String,
        pub score: Option<f64>,
        #[serde(default)]
        pub points: Option<f64>,
        #[serde(default)]
        pub max_points: Option<f64>,
    }

    #[derive(Deserialize)]
    pub struct NextStep {
        pub item: String,
        #[serde(default)]
        pub title: String,
        #[serde(default)]
        pub from: Option<String>,
        #[serde(default)]
        pub to: String,
        #[serde(default)]
        pub gain: Option<f64>,
        #[serde(default)]
        pub final_score_after: Option<f64>,
        #[serde(default)]
        pub blocked_by: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct EvidenceCheck {
        #[serde(default)]
        pub title: String,
        pub passed: bool,
        #[serde(default)]
        pub summary: String,
    }

    #[derive(Deserialize)]
    pub struct Flag {
        pub item: String,
        #[serde(default)]
        pub severity: String,
        #[serde(default)]
        pub message: String,
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

fn fmt_metric(metrics: &serde_json::Map<String, serde_json::Value>, name: &str) -> String {
    fmt_opt(metrics.get(name).and_then(serde_json::Value::as_f64))
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

fn verdict(c: &view::DriftColumn) -> &'static str {
    match c.status.as_str() {
        "tested" if c.drifted => "drifted",
        "tested" => "ok",
        "skipped" => "skipped",
        "missing_in_current" => "missing",
        "new_in_current" => "new",
        _ => "—",
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
    drift_line(drift.tested_columns as u64, drift.drifted_columns as u64, drift.dataset_drift)
}

fn drift_line(tested: u64, drifted: u64, dataset_drift: bool) -> String {
    if tested == 0 {
        return "No column could be tested — dataset drift: no".into();
    }
    format!(
        "{drifted} of {tested} tested column{} drifted — dataset drift: {}",
        if tested == 1 { "" } else { "s" },
        if dataset_drift { "yes" } else { "no" }
    )
}

/// The report as Markdown, for a wiki page or a pull request: a summary of every
/// section first, then one part per section.
pub fn to_markdown(report: &Report) -> String {
    let mut out = String::from("# modelgate report\n");
    let mut summary = Vec::new();
    let mut body = String::new();
    // Sections were checked when the report was built; one that does not read is skipped.
    if let Some(d) = report.drift.as_ref().and_then(|s| s.read::<view::Drift>().ok()) {
        summary.push(format!(
            "Data drift: {}",
            drift_line(d.tested_columns, d.drifted_columns, d.dataset_drift)
        ));
        markdown_drift(&mut body, &d);
    }
    if let Some(q) = report.quality.as_ref().and_then(|s| s.read::<view::Quality>().ok()) {
        summary.push(format!("Data quality: {}", quality_line(&q)));
        markdown_quality(&mut body, &q);
    }
    if let Some(e) = report.evaluation.as_ref().and_then(|s| s.read::<view::Evaluation>().ok()) {
        summary.push(format!("Model: {}", evaluation_line(&e)));
        markdown_evaluation(&mut body, &e);
    }
    if let Some(c) = report.comparison.as_ref().and_then(|s| s.read::<view::Comparison>().ok()) {
        summary.push(format!("Reproducibility: {}", comparison_line(&c)));
        markdown_comparison(&mut body, &c);
    }
    if let Some(s) = report.skew.as_ref().and_then(|s| s.read::<view::Skew>().ok()) {
        summary.push(format!("Training/serving skew: {}", skew_line(&s)));
        markdown_skew(&mut body, &s);
    }
    if let Some(r) = report.rubric.as_ref().and_then(|s| s.read::<view::Rubric>().ok()) {
        summary.push(format!("Readiness: {}", rubric_line(&r)));
        markdown_rubric(&mut body, &r);
    }
    if summary.len() > 1 {
        out.push_str("\n## Summary\n\n");
        for line in &summary {
            let _ = writeln!(out, "- {line}");
        }
    }
    out.push_str(&body);
    let _ = writeln!(
        out,
        "\n_modelgate {}: computed locally; this report holds summaries, never raw rows._",
        report.modelgate
    );
    out
}

fn markdown_drift(out: &mut String, drift: &view::Drift) {
    let (r, c) = (&drift.reference, &drift.current);
    let _ = writeln!(
        out,
        "\n## Data drift\n\n**{}**\n",
        drift_line(drift.tested_columns, drift.drifted_columns, drift.dataset_drift)
    );
    let _ = writeln!(
        out,
        "Reference `{}` ({}, {}); current `{}` ({}, {}). The dataset drifts when at least {}% of the tested columns drift.\n",
        md_cell(&r.source),
        plural(r.rows, "row"),
        plural(r.columns, "column"),
        md_cell(&c.source),
        plural(c.rows, "row"),
        plural(c.columns, "column"),
        fmt_opt(drift.options.drift_share.map(|s| s * 100.0))
    );
    out.push_str("| Column | Type | Method | Statistic | p-value | Threshold | Verdict |\n");
    out.push_str("|---|---|---|---:|---:|---:|---|\n");
    for col in &drift.columns {
        let column_type = match &col.current_type {
            Some(t) if *t != col.column_type => format!("{} → {t}", col.column_type),
            _ => col.column_type.clone(),
        };
        let v = verdict(col);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md_cell(&col.column),
            md_cell(&column_type),
            col.method.map_or("—", method_label),
            fmt_opt(col.statistic),
            fmt_opt(col.p_value),
            fmt_opt(col.threshold),
            if v == "drifted" { "**drifted**".to_string() } else { v.to_string() }
        );
    }
    let notes: Vec<&view::DriftColumn> = drift.columns.iter().filter(|c| c.note.is_some()).collect();
    if !notes.is_empty() {
        out.push_str("\nNotes:\n\n");
        for col in notes {
            let _ = writeln!(
                out,
                "- `{}`: {}",
                md_cell(&col.column),
                md_cell(col.note.as_deref().unwrap_or_default())
            );
        }
    }
}

fn quality_line(q: &view::Quality) -> String {
    format!(
        "{} — {}, {}, {} in `{}`",
        if q.passed { "passed" } else { "failed" },
        plural(q.errors, "error"),
        plural(q.warnings, "warning"),
        plural(q.infos, "note"),
        md_cell(&q.current.source)
    )
}

fn markdown_quality(out: &mut String, q: &view::Quality) {
    let _ = writeln!(out, "\n## Data quality\n\n**{}**\n", quality_line(q));
    let _ = write!(
        out,
        "`{}` ({}) against contract version `{}`",
        md_cell(&q.current.source),
        plural(q.current.rows, "row"),
        md_cell(&q.contract.version)
    );
    if let Some(r) = &q.reference {
        let _ = write!(out, " and reference `{}`", md_cell(&r.source));
    }
    out.push_str(". Offending values are left out of exports; the rows are listed.\n");
    if q.findings.is_empty() {
        return;
    }
    out.push_str("\n| Severity | Column | Finding | Count | Share | First rows |\n");
    out.push_str("|---|---|---|---:|---:|---|\n");
    for f in &q.findings {
        let rows: Vec<String> = f.examples.iter().map(u64::to_string).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            if f.severity == "error" { "**error**".to_string() } else { md_cell(&f.severity) },
            f.column.as_deref().map_or("—".to_string(), md_cell),
            md_cell(&f.kind.replace('_', " ")),
            f.count,
            f.share.map_or("—".to_string(), |s| format!("{}%", fmt_number(s * 100.0))),
            if rows.is_empty() { "—".to_string() } else { rows.join(", ") }
        );
    }
}

/// The baseline the model does worst against: the smallest difference in its favour.
fn closest_baseline(e: &view::Evaluation) -> Option<(&view::Baseline, &view::BaselineComparison)> {
    e.baselines
        .results
        .iter()
        .filter_map(|b| Some((b, b.comparison.as_ref()?)))
        .filter(|(_, c)| c.difference.is_some())
        .min_by(|(_, a), (_, b)| a.difference.unwrap_or(0.0).total_cmp(&b.difference.unwrap_or(0.0)))
}

fn evaluation_line(e: &view::Evaluation) -> String {
    let metric = &e.primary_metric;
    let mut line = format!(
        "{} — {metric} {}",
        if e.verdict.passed { "passed" } else { "failed" },
        fmt_metric(&e.metrics, metric)
    );
    if let Some((b, c)) = closest_baseline(e) {
        let _ = write!(line, "; strongest baseline `{}` {}", b.name, fmt_opt(c.baseline));
    }
    line
}

fn verdict_text(v: &str) -> &str {
    match v {
        "model_better" => "model better",
        "baseline_better" => "**baseline better**",
        "no_significant_difference" => "**no significant difference**",
        "not_compared" => "not compared",
        other => other,
    }
}

fn markdown_evaluation(out: &mut String, e: &view::Evaluation) {
    let _ = writeln!(out, "\n## Model versus baselines\n\n**{}**\n", evaluation_line(e));
    let _ = writeln!(
        out,
        "`{}`: {} of {} evaluated; task {}; primary metric {} ({} is better); baselines fitted on {}.",
        md_cell(&e.source),
        e.rows_evaluated,
        plural(e.rows, "row"),
        e.task.replace('_', " "),
        e.primary_metric,
        if e.higher_is_better { "higher" } else { "lower" },
        e.baselines.fitted_on.replace('_', " ")
    );
    if !e.verdict.reasons.is_empty() {
        out.push('\n');
    }
    for reason in &e.verdict.reasons {
        let _ = writeln!(out, "- {}", md_cell(reason));
    }
    if !e.baselines.results.is_empty() {
        let _ = writeln!(
            out,
            "\n| Baseline | {} | Model | Difference | Interval | Gain | Verdict |",
            md_cell(&e.baselines.metric)
        );
        out.push_str("|---|---:|---:|---:|---|---:|---|\n");
        for b in &e.baselines.results {
            match &b.comparison {
                Some(c) => {
                    let interval = match (c.ci_low, c.ci_high) {
                        (Some(l), Some(h)) => format!(
                            "[{}, {}]{}",
                            fmt_number(l),
                            fmt_number(h),
                            c.confidence.map_or(String::new(), |x| format!(" at {}%", fmt_number(x * 100.0)))
                        ),
                        _ => "—".into(),
                    };
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} | {} |",
                        md_cell(&b.name),
                        fmt_opt(c.baseline),
                        fmt_opt(c.model),
                        fmt_opt(c.difference),
                        interval,
                        fmt_opt(c.gain),
                        verdict_text(&c.verdict)
                    );
                }
                None => {
                    let why = b.skipped.as_deref().unwrap_or("not compared");
                    let _ = writeln!(
                        out,
                        "| {} | — | — | — | — | — | skipped: {} |",
                        md_cell(&b.name),
                        md_cell(why)
                    );
                }
            }
        }
    }
    if !e.slices.is_empty() {
        let _ = writeln!(
            out,
            "\n### Slices\n\n{} flagged weaker than overall{}.\n",
            plural(e.weak_slices.len() as u64, "slice"),
            e.options.slice_gap.map_or(String::new(), |g| format!(
                " (a slice is weak when its {} falls more than {}% short)",
                e.primary_metric,
                fmt_number(g * 100.0)
            ))
        );
        let _ = writeln!(out, "| Column | Slice | Rows | {} | Weak |", md_cell(&e.primary_metric));
        out.push_str("|---|---|---:|---:|---|\n");
        for col in &e.slices {
            for g in &col.groups {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    md_cell(&col.column),
                    md_cell(&g.value),
                    g.rows,
                    fmt_metric(&g.metrics, &e.primary_metric),
                    if g.weak { "**weak**" } else { "" }
                );
            }
        }
    }
    if let Some(f) = &e.fairness {
        let _ = writeln!(out, "\n### Fairness: `{}`\n", md_cell(&f.column));
        let mut parity = Vec::new();
        for (name, v) in [
            ("demographic parity difference", f.demographic_parity_difference),
            ("demographic parity ratio", f.demographic_parity_ratio),
            ("equal opportunity difference", f.equal_opportunity_difference),
            ("equalized odds difference", f.equalized_odds_difference),
        ] {
            if let Some(v) = v {
                parity.push(format!("{name} {}", fmt_number(v)));
            }
        }
        if !parity.is_empty() {
            let _ = writeln!(out, "{}.\n", parity.join("; "));
        }
        if let Some(note) = &f.note {
            let _ = writeln!(out, "{}\n", md_cell(note));
        }
        let _ =
            writeln!(out, "| Group | Rows | Selection rate | TPR | FPR | {} |", md_cell(&e.primary_metric));
        out.push_str("|---|---:|---:|---:|---:|---:|\n");
        for g in &f.groups {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                md_cell(&g.value),
                g.rows,
                fmt_opt(g.selection_rate),
                fmt_opt(g.true_positive_rate),
                fmt_opt(g.false_positive_rate),
                fmt_metric(&g.metrics, &e.primary_metric)
            );
        }
    }
    if let Some(t) = &e.time {
        let _ = writeln!(
            out,
            "\n### Over time: `{}` by {}\n\nSlope {} per {}; {}{}\n",
            md_cell(&t.column),
            t.period,
            fmt_opt(t.slope),
            t.period,
            t.degraded_period
                .as_deref()
                .map_or("no degradation".to_string(), |p| format!("degraded from {p}")),
            if t.suggestion.is_empty() { String::new() } else { format!(". {}", md_cell(&t.suggestion)) }
        );
        let _ = writeln!(out, "| Period | Rows | {} | Used |", md_cell(&e.primary_metric));
        out.push_str("|---|---:|---:|---|\n");
        for p in &t.periods {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md_cell(&p.period),
                p.rows,
                fmt_metric(&p.metrics, &e.primary_metric),
                if p.used { "yes" } else { "no" }
            );
        }
    }
}

fn comparison_line(c: &view::Comparison) -> String {
    let mismatched: u64 = c.columns.iter().map(|x| x.mismatched).sum();
    format!(
        "{} — `{}` vs `{}`: {} of {} pairs differ, {} unmatched",
        if c.reproducible { "reproducible" } else { "not reproducible" },
        md_cell(&c.a),
        md_cell(&c.b),
        mismatched,
        c.joined * c.columns.len() as u64,
        plural(c.only_in_a + c.only_in_b, "row")
    )
}

fn first_rows(examples: &[view::Example]) -> String {
    if examples.is_empty() {
        return "—".into();
    }
    examples.iter().take(5).map(|e| format!("{}/{}", e.row_a, e.row_b)).collect::<Vec<_>>().join(", ")
}

fn markdown_findings(out: &mut String, findings: &[view::Finding]) {
    if findings.is_empty() {
        return;
    }
    out.push_str("\nFindings:\n\n");
    for f in findings {
        let _ = writeln!(
            out,
            "- {} `{}`{}: {}",
            f.severity,
            md_cell(&f.code),
            f.column.as_deref().map_or(String::new(), |c| format!(" in `{}`", md_cell(c))),
            plural(f.count, "row")
        );
    }
}

fn markdown_comparison(out: &mut String, c: &view::Comparison) {
    let _ = writeln!(out, "\n## Reproducibility\n\n**{}**\n", comparison_line(c));
    out.push_str("| Column | Compared | Differ | Largest difference | First rows (a/b) |\n");
    out.push_str("|---|---:|---:|---:|---|\n");
    for col in &c.columns {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md_cell(&col.column),
            col.compared,
            col.mismatched,
            fmt_opt(col.max_abs_difference),
            first_rows(&col.examples)
        );
    }
    markdown_findings(out, &c.findings);
}

fn skew_line(s: &view::Skew) -> String {
    format!(
        "{} of {} skewed between `{}` and `{}`",
        s.skewed_features,
        plural(s.features.len() as u64, "feature"),
        md_cell(&s.training),
        md_cell(&s.serving)
    )
}

fn markdown_skew(out: &mut String, s: &view::Skew) {
    let _ = writeln!(out, "\n## Training/serving skew\n\n**{}**\n", skew_line(s));
    let _ = writeln!(
        out,
        "{} joined by `{}`; {} in training only, {} in serving only; a feature is skewed above {} differing pairs.\n",
        plural(s.joined, "pair"),
        md_cell(&s.id),
        plural(s.training_only_rows, "row"),
        plural(s.serving_only_rows, "row"),
        s.max_mismatch_share.map_or("—".to_string(), |x| format!("{}%", fmt_number(x * 100.0)))
    );
    out.push_str(
        "| Feature | Mismatched | Training only | Serving only | Share | Largest difference | Skewed |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---|\n");
    for f in &s.features {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md_cell(&f.feature),
            f.mismatch_count,
            f.training_only,
            f.serving_only,
            f.mismatch_share.map_or("—".to_string(), |x| format!("{}%", fmt_number(x * 100.0))),
            fmt_opt(f.max_abs_difference),
            if f.skewed { "**skewed**" } else { "no" }
        );
    }
    markdown_findings(out, &s.findings);
}

fn rubric_line(r: &view::Rubric) -> String {
    format!(
        "{} — final score {} of at most {}, band {} ({})",
        md_cell(&r.rubric.title),
        fmt_opt(r.final_score),
        fmt_opt(r.max_final_score),
        md_cell(&r.band.label),
        md_cell(&r.band.title)
    )
}

fn markdown_rubric(out: &mut String, r: &view::Rubric) {
    let _ = writeln!(out, "\n## Readiness rubric\n\n**{}**\n", rubric_line(r));
    if !r.band.meaning.is_empty() {
        let _ = writeln!(out, "{}\n", md_cell(&r.band.meaning));
    }
    if !r.answers_source.is_empty() {
        let _ = writeln!(
            out,
            "Answers `{}`; weakest: {}.\n",
            md_cell(&r.answers_source),
            if r.weakest_sections.is_empty() { "—".to_string() } else { r.weakest_sections.join(", ") }
        );
    }
    out.push_str("| Section | Score | Points |\n|---|---:|---:|\n");
    for s in &r.sections {
        let _ = writeln!(
            out,
            "| {} | {} | {} of {} |",
            md_cell(&s.title),
            fmt_opt(s.score),
            fmt_opt(s.points),
            fmt_opt(s.max_points)
        );
    }
    if !r.flags.is_empty() {
        out.push_str("\nAnswers the evidence contradicts:\n\n");
        for f in &r.flags {
            let _ = writeln!(out, "- **{}** `{}`: {}", f.severity, md_cell(&f.item), md_cell(&f.message));
        }
    }
    if !r.evidence.is_empty() {
        out.push_str("\nEvidence from this run:\n\n");
        for e in &r.evidence {
            let _ = writeln!(
                out,
                "- {} {}: {}",
                if e.passed { "✓" } else { "✗" },
                md_cell(&e.title),
                md_cell(&e.summary)
            );
        }
    }
    if !r.next_steps.is_empty() {
        out.push_str("\nNext steps:\n\n| # | Item | From | To | Gain | Final score after |\n|---:|---|---|---|---:|---:|\n");
        for (i, s) in r.next_steps.iter().enumerate() {
            let title = if s.title.is_empty() { s.item.clone() } else { format!("{} ({})", s.title, s.item) };
            let blocked = s.blocked_by.as_deref().map_or(String::new(), |b| format!(" — first fix: {b}"));
            let _ = writeln!(
                out,
                "| {} | {}{} | {} | {} | {} | {} |",
                i + 1,
                md_cell(&title),
                md_cell(&blocked),
                s.from.as_deref().unwrap_or("unanswered").replace('_', " "),
                s.to.replace('_', " "),
                fmt_opt(s.gain),
                fmt_opt(s.final_score_after)
            );
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
    let title = report.drift.as_ref().and_then(|s| s.read::<view::Drift>().ok()).map_or_else(
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

/// The renderer's modules as one script: every module's code lines but its imports
/// of siblings (which would need a server to resolve), in dependency order, with
/// comment-only and blank lines dropped and indentation trimmed (a fifth smaller).
/// This is safe because the modules keep every template literal and comment on
/// lines of their own (checked in the tests below).
fn inline_script() -> String {
    let mut out = String::new();
    for module in REPORT_MODULES {
        for line in module.lines() {
            let code = line.trim_start();
            if code.is_empty() || is_comment(code) || line.starts_with("import ") {
                continue;
            }
            out.push_str(code);
            out.push('\n');
        }
    }
    out
}

/// Whether a trimmed line of the renderer is a comment only.
fn is_comment(code: &str) -> bool {
    code.starts_with("//")
        || code.starts_with("/*")
        || code.starts_with("* ")
        || code == "*"
        || code.starts_with("*/")
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
    fn renderer_modules_keep_template_literals_on_one_line() {
        for module in REPORT_MODULES {
            for (i, line) in module.lines().enumerate().filter(|(_, l)| !is_comment(l.trim_start())) {
                assert_eq!(line.matches('`').count() % 2, 0, "line {}: {line}", i + 1);
                assert!(!line.contains("/*"), "line {}: {line}", i + 1);
            }
        }
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
        report.modelgate = "</script><script>alert(1)</script>".into();
        let html = to_html(&report);
        assert!(!html.contains("</script><script>alert"));
        assert!(html.contains("default-src 'none'"));
    }

    #[test]
    fn quoted_values_and_extremes_are_redacted() {
        assert_eq!(
            redact_quoted(r#"a: "x" (2), "y" (1) in rows 1, 2"#),
            r#"a: "[redacted]" (2), "[redacted]" (1) in rows 1, 2"#
        );
        assert_eq!(
            redact_between("3 below the minimum 0 (lowest -7.5 in row 4)", "(lowest ", " in row "),
            "3 below the minimum 0 (lowest [redacted] in row 4)"
        );
    }

    #[test]
    fn sections_keep_their_key_order() {
        let text = r#"{"drift": null, "rubric": null, "skew": {"z": 1, "a": [1.5, "x", true, null]}}"#;
        let sections: Sections = serde_json::from_str(text).unwrap();
        assert_eq!(sections.skew.unwrap().to_json_string(), r#"{"z":1,"a":[1.5,"x",true,null]}"#);
    }
}
