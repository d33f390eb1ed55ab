//! Reading input files into the core.

use std::fs::{self, File};
use std::io::{self, Read};

use anyhow::{Context, Result};
use modelgate_core::contract::Contract;
use modelgate_core::{CsvIngest, Dataset, IngestLimits, RowSink};

/// Streams a file into the core in blocks, so memory holds the parsed columns, not the text.
pub fn read_csv(path: &str) -> Result<Dataset> {
    read_csv_with(path, ()).map(|(dataset, ())| dataset)
}

/// [`read_csv`], with `sink` seeing every row as it is parsed.
pub fn read_csv_with<S: RowSink>(path: &str, sink: S) -> Result<(Dataset, S)> {
    const BLOCK: usize = 1 << 20;
    let mut file = File::open(path).with_context(|| format!("{path}: cannot open"))?;
    let mut ingest = CsvIngest::with_sink(path, IngestLimits::default(), sink);
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
