//! Mergeable profiles: what ingest produces and every check consumes.
//!
//! A [`DatasetProfile`] (also named [`Dataset`]) holds, per column, everything
//! the drift methods need and nothing that grows without bound:
//!
//! - cell counts (nulls, NaN and the infinities apart from finite numbers);
//! - the finite values themselves, sorted, while the column has at most
//!   [`ProfileOptions::exact_cap`] of them (exact methods); past the cap a
//!   [`QuantileSketch`] with a relative error of 2^-8 replaces them, and the
//!   drift methods state the resulting error bound;
//! - moments (count, mean, sum of squared deviations, min, max);
//! - category counts, up to [`MAX_TRACKED_CATEGORIES`] distinct texts and
//!   [`MAX_TRACKED_NUMBERS`] distinct numbers (past that a HyperLogLog estimates
//!   the distinct count, to tell identifiers from free text);
//!
//! and, per dataset, a deterministic sample of distinct rows ([`RowSample`]) for
//! correlations and feature-target association.
//!
//! Profiles merge ([`DatasetProfile::merge`]): counts, values, sketches,
//! categories and the row sample merge exactly, so profiling chunks apart and
//! merging gives what profiling the whole gives; only the floating-point
//! moments of a column past its exact cap may differ in the last bits. A
//! profile serialises to the versioned JSON described in `docs/profile.md`.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::hll::{hash_bytes, mix64, Hll};
use crate::sketch::QuantileSketch;
use crate::value::Cell;

/// Distinct values tracked per column before a column is declared high-cardinality.
///
/// Above this many distinct non-numeric values a column is text or an
/// identifier, not a category, and its category counts are dropped to bound memory.
pub const MAX_TRACKED_CATEGORIES: usize = 10_000;

/// Distinct numeric values tracked per column; enough to spot low-cardinality
/// numeric columns (codes, flags, ratings) that are better tested as categories.
pub const MAX_TRACKED_NUMBERS: usize = 1_024;

/// A column with more distinct values than this, and more than half its rows
/// distinct, is treated as text rather than as a category.
const CATEGORICAL_MAX_DISTINCT: usize = 50;

/// Past the category cap, a text column whose estimated distinct count is at
/// least this share of its values is an identifier.
const IDENTIFIER_DISTINCT_SHARE: f64 = 0.95;

/// Version of the profile file format written by [`DatasetProfile::to_json`].
pub const PROFILE_VERSION: u32 = 1;
/// The `format` field of a profile file.
pub const PROFILE_FORMAT: &str = "modelgate-profile";

/// Limits that decide what a profile keeps exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileOptions {
    /// Most finite values kept exactly per column (the exact cap is the smaller of this and
    /// `exact_budget` divided by the number of columns).
    pub exact_values: u64,
    /// Most finite values kept exactly over all columns of a dataset, so wide files stay bounded.
    pub exact_budget: u64,
    /// Distinct rows kept in the row sample.
    pub sample_rows: usize,
}

impl Default for ProfileOptions {
    fn default() -> Self {
        ProfileOptions { exact_values: 1_000_000, exact_budget: 8_000_000, sample_rows: 10_000 }
    }
}

impl ProfileOptions {
    /// The exact cap per column for a dataset of `columns` columns.
    pub fn exact_cap(&self, columns: usize) -> u64 {
        self.exact_values.min(self.exact_budget / columns.max(1) as u64)
    }
}

/// The inferred type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// Real numbers (including NaN or infinities, or values written with a fraction).
    Numeric,
    /// Whole numbers written without a fraction or exponent.
    Integer,
    /// `true`/`false`, `yes`/`no`, `t`/`f`, `y`/`n`.
    Boolean,
    /// A small set of repeated values.
    Categorical,
    /// Every value distinct, such as a row id or a key: not a feature to test.
    Identifier,
    /// Many distinct values that are not all unique, such as free text.
    Text,
    /// ISO 8601 dates or date-times.
    Datetime,
    /// No value at all: every cell is null.
    Empty,
}

impl ColumnType {
    /// The name used in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Numeric => "numeric",
            ColumnType::Integer => "integer",
            ColumnType::Boolean => "boolean",
            ColumnType::Categorical => "categorical",
            ColumnType::Identifier => "identifier",
            ColumnType::Text => "text",
            ColumnType::Datetime => "datetime",
            ColumnType::Empty => "empty",
        }
    }

    /// Numeric or integer.
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::Numeric | ColumnType::Integer)
    }
}

impl std::fmt::Display for ColumnType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many cells of a column fell in each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellCounts {
    /// Rows in the dataset.
    pub rows: u64,
    /// Empty cells and null tokens.
    pub nulls: u64,
    /// NaN values.
    pub nan: u64,
    /// Positive infinity.
    pub pos_inf: u64,
    /// Negative infinity.
    pub neg_inf: u64,
    /// Finite numbers.
    pub numbers: u64,
    /// Booleans.
    pub booleans: u64,
    /// Dates and date-times.
    pub datetimes: u64,
    /// Other text.
    pub text: u64,
}

impl CellCounts {
    /// Cells holding a value (everything except nulls).
    pub fn present(&self) -> u64 {
        self.rows - self.nulls
    }

    /// Saturating: counts read from a hostile file must not overflow.
    fn add(&mut self, o: &CellCounts) {
        self.rows = self.rows.saturating_add(o.rows);
        self.nulls = self.nulls.saturating_add(o.nulls);
        self.nan = self.nan.saturating_add(o.nan);
        self.pos_inf = self.pos_inf.saturating_add(o.pos_inf);
        self.neg_inf = self.neg_inf.saturating_add(o.neg_inf);
        self.numbers = self.numbers.saturating_add(o.numbers);
        self.booleans = self.booleans.saturating_add(o.booleans);
        self.datetimes = self.datetimes.saturating_add(o.datetimes);
        self.text = self.text.saturating_add(o.text);
    }
}

/// Count, mean, sum of squared deviations, min and max of the finite values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Finite values.
    pub n: u64,
    /// Their mean (0 when `n == 0`).
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
    /// Smallest value (+inf when `n == 0`).
    pub min: f64,
    /// Largest value (-inf when `n == 0`).
    pub max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments { n: 0, mean: 0.0, m2: 0.0, min: f64::INFINITY, max: f64::NEG_INFINITY }
    }
}

impl Moments {
    /// Welford's update.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        // Comparisons rather than f64::min/max, which wasm lowers to library calls.
        if x < self.min {
            self.min = x;
        }
        if x > self.max {
            self.max = x;
        }
    }

    /// Chan, Golub and LeVeque's pairwise combination.
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        let (na, nb) = (self.n as f64, o.n as f64);
        self.mean += d * nb / n as f64;
        self.m2 += o.m2 + d * d * na * nb / n as f64;
        self.n = n;
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
    }

    /// Two passes over sorted values: the same numbers whatever order they arrived in.
    pub fn of_sorted(values: &[f64]) -> Self {
        if values.is_empty() {
            return Moments::default();
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let m2 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
        Moments { n: values.len() as u64, mean, m2, min: values[0], max: values[values.len() - 1] }
    }

    /// Population standard deviation (numpy's `np.std`, `ddof=0`).
    pub fn std(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            (self.m2.max(0.0) / self.n as f64).sqrt()
        }
    }
}

/// One column's mergeable profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnProfile {
    /// Header name.
    pub name: String,
    /// Inferred type (derived from the rest; recomputed on merge).
    pub column_type: ColumnType,
    /// Cell counts.
    pub counts: CellCounts,
    /// Finite values written without a fraction or exponent.
    pub integral: u64,
    /// Finite numeric values, sorted ascending, while the column is exact
    /// ([`ColumnProfile::exact`]); empty otherwise and for non-numeric columns.
    pub values: Vec<f64>,
    /// Whether `values` holds every finite value (at most the exact cap of them).
    pub exact: bool,
    /// The quantile sketch of the finite values once past the exact cap.
    pub sketch: Option<QuantileSketch>,
    /// Moments of the finite values.
    pub moments: Moments,
    /// Distinct values and their counts, most frequent first (ties by value), when the
    /// column has few enough distinct values to track; `None` when it has too many.
    ///
    /// Numbers are keyed by their shortest round-trip spelling (`1`, `2.5`), so `1`
    /// and `1.0` are one category.
    pub categories: Option<Vec<(String, u64)>>,
    /// Text (non-numeric) values and their counts, by value; `None` past [`MAX_TRACKED_CATEGORIES`].
    pub text_categories: Option<BTreeMap<String, u64>>,
    /// Finite numbers and their counts, by value; `None` past [`MAX_TRACKED_NUMBERS`].
    pub number_categories: Option<Vec<(f64, u64)>>,
    /// Distinct-count sketch of the texts, once the text categories overflowed.
    pub distinct_sketch: Option<Hll>,
    /// The exact cap this column was profiled with.
    pub exact_cap: u64,
}

/// The former name of [`ColumnProfile`].
pub type Column = ColumnProfile;

impl ColumnProfile {
    /// Number of distinct values, when known exactly.
    pub fn distinct(&self) -> Option<usize> {
        self.categories.as_ref().map(Vec::len)
    }

    /// Estimated distinct values past the category cap.
    pub fn distinct_estimate(&self) -> Option<f64> {
        match (&self.categories, &self.distinct_sketch) {
            (Some(c), _) => Some(c.len() as f64),
            (None, Some(h)) => Some(h.estimate()),
            _ => None,
        }
    }

    /// The sketch of the finite values: the stored one, or one built from the exact values.
    pub fn sketch_or_build(&self) -> QuantileSketch {
        match &self.sketch {
            Some(s) => s.clone(),
            None => {
                let mut s = QuantileSketch::new();
                for &v in &self.values {
                    s.insert(v);
                }
                s
            }
        }
    }

    /// Merges `other` (a profile of the same column over other rows) into this one.
    pub fn merge(&mut self, other: &ColumnProfile) {
        self.counts.add(&other.counts);
        self.integral = self.integral.saturating_add(other.integral);
        self.exact_cap = self.exact_cap.min(other.exact_cap);
        let total = self.moments.n + other.moments.n;
        if self.exact && other.exact && total <= self.exact_cap {
            self.values = merge_sorted(&self.values, &other.values);
            self.moments = Moments::of_sorted(&self.values);
        } else {
            let mut sketch = self.sketch_or_build();
            sketch.merge(&other.sketch_or_build());
            self.moments.merge(&other.moments);
            self.sketch = (sketch.count() > 0).then_some(sketch);
            self.values = Vec::new();
            self.exact = false;
        }
        self.number_categories = match (self.number_categories.take(), &other.number_categories) {
            (Some(a), Some(b)) => {
                let mut map: BTreeMap<u64, (f64, u64)> = BTreeMap::new();
                for &(v, n) in a.iter().chain(b) {
                    {
                        let e = map.entry(ordered_bits(v)).or_insert((v, 0));
                        e.1 = e.1.saturating_add(n);
                    }
                }
                (map.len() <= MAX_TRACKED_NUMBERS).then(|| map.into_values().collect())
            }
            _ => None,
        };
        match (self.text_categories.take(), &other.text_categories) {
            (Some(mut a), Some(b)) => {
                for (k, n) in b {
                    {
                        let e = a.entry(k.clone()).or_insert(0);
                        *e = e.saturating_add(*n);
                    }
                }
                if a.len() > MAX_TRACKED_CATEGORIES {
                    let mut h = Hll::default();
                    a.keys().for_each(|k| h.insert_str(k));
                    self.distinct_sketch = Some(h);
                } else {
                    self.text_categories = Some(a);
                }
            }
            (a, _) => {
                // At least one side overflowed: every distinct text goes into the union sketch.
                let mut h = self.distinct_sketch.take().unwrap_or_default();
                if let Some(a) = &a {
                    a.keys().for_each(|k| h.insert_str(k));
                }
                match (&other.text_categories, &other.distinct_sketch) {
                    (Some(b), _) => b.keys().for_each(|k| h.insert_str(k)),
                    (None, Some(oh)) => h.merge(oh),
                    (None, None) => {}
                }
                self.distinct_sketch = Some(h);
            }
        }
        self.refresh();
    }

    /// Recomputes what is derived: the category list and the type.
    pub(crate) fn refresh(&mut self) {
        self.categories =
            combined_categories(self.text_categories.as_ref(), self.number_categories.as_deref());
        self.column_type = infer_type(self);
    }
}

fn ordered_bits(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 0 {
        b | (1 << 63)
    } else {
        !b
    }
}

/// The public category list: texts and numbers together, most frequent first.
fn combined_categories(
    text: Option<&BTreeMap<String, u64>>,
    numbers: Option<&[(f64, u64)]>,
) -> Option<Vec<(String, u64)>> {
    let (text, numbers) = (text?, numbers?);
    let all: Vec<(String, u64)> = text
        .iter()
        .map(|(k, &n)| (k.clone(), n))
        .chain(numbers.iter().map(|&(v, n)| (v.to_string(), n)))
        .collect();
    Some(sort_categories(all))
}

fn merge_sorted(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn sort_categories(mut all: Vec<(String, u64)>) -> Vec<(String, u64)> {
    all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all
}

/// The type rules, as a function of the profile alone so merged profiles agree with whole ones.
fn infer_type(c: &ColumnProfile) -> ColumnType {
    let counts = &c.counts;
    let non_finite = counts.nan + counts.pos_inf + counts.neg_inf;
    let non_numeric = counts.booleans + counts.datetimes + counts.text;
    let numeric_cells = counts.numbers + non_finite;
    let present = counts.present();
    if present == 0 {
        ColumnType::Empty
    } else if non_numeric == 0 {
        if non_finite == 0 && c.integral == counts.numbers {
            if looks_like_identifier(c) {
                ColumnType::Identifier
            } else {
                ColumnType::Integer
            }
        } else {
            ColumnType::Numeric
        }
    } else if numeric_cells == 0 && counts.booleans == non_numeric {
        ColumnType::Boolean
    } else if numeric_cells == 0 && counts.datetimes == non_numeric {
        ColumnType::Datetime
    } else {
        match (&c.categories, &c.distinct_sketch) {
            (Some(cats), _)
                if cats.len() <= CATEGORICAL_MAX_DISTINCT || (cats.len() as u64) * 2 <= present =>
            {
                ColumnType::Categorical
            }
            (Some(cats), _) if cats.len() as u64 == present => ColumnType::Identifier,
            (None, Some(h)) if h.estimate() >= IDENTIFIER_DISTINCT_SHARE * present as f64 => {
                ColumnType::Identifier
            }
            _ => ColumnType::Text,
        }
    }
}

/// An integer column is an identifier when every value is distinct, there are
/// enough rows for that to mean something, and either the name says so or the
/// values are consecutive (a row number). Past the exact cap distinctness is
/// not known; the span `max - min + 1` must then equal the count.
fn looks_like_identifier(c: &ColumnProfile) -> bool {
    const MIN_ROWS: u64 = 20;
    let n = c.moments.n;
    if n < MIN_ROWS {
        return false;
    }
    let span = c.moments.max - c.moments.min + 1.0;
    let lower = c.name.to_ascii_lowercase();
    let named = ["id", "index", "key", "uuid"].contains(&lower.as_str())
        || lower.ends_with("_id")
        || lower.ends_with(" id")
        || c.name.ends_with("Id");
    if c.exact {
        if c.values.windows(2).any(|w| w[0] == w[1]) {
            return false;
        }
        named || span == n as f64
    } else {
        span == n as f64
    }
}

/// Accumulates one column while rows stream in.
#[derive(Debug)]
pub(crate) struct ColumnBuilder {
    name: String,
    counts: CellCounts,
    integral: u64,
    cap: u64,
    values: Vec<f64>,
    exact: bool,
    sketch: QuantileSketch,
    moments: Moments,
    /// Past the exact cap: distinct numbers (by bits), `None` once more than [`MAX_TRACKED_NUMBERS`].
    number_categories: Option<HashMap<u64, u64>>,
    text_categories: HashMap<Box<str>, u64>,
    text_overflow: bool,
    hll: Option<Hll>,
}

impl ColumnBuilder {
    pub(crate) fn new(name: String, cap: u64) -> Self {
        ColumnBuilder {
            name,
            counts: CellCounts::default(),
            integral: 0,
            cap,
            values: Vec::new(),
            exact: true,
            sketch: QuantileSketch::new(),
            moments: Moments::default(),
            number_categories: None,
            text_categories: HashMap::new(),
            text_overflow: false,
            hll: None,
        }
    }

    /// Classifies and counts one raw cell; returns the classification.
    #[inline]
    pub(crate) fn push(&mut self, raw: &str, decimal_comma: bool) -> Cell {
        let cell = crate::value::classify(raw, decimal_comma);
        self.push_cell(cell, raw);
        cell
    }

    pub(crate) fn push_cell(&mut self, cell: Cell, raw: &str) {
        self.counts.rows += 1;
        match cell {
            Cell::Null => self.counts.nulls += 1,
            Cell::Number { value, integral } => {
                if value.is_nan() {
                    self.counts.nan += 1;
                } else if value == f64::INFINITY {
                    self.counts.pos_inf += 1;
                } else if value == f64::NEG_INFINITY {
                    self.counts.neg_inf += 1;
                } else {
                    self.counts.numbers += 1;
                    self.integral += u64::from(integral);
                    // -0.0 and 0.0 are one value.
                    let value = if value == 0.0 { 0.0 } else { value };
                    if self.exact {
                        self.values.push(value);
                        if self.values.len() as u64 > self.cap {
                            self.spill();
                        }
                    } else {
                        self.push_inexact(value);
                    }
                }
            }
            Cell::Bool(_) => {
                self.counts.booleans += 1;
                self.count_text(crate::value::trim(raw));
            }
            Cell::Datetime => {
                self.counts.datetimes += 1;
                self.count_text(crate::value::trim(raw));
            }
            Cell::Text => {
                self.counts.text += 1;
                self.count_text(crate::value::trim(raw));
            }
        }
    }

    #[inline]
    fn push_inexact(&mut self, value: f64) {
        self.sketch.insert(value);
        self.moments.push(value);
        if let Some(map) = &mut self.number_categories {
            let len = map.len();
            match map.get_mut(&value.to_bits()) {
                Some(n) => *n += 1,
                None if len < MAX_TRACKED_NUMBERS => {
                    map.insert(value.to_bits(), 1);
                }
                None => self.number_categories = None,
            }
        }
    }

    /// Past the exact cap: the values move into the sketch, moments and number counts.
    fn spill(&mut self) {
        let mut values = std::mem::take(&mut self.values);
        sort_f64(&mut values);
        self.moments = Moments::of_sorted(&values);
        self.number_categories =
            number_runs(&values).map(|runs| runs.into_iter().map(|(v, n)| (v.to_bits(), n)).collect());
        for &v in &values {
            self.sketch.insert(v);
        }
        self.exact = false;
    }

    fn count_text(&mut self, value: &str) {
        if self.text_overflow {
            if let Some(h) = &mut self.hll {
                h.insert_str(value);
            }
            return;
        }
        if let Some(n) = self.text_categories.get_mut(value) {
            *n += 1;
        } else if self.text_categories.len() < MAX_TRACKED_CATEGORIES {
            self.text_categories.insert(value.into(), 1);
        } else {
            // A HyperLogLog of every distinct text so far, then of every text to come.
            let mut h = Hll::default();
            for k in self.text_categories.keys() {
                h.insert_str(k);
            }
            h.insert_str(value);
            self.hll = Some(h);
            self.text_overflow = true;
            self.text_categories = HashMap::new();
        }
    }

    pub(crate) fn finish(self) -> ColumnProfile {
        let ColumnBuilder {
            name,
            counts,
            integral,
            cap,
            mut values,
            exact,
            sketch,
            mut moments,
            number_categories,
            text_categories,
            text_overflow,
            hll,
        } = self;
        let numbers: Option<Vec<(f64, u64)>> = if exact {
            sort_f64(&mut values);
            moments = Moments::of_sorted(&values);
            number_runs(&values)
        } else {
            number_categories.map(|m| {
                let mut v: Vec<(f64, u64)> =
                    m.into_iter().map(|(bits, n)| (f64::from_bits(bits), n)).collect();
                v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
                v
            })
        };
        let text: Option<BTreeMap<String, u64>> = (!text_overflow)
            .then(|| text_categories.into_iter().map(|(k, n)| (k.into_string(), n)).collect());
        let categories = combined_categories(text.as_ref(), numbers.as_deref());
        let mut profile = ColumnProfile {
            name,
            column_type: ColumnType::Empty,
            counts,
            integral,
            values,
            exact,
            sketch: (!exact).then_some(sketch),
            moments,
            categories,
            text_categories: text,
            number_categories: numbers,
            distinct_sketch: hll,
            exact_cap: cap,
        };
        profile.column_type = infer_type(&profile);
        profile
    }
}

/// Distinct values of sorted data with their counts; `None` past [`MAX_TRACKED_NUMBERS`].
fn number_runs(sorted: &[f64]) -> Option<Vec<(f64, u64)>> {
    let mut runs: Vec<(f64, u64)> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let v = sorted[i];
        let mut j = i + 1;
        while j < sorted.len() && sorted[j] == v {
            j += 1;
        }
        if runs.len() == MAX_TRACKED_NUMBERS {
            return None;
        }
        runs.push((v, (j - i) as u64));
        i = j;
    }
    Some(runs)
}

/// Sorts finite values ascending: an LSD radix sort (five passes of 13 bits) on
/// the order-preserving bit pattern for large inputs (several times faster than
/// a comparison sort on a million values), the standard sort for small ones.
pub(crate) fn sort_f64(values: &mut [f64]) {
    const SMALL: usize = 2048;
    if values.len() <= SMALL {
        values.sort_unstable_by(f64::total_cmp);
        return;
    }
    let mut keys: Vec<u64> = values
        .iter()
        .map(|v| {
            let b = v.to_bits();
            if b >> 63 == 0 {
                b | (1 << 63)
            } else {
                !b
            }
        })
        .collect();
    // Five passes of 13 bits; all five digit histograms are counted in one read.
    const BITS: u32 = 13;
    const RADIX: usize = 1 << BITS;
    let mut counts = vec![[0usize; RADIX]; 5];
    for &k in &keys {
        for (pass, c) in counts.iter_mut().enumerate() {
            c[((k >> (pass as u32 * BITS)) as usize) & (RADIX - 1)] += 1;
        }
    }
    let mut scratch = vec![0u64; keys.len()];
    for (pass, c) in counts.iter_mut().enumerate() {
        // A pass where every key has the same digit changes nothing.
        if c.contains(&keys.len()) {
            continue;
        }
        let shift = pass as u32 * BITS;
        let mut sum = 0;
        for slot in c.iter_mut() {
            let n = *slot;
            *slot = sum;
            sum += n;
        }
        for &k in &keys {
            let d = ((k >> shift) as usize) & (RADIX - 1);
            scratch[c[d]] = k;
            c[d] += 1;
        }
        std::mem::swap(&mut keys, &mut scratch);
    }
    for (v, k) in values.iter_mut().zip(&keys) {
        *v = f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k });
    }
}

/// One cell of a sampled row.
#[derive(Debug, Clone, PartialEq)]
pub enum SampleCell {
    /// Null, NaN or infinite.
    Missing,
    /// A finite number.
    Number(f64),
    /// A boolean, date or text, trimmed as written.
    Text(Box<str>),
}

impl SampleCell {
    fn hash(&self) -> u64 {
        match self {
            SampleCell::Missing => 0x5555_5555_5555_5555,
            SampleCell::Number(v) => mix64(v.to_bits() ^ 0x1234_5678_9ABC_DEF0),
            SampleCell::Text(s) => hash_bytes(s.as_bytes()),
        }
    }

    fn same(&self, o: &SampleCell) -> bool {
        match (self, o) {
            (SampleCell::Number(a), SampleCell::Number(b)) => a.to_bits() == b.to_bits(),
            _ => self == o,
        }
    }
}

/// A sampled distinct row and how many times it occurred.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleRow {
    /// Occurrences of this exact row.
    pub count: u64,
    /// Its cells, in column order.
    pub cells: Vec<SampleCell>,
}

/// A deterministic sample of distinct rows: the `cap` distinct rows whose
/// content hash is smallest, each with its exact number of occurrences
/// (bottom-k sampling over distinct rows). When the data has at most `cap`
/// distinct rows the sample is the whole data. Merging keeps the smallest
/// hashes of the union, which is exactly the sample of the whole data, so the
/// sample merges exactly and in any order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowSample {
    /// Most distinct rows kept.
    pub cap: usize,
    /// Rows by content hash.
    rows: BTreeMap<u64, Vec<SampleRow>>,
    len: usize,
    /// Whether a row was ever dropped (so the sample is not the whole data).
    pub truncated: bool,
    /// The largest hash kept once full (`u64::MAX` before): a row with a larger
    /// one is rejected without touching the map.
    threshold: u64,
}

impl RowSample {
    /// An empty sample of at most `cap` distinct rows.
    pub fn new(cap: usize) -> Self {
        RowSample { cap, threshold: u64::MAX, ..Default::default() }
    }

    fn update_threshold(&mut self) {
        self.threshold = if self.len < self.cap {
            u64::MAX
        } else {
            self.rows.last_key_value().map_or(u64::MAX, |(&k, _)| k)
        };
    }

    /// Distinct rows held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no row is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The rows, in hash order (a fixed order, so sums over them are reproducible).
    pub fn rows(&self) -> impl Iterator<Item = &SampleRow> {
        self.rows.values().flatten()
    }

    /// Whether a row with this hash would be kept.
    #[inline]
    fn wants(&self, hash: u64) -> bool {
        self.cap > 0 && hash <= self.threshold
    }

    fn add(&mut self, hash: u64, row: SampleRow) {
        if !self.wants(hash) {
            self.truncated = true;
            return;
        }
        let bucket = self.rows.entry(hash).or_default();
        if let Some(existing) = bucket.iter_mut().find(|r| {
            r.cells.len() == row.cells.len() && r.cells.iter().zip(&row.cells).all(|(a, b)| a.same(b))
        }) {
            existing.count = existing.count.saturating_add(row.count);
            return;
        }
        bucket.push(row);
        self.len += 1;
        while self.len > self.cap {
            let (_, dropped) = self.rows.pop_last().unwrap_or_default();
            self.len -= dropped.len();
            self.truncated = true;
        }
        self.update_threshold();
    }

    /// Adds rows in arrival order, with the result of [`RowSample::add`] one
    /// at a time (tested), in one sort instead of a tree update and an
    /// eviction per row. While the sample is full its threshold only falls, so
    /// a row that ends up kept was never refused: collecting the rows a stale
    /// threshold lets through and keeping the smallest hashes loses nothing.
    pub(crate) fn add_batch(&mut self, batch: Vec<(u64, SampleRow)>) {
        if batch.is_empty() {
            return;
        }
        let mut all: Vec<(u64, SampleRow)> = Vec::with_capacity(self.len + batch.len());
        for (h, rows) in std::mem::take(&mut self.rows) {
            all.extend(rows.into_iter().map(|r| (h, r)));
        }
        all.extend(batch.into_iter().filter(|(h, _)| self.cap > 0 && *h <= self.threshold));
        // Stable: within one hash, rows already kept, then new ones in arrival order.
        all.sort_by_key(|&(h, _)| h);
        let mut rows: Vec<(u64, Vec<SampleRow>)> = Vec::new();
        let mut len = 0;
        let mut it = all.into_iter().peekable();
        while let Some((h, first)) = it.next() {
            let mut bucket = vec![first];
            while let Some((_, row)) = it.next_if(|(next, _)| *next == h) {
                if let Some(existing) = bucket.iter_mut().find(|r| {
                    r.cells.len() == row.cells.len() && r.cells.iter().zip(&row.cells).all(|(a, b)| a.same(b))
                }) {
                    existing.count = existing.count.saturating_add(row.count);
                } else {
                    bucket.push(row);
                }
            }
            // As `add`: past the cap the largest hashes go, a whole bucket at a time.
            if len + bucket.len() > self.cap {
                self.truncated = true;
                break;
            }
            len += bucket.len();
            rows.push((h, bucket));
        }
        if it.next().is_some() {
            self.truncated = true;
        }
        self.rows = rows.into_iter().collect();
        self.len = len;
        self.update_threshold();
    }

    /// Merges another sample of rows with the same columns.
    pub fn merge(&mut self, other: &RowSample) {
        self.cap = self.cap.min(other.cap);
        self.truncated |= other.truncated;
        for (&h, rows) in &other.rows {
            for r in rows {
                self.add(h, r.clone());
            }
        }
        while self.len > self.cap {
            let (_, dropped) = self.rows.pop_last().unwrap_or_default();
            self.len -= dropped.len();
            self.truncated = true;
        }
        self.update_threshold();
    }

    fn row_hash(cells: &[SampleCell]) -> u64 {
        cells.iter().fold(ROW_HASH_SEED, |h, c| mix64(h ^ c.hash()).rotate_left(17))
    }

    /// Adds a row given as cells.
    pub fn push_cells(&mut self, cells: Vec<SampleCell>) {
        self.push_cells_n(cells, 1);
    }

    /// Adds `count` occurrences of a row given as cells.
    pub fn push_cells_n(&mut self, cells: Vec<SampleCell>, count: u64) {
        let h = Self::row_hash(&cells);
        self.add(h, SampleRow { count, cells });
    }
}

/// A mergeable profile of a whole dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetProfile {
    /// The file name or label the data came from, used in every message.
    pub source: String,
    /// Data rows (the header excluded).
    pub rows: u64,
    /// The delimiter that was detected.
    pub delimiter: u8,
    /// Columns in file order.
    pub columns: Vec<ColumnProfile>,
    /// Distinct rows for correlations and associations.
    pub sample: RowSample,
    /// The options the profile was built with.
    pub options: ProfileOptions,
}

/// The former name of [`DatasetProfile`].
pub type Dataset = DatasetProfile;

/// A profile that cannot be read or merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The file or label of the profile.
    pub source: String,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}

impl std::error::Error for ProfileError {}

impl DatasetProfile {
    /// Looks a column up by its header name.
    pub fn column(&self, name: &str) -> Option<&ColumnProfile> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Merges a profile of other rows with the same header (same names in the same order).
    pub fn merge(&mut self, other: &DatasetProfile) -> Result<(), ProfileError> {
        let same = self.columns.len() == other.columns.len()
            && self.columns.iter().zip(&other.columns).all(|(a, b)| a.name == b.name);
        if !same {
            return Err(ProfileError {
                source: other.source.clone(),
                message: format!("cannot merge into {}: the columns differ", self.source),
            });
        }
        self.rows = self.rows.saturating_add(other.rows);
        for (a, b) in self.columns.iter_mut().zip(&other.columns) {
            a.merge(b);
        }
        self.sample.merge(&other.sample);
        self.options.sample_rows = self.sample.cap;
        Ok(())
    }

    /// The compact, versioned JSON profile file (see `docs/profile.md`).
    pub fn to_json(&self) -> String {
        let file = crate::profile_file::ProfileFile::from_profile(self);
        serde_json::to_string(&file).unwrap_or_default()
    }

    /// Reads a profile file written by [`DatasetProfile::to_json`]; `source` names it in errors.
    pub fn from_json(source: &str, text: &str) -> Result<DatasetProfile, ProfileError> {
        crate::profile_file::ProfileFile::parse(source, text)
    }

    /// This profile without its sample of rows, so a file written from it holds
    /// per-column summaries only (counts, distinct values, sketches) and no row of the
    /// data: what the page exports. Drift needs no sample; the correlation section
    /// says it has no rows to work with.
    pub fn without_rows(&self) -> DatasetProfile {
        DatasetProfile {
            source: self.source.clone(),
            rows: self.rows,
            delimiter: self.delimiter,
            columns: self.columns.clone(),
            sample: RowSample::new(0),
            options: ProfileOptions { sample_rows: 0, ..self.options },
        }
    }

    /// The profile without its exact values, as JSON bytes: with each exact
    /// column's [`ColumnProfile::values`], what [`DatasetProfile::from_hand_over`]
    /// needs to rebuild it. For handing a profile of millions of values from one
    /// WebAssembly instance to another without printing and parsing the numbers:
    /// the values travel as they are held (in the page, as transferred
    /// `Float64Array`s). Not a file format to keep.
    pub fn hand_over_head(&self) -> Vec<u8> {
        crate::profile_file::ProfileFile::hand_over_head(self)
    }

    /// Rebuilds a profile from [`DatasetProfile::hand_over_head`]'s bytes and, per
    /// column, its exact values (`None` for a column that keeps none), with every
    /// check of [`DatasetProfile::from_json`]: the values must be finite and
    /// ascending, as many as the column's finite numbers, and derived figures
    /// (moments, types) are recomputed.
    pub fn from_hand_over(
        source: &str,
        head: &[u8],
        values: Vec<Option<Vec<f64>>>,
    ) -> Result<DatasetProfile, ProfileError> {
        crate::profile_file::ProfileFile::from_hand_over(source, head, values)
    }
}

/// Builds a profile row by row: what ingest uses, and what a host with records
/// rather than CSV text (the edge worker) uses directly.
///
/// ```
/// use modelgate_core::{ProfileBuilder, ProfileOptions};
///
/// let mut b = ProfileBuilder::new("live", &["age", "city"], ProfileOptions::default());
/// b.push_row(&["31", "Lyon"]);
/// b.push_row(&["", "Paris"]);
/// let p = b.finish();
/// assert_eq!(p.rows, 2);
/// assert_eq!(p.columns[0].counts.nulls, 1);
/// ```
#[derive(Debug)]
pub struct ProfileBuilder {
    source: String,
    columns: Vec<ColumnBuilder>,
    sample: RowSample,
    /// Rows the sample wanted since the last [`RowSample::add_batch`].
    pending: Vec<(u64, SampleRow)>,
    rows: u64,
    options: ProfileOptions,
    delimiter: u8,
    cells: Vec<Cell>,
}

/// Seed of the row hash of [`RowSample`].
const ROW_HASH_SEED: u64 = 0xD6E8_FEB8_6659_FD93;

impl ProfileBuilder {
    /// Starts a profile of the columns `names`.
    pub fn new(source: impl Into<String>, names: &[impl AsRef<str>], options: ProfileOptions) -> Self {
        let cap = options.exact_cap(names.len());
        ProfileBuilder {
            source: source.into(),
            columns: names.iter().map(|n| ColumnBuilder::new(n.as_ref().to_string(), cap)).collect(),
            sample: RowSample::new(options.sample_rows),
            pending: Vec::new(),
            rows: 0,
            options,
            delimiter: b',',
            cells: Vec::new(),
        }
    }

    pub(crate) fn set_delimiter(&mut self, d: u8) {
        self.delimiter = d;
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The column names, in order.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// Adds one row of raw cells, one per column (missing trailing cells count as null).
    pub fn push_row(&mut self, fields: &[impl AsRef<str>]) {
        self.push_with(|i| fields.get(i).map_or("", AsRef::as_ref), false);
    }

    /// Adds one row whose `i`-th raw cell is `field(i)`, classified as CSV cells are.
    #[inline]
    pub(crate) fn push_with<'a>(&mut self, field: impl Fn(usize) -> &'a str, decimal_comma: bool) {
        self.rows += 1;
        let sampling = self.sample.cap > 0;
        let mut hash: u64 = ROW_HASH_SEED;
        self.cells.clear();
        for (i, column) in self.columns.iter_mut().enumerate() {
            let raw = field(i);
            let cell = column.push(raw, decimal_comma);
            if sampling {
                hash = mix64(hash ^ sample_cell_hash(cell, raw)).rotate_left(17);
                self.cells.push(cell);
            }
        }
        if sampling {
            if self.sample.wants(hash) {
                let cells =
                    self.cells.iter().enumerate().map(|(i, &cell)| sample_cell(cell, field(i))).collect();
                self.pending.push((hash, SampleRow { count: 1, cells }));
                if self.pending.len() >= self.sample.cap.max(1024) {
                    self.sample.add_batch(std::mem::take(&mut self.pending));
                }
            } else {
                self.sample.truncated = true;
            }
        }
    }

    /// Ends the input and returns the profile.
    pub fn finish(mut self) -> DatasetProfile {
        self.sample.add_batch(std::mem::take(&mut self.pending));
        DatasetProfile {
            source: self.source,
            rows: self.rows,
            delimiter: self.delimiter,
            columns: self.columns.into_iter().map(ColumnBuilder::finish).collect(),
            sample: self.sample,
            options: self.options,
        }
    }
}

fn sample_cell(cell: Cell, raw: &str) -> SampleCell {
    match cell {
        Cell::Number { value, .. } if value.is_finite() => {
            SampleCell::Number(if value == 0.0 { 0.0 } else { value })
        }
        Cell::Null | Cell::Number { .. } => SampleCell::Missing,
        Cell::Bool(_) | Cell::Datetime | Cell::Text => SampleCell::Text(crate::value::trim(raw).into()),
    }
}

/// The hash [`SampleCell::hash`] gives the cell this raw field becomes, without building it.
#[inline]
fn sample_cell_hash(cell: Cell, raw: &str) -> u64 {
    match cell {
        Cell::Number { value, .. } if value.is_finite() => {
            let v = if value == 0.0 { 0.0 } else { value };
            mix64(v.to_bits() ^ 0x1234_5678_9ABC_DEF0)
        }
        Cell::Null | Cell::Number { .. } => 0x5555_5555_5555_5555,
        _ => hash_bytes(crate::value::trim(raw).as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, cells: &[&str]) -> ColumnProfile {
        let mut b = ColumnBuilder::new(name.to_string(), 1_000_000);
        for c in cells {
            b.push(c, false);
        }
        b.finish()
    }

    #[test]
    fn infers_types() {
        assert_eq!(column("x", &["1", "2", "", "3"]).column_type, ColumnType::Integer);
        assert_eq!(column("x", &["1", "2.5", "NA"]).column_type, ColumnType::Numeric);
        assert_eq!(column("x", &["1", "NaN", "3"]).column_type, ColumnType::Numeric);
        assert_eq!(column("x", &["true", "False", "yes"]).column_type, ColumnType::Boolean);
        assert_eq!(column("x", &["2024-01-01", "2024-02-01"]).column_type, ColumnType::Datetime);
        assert_eq!(column("x", &["a", "b", "a", "1"]).column_type, ColumnType::Categorical);
        assert_eq!(column("x", &["", "null", "N/A"]).column_type, ColumnType::Empty);
        let ids: Vec<String> = (0..30).map(|i| i.to_string()).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(column("row", &ids).column_type, ColumnType::Identifier);
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        assert_eq!(column("x", &words).column_type, ColumnType::Identifier);
        let mut text = words.clone();
        text.extend_from_slice(&words[..20]);
        assert_eq!(column("x", &text).column_type, ColumnType::Text);
    }

    #[test]
    fn counts_nulls_apart_from_nan_and_inf() {
        let c = column("x", &["1", "", "NA", "nan", "inf", "-inf", "-Infinity", "2"]);
        assert_eq!(
            c.counts,
            CellCounts {
                rows: 8,
                nulls: 2,
                nan: 1,
                pos_inf: 1,
                neg_inf: 2,
                numbers: 2,
                ..Default::default()
            }
        );
        assert_eq!(c.values, vec![1.0, 2.0]);
    }

    #[test]
    fn numeric_categories_merge_spellings() {
        let c = column("x", &["1", "1.0", "2", "-0", "0"]);
        assert_eq!(
            c.categories.unwrap(),
            vec![("0".to_string(), 2), ("1".to_string(), 2), ("2".to_string(), 1)]
        );
    }

    #[test]
    fn batched_sample_equals_the_sample_built_row_by_row() {
        let mut state = 5u64;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for (cap, distinct, n, batch) in [
            (0, 10, 50, 7),
            (5, 3, 40, 4),
            (5, 50, 400, 3),
            (10, 1000, 3000, 64),
            (100, 90, 2000, 1),
            (64, 5000, 20_000, 500),
        ] {
            let rows: Vec<Vec<SampleCell>> = (0..n)
                .map(|_| {
                    let v = next(distinct);
                    vec![
                        SampleCell::Number(v as f64),
                        if v % 3 == 0 {
                            SampleCell::Missing
                        } else {
                            SampleCell::Text(format!("t{}", v % 7).into())
                        },
                    ]
                })
                .collect();
            let mut one = RowSample::new(cap);
            let mut batched = RowSample::new(cap);
            let mut pending = Vec::new();
            for cells in rows {
                let h = RowSample::row_hash(&cells);
                one.add(h, SampleRow { count: 1, cells: cells.clone() });
                if batched.wants(h) {
                    pending.push((h, SampleRow { count: 1, cells }));
                    if pending.len() >= batch {
                        batched.add_batch(std::mem::take(&mut pending));
                    }
                } else {
                    batched.truncated = true;
                }
            }
            batched.add_batch(pending);
            assert_eq!(batched, one, "cap {cap}, {distinct} distinct rows");
            assert_eq!(one.truncated, distinct as usize > cap && cap < n as usize || cap == 0);
        }
    }

    #[test]
    fn radix_sort_matches_the_standard_sort() {
        let mut v: Vec<f64> = (0..10_000).map(|i| ((i * 7919 % 10007) as f64 - 5000.0) * 1.37e-3).collect();
        v.extend([0.0, -1e300, 1e300, 5e-324, -5e-324]);
        let mut expected = v.clone();
        expected.sort_by(f64::total_cmp);
        sort_f64(&mut v);
        assert_eq!(v, expected);
    }
}
