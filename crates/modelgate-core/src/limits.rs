//! Size limits on the JSON and text files the core reads, and the one strict
//! decoder every host uses to turn their bytes into text.
//!
//! The CSV ingest limits live in [`crate::IngestLimits`] and the inference payload
//! limits in [`crate::payload::PayloadLimits`]; `docs/limits.md` lists every limit
//! in one table. The limits here bound a file before it is parsed: a JSON parser
//! holds about as much memory as the file is long, so capping the length caps the
//! memory.
//!
//! ```
//! use modelgate_core::limits::{decode_text, MAX_CONTRACT_BYTES};
//!
//! assert_eq!(decode_text("c.json", "contract", b"{}").unwrap(), "{}");
//! let e = decode_text("c.json", "contract", b"{\"a\": \"caf\xe9\"}").unwrap_err();
//! assert_eq!(e.to_string(), "c.json: line 1, byte 11: not UTF-8 text; save the contract as UTF-8");
//! assert!(MAX_CONTRACT_BYTES >= 1 << 20);
//! ```

use std::fmt;

/// Largest contract file, in bytes (16 MiB): a contract of 20,000 fields, each
/// with a hundred categories, fits.
pub const MAX_CONTRACT_BYTES: usize = 16 << 20;

/// Largest answers file, in bytes (4 MiB): rubrics have tens of items.
pub const MAX_ANSWERS_BYTES: usize = 4 << 20;

/// Largest evidence file (a serialized report), in bytes (64 MiB).
pub const MAX_EVIDENCE_BYTES: usize = 64 << 20;

/// Largest reference-profile file, in bytes (256 MiB).
pub const MAX_PROFILE_BYTES: usize = 256 << 20;

/// Most exact values a profile file may expand to, over all its columns
/// (16,777,216 values, 128 MiB as `f64`): twice the default exact budget
/// ([`crate::ProfileOptions`]), since values are stored run-length encoded and
/// a small file could otherwise claim any number of copies.
pub const MAX_PROFILE_EXACT_VALUES: u64 = 1 << 24;

/// The limit for a kind of file (`contract`, `answers`, `report`/`evidence`,
/// `profile`), or `None` for another kind.
pub fn max_bytes(kind: &str) -> Option<usize> {
    match kind {
        "contract" => Some(MAX_CONTRACT_BYTES),
        "answers" => Some(MAX_ANSWERS_BYTES),
        "report" | "evidence" => Some(MAX_EVIDENCE_BYTES),
        "profile" => Some(MAX_PROFILE_BYTES),
        _ => None,
    }
}

/// A file that is too large or not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextError {
    /// Larger than the limit for its kind.
    TooLarge {
        /// The file name.
        source: String,
        /// What the file is (`contract`, `answers`...).
        kind: String,
        /// Its size, in bytes.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// Bytes that are not UTF-8.
    InvalidUtf8 {
        /// The file name.
        source: String,
        /// What the file is.
        kind: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based byte offset of the first bad byte within its line.
        byte: usize,
    },
}

impl TextError {
    /// A stable machine-readable name: `too_large` or `invalid_utf8`.
    pub fn code(&self) -> &'static str {
        match self {
            TextError::TooLarge { .. } => "too_large",
            TextError::InvalidUtf8 { .. } => "invalid_utf8",
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::TooLarge { source, kind, size, limit } => write!(
                f,
                "{source}: {size} bytes is more than the {limit}-byte limit for a{} {kind} file",
                if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "n" } else { "" }
            ),
            TextError::InvalidUtf8 { source, kind, line, byte } => {
                write!(f, "{source}: line {line}, byte {byte}: not UTF-8 text; save the {kind} as UTF-8")
            }
        }
    }
}

impl std::error::Error for TextError {}

/// The size check of [`decode_text`] alone, for hosts that already hold text.
pub fn check_size(source: &str, kind: &str, len: usize) -> Result<(), TextError> {
    match max_bytes(kind) {
        Some(limit) if len > limit => {
            Err(TextError::TooLarge { source: source.to_string(), kind: kind.to_string(), size: len, limit })
        }
        _ => Ok(()),
    }
}

/// The bytes of a file of `kind` as text: the size limit first (before any
/// work), then strict UTF-8, the error naming the line and byte of the first
/// bad sequence. A leading byte order mark is left for the parser.
pub fn decode_text<'a>(source: &str, kind: &str, bytes: &'a [u8]) -> Result<&'a str, TextError> {
    check_size(source, kind, bytes.len())?;
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        TextError::InvalidUtf8 {
            source: source.to_string(),
            kind: kind.to_string(),
            line,
            byte: e.valid_up_to() - start + 1,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_named_by_line_and_byte() {
        let e = decode_text("a.csv", "answers", b"id,status\ndata-1,caf\xe9\n").unwrap_err();
        assert_eq!(
            e,
            TextError::InvalidUtf8 { source: "a.csv".into(), kind: "answers".into(), line: 2, byte: 11 }
        );
        assert_eq!(e.code(), "invalid_utf8");
    }

    #[test]
    fn size_is_checked_before_decoding() {
        let big = vec![0xff; MAX_ANSWERS_BYTES + 1];
        let e = decode_text("a.csv", "answers", &big).unwrap_err();
        assert_eq!(e.code(), "too_large");
        assert_eq!(
            e.to_string(),
            "a.csv: 4194305 bytes is more than the 4194304-byte limit for an answers file"
        );
        assert!(decode_text("x", "other", &big[..10]).is_err());
        assert!(check_size("x", "other", usize::MAX).is_ok());
    }
}
