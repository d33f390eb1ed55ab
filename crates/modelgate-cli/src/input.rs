//! Reading input files into the core.

use std::fs::File;
use std::io::{self, Read};

use anyhow::{Context, Result};
use modelgate_core::contract::Contract;
use modelgate_core::eval::{Table, TableIngest};
use modelgate_core::limits;
use modelgate_core::{CsvIngest, DatasetProfile, IngestError, IngestLimits, ProfileOptions, RowSink};

const BLOCK: usize = 1 << 20;

/// Feeds a file to `push` in 1 MiB blocks.
fn stream(path: &str, mut push: impl FnMut(&[u8]) -> Result<(), IngestError>) -> Result<()> {
    let mut file = File::open(path).with_context(|| format!("{path}: cannot open"))?;
    let mut buf = vec![0u8; BLOCK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("{path}: cannot read")),
        };
        push(&buf[..n])?;
    }
    Ok(())
}

/// Streams a CSV file into the core in blocks, so memory holds the profile, not the text.
pub fn read_csv(path: &str) -> Result<DatasetProfile> {
    read_csv_profiled(path, ProfileOptions::default())
}

/// [`read_csv`] with explicit profile options.
pub fn read_csv_profiled(path: &str, options: ProfileOptions) -> Result<DatasetProfile> {
    let mut ingest = CsvIngest::new(path).with_profile_options(options);
    stream(path, |chunk| ingest.push(chunk))?;
    Ok(ingest.finish()?)
}

/// [`read_csv`], with `sink` seeing every row as it is parsed.
pub fn read_csv_with<S: RowSink>(path: &str, sink: S) -> Result<(DatasetProfile, S)> {
    let mut ingest = CsvIngest::with_sink(path, IngestLimits::default(), sink);
    stream(path, |chunk| ingest.push(chunk))?;
    Ok(ingest.finish_with_sink()?)
}

/// Streams a file into a row-aligned table (every cell kept), for the evaluation commands.
pub fn read_table(path: &str) -> Result<Table> {
    let mut ingest = TableIngest::new(path);
    stream(path, |chunk| ingest.push(chunk))?;
    Ok(ingest.finish()?)
}

/// Reads a whole text file (JSON records are read whole).
pub fn read_text(path: &str) -> Result<String> {
    read_text_of(path, "records")
}

/// Reads a whole text file of `kind` (`contract`, `answers`, `profile`,
/// `evidence`, `records`): the core's size limit for the kind is checked on the
/// file's length before anything is read, then the bytes must be UTF-8
/// (`modelgate_core::limits`, listed in docs/limits.md).
pub fn read_text_of(path: &str, kind: &str) -> Result<String> {
    let mut file = File::open(path).with_context(|| format!("{path}: cannot open"))?;
    let len = file.metadata().with_context(|| format!("{path}: cannot open"))?.len();
    limits::check_size(path, kind, usize::try_from(len).unwrap_or(usize::MAX))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).with_context(|| format!("{path}: cannot read"))?;
    Ok(limits::decode_text(path, kind, &bytes)?.to_owned())
}

/// Reads and checks a contract file; errors name the file, the JSON path and the field.
pub fn read_contract(path: &str) -> Result<Contract> {
    let text = read_text_of(path, "contract")?;
    Contract::from_json(&text).map_err(|e| anyhow::anyhow!("{path}: {e}"))
}

/// Reads a reference-profile file written by `modelgate profile`.
pub fn read_profile(path: &str) -> Result<DatasetProfile> {
    let text = read_text_of(path, "profile")?;
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
