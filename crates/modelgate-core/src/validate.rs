//! Record validation: check JSON records against a [`Contract`], reporting every
//! violation (never only the first) with the field, the rule, the expected and
//! the actual value.
//!
//! The edge worker calls this on every request, so the contract keeps a lookup
//! index built once on first use (field name to rule set in a hash map, category
//! sets as hash sets), validating a valid record allocates nothing, and
//! [`validate_json`] checks JSON text while parsing it, without building a
//! `serde_json::Value` for the record.
//!
//! ```
//! use modelgate_core::contract::Contract;
//! use modelgate_core::validate::{validate_json, Rule};
//!
//! let contract = Contract::from_json(r#"{
//!   "format": "modelgate-contract", "format_version": 1, "version": "1",
//!   "fields": [
//!     {"name": "age", "type": "integer", "minimum": 0, "maximum": 120},
//!     {"name": "city", "type": "string", "categories": ["Lyon", "Paris"]}
//!   ]
//! }"#).unwrap();
//! let result = validate_json(&contract, r#"[{"age": 31, "city": "Lyon"}, {"age": -4, "city": "Nice"}]"#).unwrap();
//! assert_eq!(result.records, 2);
//! let rules: Vec<Rule> = result.violations.iter().map(|v| v.rule).collect();
//! assert_eq!(rules, [Rule::BelowMinimum, Rule::CategoryNotAllowed]);
//! assert_eq!(result.violations[0].instance, 1);
//! assert_eq!(result.violations[0].message, "age: -4 is below the minimum 0");
//! ```
//!
//! JSON records and CSV cells differ in one way: JSON values have types, CSV
//! cells are text. A string field accepts only JSON strings (`"7"`, not `7`),
//! while a CSV cell `7` in a string column is the text "7". JSON has no NaN or
//! infinity, so number fields that allow them accept the strings in
//! [`crate::contract::NAN_SPELLINGS`], [`crate::contract::POS_INF_SPELLINGS`] and
//! [`crate::contract::NEG_INF_SPELLINGS`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::contract::{
    number_value, AdditionalFields, Contract, FieldContract, FieldType, NAN_SPELLINGS, NEG_INF_SPELLINGS,
    POS_INF_SPELLINGS,
};
use crate::hash::FastHash;
use crate::value::Cell;

/// The rule a value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A required field is absent from the record.
    MissingRequired,
    /// The record has a field the contract does not list, and the contract rejects those.
    UnknownField,
    /// A field appears twice in one JSON object (only [`validate_json`] can see this:
    /// parsers disagree on which copy wins, so the record is ambiguous).
    DuplicateField,
    /// A record is not a JSON object.
    NotAnObject,
    /// The value has the wrong type (a string for a number, a fraction for an integer...).
    WrongType,
    /// Null where the field is not nullable.
    NullNotAllowed,
    /// NaN where the field does not allow it.
    NanNotAllowed,
    /// An infinity where the field does not allow it.
    InfNotAllowed,
    /// Below the field's minimum.
    BelowMinimum,
    /// Above the field's maximum.
    AboveMaximum,
    /// A string outside the field's allowed categories.
    CategoryNotAllowed,
    /// A string shorter than the field's `min_length`.
    TooShort,
    /// A string longer than the field's `max_length`.
    TooLong,
}

impl Rule {
    /// Every rule, in declaration order.
    pub const ALL: [Rule; 13] = [
        Rule::MissingRequired,
        Rule::UnknownField,
        Rule::DuplicateField,
        Rule::NotAnObject,
        Rule::WrongType,
        Rule::NullNotAllowed,
        Rule::NanNotAllowed,
        Rule::InfNotAllowed,
        Rule::BelowMinimum,
        Rule::AboveMaximum,
        Rule::CategoryNotAllowed,
        Rule::TooShort,
        Rule::TooLong,
    ];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::MissingRequired => "missing_required",
            Rule::UnknownField => "unknown_field",
            Rule::DuplicateField => "duplicate_field",
            Rule::NotAnObject => "not_an_object",
            Rule::WrongType => "wrong_type",
            Rule::NullNotAllowed => "null_not_allowed",
            Rule::NanNotAllowed => "nan_not_allowed",
            Rule::InfNotAllowed => "inf_not_allowed",
            Rule::BelowMinimum => "below_minimum",
            Rule::AboveMaximum => "above_maximum",
            Rule::CategoryNotAllowed => "category_not_allowed",
            Rule::TooShort => "too_short",
            Rule::TooLong => "too_long",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule in one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// 0-based index of the record in the batch.
    pub instance: usize,
    /// The field name (empty for `not_an_object`).
    pub field: String,
    /// The rule.
    pub rule: Rule,
    /// What the rule wanted: the type name for type and null rules, the bound for
    /// range and length rules, the allowed list for categories, null for unknown fields.
    pub expected: Value,
    /// The value found (null when the field is missing). Strings longer than 256
    /// characters, and arrays or objects longer than 256 bytes of JSON, are cut short.
    pub actual: Value,
    /// A sentence for people: `age: -4 is below the minimum 0`.
    pub message: String,
}

/// The result of [`validate_json`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// Records checked (1 for a single object).
    pub records: usize,
    /// Every violation, record by record.
    pub violations: Vec<Violation>,
}

/// JSON text that is not valid JSON, or not an object or array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordsError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for RecordsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for RecordsError {}

/// Checks one record (instance 0).
pub fn validate_record(contract: &Contract, record: &Map<String, Value>) -> Vec<Violation> {
    let mut out = Vec::new();
    check_map(contract, 0, record, &mut out);
    out
}

/// Checks a batch of records; each violation's `instance` is the record's index.
pub fn validate_records(contract: &Contract, records: &[Map<String, Value>]) -> Vec<Violation> {
    let mut out = Vec::new();
    for (i, record) in records.iter().enumerate() {
        check_map(contract, i, record, &mut out);
    }
    out
}

/// Checks JSON text holding one record (an object) or a batch (an array of
/// objects; an item that is not an object is a `not_an_object` violation).
/// Only text that is not JSON at all, or neither an object nor an array, is an error.
pub fn validate_json(contract: &Contract, text: &str) -> Result<Validation, RecordsError> {
    validate_with(contract, serde_json::Deserializer::from_str(text))
}

/// [`validate_json`] on bytes, such as a request body: invalid UTF-8 inside a
/// string is an error naming its line and column, like any other invalid JSON.
pub fn validate_json_bytes(contract: &Contract, bytes: &[u8]) -> Result<Validation, RecordsError> {
    // One pass of UTF-8 validation over the whole text is cheaper than serde_json
    // checking each string of a byte slice on its own.
    match std::str::from_utf8(bytes) {
        Ok(text) => validate_json(contract, text),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            // Columns count characters, as serde_json's do, plus one for the bad byte.
            let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
            Err(RecordsError { message: "invalid UTF-8".into(), line, column })
        }
    }
}

fn validate_with<'de, R: serde_json::de::Read<'de>>(
    contract: &Contract,
    mut de: serde_json::Deserializer<R>,
) -> Result<Validation, RecordsError> {
    let compiled = contract.compiled();
    let mut state = State {
        contract,
        compiled,
        out: Vec::new(),
        seen: vec![0; compiled.fields.len().div_ceil(64)],
        records: 0,
    };
    let result = Top(&mut state).deserialize(&mut de).and_then(|()| de.end());
    match result {
        Ok(()) => Ok(Validation { records: state.records, violations: state.out }),
        Err(e) => {
            let message = e.to_string();
            let message = match message.rsplit_once(" at line ") {
                Some((head, _)) => head.to_string(),
                None => message,
            };
            Err(RecordsError { message, line: e.line(), column: e.column() })
        }
    }
}

/// The lookup index of a contract, built once.
#[derive(Debug)]
pub(crate) struct Compiled {
    lookup: HashMap<Box<str>, u32, FastHash>,
    names: Vec<Box<str>>,
    /// For each key position in a record, the field found there last time. Records
    /// from one client share a layout, so the guess is checked with one string
    /// comparison before the hash lookup. Relaxed atomics: a stale guess is only slower.
    order_hint: Vec<AtomicU32>,
    pub(crate) fields: Vec<CompiledField>,
    required: Vec<u32>,
    reject_unknown: bool,
}

/// One field's rules in the form the checks read.
#[derive(Debug)]
pub(crate) struct CompiledField {
    pub(crate) field_type: FieldType,
    nullable: bool,
    pub(crate) required: bool,
    min: f64,
    max: f64,
    allow_nan: bool,
    allow_inf: bool,
    categories: Option<Categories>,
    min_len: u64,
    max_len: u64,
    has_len: bool,
}

/// String equality for short strings, inlined: field names and categories are
/// short, and a call into the C library's memcmp costs more than comparing them here.
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if cfg!(target_arch = "wasm32") {
        // No C library here: the built-in comparison is already inlined Rust.
        return a == b;
    }
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i + 8 <= a.len() {
        let x =
            u64::from_le_bytes([a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5], a[i + 6], a[i + 7]]);
        let y =
            u64::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]]);
        if x != y {
            return false;
        }
        i += 8;
    }
    a[i..].iter().zip(&b[i..]).all(|(x, y)| x == y)
}

/// An allowed set: a short list is scanned (cheaper than hashing the value), a long one hashed.
#[derive(Debug)]
enum Categories {
    Few(Vec<Box<str>>),
    Many(HashSet<Box<str>, FastHash>),
}

impl Categories {
    #[inline]
    fn contains(&self, value: &str) -> bool {
        match self {
            Categories::Few(list) => list.iter().any(|c| same(c, value)),
            Categories::Many(set) => set.contains(value),
        }
    }
}

impl Compiled {
    pub(crate) fn new(contract: &Contract) -> Compiled {
        let mut lookup = HashMap::with_capacity_and_hasher(contract.fields().len(), FastHash);
        let mut fields = Vec::with_capacity(contract.fields().len());
        let mut required = Vec::new();
        for (i, f) in contract.fields().iter().enumerate() {
            lookup.insert(f.name.as_str().into(), i as u32);
            if f.required {
                required.push(i as u32);
            }
            fields.push(CompiledField {
                field_type: f.field_type,
                nullable: f.nullable,
                required: f.required,
                min: f.minimum.unwrap_or(f64::NEG_INFINITY),
                max: f.maximum.unwrap_or(f64::INFINITY),
                allow_nan: f.allow_nan,
                allow_inf: f.allow_inf,
                categories: f.categories.as_ref().map(|c| {
                    let items = c.iter().map(|s| Box::<str>::from(s.as_str()));
                    if c.len() <= 12 {
                        Categories::Few(items.collect())
                    } else {
                        let mut set = HashSet::with_capacity_and_hasher(c.len(), FastHash);
                        set.extend(items);
                        Categories::Many(set)
                    }
                }),
                min_len: f.min_length.unwrap_or(0),
                max_len: f.max_length.unwrap_or(u64::MAX),
                has_len: f.min_length.is_some() || f.max_length.is_some(),
            });
        }
        let n = contract.fields().len();
        Compiled {
            lookup,
            names: contract.fields().iter().map(|f| Box::from(f.name.as_str())).collect(),
            order_hint: (0..n).map(|i| AtomicU32::new(i as u32)).collect(),
            fields,
            required,
            reject_unknown: contract.additional_fields == AdditionalFields::Reject,
        }
    }

    /// The index of the field named `name`.
    #[inline]
    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.lookup.get(name).map(|&i| i as usize)
    }

    /// The index of the field named `name`, the key at `position` in its record.
    #[inline]
    fn index_at(&self, position: usize, name: &str) -> Option<usize> {
        let Some(hint) = self.order_hint.get(position) else { return self.index(name) };
        let guess = hint.load(Ordering::Relaxed) as usize;
        if let Some(candidate) = self.names.get(guess) {
            if same(candidate, name) {
                return Some(guess);
            }
        }
        let found = self.index(name)?;
        hint.store(found as u32, Ordering::Relaxed);
        Some(found)
    }
}

/// A value as the checks see it, borrowed from a JSON value or a CSV cell.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool,
    Number { value: f64, integral: bool },
    Str(&'a str),
    Compound,
}

impl CompiledField {
    /// Calls `broke` with each rule the value breaks (at most two: a category and a length).
    #[inline]
    pub(crate) fn check(&self, value: Scalar<'_>, mut broke: impl FnMut(Rule)) {
        match value {
            Scalar::Null => {
                if !self.nullable {
                    broke(Rule::NullNotAllowed);
                }
            }
            _ if self.field_type == FieldType::Any => {}
            Scalar::Bool => {
                if self.field_type != FieldType::Boolean {
                    broke(Rule::WrongType);
                }
            }
            Scalar::Number { value, integral } => {
                if self.field_type.is_numeric() {
                    if let Some(rule) = self.check_number(value, integral) {
                        broke(rule);
                    }
                } else {
                    broke(Rule::WrongType);
                }
            }
            Scalar::Str(s) => match self.field_type {
                FieldType::String => self.check_string(s, broke),
                FieldType::Datetime => {
                    if !crate::value::is_datetime(s) {
                        broke(Rule::WrongType);
                    }
                }
                FieldType::Number | FieldType::Integer => {
                    if NAN_SPELLINGS.contains(&s) {
                        if !self.allow_nan {
                            broke(Rule::NanNotAllowed);
                        }
                    } else if POS_INF_SPELLINGS.contains(&s) || NEG_INF_SPELLINGS.contains(&s) {
                        if !self.allow_inf {
                            broke(Rule::InfNotAllowed);
                        }
                    } else {
                        broke(Rule::WrongType);
                    }
                }
                FieldType::Boolean | FieldType::Any => broke(Rule::WrongType),
            },
            Scalar::Compound => broke(Rule::WrongType),
        }
    }

    #[inline]
    fn check_number(&self, value: f64, integral: bool) -> Option<Rule> {
        if value.is_nan() {
            return (!self.allow_nan).then_some(Rule::NanNotAllowed);
        }
        if value.is_infinite() {
            return (!self.allow_inf).then_some(Rule::InfNotAllowed);
        }
        if self.field_type == FieldType::Integer && !integral {
            Some(Rule::WrongType)
        } else if value < self.min {
            Some(Rule::BelowMinimum)
        } else if value > self.max {
            Some(Rule::AboveMaximum)
        } else {
            None
        }
    }

    #[inline]
    fn check_string(&self, s: &str, broke: impl FnMut(Rule)) {
        self.check_string_parts(s, s, broke)
    }

    /// Checks `key` against the categories and `text` against the length bounds.
    #[inline]
    fn check_string_parts(&self, key: &str, text: &str, mut broke: impl FnMut(Rule)) {
        if let Some(categories) = &self.categories {
            if !categories.contains(key) {
                broke(Rule::CategoryNotAllowed);
            }
        }
        if self.has_len {
            let n = text.chars().count() as u64;
            if n < self.min_len {
                broke(Rule::TooShort);
            } else if n > self.max_len {
                broke(Rule::TooLong);
            }
        }
    }

    /// Checks one CSV cell: `raw` as written, `cell` its classification. In a
    /// string field every cell is text; numbers are compared with the categories
    /// in their canonical spelling (`1.0` is the category `1`), as the reference's
    /// categories were counted.
    /// `scratch` is a buffer for the spelling of a number, reused from cell to cell.
    pub(crate) fn check_cell(
        &self,
        raw: &str,
        cell: Cell,
        scratch: &mut String,
        mut broke: impl FnMut(Rule),
    ) {
        match cell {
            Cell::Null => self.check(Scalar::Null, broke),
            _ if self.field_type == FieldType::Any => {}
            Cell::Number { value, .. } => match self.field_type {
                FieldType::Number | FieldType::Integer => {
                    if let Some(rule) = self.check_number(value, value.fract() == 0.0) {
                        broke(rule);
                    }
                }
                FieldType::String => {
                    let text = raw.trim();
                    if value.is_finite() && self.categories.is_some() {
                        // Reference categories key numbers by their shortest spelling.
                        let key = if value == 0.0 { 0.0 } else { value };
                        scratch.clear();
                        let _ = std::fmt::Write::write_fmt(scratch, format_args!("{key}"));
                        self.check_string_parts(scratch, text, broke);
                    } else {
                        self.check_string(text, broke);
                    }
                }
                _ => broke(Rule::WrongType),
            },
            Cell::Bool(_) if self.field_type == FieldType::Boolean => {}
            Cell::Datetime if self.field_type == FieldType::Datetime => {}
            Cell::Bool(_) | Cell::Datetime | Cell::Text => {
                if self.field_type == FieldType::String {
                    self.check_string(raw.trim(), broke);
                } else {
                    broke(Rule::WrongType);
                }
            }
        }
    }
}

#[inline]
fn scalar_of(value: &Value) -> Scalar<'_> {
    match value {
        Value::Null => Scalar::Null,
        Value::Bool(_) => Scalar::Bool,
        Value::Number(n) => number_scalar(n),
        Value::String(s) => Scalar::Str(s),
        Value::Array(_) | Value::Object(_) => Scalar::Compound,
    }
}

#[inline]
fn number_scalar(n: &serde_json::Number) -> Scalar<'static> {
    if n.is_f64() {
        let value = n.as_f64().unwrap_or(f64::NAN);
        Scalar::Number { value, integral: value.fract() == 0.0 }
    } else {
        Scalar::Number { value: n.as_f64().unwrap_or(f64::NAN), integral: true }
    }
}

fn check_map(contract: &Contract, instance: usize, record: &Map<String, Value>, out: &mut Vec<Violation>) {
    let compiled = contract.compiled();
    let mut required_seen = 0;
    for (position, (key, value)) in record.iter().enumerate() {
        match compiled.index_at(position, key) {
            Some(i) => {
                let field = &compiled.fields[i];
                required_seen += usize::from(field.required);
                field.check(scalar_of(value), |rule| {
                    out.push(violation(instance, &contract.fields()[i], rule, value))
                });
            }
            None if compiled.reject_unknown => out.push(unknown(contract, instance, key, value)),
            None => {}
        }
    }
    if required_seen < compiled.required.len() {
        for &i in &compiled.required {
            let field = &contract.fields()[i as usize];
            if !record.contains_key(&field.name) {
                out.push(missing(instance, field));
            }
        }
    }
}

/// An article and the type name, for messages: "an integer", "a string".
fn a_type(t: FieldType) -> &'static str {
    match t {
        FieldType::Number => "a number",
        FieldType::Integer => "an integer",
        FieldType::Boolean => "true or false",
        FieldType::String => "a string",
        FieldType::Datetime => "an ISO 8601 date or date-time string",
        FieldType::Any => "any value",
    }
}

/// A value cut to a size fit for a report.
pub(crate) fn shorten(value: &Value) -> Value {
    const LIMIT: usize = 256;
    match value {
        Value::String(s) if s.chars().count() > LIMIT => {
            Value::String(s.chars().take(LIMIT).chain(std::iter::once('…')).collect())
        }
        Value::Array(_) | Value::Object(_) => {
            let text = value.to_string();
            if text.len() <= LIMIT {
                value.clone()
            } else {
                let mut cut = LIMIT;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                Value::String(format!("{}…", &text[..cut]))
            }
        }
        _ => value.clone(),
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let short: String = s.chars().take(60).collect();
            if short.len() < s.len() {
                format!("\"{short}…\"")
            } else {
                format!("\"{s}\"")
            }
        }
        Value::Number(n) => n.to_string(),
        other => crate::contract_parse::describe(other),
    }
}

fn violation(instance: usize, field: &FieldContract, rule: Rule, value: &Value) -> Violation {
    let name = &field.name;
    let (expected, message) = match rule {
        Rule::WrongType => (
            json!(field.field_type.as_str()),
            format!(
                "{name}: expected {}, found {}",
                a_type(field.field_type),
                crate::contract_parse::describe(value)
            ),
        ),
        Rule::NullNotAllowed => (json!(field.field_type.as_str()), format!("{name}: null is not allowed")),
        Rule::NanNotAllowed => (json!("finite number"), format!("{name}: NaN is not allowed")),
        Rule::InfNotAllowed => (json!("finite number"), format!("{name}: {} is not allowed", show(value))),
        Rule::BelowMinimum => {
            let min = number_value(field.minimum.unwrap_or(f64::NEG_INFINITY));
            let message = format!("{name}: {} is below the minimum {min}", show(value));
            (min, message)
        }
        Rule::AboveMaximum => {
            let max = number_value(field.maximum.unwrap_or(f64::INFINITY));
            let message = format!("{name}: {} is above the maximum {max}", show(value));
            (max, message)
        }
        Rule::CategoryNotAllowed => {
            let categories = field.categories.clone().unwrap_or_default();
            let n = categories.len();
            let message = if n <= 5 {
                format!("{name}: {} is not an allowed category ({})", show(value), categories.join(", "))
            } else {
                format!("{name}: {} is not one of the {n} allowed categories", show(value))
            };
            (json!(categories), message)
        }
        Rule::TooShort => {
            let n = field.min_length.unwrap_or(0);
            (json!(n), format!("{name}: {} is shorter than {n} characters", show(value)))
        }
        Rule::TooLong => {
            let n = field.max_length.unwrap_or(0);
            (json!(n), format!("{name}: {} is longer than {n} characters", show(value)))
        }
        Rule::MissingRequired | Rule::UnknownField | Rule::DuplicateField | Rule::NotAnObject => {
            (Value::Null, format!("{name}: {rule}"))
        }
    };
    Violation { instance, field: name.clone(), rule, expected, actual: shorten(value), message }
}

fn missing(instance: usize, field: &FieldContract) -> Violation {
    Violation {
        instance,
        field: field.name.clone(),
        rule: Rule::MissingRequired,
        expected: json!(field.field_type.as_str()),
        actual: Value::Null,
        message: format!("{}: required field is missing", field.name),
    }
}

fn unknown(contract: &Contract, instance: usize, key: &str, value: &Value) -> Violation {
    let hint = crate::contract_parse::closest(key, contract.fields().iter().map(|f| f.name.as_str()))
        .map_or(String::new(), |k| format!("; did you mean \"{k}\"?"));
    Violation {
        instance,
        field: key.to_string(),
        rule: Rule::UnknownField,
        expected: Value::Null,
        actual: shorten(value),
        message: format!("{key}: not a field of the contract{hint}"),
    }
}

// ------------------------------------------------------------------ streaming JSON

struct State<'c> {
    contract: &'c Contract,
    compiled: &'c Compiled,
    out: Vec<Violation>,
    seen: Vec<u64>,
    records: usize,
}

/// The top level: one object, or an array of records.
struct Top<'s, 'c>(&'s mut State<'c>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (one record) or an array of objects (a batch)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.0.records = 1;
        check_stream(self.0, 0, map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut instance = 0;
        while seq.next_element_seed(Item { state: self.0, instance })?.is_some() {
            instance += 1;
        }
        self.0.records = instance;
        Ok(())
    }
}

/// One item of a batch: a record, or a `not_an_object` violation.
struct Item<'s, 'c> {
    state: &'s mut State<'c>,
    instance: usize,
}

impl<'de> DeserializeSeed<'de> for Item<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Item<'_, '_> {
    fn not_an_object(self, actual: Value) {
        let message = format!(
            "record {}: expected an object, found {}",
            self.instance,
            crate::contract_parse::describe(&actual)
        );
        self.state.out.push(Violation {
            instance: self.instance,
            field: String::new(),
            rule: Rule::NotAnObject,
            expected: json!("object"),
            actual: shorten(&actual),
            message,
        });
    }
}

impl<'de> Visitor<'de> for Item<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        check_stream(self.state, self.instance, map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.not_an_object(value);
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_an_object(Value::Null);
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.not_an_object(Value::Bool(v));
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.not_an_object(json!(v));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.not_an_object(json!(v));
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.not_an_object(json!(v));
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.not_an_object(json!(v));
        Ok(())
    }
}

/// A key, borrowed from the text unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A field value, borrowed where it can be; arrays and objects are built in full
/// (they are always wrong, and reported).
enum Val<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'de, str>),
    Compound(Value),
}

impl Val<'_> {
    #[inline]
    fn scalar(&self) -> Scalar<'_> {
        match self {
            Val::Null => Scalar::Null,
            Val::Bool(_) => Scalar::Bool,
            Val::U64(v) => Scalar::Number { value: *v as f64, integral: true },
            Val::I64(v) => Scalar::Number { value: *v as f64, integral: true },
            Val::F64(v) => Scalar::Number { value: *v, integral: v.fract() == 0.0 },
            Val::Str(s) => Scalar::Str(s),
            Val::Compound(_) => Scalar::Compound,
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::U64(v) => json!(v),
            Val::I64(v) => json!(v),
            Val::F64(v) => json!(v),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Compound(v) => v.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for Val<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValVisitor;
        impl<'de> Visitor<'de> for ValVisitor {
            type Value = Val<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Val<'de>, E> {
                Ok(Val::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Val<'de>, E> {
                Ok(Val::Null)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Val<'de>, E> {
                Ok(Val::Bool(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Val<'de>, E> {
                Ok(Val::U64(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Val<'de>, E> {
                Ok(Val::I64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Val<'de>, E> {
                Ok(Val::F64(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Val<'de>, E> {
                Ok(Val::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Val<'de>, E> {
                Ok(Val::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Val<'de>, E> {
                Ok(Val::Str(Cow::Owned(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Val<'de>, A::Error> {
                Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Val::Compound)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Val<'de>, A::Error> {
                Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Val::Compound)
            }
        }
        deserializer.deserialize_any(ValVisitor)
    }
}

fn check_stream<'de, A: MapAccess<'de>>(
    state: &mut State<'_>,
    instance: usize,
    mut map: A,
) -> Result<(), A::Error> {
    let compiled = state.compiled;
    let contract = state.contract;
    state.seen.fill(0);
    let mut required_seen = 0;
    let mut position = 0;
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        let index = compiled.index_at(position, &key);
        position += 1;
        match index {
            Some(i) => {
                let (word, bit) = (i / 64, 1u64 << (i % 64));
                let value: Val<'de> = map.next_value()?;
                let field = &contract.fields()[i];
                if state.seen[word] & bit != 0 {
                    let actual = shorten(&value.to_value());
                    state.out.push(Violation {
                        instance,
                        field: field.name.clone(),
                        rule: Rule::DuplicateField,
                        expected: json!("one value"),
                        actual,
                        message: format!("{}: the field appears more than once in the record", field.name),
                    });
                    continue;
                }
                state.seen[word] |= bit;
                let compiled_field = &compiled.fields[i];
                required_seen += usize::from(compiled_field.required);
                let out = &mut state.out;
                compiled_field.check(value.scalar(), |rule| {
                    out.push(violation(instance, field, rule, &value.to_value()))
                });
            }
            None if compiled.reject_unknown => {
                let value: Val<'de> = map.next_value()?;
                state.out.push(unknown(contract, instance, &key, &value.to_value()));
            }
            None => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    if required_seen < compiled.required.len() {
        for &i in &compiled.required {
            let i = i as usize;
            if state.seen[i / 64] & (1u64 << (i % 64)) == 0 {
                state.out.push(missing(instance, &contract.fields()[i]));
            }
        }
    }
    Ok(())
}
