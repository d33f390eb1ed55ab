//! The prediction table (`TableIngest`, chunked) and the evaluation on it.
//!
//! Invariants: the table and the dataset of one parse agree on the row count;
//! chunk boundaries do not change the table.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate_core::eval::{evaluate, EvalOptions, TableIngest};
use modelgate_fuzz::{chunk_size_and_rest, push_chunks};

fuzz_target!(|data: &[u8]| {
    let (size, bytes) = chunk_size_and_rest(data);
    let mut ingest = TableIngest::new("predictions.csv");
    let Ok((table, dataset)) =
        push_chunks(bytes, size, |c| ingest.push(c)).and_then(|()| ingest.finish_with_dataset())
    else {
        return;
    };
    assert_eq!(table.rows() as u64, dataset.rows);
    let mut whole = TableIngest::new("predictions.csv");
    whole.push(bytes).expect("accepted in chunks");
    assert_eq!(format!("{:?}", whole.finish().expect("accepted in chunks")), format!("{table:?}"));
    // Few resamples: the bootstrap's cost grows with them, its code paths do not.
    let options = EvalOptions { resamples: 20, ..EvalOptions::default() };
    let _ = evaluate(&table, None, &options);
    // The baselines fitted on a training table, for every other input (the
    // logistic baseline is fitted per class, the slowest path under ASan).
    if size % 2 == 0 {
        let _ = evaluate(&table, Some(&table), &options);
    }
});
