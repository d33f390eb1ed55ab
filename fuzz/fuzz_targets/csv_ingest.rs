//! CSV ingest pushed in fuzzer-chosen chunk sizes, then drift and data quality
//! on the result.
//!
//! Invariants: chunk boundaries do not change the outcome (the same dataset or
//! the same error as one whole push); a dataset compared with itself drifts
//! nowhere; the quality scan over the same bytes sees the same rows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate_core::contract::{Contract, ContractOptions};
use modelgate_core::quality::{quality_report, QualityOptions, QualityScanner};
use modelgate_core::{drift_report, CsvIngest, DriftOptions, IngestLimits};
use modelgate_fuzz::{chunk_size_and_rest, push_chunks};

fuzz_target!(|data: &[u8]| {
    let (size, rest) = chunk_size_and_rest(data);
    // The current data is a prefix of the reference, so it shares its header.
    let (split, bytes) = match rest.split_first() {
        Some((&b, bytes)) => (bytes.len() * usize::from(b) / 255, bytes),
        None => (0, rest),
    };

    let mut chunked = CsvIngest::new("fuzz.csv");
    let chunked = push_chunks(bytes, size, |c| chunked.push(c)).and_then(|()| chunked.finish());
    let mut whole = CsvIngest::new("fuzz.csv");
    let whole = whole.push(bytes).and_then(|()| whole.finish());
    assert_eq!(format!("{chunked:?}"), format!("{whole:?}"), "chunk size {size} changed the outcome");
    let Ok(reference) = whole else { return };

    let options = DriftOptions::default();
    let same = drift_report(&reference, &reference, &options);
    for c in &same.columns {
        assert!(!c.drifted, "column {} drifted against itself: {c:?}", c.column);
    }

    let mut current = CsvIngest::new("current.csv");
    let Ok(current) = push_chunks(&bytes[..split], size, |c| current.push(c)).and_then(|()| current.finish())
    else {
        return;
    };
    let _ = drift_report(&reference, &current, &options);

    let contract = Contract::infer(&reference, &ContractOptions::default());
    let scanner = QualityScanner::new(&contract, &QualityOptions::default());
    let mut scan = CsvIngest::with_sink("current.csv", IngestLimits::default(), scanner);
    let (scanned, scanner) = push_chunks(&bytes[..split], size, |c| scan.push(c))
        .and_then(|()| scan.finish_with_sink())
        .expect("the same bytes ingested once already");
    assert_eq!(scanned.rows, current.rows);
    assert_eq!(scanner.rows(), current.rows);
    let _ = quality_report(Some(&reference), &scanned, &scanner);
});
