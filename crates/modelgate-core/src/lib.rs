//! The modelgate core: CSV ingest, type inference, drift statistics, the data
//! contract, record validation, data-quality findings, model evaluation
//! ([`eval`]), readiness rubrics, inference payload parsing and live drift profiles.
//!
//! This crate does no I/O, reads no clock and draws no unseeded random numbers
//! (the evaluation's bootstrap uses [`eval::rng::Rng`] with a reported seed): callers
//! push bytes in and get plain structs out, so the native CLI, the browser page
//! and the edge worker run the very same code on the very same numbers.
//!
//! ```
//! use modelgate_core::{drift_report, CsvIngest, DriftOptions};
//!
//! fn load(name: &str, text: &str) -> modelgate_core::Dataset {
//!     let mut ingest = CsvIngest::new(name);
//!     ingest.push(text.as_bytes()).unwrap();
//!     ingest.finish().unwrap()
//! }
//! let reference = load("train.csv", "x\n1\n2\n3\n4\n5\n6\n7\n8\n");
//! let current = load("prod.csv", "x\n11\n12\n13\n14\n15\n16\n17\n18\n");
//! let report = drift_report(&reference, &current, &DriftOptions::default());
//! let x = &report.columns[0];
//! assert_eq!(x.metrics["ks_statistic"], 1.0);
//! // Exact two-sample KS: the chance that all 8 values of one sample lie above all 8 of the other.
//! assert!((x.metrics["ks_p_value"] - 2.0 / 12870.0).abs() < 1e-12);
//! assert!(x.drifted);
//! ```

#![deny(missing_docs)]

pub mod contract;
mod contract_parse;
mod dataset;
mod drift;
mod error;
pub mod eval;
pub mod hash;
pub mod hll;
mod ingest;
pub mod limits;
pub mod live;
pub mod payload;
mod profile_file;
pub mod quality;
pub mod report;
pub mod roles;
pub mod rubric;
pub mod sketch;
pub mod stats;
pub mod validate;
pub mod value;

pub use dataset::{
    CellCounts, Column, ColumnProfile, ColumnType, Dataset, DatasetProfile, Moments, ProfileBuilder,
    ProfileError, ProfileOptions, RowSample, SampleCell, SampleRow, MAX_TRACKED_CATEGORIES,
    MAX_TRACKED_NUMBERS, PROFILE_FORMAT, PROFILE_VERSION,
};
pub use drift::{
    drift_report, drift_reports, ColumnDrift, ColumnSummary, CorrelationChange, Correlations, DatasetInfo,
    DriftOptions, DriftReport, Finding, Histogram, Method, MultiDriftReport, Role, Severity, Status,
    TestResult, MAX_PLOTTED_CATEGORIES,
};
pub use error::{IngestError, IngestErrorKind, Location};
pub use ingest::{CsvIngest, IngestLimits, Row, RowSink};
