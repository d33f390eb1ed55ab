//! A binary form of a [`DatasetProfile`] for handing a profile from one
//! instance of the core to another in the same run (a Web Worker or a node
//! worker thread that ingested one file passes its profile to the one that
//! computes the report).
//!
//! Unlike the JSON profile file (`profile_file.rs`), it is not a storage format:
//! it has no version promise beyond "the same build reads what it wrote". It
//! exists for speed and exactness: every number travels as its raw bits (no
//! decimal round trip), and the sorted exact values of a column are one block of
//! little-endian `f64`, so a million values cost a copy, not a million parses.
//! [`DatasetProfile::from_bytes`] of [`DatasetProfile::to_bytes`] equals the
//! original profile (tested), so a report from transferred profiles is
//! bit-identical to one from the profiles themselves.
//!
//! What is derived (category list, column type, the sample's hashes) is
//! recomputed on load, and the invariants the report relies on (counts add up,
//! exact values finite and ascending) are checked, so malformed bytes are a
//! [`ProfileError`], never a panic.

use std::collections::BTreeMap;

use crate::dataset::{
    CellCounts, ColumnProfile, ColumnType, DatasetProfile, Moments, ProfileError, ProfileOptions, RowSample,
    SampleCell,
};
use crate::hll::Hll;
use crate::sketch::QuantileSketch;

/// The first bytes of every binary profile.
const MAGIC: &[u8; 8] = b"MGPBIN01";

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn f64s(&mut self, v: &[f64]) {
        self.u64(v.len() as u64);
        self.0.reserve(v.len() * 8);
        for x in v {
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
}

struct Reader<'a> {
    rest: &'a [u8],
    source: &'a str,
}

impl<'a> Reader<'a> {
    fn fail(&self, what: &str) -> ProfileError {
        ProfileError { source: self.source.to_string(), message: format!("malformed binary profile: {what}") }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], ProfileError> {
        if n > self.rest.len() {
            return Err(self.fail("truncated"));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, ProfileError> {
        Ok(self.take(1)?[0])
    }
    fn bool(&mut self) -> Result<bool, ProfileError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.fail("a flag that is neither 0 nor 1")),
        }
    }
    fn u64(&mut self) -> Result<u64, ProfileError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
    fn f64(&mut self) -> Result<f64, ProfileError> {
        self.u64().map(f64::from_bits)
    }
    /// A length prefix for items of `size` bytes each, checked against the bytes left.
    fn len(&mut self, size: usize) -> Result<usize, ProfileError> {
        let n = self.u64()?;
        match usize::try_from(n) {
            Ok(n) if n.checked_mul(size).is_some_and(|b| b <= self.rest.len()) => Ok(n),
            _ => Err(self.fail("a length longer than the data")),
        }
    }
    fn str(&mut self) -> Result<String, ProfileError> {
        let n = self.len(1)?;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| self.fail("text that is not UTF-8"))
    }
    fn f64s(&mut self) -> Result<Vec<f64>, ProfileError> {
        let n = self.len(8)?;
        let b = self.take(n * 8)?;
        Ok(b.chunks_exact(8)
            .map(|c| {
                let mut w = [0u8; 8];
                w.copy_from_slice(c);
                f64::from_le_bytes(w)
            })
            .collect())
    }
}

impl DatasetProfile {
    /// The profile as bytes for [`DatasetProfile::from_bytes`] in the same build
    /// (see the module `profile_bytes`): every number as its raw bits.
    pub fn to_bytes(&self) -> Vec<u8> {
        let values: usize = self.columns.iter().map(|c| c.values.len()).sum();
        let mut w = Writer(Vec::with_capacity(values * 8 + 4096));
        w.0.extend_from_slice(MAGIC);
        w.str(&self.source);
        w.u64(self.rows);
        w.u8(self.delimiter);
        w.u64(self.options.exact_values);
        w.u64(self.options.exact_budget);
        w.u64(self.options.sample_rows as u64);
        w.u64(self.columns.len() as u64);
        for c in &self.columns {
            w.str(&c.name);
            let k = &c.counts;
            for n in
                [k.rows, k.nulls, k.nan, k.pos_inf, k.neg_inf, k.numbers, k.booleans, k.datetimes, k.text]
            {
                w.u64(n);
            }
            w.u64(c.integral);
            w.u64(c.exact_cap);
            w.u8(u8::from(c.exact));
            w.f64s(&c.values);
            match &c.sketch {
                Some(s) => {
                    w.u8(1);
                    let pairs = s.to_pairs();
                    w.u64(pairs.len() as u64);
                    for (key, n) in pairs {
                        w.u64(u64::from(key));
                        w.u64(n);
                    }
                }
                None => w.u8(0),
            }
            let m = &c.moments;
            w.u64(m.n);
            for x in [m.mean, m.m2, m.min, m.max] {
                w.f64(x);
            }
            match &c.text_categories {
                Some(t) => {
                    w.u8(1);
                    w.u64(t.len() as u64);
                    for (k, &n) in t {
                        w.str(k);
                        w.u64(n);
                    }
                }
                None => w.u8(0),
            }
            match &c.number_categories {
                Some(v) => {
                    w.u8(1);
                    w.u64(v.len() as u64);
                    for &(x, n) in v {
                        w.f64(x);
                        w.u64(n);
                    }
                }
                None => w.u8(0),
            }
            match &c.distinct_sketch {
                Some(h) => {
                    w.u8(1);
                    w.str(&h.to_hex());
                }
                None => w.u8(0),
            }
        }
        w.u64(self.sample.cap as u64);
        w.u8(u8::from(self.sample.truncated));
        w.u64(self.sample.len() as u64);
        for row in self.sample.rows() {
            w.u64(row.count);
            w.u64(row.cells.len() as u64);
            for cell in &row.cells {
                match cell {
                    SampleCell::Missing => w.u8(0),
                    SampleCell::Number(v) => {
                        w.u8(1);
                        w.f64(*v);
                    }
                    SampleCell::Text(s) => {
                        w.u8(2);
                        w.str(s);
                    }
                }
            }
        }
        w.0
    }

    /// Reads bytes written by [`DatasetProfile::to_bytes`] of the same build;
    /// `source` names them in errors.
    pub fn from_bytes(source: &str, bytes: &[u8]) -> Result<DatasetProfile, ProfileError> {
        let mut r = Reader { rest: bytes, source };
        if r.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
            return Err(r.fail("it does not start with the binary profile marker"));
        }
        let name = r.str()?;
        let rows = r.u64()?;
        let delimiter = r.u8()?;
        let options = ProfileOptions {
            exact_values: r.u64()?,
            exact_budget: r.u64()?,
            sample_rows: usize::try_from(r.u64()?).map_err(|_| r.fail("sample size out of range"))?,
        };
        // Every column takes well over 8 bytes, which bounds the count.
        let n_columns = r.len(8)?;
        let mut columns = Vec::with_capacity(n_columns);
        for _ in 0..n_columns {
            columns.push(read_column(&mut r, rows)?);
        }
        let cap = usize::try_from(r.u64()?).map_err(|_| r.fail("sample size out of range"))?;
        let truncated = r.bool()?;
        let mut sample = RowSample::new(cap);
        let n_rows = r.len(16)?;
        for _ in 0..n_rows {
            let count = r.u64()?;
            let n_cells = r.len(1)?;
            if n_cells != columns.len() || count == 0 {
                return Err(r.fail("a sample row with the wrong number of cells or a count of 0"));
            }
            let mut cells = Vec::with_capacity(n_cells);
            for _ in 0..n_cells {
                cells.push(match r.u8()? {
                    0 => SampleCell::Missing,
                    1 => SampleCell::Number(r.f64()?),
                    2 => SampleCell::Text(r.str()?.into()),
                    _ => return Err(r.fail("an unknown sample cell kind")),
                });
            }
            sample.push_cells_n(cells, count);
        }
        sample.truncated = truncated;
        if !r.rest.is_empty() {
            return Err(r.fail("bytes after the end"));
        }
        Ok(DatasetProfile { source: name, rows, delimiter, columns, sample, options })
    }
}

fn read_column(r: &mut Reader<'_>, rows: u64) -> Result<ColumnProfile, ProfileError> {
    let name = r.str()?;
    let bad = |r: &Reader<'_>, what: &str| r.fail(&format!("column \"{name}\": {what}"));
    let mut k = [0u64; 9];
    for x in &mut k {
        *x = r.u64()?;
    }
    let counts = CellCounts {
        rows: k[0],
        nulls: k[1],
        nan: k[2],
        pos_inf: k[3],
        neg_inf: k[4],
        numbers: k[5],
        booleans: k[6],
        datetimes: k[7],
        text: k[8],
    };
    let sum = k[1..].iter().try_fold(0u64, |a, &b| a.checked_add(b));
    if counts.rows != rows || sum != Some(rows) {
        return Err(bad(r, "cell counts do not add up to the rows"));
    }
    let integral = r.u64()?;
    let exact_cap = r.u64()?;
    let exact = r.bool()?;
    let values = r.f64s()?;
    if exact {
        if values.len() as u64 != counts.numbers || counts.numbers > exact_cap {
            return Err(bad(r, "exact values differ from the finite numbers or exceed the exact cap"));
        }
        // Comparisons that are false for NaN, so NaN fails both checks.
        if !values.iter().all(|x| x.is_finite()) || !values.windows(2).all(|w| w[0] <= w[1]) {
            return Err(bad(r, "exact values must be finite and ascending"));
        }
    } else if !values.is_empty() {
        return Err(bad(r, "values in a column that is not exact"));
    }
    let sketch = if r.bool()? {
        let n = r.len(16)?;
        let mut pairs = Vec::with_capacity(n);
        for _ in 0..n {
            let key = u32::try_from(r.u64()?).map_err(|_| bad(r, "a sketch key out of range"))?;
            pairs.push((key, r.u64()?));
        }
        Some(QuantileSketch::from_pairs(&pairs).ok_or_else(|| bad(r, "an invalid sketch"))?)
    } else {
        None
    };
    if !exact && counts.numbers > 0 && sketch.as_ref().map(QuantileSketch::count) != Some(counts.numbers) {
        return Err(bad(r, "the sketch count differs from the finite numbers"));
    }
    let moments = Moments { n: r.u64()?, mean: r.f64()?, m2: r.f64()?, min: r.f64()?, max: r.f64()? };
    if moments.n != counts.numbers {
        return Err(bad(r, "moments count differs from the finite numbers"));
    }
    let text_categories = if r.bool()? {
        let n = r.len(16)?;
        let mut t = BTreeMap::new();
        for _ in 0..n {
            let key = r.str()?;
            t.insert(key, r.u64()?);
        }
        Some(t)
    } else {
        None
    };
    let number_categories = if r.bool()? {
        let n = r.len(16)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push((r.f64()?, r.u64()?));
        }
        Some(v)
    } else {
        None
    };
    let distinct_sketch = if r.bool()? {
        let hex = r.str()?;
        Some(Hll::from_hex(&hex).ok_or_else(|| bad(r, "an invalid distinct sketch"))?)
    } else {
        None
    };
    let mut profile = ColumnProfile {
        name: name.clone(),
        column_type: ColumnType::Empty,
        counts,
        integral,
        values,
        exact,
        sketch,
        moments,
        categories: None,
        text_categories,
        number_categories,
        distinct_sketch,
        exact_cap,
    };
    profile.refresh();
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CsvIngest;

    fn ingest(text: &str, options: ProfileOptions) -> DatasetProfile {
        let mut i = CsvIngest::new("t.csv").with_profile_options(options);
        i.push(text.as_bytes()).unwrap();
        i.finish().unwrap()
    }

    fn round_trip(p: &DatasetProfile) {
        let bytes = p.to_bytes();
        let back = DatasetProfile::from_bytes("t.bin", &bytes).unwrap();
        assert_eq!(&back, p);
        assert_eq!(back.to_bytes(), bytes);
        // Every truncation and every single-byte change is an error or a profile, never a panic.
        for cut in (0..bytes.len()).step_by(bytes.len() / 31 + 1) {
            assert!(DatasetProfile::from_bytes("t.bin", &bytes[..cut]).is_err(), "cut at {cut}");
        }
        for at in (0..bytes.len()).step_by(bytes.len() / 37 + 1) {
            let mut b = bytes.clone();
            b[at] ^= 0xA5;
            let _ = DatasetProfile::from_bytes("t.bin", &b);
        }
    }

    #[test]
    fn profiles_survive_the_round_trip_exactly() {
        let mut text = String::from("id,x,city,flag,when,mixed\n");
        for i in 0..3000u32 {
            let x =
                if i % 97 == 0 { "NaN".to_string() } else { format!("{}.{:03}", i % 211, (i * 7) % 1000) };
            let city = ["Lyon", "Paris", "", "Nice"][(i % 4) as usize];
            let flag = if i % 3 == 0 { "yes" } else { "no" };
            let mixed = if i % 5 == 0 { format!("w{i}") } else { format!("{}", i % 13) };
            text.push_str(&format!("{i},{x},{city},{flag},2024-01-{:02},{mixed}\n", 1 + i % 28));
        }
        text.push_str("3000,-0,Lyon,no,2024-02-01,-inf\n");
        round_trip(&ingest(&text, ProfileOptions::default()));
        // Past the exact cap (sketches), a truncated row sample, and text past the category cap (HLL).
        let small = ProfileOptions { exact_values: 500, exact_budget: 8_000_000, sample_rows: 50 };
        round_trip(&ingest(&text, small));
        let mut many = String::from("t\n");
        for i in 0..10_050 {
            many.push_str(&format!("w{i}\n"));
        }
        let p = ingest(&many, ProfileOptions::default());
        assert!(p.columns[0].distinct_sketch.is_some());
        round_trip(&p);
        round_trip(&ingest("a;b\n", ProfileOptions::default()));
    }

    #[test]
    fn other_bytes_are_errors() {
        for bytes in [
            &b""[..],
            b"MGPBIN0",
            b"{\"format\":\"modelgate-profile\"}",
            b"MGPBIN01\xff\xff\xff\xff\xff\xff\xff\xff",
        ] {
            let e = DatasetProfile::from_bytes("x.bin", bytes).unwrap_err();
            assert_eq!(e.source, "x.bin");
            assert!(e.message.starts_with("malformed binary profile: "), "{}", e.message);
        }
    }
}
