//! The answers file: one status per rubric item, with a reason, evidence links and notes.
//!
//! Two spellings of the same content, told apart by the first character (`{` is JSON):
//!
//! ```text
//! rubric,section,id,title,status,reason,evidence,notes
//! ml-test-score-2017,data,data-1,A schema records ...,automated,,https://ci.example/schema,nightly job
//! ```
//!
//! ```json
//! { "format": "modelgate-rubric-answers", "version": 1, "rubric": "ml-test-score-2017",
//!   "answers": [ { "id": "data-1", "status": "automated", "evidence": ["https://ci.example/schema"] } ] }
//! ```
//!
//! `docs/rubric.md` describes both. Every problem names the CSV line (and column) or the
//! JSON path; up to [`MAX_PROBLEMS`] problems are reported at once.

use std::collections::HashMap;
use std::fmt;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::model::{serde_message, Rubric};

/// The `format` value of a JSON answers file.
pub const ANSWERS_FORMAT: &str = "modelgate-rubric-answers";

/// Problems collected before parsing stops.
pub const MAX_PROBLEMS: usize = 20;

/// CSV columns, in the order the writer uses. `id` and `status` are required.
pub const CSV_COLUMNS: [&str; 8] =
    ["rubric", "section", "id", "title", "status", "reason", "evidence", "notes"];

/// The answer to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerStatus {
    /// Not done.
    NotDone,
    /// Run by hand, with the results documented and shared.
    Manual,
    /// Run by a system, automatically and repeatedly.
    Automated,
    /// Does not apply to this system (a reason is required).
    NotApplicable,
}

impl AnswerStatus {
    /// Every status, in order.
    pub const ALL: [AnswerStatus; 4] =
        [AnswerStatus::NotDone, AnswerStatus::Manual, AnswerStatus::Automated, AnswerStatus::NotApplicable];

    /// The name used in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStatus::NotDone => "not_done",
            AnswerStatus::Manual => "manual",
            AnswerStatus::Automated => "automated",
            AnswerStatus::NotApplicable => "not_applicable",
        }
    }

    /// Reads a status: the names above in any case, with spaces or hyphens for the
    /// underscore, and `n/a` or `na` for not applicable. `Ok(None)` for an empty value
    /// (unanswered), `Err` for anything else.
    pub fn parse(text: &str) -> Result<Option<AnswerStatus>, UnknownStatus> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Ok(Some(match t.as_str() {
            "" => return Ok(None),
            "not_done" | "notdone" => AnswerStatus::NotDone,
            "manual" => AnswerStatus::Manual,
            "automated" => AnswerStatus::Automated,
            "not_applicable" | "n/a" | "na" => AnswerStatus::NotApplicable,
            _ => return Err(UnknownStatus),
        }))
    }
}

/// A status that is none of [`AnswerStatus`]'s names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownStatus;

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected not_done, manual, automated or not_applicable")
    }
}

impl std::error::Error for UnknownStatus {}

impl fmt::Display for AnswerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One item's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The item id.
    pub id: String,
    /// The status; `None` when unanswered (scored as not done).
    pub status: Option<AnswerStatus>,
    /// Why the item does not apply (required for `not_applicable`).
    pub reason: Option<String>,
    /// Links or paths to the evidence: CI jobs, dashboards, documents. Links hold no
    /// whitespace: text with spaces or line breaks is split into several links.
    pub evidence: Vec<String>,
    /// Free-text notes.
    pub notes: Option<String>,
}

/// A validated answers file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    /// The rubric the answers are for.
    pub rubric: String,
    /// The file name.
    pub source: String,
    /// One answer per item the file says something about, in file order; ids are known to the
    /// rubric and unique. Items left out are unanswered.
    pub answers: Vec<Answer>,
}

impl Answers {
    /// No answers yet, for `rubric`.
    pub fn empty(rubric: &Rubric, source: &str) -> Answers {
        Answers { rubric: rubric.id.clone(), source: source.to_string(), answers: Vec::new() }
    }

    /// The answer to an item, when there is one.
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.id == id)
    }
}

/// Where in an answers file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    /// The whole file.
    File,
    /// A CSV line (1-based; the line on which the record starts) and, when known, the column.
    Line {
        /// 1-based line.
        line: u64,
        /// Column name.
        column: Option<String>,
    },
    /// A JSON syntax error's position.
    Position {
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
    },
    /// A JSON path such as `answers[3].status`.
    Path {
        /// The path.
        path: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => Ok(()),
            Place::Line { line, column: None } => write!(f, "line {line}"),
            Place::Line { line, column: Some(c) } => write!(f, "line {line}, column \"{c}\""),
            Place::Position { line, column } => write!(f, "line {line}, column {column}"),
            Place::Path { path } => f.write_str(path),
        }
    }
}

/// One problem in an answers file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswersProblem {
    /// Where.
    pub place: Place,
    /// What.
    pub kind: ProblemKind,
}

/// The kinds of [`AnswersProblem`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// No content at all.
    Empty,
    /// Larger than [`crate::limits::MAX_ANSWERS_BYTES`].
    TooLarge {
        /// The file's size, in bytes.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// Malformed JSON.
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// A required CSV column is missing.
    MissingColumn {
        /// Its name.
        name: String,
    },
    /// A CSV column modelgate does not know.
    UnknownColumn {
        /// Its name.
        name: String,
    },
    /// A CSV column named twice.
    DuplicateColumn {
        /// Its name.
        name: String,
    },
    /// A CSV row with more fields than the header.
    TooManyFields {
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// A JSON key modelgate does not know.
    UnknownField {
        /// The key.
        name: String,
        /// The keys allowed there.
        expected: &'static str,
    },
    /// A required JSON key is missing.
    MissingField {
        /// The key.
        name: String,
    },
    /// A JSON value of the wrong type.
    WrongType {
        /// What was expected.
        expected: &'static str,
    },
    /// A JSON `format` or `version` modelgate cannot read.
    UnsupportedFormat {
        /// What the file says.
        found: String,
    },
    /// The file answers another rubric.
    WrongRubric {
        /// The rubric the file names.
        found: String,
        /// The rubric being scored.
        expected: String,
    },
    /// A row or answer without an item id.
    MissingId,
    /// An id that is not an item of the rubric.
    UnknownItem {
        /// The id.
        id: String,
        /// The rubric.
        rubric: String,
        /// Its item ids.
        known: Vec<String>,
    },
    /// An item answered twice.
    DuplicateItem {
        /// The id.
        id: String,
        /// Where it was first answered.
        first: Place,
    },
    /// A status modelgate does not know.
    BadStatus {
        /// The value.
        value: String,
    },
    /// `not_applicable` without a reason.
    MissingReason {
        /// The item.
        id: String,
    },
}

impl ProblemKind {
    /// A stable machine-readable name, used in JSON and by the page.
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::Empty => "empty",
            ProblemKind::TooLarge { .. } => "too_large",
            ProblemKind::Syntax { .. } => "syntax",
            ProblemKind::MissingColumn { .. } => "missing_column",
            ProblemKind::UnknownColumn { .. } => "unknown_column",
            ProblemKind::DuplicateColumn { .. } => "duplicate_column",
            ProblemKind::TooManyFields { .. } => "too_many_fields",
            ProblemKind::UnknownField { .. } => "unknown_field",
            ProblemKind::MissingField { .. } => "missing_field",
            ProblemKind::WrongType { .. } => "wrong_type",
            ProblemKind::UnsupportedFormat { .. } => "unsupported_format",
            ProblemKind::WrongRubric { .. } => "wrong_rubric",
            ProblemKind::MissingId => "missing_id",
            ProblemKind::UnknownItem { .. } => "unknown_item",
            ProblemKind::DuplicateItem { .. } => "duplicate_item",
            ProblemKind::BadStatus { .. } => "bad_status",
            ProblemKind::MissingReason { .. } => "missing_reason",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Empty => {
                f.write_str("the file is empty; expected answers as CSV (with a header line) or JSON")
            }
            ProblemKind::TooLarge { size, limit } => {
                write!(f, "{size} bytes is more than the {limit}-byte limit for an answers file")
            }
            ProblemKind::Syntax { message } => write!(f, "not valid JSON: {message}"),
            ProblemKind::MissingColumn { name } => write!(
                f,
                "the header has no \"{name}\" column; the columns are {} (id and status are required)",
                CSV_COLUMNS.join(", ")
            ),
            ProblemKind::UnknownColumn { name } => {
                write!(f, "unknown column \"{name}\"; the columns are {}", CSV_COLUMNS.join(", "))
            }
            ProblemKind::DuplicateColumn { name } => write!(f, "column \"{name}\" appears twice"),
            ProblemKind::TooManyFields { expected, found } => {
                write!(f, "expected at most {expected} fields as in the header, found {found}")
            }
            ProblemKind::UnknownField { name, expected } => {
                write!(f, "unknown field \"{name}\"; expected {expected}")
            }
            ProblemKind::MissingField { name } => write!(f, "missing \"{name}\""),
            ProblemKind::WrongType { expected } => write!(f, "expected {expected}"),
            ProblemKind::UnsupportedFormat { found } => write!(
                f,
                "unsupported answers format {found}; expected \"format\": \"{ANSWERS_FORMAT}\" and \"version\": 1"
            ),
            ProblemKind::WrongRubric { found, expected } => {
                write!(f, "these answers are for rubric \"{found}\", not \"{expected}\"")
            }
            ProblemKind::MissingId => f.write_str("missing item id"),
            ProblemKind::UnknownItem { id, rubric, known } => {
                write!(f, "unknown item id \"{id}\" for rubric {rubric}; its items are {}", known.join(", "))
            }
            ProblemKind::DuplicateItem { id, first } => {
                match first {
                Place::Line { .. } => write!(f, "item \"{id}\" is answered twice (first on {first})"),
                _ => write!(f, "item \"{id}\" is answered twice (first at {first})"),
            }
            }
            ProblemKind::BadStatus { value } => write!(
                f,
                "unknown status \"{value}\"; expected not_done, manual, automated or not_applicable \
                 (or nothing, for unanswered)"
            ),
            ProblemKind::MissingReason { id } => {
                write!(f, "item \"{id}\" is not_applicable without a reason; say why it does not apply")
            }
        }
    }
}

/// An answers file that cannot be used, with every problem found (up to [`MAX_PROBLEMS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswersError {
    /// The file name.
    pub source: String,
    /// The problems, in file order.
    pub problems: Vec<AnswersProblem>,
    /// Problems not listed because of the limit.
    pub more: usize,
}

impl fmt::Display for AnswersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match p.place {
                Place::File => write!(f, "{}: {}", self.source, p.kind)?,
                _ => write!(f, "{}: {}: {}", self.source, p.place, p.kind)?,
            }
        }
        if self.more > 0 {
            write!(
                f,
                "\n{}: and {} more problem{}",
                self.source,
                self.more,
                if self.more == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for AnswersError {}

/// The two spellings of an answers file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswersFormat {
    /// Comma-separated values with a header line.
    Csv,
    /// A JSON object.
    Json,
}

impl AnswersFormat {
    /// JSON when the first character (after a byte order mark and blanks) is `{` or `[`.
    pub fn detect(text: &str) -> AnswersFormat {
        match strip_bom(text).trim_start().as_bytes().first() {
            Some(b'{' | b'[') => AnswersFormat::Json,
            _ => AnswersFormat::Csv,
        }
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

struct Problems {
    list: Vec<AnswersProblem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, place: Place, kind: ProblemKind) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(AnswersProblem { place, kind });
        } else {
            self.more += 1;
        }
    }
}

/// Checks one answer against the rubric and the answers before it.
struct Collector<'r> {
    rubric: &'r Rubric,
    seen: HashMap<String, Place>,
    answers: Vec<Answer>,
    problems: Problems,
}

impl<'r> Collector<'r> {
    fn new(rubric: &'r Rubric) -> Self {
        Collector {
            rubric,
            seen: HashMap::new(),
            answers: Vec::new(),
            problems: Problems { list: Vec::new(), more: 0 },
        }
    }

    fn problem(&mut self, place: Place, kind: ProblemKind) {
        self.problems.push(place, kind);
    }

    /// `id_place` and `reason_place` locate the id and the reason for messages.
    fn add(&mut self, answer: Answer, id_place: Place, reason_place: Place) {
        if answer.id.is_empty() {
            self.problem(id_place, ProblemKind::MissingId);
            return;
        }
        if self.rubric.item(&answer.id).is_none() {
            let known = self.rubric.items().map(|(_, i)| i.id.clone()).collect();
            self.problem(
                id_place,
                ProblemKind::UnknownItem { id: answer.id, rubric: self.rubric.id.clone(), known },
            );
            return;
        }
        if let Some(first) = self.seen.get(&answer.id) {
            let first = first.clone();
            self.problem(id_place, ProblemKind::DuplicateItem { id: answer.id, first });
            return;
        }
        let first = match &id_place {
            Place::Line { line, .. } => Place::Line { line: *line, column: None },
            Place::Path { path } => Place::Path { path: path.trim_end_matches(".id").to_string() },
            other => other.clone(),
        };
        self.seen.insert(answer.id.clone(), first);
        if answer.status == Some(AnswerStatus::NotApplicable) && answer.reason.is_none() {
            self.problem(reason_place, ProblemKind::MissingReason { id: answer.id.clone() });
        }
        // A row with nothing but its id (a template row) says nothing: the item stays unanswered.
        let blank = answer.status.is_none()
            && answer.reason.is_none()
            && answer.evidence.is_empty()
            && answer.notes.is_none();
        if !blank {
            self.answers.push(answer);
        }
    }

    fn finish(self, source: &str) -> Result<Answers, AnswersError> {
        if self.problems.list.is_empty() {
            Ok(Answers { rubric: self.rubric.id.clone(), source: source.to_string(), answers: self.answers })
        } else {
            Err(AnswersError {
                source: source.to_string(),
                problems: self.problems.list,
                more: self.problems.more,
            })
        }
    }
}

fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn split_links(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// Parses an answers file (CSV or JSON, detected) for `rubric`; `source` names it in errors.
///
/// Unknown item ids, unknown statuses, items answered twice, `not_applicable` without a
/// reason, and answers for another rubric are errors naming the line or JSON path. Items the
/// file does not mention, and empty statuses, are unanswered: they score as not done.
pub fn parse_answers(rubric: &Rubric, source: &str, text: &str) -> Result<Answers, AnswersError> {
    if text.len() > crate::limits::MAX_ANSWERS_BYTES {
        let kind = ProblemKind::TooLarge { size: text.len(), limit: crate::limits::MAX_ANSWERS_BYTES };
        return Err(AnswersError {
            source: source.to_string(),
            problems: vec![AnswersProblem { place: Place::File, kind }],
            more: 0,
        });
    }
    let text = strip_bom(text);
    if text.trim().is_empty() {
        return Err(AnswersError {
            source: source.to_string(),
            problems: vec![AnswersProblem { place: Place::File, kind: ProblemKind::Empty }],
            more: 0,
        });
    }
    match AnswersFormat::detect(text) {
        AnswersFormat::Json => parse_json(rubric, source, text),
        AnswersFormat::Csv => parse_csv(rubric, source, text),
    }
}

/// The rubric id an answers file names (the JSON `rubric` key, or the first value of the CSV
/// `rubric` column), so a host can pick the rubric before parsing.
pub fn answers_rubric_id(text: &str) -> Option<String> {
    let text = strip_bom(text);
    match AnswersFormat::detect(text) {
        AnswersFormat::Json => {
            let value: Value = serde_json::from_str(text).ok()?;
            value.get("rubric")?.as_str().and_then(non_empty)
        }
        AnswersFormat::Csv => {
            let records = CsvRecords::new(text, sniff_delimiter(text));
            let mut column = None;
            for (i, (_, fields)) in records.enumerate() {
                if i == 0 {
                    column = Some(fields.iter().position(|f| f.trim().eq_ignore_ascii_case("rubric"))?);
                } else if let Some(v) = column.and_then(|c| fields.get(c)).and_then(|f| non_empty(f)) {
                    return Some(v);
                }
            }
            None
        }
    }
}

// ---------------------------------------------------------------- CSV

/// Picks `,`, `;` or tab: the first whose header line splits into a known `id` column.
fn sniff_delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    for delimiter in [b',', b';', b'\t'] {
        if let Some((_, header)) = CsvRecords::new(first_line, delimiter).next() {
            if header.iter().any(|h| h.trim().eq_ignore_ascii_case("id")) {
                return delimiter;
            }
        }
    }
    b','
}

/// CSV records of a whole text, each with the line it starts on. Blank lines are skipped.
struct CsvRecords<'a> {
    input: &'a [u8],
    reader: Reader,
    line: u64,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl<'a> CsvRecords<'a> {
    fn new(text: &'a str, delimiter: u8) -> Self {
        CsvRecords {
            input: text.as_bytes(),
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            line: 1,
            out: vec![0; 1024],
            ends: vec![0; 16],
        }
    }
}

impl Iterator for CsvRecords<'_> {
    type Item = (u64, Vec<String>);

    fn next(&mut self) -> Option<Self::Item> {
        // Skip blank lines ourselves, so the record's first line is known.
        while let Some((&b, rest)) = self.input.split_first() {
            match b {
                b'\n' => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.input = rest;
        }
        if self.input.is_empty() {
            return None;
        }
        let start_line = self.line;
        let (mut out_len, mut ends_len) = (0, 0);
        loop {
            let (result, consumed, written, ended) =
                self.reader.read_record(self.input, &mut self.out[out_len..], &mut self.ends[ends_len..]);
            self.line += self.input[..consumed].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input = &self.input[consumed..];
            // csv-core's field ends count from the start of the record, across calls
            // (not from the output slice handed to this call), so they are used as they are.
            out_len += written;
            ends_len += ended;
            match result {
                // All the text was handed over; the next call, with no input, ends the record.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => break,
                ReadRecordResult::End if ends_len == 0 => return None,
                ReadRecordResult::End => break,
            }
        }
        // The input is a &str and csv-core splits only at ASCII bytes, so every field is UTF-8.
        let mut fields = Vec::with_capacity(ends_len);
        let mut start = 0;
        for &end in &self.ends[..ends_len] {
            // Line breaks inside quoted fields become plain \n, whatever the file's line ends.
            fields.push(String::from_utf8_lossy(&self.out[start..end]).replace("\r\n", "\n"));
            start = end;
        }
        Some((start_line, fields))
    }
}

fn parse_csv(rubric: &Rubric, source: &str, text: &str) -> Result<Answers, AnswersError> {
    let mut records = CsvRecords::new(text, sniff_delimiter(text));
    let mut c = Collector::new(rubric);
    let Some((header_line, header)) = records.next() else {
        c.problem(Place::File, ProblemKind::Empty);
        return c.finish(source);
    };
    // Column index per known name.
    let mut columns: HashMap<&'static str, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        let place = Place::Line { line: header_line, column: Some(name.clone()) };
        match CSV_COLUMNS.iter().find(|k| **k == name) {
            None if name.is_empty() && i + 1 == header.len() => {} // a trailing delimiter
            None => c.problem(place, ProblemKind::UnknownColumn { name }),
            Some(k) => {
                if columns.insert(k, i).is_some() {
                    c.problem(place, ProblemKind::DuplicateColumn { name });
                }
            }
        }
    }
    for required in ["id", "status"] {
        if !columns.contains_key(required) {
            c.problem(
                Place::Line { line: header_line, column: None },
                ProblemKind::MissingColumn { name: required.into() },
            );
        }
    }
    if !c.problems.list.is_empty() {
        return c.finish(source);
    }
    for (line, fields) in records {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue; // a blank spreadsheet row
        }
        if fields.len() > header.len() && fields[header.len()..].iter().any(|f| !f.trim().is_empty()) {
            c.problem(
                Place::Line { line, column: None },
                ProblemKind::TooManyFields { expected: header.len(), found: fields.len() },
            );
            continue;
        }
        // Spreadsheets drop trailing empty cells: a missing field is empty.
        let get = |name: &str| columns.get(name).and_then(|&i| fields.get(i)).map_or("", String::as_str);
        let at = |name: &str| Place::Line { line, column: Some(name.to_string()) };
        if let Some(found) = non_empty(get("rubric")) {
            if found != rubric.id {
                c.problem(at("rubric"), ProblemKind::WrongRubric { found, expected: rubric.id.clone() });
                continue;
            }
        }
        let status = match AnswerStatus::parse(get("status")) {
            Ok(s) => s,
            Err(UnknownStatus) => {
                c.problem(at("status"), ProblemKind::BadStatus { value: get("status").trim().to_string() });
                continue;
            }
        };
        let answer = Answer {
            id: get("id").trim().to_string(),
            status,
            reason: non_empty(get("reason")),
            evidence: split_links(get("evidence")),
            notes: non_empty(get("notes")),
        };
        let reason_at = if columns.contains_key("reason") { at("reason") } else { at("status") };
        c.add(answer, at("id"), reason_at);
    }
    c.finish(source)
}

// ---------------------------------------------------------------- JSON

const TOP_KEYS: &str = "format, version, rubric and answers";
const ANSWER_KEYS: &str = "id, status, reason, evidence and notes (section and title are ignored)";

fn parse_json(rubric: &Rubric, source: &str, text: &str) -> Result<Answers, AnswersError> {
    let mut c = Collector::new(rubric);
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let place = Place::Position { line: e.line() as u64, column: e.column() as u64 };
            c.problem(place, ProblemKind::Syntax { message: serde_message(&e) });
            return c.finish(source);
        }
    };
    let path = |p: &str| Place::Path { path: p.to_string() };
    let Some(top) = value.as_object() else {
        c.problem(
            path("top level"),
            ProblemKind::WrongType { expected: "an object with \"rubric\" and \"answers\"" },
        );
        return c.finish(source);
    };
    for key in top.keys() {
        if !matches!(key.as_str(), "format" | "version" | "rubric" | "answers") {
            c.problem(path(key), ProblemKind::UnknownField { name: key.clone(), expected: TOP_KEYS });
        }
    }
    match top.get("format") {
        None => {}
        Some(Value::String(s)) if s == ANSWERS_FORMAT => {}
        Some(other) => c.problem(path("format"), ProblemKind::UnsupportedFormat { found: other.to_string() }),
    }
    match top.get("version") {
        None => {}
        Some(v) if v.as_u64() == Some(1) => {}
        Some(other) => {
            c.problem(path("version"), ProblemKind::UnsupportedFormat { found: format!("version {other}") })
        }
    }
    match top.get("rubric") {
        None | Some(Value::Null) => {}
        Some(Value::String(found)) if found.trim() == rubric.id => {}
        Some(Value::String(found)) => c.problem(
            path("rubric"),
            ProblemKind::WrongRubric { found: found.clone(), expected: rubric.id.clone() },
        ),
        Some(_) => c.problem(path("rubric"), ProblemKind::WrongType { expected: "a string" }),
    }
    let list = match top.get("answers") {
        Some(Value::Array(list)) => list,
        Some(_) => {
            c.problem(path("answers"), ProblemKind::WrongType { expected: "an array of answers" });
            return c.finish(source);
        }
        None => {
            c.problem(path("top level"), ProblemKind::MissingField { name: "answers".into() });
            return c.finish(source);
        }
    };
    for (i, entry) in list.iter().enumerate() {
        let at = |key: &str| path(&format!("answers[{i}].{key}"));
        let Some(obj) = entry.as_object() else {
            c.problem(path(&format!("answers[{i}]")), ProblemKind::WrongType { expected: "an object" });
            continue;
        };
        if let Some(answer) = json_answer(obj, &mut c, &at) {
            c.add(answer, at("id"), at("reason"));
        }
    }
    c.finish(source)
}

/// Reads one answer object; `None` after a problem that leaves nothing to check further.
fn json_answer(
    obj: &Map<String, Value>,
    c: &mut Collector<'_>,
    at: &dyn Fn(&str) -> Place,
) -> Option<Answer> {
    let before = c.problems.list.len() + c.problems.more;
    for key in obj.keys() {
        if !matches!(key.as_str(), "id" | "status" | "reason" | "evidence" | "notes" | "section" | "title") {
            c.problem(at(key), ProblemKind::UnknownField { name: key.clone(), expected: ANSWER_KEYS });
        }
    }
    let text = |key: &str, c: &mut Collector<'_>| -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => non_empty(s),
            Some(_) => {
                c.problem(at(key), ProblemKind::WrongType { expected: "a string" });
                None
            }
        }
    };
    let id = match obj.get("id") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Null) | None => String::new(),
        Some(_) => {
            c.problem(at("id"), ProblemKind::WrongType { expected: "a string" });
            return None;
        }
    };
    let status = match obj.get("status") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match AnswerStatus::parse(s) {
            Ok(status) => status,
            Err(UnknownStatus) => {
                c.problem(at("status"), ProblemKind::BadStatus { value: s.trim().to_string() });
                None
            }
        },
        Some(_) => {
            c.problem(at("status"), ProblemKind::WrongType { expected: "a string" });
            None
        }
    };
    let reason = text("reason", c);
    let notes = text("notes", c);
    let _ = text("section", c);
    let _ = text("title", c);
    let evidence = match obj.get("evidence") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => split_links(s),
        Some(Value::Array(list)) => {
            let mut links = Vec::new();
            for (k, v) in list.iter().enumerate() {
                match v {
                    // Links hold no whitespace: an entry with spaces is several links, as in CSV.
                    Value::String(s) => links.extend(split_links(s)),
                    _ => c.problem(
                        at(&format!("evidence[{k}]")),
                        ProblemKind::WrongType { expected: "a string" },
                    ),
                }
            }
            links
        }
        Some(_) => {
            c.problem(at("evidence"), ProblemKind::WrongType { expected: "a string or an array of strings" });
            Vec::new()
        }
    };
    if c.problems.list.len() + c.problems.more > before {
        return None;
    }
    Some(Answer { id, status, reason, evidence, notes })
}

// ---------------------------------------------------------------- writers

/// Writes `answers` for `rubric` as a complete file: every item of the rubric in order,
/// unanswered ones with an empty status, with section and title for readers.
pub fn write_answers(rubric: &Rubric, answers: &Answers, format: AnswersFormat) -> String {
    match format {
        AnswersFormat::Csv => write_csv(rubric, answers),
        AnswersFormat::Json => write_json(rubric, answers),
    }
}

/// A blank answers file for `rubric`: every item, unanswered.
pub fn template(rubric: &Rubric, format: AnswersFormat) -> String {
    write_answers(rubric, &Answers::empty(rubric, ""), format)
}

fn write_csv(rubric: &Rubric, answers: &Answers) -> String {
    let mut out = String::new();
    out.push_str(&CSV_COLUMNS.join(","));
    out.push('\n');
    for (section, item) in rubric.items() {
        let a = answers.get(&item.id);
        let fields = [
            rubric.id.as_str(),
            section.id.as_str(),
            item.id.as_str(),
            item.title.as_str(),
            a.and_then(|a| a.status).map_or("", AnswerStatus::as_str),
            a.and_then(|a| a.reason.as_deref()).unwrap_or(""),
            &a.map(|a| a.evidence.join(" ")).unwrap_or_default(),
            a.and_then(|a| a.notes.as_deref()).unwrap_or(""),
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_csv_field(&mut out, field);
        }
        out.push('\n');
    }
    out
}

fn push_csv_field(out: &mut String, field: &str) {
    let quote = field.contains([',', ';', '\t', '"', '\n', '\r']) || field.trim() != field;
    if quote {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

fn write_json(rubric: &Rubric, answers: &Answers) -> String {
    #[derive(Serialize)]
    struct File<'a> {
        format: &'static str,
        version: u32,
        rubric: &'a str,
        answers: Vec<Entry<'a>>,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        id: &'a str,
        section: &'a str,
        title: &'a str,
        status: Option<AnswerStatus>,
        reason: Option<&'a str>,
        evidence: &'a [String],
        notes: Option<&'a str>,
    }
    let file = File {
        format: ANSWERS_FORMAT,
        version: 1,
        rubric: &rubric.id,
        answers: rubric
            .items()
            .map(|(section, item)| {
                let a = answers.get(&item.id);
                Entry {
                    id: &item.id,
                    section: &section.id,
                    title: &item.title,
                    status: a.and_then(|a| a.status),
                    reason: a.and_then(|a| a.reason.as_deref()),
                    evidence: a.map_or(&[], |a| a.evidence.as_slice()),
                    notes: a.and_then(|a| a.notes.as_deref()),
                }
            })
            .collect(),
    };
    // Serialising plain strings, numbers and options cannot fail.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}
