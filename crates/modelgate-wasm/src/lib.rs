//! JavaScript bindings of `modelgate-core`, built with wasm-bindgen.
//!
//! Long-lived data stays in wasm memory behind opaque handles: a
//! [`CsvIngest`] is fed the chunks of a file and finishes into a [`Dataset`]
//! (a mergeable profile), a [`ProfileBuilder`] is fed records one by one (the
//! edge worker's path); [`driftReport`](drift_report) compares two datasets and
//! returns the report as a plain JS object, [`DriftComparison`] compares several
//! with one reference. Profiles go in and out as JSON text
//! (`Dataset.toProfileJson`, `Dataset.fromProfileJson`) and merge (`Dataset.merge`). Nothing here holds logic: every method decodes, calls the
//! core and encodes. Errors become JS `Error`s whose `message` names the file,
//! row and column, with the machine-readable details on `error.details`.
//!
//! ```js
//! import init, { CsvIngest, driftReport } from "./pkg/modelgate_wasm.js";
//! await init();
//! const ingest = new CsvIngest("train.csv");
//! ingest.push(new TextEncoder().encode("x\n1\n2\n"));
//! const reference = ingest.finish();
//! ```

use serde::Serialize;
use wasm_bindgen::prelude::*;

use modelgate_core as core;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("types.d.ts");

/// Streams one CSV file into a [`Dataset`].
#[wasm_bindgen]
pub struct CsvIngest {
    inner: Option<core::CsvIngest>,
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
        Ok(CsvIngest { inner: Some(core::CsvIngest::new(source).with_profile_options(options)) })
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

    /// Ends the input and returns the dataset. The ingest cannot be used afterwards.
    pub fn finish(&mut self) -> Result<Dataset, JsValue> {
        let ingest =
            self.inner.take().ok_or_else(|| js_error("this CsvIngest has already finished", None))?;
        ingest.finish().map(|inner| Dataset { inner }).map_err(ingest_error)
    }

    fn ingest(&mut self) -> Result<&mut core::CsvIngest, JsValue> {
        self.inner.as_mut().ok_or_else(|| js_error("this CsvIngest has already finished", None))
    }
}

/// A parsed, typed dataset held in wasm memory.
#[wasm_bindgen]
pub struct Dataset {
    inner: core::Dataset,
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
            .map(|inner| Dataset { inner })
            .map_err(|e| js_error(&e.to_string(), None))
    }

    /// Merges a profile of other rows with the same columns into this one.
    pub fn merge(&mut self, other: &Dataset) -> Result<(), JsValue> {
        self.inner.merge(&other.inner).map_err(|e| js_error(&e.to_string(), None))
    }
}

/// Builds a profile record by record (cells as strings, numbers, booleans or null).
#[wasm_bindgen]
pub struct ProfileBuilder {
    inner: Option<core::ProfileBuilder>,
}

#[wasm_bindgen]
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
        Ok(Dataset { inner: b.finish() })
    }

    fn builder(&mut self) -> Result<&mut core::ProfileBuilder, JsValue> {
        self.inner.as_mut().ok_or_else(|| js_error("this ProfileBuilder has already finished", None))
    }
}

/// The text a JS cell stands for, as a CSV would spell it.
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
pub struct DriftComparison {
    reference: core::Dataset,
    currents: Vec<(String, core::Dataset)>,
}

#[wasm_bindgen]
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
#[wasm_bindgen(js_name = driftReport, unchecked_return_type = "DriftReport")]
pub fn drift_report(
    reference: &Dataset,
    current: &Dataset,
    #[wasm_bindgen(unchecked_param_type = "Partial<DriftOptions> | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = drift_options(options)?;
    to_js(&core::drift_report(&reference.inner, &current.inner, &options))
}

/// The version of the modelgate core.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

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

fn js_error(message: &str, details: Option<JsValue>) -> JsValue {
    let error = js_sys::Error::new(message);
    if let Some(details) = details {
        // Setting a property on a fresh Error cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str("details"), &details);
    }
    error.into()
}
