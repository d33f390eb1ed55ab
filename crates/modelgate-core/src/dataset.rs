//! A finished, typed dataset: what ingest produces and every check consumes.

use std::collections::HashMap;

use serde::Serialize;

use crate::value::Cell;

/// Distinct values tracked per column before a column is declared high-cardinality.
///
/// Above this many distinct non-numeric values a column is text or an
/// identifier, not a category, and its category counts are dropped to bound memory.
pub const MAX_TRACKED_CATEGORIES: usize = 10_000;

/// Distinct numeric values tracked per column; enough to spot low-cardinality
/// numeric columns (codes, flags, ratings) that are better tested as categories.
const MAX_TRACKED_NUMBERS: usize = 1_024;

/// A column with more distinct values than this, and more than half its rows
/// distinct, is treated as text rather than as a category.
const CATEGORICAL_MAX_DISTINCT: usize = 50;

/// The inferred type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

/// One column of a finished dataset.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header name.
    pub name: String,
    /// Inferred type.
    pub column_type: ColumnType,
    /// Cell counts.
    pub counts: CellCounts,
    /// Finite numeric values, sorted ascending. Empty unless the column is numeric or integer.
    pub values: Vec<f64>,
    /// Distinct values and their counts, most frequent first (ties by value), when the
    /// column has few enough distinct values to track; `None` when it has too many.
    ///
    /// Numbers are keyed by their shortest round-trip spelling (`1`, `2.5`), so `1`
    /// and `1.0` are one category.
    pub categories: Option<Vec<(String, u64)>>,
}

/// How many cells of a column fell in each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
}

impl Column {
    /// Number of distinct values, when known.
    pub fn distinct(&self) -> Option<usize> {
        self.categories.as_ref().map(Vec::len)
    }
}

/// A parsed CSV: its source name, row count and typed columns.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The file name or label the data came from, used in every message.
    pub source: String,
    /// Data rows (the header excluded).
    pub rows: u64,
    /// The delimiter that was detected.
    pub delimiter: u8,
    /// Columns in file order.
    pub columns: Vec<Column>,
}

impl Dataset {
    /// Looks a column up by its header name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Accumulates one column while rows stream in.
#[derive(Debug)]
pub(crate) struct ColumnBuilder {
    name: String,
    counts: CellCounts,
    integral: u64,
    values: Vec<f64>,
    text_categories: HashMap<Box<str>, u64>,
    text_overflow: bool,
    number_categories: HashMap<u64, u64>,
    number_overflow: bool,
}

impl ColumnBuilder {
    pub(crate) fn new(name: String) -> Self {
        ColumnBuilder {
            name,
            counts: CellCounts::default(),
            integral: 0,
            values: Vec::new(),
            text_categories: HashMap::new(),
            text_overflow: false,
            number_categories: HashMap::new(),
            number_overflow: false,
        }
    }

    pub(crate) fn push(&mut self, raw: &str, decimal_comma: bool) {
        self.counts.rows += 1;
        match crate::value::classify(raw, decimal_comma) {
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
                    self.values.push(value);
                    if !self.number_overflow {
                        let len = self.number_categories.len();
                        match self.number_categories.get_mut(&value.to_bits()) {
                            Some(n) => *n += 1,
                            None if len < MAX_TRACKED_NUMBERS => {
                                self.number_categories.insert(value.to_bits(), 1);
                            }
                            None => self.number_overflow = true,
                        }
                    }
                }
            }
            Cell::Bool(_) => {
                self.counts.booleans += 1;
                self.count_text(raw.trim());
            }
            Cell::Datetime => {
                self.counts.datetimes += 1;
                self.count_text(raw.trim());
            }
            Cell::Text => {
                self.counts.text += 1;
                self.count_text(raw.trim());
            }
        }
    }

    fn count_text(&mut self, value: &str) {
        if self.text_overflow {
            return;
        }
        if let Some(n) = self.text_categories.get_mut(value) {
            *n += 1;
        } else if self.text_categories.len() < MAX_TRACKED_CATEGORIES {
            self.text_categories.insert(value.into(), 1);
        } else {
            self.text_overflow = true;
            self.text_categories = HashMap::new();
        }
    }

    pub(crate) fn finish(self) -> Column {
        let ColumnBuilder {
            name,
            counts,
            integral,
            mut values,
            text_categories,
            text_overflow,
            number_categories,
            number_overflow,
        } = self;
        let non_finite = counts.nan + counts.pos_inf + counts.neg_inf;
        let non_numeric = counts.booleans + counts.datetimes + counts.text;
        let numeric_cells = counts.numbers + non_finite;

        let categories = if text_overflow || (number_overflow && numeric_cells > 0 && non_numeric > 0) {
            None
        } else if number_overflow {
            // A purely numeric column with many distinct values: categories are not needed.
            None
        } else {
            let mut all: Vec<(String, u64)> = text_categories
                .into_iter()
                .map(|(k, n)| (k.into_string(), n))
                .chain(number_categories.into_iter().map(|(bits, n)| (f64::from_bits(bits).to_string(), n)))
                .collect();
            all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Some(all)
        };

        let present = counts.present();
        let column_type = if present == 0 {
            ColumnType::Empty
        } else if non_numeric == 0 {
            values.sort_unstable_by(f64::total_cmp);
            if non_finite == 0 && integral == counts.numbers {
                if looks_like_identifier(&name, &values) {
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
            match &categories {
                Some(c) if c.len() <= CATEGORICAL_MAX_DISTINCT || (c.len() as u64) * 2 <= present => {
                    ColumnType::Categorical
                }
                Some(c) if c.len() as u64 == present => ColumnType::Identifier,
                _ => ColumnType::Text,
            }
        };
        if !column_type.is_numeric() {
            values = Vec::new();
        }
        Column { name, column_type, counts, values, categories }
    }
}

/// An integer column is an identifier when every value is distinct, there are
/// enough rows for that to mean something, and either the name says so or the
/// values are consecutive (a row number).
fn looks_like_identifier(name: &str, sorted: &[f64]) -> bool {
    const MIN_ROWS: usize = 20;
    if sorted.len() < MIN_ROWS || sorted.windows(2).any(|w| w[0] == w[1]) {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    let named = ["id", "index", "key", "uuid"].contains(&lower.as_str())
        || lower.ends_with("_id")
        || lower.ends_with(" id")
        || name.ends_with("Id");
    let consecutive = sorted[sorted.len() - 1] - sorted[0] + 1.0 == sorted.len() as f64;
    named || consecutive
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, cells: &[&str]) -> Column {
        let mut b = ColumnBuilder::new(name.to_string());
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
}
