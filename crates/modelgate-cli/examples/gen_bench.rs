//! Writes the seeded benchmark pair: `reference.csv` and `current.csv`, each
//! `rows` x 5 numeric columns, the current one with a shift in two columns.
//!
//! ```text
//! cargo run --release -p modelgate-cli --example gen_bench -- 1000000 target/bench
//! cargo run --release -p modelgate-cli --example gen_bench -- 27000000 target/bench/big current
//! ```
//!
//! The optional third argument `current` writes only `current.csv` (the 1 GB streaming test).
//!
//! The generator is a fixed splitmix64 stream with Box-Muller normals, so the
//! files are byte-identical on every machine.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1].
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn write(path: &Path, rows: u64, seed: u64, shift: [f64; 5]) -> std::io::Result<()> {
    let mut rng = SplitMix64(seed);
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(out, "f1,f2,f3,f4,f5")?;
    for _ in 0..rows {
        let f1 = rng.normal() + shift[0];
        let f2 = 10.0 * rng.normal() + 50.0 + shift[1];
        let f3 = rng.uniform() * 100.0 + shift[2];
        let f4 = (-rng.uniform().ln()) * 3.0 + shift[3];
        let f5 = (rng.uniform() * 20.0).floor() + shift[4];
        writeln!(out, "{f1:.6},{f2:.4},{f3:.5},{f4:.6},{f5}")?;
    }
    out.flush()
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let dir = args.next().unwrap_or_else(|| "target/bench".into());
    let only_current = args.next().as_deref() == Some("current");
    let dir = Path::new(&dir);
    fs::create_dir_all(dir)?;
    if !only_current {
        write(&dir.join("reference.csv"), rows, 42, [0.0; 5])?;
    }
    write(&dir.join("current.csv"), rows, 43, [0.05, 0.0, 2.0, 0.0, 0.0])?;
    eprintln!("wrote {} ({rows} rows each)", dir.display());
    Ok(())
}
