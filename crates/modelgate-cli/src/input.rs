//! Reading input files into the core.

use std::fs::File;
use std::io::{self, Read};

use anyhow::{Context, Result};
use modelgate_core::{CsvIngest, Dataset};

/// Streams a file into the core in blocks, so memory holds the parsed columns, not the text.
pub fn read_csv(path: &str) -> Result<Dataset> {
    const BLOCK: usize = 1 << 20;
    let mut file = File::open(path).with_context(|| format!("{path}: cannot open"))?;
    let mut ingest = CsvIngest::new(path);
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
    Ok(ingest.finish()?)
}
