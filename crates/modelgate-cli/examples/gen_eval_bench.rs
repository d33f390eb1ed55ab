//! Writes seeded evaluation benchmark files: `predictions.csv` and `training.csv`,
//! each `rows` rows of an id, a date, five numeric features, a region, the
//! label, the model's prediction and its score (binary) or three class
//! probabilities (`--classes 3`).
//!
//! ```text
//! cargo run --release -p modelgate-cli --example gen_eval_bench -- 100000 target/bench-eval [classes]
//! ```
//!
//! A fixed splitmix64 stream drives everything, so the files are byte-identical
//! on every machine. The label follows a noisy linear rule on the features and
//! the "model" sees the rule with less noise, so it beats the baselines by a margin.

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

    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn write(path: &Path, rows: u64, seed: u64, classes: usize, with_model: bool) -> std::io::Result<()> {
    let mut rng = SplitMix64(seed);
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    write!(out, "id,date,f1,f2,f3,f4,f5,region,label")?;
    if with_model {
        write!(out, ",prediction")?;
        if classes == 2 {
            write!(out, ",score")?;
        } else {
            for c in 0..classes {
                write!(out, ",proba_{c}")?;
            }
        }
    }
    writeln!(out)?;
    const REGIONS: [&str; 4] = ["north", "south", "east", "west"];
    for i in 0..rows {
        let f: Vec<f64> = (0..5).map(|_| rng.normal()).collect();
        let region = REGIONS[(rng.next_u64() % 4) as usize];
        let signal = 1.2 * f[0] - 0.8 * f[1] + 0.5 * f[2] * f[3];
        let truth = signal + rng.normal();
        let seen = signal + 0.5 * rng.normal();
        let day = i * 365 / rows.max(1);
        let (m, d) = ((day / 31).min(11) + 1, day % 28 + 1);
        write!(
            out,
            "{i},2024-{m:02}-{d:02},{:.5},{:.5},{:.5},{:.5},{:.5},{region}",
            f[0], f[1], f[2], f[3], f[4]
        )?;
        if classes == 2 {
            let label = u8::from(truth > 0.0);
            write!(out, ",{label}")?;
            if with_model {
                let p = 1.0 / (1.0 + (-1.7 * seen).exp());
                write!(out, ",{},{p:.6}", u8::from(p > 0.5))?;
            }
        } else {
            let class = |x: f64| {
                if x < -0.7 {
                    0
                } else if x < 0.7 {
                    1
                } else {
                    2
                }
            };
            write!(out, ",{}", class(truth))?;
            if with_model {
                let logits = [-2.0 * seen - 1.4, 0.0, 2.0 * seen - 1.4];
                let m = logits.iter().copied().fold(f64::MIN, f64::max);
                let e: Vec<f64> = logits.iter().map(|l| (l - m).exp()).collect();
                let s: f64 = e.iter().sum();
                let p: Vec<f64> = e.iter().map(|v| v / s).collect();
                let best = (0..3).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(0);
                write!(out, ",{best},{:.6},{:.6},{:.6}", p[0], p[1], 1.0 - p[0] - p[1])?;
            }
        }
        writeln!(out)?;
    }
    out.flush()
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let rows: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = Path::new(args.get(2).map_or("target/bench-eval", String::as_str));
    let classes: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2);
    fs::create_dir_all(dir)?;
    write(&dir.join("predictions.csv"), rows, 11, classes, true)?;
    write(&dir.join("training.csv"), rows, 12, classes, false)?;
    Ok(())
}
