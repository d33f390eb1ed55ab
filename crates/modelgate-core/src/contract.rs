//! The data contract: what every record of a feature table must look like.
//!
//! A [`Contract`] is inferred from reference data with [`Contract::infer`],
//! written as a documented JSON file (`docs/contract.md`) that people edit and
//! review, read back with [`Contract::from_json`], exported as JSON Schema
//! (draft 2020-12) with [`Contract::json_schema`], and enforced on JSON records
//! by [`crate::validate`] and on CSV rows by [`crate::quality`].
//!
//! ```
//! use modelgate_core::contract::{Contract, ContractOptions};
//! use modelgate_core::CsvIngest;
//!
//! let mut ingest = CsvIngest::new("train.csv");
//! ingest.push(b"age,city\n31,Lyon\n45,Paris\n52,Lyon\n").unwrap();
//! let reference = ingest.finish().unwrap();
//! let contract = Contract::infer(&reference, &ContractOptions::default());
//! let age = contract.field("age").unwrap();
//! assert_eq!((age.minimum, age.maximum), (Some(29.0), Some(54.0)));
//! let text = contract.to_json_pretty();
//! assert_eq!(Contract::from_json(&text).unwrap().hash(), contract.hash());
//! ```

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{json, Map, Value};

use crate::dataset::{Column, ColumnType, Dataset};

/// The value of the `format` key of every contract file.
pub const CONTRACT_FORMAT: &str = "modelgate-contract";

/// The contract file format this build reads and writes (the `format_version` key).
pub const CONTRACT_FORMAT_VERSION: u64 = 1;

/// Spellings of NaN accepted in JSON records for fields that allow NaN (JSON has no NaN literal).
pub const NAN_SPELLINGS: &[&str] = &["NaN", "nan"];
/// Spellings of positive infinity accepted in JSON records for fields that allow infinities.
pub const POS_INF_SPELLINGS: &[&str] = &["Infinity", "+Infinity", "inf", "+inf"];
/// Spellings of negative infinity accepted in JSON records for fields that allow infinities.
pub const NEG_INF_SPELLINGS: &[&str] = &["-Infinity", "-inf"];

/// The JSON Schema pattern of a datetime field: exactly what the CSV cell
/// classifier reads as a date or date-time (see [`crate::value::classify`]).
pub const DATETIME_PATTERN: &str = r"^[0-9]{4}(-(0[1-9]|1[0-2])-|/(0[1-9]|1[0-2])/)(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)(\.[0-9]+)?)?([Zz]|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?)?$";

/// The type of a field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Any number; in CSV, a cell that reads as a number.
    Number,
    /// A whole number (a number with no fractional part, so `3.0` counts).
    Integer,
    /// `true` or `false` (in CSV also `yes`/`no`, `t`/`f`, `y`/`n`).
    Boolean,
    /// Text; in CSV every non-null cell is text, in JSON only strings are.
    String,
    /// An ISO 8601 date or date-time string, as [`DATETIME_PATTERN`] describes.
    Datetime,
    /// Anything: the reference had no value to infer a type from.
    Any,
}

impl FieldType {
    /// The name used in contract files and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::String => "string",
            FieldType::Datetime => "datetime",
            FieldType::Any => "any",
        }
    }

    /// Number or integer.
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldType::Number | FieldType::Integer)
    }

    pub(crate) fn parse(s: &str) -> Option<FieldType> {
        Some(match s {
            "number" => FieldType::Number,
            "integer" => FieldType::Integer,
            "boolean" => FieldType::Boolean,
            "string" => FieldType::String,
            "datetime" => FieldType::Datetime,
            "any" => FieldType::Any,
            _ => return None,
        })
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to do with fields that the contract does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdditionalFields {
    /// An unlisted field is a violation (`unknown_field`; a `new_column` error in CSV).
    #[default]
    Reject,
    /// Unlisted fields are ignored (a `new_column` note in CSV).
    Allow,
}

/// The rules for one field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldContract {
    /// Field (column) name, matched exactly.
    pub name: String,
    /// Type of its values.
    pub field_type: FieldType,
    /// A record must contain the field (a CSV must have the column).
    pub required: bool,
    /// The value may be null (in CSV, an empty cell or a null token).
    pub nullable: bool,
    /// Smallest allowed value (number and integer fields).
    pub minimum: Option<f64>,
    /// Largest allowed value (number and integer fields).
    pub maximum: Option<f64>,
    /// NaN is allowed (number and integer fields).
    pub allow_nan: bool,
    /// Positive and negative infinity are allowed (number and integer fields).
    pub allow_inf: bool,
    /// The allowed values (string fields); `None` allows any string.
    pub categories: Option<Vec<String>>,
    /// Fewest characters (Unicode scalar values) a string value may have.
    pub min_length: Option<u64>,
    /// Most characters a string value may have.
    pub max_length: Option<u64>,
    /// Dataset rule: the largest share of null values a batch may hold (0 to 1).
    /// Checked on CSV batches, not on single records.
    pub max_null_share: Option<f64>,
    /// Dataset rule: no value may repeat within a batch. Checked on CSV batches.
    pub unique: bool,
    /// Free text for people reading the contract.
    pub description: Option<String>,
}

impl FieldContract {
    /// A field of `field_type` with no rule beyond its type: required, not nullable.
    pub fn new(name: impl Into<String>, field_type: FieldType) -> Self {
        FieldContract {
            name: name.into(),
            field_type,
            required: true,
            nullable: false,
            minimum: None,
            maximum: None,
            allow_nan: false,
            allow_inf: false,
            categories: None,
            min_length: None,
            max_length: None,
            max_null_share: None,
            unique: false,
            description: None,
        }
    }
}

/// Choices for [`Contract::infer`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractOptions {
    /// The numeric range is the reference's widened by this share of its width on
    /// each side (0 keeps the reference's exact minimum and maximum).
    pub range_tolerance: f64,
    /// A categorical column with more distinct values than this gets no allowed
    /// set (TFDV's `max_string_domain_size`, whose default is also 100).
    pub max_categories: usize,
    /// A nullable field's `max_null_share` is the reference's null share plus this.
    pub null_share_tolerance: f64,
    /// Whether records may carry fields the reference did not have.
    pub additional_fields: AdditionalFields,
    /// The `version` written into the contract.
    pub version: String,
}

impl Default for ContractOptions {
    fn default() -> Self {
        ContractOptions {
            range_tolerance: 0.1,
            max_categories: 100,
            null_share_tolerance: 0.1,
            additional_fields: AdditionalFields::Reject,
            version: "1".to_string(),
        }
    }
}

/// Where an inferred contract came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractSource {
    /// The reference file name.
    pub file: String,
    /// Its data rows.
    pub rows: u64,
}

/// A data contract: per-field rules plus what to do with unlisted fields.
///
/// The field list is reached through [`Contract::fields`] and changed through
/// [`Contract::fields_mut`], because the contract keeps a lookup index for fast
/// validation that any change to the fields must rebuild.
#[derive(Debug, Clone)]
pub struct Contract {
    /// The contract's own version label, chosen by its authors (`"1"` when inferred).
    pub version: String,
    /// Free text for people reading the contract.
    pub description: Option<String>,
    /// The reference data an inferred contract was built from.
    pub source: Option<ContractSource>,
    /// What to do with fields the contract does not list.
    pub additional_fields: AdditionalFields,
    fields: Vec<FieldContract>,
    compiled: OnceLock<Arc<crate::validate::Compiled>>,
}

impl PartialEq for Contract {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.description == other.description
            && self.source == other.source
            && self.additional_fields == other.additional_fields
            && self.fields == other.fields
    }
}

/// A contract file that cannot be used: invalid JSON, an unknown rule, a wrong type
/// or contradictory rules. The message names the JSON path and the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractError {
    /// JSON path of the offending value (`fields[2].minimum`), empty for the whole document.
    pub path: String,
    /// The field name, when the error is inside a field's rules.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// 1-based line, for JSON syntax errors.
    pub line: Option<usize>,
    /// 1-based column, for JSON syntax errors.
    pub column: Option<usize>,
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            return write!(f, "line {line}, column {column}: {}", self.message);
        }
        if !self.path.is_empty() {
            f.write_str(&self.path)?;
            if let Some(field) = &self.field {
                write!(f, " (field \"{field}\")")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ContractError {}

impl Contract {
    /// A contract with the given fields and default settings.
    pub fn new(fields: Vec<FieldContract>) -> Result<Contract, ContractError> {
        let contract = Contract {
            version: "1".to_string(),
            description: None,
            source: None,
            additional_fields: AdditionalFields::Reject,
            fields,
            compiled: OnceLock::new(),
        };
        contract.check()?;
        Ok(contract)
    }

    /// Infers a contract from reference data, one field per column.
    ///
    /// | column type | field type | rules |
    /// |---|---|---|
    /// | numeric | number | range widened by `range_tolerance`; NaN and infinities allowed only if the reference had them |
    /// | integer | integer | the same range, rounded inward to whole numbers |
    /// | boolean | boolean | |
    /// | categorical | string | the reference's categories, if at most `max_categories` |
    /// | text | string | |
    /// | datetime | datetime | |
    /// | identifier | integer or string | `unique`; not required (an identifier is not a feature) |
    /// | empty | any | not required, nullable |
    ///
    /// A field is nullable when the reference has a null in it, and then it is
    /// not required and gets a `max_null_share`; otherwise it is required and
    /// not nullable. A widened range never crosses zero when the reference stays
    /// on one side of it, so a non-negative feature keeps a lower bound of 0.
    pub fn infer(reference: &Dataset, options: &ContractOptions) -> Contract {
        let fields = reference.columns.iter().map(|c| infer_field(c, options)).collect();
        Contract {
            version: options.version.clone(),
            description: None,
            source: Some(ContractSource { file: reference.source.clone(), rows: reference.rows }),
            additional_fields: options.additional_fields,
            fields,
            compiled: OnceLock::new(),
        }
    }

    /// The fields, in order.
    pub fn fields(&self) -> &[FieldContract] {
        &self.fields
    }

    /// The fields, for editing. Changes are checked by [`Contract::check`], which
    /// validation does not call: call it after editing.
    pub fn fields_mut(&mut self) -> &mut Vec<FieldContract> {
        self.compiled = OnceLock::new();
        &mut self.fields
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&FieldContract> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The lookup index used by validation, built on first use.
    pub(crate) fn compiled(&self) -> &crate::validate::Compiled {
        self.compiled.get_or_init(|| Arc::new(crate::validate::Compiled::new(self)))
    }

    /// Checks that the rules are consistent (the same checks [`Contract::from_json`] makes).
    pub fn check(&self) -> Result<(), ContractError> {
        let mut seen = std::collections::HashSet::new();
        for (i, field) in self.fields.iter().enumerate() {
            let at = |key: &str, message: String| ContractError {
                path: if key.is_empty() { format!("fields[{i}]") } else { format!("fields[{i}].{key}") },
                field: Some(field.name.clone()),
                message,
                line: None,
                column: None,
            };
            if field.name.is_empty() {
                return Err(at("name", "a field name must not be empty".into()));
            }
            if !seen.insert(field.name.as_str()) {
                return Err(at("name", format!("the field \"{}\" is listed twice", field.name)));
            }
            let t = field.field_type;
            let only = |key: &str, present: bool, allowed: bool, kinds: &str| {
                if present && !allowed {
                    let article = if matches!(t, FieldType::Integer | FieldType::Any) { "an" } else { "a" };
                    Err(at(key, format!("\"{key}\" applies to {kinds} fields, not to {article} {t} field")))
                } else {
                    Ok(())
                }
            };
            only("minimum", field.minimum.is_some(), t.is_numeric(), "number and integer")?;
            only("maximum", field.maximum.is_some(), t.is_numeric(), "number and integer")?;
            only("allow_nan", field.allow_nan, t.is_numeric(), "number and integer")?;
            only("allow_inf", field.allow_inf, t.is_numeric(), "number and integer")?;
            only("categories", field.categories.is_some(), t == FieldType::String, "string")?;
            only("min_length", field.min_length.is_some(), t == FieldType::String, "string")?;
            only("max_length", field.max_length.is_some(), t == FieldType::String, "string")?;
            for (key, v) in [("minimum", field.minimum), ("maximum", field.maximum)] {
                if v.is_some_and(|v| !v.is_finite()) {
                    return Err(at(key, "must be a finite number".into()));
                }
            }
            if let (Some(lo), Some(hi)) = (field.minimum, field.maximum) {
                if lo > hi {
                    return Err(at("minimum", format!("the minimum {lo} is greater than the maximum {hi}")));
                }
            }
            if let (Some(lo), Some(hi)) = (field.min_length, field.max_length) {
                if lo > hi {
                    return Err(at(
                        "min_length",
                        format!("the min_length {lo} is greater than the max_length {hi}"),
                    ));
                }
            }
            if let Some(share) = field.max_null_share {
                if !(0.0..=1.0).contains(&share) {
                    return Err(at("max_null_share", format!("must be between 0 and 1, found {share}")));
                }
                if !field.nullable {
                    return Err(at(
                        "max_null_share",
                        "applies to nullable fields only; set \"nullable\": true or remove it".into(),
                    ));
                }
            }
            if let Some(categories) = &field.categories {
                let mut set = std::collections::HashSet::new();
                for (j, c) in categories.iter().enumerate() {
                    if !set.insert(c.as_str()) {
                        return Err(at(&format!("categories[{j}]"), format!("\"{c}\" is listed twice")));
                    }
                }
            }
        }
        if self.version.is_empty() {
            return Err(ContractError {
                path: "version".into(),
                field: None,
                message: "must not be empty".into(),
                line: None,
                column: None,
            });
        }
        Ok(())
    }

    /// Reads a contract file. Errors name the JSON path and field and say what is
    /// wrong: invalid JSON (with line and column), an unknown key or rule (with
    /// the closest known one), a value of the wrong type, contradictory rules.
    pub fn from_json(text: &str) -> Result<Contract, ContractError> {
        if text.len() > crate::limits::MAX_CONTRACT_BYTES {
            return Err(ContractError {
                path: String::new(),
                field: None,
                message: format!(
                    "{} bytes is more than the {}-byte limit for a contract file",
                    text.len(),
                    crate::limits::MAX_CONTRACT_BYTES
                ),
                line: None,
                column: None,
            });
        }
        if text.trim().is_empty() {
            return Err(ContractError {
                path: String::new(),
                field: None,
                message: "the contract is empty; expected a JSON object".into(),
                line: None,
                column: None,
            });
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = match message.rsplit_once(" at line ") {
                Some((head, _)) => head.to_string(),
                None => message,
            };
            ContractError {
                path: String::new(),
                field: None,
                message: format!("invalid JSON: {message}"),
                line: Some(e.line()),
                column: Some(e.column()),
            }
        })?;
        Contract::from_value(&value)
    }

    /// Reads a contract from parsed JSON (see [`Contract::from_json`]).
    pub fn from_value(value: &Value) -> Result<Contract, ContractError> {
        crate::contract_parse::parse(value)
    }

    /// The contract as indented JSON, in canonical key order, ending with a newline.
    pub fn to_json_pretty(&self) -> String {
        // Serializing plain data to a String cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The canonical JSON: compact, keys in a fixed order, numbers in their
    /// shortest round-trip form. Equal contracts have equal canonical JSON.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// SHA-256 of [`Contract::canonical_json`], as 64 hex digits: the same on every
    /// platform, and unchanged by whitespace, key order or number spelling in the file.
    pub fn hash(&self) -> String {
        crate::hash::sha256_hex(self.canonical_json().as_bytes())
    }

    /// The contract as a JSON Schema (draft 2020-12) for one record.
    ///
    /// A record valid under the schema passes [`crate::validate::validate_record`]
    /// and the other way round. The dataset rules (`max_null_share`, `unique`) have
    /// no JSON Schema form for single records and are left out.
    pub fn json_schema(&self) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in &self.fields {
            properties.insert(field.name.clone(), field_schema(field));
            if field.required {
                required.push(Value::String(field.name.clone()));
            }
        }
        let mut schema = Map::new();
        schema.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        schema.insert("title".into(), json!(format!("modelgate contract {}", self.version)));
        let mut description = format!("modelgate contract version {}, hash {}", self.version, self.hash());
        if let Some(d) = &self.description {
            description = format!("{d} ({description})");
        }
        schema.insert("description".into(), Value::String(description));
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        schema.insert("required".into(), Value::Array(required));
        schema.insert(
            "additionalProperties".into(),
            Value::Bool(self.additional_fields == AdditionalFields::Allow),
        );
        Value::Object(schema)
    }
}

/// A number as JSON, whole numbers without a fraction (`0`, not `0.0`), so files,
/// schemas and messages read naturally and the canonical form is one spelling.
pub(crate) fn number_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

fn field_schema(field: &FieldContract) -> Value {
    let mut base = Map::new();
    if let Some(d) = &field.description {
        base.insert("description".into(), Value::String(d.clone()));
    }
    let null = field.nullable;
    let with_null = |t: &str| if null { json!([t, "null"]) } else { json!(t) };
    match field.field_type {
        FieldType::Any => {
            if !null {
                base.insert("not".into(), json!({ "type": "null" }));
            }
        }
        FieldType::Boolean => {
            base.insert("type".into(), with_null("boolean"));
        }
        FieldType::Datetime => {
            base.insert("type".into(), with_null("string"));
            base.insert("pattern".into(), json!(DATETIME_PATTERN));
        }
        FieldType::String => {
            base.insert("type".into(), with_null("string"));
            if let Some(categories) = &field.categories {
                let mut allowed: Vec<Value> = categories.iter().map(|c| json!(c)).collect();
                if null {
                    allowed.push(Value::Null);
                }
                base.insert("enum".into(), Value::Array(allowed));
            }
            if let Some(n) = field.min_length {
                base.insert("minLength".into(), json!(n));
            }
            if let Some(n) = field.max_length {
                base.insert("maxLength".into(), json!(n));
            }
        }
        FieldType::Number | FieldType::Integer => {
            let mut number = Map::new();
            number.insert("type".into(), json!(field.field_type.as_str()));
            if let Some(v) = field.minimum {
                number.insert("minimum".into(), number_value(v));
            }
            if let Some(v) = field.maximum {
                number.insert("maximum".into(), number_value(v));
            }
            let mut spellings: Vec<&str> = Vec::new();
            if field.allow_nan {
                spellings.extend(NAN_SPELLINGS);
            }
            if field.allow_inf {
                spellings.extend(POS_INF_SPELLINGS);
                spellings.extend(NEG_INF_SPELLINGS);
            }
            if spellings.is_empty() {
                if null {
                    number.insert("type".into(), with_null(field.field_type.as_str()));
                }
                base.extend(number);
            } else {
                // JSON has no NaN or infinity literals: records spell them as strings.
                let mut any_of = vec![Value::Object(number), json!({ "enum": spellings })];
                if null {
                    any_of.push(json!({ "type": "null" }));
                }
                base.insert("anyOf".into(), Value::Array(any_of));
            }
        }
    }
    Value::Object(base)
}

fn infer_field(column: &Column, options: &ContractOptions) -> FieldContract {
    let counts = &column.counts;
    let nullable = counts.nulls > 0;
    let field_type = match column.column_type {
        ColumnType::Numeric => FieldType::Number,
        ColumnType::Integer => FieldType::Integer,
        ColumnType::Boolean => FieldType::Boolean,
        ColumnType::Categorical | ColumnType::Text => FieldType::String,
        ColumnType::Datetime => FieldType::Datetime,
        ColumnType::Identifier if counts.numbers == counts.present() => FieldType::Integer,
        ColumnType::Identifier => FieldType::String,
        ColumnType::Empty => FieldType::Any,
    };
    let mut field = FieldContract::new(column.name.clone(), field_type);
    field.nullable = nullable || field_type == FieldType::Any;
    field.required = !field.nullable && column.column_type != ColumnType::Identifier;
    if nullable && field_type != FieldType::Any && counts.rows > 0 {
        let share = counts.nulls as f64 / counts.rows as f64 + options.null_share_tolerance.max(0.0);
        field.max_null_share = Some(round_up(share.min(1.0), 4));
    }
    match column.column_type {
        ColumnType::Numeric | ColumnType::Integer => {
            field.allow_nan = counts.nan > 0;
            field.allow_inf = counts.pos_inf + counts.neg_inf > 0;
            if let (Some(&lo), Some(&hi)) = (column.values.first(), column.values.last()) {
                let (min, max) = widen(lo, hi, options.range_tolerance, field_type == FieldType::Integer);
                field.minimum = Some(min);
                field.maximum = Some(max);
            }
        }
        ColumnType::Categorical => {
            if let Some(categories) = &column.categories {
                if categories.len() <= options.max_categories {
                    let mut names: Vec<String> = categories.iter().map(|(k, _)| k.clone()).collect();
                    names.sort_unstable();
                    field.categories = Some(names);
                }
            }
        }
        ColumnType::Identifier => field.unique = true,
        _ => {}
    }
    field
}

/// The reference range `[lo, hi]` widened by `tolerance` of its width on each side,
/// rounded outward to four significant digits of the width (inward to whole
/// numbers for integers), never crossing zero when the reference does not.
fn widen(lo: f64, hi: f64, tolerance: f64, integer: bool) -> (f64, f64) {
    let pad = (hi - lo) * tolerance.max(0.0);
    if pad == 0.0 || !pad.is_finite() {
        return (lo, hi);
    }
    let (mut min, mut max) = if integer {
        ((lo - pad).ceil(), (hi + pad).floor())
    } else {
        let exponent = (hi - lo).log10().floor() as i32 - 3;
        (round_to(lo - pad, exponent, f64::floor), round_to(hi + pad, exponent, f64::ceil))
    };
    if lo >= 0.0 && min < 0.0 {
        min = 0.0;
    }
    if hi <= 0.0 && max > 0.0 {
        max = 0.0;
    }
    (min.min(lo), max.max(hi))
}

/// `x` rounded with `round` to a multiple of 10^`exponent`, computed so that the
/// result is the double nearest to the decimal (it prints without noise digits).
fn round_to(x: f64, exponent: i32, round: fn(f64) -> f64) -> f64 {
    if exponent >= 0 {
        let step = 10f64.powi(exponent);
        round(x / step) * step
    } else {
        let scale = 10f64.powi(-exponent);
        // Snap away float noise first, so -5.32 does not floor to -5.33.
        let scaled = (x * scale * 1e6).round() / 1e6;
        round(scaled) / scale
    }
}

fn round_up(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    // Round first so a share like 0.30000000000000004 does not become 0.3001.
    let scaled = (x * scale * 1e6).round() / 1e6;
    scaled.ceil() / scale
}

impl Serialize for Contract {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("format", CONTRACT_FORMAT)?;
        map.serialize_entry("format_version", &CONTRACT_FORMAT_VERSION)?;
        map.serialize_entry("version", &self.version)?;
        if let Some(d) = &self.description {
            map.serialize_entry("description", d)?;
        }
        if let Some(source) = &self.source {
            map.serialize_entry("source", source)?;
        }
        map.serialize_entry("additional_fields", &self.additional_fields)?;
        map.serialize_entry("fields", &self.fields)?;
        map.end()
    }
}

impl Serialize for FieldContract {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("type", &self.field_type)?;
        map.serialize_entry("required", &self.required)?;
        map.serialize_entry("nullable", &self.nullable)?;
        if let Some(v) = self.minimum {
            map.serialize_entry("minimum", &number_value(v))?;
        }
        if let Some(v) = self.maximum {
            map.serialize_entry("maximum", &number_value(v))?;
        }
        if self.field_type.is_numeric() {
            map.serialize_entry("allow_nan", &self.allow_nan)?;
            map.serialize_entry("allow_inf", &self.allow_inf)?;
        }
        if let Some(v) = &self.categories {
            map.serialize_entry("categories", v)?;
        }
        if let Some(v) = self.min_length {
            map.serialize_entry("min_length", &v)?;
        }
        if let Some(v) = self.max_length {
            map.serialize_entry("max_length", &v)?;
        }
        if let Some(v) = self.max_null_share {
            map.serialize_entry("max_null_share", &number_value(v))?;
        }
        if self.unique {
            map.serialize_entry("unique", &true)?;
        }
        if let Some(d) = &self.description {
            map.serialize_entry("description", d)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Contract {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Contract::from_value(&value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_rounds_outward_and_keeps_the_sign() {
        assert_eq!(widen(-1.6, 35.6, 0.1, false), (-5.32, 39.32));
        assert_eq!(widen(0.0123, 0.0456, 0.25, false), (0.00397, 0.05393));
        assert_eq!(widen(0.0, 50.0, 0.1, false), (0.0, 55.0));
        assert_eq!(widen(1.0, 5.0, 0.1, true), (1.0, 5.0));
        assert_eq!(widen(18.0, 90.0, 0.1, true), (11.0, 97.0));
        assert_eq!(widen(-10.0, -2.0, 0.5, true), (-14.0, 0.0));
        assert_eq!(widen(3.0, 3.0, 0.1, false), (3.0, 3.0));
        assert_eq!(widen(0.12, 0.5, 0.0, false), (0.12, 0.5));
        assert_eq!(round_up(0.2 + 0.1, 4), 0.3);
        assert_eq!(round_up(0.123_456, 4), 0.1235);
    }
}
