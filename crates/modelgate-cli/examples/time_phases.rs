//! Times the phases of a drift run (ingest of each file, the report), for profiling.
//!
//! ```text
//! cargo run --release -p modelgate-cli --example time_phases -- reference.csv current.csv [runs]
//! ```
//!
//! With `HAND_OVER=1` it also times handing the current profile over (as the page's
//! workers do), with `PER_COLUMN=1` the KS test per column, and with
//! `REPORT_ONLY=n` it computes the report n times and nothing else (for a profiler).
//!
//! Each phase prints its wall time and the CPU time of this thread (Linux
//! schedstat; 0 elsewhere), which moves much less than wall time when other
//! work shares the machine. With several runs, the last line gives the best of each.

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

/// CPU time of the calling thread in seconds (0 where schedstat is missing).
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e9)
}

/// Runs `f`, prints its wall and CPU time, and returns its result and CPU time.
fn phase<T>(name: &str, f: impl FnOnce() -> T) -> (T, f64) {
    let (t, c) = (Instant::now(), cpu());
    let out = f();
    let (wall, used) = (t.elapsed().as_secs_f64(), cpu() - c);
    eprintln!("{name:<17} {wall:.3} s wall, {used:.3} s CPU");
    (out, used)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let mut best = [f64::INFINITY; 3];
    for _ in 0..runs {
        let (reference, a) = phase("ingest reference:", || load(&args[0]));
        let (current, b) = phase("ingest current:", || load(&args[1]));
        if std::env::var_os("HAND_OVER").is_some() {
            let ((head, values), _) = phase("hand over:", || {
                let values: Vec<_> =
                    current.columns.iter().map(|c| c.exact.then(|| c.values.clone())).collect();
                (current.hand_over_head(), values)
            });
            let _ = phase("read hand-over:", || {
                modelgate_core::DatasetProfile::from_hand_over("c", &head, values).expect("hand-over")
            });
        }
        if let Some(n) = std::env::var("REPORT_ONLY").ok().and_then(|n| n.parse::<usize>().ok()) {
            for _ in 0..n {
                std::hint::black_box(modelgate_core::drift_report(&reference, &current, &Default::default()));
            }
            return;
        }
        if std::env::var_os("PER_COLUMN").is_some() {
            per_column(&reference, &current);
        }
        let (report, c) = phase("report:", || {
            let report = modelgate_core::drift_report(&reference, &current, &Default::default());
            serde_json::to_string(&report).expect("json")
        });
        for (slot, v) in best.iter_mut().zip([a, b, c]) {
            *slot = slot.min(v);
        }
        eprintln!("({} bytes of JSON)", report.len());
    }
    if runs > 1 {
        eprintln!("best CPU of {runs}: ingest {:.3} + {:.3} s, report {:.3} s", best[0], best[1], best[2]);
    }
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
