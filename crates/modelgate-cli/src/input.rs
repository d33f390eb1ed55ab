//! Reading input files into the core.

use std::fs::File;
use std::io::{self, Read};

use anyhow::{Context, Result};
use modelgate_core::{CsvIngest, DatasetProfile, ProfileOptions};

/// Streams a CSV file into the core in blocks, so memory holds the profile, not the text.
pub fn read_csv(path: &str) -> Result<DatasetProfile> {
    read_csv_with(path, ProfileOptions::default())
}

/// [`read_csv`] with explicit profile options.
pub fn read_csv_with(path: &str, options: ProfileOptions) -> Result<DatasetProfile> {
    const BLOCK: usize = 1 << 20;
    let mut file = File::open(path).with_context(|| format!("{path}: cannot open"))?;
    let mut ingest = CsvIngest::new(path).with_profile_options(options);
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
