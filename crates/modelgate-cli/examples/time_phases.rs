//! Times the phases of a drift run (ingest of each file, the report), for profiling.
//!
//! ```text
//! cargo run --release -p modelgate-cli --example time_phases -- reference.csv current.csv
//! ```

use std::io::Read;
use std::time::Instant;

fn load(path: &str) -> modelgate_core::Dataset {
    let mut file = std::fs::File::open(path).expect("open");
    let mut ingest = modelgate_core::CsvIngest::new(path);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        ingest.push(&buf[..n]).expect("parse");
    }
    ingest.finish().expect("finish")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t = Instant::now();
    let reference = load(&args[0]);
    eprintln!("ingest reference: {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let current = load(&args[1]);
    eprintln!("ingest current:   {:.3} s", t.elapsed().as_secs_f64());
    if std::env::var_os("PER_COLUMN").is_some() {
        per_column(&reference, &current);
    }
    let t = Instant::now();
    let report = modelgate_core::drift_report(&reference, &current, &Default::default());
    eprintln!("report:           {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let json = serde_json::to_string(&report).expect("json");
    eprintln!("json:             {:.3} s ({} bytes)", t.elapsed().as_secs_f64(), json.len());
}

#[allow(dead_code)]
fn per_column(reference: &modelgate_core::Dataset, current: &modelgate_core::Dataset) {
    for (r, c) in reference.columns.iter().zip(&current.columns) {
        let t = Instant::now();
        let ks = modelgate_core::stats::ks::ks_2samp(&r.values, &c.values).unwrap();
        eprintln!(
            "  ks {}: d={} p={:e} {:.3} s",
            r.name,
            ks.statistic,
            ks.p_value,
            t.elapsed().as_secs_f64()
        );
    }
}
