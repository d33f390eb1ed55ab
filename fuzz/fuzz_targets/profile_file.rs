//! Reference-profile files (`DatasetProfile::from_json`), then drift and merge.
//!
//! Invariant: an accepted profile re-serialises and re-parses to the same profile,
//! through the JSON file and through the hand-over between WebAssembly instances alike.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate_core::{drift_report, DatasetProfile, DriftOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(profile) = DatasetProfile::from_json("fuzz.json", text) else { return };
    let json = profile.to_json();
    let again =
        DatasetProfile::from_json("fuzz.json", &json).unwrap_or_else(|e| panic!("re-reading {json}: {e}"));
    assert_eq!(again.to_json(), json);
    assert_eq!(format!("{again:?}"), format!("{profile:?}"));
    let values = profile.columns.iter().map(|c| c.exact.then(|| c.values.clone())).collect();
    let handed = DatasetProfile::from_hand_over("fuzz.json", &profile.hand_over_head(), values)
        .unwrap_or_else(|e| panic!("handing over {json}: {e}"));
    assert_eq!(handed.to_json(), json);
    let _ = drift_report(&profile, &profile, &DriftOptions::default());
    let mut merged = profile.clone();
    merged.merge(&profile).expect("a profile merges with itself");
    assert_eq!(merged.rows, profile.rows.saturating_mul(2));
});
