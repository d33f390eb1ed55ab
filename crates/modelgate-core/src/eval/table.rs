//! A row-aligned table: every cell of a CSV, in row order.
//!
//! [`crate::Dataset`] summarises columns (sorted numbers, category counts) and
//! forgets which values shared a row; evaluation needs the label, the prediction
//! and the score of the same row. [`TableIngest`] runs the ordinary
//! [`CsvIngest`] with a [`RowSink`] that keeps each cell, so parsing, limits,
//! errors and type inference stay exactly those of the drift check.
//!
//! ```
//! use modelgate_core::eval::{Table, TableIngest};
//!
//! let mut ingest = TableIngest::new("preds.csv");
//! ingest.push(b"label,prediction\n1,1\n0,NA\n").unwrap();
//! let table: Table = ingest.finish().unwrap();
//! assert_eq!(table.rows(), 2);
//! assert_eq!(table.key(1, 0).as_deref(), Some("1"));
//! assert_eq!(table.key(1, 1), None); // NA is a null
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

use crate::dataset::{ColumnType, Dataset};
use crate::error::IngestError;
use crate::ingest::{CsvIngest, IngestLimits, Row, RowSink};
use crate::value::{classify, Cell};

/// One cell of a [`Table`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Empty or a null token (`NA`, `null`, ...).
    Null,
    /// A number, possibly NaN or infinite.
    Number(f64),
    /// Anything else (text, booleans, dates), as an index into the table's strings.
    Text(u32),
}

/// Every cell of a CSV, column by column, rows in file order.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file name given to the ingest.
    pub source: String,
    /// Header names in file order.
    pub names: Vec<String>,
    /// Inferred column types, as the drift check infers them.
    pub types: Vec<ColumnType>,
    columns: Vec<Vec<Value>>,
    strings: Vec<String>,
    rows: usize,
}

impl Table {
    /// Number of data rows. Row `i` (0-based here) is data row `i + 1` in every message.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The index of the column named `name`: an exact match, or else the only
    /// case-insensitive one.
    pub fn column(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return Some(i);
        }
        let mut matches = self.names.iter().enumerate().filter(|(_, n)| n.eq_ignore_ascii_case(name));
        match (matches.next(), matches.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// The cell at `column`, `row` (0-based); `Null` when out of range.
    pub fn value(&self, column: usize, row: usize) -> Value {
        self.columns.get(column).and_then(|c| c.get(row)).copied().unwrap_or(Value::Null)
    }

    /// The text of a [`Value::Text`].
    pub fn text(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", String::as_str)
    }

    /// The number in a cell, if it holds one (NaN and infinities included).
    pub fn number(&self, column: usize, row: usize) -> Option<f64> {
        match self.value(column, row) {
            Value::Number(x) => Some(x),
            _ => None,
        }
    }

    /// A cell as a category key: text as written (trimmed), numbers by their
    /// shortest round-trip spelling (`1.0` and `1` are both `"1"`, as in
    /// [`crate::Column::categories`]); `None` for a null.
    pub fn key(&self, column: usize, row: usize) -> Option<Cow<'_, str>> {
        match self.value(column, row) {
            Value::Null => None,
            Value::Number(x) => Some(Cow::Owned(number_key(x))),
            Value::Text(id) => Some(Cow::Borrowed(self.text(id))),
        }
    }

    /// Whether the column has a value in at least one row and every value is a number.
    pub fn is_numeric(&self, column: usize) -> bool {
        let Some(cells) = self.columns.get(column) else { return false };
        let mut any = false;
        for v in cells {
            match v {
                Value::Number(_) => any = true,
                Value::Null => {}
                Value::Text(_) => return false,
            }
        }
        any
    }
}

/// The key of a number: Rust's shortest round-trip spelling, `-0` folded into `0`.
pub fn number_key(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else {
        format!("{x}")
    }
}

/// Streams one CSV into a [`Table`]: push chunks, then finish.
#[derive(Debug)]
pub struct TableIngest {
    inner: CsvIngest<TableSink>,
}

impl TableIngest {
    /// Starts a file; `source` names it in every message.
    pub fn new(source: impl Into<String>) -> Self {
        Self::with_limits(source, IngestLimits::default())
    }

    /// Starts a file with explicit limits.
    pub fn with_limits(source: impl Into<String>, limits: IngestLimits) -> Self {
        TableIngest { inner: CsvIngest::with_sink(source, limits, TableSink::default()) }
    }

    /// Feeds the next chunk; chunks may split a record anywhere.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        self.inner.push(chunk)
    }

    /// Data rows parsed so far.
    pub fn rows(&self) -> u64 {
        self.inner.rows()
    }

    /// Bytes pushed so far.
    pub fn bytes(&self) -> u64 {
        self.inner.bytes()
    }

    /// Ends the input and returns the table.
    pub fn finish(self) -> Result<Table, IngestError> {
        self.finish_with_dataset().map(|(table, _)| table)
    }

    /// Ends the input and returns the table and the column summaries of the same parse.
    pub fn finish_with_dataset(self) -> Result<(Table, Dataset), IngestError> {
        let (dataset, sink) = self.inner.finish_with_sink()?;
        let TableSink { names, mut columns, mut strings, .. } = sink;
        if dataset.delimiter == b';' {
            // Semicolon files often write decimals with a comma; the dataset read
            // them so (see `value::classify`), and the table must agree.
            for column in &mut columns {
                for v in column.iter_mut() {
                    if let Value::Text(id) = *v {
                        if let Cell::Number { value, .. } = classify(&strings[id as usize], true) {
                            *v = Value::Number(value);
                        }
                    }
                }
            }
        }
        strings.shrink_to_fit();
        let types = dataset.columns.iter().map(|c| c.column_type).collect();
        let table = Table {
            source: dataset.source.clone(),
            names,
            types,
            rows: dataset.rows as usize,
            columns,
            strings,
        };
        Ok((table, dataset))
    }
}

#[derive(Debug, Default)]
struct TableSink {
    names: Vec<String>,
    columns: Vec<Vec<Value>>,
    strings: Vec<String>,
    index: HashMap<String, u32>,
}

impl RowSink for TableSink {
    fn header(&mut self, names: &[String]) {
        self.names = names.to_vec();
        self.columns = vec![Vec::new(); names.len()];
    }

    fn row(&mut self, _row: u64, fields: Row<'_>) {
        for (column, raw) in self.columns.iter_mut().zip(fields.iter()) {
            let value = match classify(raw, false) {
                Cell::Null => Value::Null,
                Cell::Number { value, .. } => Value::Number(value),
                Cell::Bool(_) | Cell::Datetime | Cell::Text => {
                    let text = raw.trim();
                    let id = match self.index.get(text) {
                        Some(&id) => id,
                        None => {
                            let id = self.strings.len() as u32;
                            self.strings.push(text.to_string());
                            self.index.insert(text.to_string(), id);
                            id
                        }
                    };
                    Value::Text(id)
                }
            };
            column.push(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        let mut ingest = TableIngest::new("t.csv");
        ingest.push(text.as_bytes()).unwrap();
        ingest.finish().unwrap()
    }

    #[test]
    fn keeps_rows_aligned_and_typed() {
        let t = table("id,x,c\n7,1.0,a\n8,,b\n9,NaN,a\n");
        assert_eq!(t.rows(), 3);
        assert_eq!(t.value(1, 0), Value::Number(1.0));
        assert_eq!(t.value(1, 1), Value::Null);
        assert!(t.number(1, 2).unwrap().is_nan());
        assert_eq!(t.key(2, 2).as_deref(), Some("a"));
        assert_eq!(t.key(1, 0).as_deref(), Some("1"));
        assert_eq!(t.column("X"), Some(1));
        assert!(t.is_numeric(1));
        assert!(!t.is_numeric(2));
        assert_eq!(t.types[2], ColumnType::Categorical);
    }

    #[test]
    fn semicolon_files_read_decimal_commas() {
        let t = table("a;b\n1,5;x\n2,25;y\n");
        assert_eq!(t.number(0, 0), Some(1.5));
        assert_eq!(t.number(0, 1), Some(2.25));
    }
}
