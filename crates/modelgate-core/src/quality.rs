//! Data quality: what is wrong with a current CSV, measured against a contract
//! and, when there is one, the reference data the contract came from.
//!
//! Row-level findings need rows, so the current file is streamed through a
//! [`QualityScanner`] (a [`RowSink`]) while it is ingested; the scanner checks
//! every cell against the contract and remembers counts and the first few row
//! numbers of each problem, never the rows themselves. [`quality_report`] then
//! turns the scan and the two datasets into a list of [`Finding`]s.
//!
//! ```
//! use modelgate_core::contract::{Contract, ContractOptions};
//! use modelgate_core::quality::{quality_report, FindingKind, QualityOptions, QualityScanner};
//! use modelgate_core::{CsvIngest, IngestLimits};
//!
//! let mut ingest = CsvIngest::new("train.csv");
//! ingest.push(b"age,city\n31,Lyon\n45,Paris\n52,Lyon\n").unwrap();
//! let reference = ingest.finish().unwrap();
//! let contract = Contract::infer(&reference, &ContractOptions::default());
//!
//! let scanner = QualityScanner::new(&contract, &QualityOptions::default());
//! let mut ingest = CsvIngest::with_sink("prod.csv", IngestLimits::default(), scanner);
//! ingest.push(b"age,city\n33,Lyon\n-1,Nice\n33,Lyon\n").unwrap();
//! let (current, scan) = ingest.finish_with_sink().unwrap();
//! let report = quality_report(Some(&reference), &current, &scan);
//! let kinds: Vec<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
//! assert_eq!(kinds, [FindingKind::OutOfRange, FindingKind::UnseenCategory, FindingKind::DuplicatedRows]);
//! assert_eq!(report.findings[0].examples, [2]); // row 2 holds the -1
//! ```

use std::collections::HashMap;

use serde::Serialize;

use crate::contract::{AdditionalFields, Contract, FieldContract, FieldType};
use crate::dataset::{Column, ColumnType, Dataset};
use crate::drift::DatasetInfo;
use crate::hash::{Hasher64, PassThrough};
use crate::ingest::{Row, RowSink};
use crate::validate::{CompiledField, Rule};
use crate::value::{classify, Cell};

/// Choices for the scan and the report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QualityOptions {
    /// Row numbers kept as examples per finding (and example values).
    pub max_examples: usize,
    /// A row is mostly null when more than this share of its columns are null.
    pub mostly_null_share: f64,
    /// A reference category counts as vanished when at least this many current
    /// rows were expected to hold it (its reference share times the current
    /// non-null rows) and none does.
    pub vanished_min_expected: f64,
    /// Distinct row hashes (and, per unique field, value hashes) remembered for
    /// duplicate detection; rows past this many distinct ones are not checked,
    /// which bounds memory at about 16 bytes each.
    pub max_tracked_rows: usize,
}

impl Default for QualityOptions {
    fn default() -> Self {
        QualityOptions {
            max_examples: 5,
            mostly_null_share: 0.5,
            vanished_min_expected: 5.0,
            max_tracked_rows: 4_000_000,
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The data breaks the contract: a record like it would be rejected.
    Error,
    /// Suspicious, worth a look, not a contract break.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What a finding is about. `docs/quality.md` describes each, with its severity,
/// what `count` and `share` measure and which rows are examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A contract field has no column in the current data.
    MissingColumn,
    /// A current column the contract does not list.
    NewColumn,
    /// Values of another type than the contract's (text in an integer column...).
    TypeChange,
    /// Nulls in a field that is not nullable.
    NullNotAllowed,
    /// The share of nulls is above the field's `max_null_share`.
    NullShareJump,
    /// NaN values (an error when the contract does not allow them).
    NanPresent,
    /// Infinite values (an error when the contract does not allow them).
    InfPresent,
    /// Values below the minimum or above the maximum.
    OutOfRange,
    /// Values outside the allowed categories.
    UnseenCategory,
    /// Frequent reference categories that no current row holds.
    VanishedCategory,
    /// Strings shorter than `min_length` or longer than `max_length`.
    LengthOutOfRange,
    /// Repeated values in a field marked `unique`.
    DuplicateValues,
    /// A column whose non-null values are all the same.
    ConstantColumn,
    /// Rows that repeat an earlier row exactly.
    DuplicatedRows,
    /// Numbers mixed with text, or dates mixed with other values, in one column.
    MixedTypes,
    /// A column whose values are all distinct: a key, not a feature.
    IdentifierLike,
    /// Rows with most of their columns null.
    MostlyNullRows,
}

impl FindingKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::MissingColumn => "missing_column",
            FindingKind::NewColumn => "new_column",
            FindingKind::TypeChange => "type_change",
            FindingKind::NullNotAllowed => "null_not_allowed",
            FindingKind::NullShareJump => "null_share_jump",
            FindingKind::NanPresent => "nan_present",
            FindingKind::InfPresent => "inf_present",
            FindingKind::OutOfRange => "out_of_range",
            FindingKind::UnseenCategory => "unseen_category",
            FindingKind::VanishedCategory => "vanished_category",
            FindingKind::LengthOutOfRange => "length_out_of_range",
            FindingKind::DuplicateValues => "duplicate_values",
            FindingKind::ConstantColumn => "constant_column",
            FindingKind::DuplicatedRows => "duplicated_rows",
            FindingKind::MixedTypes => "mixed_types",
            FindingKind::IdentifierLike => "identifier_like",
            FindingKind::MostlyNullRows => "mostly_null_rows",
        }
    }
}

/// A value and how many rows hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueCount {
    /// The value as written (trimmed).
    pub value: String,
    /// Rows holding it.
    pub count: u64,
}

/// One problem found in the current data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// What it is.
    pub kind: FindingKind,
    /// The column, or `None` for findings about whole rows.
    pub column: Option<String>,
    /// How many rows (or values, or categories: see `docs/quality.md`).
    pub count: u64,
    /// `count` as a share of the current rows (for vanished categories, their share of the reference).
    pub share: f64,
    /// The first row numbers involved (1-based data rows, the header not counted).
    pub examples: Vec<u64>,
    /// The most frequent offending values, with their counts.
    pub values: Vec<ValueCount>,
    /// A sentence for people.
    pub message: String,
}

/// The contract a report was checked against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractInfo {
    /// Its version label.
    pub version: String,
    /// Its hash ([`Contract::hash`]).
    pub hash: String,
    /// Fields it lists.
    pub fields: usize,
}

/// Every finding about a current dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityReport {
    /// The reference dataset, when one was given.
    pub reference: Option<DatasetInfo>,
    /// The current dataset.
    pub current: DatasetInfo,
    /// The contract checked.
    pub contract: ContractInfo,
    /// Options used.
    pub options: QualityOptions,
    /// Findings at error severity.
    pub errors: usize,
    /// Findings at warning severity.
    pub warnings: usize,
    /// Findings at info severity.
    pub infos: usize,
    /// No finding at error severity: the data meets the contract.
    pub passed: bool,
    /// Every finding: errors first, then warnings, then infos; within a severity,
    /// whole-row findings first, then by column in contract order, then by kind.
    pub findings: Vec<Finding>,
}

/// Values remembered per tally before new distinct values are no longer counted.
const MAX_TRACKED_VALUES: usize = 1_000;

/// Counts of one problem in one column, with the first rows and the values.
#[derive(Debug, Default)]
struct Tally {
    count: u64,
    rows: Vec<u64>,
    values: Option<HashMap<Box<str>, u64>>,
}

impl Tally {
    #[inline]
    fn add(&mut self, row: u64, value: Option<&str>, max_examples: usize) {
        self.count += 1;
        if self.rows.len() < max_examples {
            self.rows.push(row);
        }
        if let Some(v) = value {
            let values = self.values.get_or_insert_with(HashMap::new);
            if let Some(n) = values.get_mut(v) {
                *n += 1;
            } else if values.len() < MAX_TRACKED_VALUES {
                values.insert(v.into(), 1);
            }
        }
    }

    /// Counts a value without a map: only the first `max_examples` distinct values
    /// are kept (with exact counts), which is all a report shows. For the value
    /// classes every cell passes through here, so it must be cheap.
    #[inline]
    fn add_sampled(&mut self, row: u64, value: &str, max_examples: usize, sample: &mut Vec<(Box<str>, u64)>) {
        self.count += 1;
        if self.rows.len() < max_examples {
            self.rows.push(row);
        }
        if let Some(slot) = sample.iter_mut().find(|(v, _)| &**v == value) {
            slot.1 += 1;
        } else if sample.len() < max_examples {
            sample.push((value.into(), 1));
        }
    }

    /// The most frequent values, ties by value.
    fn top_values(&self, n: usize) -> Vec<ValueCount> {
        let Some(values) = &self.values else { return Vec::new() };
        let mut all: Vec<(&str, u64)> = values.iter().map(|(k, v)| (&**k, *v)).collect();
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        all.into_iter().take(n).map(|(value, count)| ValueCount { value: value.to_string(), count }).collect()
    }
}

/// The value classes that can mix in one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Number,
    Datetime,
    Other,
}

#[derive(Debug, Default)]
struct ColumnScan {
    /// Index in the contract's fields, when the contract lists the column.
    field: Option<usize>,
    rules: HashMap<Rule, Tally>,
    nulls: Tally,
    classes: [Tally; 3],
    /// The first distinct values of each class, with their counts.
    class_values: [Vec<(Box<str>, u64)>; 3],
    /// Smallest value below the minimum and largest above the maximum, with their rows.
    lowest: Option<(f64, u64)>,
    highest: Option<(f64, u64)>,
    unique: Option<HashMap<u64, u64, PassThrough>>,
    duplicates: Tally,
    unique_overflow: bool,
}

/// A [`RowSink`] that checks every row of the current data against a contract.
///
/// It keeps counts, the first [`QualityOptions::max_examples`] row numbers and
/// values of each problem, and hashes of rows (for duplicates): memory grows
/// with the number of distinct rows up to [`QualityOptions::max_tracked_rows`],
/// not with the size of the file.
#[derive(Debug)]
pub struct QualityScanner {
    contract: Contract,
    options: QualityOptions,
    decimal_comma: bool,
    header: Vec<String>,
    columns: Vec<ColumnScan>,
    rows: u64,
    row_hashes: HashMap<u64, u64, PassThrough>,
    duplicate_rows: Tally,
    /// (duplicate row, the earlier row it repeats), for the first examples.
    duplicate_pairs: Vec<(u64, u64)>,
    rows_unchecked: u64,
    mostly_null: Tally,
    scratch: String,
}

impl QualityScanner {
    /// A scanner for data checked against `contract`.
    pub fn new(contract: &Contract, options: &QualityOptions) -> Self {
        QualityScanner {
            contract: contract.clone(),
            options: *options,
            decimal_comma: false,
            header: Vec::new(),
            columns: Vec::new(),
            rows: 0,
            row_hashes: HashMap::with_hasher(PassThrough),
            duplicate_rows: Tally::default(),
            duplicate_pairs: Vec::new(),
            rows_unchecked: 0,
            mostly_null: Tally::default(),
            scratch: String::new(),
        }
    }

    /// The contract the rows are checked against.
    pub fn contract(&self) -> &Contract {
        &self.contract
    }

    /// Rows seen.
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

impl RowSink for QualityScanner {
    fn delimiter(&mut self, delimiter: u8) {
        self.decimal_comma = delimiter == b';';
    }

    fn header(&mut self, names: &[String]) {
        let compiled = self.contract.compiled();
        self.header = names.to_vec();
        self.columns = names
            .iter()
            .map(|name| {
                let field = compiled.index(name);
                let unique = field
                    .filter(|&i| self.contract.fields()[i].unique)
                    .map(|_| HashMap::with_hasher(PassThrough));
                ColumnScan { field, unique, ..ColumnScan::default() }
            })
            .collect();
    }

    fn row(&mut self, row: u64, fields: Row<'_>) {
        self.rows += 1;
        let max_examples = self.options.max_examples;
        let compiled = self.contract.compiled();
        let mut nulls = 0usize;
        let mut row_hash = Hasher64::default();
        for (raw, column) in fields.iter().zip(self.columns.iter_mut()) {
            row_hash.write(raw.as_bytes());
            let cell = classify(raw, self.decimal_comma);
            let class = match cell {
                Cell::Null => {
                    nulls += 1;
                    column.nulls.add(row, None, max_examples);
                    None
                }
                Cell::Number { .. } => Some(Class::Number),
                Cell::Datetime => Some(Class::Datetime),
                Cell::Bool(_) | Cell::Text => Some(Class::Other),
            };
            if let Some(class) = class {
                let i = class as usize;
                column.classes[i].add_sampled(row, raw.trim(), max_examples, &mut column.class_values[i]);
            }
            let Some(index) = column.field else { continue };
            let field: &CompiledField = &compiled.fields[index];
            field.check_cell(raw, cell, &mut self.scratch, |rule| {
                let value = match rule {
                    Rule::NullNotAllowed => None,
                    _ => Some(raw.trim()),
                };
                column.rules.entry(rule).or_default().add(row, value, max_examples);
                if let (Rule::BelowMinimum | Rule::AboveMaximum, Cell::Number { value, .. }) = (rule, cell) {
                    let slot =
                        if rule == Rule::BelowMinimum { &mut column.lowest } else { &mut column.highest };
                    let more_extreme = match slot {
                        None => true,
                        Some((v, _)) => {
                            (rule == Rule::BelowMinimum && value < *v)
                                || (rule == Rule::AboveMaximum && value > *v)
                        }
                    };
                    if more_extreme {
                        *slot = Some((value, row));
                    }
                }
            });
            if let (Some(seen), false) = (&mut column.unique, matches!(cell, Cell::Null)) {
                let key = crate::hash::hash64(raw.trim().as_bytes());
                match seen.get(&key) {
                    Some(_) => column.duplicates.add(row, Some(raw.trim()), max_examples),
                    None if seen.len() < self.options.max_tracked_rows => {
                        seen.insert(key, row);
                    }
                    None => column.unique_overflow = true,
                }
            }
        }
        if self.columns.len() >= 2
            && nulls as f64 > self.options.mostly_null_share * self.columns.len() as f64
        {
            self.mostly_null.add(row, None, max_examples);
        }
        let key = row_hash.finish();
        match self.row_hashes.get(&key) {
            Some(&first) => {
                self.duplicate_rows.add(row, None, max_examples);
                if self.duplicate_pairs.len() < max_examples {
                    self.duplicate_pairs.push((row, first));
                }
            }
            None if self.row_hashes.len() < self.options.max_tracked_rows => {
                self.row_hashes.insert(key, row);
            }
            None => self.rows_unchecked += 1,
        }
    }
}

/// Shares are rounded to 6 decimals in reports, so they print the same everywhere.
fn share(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (count as f64 / total as f64 * 1e6).round() / 1e6
    }
}

fn percent(count: u64, total: u64) -> String {
    let p = if total == 0 { 0.0 } else { count as f64 / total as f64 * 100.0 };
    if p > 0.0 && p < 0.1 {
        "<0.1%".to_string()
    } else {
        format!("{p:.1}%")
    }
}

fn rows_text(rows: &[u64]) -> String {
    match rows {
        [] => String::new(),
        [one] => format!("row {one}"),
        many => format!("rows {}", many.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")),
    }
}

fn values_text(values: &[ValueCount]) -> String {
    values.iter().map(|v| format!("\"{}\" ({})", v.value, v.count)).collect::<Vec<_>>().join(", ")
}

fn number_text(x: f64) -> String {
    crate::contract::number_value(x).to_string()
}

/// The verb agreeing with `n`: `verb(1, "is", "are")` is "is".
fn verb(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn plural(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

struct Builder<'a> {
    findings: Vec<(Severity, usize, Finding)>,
    rows: u64,
    options: &'a QualityOptions,
}

impl Builder<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        severity: Severity,
        kind: FindingKind,
        order: usize,
        column: Option<&str>,
        count: u64,
        share_value: f64,
        examples: Vec<u64>,
        values: Vec<ValueCount>,
        message: String,
    ) {
        self.findings.push((
            severity,
            order,
            Finding {
                severity,
                kind,
                column: column.map(str::to_string),
                count,
                share: share_value,
                examples,
                values,
                message,
            },
        ));
    }

    fn push_tally(
        &mut self,
        severity: Severity,
        kind: FindingKind,
        order: usize,
        column: &str,
        tally: &Tally,
        message: String,
    ) {
        let values = tally.top_values(self.options.max_examples);
        let rows = self.rows;
        self.push(
            severity,
            kind,
            order,
            Some(column),
            tally.count,
            share(tally.count, rows),
            tally.rows.clone(),
            values,
            message,
        );
    }
}

/// Every finding about `current`, scanned by `scan` against its contract, and
/// compared with `reference` when given (vanished categories and the reference
/// figures in messages need it).
pub fn quality_report(
    reference: Option<&Dataset>,
    current: &Dataset,
    scan: &QualityScanner,
) -> QualityReport {
    let contract = &scan.contract;
    let options = &scan.options;
    let rows = current.rows;
    let mut b = Builder { findings: Vec::new(), rows, options };
    let n = options.max_examples;

    // Whole-row findings come first (order 0); columns follow in contract order,
    // then columns the contract does not list.
    if scan.duplicate_rows.count > 0 {
        let pairs: Vec<String> = scan
            .duplicate_pairs
            .iter()
            .map(|(row, first)| format!("row {row} repeats row {first}"))
            .collect();
        let mut message = format!(
            "{} ({}) {} an earlier row exactly: {}",
            plural(scan.duplicate_rows.count, "row"),
            percent(scan.duplicate_rows.count, rows),
            verb(scan.duplicate_rows.count, "repeats", "repeat"),
            pairs.join(", ")
        );
        if scan.rows_unchecked > 0 {
            message.push_str(&format!(
                "; {} past the first {} distinct rows were not checked",
                plural(scan.rows_unchecked, "row"),
                options.max_tracked_rows
            ));
        }
        // With few distinct values per column, few distinct rows are possible and
        // repeats are expected by chance: worth knowing, not a warning.
        let combinations = current.columns.iter().try_fold(1u128, |acc, c| {
            c.distinct().map(|d| acc.saturating_mul(d.max(1) as u128 + u128::from(c.counts.nulls > 0)))
        });
        let severity = match combinations {
            Some(n) if n < 10 * u128::from(rows) => {
                message.push_str(&format!(
                    "; only {n} distinct rows are possible from the columns' values, so repeats are expected"
                ));
                Severity::Info
            }
            _ => Severity::Warning,
        };
        let tally = &scan.duplicate_rows;
        b.push(
            severity,
            FindingKind::DuplicatedRows,
            0,
            None,
            tally.count,
            share(tally.count, rows),
            tally.rows.clone(),
            Vec::new(),
            message,
        );
    }
    if scan.mostly_null.count > 0 {
        let tally = &scan.mostly_null;
        let message = format!(
            "{} ({}) have more than {}% of their {} columns null: {}",
            plural(tally.count, "row"),
            percent(tally.count, rows),
            number_text(options.mostly_null_share * 100.0),
            scan.columns.len(),
            rows_text(&tally.rows)
        );
        b.push(
            Severity::Warning,
            FindingKind::MostlyNullRows,
            0,
            None,
            tally.count,
            share(tally.count, rows),
            tally.rows.clone(),
            Vec::new(),
            message,
        );
    }

    let scans_by_field: HashMap<usize, usize> =
        scan.columns.iter().enumerate().filter_map(|(c, s)| s.field.map(|f| (f, c))).collect();
    for (fi, field) in contract.fields().iter().enumerate() {
        let order = fi + 1;
        let name = field.name.as_str();
        let Some(&ci) = scans_by_field.get(&fi) else {
            let severity = if field.required { Severity::Error } else { Severity::Warning };
            let message = if field.required {
                format!("{name}: the contract requires this column and the current data does not have it")
            } else {
                format!(
                    "{name}: this column of the contract is missing from the current data (it is optional)"
                )
            };
            b.push(
                severity,
                FindingKind::MissingColumn,
                order,
                Some(name),
                rows,
                share(rows, rows),
                Vec::new(),
                Vec::new(),
                message,
            );
            continue;
        };
        let col_scan = &scan.columns[ci];
        let current_col = current.column(name);
        let reference_col = reference.and_then(|r| r.column(name));
        column_findings(&mut b, order, field, col_scan, current_col, reference_col, n);
    }
    let mut next = contract.fields().len() + 1;
    for (ci, col_scan) in scan.columns.iter().enumerate() {
        if col_scan.field.is_some() {
            continue;
        }
        let name = scan.header[ci].as_str();
        let current_col = current.column(name);
        let (severity, tail) = match contract.additional_fields {
            AdditionalFields::Reject => (Severity::Error, "the contract rejects unlisted fields"),
            AdditionalFields::Allow => (Severity::Info, "the contract allows unlisted fields"),
        };
        let what = current_col.map_or(String::new(), |c| format!(" ({} values)", c.column_type));
        let message = format!("{name}: a column the contract does not list{what}; {tail}");
        b.push(
            severity,
            FindingKind::NewColumn,
            next,
            Some(name),
            rows,
            share(rows, rows),
            Vec::new(),
            Vec::new(),
            message,
        );
        if let Some(c) = current_col {
            if c.column_type == ColumnType::Identifier {
                identifier_finding(&mut b, next, name, c, None);
            }
        }
        next += 1;
    }

    let mut findings = b.findings;
    findings.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.kind.cmp(&b.2.kind)));
    let findings: Vec<Finding> = findings.into_iter().map(|(_, _, f)| f).collect();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    QualityReport {
        reference: reference.map(DatasetInfo::of),
        current: DatasetInfo::of(current),
        contract: ContractInfo {
            version: contract.version.clone(),
            hash: contract.hash(),
            fields: contract.fields().len(),
        },
        options: *options,
        errors,
        warnings,
        infos,
        passed: errors == 0,
        findings,
    }
}

fn identifier_finding(
    b: &mut Builder<'_>,
    order: usize,
    name: &str,
    current: &Column,
    field: Option<&FieldContract>,
) {
    let present = current.counts.present();
    let note = if field.is_some_and(|f| f.unique) { ", as in the reference" } else { "" };
    let message = format!(
        "{name}: all {present} values are distinct{note}: it looks like an identifier (a row number or key), not a feature to learn from"
    );
    b.push(
        Severity::Info,
        FindingKind::IdentifierLike,
        order,
        Some(name),
        present,
        share(present, b.rows),
        Vec::new(),
        Vec::new(),
        message,
    );
}

#[allow(clippy::too_many_arguments)]
fn column_findings(
    b: &mut Builder<'_>,
    order: usize,
    field: &FieldContract,
    scan: &ColumnScan,
    current: Option<&Column>,
    reference: Option<&Column>,
    n: usize,
) {
    let name = field.name.as_str();
    let rows = b.rows;
    let tally = |rule: Rule| scan.rules.get(&rule).filter(|t| t.count > 0);

    let mut type_changed = false;
    if let Some(t) = tally(Rule::WrongType) {
        type_changed = true;
        let now =
            current.map_or(String::new(), |c| format!("; the current column reads as {}", c.column_type));
        let values = t.top_values(n);
        let message = format!(
            "{name}: {} ({}) {} as the contract expects{now}: {} in {}",
            plural(t.count, "value"),
            percent(t.count, rows),
            type_phrase(field.field_type, t.count),
            values_text(&values),
            rows_text(&t.rows)
        );
        b.push_tally(Severity::Error, FindingKind::TypeChange, order, name, t, message);
    }
    if let Some(t) = tally(Rule::NullNotAllowed) {
        let message = format!(
            "{name}: {} ({}) {} null and the contract does not allow nulls{}: {}",
            plural(t.count, "value"),
            percent(t.count, rows),
            verb(t.count, "is", "are"),
            if t.count == rows && rows > 1 { "; the column is now entirely null" } else { "" },
            rows_text(&t.rows)
        );
        b.push_tally(Severity::Error, FindingKind::NullNotAllowed, order, name, t, message);
    }
    if let (Some(max), Some(c)) = (field.max_null_share, current) {
        let nulls = c.counts.nulls;
        if c.counts.rows > 0 && nulls as f64 / c.counts.rows as f64 > max {
            let was = reference.map_or(String::new(), |r| {
                format!(" from {} in the reference", percent(r.counts.nulls, r.counts.rows))
            });
            let message = format!(
                "{name}: the null share rose{was} to {} ({} of {} rows), above the {}% the contract allows{}: {}",
                percent(nulls, c.counts.rows),
                nulls,
                c.counts.rows,
                number_text((max * 1e6).round() / 1e4),
                if nulls == c.counts.rows && nulls > 1 { "; the column is now entirely null" } else { "" },
                rows_text(&scan.nulls.rows)
            );
            b.push(
                Severity::Error,
                FindingKind::NullShareJump,
                order,
                Some(name),
                nulls,
                share(nulls, rows),
                scan.nulls.rows.clone(),
                Vec::new(),
                message,
            );
        }
    }
    if field.field_type.is_numeric() {
        if let Some(t) = tally(Rule::NanNotAllowed) {
            let message = format!(
                "{name}: {} ({}) {} NaN and the contract does not allow NaN: {}",
                plural(t.count, "value"),
                percent(t.count, rows),
                verb(t.count, "is", "are"),
                rows_text(&t.rows)
            );
            b.push_tally(Severity::Error, FindingKind::NanPresent, order, name, t, message);
        } else if let Some(c) = current.filter(|c| c.counts.nan > 0) {
            let message = format!(
                "{name}: {} NaN values ({}), allowed by the contract",
                c.counts.nan,
                percent(c.counts.nan, rows)
            );
            b.push(
                Severity::Info,
                FindingKind::NanPresent,
                order,
                Some(name),
                c.counts.nan,
                share(c.counts.nan, rows),
                Vec::new(),
                Vec::new(),
                message,
            );
        }
        if let Some(t) = tally(Rule::InfNotAllowed) {
            let message = format!(
                "{name}: {} ({}) {} infinite and the contract does not allow infinities: {} in {}",
                plural(t.count, "value"),
                percent(t.count, rows),
                verb(t.count, "is", "are"),
                values_text(&t.top_values(n)),
                rows_text(&t.rows)
            );
            b.push_tally(Severity::Error, FindingKind::InfPresent, order, name, t, message);
        } else if let Some(c) = current.filter(|c| c.counts.pos_inf + c.counts.neg_inf > 0) {
            let inf = c.counts.pos_inf + c.counts.neg_inf;
            let message =
                format!("{name}: {inf} infinite values ({}), allowed by the contract", percent(inf, rows));
            b.push(
                Severity::Info,
                FindingKind::InfPresent,
                order,
                Some(name),
                inf,
                share(inf, rows),
                Vec::new(),
                Vec::new(),
                message,
            );
        }
    }
    let below = tally(Rule::BelowMinimum);
    let above = tally(Rule::AboveMaximum);
    if below.is_some() || above.is_some() {
        let mut parts = Vec::new();
        let mut examples: Vec<u64> = Vec::new();
        let mut count = 0;
        if let (Some(t), Some((v, row))) = (below, scan.lowest) {
            count += t.count;
            examples.extend(&t.rows);
            parts.push(format!(
                "{} below the minimum {} (lowest {} in row {row})",
                t.count,
                number_text(field.minimum.unwrap_or(f64::NAN)),
                number_text(v)
            ));
        }
        if let (Some(t), Some((v, row))) = (above, scan.highest) {
            count += t.count;
            examples.extend(&t.rows);
            parts.push(format!(
                "{} above the maximum {} (highest {} in row {row})",
                t.count,
                number_text(field.maximum.unwrap_or(f64::NAN)),
                number_text(v)
            ));
        }
        examples.sort_unstable();
        examples.truncate(n);
        let reference_range = reference.filter(|r| !r.values.is_empty()).map_or(String::new(), |r| {
            format!(
                "; the reference ranged from {} to {}",
                number_text(r.values[0]),
                number_text(r.values[r.values.len() - 1])
            )
        });
        let message = format!(
            "{name}: {} ({}) outside the contract's range: {}{reference_range}; {}",
            plural(count, "value"),
            percent(count, rows),
            parts.join(", "),
            rows_text(&examples)
        );
        b.push(
            Severity::Error,
            FindingKind::OutOfRange,
            order,
            Some(name),
            count,
            share(count, rows),
            examples,
            Vec::new(),
            message,
        );
    }
    if let Some(t) = tally(Rule::CategoryNotAllowed) {
        let distinct = t.values.as_ref().map_or(0, HashMap::len);
        let values = t.top_values(n);
        let message = format!(
            "{name}: {} ({}) {} {} not in the contract's {} allowed categories: {} in {}",
            plural(t.count, "row"),
            percent(t.count, rows),
            verb(t.count, "holds", "hold"),
            plural(distinct as u64, "value"),
            field.categories.as_ref().map_or(0, Vec::len),
            values_text(&values),
            rows_text(&t.rows)
        );
        b.push_tally(Severity::Error, FindingKind::UnseenCategory, order, name, t, message);
    }
    let short = tally(Rule::TooShort);
    let long = tally(Rule::TooLong);
    if short.is_some() || long.is_some() {
        let mut parts = Vec::new();
        let mut examples: Vec<u64> = Vec::new();
        let mut values = Vec::new();
        let mut count = 0;
        if let Some(t) = short {
            count += t.count;
            examples.extend(&t.rows);
            values.extend(t.top_values(n));
            parts.push(format!("{} shorter than {} characters", t.count, field.min_length.unwrap_or(0)));
        }
        if let Some(t) = long {
            count += t.count;
            examples.extend(&t.rows);
            values.extend(t.top_values(n));
            parts.push(format!("{} longer than {} characters", t.count, field.max_length.unwrap_or(0)));
        }
        examples.sort_unstable();
        examples.truncate(n);
        values.truncate(n);
        let message = format!("{name}: {}; {}", parts.join(", "), rows_text(&examples));
        b.push(
            Severity::Error,
            FindingKind::LengthOutOfRange,
            order,
            Some(name),
            count,
            share(count, rows),
            examples,
            values,
            message,
        );
    }
    if scan.duplicates.count > 0 {
        let t = &scan.duplicates;
        let mut message = format!(
            "{name}: {} ({}) {} an earlier value in a column the contract marks unique: {} in {}",
            plural(t.count, "value"),
            percent(t.count, rows),
            verb(t.count, "repeats", "repeat"),
            values_text(&t.top_values(n)),
            rows_text(&t.rows)
        );
        if scan.unique_overflow {
            message.push_str("; values past the tracking limit were not checked");
        }
        b.push_tally(Severity::Error, FindingKind::DuplicateValues, order, name, t, message);
    }

    let Some(current) = current else { return };
    // Vanished categories: frequent in the reference, absent now.
    if let (Some(r), Some(cur_categories)) = (reference, &current.categories) {
        if let Some(ref_categories) = &r.categories {
            let ref_present = r.counts.present();
            let cur_present = current.counts.present();
            if ref_present > 0
                && cur_present > 0
                && matches!(r.column_type, ColumnType::Categorical | ColumnType::Boolean)
            {
                let now: std::collections::HashSet<&str> =
                    cur_categories.iter().map(|(k, _)| k.as_str()).collect();
                let gone: Vec<&(String, u64)> = ref_categories
                    .iter()
                    .filter(|(k, count)| {
                        !now.contains(k.as_str())
                            && *count as f64 / ref_present as f64 * cur_present as f64
                                >= b.options.vanished_min_expected
                    })
                    .collect();
                if !gone.is_empty() {
                    let held: u64 = gone.iter().map(|(_, c)| c).sum();
                    let values: Vec<ValueCount> = gone
                        .iter()
                        .take(n)
                        .map(|(k, c)| ValueCount { value: k.clone(), count: *c })
                        .collect();
                    let what = if gone.len() == 1 {
                        "1 category of the reference".to_string() + " (%) no longer appears"
                    } else {
                        format!("{} categories of the reference (%) no longer appear", gone.len())
                    };
                    let what = what.replace('%', &format!("{} of its rows", percent(held, r.counts.rows)));
                    let message = format!("{name}: {what}: {} (reference counts)", values_text(&values));
                    b.push(
                        Severity::Warning,
                        FindingKind::VanishedCategory,
                        order,
                        Some(name),
                        gone.len() as u64,
                        share(held, r.counts.rows),
                        Vec::new(),
                        values,
                        message,
                    );
                }
            }
        }
    }
    // Constant columns.
    if current.distinct() == Some(1) && current.counts.present() >= 2 {
        let value =
            current.categories.as_ref().and_then(|c| c.first()).map(|(k, _)| k.clone()).unwrap_or_default();
        let was_constant = match reference {
            Some(r) => r.distinct() == Some(1),
            None => {
                field.categories.as_ref().is_some_and(|c| c.len() == 1)
                    || (field.minimum.is_some() && field.minimum == field.maximum)
            }
        };
        let present = current.counts.present();
        let (severity, note) = if was_constant {
            (Severity::Info, "as in the reference")
        } else {
            (Severity::Warning, "it varied in the reference")
        };
        let message = format!("{name}: every non-null value is \"{value}\" ({present} rows); {note}");
        let values = vec![ValueCount { value, count: present }];
        b.push(
            severity,
            FindingKind::ConstantColumn,
            order,
            Some(name),
            present,
            share(present, rows),
            Vec::new(),
            values,
            message,
        );
    }
    // Mixed types, unless the column already broke its type.
    if !type_changed {
        let counts = [scan.classes[0].count, scan.classes[1].count, scan.classes[2].count];
        let total: u64 = counts.iter().sum();
        let mixed_numbers = counts[Class::Number as usize] > 0 && counts[Class::Number as usize] < total;
        let mixed_dates = counts[Class::Datetime as usize] > 0 && counts[Class::Datetime as usize] < total;
        if mixed_numbers || mixed_dates {
            let (major, label) =
                if mixed_numbers { (Class::Number, "numbers") } else { (Class::Datetime, "dates") };
            let major_count = counts[major as usize];
            let minority_is_major = major_count * 2 < total;
            let shown = if minority_is_major {
                major
            } else {
                // The other classes together; take the largest one's examples.
                let others =
                    [Class::Number, Class::Datetime, Class::Other].into_iter().filter(|c| *c != major);
                others.max_by_key(|c| scan.classes[*c as usize].count).unwrap_or(Class::Other)
            };
            let t = &scan.classes[shown as usize];
            let minority = if minority_is_major { major_count } else { total - major_count };
            let what = if minority_is_major {
                format!(
                    "{} {} {label} among other values",
                    plural(minority, "value"),
                    verb(minority, "is", "are")
                )
            } else {
                format!("{} {} not {label}", plural(minority, "value"), verb(minority, "is", "are"))
            };
            let mut sample: Vec<(&str, u64)> =
                scan.class_values[shown as usize].iter().map(|(v, c)| (&**v, *c)).collect();
            sample.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            let values: Vec<ValueCount> = sample
                .into_iter()
                .map(|(value, count)| ValueCount { value: value.to_string(), count })
                .collect();
            let message = format!(
                "{name}: mixed types: {what} ({} of the non-null values): {} in {}",
                percent(minority, total),
                values_text(&values),
                rows_text(&t.rows)
            );
            b.push(
                Severity::Warning,
                FindingKind::MixedTypes,
                order,
                Some(name),
                minority,
                share(minority, rows),
                t.rows.clone(),
                values,
                message,
            );
        }
    }
    if current.column_type == ColumnType::Identifier {
        identifier_finding(b, order, name, current, Some(field));
    }
}

/// "is not a number" or "are not numbers".
fn type_phrase(t: FieldType, n: u64) -> &'static str {
    match (t, n == 1) {
        (FieldType::Number, true) => "is not a number",
        (FieldType::Number, false) => "are not numbers",
        (FieldType::Integer, true) => "is not a whole number",
        (FieldType::Integer, false) => "are not whole numbers",
        (FieldType::Boolean, true) => "is not a boolean",
        (FieldType::Boolean, false) => "are not booleans",
        (FieldType::Datetime, true) => "is not an ISO date",
        (FieldType::Datetime, false) => "are not ISO dates",
        (FieldType::String | FieldType::Any, true) => "is not a valid value",
        (FieldType::String | FieldType::Any, false) => "are not valid values",
    }
}
