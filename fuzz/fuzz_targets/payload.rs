//! Inference payloads in every format (`parse_payload`), then the report
//! against a fixed contract.
//!
//! Invariants: the record limit holds; the report counts what was parsed.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use modelgate_core::contract::Contract;
use modelgate_core::payload::{parse_payload, PayloadLimits, PayloadOptions, PayloadReport};

fn contract() -> &'static Contract {
    static C: OnceLock<Contract> = OnceLock::new();
    C.get_or_init(|| {
        Contract::from_json(include_str!("../../tests/data/contract/rules.contract.json")).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let mut options = match pick % 3 {
        0 => PayloadOptions::default(),
        1 => PayloadOptions::for_contract(contract()),
        _ => PayloadOptions {
            limits: PayloadLimits { max_body_bytes: 4096, max_depth: 4, max_records: 3 },
            feature_names: vec!["a".into(), "b".into()],
        },
    };
    if pick & 0x80 != 0 {
        options.limits.max_depth = 200;
    }
    let Ok(payload) = parse_payload(body, &options) else { return };
    assert!(payload.records.len() <= options.limits.max_records);
    let report = PayloadReport::new(contract(), &payload);
    assert_eq!(report.records, payload.records.len());
    assert!(report.invalid_records <= report.records);
});
