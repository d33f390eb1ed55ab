//! Live drift: a mergeable count summary of request records against a reference.
//!
//! The edge worker sees records one request at a time, in many places at once,
//! and must not keep them. So it keeps counts only: a [`LiveReference`] fixes,
//! once, from the training data, the bins of each numeric feature (the
//! reference's deciles, as the batch PSI uses) and the categories of each
//! categorical one; a [`LiveProfile`] counts live values into those same bins
//! and categories. Profiles from different isolates and places add up exactly
//! ([`LiveProfile::merge`] is associative and commutative), and
//! [`LiveReference::drift`] compares the sum with the reference:
//!
//! | feature | primary method | drifted when | also computed |
//! |---|---|---|---|
//! | numeric, integer | PSI on the reference bins | PSI >= `psi_threshold` (0.1) | chi-square on the bins |
//! | categorical, boolean | chi-square test of homogeneity | p < `chi2_alpha` (0.05) | PSI on the categories |
//!
//! This is the smallest honest summary for the job, built here because the
//! mergeable profiles of the drift engine were not yet available; it has no
//! quantile sketch, so the Kolmogorov-Smirnov test, which needs the values, is
//! not offered. A feature gets no verdict until it has `min_count` live values.
//! Values outside the reference categories count as one `(other)` category;
//! nulls and absent fields count as missing, and values of the wrong kind (a
//! string in a numeric feature) as invalid, both reported beside the test.
//!
//! ```
//! use modelgate_core::live::{LiveDriftOptions, LiveReference, LiveReferenceOptions};
//! use modelgate_core::CsvIngest;
//!
//! let mut ingest = CsvIngest::new("train.csv");
//! let mut csv = String::from("age,city\n");
//! for i in 0..100 {
//!     csv.push_str(&format!("{},{}\n", 20 + i % 40, if i % 3 == 0 { "Lyon" } else { "Paris" }));
//! }
//! ingest.push(csv.as_bytes()).unwrap();
//! let reference = LiveReference::from_dataset(&ingest.finish().unwrap(), &LiveReferenceOptions::default());
//!
//! let mut profile = reference.empty_profile();
//! for i in 0..50 {
//!     let record = serde_json::json!({"age": 70 + i, "city": "Lyon"});
//!     reference.fold(&mut profile, record.as_object().unwrap());
//! }
//! let report = reference.drift(&profile, &LiveDriftOptions::default()).unwrap();
//! assert_eq!(report.records, 50);
//! assert!(report.features.iter().all(|f| f.drifted));
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::dataset::{ColumnType, Dataset};
use crate::payload::Record;
use crate::stats::{chi2, psi};
use crate::validate::Violation;
use crate::value::{classify, Cell};

/// The value of the `format` key of a live reference file.
pub const LIVE_REFERENCE_FORMAT: &str = "modelgate-live-reference";
/// The label of the category that gathers values outside the reference's.
pub const OTHER: &str = "(other)";

/// How a feature is summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// Counts per bin between the reference's quantile edges.
    Numeric,
    /// Counts per reference category, plus [`OTHER`].
    Categorical,
}

/// The reference side of one feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceFeature {
    /// Feature name, matched exactly against record keys.
    pub name: String,
    /// How it is summarised.
    pub kind: FeatureKind,
    /// Inner bin edges, ascending (numeric features): bin `i` holds the values
    /// with exactly `i` edges at or below them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<f64>,
    /// Category labels (categorical features); numbers are spelled as in the
    /// batch report (`1`, `2.5`), booleans as `true` and `false`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Reference values per bin (`edges.len() + 1` entries) or per category
    /// (`categories.len() + 1` entries, the last for [`OTHER`]).
    pub counts: Vec<u64>,
    /// Reference rows where the feature was null.
    pub missing: u64,
}

/// The fixed reference that live profiles are counted against and compared with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LiveReference {
    /// Always [`LIVE_REFERENCE_FORMAT`].
    pub format: String,
    /// The file format version, 1.
    pub format_version: u64,
    /// The reference file it was built from.
    pub source: String,
    /// Its data rows.
    pub rows: u64,
    /// The summarised features, in the reference's column order.
    pub features: Vec<ReferenceFeature>,
    /// Columns left out, with the reason.
    #[serde(default)]
    pub skipped: Vec<SkippedColumn>,
    #[serde(skip)]
    index: OnceLock<Vec<HashMap<String, usize>>>,
}

impl PartialEq for LiveReference {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.rows == other.rows && self.features == other.features
    }
}

/// A reference column that has no live summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedColumn {
    /// Column name.
    pub name: String,
    /// Why it was left out.
    pub reason: String,
}

/// Choices for [`LiveReference::from_dataset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LiveReferenceOptions {
    /// Quantile bins per numeric feature (before ties merge edges).
    pub bins: usize,
    /// Most categories kept per categorical feature; rarer ones are [`OTHER`].
    pub max_categories: usize,
}

impl Default for LiveReferenceOptions {
    fn default() -> Self {
        LiveReferenceOptions { bins: 10, max_categories: 50 }
    }
}

/// Live counts for one feature, aligned with its [`ReferenceFeature`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveFeature {
    /// Values per bin or category, as the reference's `counts`.
    pub counts: Vec<u64>,
    /// Records where the feature was absent or null.
    pub missing: u64,
    /// NaN or infinite values of a numeric feature (JSON has no such numbers,
    /// so these are the strings `"NaN"`, `"Infinity"`, `"-Infinity"` and kin).
    pub non_finite: u64,
    /// Values of the wrong kind: not a number for a numeric feature, an array
    /// or object for a categorical one.
    pub invalid: u64,
}

/// A mergeable summary of live records: counts only, no values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveProfile {
    /// [`LiveReference::key`] of the reference it was counted against.
    pub reference: String,
    /// Records folded in.
    pub records: u64,
    /// One entry per reference feature, in order.
    pub features: Vec<LiveFeature>,
}

/// Thresholds for [`LiveReference::drift`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LiveDriftOptions {
    /// PSI at or above this is drift.
    pub psi_threshold: f64,
    /// Chi-square p-values below this are drift.
    pub chi2_alpha: f64,
    /// The dataset drifts when at least this share of the tested features drift.
    pub drift_share: f64,
    /// Fewest live values a feature needs for a verdict.
    pub min_count: u64,
}

impl Default for LiveDriftOptions {
    fn default() -> Self {
        LiveDriftOptions { psi_threshold: 0.1, chi2_alpha: 0.05, drift_share: 0.5, min_count: 30 }
    }
}

/// Live drift of one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveFeatureDrift {
    /// Feature name.
    pub name: String,
    /// How it was summarised.
    pub kind: FeatureKind,
    /// `"psi"` or `"chi2"`, when tested.
    pub method: Option<&'static str>,
    /// The primary method's statistic.
    pub statistic: Option<f64>,
    /// The chi-square p-value, when chi-square is primary.
    pub p_value: Option<f64>,
    /// The primary method's threshold.
    pub threshold: Option<f64>,
    /// The verdict.
    pub drifted: bool,
    /// PSI on the bins or categories.
    pub psi: Option<f64>,
    /// Chi-square statistic on the bins or categories.
    pub chi2_statistic: Option<f64>,
    /// Chi-square p-value.
    pub chi2_p_value: Option<f64>,
    /// Live values counted (excluding missing, non-finite and invalid ones).
    pub count: u64,
    /// Share of live records where the feature was absent or null.
    pub missing_share: f64,
    /// Share of reference rows where it was null.
    pub reference_missing_share: f64,
    /// Live non-finite values.
    pub non_finite: u64,
    /// Live values of the wrong kind.
    pub invalid: u64,
    /// Bin or category labels: `< e1`, `[e1, e2)`, ..., `>= ek`, or the categories and [`OTHER`].
    pub labels: Vec<String>,
    /// Reference counts per label.
    pub reference_counts: Vec<u64>,
    /// Live counts per label.
    pub live_counts: Vec<u64>,
    /// Why there is no verdict, when there is none.
    pub note: Option<String>,
}

/// Live drift against the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveDriftReport {
    /// [`LiveReference::key`].
    pub reference: String,
    /// The reference file.
    pub reference_source: String,
    /// Its rows.
    pub reference_rows: u64,
    /// Live records summarised.
    pub records: u64,
    /// The thresholds used.
    pub options: LiveDriftOptions,
    /// Features with a verdict.
    pub tested_features: usize,
    /// Features that drifted.
    pub drifted_features: usize,
    /// `drifted_features / tested_features` (0 when none was tested).
    pub share_drifted: f64,
    /// Whether the share reaches `drift_share`.
    pub dataset_drift: bool,
    /// One entry per reference feature.
    pub features: Vec<LiveFeatureDrift>,
}

/// A live reference or profile that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveError {
    /// What is wrong, naming the file part (`features[2].counts`).
    pub message: String,
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LiveError {}

fn live_error(message: impl Into<String>) -> LiveError {
    LiveError { message: message.into() }
}

impl LiveReference {
    /// Summarises reference data: numeric and integer columns into quantile
    /// bins, categorical and boolean columns into their most frequent categories.
    /// Identifier, text, datetime and empty columns are skipped with the reason.
    pub fn from_dataset(data: &Dataset, options: &LiveReferenceOptions) -> LiveReference {
        let mut features = Vec::new();
        let mut skipped = Vec::new();
        for column in &data.columns {
            let skip = |reason: &str| SkippedColumn { name: column.name.clone(), reason: reason.to_string() };
            match column.column_type {
                ColumnType::Numeric | ColumnType::Integer if !column.values.is_empty() => {
                    let bins = options.bins.max(1);
                    let mut edges: Vec<f64> = (1..bins)
                        .map(|k| psi::quantile_sorted(&column.values, k as f64 / bins as f64))
                        .collect();
                    edges.dedup();
                    let mut counts = vec![0u64; edges.len() + 1];
                    for &v in &column.values {
                        counts[bin_of(&edges, v)] += 1;
                    }
                    features.push(ReferenceFeature {
                        name: column.name.clone(),
                        kind: FeatureKind::Numeric,
                        edges,
                        categories: Vec::new(),
                        counts,
                        missing: column.counts.nulls,
                    });
                }
                ColumnType::Categorical | ColumnType::Boolean => {
                    let Some(observed) = &column.categories else {
                        skipped.push(skip("too many distinct values to keep as categories"));
                        continue;
                    };
                    let boolean = column.column_type == ColumnType::Boolean;
                    // Boolean spellings (`yes`, `T`) become `true`/`false`; merge what that joins.
                    let mut merged: Vec<(String, u64)> = Vec::with_capacity(observed.len());
                    for (label, n) in observed {
                        let label = if boolean { boolean_label(label) } else { label.clone() };
                        match merged.iter_mut().find(|(l, _)| *l == label) {
                            Some((_, total)) => *total += n,
                            None => merged.push((label, *n)),
                        }
                    }
                    merged.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    let keep = merged.len().min(options.max_categories.max(1));
                    let other: u64 = merged[keep..].iter().map(|(_, n)| n).sum();
                    merged.truncate(keep);
                    let (categories, mut counts): (Vec<String>, Vec<u64>) = merged.into_iter().unzip();
                    counts.push(other);
                    features.push(ReferenceFeature {
                        name: column.name.clone(),
                        kind: FeatureKind::Categorical,
                        edges: Vec::new(),
                        categories,
                        counts,
                        missing: column.counts.nulls,
                    });
                }
                ColumnType::Numeric | ColumnType::Integer => {
                    skipped.push(skip("no finite value in the reference"))
                }
                ColumnType::Identifier => skipped.push(skip("an identifier, not a feature")),
                ColumnType::Text => skipped.push(skip("free text: too many distinct values to compare")),
                ColumnType::Datetime => skipped.push(skip("dates are not summarised")),
                ColumnType::Empty => skipped.push(skip("no value in the reference")),
            }
        }
        LiveReference {
            format: LIVE_REFERENCE_FORMAT.to_string(),
            format_version: 1,
            source: data.source.clone(),
            rows: data.rows,
            features,
            skipped,
            index: OnceLock::new(),
        }
    }

    /// Reads a reference file written by [`LiveReference::to_json`], checking
    /// that its counts line up with its edges and categories.
    pub fn from_json(text: &str) -> Result<LiveReference, LiveError> {
        let reference: LiveReference = serde_json::from_str(text).map_err(|e| {
            live_error(format!(
                "live reference: line {}, column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e)
            ))
        })?;
        if reference.format != LIVE_REFERENCE_FORMAT {
            return Err(live_error(format!(
                "live reference: format: expected \"{LIVE_REFERENCE_FORMAT}\", found \"{}\"",
                reference.format
            )));
        }
        if reference.format_version != 1 {
            return Err(live_error(format!(
                "live reference: format_version {} is not 1; upgrade modelgate",
                reference.format_version
            )));
        }
        for (i, f) in reference.features.iter().enumerate() {
            let at = format!("live reference: features[{i}] (\"{}\")", f.name);
            let expected = match f.kind {
                FeatureKind::Numeric => {
                    if f.edges.iter().any(|e| !e.is_finite()) || f.edges.windows(2).any(|w| w[0] >= w[1]) {
                        return Err(live_error(format!("{at}.edges: must be finite and strictly ascending")));
                    }
                    f.edges.len() + 1
                }
                FeatureKind::Categorical => f.categories.len() + 1,
            };
            if f.counts.len() != expected {
                return Err(live_error(format!(
                    "{at}.counts: has {} entries, expected {expected} (one per bin or category, plus one)",
                    f.counts.len()
                )));
            }
        }
        Ok(reference)
    }

    /// The reference as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings, numbers and vectors cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A short fingerprint of the features, bins and categories: profiles carry
    /// it so that only profiles counted on the same bins are ever merged.
    pub fn key(&self) -> String {
        // FNV-1a over the compact JSON of the features; stable across platforms.
        let text = serde_json::to_string(&self.features).unwrap_or_default();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{hash:016x}")
    }

    /// A profile with every count at zero.
    pub fn empty_profile(&self) -> LiveProfile {
        LiveProfile {
            reference: self.key(),
            records: 0,
            features: self
                .features
                .iter()
                .map(|f| LiveFeature {
                    counts: vec![0; f.counts.len()],
                    missing: 0,
                    non_finite: 0,
                    invalid: 0,
                })
                .collect(),
        }
    }

    fn index(&self) -> &[HashMap<String, usize>] {
        self.index.get_or_init(|| {
            self.features
                .iter()
                .map(|f| f.categories.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect())
                .collect()
        })
    }

    /// Counts one record into `profile`, which must come from this reference's
    /// [`LiveReference::empty_profile`] (a profile of another shape is left unchanged).
    pub fn fold(&self, profile: &mut LiveProfile, record: &Record) {
        if profile.features.len() != self.features.len() {
            return;
        }
        profile.records += 1;
        let index = self.index();
        for ((feature, live), categories) in self.features.iter().zip(&mut profile.features).zip(index) {
            let Some(slot) = (match record.get(&feature.name) {
                None | Some(Value::Null) => {
                    live.missing += 1;
                    None
                }
                Some(value) => match feature.kind {
                    FeatureKind::Numeric => match numeric(value) {
                        Some(v) if v.is_finite() => Some(bin_of(&feature.edges, v)),
                        Some(_) => {
                            live.non_finite += 1;
                            None
                        }
                        None => {
                            live.invalid += 1;
                            None
                        }
                    },
                    FeatureKind::Categorical => match category(value) {
                        Some(label) => {
                            Some(*categories.get(label.as_ref()).unwrap_or(&feature.categories.len()))
                        }
                        None => {
                            live.invalid += 1;
                            None
                        }
                    },
                },
            }) else {
                continue;
            };
            if let Some(count) = live.counts.get_mut(slot) {
                *count += 1;
            }
        }
    }

    /// Counts the records that broke no rule (per `violations`, as
    /// [`crate::validate::validate_records`] returns them, in instance order)
    /// and returns how many were counted. Invalid records are reported by the
    /// validation; leaving them out keeps the profile a picture of the traffic
    /// the model accepts.
    pub fn fold_valid(
        &self,
        profile: &mut LiveProfile,
        records: &[Record],
        violations: &[Violation],
    ) -> usize {
        let mut bad = violations.iter().map(|v| v.instance).peekable();
        let mut folded = 0;
        for (i, record) in records.iter().enumerate() {
            while bad.peek().is_some_and(|&b| b < i) {
                bad.next();
            }
            if bad.peek() == Some(&i) {
                continue;
            }
            self.fold(profile, record);
            folded += 1;
        }
        folded
    }

    /// Drift of the live `profile` against this reference.
    pub fn drift(
        &self,
        profile: &LiveProfile,
        options: &LiveDriftOptions,
    ) -> Result<LiveDriftReport, LiveError> {
        check_shape(self, profile)?;
        let mut features = Vec::with_capacity(self.features.len());
        for (reference, live) in self.features.iter().zip(&profile.features) {
            features.push(feature_drift(reference, live, profile.records, self.rows, options));
        }
        let tested = features.iter().filter(|f| f.method.is_some()).count();
        let drifted = features.iter().filter(|f| f.drifted).count();
        let share = if tested == 0 { 0.0 } else { drifted as f64 / tested as f64 };
        Ok(LiveDriftReport {
            reference: self.key(),
            reference_source: self.source.clone(),
            reference_rows: self.rows,
            records: profile.records,
            options: *options,
            tested_features: tested,
            drifted_features: drifted,
            share_drifted: share,
            dataset_drift: tested > 0 && share >= options.drift_share,
            features,
        })
    }
}

fn check_shape(reference: &LiveReference, profile: &LiveProfile) -> Result<(), LiveError> {
    if profile.reference != reference.key() {
        return Err(live_error(format!(
            "live profile: counted against reference {}, not {}",
            profile.reference,
            reference.key()
        )));
    }
    if profile.features.len() != reference.features.len()
        || profile.features.iter().zip(&reference.features).any(|(l, r)| l.counts.len() != r.counts.len())
    {
        return Err(live_error("live profile: its features do not line up with the reference's"));
    }
    Ok(())
}

impl LiveProfile {
    /// Reads a profile written by [`LiveProfile::to_json`].
    pub fn from_json(text: &str) -> Result<LiveProfile, LiveError> {
        serde_json::from_str(text).map_err(|e| {
            live_error(format!(
                "live profile: line {}, column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e)
            ))
        })
    }

    /// The profile as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Adds `other`'s counts to this profile. Both must have been counted against
    /// the same reference; otherwise nothing changes and the error says why.
    pub fn merge(&mut self, other: &LiveProfile) -> Result<(), LiveError> {
        if self.reference != other.reference {
            return Err(live_error(format!(
                "live profile: cannot merge a profile of reference {} into one of reference {}",
                other.reference, self.reference
            )));
        }
        if self.features.len() != other.features.len()
            || self.features.iter().zip(&other.features).any(|(a, b)| a.counts.len() != b.counts.len())
        {
            return Err(live_error("live profile: cannot merge profiles whose features do not line up"));
        }
        self.records = self.records.saturating_add(other.records);
        for (a, b) in self.features.iter_mut().zip(&other.features) {
            for (x, y) in a.counts.iter_mut().zip(&b.counts) {
                *x = x.saturating_add(*y);
            }
            a.missing = a.missing.saturating_add(b.missing);
            a.non_finite = a.non_finite.saturating_add(b.non_finite);
            a.invalid = a.invalid.saturating_add(b.invalid);
        }
        Ok(())
    }
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Bin of a finite value: the number of edges at or below it.
fn bin_of(edges: &[f64], v: f64) -> usize {
    edges.partition_point(|&e| e <= v)
}

/// A JSON value as a number: numbers, and strings that spell a number (NaN and
/// infinities included, as the contract accepts them).
fn numeric(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match classify(s, false) {
            Cell::Number { value, .. } => Some(value),
            _ => None,
        },
        _ => None,
    }
}

/// A JSON value as a category label, spelled as the batch report spells it.
fn category(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    match value {
        Value::String(s) => Some(Cow::Borrowed(s.trim())),
        Value::Bool(true) => Some(Cow::Borrowed("true")),
        Value::Bool(false) => Some(Cow::Borrowed("false")),
        Value::Number(n) => n.as_f64().map(|v| Cow::Owned(spell(v))),
        _ => None,
    }
}

/// The shortest round-trip spelling of a number, `-0` as `0`.
fn spell(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else {
        v.to_string()
    }
}

fn boolean_label(raw: &str) -> String {
    match classify(raw, false) {
        Cell::Bool(b) => b.to_string(),
        _ => raw.to_string(),
    }
}

fn feature_drift(
    reference: &ReferenceFeature,
    live: &LiveFeature,
    records: u64,
    reference_rows: u64,
    options: &LiveDriftOptions,
) -> LiveFeatureDrift {
    let labels: Vec<String> = match reference.kind {
        FeatureKind::Numeric => bin_labels(&reference.edges),
        FeatureKind::Categorical => {
            reference.categories.iter().cloned().chain(std::iter::once(OTHER.to_string())).collect()
        }
    };
    let count: u64 = live.counts.iter().sum();
    let share = |n: u64, total: u64| if total == 0 { 0.0 } else { n as f64 / total as f64 };
    let mut out = LiveFeatureDrift {
        name: reference.name.clone(),
        kind: reference.kind,
        method: None,
        statistic: None,
        p_value: None,
        threshold: None,
        drifted: false,
        psi: None,
        chi2_statistic: None,
        chi2_p_value: None,
        count,
        missing_share: share(live.missing, records),
        reference_missing_share: share(reference.missing, reference_rows),
        non_finite: live.non_finite,
        invalid: live.invalid,
        labels,
        reference_counts: reference.counts.clone(),
        live_counts: live.counts.clone(),
        note: None,
    };
    let reference_total: u64 = reference.counts.iter().sum();
    if reference_total == 0 {
        out.note = Some("no reference value to compare with".into());
        return out;
    }
    if count < options.min_count {
        out.note = Some(format!("{count} live values; a verdict needs at least {}", options.min_count));
        return out;
    }
    // PSI over every bin (its empty-bin rule handles zeros); chi-square over the
    // cells that are not empty on both sides, as scipy requires.
    let psi = psi::psi_from_counts(&reference.counts, &live.counts);
    let (r, l): (Vec<u64>, Vec<u64>) = reference
        .counts
        .iter()
        .zip(&live.counts)
        .filter(|(r, l)| **r + **l > 0)
        .map(|(r, l)| (*r, *l))
        .unzip();
    let chi = chi2::chi2_homogeneity(&r, &l);
    out.psi = Some(psi);
    out.chi2_statistic = chi.map(|c| c.statistic);
    out.chi2_p_value = chi.map(|c| c.p_value);
    match reference.kind {
        FeatureKind::Numeric => {
            out.method = Some("psi");
            out.statistic = Some(psi);
            out.threshold = Some(options.psi_threshold);
            out.drifted = psi >= options.psi_threshold;
        }
        FeatureKind::Categorical => match chi {
            Some(c) => {
                out.method = Some("chi2");
                out.statistic = Some(c.statistic);
                out.p_value = Some(c.p_value);
                out.threshold = Some(options.chi2_alpha);
                out.drifted = c.p_value < options.chi2_alpha;
            }
            None => out.note = Some("no category with values on both sides".into()),
        },
    }
    out
}

fn bin_labels(edges: &[f64]) -> Vec<String> {
    if edges.is_empty() {
        return vec!["all values".to_string()];
    }
    let mut labels = Vec::with_capacity(edges.len() + 1);
    labels.push(format!("< {}", edges[0]));
    for w in edges.windows(2) {
        labels.push(format!("[{}, {})", w[0], w[1]));
    }
    labels.push(format!(">= {}", edges[edges.len() - 1]));
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CsvIngest;
    use serde_json::json;

    fn reference(csv: &str) -> LiveReference {
        let mut ingest = CsvIngest::new("train.csv");
        ingest.push(csv.as_bytes()).unwrap();
        LiveReference::from_dataset(&ingest.finish().unwrap(), &LiveReferenceOptions::default())
    }

    fn fold_all(reference: &LiveReference, records: &[Value]) -> LiveProfile {
        let mut profile = reference.empty_profile();
        for r in records {
            reference.fold(&mut profile, r.as_object().unwrap());
        }
        profile
    }

    #[test]
    fn reference_bins_match_the_batch_psi() {
        let mut csv = String::from("x\n");
        for i in 0..1000 {
            csv.push_str(&format!("{}\n", (i * 37) % 500));
        }
        let r = reference(&csv);
        let values: Vec<f64> = {
            let mut v: Vec<f64> = (0..1000).map(|i| ((i * 37) % 500) as f64).collect();
            v.sort_by(f64::total_cmp);
            v
        };
        let batch = psi::psi_quantile_bins(&values, &values, 10).unwrap();
        assert_eq!(r.features[0].edges, batch.edges);
        assert_eq!(r.features[0].counts, batch.reference_counts);
        // Folding the reference's own values gives its counts and PSI 0.
        let records: Vec<Value> = values.iter().map(|v| json!({ "x": v })).collect();
        let profile = fold_all(&r, &records);
        assert_eq!(profile.features[0].counts, r.features[0].counts);
        let report = r.drift(&profile, &LiveDriftOptions::default()).unwrap();
        assert_eq!(report.features[0].psi, Some(0.0));
        assert!(!report.features[0].drifted);
    }

    #[test]
    fn fold_counts_missing_non_finite_invalid_and_other() {
        let r = reference("x,color,flag\n1,red,yes\n2,blue,no\n3,red,Y\n4,,n\n");
        assert_eq!(r.features[1].categories, vec!["red", "blue"]);
        assert_eq!(r.features[1].missing, 1);
        assert_eq!(r.features[2].categories, vec!["false", "true"]);
        assert_eq!(r.features[2].counts, vec![2, 2, 0]);
        let profile = fold_all(
            &r,
            &[
                json!({"x": 2.5, "color": "red", "flag": true}),
                json!({"x": "NaN", "color": "green", "flag": false}),
                json!({"x": "abc", "color": null}),
                json!({"x": [1], "color": {"a": 1}, "flag": "true"}),
                json!({"x": "3", "color": 7}),
            ],
        );
        assert_eq!(profile.records, 5);
        let x = &profile.features[0];
        assert_eq!((x.missing, x.non_finite, x.invalid, x.counts.iter().sum::<u64>()), (0, 1, 2, 2));
        let color = &profile.features[1];
        assert_eq!(color.counts, vec![1, 0, 2]);
        assert_eq!((color.missing, color.invalid), (1, 1));
        let flag = &profile.features[2];
        assert_eq!(flag.counts, vec![1, 2, 0]);
        assert_eq!(flag.missing, 2);
    }

    #[test]
    fn fold_valid_skips_records_with_violations() {
        let r = reference("x\n1\n2\n3\n4\n1\n");
        let contract = crate::contract::Contract::from_json(
            r#"{"format": "modelgate-contract", "format_version": 1, "version": "1",
                "fields": [{"name": "x", "type": "number", "minimum": 0, "maximum": 10}]}"#,
        )
        .unwrap();
        let records: Vec<Record> =
            [json!({"x": 1}), json!({"x": 50}), json!({"x": 2}), json!({"x": -1}), json!({"x": 3})]
                .into_iter()
                .map(|v| v.as_object().unwrap().clone())
                .collect();
        let violations = crate::validate::validate_records(&contract, &records);
        assert_eq!(violations.iter().map(|v| v.instance).collect::<Vec<_>>(), [1, 3]);
        let mut profile = r.empty_profile();
        assert_eq!(r.fold_valid(&mut profile, &records, &violations), 3);
        assert_eq!(profile.records, 3);
        assert_eq!(profile.features[0].counts.iter().sum::<u64>(), 3);
    }

    #[test]
    fn merge_is_the_sum_and_refuses_other_references() {
        let r = reference("x,c\n1,a\n2,b\n3,a\n4,b\n5,a\n");
        let records: Vec<Value> =
            (0..40).map(|i| json!({"x": i % 7, "c": if i % 3 == 0 { "a" } else { "b" }})).collect();
        let whole = fold_all(&r, &records);
        let mut left = fold_all(&r, &records[..13]);
        let right = fold_all(&r, &records[13..]);
        left.merge(&right).unwrap();
        assert_eq!(left, whole);
        let text = left.to_json();
        assert_eq!(LiveProfile::from_json(&text).unwrap(), whole);

        let other = reference("x,c\n10,a\n20,b\n");
        let mut foreign = other.empty_profile();
        assert!(foreign.merge(&whole).unwrap_err().message.contains("cannot merge"));
        assert!(other.drift(&whole, &LiveDriftOptions::default()).is_err());
    }

    #[test]
    fn drift_needs_min_count_and_flags_a_shift() {
        let mut csv = String::from("x,c\n");
        for i in 0..200 {
            csv.push_str(&format!("{},{}\n", i % 100, if i % 2 == 0 { "a" } else { "b" }));
        }
        let r = reference(&csv);
        let few = fold_all(&r, &[json!({"x": 500, "c": "a"})]);
        let report = r.drift(&few, &LiveDriftOptions::default()).unwrap();
        assert_eq!(report.tested_features, 0);
        assert!(report.features[0].note.as_deref().unwrap().contains("at least 30"));
        let shifted: Vec<Value> = (0..100).map(|i| json!({"x": 80 + i % 20, "c": "a"})).collect();
        let report = r.drift(&fold_all(&r, &shifted), &LiveDriftOptions::default()).unwrap();
        assert_eq!((report.tested_features, report.drifted_features), (2, 2));
        assert!(report.dataset_drift);
        // Live counts: all in the top two deciles.
        let x = &report.features[0];
        assert_eq!(x.live_counts.iter().rev().take(2).sum::<u64>(), 100);
        assert_eq!(x.labels.len(), x.live_counts.len());
        let same: Vec<Value> =
            (0..200).map(|i| json!({"x": i % 100, "c": if i % 2 == 0 { "a" } else { "b" }})).collect();
        let report = r.drift(&fold_all(&r, &same), &LiveDriftOptions::default()).unwrap();
        assert_eq!(report.drifted_features, 0);
        assert_eq!(report.features[1].chi2_p_value, Some(1.0));
    }

    #[test]
    fn reference_round_trips_and_bad_files_are_named() {
        let r = reference("x,c,id\n1,a,u1\n2,b,u2\n3,a,u3\n");
        let back = LiveReference::from_json(&r.to_json()).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.key(), r.key());
        let mut bad: Value = serde_json::from_str(&r.to_json()).unwrap();
        bad["features"][0]["counts"] = json!([1]);
        let e = LiveReference::from_json(&bad.to_string()).unwrap_err();
        assert!(e.message.starts_with("live reference: features[0] (\"x\").counts: has 1 entries"), "{e}");
        assert!(LiveReference::from_json("{").unwrap_err().message.starts_with("live reference: line 1"));
    }
}
