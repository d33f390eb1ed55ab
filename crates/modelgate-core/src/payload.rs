//! Inference request bodies into feature records.
//!
//! Model servers accept the same rows in several JSON envelopes. [`parse_payload`]
//! recognises the ones in common use, checks each for internal consistency and
//! returns the rows as records (JSON objects keyed by feature name) together with
//! the [`PayloadFormat`] it detected:
//!
//! | format | body | from |
//! |---|---|---|
//! | `json_object` | `{"age": 31, "city": "Lyon"}` | one record |
//! | `json_array` | `[{"age": 31}, {"age": 45}]` | records (or rows of values, see below) |
//! | `instances` | `{"instances": [...]}` (optional `signature_name`) | TensorFlow Serving row format, KServe v1, MLflow |
//! | `inputs` | `{"inputs": {"age": [31, 45]}}` or `{"inputs": [[31], [45]]}` | TensorFlow Serving columnar format, MLflow tensor input |
//! | `open_inference` | `{"inputs": [{"name", "shape", "datatype", "data"}]}` | Open Inference Protocol (KServe v2, Triton, MLServer) |
//! | `dataframe_split` | `{"dataframe_split": {"columns", "data", "index"?}}` | MLflow, pandas `orient="split"` |
//! | `dataframe_records` | `{"dataframe_records": [{...}, ...]}` | MLflow, pandas `orient="records"` |
//!
//! Rows given as arrays of values rather than objects (`{"instances": [[31, "Lyon"]]}`)
//! are named by position with [`PayloadOptions::feature_names`], which a host fills
//! from the contract's feature order; without it such rows are an error.
//! Open Inference tensors are checked against their own `shape` and `datatype`:
//! the element count must equal the product of the shape, nested `data` must follow
//! the shape exactly, every element must be of the declared datatype, and every
//! tensor must share the batch dimension (`shape[0]`). A tensor of shape `[n]` or
//! `[n, 1]` is one feature; a single tensor of shape `[n, k]` is spread over the `k`
//! configured feature names when there are exactly `k`; otherwise each record holds
//! the instance's slice of the tensor as an array.
//!
//! Formats are described in the TensorFlow Serving REST API guide, the KServe and
//! Open Inference Protocol specifications, and MLflow's scoring server
//! documentation; the wording and the code here are our own.
//!
//! Limits ([`PayloadLimits`]) are checked before any allocation that grows with
//! them: the body size first, then the nesting depth by a single scan over the
//! bytes (so hostile nesting never reaches the JSON parser's recursion), then the
//! number of records before the records are built. `NaN` and `Infinity` are not
//! JSON; a body holding them is malformed, and the message says so.
//!
//! ```
//! use modelgate_core::payload::{parse_payload, PayloadFormat, PayloadOptions};
//!
//! let body = br#"{"dataframe_split": {"columns": ["age", "city"], "data": [[31, "Lyon"], [45, null]]}}"#;
//! let payload = parse_payload(body, &PayloadOptions::default()).unwrap();
//! assert_eq!(payload.format, PayloadFormat::DataframeSplit);
//! assert_eq!(payload.records.len(), 2);
//! assert_eq!(payload.records[1]["age"], 45);
//! assert!(payload.records[1]["city"].is_null());
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::contract::Contract;
use crate::validate::{validate_records, Rule, Violation};

/// One row of features, keyed by feature name.
pub type Record = Map<String, Value>;

/// The envelope a body was sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadFormat {
    /// A JSON object of features: one record.
    JsonObject,
    /// A JSON array of records, or of rows of values.
    JsonArray,
    /// `{"instances": [...]}`: TensorFlow Serving's row format, KServe v1, MLflow.
    Instances,
    /// `{"inputs": {...}}` or `{"inputs": [...]}` without tensor objects:
    /// TensorFlow Serving's columnar format, MLflow's tensor input.
    Inputs,
    /// `{"inputs": [{"name", "shape", "datatype", "data"}]}`: the Open Inference
    /// Protocol (KServe v2).
    OpenInference,
    /// `{"dataframe_split": {"columns", "data", "index"?}}`: MLflow.
    DataframeSplit,
    /// `{"dataframe_records": [...]}`: MLflow.
    DataframeRecords,
}

impl PayloadFormat {
    /// The stable name used in JSON and in headers.
    pub fn as_str(&self) -> &'static str {
        match self {
            PayloadFormat::JsonObject => "json_object",
            PayloadFormat::JsonArray => "json_array",
            PayloadFormat::Instances => "instances",
            PayloadFormat::Inputs => "inputs",
            PayloadFormat::OpenInference => "open_inference",
            PayloadFormat::DataframeSplit => "dataframe_split",
            PayloadFormat::DataframeRecords => "dataframe_records",
        }
    }
}

/// The shapes a body may take, as named in the error for any other shape.
pub const ACCEPTED_SHAPES: &str = "a JSON object of features, a JSON array of them, \
{\"instances\": [...]}, {\"inputs\": {...}} or {\"inputs\": [...]}, \
Open Inference {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]}, \
{\"dataframe_split\": {\"columns\", \"data\"}} or {\"dataframe_records\": [...]}";

/// serde_json refuses a 128th nested array or object ("recursion limit
/// exceeded"), so [`PayloadLimits::max_depth`] is capped at 127: past that the
/// parser, not our limit, would answer, with a less helpful message.
pub const MAX_DEPTH_CEILING: usize = 127;

/// Limits that keep hostile bodies from exhausting memory or stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PayloadLimits {
    /// Largest body, in bytes (default 1 MiB).
    pub max_body_bytes: usize,
    /// Deepest nesting of arrays and objects; the top-level value is depth 1
    /// (default 32, capped at [`MAX_DEPTH_CEILING`]).
    pub max_depth: usize,
    /// Most records one body may hold (default 10,000).
    pub max_records: usize,
}

impl Default for PayloadLimits {
    fn default() -> Self {
        PayloadLimits { max_body_bytes: 1 << 20, max_depth: 32, max_records: 10_000 }
    }
}

/// How to read a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayloadOptions {
    /// Size, depth and record limits.
    pub limits: PayloadLimits,
    /// Feature names in order, to name rows given as arrays of values.
    pub feature_names: Vec<String>,
}

impl PayloadOptions {
    /// Default limits, with rows of values named by the contract's field order.
    pub fn for_contract(contract: &Contract) -> PayloadOptions {
        PayloadOptions {
            limits: PayloadLimits::default(),
            feature_names: contract.fields().iter().map(|f| f.name.clone()).collect(),
        }
    }
}

/// A parsed body.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    /// The envelope it came in.
    pub format: PayloadFormat,
    /// Its rows, in order; a record's index is its instance index.
    pub records: Vec<Record>,
}

/// A body that cannot be turned into records.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    /// No bytes, or only whitespace.
    Empty,
    /// Larger than [`PayloadLimits::max_body_bytes`].
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The body's size, in bytes.
        size: usize,
    },
    /// Nested deeper than [`PayloadLimits::max_depth`].
    TooDeep {
        /// The limit.
        limit: usize,
        /// 1-based line of the array or object that went past it.
        line: u64,
        /// 1-based column (in bytes) of that array or object.
        column: u64,
    },
    /// Not valid JSON.
    Malformed {
        /// 1-based line of the error.
        line: u64,
        /// 1-based column (in bytes) of the error.
        column: u64,
        /// What the parser expected.
        message: String,
    },
    /// Valid JSON in none of the accepted shapes.
    UnknownShape {
        /// What was found instead.
        found: String,
    },
    /// A known envelope whose content does not fit it.
    Invalid {
        /// Where, as a JSON path (`inputs[1].shape`).
        path: String,
        /// What is wrong there.
        message: String,
    },
    /// Rows of values with no feature names to give them.
    Unnamed {
        /// Where the first such row is.
        path: String,
        /// How many values it holds.
        width: usize,
    },
    /// More records than [`PayloadLimits::max_records`].
    TooManyRecords {
        /// The limit.
        limit: usize,
        /// Records in the body (a `u64`, so a declared Open Inference batch reads
        /// the same on 32-bit wasm as natively).
        found: u64,
    },
}

impl PayloadError {
    /// A stable machine-readable name for the error, used in JSON and by hosts to
    /// choose a status code.
    pub fn code(&self) -> &'static str {
        match self {
            PayloadError::Empty => "empty_body",
            PayloadError::TooLarge { .. } => "body_too_large",
            PayloadError::TooDeep { .. } => "too_deep",
            PayloadError::Malformed { .. } => "malformed_json",
            PayloadError::UnknownShape { .. } => "unknown_shape",
            PayloadError::Invalid { .. } => "invalid_payload",
            PayloadError::Unnamed { .. } => "unnamed_values",
            PayloadError::TooManyRecords { .. } => "too_many_records",
        }
    }

    /// Whether the error is about size (a host answers 413) rather than content (400).
    pub fn is_too_large(&self) -> bool {
        matches!(self, PayloadError::TooLarge { .. } | PayloadError::TooManyRecords { .. })
    }

    fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        PayloadError::Invalid { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::Empty => write!(f, "body: the body is empty; expected {ACCEPTED_SHAPES}"),
            PayloadError::TooLarge { limit, size } => {
                write!(f, "body: {size} bytes is more than the {limit}-byte limit")
            }
            PayloadError::TooDeep { limit, line, column } => write!(
                f,
                "body: line {line}, column {column}: arrays and objects are nested deeper than the limit of {limit}"
            ),
            PayloadError::Malformed { line, column, message } => {
                write!(f, "body: line {line}, column {column}: malformed JSON: {message}")
            }
            PayloadError::UnknownShape { found } => {
                write!(f, "body: {found} is not an accepted shape; send {ACCEPTED_SHAPES}")
            }
            PayloadError::Invalid { path, message } => write!(f, "{path}: {message}"),
            PayloadError::Unnamed { path, width } => write!(
                f,
                "{path}: holds {} by position and no feature order is configured to name them; \
                 send objects keyed by feature name, or configure the feature order",
                plural(*width, "value")
            ),
            PayloadError::TooManyRecords { limit, found } => {
                let noun = if *found == 1 { "record" } else { "records" };
                write!(f, "body: {found} {noun} is more than the limit of {limit}")
            }
        }
    }
}

impl std::error::Error for PayloadError {}

/// Parses a request body into records, detecting its format.
///
/// Never panics; every body that cannot be read is a [`PayloadError`] naming the
/// place (line and column, or JSON path) and what was expected there.
pub fn parse_payload(body: &[u8], options: &PayloadOptions) -> Result<Payload, PayloadError> {
    let limits = &options.limits;
    if body.len() > limits.max_body_bytes {
        return Err(PayloadError::TooLarge { limit: limits.max_body_bytes, size: body.len() });
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(PayloadError::Empty);
    }
    check_depth(body, limits.max_depth.clamp(1, MAX_DEPTH_CEILING))?;
    let value = parse_strict(body).map_err(|e| malformed(body, &e))?;
    let reader = Reader { limits: &options.limits, names: &options.feature_names };
    match value {
        Value::Object(map) => reader.object(map),
        Value::Array(items) => {
            Ok(Payload { format: PayloadFormat::JsonArray, records: reader.rows(items, "body", true)? })
        }
        other => Err(PayloadError::UnknownShape { found: describe(&other).to_string() }),
    }
}

/// What a body holds against a contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayloadReport {
    /// The envelope it came in.
    pub format: PayloadFormat,
    /// Records in it.
    pub records: usize,
    /// Records with at least one violation.
    pub invalid_records: usize,
    /// Every violation, record by record; `instance` is the record's index.
    pub violations: Vec<Violation>,
    /// Violations counted by field and rule, the most frequent first (ties by
    /// field, then rule), for a one-line summary.
    pub summary: Vec<ViolationCount>,
}

/// How often one field broke one rule in a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViolationCount {
    /// The field (empty for `not_an_object`).
    pub field: String,
    /// The rule.
    pub rule: Rule,
    /// Violations.
    pub count: usize,
}

impl PayloadReport {
    /// Validates every record of a parsed body against `contract`.
    pub fn new(contract: &Contract, payload: &Payload) -> PayloadReport {
        let violations = validate_records(contract, &payload.records);
        let mut invalid_records = 0;
        let mut last = None;
        let mut by_key: HashMap<(&str, Rule), usize> = HashMap::new();
        for v in &violations {
            if last != Some(v.instance) {
                invalid_records += 1;
                last = Some(v.instance);
            }
            *by_key.entry((v.field.as_str(), v.rule)).or_insert(0) += 1;
        }
        let mut counts: Vec<ViolationCount> = by_key
            .into_iter()
            .map(|((field, rule), count)| ViolationCount { field: field.to_string(), rule, count })
            .collect();
        counts.sort_by(|a, b| {
            b.count.cmp(&a.count).then_with(|| a.field.cmp(&b.field)).then(a.rule.cmp(&b.rule))
        });
        PayloadReport {
            format: payload.format,
            records: payload.records.len(),
            invalid_records,
            violations,
            summary: counts,
        }
    }
}

/// Parses a request body and validates every record against `contract`.
///
/// Rows sent as arrays of values are named by `options.feature_names`; use
/// [`PayloadOptions::for_contract`] to name them by the contract's field order.
///
/// ```
/// use modelgate_core::contract::Contract;
/// use modelgate_core::payload::{validate_payload, PayloadOptions};
///
/// let contract = Contract::from_json(r#"{"format": "modelgate-contract", "format_version": 1, "version": "3",
///   "fields": [{"name": "age", "type": "integer", "minimum": 0, "maximum": 120},
///              {"name": "city", "type": "string", "categories": ["Lyon", "Paris"]}]}"#).unwrap();
/// let options = PayloadOptions::for_contract(&contract);
/// let body = br#"{"instances": [[31, "Lyon"], [-4, "Nice"], [200, "Paris"]]}"#;
/// let report = validate_payload(&contract, body, &options).unwrap();
/// assert_eq!((report.records, report.invalid_records, report.violations.len()), (3, 2, 3));
/// assert_eq!(report.violations[0].message, "age: -4 is below the minimum 0");
/// ```
pub fn validate_payload(
    contract: &Contract,
    body: &[u8],
    options: &PayloadOptions,
) -> Result<PayloadReport, PayloadError> {
    let payload = parse_payload(body, options)?;
    Ok(PayloadReport::new(contract, &payload))
}

/// Finds the first array or object nested deeper than `limit`, outside strings.
fn check_depth(body: &[u8], limit: usize) -> Result<(), PayloadError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut line = 1u64;
    let mut line_start = 0usize;
    for (i, &b) in body.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    let column = (i - line_start + 1) as u64;
                    return Err(PayloadError::TooDeep { limit, line, column });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The body as a JSON value, refusing an object that repeats a key.
///
/// serde_json keeps the last of repeated keys; a model server's parser may keep
/// the first, so `{"age": 30, "age": -5}` could pass the gate as one value and
/// reach the model as another. A repeated key is therefore malformed.
fn parse_strict(body: &[u8]) -> Result<Value, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = StrictValue.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Builds a [`Value`] as serde_json does, but errs on a repeated object key.
struct StrictValue;

impl<'de> serde::de::DeserializeSeed<'de> for StrictValue {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "the key {} appears twice in one object",
                    Value::String(key)
                )));
            }
            let value = map.next_value_seed(StrictValue)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

fn malformed(body: &[u8], e: &serde_json::Error) -> PayloadError {
    // serde_json's message ends with " at line L column C", which we report apart.
    let text = e.to_string();
    let mut message = match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    };
    let (line, column) = (e.line() as u64, e.column() as u64);
    if let Some(token) = bare_non_finite(body, line) {
        message.push_str(&format!("; {token} is not JSON, send null for a missing number"));
    }
    PayloadError::Malformed { line, column: column.max(1), message }
}

/// `NaN` or `Infinity` written as a bare word (outside strings) on `line`, which
/// Python's `json` module and TensorFlow Serving accept but JSON does not.
fn bare_non_finite(body: &[u8], line: u64) -> Option<&'static str> {
    let mut current = 1u64;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in body.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'\n' => {
                current += 1;
                if current > line {
                    return None;
                }
            }
            b'N' if current == line && body[i..].starts_with(b"NaN") => return Some("NaN"),
            b'I' if current == line && body[i..].starts_with(b"Infinity") => return Some("Infinity"),
            _ => {}
        }
    }
    None
}

/// The JSON kind of a value, for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

const ONE_SHAPE: &str =
    "send every feature as a column (an array with one value per instance) or every feature as one value";
const ENVELOPES: [&str; 4] = ["instances", "inputs", "dataframe_split", "dataframe_records"];
const TENSOR_KEYS: [&str; 3] = ["datatype", "shape", "data"];

struct Reader<'a> {
    limits: &'a PayloadLimits,
    names: &'a [String],
}

impl Reader<'_> {
    fn object(&self, mut map: Map<String, Value>) -> Result<Payload, PayloadError> {
        let present: Vec<&str> = ENVELOPES.iter().copied().filter(|k| map.contains_key(*k)).collect();
        let key = match present.as_slice() {
            [] => return Ok(Payload { format: PayloadFormat::JsonObject, records: vec![map] }),
            [key] => *key,
            [a, b, ..] => {
                return Err(PayloadError::invalid(
                    "body",
                    format!("has both \"{a}\" and \"{b}\"; send exactly one of \"instances\", \"inputs\", \"dataframe_split\" or \"dataframe_records\""),
                ))
            }
        };
        // Other keys of the envelope (`signature_name`, `params`, `id`, `parameters`,
        // `outputs`) are for the model server; they are passed on, not checked.
        let value = map.remove(key).unwrap_or(Value::Null);
        match key {
            "instances" => match value {
                Value::Array(items) => Ok(Payload {
                    format: PayloadFormat::Instances,
                    records: self.rows(items, "instances", true)?,
                }),
                other => Err(expected("instances", "an array of instances", &other)),
            },
            "inputs" => self.inputs(value),
            "dataframe_split" => self.dataframe_split(value),
            _ => match value {
                Value::Array(items) => Ok(Payload {
                    format: PayloadFormat::DataframeRecords,
                    records: self.rows(items, "dataframe_records", false)?,
                }),
                other => Err(expected("dataframe_records", "an array of objects", &other)),
            },
        }
    }

    fn check_count(&self, found: usize) -> Result<(), PayloadError> {
        let limit = self.limits.max_records;
        if found > limit {
            return Err(PayloadError::TooManyRecords { limit, found: found as u64 });
        }
        Ok(())
    }

    /// A list of rows: all objects (records), or, when `positional` is allowed,
    /// all arrays or plain values (named by the feature order).
    fn rows(&self, items: Vec<Value>, path: &str, positional: bool) -> Result<Vec<Record>, PayloadError> {
        self.check_count(items.len())?;
        let objects = items.first().is_some_and(Value::is_object);
        let mut records = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Value::Object(map) if objects => records.push(map),
                Value::Object(_) => {
                    return Err(PayloadError::invalid(
                        format!("{path}[{i}]"),
                        format!("is an object but {path}[0] is not; send every row as an object keyed by feature name, or every row as an array of values"),
                    ))
                }
                other if objects => {
                    return Err(PayloadError::invalid(
                        format!("{path}[{i}]"),
                        format!("is {} but {path}[0] is an object; send every row as an object keyed by feature name", describe(&other)),
                    ))
                }
                _ if !positional => {
                    return Err(PayloadError::invalid(
                        format!("{path}[{i}]"),
                        format!("is {} but rows here must be objects keyed by feature name", describe(&item)),
                    ))
                }
                Value::Array(values) => records.push(self.positional(values, || format!("{path}[{i}]"))?),
                scalar => records.push(self.positional(vec![scalar], || format!("{path}[{i}]"))?),
            }
        }
        Ok(records)
    }

    /// One row of values named by the configured feature order.
    fn positional(&self, values: Vec<Value>, path: impl Fn() -> String) -> Result<Record, PayloadError> {
        let names = self.names;
        if names.is_empty() {
            return Err(PayloadError::Unnamed { path: path(), width: values.len() });
        }
        if values.len() != names.len() {
            return Err(PayloadError::invalid(
                path(),
                format!(
                    "holds {} but the feature order has {}",
                    plural(values.len(), "value"),
                    plural(names.len(), "name")
                ),
            ));
        }
        Ok(names.iter().cloned().zip(values).collect())
    }

    fn inputs(&self, value: Value) -> Result<Payload, PayloadError> {
        match value {
            Value::Array(items) => {
                let tensors = items.iter().any(|item| {
                    item.as_object().is_some_and(|o| TENSOR_KEYS.iter().any(|k| o.contains_key(*k)))
                });
                if tensors {
                    self.open_inference(items)
                } else {
                    Ok(Payload { format: PayloadFormat::Inputs, records: self.rows(items, "inputs", true)? })
                }
            }
            Value::Object(columns) => self.columns(columns),
            other => Err(expected("inputs", "an object of columns or an array", &other)),
        }
    }

    /// TensorFlow Serving's columnar format: each key a feature, each value its
    /// column (one entry per instance), or all plain values for one instance.
    fn columns(&self, columns: Map<String, Value>) -> Result<Payload, PayloadError> {
        let mut first: Option<(&str, Option<usize>)> = None;
        for (name, column) in &columns {
            let len = column.as_array().map(Vec::len);
            let Some((first_name, first_len)) = first else {
                first = Some((name, len));
                continue;
            };
            let message = match (first_len, len) {
                (Some(a), Some(b)) if a != b => format!(
                    "has {} but inputs.{first_name} has {a}; every column needs one value per instance",
                    plural(b, "value")
                ),
                (Some(_), None) => {
                    format!("is a single value but inputs.{first_name} is an array; {ONE_SHAPE}")
                }
                (None, Some(_)) => {
                    format!("is an array but inputs.{first_name} is a single value; {ONE_SHAPE}")
                }
                _ => continue,
            };
            return Err(PayloadError::invalid(format!("inputs.{name}"), message));
        }
        let Some((_, Some(n))) = first else {
            // Every feature a single value (or no feature at all): one instance.
            return Ok(Payload { format: PayloadFormat::Inputs, records: vec![columns] });
        };
        self.check_count(n)?;
        let mut records = vec![Record::new(); n];
        for (name, column) in columns {
            if let Value::Array(values) = column {
                for (record, value) in records.iter_mut().zip(values) {
                    record.insert(name.clone(), value);
                }
            }
        }
        Ok(Payload { format: PayloadFormat::Inputs, records })
    }

    fn dataframe_split(&self, value: Value) -> Result<Payload, PayloadError> {
        let mut frame = match value {
            Value::Object(frame) => frame,
            other => {
                return Err(expected("dataframe_split", "an object with \"columns\" and \"data\"", &other))
            }
        };
        let columns = match frame.remove("columns") {
            Some(Value::Array(columns)) => columns,
            Some(other) => {
                return Err(expected("dataframe_split.columns", "an array of column names", &other))
            }
            None => {
                return Err(PayloadError::invalid(
                    "dataframe_split",
                    "has no \"columns\"; send {\"columns\": [names], \"data\": [[values], ...]}",
                ))
            }
        };
        let mut names = Vec::with_capacity(columns.len());
        let mut seen = HashSet::with_capacity(columns.len());
        for (i, column) in columns.into_iter().enumerate() {
            let name = match column {
                Value::String(name) => name,
                other => {
                    return Err(expected(
                        format!("dataframe_split.columns[{i}]"),
                        "a column name (a string)",
                        &other,
                    ))
                }
            };
            if !seen.insert(name.clone()) {
                return Err(PayloadError::invalid(
                    format!("dataframe_split.columns[{i}]"),
                    format!("column \"{name}\" appears twice"),
                ));
            }
            names.push(name);
        }
        let data = match frame.remove("data") {
            Some(Value::Array(data)) => data,
            Some(other) => return Err(expected("dataframe_split.data", "an array of rows", &other)),
            None => {
                return Err(PayloadError::invalid(
                    "dataframe_split",
                    "has no \"data\"; send {\"columns\": [names], \"data\": [[values], ...]}",
                ))
            }
        };
        match frame.get("index") {
            None | Some(Value::Null) => {}
            Some(Value::Array(index)) if index.len() == data.len() => {}
            Some(Value::Array(index)) => {
                return Err(PayloadError::invalid(
                    "dataframe_split.index",
                    format!(
                        "has {} but data has {}",
                        plural(index.len(), "entry"),
                        plural(data.len(), "row")
                    ),
                ))
            }
            Some(other) => return Err(expected("dataframe_split.index", "an array", other)),
        }
        self.check_count(data.len())?;
        let mut records = Vec::with_capacity(data.len());
        for (i, row) in data.into_iter().enumerate() {
            let values = match row {
                Value::Array(values) => values,
                other => {
                    return Err(expected(
                        format!("dataframe_split.data[{i}]"),
                        "a row (an array of values)",
                        &other,
                    ))
                }
            };
            if values.len() != names.len() {
                return Err(PayloadError::invalid(
                    format!("dataframe_split.data[{i}]"),
                    format!(
                        "holds {} but there are {}",
                        plural(values.len(), "value"),
                        plural(names.len(), "column")
                    ),
                ));
            }
            records.push(names.iter().cloned().zip(values).collect());
        }
        Ok(Payload { format: PayloadFormat::DataframeSplit, records })
    }

    fn open_inference(&self, items: Vec<Value>) -> Result<Payload, PayloadError> {
        let mut tensors = Vec::with_capacity(items.len());
        let mut names = HashSet::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let tensor = Tensor::read(item, i, self.limits.max_records)?;
            if !names.insert(tensor.name.clone()) {
                return Err(PayloadError::invalid(
                    format!("inputs[{i}].name"),
                    format!("tensor \"{}\" appears twice", tensor.name),
                ));
            }
            if let Some(first) = tensors.first() {
                let first: &Tensor = first;
                if first.batch != tensor.batch {
                    return Err(PayloadError::invalid(
                        format!("inputs[{i}].shape"),
                        format!(
                            "has batch size {} (shape[0]) but inputs[0] (\"{}\") has {}; every input needs one entry per instance",
                            tensor.batch, first.name, first.batch
                        ),
                    ));
                }
            }
            tensors.push(tensor);
        }
        let batch = tensors.first().map_or(0, |t| t.batch);
        self.check_count(batch)?;
        let spread = match tensors.as_slice() {
            [only] => only.shape.len() == 2 && only.width > 1 && self.names.len() == only.width,
            _ => false,
        };
        let mut records = vec![Record::new(); batch];
        for tensor in tensors {
            let width = tensor.width;
            let inner: Vec<usize> = tensor.shape.iter().skip(1).copied().collect();
            let mut elements = tensor.elements.into_iter();
            for record in records.iter_mut() {
                if spread {
                    for name in self.names {
                        record.insert(name.clone(), elements.next().unwrap_or(Value::Null));
                    }
                } else if width == 1 {
                    record.insert(tensor.name.clone(), elements.next().unwrap_or(Value::Null));
                } else {
                    let slice: Vec<Value> = elements.by_ref().take(width).collect();
                    record.insert(tensor.name.clone(), nest(slice, &inner));
                }
            }
        }
        Ok(Payload { format: PayloadFormat::OpenInference, records })
    }
}

fn expected(path: impl Into<String>, what: &str, found: &Value) -> PayloadError {
    PayloadError::invalid(path, format!("expected {what}, found {}", quote(found)))
}

/// A value for a message: numbers and short strings as written, the rest by kind.
fn quote(value: &Value) -> String {
    match value {
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string {value}"),
        Value::Bool(b) => b.to_string(),
        other => describe(other).to_string(),
    }
}

/// `count` followed by `noun`, in the plural unless `count` is 1.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else if let Some(stem) = noun.strip_suffix('y') {
        format!("{count} {stem}ies")
    } else {
        format!("{count} {noun}s")
    }
}

/// The Open Inference Protocol's tensor datatypes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Datatype {
    Bool,
    Int(u32),
    Uint(u32),
    Float,
    Bytes,
}

impl Datatype {
    fn parse(name: &str) -> Option<Datatype> {
        Some(match name {
            "BOOL" => Datatype::Bool,
            "INT8" => Datatype::Int(8),
            "INT16" => Datatype::Int(16),
            "INT32" => Datatype::Int(32),
            "INT64" => Datatype::Int(64),
            "UINT8" => Datatype::Uint(8),
            "UINT16" => Datatype::Uint(16),
            "UINT32" => Datatype::Uint(32),
            "UINT64" => Datatype::Uint(64),
            "FP16" | "FP32" | "FP64" => Datatype::Float,
            "BYTES" => Datatype::Bytes,
            _ => return None,
        })
    }

    fn accepts(self, value: &Value) -> bool {
        match (self, value) {
            (Datatype::Bool, Value::Bool(_)) => true,
            (Datatype::Int(bits), Value::Number(n)) => n
                .as_i64()
                .is_some_and(|v| bits == 64 || (-(1i64 << (bits - 1))..(1i64 << (bits - 1))).contains(&v)),
            (Datatype::Uint(bits), Value::Number(n)) => {
                n.as_u64().is_some_and(|v| bits == 64 || v < (1u64 << bits))
            }
            (Datatype::Float, Value::Number(_)) => true,
            (Datatype::Bytes, Value::String(_)) => true,
            _ => false,
        }
    }
}

const DATATYPES: &str =
    "BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FP16, FP32, FP64 or BYTES";

/// One Open Inference input tensor, checked and flattened.
struct Tensor {
    name: String,
    shape: Vec<usize>,
    batch: usize,
    /// Elements per instance: the product of `shape[1..]`.
    width: usize,
    elements: Vec<Value>,
}

impl Tensor {
    fn read(item: Value, i: usize, max_records: usize) -> Result<Tensor, PayloadError> {
        let at = |field: &str| format!("inputs[{i}].{field}");
        let mut object = match item {
            Value::Object(object) => object,
            other => return Err(expected(format!("inputs[{i}]"), "a tensor object", &other)),
        };
        let missing = |field: &str| {
            PayloadError::invalid(
                format!("inputs[{i}]"),
                format!("has no \"{field}\"; an Open Inference tensor needs \"name\", \"shape\", \"datatype\" and \"data\""),
            )
        };
        let name = match object.remove("name") {
            Some(Value::String(name)) => name,
            Some(other) => return Err(expected(at("name"), "a string", &other)),
            None => return Err(missing("name")),
        };
        let shape = match object.remove("shape") {
            Some(Value::Array(dims)) => dims,
            Some(other) => return Err(expected(at("shape"), "an array of dimensions", &other)),
            None => return Err(missing("shape")),
        };
        // Dimensions are read as u64 and the batch checked before they become
        // usize, so a body gets the same answer on 32-bit wasm as natively.
        let shape: Vec<u64> = shape
            .iter()
            .enumerate()
            .map(|(d, dim)| {
                dim.as_u64().ok_or_else(|| {
                    expected(format!("inputs[{i}].shape[{d}]"), "a whole number of zero or more", dim)
                })
            })
            .collect::<Result<_, _>>()?;
        let Some(&batch) = shape.first() else {
            return Err(PayloadError::invalid(
                at("shape"),
                "is empty; it needs at least the batch dimension",
            ));
        };
        if batch > max_records as u64 {
            return Err(PayloadError::TooManyRecords { limit: max_records, found: batch });
        }
        let Ok(shape) = shape.iter().map(|&d| usize::try_from(d)).collect::<Result<Vec<usize>, _>>() else {
            return Err(PayloadError::invalid(at("shape"), "describes more elements than can be held"));
        };
        let batch = batch as usize;
        let datatype_name = match object.remove("datatype") {
            Some(Value::String(name)) => name,
            Some(other) => return Err(expected(at("datatype"), "a string", &other)),
            None => return Err(missing("datatype")),
        };
        let datatype = Datatype::parse(&datatype_name).ok_or_else(|| {
            PayloadError::invalid(
                at("datatype"),
                format!("\"{datatype_name}\" is not a datatype; use {DATATYPES}"),
            )
        })?;
        let data = match object.remove("data") {
            Some(Value::Array(data)) => data,
            Some(other) => return Err(expected(at("data"), "an array", &other)),
            None => return Err(missing("data")),
        };
        let count = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
        let width = shape.iter().skip(1).try_fold(1usize, |acc, &d| acc.checked_mul(d));
        let (Some(count), Some(width)) = (count, width) else {
            return Err(PayloadError::invalid(at("shape"), "describes more elements than can be held"));
        };
        let mut elements = Vec::with_capacity(count.min(data.len().saturating_mul(4)));
        let nested = data.first().is_some_and(Value::is_array);
        if nested {
            flatten(data, &shape, &at("data"), &mut elements)?;
        } else {
            if data.len() != count {
                return Err(PayloadError::invalid(
                    at("data"),
                    format!("holds {} but shape {:?} needs {count}", plural(data.len(), "element"), shape),
                ));
            }
            elements = data;
        }
        for (e, element) in elements.iter().enumerate() {
            if !datatype.accepts(element) {
                return Err(PayloadError::invalid(
                    format!("inputs[{i}].data"),
                    format!("element {e} is {} but the datatype is {datatype_name}", quote(element)),
                ));
            }
        }
        Ok(Tensor { name, shape, batch, width, elements })
    }
}

/// Flattens row-major nested `data` that must follow `shape` exactly.
fn flatten(data: Vec<Value>, shape: &[usize], path: &str, out: &mut Vec<Value>) -> Result<(), PayloadError> {
    let Some((&len, inner)) = shape.split_first() else {
        return Err(PayloadError::invalid(path, "is nested deeper than the shape"));
    };
    if data.len() != len {
        return Err(PayloadError::invalid(
            path,
            format!("holds {} where the shape needs {len}", plural(data.len(), "entry")),
        ));
    }
    for (k, item) in data.into_iter().enumerate() {
        match item {
            Value::Array(sub) => flatten(sub, inner, &format!("{path}[{k}]"), out)?,
            leaf if inner.is_empty() => out.push(leaf),
            _ => {
                return Err(PayloadError::invalid(
                    format!("{path}[{k}]"),
                    format!("is a single value where the shape needs an array of {}", inner[0]),
                ))
            }
        }
    }
    Ok(())
}

/// Nests a flat row-major slice back into the shape `dims`.
fn nest(flat: Vec<Value>, dims: &[usize]) -> Value {
    if dims.len() <= 1 {
        return Value::Array(flat);
    }
    let chunk = dims[1..].iter().product::<usize>().max(1);
    let mut out = Vec::with_capacity(dims[0]);
    let mut rest = flat.into_iter();
    for _ in 0..dims[0] {
        let part: Vec<Value> = rest.by_ref().take(chunk).collect();
        out.push(nest(part, &dims[1..]));
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    /// Hostile corpus `payload_open_inference_shape_overflow`: a batch dimension of
    /// 2^32 was "too many records" natively but "not a whole number" in the
    /// worker's 32-bit wasm, where it does not fit a usize.
    #[test]
    fn regression_open_inference_batch_past_u32_reads_the_same_on_every_target() {
        let body = br#"{"inputs": [{"name": "age", "shape": [4294967296, 4294967296], "datatype": "INT64", "data": [1]}]}"#;
        let e = parse_payload(body, &PayloadOptions::default()).unwrap_err();
        assert_eq!(e.to_string(), "body: 4294967296 records is more than the limit of 10000");
        let big = PayloadOptions {
            limits: PayloadLimits { max_records: usize::MAX, ..PayloadLimits::default() },
            ..PayloadOptions::default()
        };
        let body = br#"{"inputs": [{"name": "age", "shape": [2, 18446744073709551615], "datatype": "INT64", "data": [1]}]}"#;
        let e = parse_payload(body, &big).unwrap_err();
        assert_eq!(e.to_string(), "inputs[0].shape: describes more elements than can be held");
    }

    /// Hostile corpus `payload_duplicate_keys`: a repeated key passed the gate with
    /// serde_json's last-wins rule while the model's parser may take the first.
    #[test]
    fn regression_duplicate_keys_are_malformed_not_last_wins() {
        let options = PayloadOptions::default();
        let e = parse_payload(br#"{"age": 30, "age": -5}"#, &options).unwrap_err();
        assert_eq!(e.code(), "malformed_json");
        assert_eq!(
            e.to_string(),
            "body: line 1, column 17: malformed JSON: the key \"age\" appears twice in one object"
        );
        let e = parse_payload(br#"{"instances": [{"a": 1}], "instances": []}"#, &options).unwrap_err();
        assert!(e.to_string().contains("the key \"instances\" appears twice"), "{e}");
        // The same key in two different objects is fine.
        let p = parse_payload(br#"[{"a": 1}, {"a": 2}]"#, &options).unwrap();
        assert_eq!(p.records.len(), 2);
    }

    use super::*;

    fn parse(body: &str) -> Result<Payload, PayloadError> {
        parse_payload(body.as_bytes(), &PayloadOptions::default())
    }

    #[test]
    fn depth_counts_only_structure_outside_strings() {
        let limits = PayloadLimits { max_depth: 3, ..PayloadLimits::default() };
        let options = PayloadOptions { limits, feature_names: vec![] };
        // Brackets inside strings, including after an escaped quote, do not count.
        let ok = br#"{"a": [{"b": "[[[[\"{{{{"}]}"#;
        assert!(parse_payload(ok, &options).is_ok());
        let deep = b"{\"a\":\n [[[1]]]}";
        assert_eq!(
            parse_payload(deep, &options).unwrap_err(),
            PayloadError::TooDeep { limit: 3, line: 2, column: 4 }
        );
    }

    #[test]
    fn depth_limit_is_capped_at_serde_json_recursion_limit() {
        let limits = PayloadLimits { max_depth: 10_000, ..PayloadLimits::default() };
        let options = PayloadOptions { limits, feature_names: vec![] };
        let body = "[".repeat(200) + &"]".repeat(200);
        match parse_payload(body.as_bytes(), &options).unwrap_err() {
            PayloadError::TooDeep { limit, line: 1, column } => {
                assert_eq!(limit, MAX_DEPTH_CEILING);
                assert_eq!(column, MAX_DEPTH_CEILING as u64 + 1);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn nan_gets_a_hint() {
        let e = parse("{\"x\": NaN}").unwrap_err();
        assert_eq!(e.code(), "malformed_json");
        assert!(e.to_string().ends_with("NaN is not JSON, send null for a missing number"), "{e}");
        let e = parse("{\"x\": \"NaN\", \"y\": -Infinity}").unwrap_err();
        assert!(e.to_string().contains("Infinity is not JSON"), "{e}");
        let e = parse("{\"x\": \"NaN\" \"y\": 1}").unwrap_err();
        assert!(!e.to_string().contains("not JSON"), "{e}");
    }

    #[test]
    fn nest_rebuilds_row_major_slices() {
        let flat: Vec<Value> = (0..6).map(Value::from).collect();
        assert_eq!(nest(flat, &[2, 3]), serde_json::json!([[0, 1, 2], [3, 4, 5]]));
    }

    #[test]
    fn integer_ranges_follow_the_datatype() {
        assert!(Datatype::Int(8).accepts(&Value::from(-128)));
        assert!(!Datatype::Int(8).accepts(&Value::from(128)));
        assert!(Datatype::Uint(8).accepts(&Value::from(255)));
        assert!(!Datatype::Uint(8).accepts(&Value::from(-1)));
        assert!(!Datatype::Int(32).accepts(&Value::from(1.5)));
        assert!(Datatype::Uint(64).accepts(&Value::from(u64::MAX)));
        assert!(Datatype::Float.accepts(&Value::from(3)));
        assert!(!Datatype::Bool.accepts(&Value::from(1)));
    }
}
