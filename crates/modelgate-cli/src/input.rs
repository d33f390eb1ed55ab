//! Reading input files into the core.

use std::fs::{self, File};
use std::io::{self, Read};

use anyhow::{Context, Result};
use modelgate_core::contract::Contract;
use modelgate_core::{CsvIngest, DatasetProfile, IngestLimits, ProfileOptions, RowSink};

/// Streams a CSV file into the core in blocks, so memory holds the profile, not the text.
pub fn read_csv(path: &str) -> Result<DatasetProfile> {
    read_csv_profiled(path, ProfileOptions::default())
}

/// [`read_csv`] with explicit profile options.
pub fn read_csv_profiled(path: &str, options: ProfileOptions) -> Result<DatasetProfile> {
    let ingest = CsvIngest::new(path).with_profile_options(options);
    stream(path, ingest).map(|(dataset, ())| dataset)
}

/// [`read_csv`], with `sink` seeing every row as it is parsed.
pub fn read_csv_with<S: RowSink>(path: &str, sink: S) -> Result<(DatasetProfile, S)> {
    stream(path, CsvIngest::with_sink(path, IngestLimits::default(), sink))
}

fn stream<S: RowSink>(path: &str, mut ingest: CsvIngest<S>) -> Result<(DatasetProfile, S)> {
    const BLOCK: usize = 1 << 20;
    let mut file = File::open(path).with_context(|| format!("{path}: cannot open"))?;
    let mut buf = vec![0u8; BLOCK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("{path}: cannot read")),
        };
        ingest.push(&buf[..n])?;
    }
    Ok(ingest.finish_with_sink()?)
}

/// Reads a whole text file (contracts and JSON records are small enough).
pub fn read_text(path: &str) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("{path}: cannot open"))?;
    String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{path}: invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
}

/// Reads and checks a contract file; errors name the file, the JSON path and the field.
pub fn read_contract(path: &str) -> Result<Contract> {
    let text = read_text(path)?;
    Contract::from_json(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))
}

/// Reads a reference-profile file written by `modelgate profile`.
pub fn read_profile(path: &str) -> Result<DatasetProfile> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{path}: cannot open"))?;
    Ok(DatasetProfile::from_json(path, &text)?)
}

/// A CSV, or a profile when the name ends in `.json`.
pub fn read_data(path: &str) -> Result<DatasetProfile> {
    if path.ends_with(".json") {
        read_profile(path)
    } else {
        read_csv(path)
    }
}
