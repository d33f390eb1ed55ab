//! Streaming CSV ingest: feed byte chunks, then finish.
//!
//! [`CsvIngest`] owns no I/O. The browser pushes the slices of a `File`, the CLI
//! the blocks of a file handle, a worker the chunks of a request body; each gets
//! the same [`Dataset`] back. Parsing is done by `csv-core`, the push parser under
//! the `csv` crate, which already handles quoted fields holding delimiters,
//! doubled quotes and newlines, and CRLF line ends.
//!
//! ```
//! use modelgate_core::CsvIngest;
//!
//! let mut ingest = CsvIngest::new("train.csv");
//! ingest.push(b"\xEF\xBB\xBFage;city\n31;\"Lyon; ").unwrap();
//! ingest.push(b"France\"\r\n45;Paris\r\n").unwrap();
//! let data = ingest.finish().unwrap();
//! assert_eq!(data.delimiter, b';');
//! assert_eq!(data.rows, 2);
//! assert_eq!(data.columns[1].categories.as_ref().unwrap()[0].0, "Lyon; France");
//! ```

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use crate::dataset::{Dataset, ProfileBuilder, ProfileOptions};
use crate::error::{IngestError, IngestErrorKind, Location};

/// Bytes buffered before the delimiter is chosen (fewer if the input ends first).
const SNIFF_BYTES: usize = 64 * 1024;
/// Lines looked at when choosing the delimiter.
const SNIFF_LINES: usize = 50;
/// Delimiters considered, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Limits that keep hostile input from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestLimits {
    /// Largest single field, in bytes.
    pub max_field_bytes: usize,
    /// Most columns a header may have.
    pub max_columns: usize,
}

impl Default for IngestLimits {
    fn default() -> Self {
        IngestLimits { max_field_bytes: 1 << 20, max_columns: 20_000 }
    }
}

/// Sees every data row as it is parsed, for checks that need rows rather than
/// column summaries (row-level findings, joins of predictions with labels).
pub trait RowSink {
    /// Called once with the detected delimiter, before the header.
    fn delimiter(&mut self, _delimiter: u8) {}
    /// Called once with the header names, before any row.
    fn header(&mut self, _names: &[String]) {}
    /// Called for each data row; `row` is 1-based and counts data rows only.
    fn row(&mut self, row: u64, fields: Row<'_>);
}

/// The sink of a plain ingest: ignores rows.
impl RowSink for () {
    fn row(&mut self, _row: u64, _fields: Row<'_>) {}
}

/// The fields of one data row, in header order, borrowed from the parser's buffer.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    text: &'a str,
    ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 0 in csv-core's
    /// output (delimiters and quotes removed), 1 in a plain line read as is.
    gap: usize,
}

impl<'a> Row<'a> {
    /// Number of fields (always the header's).
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no fields (never true for a parsed row).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The field at `index`, as written in the file (quotes removed, not trimmed).
    pub fn get(&self, index: usize) -> Option<&'a str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] + self.gap };
        Some(&self.text[start..end])
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        FieldIter { text: self.text, ends: self.ends, start: 0, gap: self.gap }
    }
}

/// A CSV parser that is fed bytes and produces a typed [`Dataset`].
///
/// After an error every later call returns the same error: a file either
/// parses completely or not at all, and the caller decides what to keep.
/// A [`RowSink`] given to [`CsvIngest::with_sink`] also sees every row.
#[derive(Debug)]
pub struct CsvIngest<S: RowSink = ()> {
    sink: S,
    source: String,
    limits: IngestLimits,
    profile: ProfileOptions,
    /// Bytes held back until the delimiter is known.
    sniff: Vec<u8>,
    parser: Option<Parser>,
    error: Option<IngestError>,
    bytes: u64,
    /// Whether the first bytes have been checked for a UTF-8 byte order mark.
    bom_checked: bool,
    /// Whether plain lines skip csv-core (always, except in tests comparing the two).
    plain_lines: bool,
}

#[derive(Debug)]
struct Parser {
    reader: Reader,
    delimiter: u8,
    /// Field bytes of the record being read.
    out: Vec<u8>,
    out_len: usize,
    /// End offsets of the fields of the record being read.
    ends: Vec<usize>,
    ends_len: usize,
    /// Physical line on which the record being read starts.
    record_line: u64,
    /// Whether csv-core stands between two records (its last result was a
    /// record and it has been given nothing since), so plain lines may be read
    /// without it.
    at_boundary: bool,
    /// Byte classes for the plain-line reader: see [`Parser::plain_records`].
    class: [u8; 256],
    /// Field ends of the plain line being read.
    plain_ends: Vec<usize>,
    /// Off in tests that compare the plain-line reader with csv-core alone.
    plain_lines: bool,
    header: Option<Vec<String>>,
    builder: Option<ProfileBuilder>,
    rows: u64,
    profile: ProfileOptions,
    source: String,
}

impl CsvIngest {
    /// Starts ingesting a file; `source` names it in every message.
    pub fn new(source: impl Into<String>) -> Self {
        Self::with_limits(source, IngestLimits::default())
    }

    /// Starts ingesting with explicit limits.
    pub fn with_limits(source: impl Into<String>, limits: IngestLimits) -> Self {
        CsvIngest::with_sink(source, limits, ())
    }
}

impl<S: RowSink> CsvIngest<S> {
    /// Starts ingesting a file whose rows `sink` also sees.
    pub fn with_sink(source: impl Into<String>, limits: IngestLimits, sink: S) -> Self {
        CsvIngest {
            sink,
            source: source.into(),
            limits,
            profile: ProfileOptions::default(),
            sniff: Vec::new(),
            parser: None,
            error: None,
            bytes: 0,
            bom_checked: false,
            plain_lines: true,
        }
    }

    /// Sets the profile options (exact cap, sample size); call before the first push.
    pub fn with_profile_options(mut self, options: ProfileOptions) -> Self {
        self.profile = options;
        self
    }

    /// The name given to [`CsvIngest::new`].
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Bytes pushed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Data rows parsed so far (the header excluded).
    pub fn rows(&self) -> u64 {
        self.parser.as_ref().map_or(0, |p| p.rows)
    }

    /// Feeds the next chunk of the file. Chunks may split a record, a field or a
    /// multi-byte character anywhere.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        self.bytes += chunk.len() as u64;
        let result = self.push_inner(chunk);
        if let Err(e) = &result {
            self.error = Some(e.clone());
        }
        result
    }

    fn push_inner(&mut self, mut chunk: &[u8]) -> Result<(), IngestError> {
        if !self.bom_checked {
            // The BOM may itself arrive split across chunks, so hold up to three bytes.
            self.sniff.extend_from_slice(chunk);
            if self.sniff.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.sniff) {
                return Ok(());
            }
            self.bom_checked = true;
            if self.sniff.starts_with(b"\xEF\xBB\xBF") {
                self.sniff.drain(..3);
            }
            chunk = &[];
        }
        match &mut self.parser {
            Some(parser) => parser.feed(chunk, &self.source, &self.limits, &mut self.sink),
            None => {
                self.sniff.extend_from_slice(chunk);
                if self.sniff.len() >= SNIFF_BYTES {
                    self.start_parser()?;
                }
                Ok(())
            }
        }
    }

    fn start_parser(&mut self) -> Result<(), IngestError> {
        let buffered = std::mem::take(&mut self.sniff);
        // NUL bytes never occur in text: report them before the parser trips over
        // them in a less telling way (most binary files are not valid UTF-8 either).
        if let Some(offset) = buffered.iter().position(|&b| b == 0) {
            let line = 1 + buffered[..offset].iter().filter(|&&b| b == b'\n').count() as u64;
            let location = Location { row: None, line, column: None };
            return Err(self.error_at(Some(location), IngestErrorKind::Binary { offset: offset as u64 }));
        }
        let delimiter = sniff_delimiter(&buffered);
        let mut parser = Parser {
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            record_line: 1,
            at_boundary: false,
            class: byte_classes(delimiter),
            plain_ends: Vec::with_capacity(64),
            plain_lines: self.plain_lines,
            header: None,
            builder: None,
            rows: 0,
            profile: self.profile,
            source: self.source.clone(),
        };
        parser.feed(&buffered, &self.source, &self.limits, &mut self.sink)?;
        self.parser = Some(parser);
        Ok(())
    }

    fn error_at(&self, location: Option<Location>, kind: IngestErrorKind) -> IngestError {
        IngestError::new(self.source.clone(), location, kind)
    }

    /// Signals the end of the input and returns the typed dataset.
    pub fn finish(self) -> Result<Dataset, IngestError> {
        self.finish_with_sink().map(|(dataset, _)| dataset)
    }

    /// Signals the end of the input and returns the typed dataset and the sink.
    pub fn finish_with_sink(mut self) -> Result<(Dataset, S), IngestError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.bom_checked = true;
        if self.parser.is_none() {
            self.start_parser()?;
        }
        let source = self.source;
        let Some(mut parser) = self.parser else {
            unreachable!("start_parser either sets the parser or fails")
        };
        // An empty input tells csv-core the data has ended.
        parser.feed(&[], &source, &self.limits, &mut self.sink)?;
        let Some(header) = parser.header else {
            return Err(IngestError::new(source, None, IngestErrorKind::Empty));
        };
        // A header without rows is a dataset of no rows: the drift report says so
        // per column rather than refusing the file.
        let mut builder =
            parser.builder.unwrap_or_else(|| ProfileBuilder::new(source.clone(), &header, parser.profile));
        builder.set_delimiter(parser.delimiter);
        Ok((builder.finish(), self.sink))
    }
}

impl Parser {
    /// Runs csv-core over `input`; an empty `input` marks the end of the data.
    fn feed(
        &mut self,
        mut input: &[u8],
        source: &str,
        limits: &IngestLimits,
        sink: &mut impl RowSink,
    ) -> Result<(), IngestError> {
        let at_end = input.is_empty();
        loop {
            if self.at_boundary && self.plain_lines && self.header.is_some() {
                let used = self.plain_records(input, source, limits, sink)?;
                input = &input[used..];
                if input.is_empty() && !at_end {
                    return Ok(());
                }
            }
            self.at_boundary = false;
            let (result, n_in, n_out, n_ends) = self.reader.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            input = &input[n_in..];
            self.out_len += n_out;
            self.ends_len += n_ends;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !at_end {
                        return Ok(());
                    }
                }
                ReadRecordResult::OutputFull => {
                    // Only a growing field makes the buffer grow, so this bounds memory.
                    let field_start = self.ends_len.checked_sub(1).map_or(0, |i| self.ends[i]);
                    if self.out_len - field_start > limits.max_field_bytes {
                        let kind = IngestErrorKind::FieldTooLarge { limit: limits.max_field_bytes };
                        return Err(self.error(source, self.column_name(self.ends_len), kind));
                    }
                    let len = self.out.len() * 2;
                    self.out.resize(len, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends_len >= limits.max_columns {
                        let kind = IngestErrorKind::TooManyColumns { limit: limits.max_columns };
                        return Err(self.error(source, None, kind));
                    }
                    let len = self.ends.len() * 2;
                    self.ends.resize(len, 0);
                }
                ReadRecordResult::Record => {
                    self.record(source, limits, sink)?;
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.record_line = self.reader.line();
                    self.at_boundary = true;
                }
                ReadRecordResult::End => return Ok(()),
            }
        }
    }

    fn error(&self, source: &str, column: Option<String>, kind: IngestErrorKind) -> IngestError {
        let row = if self.header.is_some() { Some(self.rows + 1) } else { None };
        IngestError::new(source.to_string(), Some(Location { row, line: self.record_line, column }), kind)
    }

    /// The record csv-core just read (in `out` and `ends`).
    fn record(
        &mut self,
        source: &str,
        limits: &IngestLimits,
        sink: &mut impl RowSink,
    ) -> Result<(), IngestError> {
        // Moved out for the call so the record can be read while `self` changes.
        let (out, ends) = (std::mem::take(&mut self.out), std::mem::take(&mut self.ends));
        let result = self.csv_record(&out[..self.out_len], &ends[..self.ends_len], source, limits, sink);
        (self.out, self.ends) = (out, ends);
        result
    }

    fn csv_record(
        &mut self,
        data: &[u8],
        ends: &[usize],
        source: &str,
        limits: &IngestLimits,
        sink: &mut impl RowSink,
    ) -> Result<(), IngestError> {
        // csv-core already skips blank lines, so a record of one empty field is a
        // line holding only `""`: a real row whose one cell is empty (RFC 4180).
        if let Some(offset) = find_nul(data) {
            let column = self.column_at(ends, offset);
            return Err(self.error(source, column, IngestErrorKind::Binary { offset: offset as u64 }));
        }
        let text = match std::str::from_utf8(data) {
            Ok(text) => text,
            Err(e) => {
                let column = self.column_at(ends, e.valid_up_to());
                return Err(self.error(source, column, IngestErrorKind::InvalidUtf8));
            }
        };
        // The fields are stored back to back without their delimiters, so bytes that are
        // invalid in each field can be valid together (`\xC3;\x80` joins into `À`): every
        // field must also end on a character boundary.
        if let Some(&end) = ends.iter().find(|&&end| !text.is_char_boundary(end)) {
            let column = self.column_at(ends, end - 1);
            return Err(self.error(source, column, IngestErrorKind::InvalidUtf8));
        }
        self.accept(text, ends, 0, source, limits, sink)
    }

    /// Reads the complete plain lines at the start of `input` without csv-core
    /// and returns the bytes used. A plain line has no quote, no NUL, valid
    /// UTF-8 and no carriage return except a CRLF line end: its fields are the
    /// bytes between delimiters, exactly what csv-core would make of it, so
    /// they are read in place (no copy) with one table lookup a byte. The first
    /// line that is not plain, and an incomplete last line, are left to
    /// csv-core. Line numbers follow csv-core's count, so messages are the same.
    fn plain_records(
        &mut self,
        input: &[u8],
        source: &str,
        limits: &IngestLimits,
        sink: &mut impl RowSink,
    ) -> Result<usize, IngestError> {
        let mut ends = std::mem::take(&mut self.plain_ends);
        let mut used = 0;
        let mut line = self.reader.line();
        let result = loop {
            let rest = &input[used..];
            ends.clear();
            // 0: plain byte, 1: delimiter, 2: line feed, 3: quote or carriage return.
            let mut k = 0;
            let (len, term) = loop {
                let Some(&b) = rest.get(k) else { break (0, 0) };
                match self.class[b as usize] {
                    0 => {}
                    // Past the column limit the line goes to csv-core, which reports it;
                    // `ends` stays bounded.
                    1 if ends.len() >= limits.max_columns => break (0, 0),
                    1 => ends.push(k),
                    2 => break (k, 1),
                    _ if b == b'\r' && rest.get(k + 1) == Some(&b'\n') => break (k, 2),
                    _ => break (0, 0),
                }
                k += 1;
            };
            if term == 0 {
                break Ok(());
            }
            let data = &rest[..len];
            if find_nul(data).is_some() {
                break Ok(());
            }
            let Ok(text) = std::str::from_utf8(data) else { break Ok(()) };
            used += len + term;
            line += 1;
            // csv-core skips empty lines between records.
            if len == 0 {
                continue;
            }
            ends.push(len);
            if let Err(e) = self.accept(text, &ends, 1, source, limits, sink) {
                break Err(e);
            }
            // As in csv-core: the next record's line is the count after this
            // record's terminator, where a CRLF's line feed is not yet counted.
            self.record_line = if term == 2 { line - 1 } else { line };
        };
        self.reader.set_line(line);
        self.plain_ends = ends;
        result.map(|()| used)
    }

    /// Checks and profiles one record whose fields end at `ends` in `text`,
    /// `gap` bytes apart (see [`Row`]).
    fn accept(
        &mut self,
        text: &str,
        ends: &[usize],
        gap: usize,
        source: &str,
        limits: &IngestLimits,
        sink: &mut impl RowSink,
    ) -> Result<(), IngestError> {
        let mut start = 0;
        for (index, &end) in ends.iter().enumerate() {
            if end - start > limits.max_field_bytes {
                let kind = IngestErrorKind::FieldTooLarge { limit: limits.max_field_bytes };
                return Err(self.error(source, self.column_name(index), kind));
            }
            start = end + gap;
        }
        match &self.header {
            None => {
                if ends.len() > limits.max_columns {
                    return Err(self.error(
                        source,
                        None,
                        IngestErrorKind::TooManyColumns { limit: limits.max_columns },
                    ));
                }
                let header = header_names(FieldIter { text, ends, start: 0, gap })
                    .map_err(|kind| self.error(source, None, kind))?;
                sink.delimiter(self.delimiter);
                self.builder = Some(ProfileBuilder::new(self.source.clone(), &header, self.profile));
                sink.header(&header);
                self.header = Some(header);
            }
            Some(header) => {
                if ends.len() != header.len() {
                    // A quoted field running across lines into a short row usually means
                    // an opening quote lost its closing one.
                    let spans_lines = ends.len() < header.len() && text.contains('\n');
                    let kind =
                        IngestErrorKind::Ragged { expected: header.len(), found: ends.len(), spans_lines };
                    return Err(self.error(source, None, kind));
                }
                let decimal_comma = self.delimiter == b';';
                let row = Row { text, ends, gap };
                if let Some(builder) = &mut self.builder {
                    builder.push_with(|i| row.get(i).unwrap_or(""), decimal_comma);
                }
                self.rows += 1;
                sink.row(self.rows, row);
            }
        }
        Ok(())
    }

    /// The header name of the field holding byte `offset` of the current record.
    fn column_at(&self, ends: &[usize], offset: usize) -> Option<String> {
        let index = ends.iter().position(|&end| offset < end).unwrap_or(ends.len().saturating_sub(1));
        self.column_name(index)
    }

    /// The header name of the 0-based field `index`, or its position while the header is being read.
    fn column_name(&self, index: usize) -> Option<String> {
        match &self.header {
            Some(h) => h.get(index).cloned(),
            None => Some(format!("#{}", index + 1)),
        }
    }
}

/// The byte classes of [`Parser::plain_records`] for this delimiter.
fn byte_classes(delimiter: u8) -> [u8; 256] {
    let mut class = [0u8; 256];
    class[usize::from(b'"')] = 3;
    class[usize::from(b'\r')] = 3;
    class[usize::from(b'\n')] = 2;
    // A delimiter that is itself a quote or line end never makes a line plain.
    if class[usize::from(delimiter)] == 0 {
        class[usize::from(delimiter)] = 1;
    }
    class
}

/// The first NUL byte, eight bytes at a time (the classic "has zero byte" bit
/// trick), since every record is scanned and wasm has no vector search.
fn find_nul(data: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = data.chunks_exact(8);
    for (i, c) in (&mut chunks).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        if x.wrapping_sub(LO) & !x & HI != 0 {
            return c.iter().position(|&b| b == 0).map(|p| i * 8 + p);
        }
    }
    let rest = chunks.remainder();
    rest.iter().position(|&b| b == 0).map(|p| data.len() - rest.len() + p)
}

struct FieldIter<'a> {
    text: &'a str,
    ends: &'a [usize],
    start: usize,
    gap: usize,
}

impl<'a> Iterator for FieldIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (&end, rest) = self.ends.split_first()?;
        self.ends = rest;
        let field = &self.text[self.start..end];
        self.start = end + self.gap;
        Some(field)
    }
}

/// Trims header names, names blank ones after their position and rejects duplicates,
/// which would make matching columns between two files ambiguous.
fn header_names<'a>(fields: impl Iterator<Item = &'a str>) -> Result<Vec<String>, IngestErrorKind> {
    let mut names: Vec<String> = Vec::new();
    for (i, field) in fields.enumerate() {
        let trimmed = field.trim();
        let name = if trimmed.is_empty() { format!("column_{}", i + 1) } else { trimmed.to_string() };
        if let Some(first) = names.iter().position(|n| *n == name) {
            return Err(IngestErrorKind::DuplicateColumn { name, first: first + 1, second: i + 1 });
        }
        names.push(name);
    }
    Ok(names)
}

/// Picks the delimiter whose count per line, outside quotes, is the same on the
/// most lines, preferring more fields and then the order of [`DELIMITERS`].
/// A file where no candidate appears is a single-column CSV.
pub(crate) fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut lines: Vec<[usize; DELIMITERS.len()]> = Vec::new();
    let mut counts = [0usize; DELIMITERS.len()];
    let mut in_quotes = false;
    let mut complete = false;
    for &b in sample {
        complete = false;
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                lines.push(counts);
                counts = [0; DELIMITERS.len()];
                complete = true;
                if lines.len() == SNIFF_LINES {
                    break;
                }
            }
            _ if !in_quotes => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    // A last line without its newline is kept only when the whole sample is the file.
    if !complete && sample.len() < SNIFF_BYTES && counts.iter().any(|&c| c > 0) {
        lines.push(counts);
    }
    let mut best: Option<(usize, usize, usize)> = None; // (lines agreeing, fields, index)
    for i in 0..DELIMITERS.len() {
        let first = match lines.first() {
            Some(l) if l[i] > 0 => l[i],
            _ => continue,
        };
        let agreeing = lines.iter().filter(|l| l[i] == first).count();
        let candidate = (agreeing, first, usize::MAX - i);
        if best.is_none_or(|b| candidate > b) {
            best = Some(candidate);
        }
    }
    best.map_or(b',', |(_, _, i)| DELIMITERS[usize::MAX - i])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row as the sink sees it: number and fields.
    #[derive(Default)]
    struct Rows(Vec<(u64, Vec<String>)>);

    impl RowSink for Rows {
        fn row(&mut self, row: u64, fields: Row<'_>) {
            let v: Vec<String> = fields.iter().map(str::to_string).collect();
            assert_eq!(v.len(), fields.len());
            for (i, f) in v.iter().enumerate() {
                assert_eq!(fields.get(i), Some(f.as_str()));
            }
            self.0.push((row, v));
        }
    }

    type Outcome = Result<(Dataset, Vec<(u64, Vec<String>)>), IngestError>;

    fn run(data: &[u8], chunk: usize, plain_lines: bool) -> Outcome {
        let mut ingest = CsvIngest::with_sink("t.csv", IngestLimits::default(), Rows::default());
        ingest.plain_lines = plain_lines;
        for piece in data.chunks(chunk.max(1)) {
            if ingest.push(piece).is_err() {
                break;
            }
        }
        ingest.finish_with_sink().map(|(d, rows)| (d, rows.0))
    }

    #[test]
    fn plain_lines_read_as_csv_core_reads_them() {
        // Pieces of lines: plain cells, quoted cells with delimiters and line
        // breaks, CR, CRLF, blank lines, NUL, invalid UTF-8, ragged rows.
        let pieces: [&[u8]; 20] = [
            b"1.5",
            b"-3",
            b"abc",
            b"",
            b"\"q,\"\"x\"",
            b"\"multi\nline\"",
            b"2024-01-02",
            b"NA",
            b" 7 ",
            b"e\xcc\x81",
            b"\xff",
            b"\x00",
            b"\"\"",
            b"1e5",
            b"x\ry",
            b"yes",
            b"-0",
            b"\xe2\x82\xac",
            b"9",
            b"a b",
        ];
        let mut state = 99u64;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let mut checked = 0;
        for case in 0..400 {
            let delimiter = [b',', b';', b'\t', b'|'][case % 4];
            let columns = 1 + next(4) as usize;
            let mut data: Vec<u8> = Vec::new();
            let header: Vec<String> = (0..columns).map(|i| format!("c{i}")).collect();
            data.extend_from_slice(header.join(&(delimiter as char).to_string()).as_bytes());
            data.extend_from_slice(if case % 3 == 0 { b"\r\n" } else { b"\n" });
            for _ in 0..next(40) {
                // Mostly plain rows, some odd ones; now and then a ragged row.
                let cells = if next(25) == 0 { columns + 1 } else { columns };
                for c in 0..cells {
                    if c > 0 {
                        data.push(delimiter);
                    }
                    let piece = if next(4) == 0 {
                        pieces[next(20) as usize]
                    } else {
                        pieces[[0, 1, 2, 6, 8, 15][next(6) as usize]]
                    };
                    data.extend_from_slice(piece);
                }
                data.extend_from_slice(
                    [&b"\n"[..], b"\r\n", b"\n\n", b"\r", b"\r\n\r\n"]
                        [[0, 0, 0, 1, 1, 2, 3, 4][next(8) as usize]],
                );
            }
            if next(2) == 0 {
                data.pop();
            }
            for chunk in [1 + next(7) as usize, 3 + next(60) as usize, 1 << 16] {
                let (fast, slow) = (run(&data, chunk, true), run(&data, chunk, false));
                assert_eq!(fast, slow, "case {case}, chunk {chunk}: {:?}", String::from_utf8_lossy(&data));
                checked += 1;
            }
        }
        assert_eq!(checked, 1200);
    }

    #[test]
    fn finds_the_first_nul() {
        for len in 0..40 {
            for at in 0..len {
                let mut v = vec![b'a'; len];
                v[at] = 0;
                if at + 3 < len {
                    v[at + 3] = 0;
                }
                assert_eq!(find_nul(&v), Some(at), "{len} {at}");
            }
            assert_eq!(find_nul(&vec![0x80u8; len]), None);
            assert_eq!(find_nul(&vec![b'z'; len]), None);
        }
    }

    #[test]
    fn sniffs_each_delimiter() {
        for d in DELIMITERS {
            let text = format!("a{0}b{0}c\n1{0}2{0}3\n4{0}5{0}6\n", d as char);
            assert_eq!(sniff_delimiter(text.as_bytes()), d, "{:?}", d as char);
        }
        assert_eq!(sniff_delimiter(b"a\n1\n"), b',');
        // Commas inside quotes do not count.
        assert_eq!(sniff_delimiter(b"name;note\n\"x, y, z\";1\n\"p, q\";2\n"), b';');
    }
}
