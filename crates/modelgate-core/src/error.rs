//! Errors for input that cannot be read at all.
//!
//! Everything that can be read, however odd, becomes part of a report instead;
//! these errors are for files that are not a CSV, are truncated into nothing,
//! or break the rectangular shape every check depends on.

use std::fmt;

/// Where in a file an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based data row (the header is not counted); `None` for the header itself.
    pub row: Option<u64>,
    /// 1-based physical line on which the record starts; differs from the row when
    /// quoted fields span lines.
    pub line: u64,
    /// Column name, when one is known.
    pub column: Option<String>,
}

/// A CSV could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// The file name given to the ingest.
    pub source: String,
    /// Where the problem is, when it has a place.
    pub location: Option<Location>,
    /// What went wrong.
    pub kind: IngestErrorKind,
}

/// The kinds of [`IngestError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IngestErrorKind {
    /// No bytes at all, or only blank lines.
    Empty,
    /// A header and no data rows. Kept for callers that match on it; ingest no
    /// longer returns it: a header-only file is a dataset of 0 rows, reported as
    /// a `no_rows` finding by the drift report.
    HeaderOnly {
        /// Columns in the header.
        columns: usize,
    },
    /// A NUL byte: the file is binary, not text.
    Binary {
        /// Byte offset of the NUL, within the file when found before parsing
        /// (no row is known then) and within the record otherwise.
        offset: u64,
    },
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// A row whose field count differs from the header's.
    Ragged {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
        /// Whether a field of the row holds a line break, the mark of a missing closing quote.
        spans_lines: bool,
    },
    /// Two header columns with one name.
    DuplicateColumn {
        /// The repeated name.
        name: String,
        /// 1-based position of its first use.
        first: usize,
        /// 1-based position of its second use.
        second: usize,
    },
    /// A field larger than [`crate::IngestLimits::max_field_bytes`].
    FieldTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// More columns than [`crate::IngestLimits::max_columns`].
    TooManyColumns {
        /// The limit.
        limit: usize,
    },
}

impl IngestErrorKind {
    /// A stable machine-readable name for the kind, used in JSON and by the page.
    pub fn code(&self) -> &'static str {
        match self {
            IngestErrorKind::Empty => "empty",
            IngestErrorKind::HeaderOnly { .. } => "header_only",
            IngestErrorKind::Binary { .. } => "binary",
            IngestErrorKind::InvalidUtf8 => "invalid_utf8",
            IngestErrorKind::Ragged { .. } => "ragged_row",
            IngestErrorKind::DuplicateColumn { .. } => "duplicate_column",
            IngestErrorKind::FieldTooLarge { .. } => "field_too_large",
            IngestErrorKind::TooManyColumns { .. } => "too_many_columns",
        }
    }
}

impl IngestError {
    pub(crate) fn new(source: String, location: Option<Location>, kind: IngestErrorKind) -> Self {
        IngestError { source, location, kind }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(loc) = &self.location {
            match loc.row {
                Some(row) if row as u128 + 1 != loc.line as u128 => {
                    write!(f, ": row {row} (line {})", loc.line)?
                }
                Some(row) => write!(f, ": row {row}")?,
                None if loc.line == 1 => f.write_str(": header")?,
                None => write!(f, ": line {}", loc.line)?,
            }
            if let Some(column) = &loc.column {
                write!(f, ", column \"{column}\"")?;
            }
        }
        f.write_str(": ")?;
        match &self.kind {
            IngestErrorKind::Empty => f.write_str("the file is empty; expected a header line and data rows"),
            IngestErrorKind::HeaderOnly { columns } => {
                write!(f, "the file has a header ({columns} columns) but no data rows")
            }
            IngestErrorKind::Binary { .. } => {
                f.write_str("the file contains NUL bytes; it looks binary, not like a CSV text file")
            }
            IngestErrorKind::InvalidUtf8 => f.write_str("invalid UTF-8; save the file as UTF-8 text"),
            IngestErrorKind::Ragged { expected, found, spans_lines } => {
                let plural = if *expected == 1 { "" } else { "s" };
                write!(f, "expected {expected} field{plural} as in the header, found {found}")?;
                if *spans_lines {
                    f.write_str(
                        "; a quoted field runs across lines here, so a closing quote is probably missing",
                    )?;
                }
                Ok(())
            }
            IngestErrorKind::DuplicateColumn { name, first, second } => {
                write!(f, "column name \"{name}\" appears twice (columns {first} and {second})")
            }
            IngestErrorKind::FieldTooLarge { limit } => {
                write!(f, "a field is larger than the {limit}-byte limit")
            }
            IngestErrorKind::TooManyColumns { limit } => write!(f, "more than {limit} columns"),
        }
    }
}

impl std::error::Error for IngestError {}
