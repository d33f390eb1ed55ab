//! The reference-profile file: a compact, versioned JSON form of a
//! [`DatasetProfile`] (documented in `docs/profile.md`).
//!
//! Everything derived (column types, exact moments, sample hashes) is
//! recomputed on load, so a file edited by hand cannot make the report lie
//! about what it was computed from; a malformed file is a [`ProfileError`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dataset::{
    CellCounts, ColumnProfile, ColumnType, DatasetProfile, Moments, ProfileError, ProfileOptions, RowSample,
    SampleCell, PROFILE_FORMAT, PROFILE_VERSION,
};
use crate::hll::Hll;
use crate::sketch::QuantileSketch;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProfileFile {
    format: String,
    version: u32,
    source: String,
    rows: u64,
    delimiter: String,
    options: ProfileOptions,
    columns: Vec<ColumnFile>,
    sample: SampleFile,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnFile {
    name: String,
    /// Informational: recomputed on load.
    #[serde(rename = "type")]
    column_type: ColumnType,
    counts: CellCounts,
    integral: u64,
    exact_cap: u64,
    /// Whether `values` holds every finite value (otherwise `sketch` does).
    exact: bool,
    /// Distinct finite values, ascending, with `value_counts` beside them; present while exact.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    values: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    value_counts: Option<Vec<u64>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    sketch: Option<QuantileSketch>,
    moments: MomentsFile,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    text_categories: Option<Vec<(String, u64)>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    number_categories: Option<Vec<(f64, u64)>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    distinct_sketch: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MomentsFile {
    n: u64,
    mean: f64,
    m2: f64,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleFile {
    cap: usize,
    truncated: bool,
    counts: Vec<u64>,
    rows: Vec<Vec<CellFile>>,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum CellFile {
    Number(f64),
    Text(String),
    Missing(()),
}

fn err(source: &str, message: impl Into<String>) -> ProfileError {
    ProfileError { source: source.to_string(), message: message.into() }
}

/// A profile's JSON (a file, or a hand-over's head) is read whole: refused past the limit.
fn check_size(source: &str, len: usize) -> Result<(), ProfileError> {
    if len > crate::limits::MAX_PROFILE_BYTES {
        return Err(err(
            source,
            format!(
                "{len} bytes is more than the {}-byte limit for a profile file",
                crate::limits::MAX_PROFILE_BYTES
            ),
        ));
    }
    Ok(())
}

impl ProfileFile {
    pub(crate) fn from_profile(p: &DatasetProfile) -> ProfileFile {
        Self::from_profile_with(p, true)
    }

    /// [`ProfileFile::from_profile`], with the exact values as distinct values and
    /// counts when `exact_values`, without them otherwise (for a hand-over, which
    /// carries them as they are held).
    fn from_profile_with(p: &DatasetProfile, exact_values: bool) -> ProfileFile {
        let columns = p
            .columns
            .iter()
            .map(|c| {
                let (values, value_counts) = if c.exact && exact_values {
                    let mut v = Vec::new();
                    let mut n: Vec<u64> = Vec::new();
                    for &x in &c.values {
                        if v.last() == Some(&x) {
                            *n.last_mut().unwrap_or(&mut 0) += 1;
                        } else {
                            v.push(x);
                            n.push(1);
                        }
                    }
                    (Some(v), Some(n))
                } else {
                    (None, None)
                };
                ColumnFile {
                    name: c.name.clone(),
                    column_type: c.column_type,
                    counts: c.counts,
                    integral: c.integral,
                    exact_cap: c.exact_cap,
                    exact: c.exact,
                    values,
                    value_counts,
                    sketch: if c.exact { None } else { c.sketch.clone() },
                    moments: MomentsFile {
                        n: c.moments.n,
                        mean: c.moments.mean,
                        m2: c.moments.m2,
                        min: (c.moments.n > 0).then_some(c.moments.min),
                        max: (c.moments.n > 0).then_some(c.moments.max),
                    },
                    text_categories: c
                        .text_categories
                        .as_ref()
                        .map(|m| m.iter().map(|(k, &n)| (k.clone(), n)).collect()),
                    number_categories: c.number_categories.clone(),
                    distinct_sketch: c.distinct_sketch.as_ref().map(Hll::to_hex),
                }
            })
            .collect();
        let rows: Vec<&crate::dataset::SampleRow> = p.sample.rows().collect();
        ProfileFile {
            format: PROFILE_FORMAT.to_string(),
            version: PROFILE_VERSION,
            source: p.source.clone(),
            rows: p.rows,
            delimiter: (p.delimiter as char).to_string(),
            options: p.options,
            columns,
            sample: SampleFile {
                cap: p.sample.cap,
                truncated: p.sample.truncated,
                counts: rows.iter().map(|r| r.count).collect(),
                rows: rows
                    .iter()
                    .map(|r| {
                        r.cells
                            .iter()
                            .map(|c| match c {
                                SampleCell::Missing => CellFile::Missing(()),
                                SampleCell::Number(v) => CellFile::Number(*v),
                                SampleCell::Text(s) => CellFile::Text(s.to_string()),
                            })
                            .collect()
                    })
                    .collect(),
            },
        }
    }

    /// The JSON part of a hand-over: the profile file without its exact values.
    pub(crate) fn hand_over_head(p: &DatasetProfile) -> Vec<u8> {
        serde_json::to_vec(&ProfileFile::from_profile_with(p, false)).unwrap_or_default()
    }

    /// A profile from [`ProfileFile::hand_over_head`]'s bytes and each column's
    /// exact values as the profile held them, with the checks of the JSON file.
    pub(crate) fn from_hand_over(
        source: &str,
        head: &[u8],
        values: Vec<Option<Vec<f64>>>,
    ) -> Result<DatasetProfile, ProfileError> {
        let malformed = |what: &str| err(source, format!("malformed profile hand-over: {what}"));
        check_size(source, head.len())?;
        let text = std::str::from_utf8(head).map_err(|_| malformed("the JSON part is not UTF-8"))?;
        let file = ProfileFile::parse_file(source, text)?;
        if file.columns.iter().any(|c| c.values.is_some() || c.value_counts.is_some()) {
            return Err(malformed("exact values in the JSON part"));
        }
        if values.len() != file.columns.len() {
            return Err(malformed(&format!(
                "{} value arrays for {} columns",
                values.len(),
                file.columns.len()
            )));
        }
        file.into_profile(source, values)
    }

    pub(crate) fn parse(source: &str, text: &str) -> Result<DatasetProfile, ProfileError> {
        check_size(source, text.len())?;
        let file = ProfileFile::parse_file(source, text)?;
        let values = file.columns.iter().map(|_| None).collect();
        file.into_profile(source, values)
    }

    fn parse_file(source: &str, text: &str) -> Result<ProfileFile, ProfileError> {
        // A light first look (other fields are skipped, not built), so a file of
        // another kind or version gets a clear message rather than a field error.
        #[derive(Deserialize)]
        struct Probe {
            format: Option<String>,
            version: Option<u64>,
        }
        let probe: Probe =
            serde_json::from_str(text).map_err(|e| err(source, format!("not a JSON profile: {e}")))?;
        if probe.format.as_deref() != Some(PROFILE_FORMAT) {
            return Err(err(
                source,
                format!("not a modelgate profile (no \"format\": \"{PROFILE_FORMAT}\")"),
            ));
        }
        let version = probe.version.unwrap_or(0);
        if version != u64::from(PROFILE_VERSION) {
            return Err(err(
                source,
                format!("unsupported profile version {version} (this build reads version {PROFILE_VERSION})"),
            ));
        }
        serde_json::from_str(text).map_err(|e| err(source, format!("malformed profile: {e}")))
    }

    /// The profile this file describes. `sorted` holds per column the exact values
    /// of a hand-over (sorted, repeats included); `None` for a column whose
    /// values, if any, are in the file as distinct values and counts.
    fn into_profile(
        self,
        source: &str,
        sorted: Vec<Option<Vec<f64>>>,
    ) -> Result<DatasetProfile, ProfileError> {
        let delimiter = match self.delimiter.as_bytes() {
            [d] => *d,
            _ => return Err(err(source, "malformed profile: \"delimiter\" must be one ASCII character")),
        };
        let mut columns = Vec::with_capacity(self.columns.len());
        // What the exact values of all columns may still expand to.
        let mut budget = crate::limits::MAX_PROFILE_EXACT_VALUES;
        // One column at a time, each file column freed once converted.
        for (c, sorted) in self.columns.into_iter().zip(sorted) {
            columns.push(column(source, c, sorted, self.rows, &mut budget)?);
        }
        let mut sample = RowSample::new(self.sample.cap);
        if self.sample.counts.len() != self.sample.rows.len() {
            return Err(err(source, "malformed profile: sample counts and rows differ in length"));
        }
        for (count, row) in self.sample.counts.iter().zip(self.sample.rows) {
            if row.len() != columns.len() {
                return Err(err(source, "malformed profile: a sample row has the wrong number of cells"));
            }
            let cells: Vec<SampleCell> = row
                .into_iter()
                .map(|c| match c {
                    CellFile::Missing(()) => SampleCell::Missing,
                    CellFile::Number(v) => SampleCell::Number(v),
                    CellFile::Text(s) => SampleCell::Text(s.into()),
                })
                .collect();
            if *count == 0 {
                return Err(err(source, "malformed profile: a sample row with count 0"));
            }
            sample.push_cells_n(cells, *count);
        }
        sample.truncated = self.sample.truncated;
        Ok(DatasetProfile {
            source: self.source,
            rows: self.rows,
            delimiter,
            columns,
            sample,
            options: self.options,
        })
    }
}

fn column(
    source: &str,
    c: ColumnFile,
    sorted: Option<Vec<f64>>,
    rows: u64,
    budget: &mut u64,
) -> Result<ColumnProfile, ProfileError> {
    let bad = |what: &str| err(source, format!("malformed profile: column \"{}\": {what}", c.name));
    let counts = c.counts;
    let parts = [
        counts.nulls,
        counts.nan,
        counts.pos_inf,
        counts.neg_inf,
        counts.numbers,
        counts.booleans,
        counts.datetimes,
        counts.text,
    ];
    let sum = parts.iter().try_fold(0u64, |a, &b| a.checked_add(b));
    if counts.rows != rows || sum != Some(rows) {
        return Err(bad("cell counts do not add up to the rows"));
    }
    let exact = c.exact;
    let mut values = Vec::new();
    if exact && c.values.is_none() && sorted.is_none() {
        return Err(bad("an exact column without values"));
    }
    if !exact && sorted.is_some() {
        return Err(bad("values for a column that is not exact"));
    }
    // The exact values a column claims: as many as its finite numbers, within its
    // cap and what is left of the profile's budget, from which they are taken.
    // Run-length encoded values let a file of a few bytes claim any number of
    // copies, so this comes before anything is allocated.
    let mut claim = |n: u64| {
        if n != counts.numbers {
            return Err(bad("value counts do not add up to the finite numbers"));
        }
        if n > c.exact_cap {
            return Err(bad("more exact values than the column's exact cap"));
        }
        if n > *budget {
            return Err(bad(&format!(
                "more exact values than a profile may hold ({} over all columns)",
                crate::limits::MAX_PROFILE_EXACT_VALUES
            )));
        }
        *budget -= n;
        Ok(())
    };
    if let Some(sorted) = sorted {
        claim(sorted.len() as u64)?;
        // Ascending with repeats: `<=` between neighbours, and finite (NaN fails both).
        let ordered = sorted.first().is_none_or(|x| x.is_finite())
            && sorted.windows(2).all(|w| w[0] <= w[1] && w[1].is_finite());
        if !ordered {
            return Err(bad("values must be finite and ascending"));
        }
        values = sorted;
    } else if let Some(v) = c.values.as_ref().filter(|_| exact) {
        let n = c.value_counts.as_ref().ok_or_else(|| bad("values without value_counts"))?;
        if n.len() != v.len() || v.iter().any(|x| !x.is_finite()) || v.windows(2).any(|w| w[0] >= w[1]) {
            return Err(bad("values must be finite, distinct and ascending, with one count each"));
        }
        let total = n.iter().try_fold(0u64, |a, &b| a.checked_add(b)).unwrap_or(u64::MAX);
        claim(total)?;
        // A file may claim any count: refuse what cannot be allocated instead of aborting.
        values
            .try_reserve_exact(usize::try_from(total).unwrap_or(usize::MAX))
            .map_err(|_| bad("too many values to hold in memory"))?;
        for (&x, &k) in v.iter().zip(n) {
            values.extend(std::iter::repeat_n(x, k as usize));
        }
    } else if counts.numbers > 0 {
        let s = c.sketch.as_ref().ok_or_else(|| bad("finite numbers but neither values nor a sketch"))?;
        if s.count() != counts.numbers {
            return Err(bad("the sketch count differs from the finite numbers"));
        }
    }
    let moments = if exact {
        Moments::of_sorted(&values)
    } else {
        Moments {
            n: c.moments.n,
            mean: c.moments.mean,
            m2: c.moments.m2,
            min: c.moments.min.unwrap_or(f64::INFINITY),
            max: c.moments.max.unwrap_or(f64::NEG_INFINITY),
        }
    };
    if moments.n != counts.numbers {
        return Err(bad("moments count differs from the finite numbers"));
    }
    // Past the exact cap the moments come from the file: drift's bin edges span
    // min to max, and a min above max (or none) made them descend.
    let m = &moments;
    if m.n > 0
        && !(m.min.is_finite()
            && m.max.is_finite()
            && m.min <= m.max
            && m.mean.is_finite()
            && m.m2.is_finite()
            && m.m2 >= 0.0)
    {
        return Err(bad("moments must be finite, with min at most max and m2 not negative"));
    }
    // Drift walks these as a sorted list with running totals.
    if let Some(pairs) = &c.number_categories {
        let total = pairs.iter().try_fold(0u64, |a, p| a.checked_add(p.1));
        if pairs.iter().any(|p| !p.0.is_finite() || p.1 == 0)
            || pairs.windows(2).any(|w| w[0].0.total_cmp(&w[1].0) != std::cmp::Ordering::Less)
            || total != Some(counts.numbers)
        {
            return Err(bad(
                "number_categories must be finite, distinct and ascending, with counts adding up to the finite numbers",
            ));
        }
    }
    let distinct_sketch = match &c.distinct_sketch {
        Some(h) => Some(Hll::from_hex(h).ok_or_else(|| bad("distinct_sketch is not 8192 hex digits"))?),
        None => None,
    };
    let text_categories: Option<BTreeMap<String, u64>> = c.text_categories.map(|v| v.into_iter().collect());
    let mut profile = ColumnProfile {
        name: c.name.clone(),
        column_type: c.column_type,
        counts,
        integral: c.integral,
        values,
        exact,
        sketch: if exact { None } else { c.sketch },
        moments,
        categories: None,
        text_categories,
        number_categories: c.number_categories,
        distinct_sketch,
        exact_cap: c.exact_cap,
    };
    profile.refresh();
    Ok(profile)
}
