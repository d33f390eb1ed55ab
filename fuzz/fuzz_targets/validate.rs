//! The record validator (`validate_json_bytes`) against a fixed contract with
//! every rule.
//!
//! Invariant: the byte and text entry points agree, and each violation names a
//! record that exists.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use modelgate_core::contract::Contract;
use modelgate_core::validate::{validate_json, validate_json_bytes};

fn contract() -> &'static Contract {
    static C: OnceLock<Contract> = OnceLock::new();
    C.get_or_init(|| {
        Contract::from_json(include_str!("../../tests/data/contract/rules.contract.json")).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let from_bytes = validate_json_bytes(contract(), data);
    if let Ok(text) = std::str::from_utf8(data) {
        let from_text = validate_json(contract(), text);
        assert_eq!(format!("{from_bytes:?}"), format!("{from_text:?}"));
    }
    let Ok(validation) = from_bytes else { return };
    for v in &validation.violations {
        assert!(v.instance < validation.records.max(1), "{v:?} of {} records", validation.records);
    }
});
