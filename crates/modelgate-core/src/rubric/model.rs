//! Rubrics as data: the JSON files under `rubrics/`, their types and their validation.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::evidence::EvidenceKind;
use super::AnswerStatus;

/// The `schema` value every rubric file carries.
pub const RUBRIC_SCHEMA: &str = "modelgate-rubric/1";

/// The rubric used when none is named.
pub const DEFAULT_RUBRIC: &str = "ml-test-score-2017";

/// The rubrics built into modelgate, as `(id, JSON text)`, in the order they are listed.
const BUILTIN_TEXT: [(&str, &str); 3] = [
    ("ml-test-score-2017", include_str!("../../../../rubrics/ml-test-score-2017.json")),
    ("ml-test-score-2016", include_str!("../../../../rubrics/ml-test-score-2016.json")),
    ("production-readiness", include_str!("../../../../rubrics/production-readiness.json")),
];

/// A readiness rubric: sections of items, a scoring rule and the sources it follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// Always [`RUBRIC_SCHEMA`].
    pub schema: String,
    /// Stable id, such as `ml-test-score-2017`.
    pub id: String,
    /// Display title.
    pub title: String,
    /// One paragraph on what the rubric is and how it scores.
    pub summary: String,
    /// Where the items, scoring and bands come from.
    pub sources: Vec<Source>,
    /// How the wording relates to the sources.
    #[serde(default)]
    pub notice: Option<String>,
    /// How answers become a score.
    pub scoring: Scoring,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

/// A publication a rubric draws on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Id that items and bands cite.
    pub id: String,
    /// Authors, or the publishing organisation.
    pub authors: String,
    /// Title of the paper or article.
    pub title: String,
    /// Where and when it appeared.
    #[serde(default)]
    pub published: Option<String>,
    /// Year of publication, when known.
    #[serde(default)]
    pub year: Option<u32>,
    /// Address, when known.
    #[serde(default)]
    pub url: Option<String>,
}

/// How section scores combine into the final score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Each section scores the sum of its items' points; the final score is the lowest section
    /// score (the ML Test Score).
    Minimum,
    /// Each section scores the share of its attainable points earned; the final score is the share
    /// of all attainable points earned (a checklist).
    Share,
}

/// Points per answer status. A not-applicable item earns nothing and is not attainable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    /// Always 0.
    pub not_done: f64,
    /// Run by hand, results documented.
    pub manual: f64,
    /// Run automatically and repeatedly.
    pub automated: f64,
}

impl Points {
    /// Points an answer earns (unanswered counts as not done; not applicable earns nothing).
    pub fn of(&self, status: Option<AnswerStatus>) -> f64 {
        match status {
            None | Some(AnswerStatus::NotDone) | Some(AnswerStatus::NotApplicable) => self.not_done,
            Some(AnswerStatus::Manual) => self.manual,
            Some(AnswerStatus::Automated) => self.automated,
        }
    }

    /// The most an applicable item can earn.
    pub fn full(&self) -> f64 {
        self.manual.max(self.automated)
    }

    /// The least demanding status that earns [`Points::full`].
    pub fn full_status(&self) -> AnswerStatus {
        if self.manual >= self.automated {
            AnswerStatus::Manual
        } else {
            AnswerStatus::Automated
        }
    }
}

/// What each answer status is called in this rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusLabels {
    /// Label of `not_done`.
    pub not_done: String,
    /// Label of `manual`.
    pub manual: String,
    /// Label of `automated`.
    pub automated: String,
    /// Label of `not_applicable`.
    pub not_applicable: String,
}

/// The scoring rule of a rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// How sections combine.
    pub aggregate: Aggregate,
    /// Points per status.
    pub points: Points,
    /// Status names for display.
    pub status_labels: StatusLabels,
    /// The rules in words, including how not-applicable items count.
    pub rules: Vec<String>,
    /// Interpretation bands, lowest first.
    pub bands: Vec<Band>,
}

/// An interpretation band of the final score.
///
/// A band covers the scores from `min` to `max` (each bound included or not). Scores that fall
/// between two bands (the 2016 ML Test Score lists no band for 11) belong to the band below,
/// and the report says so: bands are read as thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Short label, such as `(1, 2]` or `7-10`.
    pub label: String,
    /// Lower bound.
    pub min: f64,
    /// Whether `min` itself is in the band.
    pub min_inclusive: bool,
    /// Upper bound; `None` for the top band.
    pub max: Option<f64>,
    /// Whether `max` itself is in the band.
    pub max_inclusive: bool,
    /// Short name.
    pub title: String,
    /// What a score in the band means.
    pub meaning: String,
    /// The source the band comes from; `None` for modelgate's own bands.
    pub source: Option<String>,
}

impl Band {
    /// Whether `score` lies within the band's stated bounds.
    pub fn contains(&self, score: f64) -> bool {
        let above = score > self.min || (self.min_inclusive && score == self.min);
        let below = match self.max {
            None => true,
            Some(max) => score < max || (self.max_inclusive && score == max),
        };
        above && below
    }

    fn reaches(&self, score: f64) -> bool {
        score > self.min || (self.min_inclusive && score == self.min)
    }
}

/// A section of a rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable id, such as `data`.
    pub id: String,
    /// Display title.
    pub title: String,
    /// One line on what the section covers.
    #[serde(default)]
    pub summary: Option<String>,
    /// The items, in order.
    pub items: Vec<Item>,
}

/// One item (test or checklist question) of a rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable id, unique in the rubric, such as `data-1`.
    pub id: String,
    /// The source's own name for the item, such as `Data 1`.
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    /// The item in one line.
    pub title: String,
    /// What doing it means.
    pub description: String,
    /// Ids of the sources the item comes from.
    pub sources: Vec<String>,
    /// Which of modelgate's checks bear on the item.
    #[serde(default)]
    pub evidence: Vec<EvidenceLink>,
}

/// A check whose result bears on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceLink {
    /// Which check.
    pub kind: EvidenceKind,
    /// How it bears on the item.
    pub role: EvidenceRole,
}

/// How a check bears on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRole {
    /// The check measures the very property the item asserts: when it fails, an answer saying
    /// the item is done is contradicted.
    Asserts,
    /// The check is related context, shown beside the item, and never contradicts an answer.
    Informs,
}

impl Rubric {
    /// Parses and validates a rubric file; `source` names it in errors.
    pub fn from_json(source: &str, text: &str) -> Result<Rubric, RubricError> {
        let rubric: Rubric = serde_json::from_str(text).map_err(|e| RubricError {
            source: source.to_string(),
            path: format!("line {}, column {}", e.line(), e.column()),
            message: serde_message(&e),
        })?;
        rubric.validate().map_err(|(path, message)| RubricError {
            source: source.to_string(),
            path,
            message,
        })?;
        Ok(rubric)
    }

    /// Every item with its section, in order.
    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections.iter().flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    /// Looks an item up by id, with its section.
    pub fn item(&self, id: &str) -> Option<(&Section, &Item)> {
        self.items().find(|(_, i)| i.id == id)
    }

    /// Number of items.
    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    /// The band a final score falls in, and whether it lies in a gap between stated bands
    /// (then it is the band below). `None` only for a rubric without bands, which
    /// [`Rubric::from_json`] refuses.
    pub fn band(&self, score: f64) -> Option<(&Band, bool)> {
        let bands = &self.scoring.bands;
        if let Some(band) = bands.iter().find(|b| b.contains(score)) {
            return Some((band, false));
        }
        // Validation makes the first band start at 0, so only a negative score falls below all.
        let below = bands.iter().rev().find(|b| b.reaches(score)).or(bands.first())?;
        Some((below, true))
    }

    fn validate(&self) -> Result<(), (String, String)> {
        let err = |path: String, message: String| Err((path, message));
        if self.schema != RUBRIC_SCHEMA {
            return err("schema".into(), format!("expected \"{RUBRIC_SCHEMA}\", found \"{}\"", self.schema));
        }
        if !is_slug(&self.id) {
            return err(
                "id".into(),
                format!("\"{}\" is not a lowercase id of letters, digits and -", self.id),
            );
        }
        if self.title.trim().is_empty() {
            return err("title".into(), "the title is empty".into());
        }
        let mut sources = HashMap::new();
        for (i, s) in self.sources.iter().enumerate() {
            if s.id.trim().is_empty() || s.title.trim().is_empty() {
                return err(format!("sources[{i}]"), "a source needs an id and a title".into());
            }
            if let Some(first) = sources.insert(s.id.as_str(), i) {
                return err(
                    format!("sources[{i}].id"),
                    format!("duplicate source id \"{}\" (first at sources[{first}])", s.id),
                );
            }
        }
        self.validate_scoring(&sources)?;
        if self.sections.is_empty() {
            return err("sections".into(), "a rubric needs at least one section".into());
        }
        let mut section_ids = HashMap::new();
        let mut item_ids: HashMap<&str, String> = HashMap::new();
        for (s, section) in self.sections.iter().enumerate() {
            let at = format!("sections[{s}]");
            if !is_slug(&section.id) {
                return err(
                    format!("{at}.id"),
                    format!("\"{}\" is not a lowercase id of letters, digits and -", section.id),
                );
            }
            if let Some(first) = section_ids.insert(section.id.as_str(), s) {
                return err(
                    format!("{at}.id"),
                    format!("duplicate section id \"{}\" (first at sections[{first}])", section.id),
                );
            }
            if section.title.trim().is_empty() {
                return err(format!("{at}.title"), "the title is empty".into());
            }
            if section.items.is_empty() {
                return err(format!("{at}.items"), "a section needs at least one item".into());
            }
            for (i, item) in section.items.iter().enumerate() {
                let at = format!("{at}.items[{i}]");
                if !is_item_id(&item.id) {
                    return err(
                        format!("{at}.id"),
                        format!("\"{}\" is not an id of letters, digits, '.', '_' and '-'", item.id),
                    );
                }
                if let Some(first) = item_ids.insert(item.id.as_str(), at.clone()) {
                    return err(
                        format!("{at}.id"),
                        format!("duplicate item id \"{}\" (first at {first})", item.id),
                    );
                }
                if item.title.trim().is_empty() {
                    return err(format!("{at}.title"), "the title is empty".into());
                }
                if item.sources.is_empty() {
                    return err(format!("{at}.sources"), "every item cites at least one source".into());
                }
                for (k, id) in item.sources.iter().enumerate() {
                    if !sources.contains_key(id.as_str()) {
                        return err(format!("{at}.sources[{k}]"), format!("unknown source \"{id}\""));
                    }
                }
                for (k, link) in item.evidence.iter().enumerate() {
                    if item.evidence[..k].iter().any(|l| l.kind == link.kind) {
                        return err(
                            format!("{at}.evidence[{k}]"),
                            format!("evidence kind \"{}\" is listed twice", link.kind.as_str()),
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn validate_scoring(&self, sources: &HashMap<&str, usize>) -> Result<(), (String, String)> {
        let err = |path: &str, message: String| Err((format!("scoring.{path}"), message));
        let p = &self.scoring.points;
        if p.not_done != 0.0 {
            return err("points.not_done", "must be 0".into());
        }
        if !(p.manual.is_finite()
            && p.automated.is_finite()
            && p.manual >= 0.0
            && p.automated >= p.manual
            && p.automated > 0.0)
        {
            return err("points", "need 0 <= manual <= automated, automated > 0, all finite".into());
        }
        let bands = &self.scoring.bands;
        if bands.is_empty() {
            return err("bands", "at least one band is needed".into());
        }
        if !(bands[0].min == 0.0 && bands[0].min_inclusive) {
            return err("bands[0]", "the lowest band must start at 0, included".into());
        }
        for (i, band) in bands.iter().enumerate() {
            let at = format!("bands[{i}]");
            if band.label.trim().is_empty() || band.title.trim().is_empty() {
                return err(&at, "a band needs a label and a title".into());
            }
            if !band.min.is_finite() || band.max.is_some_and(|m| !m.is_finite() || m < band.min) {
                return err(&at, "bounds must be finite with max >= min".into());
            }
            if band.max == Some(band.min) && !(band.min_inclusive && band.max_inclusive) {
                return err(&at, "a one-point band must include its bound".into());
            }
            if let Some(source) = &band.source {
                if !sources.contains_key(source.as_str()) {
                    return err(&format!("{at}.source"), format!("unknown source \"{source}\""));
                }
            }
            if self.scoring.aggregate == Aggregate::Share && band.min > 1.0 {
                return err(&at, "share scores run from 0 to 1".into());
            }
            if let Some(next) = bands.get(i + 1) {
                let Some(max) = band.max else {
                    return err(&at, "only the last band may be open-ended".into());
                };
                let overlaps =
                    next.min < max || (next.min == max && band.max_inclusive && next.min_inclusive);
                if overlaps {
                    return err(
                        &format!("bands[{}]", i + 1),
                        format!("overlaps the band \"{}\" below it", band.label),
                    );
                }
            }
        }
        Ok(())
    }
}

/// A rubric file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricError {
    /// The file name.
    pub source: String,
    /// JSON path (`sections[1].items[2].id`) or `line L, column C` for a syntax error.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RubricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.source, self.path, self.message)
    }
}

impl std::error::Error for RubricError {}

/// The built-in rubrics, parsed once.
pub fn builtins() -> &'static [Rubric] {
    static BUILTINS: OnceLock<Vec<Rubric>> = OnceLock::new();
    BUILTINS.get_or_init(|| {
        BUILTIN_TEXT
            .iter()
            .map(|(id, text)| {
                // The files are part of the source tree and a test parses each one, so a
                // failure here is a build defect, not bad input.
                Rubric::from_json(&format!("rubrics/{id}.json"), text)
                    .unwrap_or_else(|e| panic!("built-in rubric is invalid: {e}"))
            })
            .collect()
    })
}

/// A built-in rubric by id.
pub fn builtin(id: &str) -> Option<&'static Rubric> {
    builtins().iter().find(|r| r.id == id)
}

/// The JSON text of a built-in rubric, as committed under `rubrics/`.
pub fn builtin_json(id: &str) -> Option<&'static str> {
    BUILTIN_TEXT.iter().find(|(i, _)| *i == id).map(|(_, text)| *text)
}

/// The ids of the built-in rubrics.
pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    BUILTIN_TEXT.iter().map(|(id, _)| *id)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_item_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// serde_json's message without its trailing " at line L column C".
pub(crate) fn serde_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
