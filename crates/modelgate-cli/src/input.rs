//! Reading input files into the core.

use std::fs::File;
use std::io::{self, Read};

use anyhow::{Context, Result};
use modelgate_core::eval::{Table, TableIngest};
use modelgate_core::{CsvIngest, Dataset, IngestError};

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

/// Streams a file into the core in blocks, so memory holds the parsed columns, not the text.
pub fn read_csv(path: &str) -> Result<Dataset> {
    let mut ingest = CsvIngest::new(path);
    stream(path, |chunk| ingest.push(chunk))?;
    Ok(ingest.finish()?)
}

/// Streams a file into a row-aligned table (every cell kept), for the evaluation commands.
pub fn read_table(path: &str) -> Result<Table> {
    let mut ingest = TableIngest::new(path);
    stream(path, |chunk| ingest.push(chunk))?;
    Ok(ingest.finish()?)
}
