//! Contract files (`Contract::from_json`), then the JSON Schema and a validation.
//!
//! Invariant: an accepted contract written back out (pretty and canonical)
//! reads back to the same contract, with the same hash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate_core::contract::Contract;
use modelgate_core::validate::validate_json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(contract) = Contract::from_json(text) else { return };
    let pretty = contract.to_json_pretty();
    let again = Contract::from_json(&pretty).unwrap_or_else(|e| panic!("re-reading {pretty}: {e}"));
    assert_eq!(again.hash(), contract.hash());
    assert_eq!(again.canonical_json(), contract.canonical_json());
    let canonical = contract.canonical_json();
    let third = Contract::from_json(&canonical).unwrap_or_else(|e| panic!("re-reading {canonical}: {e}"));
    assert_eq!(third.hash(), contract.hash());
    let _ = contract.json_schema();
    let _ = validate_json(&contract, r#"[{"a": 1, "b": "x", "c": null}, {}]"#);
});
