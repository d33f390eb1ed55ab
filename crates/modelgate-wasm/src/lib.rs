//! JavaScript bindings of `modelgate-core`, built with wasm-bindgen.
//!
//! Long-lived data stays in wasm memory behind opaque handles: a
//! [`CsvIngest`] is fed the chunks of a file and finishes into a [`Dataset`];
//! [`driftReport`](drift_report) compares two datasets and returns the report as a
//! plain JS object. A [`Contract`] is inferred from a dataset or read from JSON;
//! [`validateRecords`](validate_records) checks JSON records against it, and a
//! `CsvIngest.withContract` ingest scans every row for [`qualityReport`](quality_report).
//! Datasets are mergeable profiles: they go in and out as JSON text
//! (`Dataset.toProfileJson`, `Dataset.fromProfileJson`) and merge (`Dataset.merge`);
//! a [`ProfileBuilder`] is fed records one by one, and [`DriftComparison`] compares
//! several datasets with one reference.
//! A [`TableIngest`] finishes into a row-aligned [`Table`] for [`evaluate`],
//! [`evaluateWithTraining`](evaluate_with_training),
//! [`comparePredictions`](compare_predictions) and [`skewReport`](skew_report).
//! The rubric functions (`rubrics`, `rubric`, `parseAnswers`, `scoreRubric`,
//! `writeAnswers`, `rubricTemplate`) take answers as CSV or JSON text.
//! Nothing here holds logic: every method decodes, calls the core and encodes. Errors
//! become JS `Error`s whose `message` names the file, row (or line, or JSON path) and
//! column, or the contract's JSON path and field, with the machine-readable details on
//! `error.details`.
//!
//! ```js
//! import init, { CsvIngest, driftReport, inferContract, validateRecords } from "./pkg/modelgate_wasm.js";
//! await init();
//! const ingest = new CsvIngest("train.csv");
//! ingest.push(new TextEncoder().encode("x\n1\n2\n"));
//! const reference = ingest.finish();
//! const contract = inferContract(reference);
//! const { violations } = validateRecords(contract, '{"x": 7}');
//! ```

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use modelgate_core as core;
#[cfg(feature = "page")]
use modelgate_core::contract::{AdditionalFields, ContractOptions};
use modelgate_core::quality::{QualityOptions, QualityScanner};
#[cfg(feature = "page")]
use modelgate_core::report;

mod worker;
pub use worker::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("types.d.ts");

/// Streams one CSV file into a [`Dataset`].
#[wasm_bindgen]
pub struct CsvIngest {
    inner: Option<Ingest>,
}

/// A plain ingest, or one whose rows a quality scanner also sees.
enum Ingest {
    Plain(Box<core::CsvIngest>),
    Checked(Box<core::CsvIngest<QualityScanner>>),
}

#[wasm_bindgen]
impl CsvIngest {
    /// Starts a file; `source` names it in every message. `options` may set any
    /// profile option (`exact_values`, `exact_budget`, `sample_rows`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        source: String,
        #[wasm_bindgen(unchecked_param_type = "Partial<ProfileOptions> | undefined")] options: JsValue,
    ) -> Result<CsvIngest, JsValue> {
        let options = profile_options(options)?;
        let ingest = core::CsvIngest::new(source).with_profile_options(options);
        Ok(CsvIngest { inner: Some(Ingest::Plain(Box::new(ingest))) })
    }

    /// Starts a file whose every row is checked against `contract`, so that
    /// [`qualityReport`](quality_report) can list row-level findings for it.
    #[wasm_bindgen(js_name = withContract)]
    pub fn with_contract(
        source: String,
        contract: &Contract,
        #[wasm_bindgen(unchecked_param_type = "Partial<QualityOptions> | undefined")] options: JsValue,
    ) -> Result<CsvIngest, JsValue> {
        let options = quality_options(options)?;
        let scanner = QualityScanner::new(&contract.inner, &options);
        let ingest = core::CsvIngest::with_sink(source, core::IngestLimits::default(), scanner);
        Ok(CsvIngest { inner: Some(Ingest::Checked(Box::new(ingest))) })
    }

    /// Feeds the next chunk of bytes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        match self.inner.as_mut() {
            Some(Ingest::Plain(i)) => i.push(chunk).map_err(ingest_error),
            Some(Ingest::Checked(i)) => i.push(chunk).map_err(ingest_error),
            None => Err(finished()),
        }
    }

    /// Data rows parsed so far.
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> f64 {
        match &self.inner {
            Some(Ingest::Plain(i)) => i.rows() as f64,
            Some(Ingest::Checked(i)) => i.rows() as f64,
            None => 0.0,
        }
    }

    /// Bytes pushed so far.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> f64 {
        match &self.inner {
            Some(Ingest::Plain(i)) => i.bytes() as f64,
            Some(Ingest::Checked(i)) => i.bytes() as f64,
            None => 0.0,
        }
    }

    /// Ends the input and returns the dataset. The ingest cannot be used afterwards.
    pub fn finish(&mut self) -> Result<Dataset, JsValue> {
        match self.inner.take() {
            Some(Ingest::Plain(i)) => {
                i.finish().map(|inner| Dataset { inner, scan: None }).map_err(ingest_error)
            }
            Some(Ingest::Checked(i)) => (*i)
                .finish_with_sink()
                .map(|(inner, scan)| Dataset { inner, scan: Some(scan) })
                .map_err(ingest_error),
            None => Err(finished()),
        }
    }
}

fn finished() -> JsValue {
    js_error("this CsvIngest has already finished", None)
}

/// A parsed, typed dataset held in wasm memory.
#[wasm_bindgen]
pub struct Dataset {
    inner: core::Dataset,
    /// The row scan, when the dataset was read with `CsvIngest.withContract`.
    // Read only by the page's quality exports, which the worker's build leaves out.
    #[cfg_attr(not(feature = "page"), allow(dead_code))]
    scan: Option<QualityScanner>,
}

#[wasm_bindgen]
impl Dataset {
    /// The file name it was read from.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        self.inner.source.clone()
    }

    /// Data rows.
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> f64 {
        self.inner.rows as f64
    }

    /// Column names and inferred types, as `[{ name, type }]`.
    #[wasm_bindgen(unchecked_return_type = "ColumnInfo[]")]
    pub fn columns(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct ColumnInfo<'a> {
            name: &'a str,
            r#type: core::ColumnType,
        }
        let columns: Vec<ColumnInfo<'_>> =
            self.inner.columns.iter().map(|c| ColumnInfo { name: &c.name, r#type: c.column_type }).collect();
        to_js(&columns)
    }

    /// The profile as the compact, versioned JSON text of a reference-profile file.
    #[wasm_bindgen(js_name = toProfileJson)]
    pub fn to_profile_json(&self) -> String {
        self.inner.to_json()
    }

    /// Reads a profile written by `toProfileJson` (or `modelgate profile`); `source` names it in errors.
    #[wasm_bindgen(js_name = fromProfileJson)]
    pub fn from_profile_json(source: &str, text: &str) -> Result<Dataset, JsValue> {
        core::Dataset::from_json(source, text)
            .map(|inner| Dataset { inner, scan: None })
            .map_err(|e| js_error(&e.to_string(), None))
    }

    /// A copy without the sample of rows: per-column summaries only, what the page
    /// exports as the reference profile.
    #[cfg(feature = "page")]
    #[wasm_bindgen(js_name = withoutRows)]
    pub fn without_rows(&self) -> Dataset {
        Dataset { inner: self.inner.without_rows(), scan: None }
    }

    /// The profile in parts, to hand it to another WebAssembly instance fast (the
    /// page reads its files in parallel workers): `head`, the profile without its
    /// exact values as JSON bytes, and per column its exact values as held
    /// (sorted) or null. Every array can be transferred between workers rather
    /// than copied. Not a file format to keep (use `toProfileJson`).
    #[cfg(feature = "page")]
    #[wasm_bindgen(js_name = toHandOver, unchecked_return_type = "{ head: Uint8Array; values: (Float64Array | null)[] }")]
    pub fn to_hand_over(&self) -> Result<JsValue, JsValue> {
        let values = js_sys::Array::new();
        for c in &self.inner.columns {
            // Copied straight from this instance's memory into a new JS array.
            let v: JsValue =
                if c.exact { js_sys::Float64Array::from(c.values.as_slice()).into() } else { JsValue::NULL };
            values.push(&v);
        }
        let parts = js_sys::Object::new();
        let head = js_sys::Uint8Array::from(self.inner.hand_over_head().as_slice());
        js_sys::Reflect::set(&parts, &JsValue::from_str("head"), &head)?;
        js_sys::Reflect::set(&parts, &JsValue::from_str("values"), &values)?;
        Ok(parts.into())
    }

    /// Rebuilds a profile from `toHandOver`'s parts (`values`: one Float64Array or
    /// null per column), with every check of a profile file; `source` names it in errors.
    #[cfg(feature = "page")]
    #[wasm_bindgen(js_name = fromHandOver)]
    pub fn from_hand_over(
        source: &str,
        head: &[u8],
        #[wasm_bindgen(unchecked_param_type = "(Float64Array | null)[]")] values: js_sys::Array,
    ) -> Result<Dataset, JsValue> {
        let values = values
            .iter()
            .map(|v| {
                if v.is_null() {
                    return Ok(None);
                }
                v.dyn_into::<js_sys::Float64Array>().map(|a| Some(a.to_vec())).map_err(|_| {
                    js_error(&format!("{source}: malformed profile hand-over: each value array must be a Float64Array or null"), None)
                })
            })
            .collect::<Result<Vec<_>, JsValue>>()?;
        core::Dataset::from_hand_over(source, head, values)
            .map(|inner| Dataset { inner, scan: None })
            .map_err(|e| js_error(&e.to_string(), None))
    }

    /// Merges a profile of other rows with the same columns into this one.
    pub fn merge(&mut self, other: &Dataset) -> Result<(), JsValue> {
        self.inner.merge(&other.inner).map_err(|e| js_error(&e.to_string(), None))
    }
}

/// Builds a profile record by record (cells as strings, numbers, booleans or null).
#[wasm_bindgen]
#[cfg(feature = "page")]
pub struct ProfileBuilder {
    inner: Option<core::ProfileBuilder>,
}

#[wasm_bindgen]
#[cfg(feature = "page")]
impl ProfileBuilder {
    /// Starts a profile of the named columns.
    #[wasm_bindgen(constructor)]
    pub fn new(
        source: String,
        columns: Vec<String>,
        #[wasm_bindgen(unchecked_param_type = "Partial<ProfileOptions> | undefined")] options: JsValue,
    ) -> Result<ProfileBuilder, JsValue> {
        let options = profile_options(options)?;
        Ok(ProfileBuilder { inner: Some(core::ProfileBuilder::new(source, &columns, options)) })
    }

    /// Adds one row: one cell per column, in column order.
    #[wasm_bindgen(js_name = pushRow)]
    pub fn push_row(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Array<string | number | boolean | null | undefined>")]
        row: js_sys::Array,
    ) -> Result<(), JsValue> {
        let cells: Vec<String> = row.iter().map(|v| cell_text(&v)).collect();
        self.builder()?.push_row(&cells);
        Ok(())
    }

    /// Adds one record given as an object keyed by column name (a missing key is a null cell).
    #[wasm_bindgen(js_name = pushRecord)]
    pub fn push_record(
        &mut self,
        #[wasm_bindgen(
            unchecked_param_type = "Record<string, string | number | boolean | null | undefined>"
        )]
        record: JsValue,
    ) -> Result<(), JsValue> {
        if !record.is_object() {
            return Err(js_error("a record must be an object keyed by column name", None));
        }
        let builder = self.builder()?;
        let cells: Vec<String> = builder
            .column_names()
            .map(|name| js_sys::Reflect::get(&record, &JsValue::from_str(name)).map(|v| cell_text(&v)))
            .collect::<Result<_, _>>()?;
        builder.push_row(&cells);
        Ok(())
    }

    /// Rows pushed so far.
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |b| b.rows() as f64)
    }

    /// Ends the input and returns the profile. The builder cannot be used afterwards.
    pub fn finish(&mut self) -> Result<Dataset, JsValue> {
        let b =
            self.inner.take().ok_or_else(|| js_error("this ProfileBuilder has already finished", None))?;
        Ok(Dataset { inner: b.finish(), scan: None })
    }

    fn builder(&mut self) -> Result<&mut core::ProfileBuilder, JsValue> {
        self.inner.as_mut().ok_or_else(|| js_error("this ProfileBuilder has already finished", None))
    }
}

/// The text a JS cell stands for, as a CSV would spell it.
#[cfg(feature = "page")]
fn cell_text(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        s
    } else if let Some(x) = v.as_f64() {
        if x.is_nan() {
            "NaN".into()
        } else {
            x.to_string()
        }
    } else if let Some(b) = v.as_bool() {
        b.to_string()
    } else {
        String::new()
    }
}

/// Several datasets compared with one reference in one report.
#[wasm_bindgen]
#[cfg(feature = "page")]
pub struct DriftComparison {
    reference: core::Dataset,
    currents: Vec<(String, core::Dataset)>,
}

#[wasm_bindgen]
#[cfg(feature = "page")]
impl DriftComparison {
    /// Starts a comparison against `reference` (copied, so the handle may be freed).
    #[wasm_bindgen(constructor)]
    pub fn new(reference: &Dataset) -> DriftComparison {
        DriftComparison { reference: reference.inner.clone(), currents: Vec::new() }
    }

    /// Adds a named dataset (copied).
    pub fn add(&mut self, name: String, dataset: &Dataset) {
        self.currents.push((name, dataset.inner.clone()));
    }

    /// The report of every added dataset against the reference.
    #[wasm_bindgen(unchecked_return_type = "MultiDriftReport")]
    pub fn report(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<DriftOptions> | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options = drift_options(options)?;
        let currents: Vec<(&str, &core::Dataset)> =
            self.currents.iter().map(|(n, d)| (n.as_str(), d)).collect();
        to_js(&core::drift_reports(&self.reference, &currents, &options))
    }
}

/// Compares `current` with `reference`, column by column.
///
/// `options` may override any field of the default drift options (see
/// `DriftOptions` in types.d.ts: thresholds per method and per column, the method
/// per column and per type, Bonferroni, target and prediction columns...).
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = driftReport, unchecked_return_type = "DriftReport")]
pub fn drift_report(
    reference: &Dataset,
    current: &Dataset,
    #[wasm_bindgen(unchecked_param_type = "Partial<DriftOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = drift_options(options)?;
    to_js(&core::drift_report(&reference.inner, &current.inner, &options))
}

/// Streams one CSV file into a [`Table`]: every cell kept in row order, for
/// the evaluation functions (which need labels and predictions row by row).
#[wasm_bindgen]
#[cfg(feature = "page")]
pub struct TableIngest {
    inner: Option<core::eval::TableIngest>,
}

#[wasm_bindgen]
#[cfg(feature = "page")]
impl TableIngest {
    /// Starts a file; `source` names it in every message.
    #[wasm_bindgen(constructor)]
    pub fn new(source: String) -> TableIngest {
        TableIngest { inner: Some(core::eval::TableIngest::new(source)) }
    }

    /// Feeds the next chunk of bytes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.ingest()?.push(chunk).map_err(ingest_error)
    }

    /// Data rows parsed so far.
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |i| i.rows() as f64)
    }

    /// Bytes pushed so far.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |i| i.bytes() as f64)
    }

    /// Ends the input and returns the table. The ingest cannot be used afterwards.
    pub fn finish(&mut self) -> Result<Table, JsValue> {
        let ingest =
            self.inner.take().ok_or_else(|| js_error("this TableIngest has already finished", None))?;
        ingest.finish().map(|inner| Table { inner }).map_err(ingest_error)
    }

    fn ingest(&mut self) -> Result<&mut core::eval::TableIngest, JsValue> {
        self.inner.as_mut().ok_or_else(|| js_error("this TableIngest has already finished", None))
    }
}

/// A row-aligned table held in wasm memory.
#[wasm_bindgen]
#[cfg(feature = "page")]
pub struct Table {
    inner: core::eval::Table,
}

#[wasm_bindgen]
#[cfg(feature = "page")]
impl Table {
    /// The file name it was read from.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        self.inner.source.clone()
    }

    /// Data rows.
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> f64 {
        self.inner.rows() as f64
    }

    /// Column names and inferred types, as `[{ name, type }]`.
    #[wasm_bindgen(unchecked_return_type = "ColumnInfo[]")]
    pub fn columns(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct ColumnInfo<'a> {
            name: &'a str,
            r#type: core::ColumnType,
        }
        let t = &self.inner;
        let columns: Vec<ColumnInfo<'_>> =
            t.names.iter().zip(&t.types).map(|(name, &r#type)| ColumnInfo { name, r#type }).collect();
        to_js(&columns)
    }
}

/// Evaluates the predictions in `predictions` against baselines (fitted on the
/// evaluated rows), on slices, for a sensitive column and over time.
/// `options` may set any field of `EvalOptions`; unknown fields are an error.
#[cfg(feature = "page")]
#[wasm_bindgen(unchecked_return_type = "EvalReport")]
pub fn evaluate(
    predictions: &Table,
    #[wasm_bindgen(unchecked_param_type = "Partial<EvalOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: core::eval::EvalOptions = decode_options(options, "evaluation")?;
    to_js(&core::eval::evaluate(&predictions.inner, None, &options).map_err(eval_error)?)
}

/// As [`evaluate`], with the baselines fitted on the labelled rows of `training`.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = evaluateWithTraining, unchecked_return_type = "EvalReport")]
pub fn evaluate_with_training(
    predictions: &Table,
    training: &Table,
    #[wasm_bindgen(unchecked_param_type = "Partial<EvalOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: core::eval::EvalOptions = decode_options(options, "evaluation")?;
    to_js(&core::eval::evaluate(&predictions.inner, Some(&training.inner), &options).map_err(eval_error)?)
}

/// Compares two prediction files row by row (joined by id or by order).
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = comparePredictions, unchecked_return_type = "CompareReport")]
pub fn compare_predictions(
    a: &Table,
    b: &Table,
    #[wasm_bindgen(unchecked_param_type = "Partial<CompareOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: core::eval::CompareOptions = decode_options(options, "comparison")?;
    to_js(&core::eval::compare_predictions(&a.inner, &b.inner, &options).map_err(eval_error)?)
}

/// Compares training-time and serving-time features joined by id (TFDV-style skew).
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = skewReport, unchecked_return_type = "SkewReport")]
pub fn skew_report(
    training: &Table,
    serving: &Table,
    #[wasm_bindgen(unchecked_param_type = "Partial<SkewOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: core::eval::SkewOptions = decode_options(options, "skew")?;
    to_js(&core::eval::skew_report(&training.inner, &serving.inner, &options).map_err(eval_error)?)
}

/// Whether the dataset was read with `CsvIngest.withContract` (and so can get a quality report).
#[cfg(feature = "page")]
#[wasm_bindgen]
impl Dataset {
    /// The hash of the contract the rows were checked against, or `undefined`.
    #[wasm_bindgen(getter, js_name = contractHash)]
    pub fn contract_hash(&self) -> Option<String> {
        self.scan.as_ref().map(|s| s.contract().hash())
    }
}

/// A data contract held in wasm memory: per-field rules for records and CSV rows.
#[wasm_bindgen]
pub struct Contract {
    inner: core::contract::Contract,
}

#[wasm_bindgen]
impl Contract {
    /// Reads a contract file. Throws an `Error` whose message names the JSON path
    /// and the field; `error.details` holds `{ code: "contract", path, field, line, column }`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<Contract, JsValue> {
        core::contract::Contract::from_json(text).map(|inner| Contract { inner }).map_err(contract_error)
    }

    /// The contract's version label.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.version.clone()
    }

    /// SHA-256 of the canonical JSON, as 64 hex digits.
    #[wasm_bindgen(getter)]
    pub fn hash(&self) -> String {
        self.inner.hash()
    }

    /// Number of fields.
    #[wasm_bindgen(getter, js_name = fieldCount)]
    pub fn field_count(&self) -> usize {
        self.inner.fields().len()
    }

    /// The contract file, as indented JSON.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json_pretty()
    }

    /// The JSON Schema (draft 2020-12) of one record, as a plain object.
    #[wasm_bindgen(js_name = jsonSchema, unchecked_return_type = "Record<string, unknown>")]
    pub fn json_schema(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.json_schema())
    }
}

#[wasm_bindgen(inline_js = "export function valid_records(records) { return { records, violations: [] }; }")]
extern "C" {
    /// `{ records, violations: [] }` in one call across the boundary, for the common
    /// case at the edge (serde would take five): a quarter off a one-record call.
    fn valid_records(records: f64) -> JsValue;
}

/// Infers a contract from reference data.
///
/// `options` may set `range_tolerance`, `max_categories`, `null_share_tolerance`,
/// `additional_fields` (`"reject"` or `"allow"`) and `version`.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = inferContract)]
pub fn infer_contract(
    reference: &Dataset,
    #[wasm_bindgen(unchecked_param_type = "Partial<ContractOptions> | undefined")] options: JsValue,
) -> Result<Contract, JsValue> {
    let options = contract_options(options)?;
    Ok(Contract { inner: core::contract::Contract::infer(&reference.inner, &options) })
}

/// Validates JSON holding one record (an object) or a batch (an array of
/// objects) and returns `{ records, violations }`. The JSON is a string or its
/// UTF-8 bytes (a `Uint8Array`, such as a request body: passing bytes skips the
/// string's re-encoding and is faster). Invalid JSON throws an `Error` naming the
/// line and column (`error.details`: `{ code: "json", line, column }`).
#[wasm_bindgen(js_name = validateRecords, unchecked_return_type = "Validation")]
pub fn validate_records(
    contract: &Contract,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] records_json: JsValue,
) -> Result<JsValue, JsValue> {
    // Bytes first: the edge worker's path, and one check across the boundary fewer.
    let result = if let Some(bytes) = records_json.dyn_ref::<js_sys::Uint8Array>() {
        core::validate::validate_json_bytes(&contract.inner, &bytes.to_vec())
    } else if let Some(text) = records_json.as_string() {
        core::validate::validate_json(&contract.inner, &text)
    } else {
        return Err(js_error(
            "validateRecords takes the records as a JSON string or a Uint8Array of UTF-8 bytes",
            None,
        ));
    };
    match result {
        Ok(result) if result.violations.is_empty() => Ok(valid_records(result.records as f64)),
        Ok(result) => to_js(&result),
        Err(e) => {
            #[derive(Serialize)]
            struct Details {
                code: &'static str,
                line: usize,
                column: usize,
            }
            let details = to_js(&Details { code: "json", line: e.line, column: e.column }).ok();
            Err(js_error(&e.to_string(), details))
        }
    }
}

/// The whole report as `"json"`, `"markdown"` or `"html"` (a self-contained file that
/// opens offline), exactly as `modelgate report` writes it.
///
/// `sections` holds the objects the other functions returned, each key optional:
/// `{ drift, quality, evaluation, comparison, skew, rubric }` (from `driftReport`,
/// `qualityReport` or `checkContract`, `evaluate`, `comparePredictions`, `skewReport`
/// and `scoreRubric`). The core reads them as it reads a saved report and blanks
/// every raw value (quality findings' values, compared and skewed cells) before
/// rendering. An unknown key or a section missing what its rendering needs throws an
/// `Error` naming the section (`error.details`: `{ code: "report", kind }`).
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = exportReport)]
pub fn export_report(
    #[wasm_bindgen(unchecked_param_type = "ReportSections")] sections: JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"json\" | \"markdown\" | \"html\"")] format: &str,
) -> Result<String, JsValue> {
    let report = report_of(&sections)?;
    match format {
        "json" => Ok(report::to_json_pretty(&report)),
        "markdown" => Ok(report::to_markdown(&report)),
        "html" => Ok(report::to_html(&report)),
        other => {
            Err(js_error(&format!("unknown report format \"{other}\"; use json, markdown or html"), None))
        }
    }
}

/// Proposes a role for each of several files dropped together, from their names
/// and first bytes (`head`: the first 64 KiB is plenty); see `core::roles`.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = guessRoles, unchecked_return_type = "RoleGuess[]")]
pub fn guess_roles(
    #[wasm_bindgen(unchecked_param_type = "{ name: string; head: Uint8Array }[]")] files: js_sys::Array,
) -> Result<JsValue, JsValue> {
    let mut owned: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.length() as usize);
    for (i, file) in files.iter().enumerate() {
        let name = js_sys::Reflect::get(&file, &JsValue::from_str("name"))?
            .as_string()
            .ok_or_else(|| js_error(&format!("files[{i}].name: expected a string"), None))?;
        let head = js_sys::Reflect::get(&file, &JsValue::from_str("head"))?
            .dyn_into::<js_sys::Uint8Array>()
            .map_err(|_| js_error(&format!("files[{i}].head: expected a Uint8Array"), None))?;
        let len = (head.length() as usize).min(core::roles::HEAD_BYTES);
        owned.push((name, head.subarray(0, len as u32).to_vec()));
    }
    let heads: Vec<core::roles::FileHead<'_>> =
        owned.iter().map(|(name, head)| core::roles::FileHead { name, head }).collect();
    to_js(&core::roles::guess_roles(&heads))
}

/// The rubric evidence the sections of this run yield (see `exportReport` for
/// `sections`), for `scoreRubric`: drift, schema and NaN checks from `drift`, data
/// quality from `quality`, baseline, slices and fairness from `evaluation`,
/// reproducibility from `comparison` and skew from `skew`.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = rubricEvidence, unchecked_return_type = "Evidence")]
pub fn rubric_evidence(
    #[wasm_bindgen(unchecked_param_type = "ReportSections")] sections: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&core::rubric::Evidence::from(&report_of(&sections)?))
}

/// Reads a sections object through the core's saved-report path (JSON text in between,
/// so the core sees exactly what a saved report holds).
#[cfg(feature = "page")]
fn report_of(sections: &JsValue) -> Result<report::Report, JsValue> {
    if !sections.is_object() || js_sys::Array::is_array(sections) {
        return Err(js_error(
            "report sections must be an object such as { drift, quality, evaluation }",
            None,
        ));
    }
    let text = js_sys::JSON::stringify(sections)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| js_error("report sections cannot be written as JSON", None))?;
    report::Report::from_sections_json(&text).map_err(|e| {
        #[derive(Serialize)]
        struct Details {
            code: &'static str,
            kind: &'static str,
        }
        js_error(&e.message, to_js(&Details { code: "report", kind: e.kind.code() }).ok())
    })
}

/// The data-quality report of `current` (read with `CsvIngest.withContract`)
/// against its contract and the `reference` dataset.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = qualityReport, unchecked_return_type = "QualityReport")]
pub fn quality_report(reference: &Dataset, current: &Dataset) -> Result<JsValue, JsValue> {
    to_js(&core::quality::quality_report(Some(&reference.inner), &current.inner, scan_of(current)?))
}

/// The data-quality report of `current` (read with `CsvIngest.withContract`)
/// against its contract alone, with no reference data: `modelgate contract check`.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = checkContract, unchecked_return_type = "QualityReport")]
pub fn check_contract(current: &Dataset) -> Result<JsValue, JsValue> {
    to_js(&core::quality::quality_report(None, &current.inner, scan_of(current)?))
}

#[cfg(feature = "page")]
fn scan_of(current: &Dataset) -> Result<&QualityScanner, JsValue> {
    current.scan.as_ref().ok_or_else(|| {
        js_error(
            "the current dataset was read without a contract; read it with CsvIngest.withContract(source, contract)",
            None,
        )
    })
}

/// A built-in rubric, in brief.
#[derive(Serialize)]
#[cfg(feature = "page")]
struct RubricSummary<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    aggregate: core::rubric::Aggregate,
    sections: usize,
    items: usize,
}

/// The built-in rubrics, as `[{ id, title, summary, aggregate, sections, items }]`.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = rubrics, unchecked_return_type = "RubricSummary[]")]
pub fn rubrics() -> Result<JsValue, JsValue> {
    let list: Vec<RubricSummary<'_>> = core::rubric::builtins()
        .iter()
        .map(|r| RubricSummary {
            id: &r.id,
            title: &r.title,
            summary: &r.summary,
            aggregate: r.scoring.aggregate,
            sections: r.sections.len(),
            items: r.item_count(),
        })
        .collect();
    to_js(&list)
}

/// A built-in rubric: sections, items, scoring rule, bands and sources.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = rubric, unchecked_return_type = "Rubric")]
pub fn rubric(id: &str) -> Result<JsValue, JsValue> {
    to_js(builtin_rubric(id)?)
}

/// The rubric id an answers file (CSV or JSON text) names, if any.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = answersRubric)]
pub fn answers_rubric(text: &str) -> Option<String> {
    core::rubric::answers_rubric_id(text)
}

/// Parses an answers file (CSV or JSON text) for a built-in rubric; `source` names it in errors.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = parseAnswers, unchecked_return_type = "Answers")]
pub fn parse_answers(rubric_id: &str, source: &str, text: &str) -> Result<JsValue, JsValue> {
    let rubric = builtin_rubric(rubric_id)?;
    to_js(&core::rubric::parse_answers(rubric, source, text).map_err(answers_error)?)
}

/// Scores an answers file (CSV or JSON text) against a built-in rubric.
///
/// `evidence` holds what this run computed, each key optional:
/// `{ drift: DriftReport, baseline, slices, fairness, reproducibility, skew, data_quality }`.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = scoreRubric, unchecked_return_type = "RubricReport")]
pub fn score_rubric(
    rubric_id: &str,
    source: &str,
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "Evidence | undefined")] evidence: JsValue,
) -> Result<JsValue, JsValue> {
    let rubric = builtin_rubric(rubric_id)?;
    let answers = core::rubric::parse_answers(rubric, source, text).map_err(answers_error)?;
    let evidence: core::rubric::Evidence = if evidence.is_undefined() || evidence.is_null() {
        core::rubric::Evidence::default()
    } else {
        // Through JSON text and the core's reader, as the CLI reads an evidence file:
        // serde_wasm_bindgen looks up only the fields it knows, so a misspelt key
        // or an array in place of the object passed unnoticed.
        let text: String = js_sys::JSON::stringify(&evidence)
            .map_err(|_| js_error("evidence: cannot be written as JSON", None))?
            .into();
        core::rubric::Evidence::from_json(&text).map_err(|e| js_error(&format!("evidence: {e}"), None))?
    };
    to_js(&core::rubric::score(rubric, &answers, &evidence))
}

/// Rewrites an answers file (CSV or JSON text) as a complete file in `format` (`"csv"` or
/// `"json"`): every item of the rubric in order, for saving.
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = writeAnswers)]
pub fn write_answers(
    rubric_id: &str,
    source: &str,
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "\"csv\" | \"json\"")] format: &str,
) -> Result<String, JsValue> {
    let rubric = builtin_rubric(rubric_id)?;
    let format = answers_format(format)?;
    let answers = core::rubric::parse_answers(rubric, source, text).map_err(answers_error)?;
    Ok(core::rubric::write_answers(rubric, &answers, format))
}

/// A blank answers file for a built-in rubric, in `format` (`"csv"` or `"json"`).
#[cfg(feature = "page")]
#[wasm_bindgen(js_name = rubricTemplate)]
pub fn rubric_template(
    rubric_id: &str,
    #[wasm_bindgen(unchecked_param_type = "\"csv\" | \"json\"")] format: &str,
) -> Result<String, JsValue> {
    Ok(core::rubric::template(builtin_rubric(rubric_id)?, answers_format(format)?))
}

#[cfg(feature = "page")]
fn builtin_rubric(id: &str) -> Result<&'static core::rubric::Rubric, JsValue> {
    core::rubric::builtin(id).ok_or_else(|| {
        let known: Vec<&str> = core::rubric::builtin_ids().collect();
        js_error(&format!("unknown rubric \"{id}\"; the built-in rubrics are {}", known.join(", ")), None)
    })
}

#[cfg(feature = "page")]
fn answers_format(format: &str) -> Result<core::rubric::AnswersFormat, JsValue> {
    match format {
        "csv" => Ok(core::rubric::AnswersFormat::Csv),
        "json" => Ok(core::rubric::AnswersFormat::Json),
        _ => {
            Err(js_error(&format!("unknown answers format \"{format}\"; expected \"csv\" or \"json\""), None))
        }
    }
}

/// The version of the modelgate core.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(feature = "page")]
fn drift_options(value: JsValue) -> Result<core::DriftOptions, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(core::DriftOptions::default());
    }
    let options: core::DriftOptions = serde_wasm_bindgen::from_value(value)
        .map_err(|e| js_error(&format!("invalid drift options: {}", decode_message(&e)), None))?;
    let options = options.with_default_thresholds();
    options.validate().map_err(|e| js_error(&format!("invalid drift options: {e}"), None))?;
    Ok(options)
}

fn profile_options(value: JsValue) -> Result<core::ProfileOptions, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(core::ProfileOptions::default());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| js_error(&format!("invalid profile options: {}", decode_message(&e)), None))
}

/// serde-wasm-bindgen's message without the `Error: ` its JS error adds.
fn decode_message(e: &serde_wasm_bindgen::Error) -> String {
    let text = e.to_string();
    text.strip_prefix("Error: ").unwrap_or(&text).to_string()
}

/// Options for `inferContract`, every key optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg(feature = "page")]
struct ContractOptionsJs {
    range_tolerance: Option<f64>,
    max_categories: Option<f64>,
    null_share_tolerance: Option<f64>,
    additional_fields: Option<AdditionalFields>,
    version: Option<String>,
}

fn decode<T: for<'de> Deserialize<'de>>(
    what: &str,
    known: &[&str],
    value: JsValue,
) -> Result<Option<T>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    // serde-wasm-bindgen reads only the keys it knows, so a misspelt option would
    // pass silently: name it instead.
    if let Some(object) = value.dyn_ref::<js_sys::Object>() {
        for key in js_sys::Object::keys(object).iter().filter_map(|k| k.as_string()) {
            if !known.contains(&key.as_str()) {
                return Err(js_error(
                    &format!("{what}: unknown option \"{key}\"; known: {}", known.join(", ")),
                    None,
                ));
            }
        }
    }
    serde_wasm_bindgen::from_value(value).map(Some).map_err(|e| {
        let message = e.to_string();
        js_error(&format!("{what}: {}", message.trim_start_matches("Error: ")), None)
    })
}

#[cfg(feature = "page")]
fn contract_options(value: JsValue) -> Result<ContractOptions, JsValue> {
    let mut options = ContractOptions::default();
    let Some(js) = decode::<ContractOptionsJs>(
        "contract options",
        &["range_tolerance", "max_categories", "null_share_tolerance", "additional_fields", "version"],
        value,
    )?
    else {
        return Ok(options);
    };
    let finite = |key: &str, v: f64, max: f64| bounded("contract", key, v, max);
    if let Some(v) = js.range_tolerance {
        options.range_tolerance = finite("range_tolerance", v, 1e6)?;
    }
    if let Some(v) = js.null_share_tolerance {
        options.null_share_tolerance = finite("null_share_tolerance", v, 1.0)?;
    }
    if let Some(v) = js.max_categories {
        options.max_categories = finite("max_categories", v, 1e6)? as usize;
    }
    if let Some(v) = js.additional_fields {
        options.additional_fields = v;
    }
    if let Some(v) = js.version {
        if v.is_empty() {
            return Err(js_error("contract option \"version\" must not be empty", None));
        }
        options.version = v;
    }
    Ok(options)
}

/// `v` when it is a finite number from 0 to `max`; otherwise an error naming the
/// option, such as `quality option "max_examples" must be a number from 0 to 1000`.
fn bounded(what: &str, key: &str, v: f64, max: f64) -> Result<f64, JsValue> {
    if v.is_finite() && (0.0..=max).contains(&v) {
        Ok(v)
    } else {
        Err(js_error(&format!("{what} option \"{key}\" must be a number from 0 to {max}"), None))
    }
}

/// Options for `CsvIngest.withContract`, every key optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QualityOptionsJs {
    max_examples: Option<f64>,
    mostly_null_share: Option<f64>,
    vanished_min_expected: Option<f64>,
    max_tracked_rows: Option<f64>,
}

fn quality_options(value: JsValue) -> Result<QualityOptions, JsValue> {
    let mut options = QualityOptions::default();
    let Some(js) = decode::<QualityOptionsJs>(
        "quality options",
        &["max_examples", "mostly_null_share", "vanished_min_expected", "max_tracked_rows"],
        value,
    )?
    else {
        return Ok(options);
    };
    let check = |key: &str, v: f64, max: f64| bounded("quality", key, v, max);
    if let Some(v) = js.max_examples {
        options.max_examples = check("max_examples", v, 1000.0)? as usize;
    }
    if let Some(v) = js.mostly_null_share {
        options.mostly_null_share = check("mostly_null_share", v, 1.0)?;
    }
    if let Some(v) = js.vanished_min_expected {
        options.vanished_min_expected = check("vanished_min_expected", v, 1e12)?;
    }
    if let Some(v) = js.max_tracked_rows {
        options.max_tracked_rows = check("max_tracked_rows", v, 1e9)? as usize;
    }
    Ok(options)
}

fn contract_error(e: core::contract::ContractError) -> JsValue {
    #[derive(Serialize)]
    struct Details<'a> {
        code: &'static str,
        path: &'a str,
        field: Option<&'a str>,
        line: Option<usize>,
        column: Option<usize>,
    }
    let details = Details {
        code: "contract",
        path: &e.path,
        field: e.field.as_deref(),
        line: e.line,
        column: e.column,
    };
    js_error(&e.to_string(), to_js(&details).ok())
}

#[cfg(feature = "page")]
fn decode_options<T>(value: JsValue, what: &str) -> Result<T, JsValue>
where
    T: serde::de::DeserializeOwned + Serialize + Default,
{
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() {
        return Err(js_error(&format!("bad {what} options: expected an object"), None));
    }
    // serde-wasm-bindgen reads only the fields it knows, so a misspelt option would
    // be ignored silently; compare the keys with those of the defaults instead.
    let known = js_sys::Object::keys(&to_js(&T::default())?.into());
    for key in js_sys::Object::keys(&value.clone().into()).iter() {
        if !known.includes(&key, 0) {
            let key = key.as_string().unwrap_or_default();
            return Err(js_error(&format!("bad {what} options: unknown field `{key}`"), None));
        }
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error(&format!("bad {what} options: {e}"), None))
}

#[cfg(feature = "page")]
fn eval_error(e: core::eval::EvalError) -> JsValue {
    #[derive(Serialize)]
    struct Details<'a> {
        code: &'a str,
    }
    js_error(&e.message, to_js(&Details { code: e.code }).ok())
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| js_error(&format!("cannot encode the result: {e}"), None))
}

/// Machine-readable details of an ingest error, attached to the JS error as `details`.
#[derive(Serialize)]
struct ErrorDetails<'a> {
    code: &'a str,
    source: &'a str,
    row: Option<u64>,
    line: Option<u64>,
    column: Option<&'a str>,
}

fn ingest_error(e: core::IngestError) -> JsValue {
    let location = e.location.as_ref();
    let details = ErrorDetails {
        code: e.kind.code(),
        source: &e.source,
        row: location.and_then(|l| l.row),
        line: location.map(|l| l.line),
        column: location.and_then(|l| l.column.as_deref()),
    };
    js_error(&e.to_string(), to_js(&details).ok())
}

/// Machine-readable details of an answers error: one entry per problem.
#[derive(Serialize)]
#[cfg(feature = "page")]
struct AnswersErrorDetails<'a> {
    code: &'static str,
    source: &'a str,
    problems: Vec<ProblemDetails>,
    more: usize,
}

#[derive(Serialize)]
#[cfg(feature = "page")]
struct ProblemDetails {
    code: &'static str,
    place: core::rubric::Place,
    message: String,
}

#[cfg(feature = "page")]
fn answers_error(e: core::rubric::AnswersError) -> JsValue {
    let details = AnswersErrorDetails {
        code: "answers",
        source: &e.source,
        problems: e
            .problems
            .iter()
            .map(|p| ProblemDetails {
                code: p.kind.code(),
                place: p.place.clone(),
                message: p.kind.to_string(),
            })
            .collect(),
        more: e.more,
    };
    js_error(&e.to_string(), to_js(&details).ok())
}

fn js_error(message: &str, details: Option<JsValue>) -> JsValue {
    let error = js_sys::Error::new(message);
    if let Some(details) = details {
        // Setting a property on a fresh Error cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str("details"), &details);
    }
    error.into()
}
