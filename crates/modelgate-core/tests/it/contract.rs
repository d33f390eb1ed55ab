//! The data contract and record validation, on the fixtures in `tests/data/contract/`.
//!
//! `<name>.contract.json` is a contract and `<name>.cases.json` a list of records,
//! each with the violations written by hand as `"rule field"`. Every record is
//! validated three ways (as JSON text alone, as a `serde_json` map, and within the
//! whole batch) and the rules found must equal the hand-written ones. The full
//! violations (expected and actual values, messages) are compared with
//! `<name>.expected.json`; `UPDATE_EXPECT=1` rewrites those. The same cases are
//! run through Ajv against the exported JSON Schema by `tests/contract/ajv.test.mjs`.

use std::fs;
use std::path::{Path, PathBuf};

use modelgate_core::contract::{Contract, ContractOptions, FieldType};
use modelgate_core::validate::{validate_json, validate_record, validate_records, Rule, Violation};
use modelgate_core::CsvIngest;
use serde_json::{json, Value};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/contract")
}

fn update() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

/// Compares `actual` with the JSON file at `path`, or rewrites it under UPDATE_EXPECT.
fn check_expected(path: &Path, actual: &Value, failures: &mut Vec<String>) {
    if update() {
        fs::write(path, serde_json::to_string_pretty(actual).unwrap() + "\n").unwrap();
        return;
    }
    match fs::read_to_string(path) {
        Ok(text) => {
            let expected: Value = serde_json::from_str(&text).unwrap();
            if &expected != actual {
                failures.push(format!(
                    "{}:\nexpected {}\n     got {}",
                    path.display(),
                    serde_json::to_string_pretty(&expected).unwrap(),
                    serde_json::to_string_pretty(actual).unwrap()
                ));
            }
        }
        Err(_) => failures.push(format!("no {}", path.display())),
    }
}

fn rules_of(violations: &[Violation]) -> Vec<String> {
    let mut out: Vec<String> = violations.iter().map(|v| format!("{} {}", v.rule, v.field)).collect();
    out.sort();
    out
}

#[test]
fn contract_case_fixtures() {
    let mut names: Vec<String> = fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".cases.json").map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() >= 3, "fixtures missing: {names:?}");
    let mut failures = Vec::new();
    let mut rules_seen = std::collections::BTreeSet::new();
    for name in &names {
        let contract =
            Contract::from_json(&fs::read_to_string(dir().join(format!("{name}.contract.json"))).unwrap())
                .unwrap_or_else(|e| panic!("{name}.contract.json: {e}"));
        let cases: Value =
            serde_json::from_str(&fs::read_to_string(dir().join(format!("{name}.cases.json"))).unwrap())
                .unwrap();
        let cases = cases.as_array().unwrap();
        let mut all = Vec::new();
        let mut objects = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let record = &case["record"];
            let note = case["note"].as_str().unwrap_or("");
            let mut expected: Vec<String> = case["violations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            expected.sort();
            // A batch of one, so records that are not objects are items, not the batch.
            let alone = validate_json(&contract, &format!("[{record}]")).unwrap();
            assert_eq!(alone.records, 1, "{name} case {i}");
            if record.is_object() {
                assert_eq!(validate_json(&contract, &record.to_string()).unwrap(), alone, "{name} case {i}");
            }
            let got = rules_of(&alone.violations);
            if got != expected {
                failures.push(format!("{name} case {i} ({note}): expected {expected:?}, got {got:?}"));
            }
            if let Value::Object(map) = record {
                let from_map = validate_record(&contract, map);
                assert_eq!(rules_of(&from_map), got, "{name} case {i} ({note}): map and text disagree");
                objects.push(map.clone());
            }
            rules_seen.extend(alone.violations.iter().map(|v| v.rule));
            all.push(json!({ "note": note, "violations": alone.violations }));
        }
        // The whole batch at once gives the same violations, with the right instances.
        let batch_text = Value::Array(cases.iter().map(|c| c["record"].clone()).collect()).to_string();
        let batch = validate_json(&contract, &batch_text).unwrap();
        assert_eq!(batch.records, cases.len());
        for (i, case_result) in all.iter().enumerate() {
            let mine: Vec<&Violation> = batch.violations.iter().filter(|v| v.instance == i).collect();
            assert_eq!(
                mine.len(),
                case_result["violations"].as_array().unwrap().len(),
                "{name} batch instance {i}"
            );
        }
        let maps = validate_records(&contract, &objects);
        assert_eq!(maps.len(), batch.violations.iter().filter(|v| v.rule != Rule::NotAnObject).count());
        check_expected(&dir().join(format!("{name}.expected.json")), &Value::Array(all), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Every rule but duplicate_field (which JSON objects cannot hold; see below) is exercised.
    let missing: Vec<Rule> =
        Rule::ALL.iter().copied().filter(|r| *r != Rule::DuplicateField && !rules_seen.contains(r)).collect();
    assert!(missing.is_empty(), "rules no fixture exercises: {missing:?}");
}

fn rules_contract() -> Contract {
    Contract::from_json(&fs::read_to_string(dir().join("rules.contract.json")).unwrap()).unwrap()
}

#[test]
fn duplicate_keys_are_a_violation_not_last_wins() {
    let contract = rules_contract();
    let text = r#"{"age": 200, "age": 31, "income": 1, "city": "Lyon", "member": true}"#;
    let result = validate_json(&contract, text).unwrap();
    let rules: Vec<(Rule, &str)> = result.violations.iter().map(|v| (v.rule, v.field.as_str())).collect();
    // The first copy is checked (200 is too high), and the second is reported as a duplicate.
    assert_eq!(rules, [(Rule::AboveMaximum, "age"), (Rule::DuplicateField, "age")]);
    assert_eq!(result.violations[1].actual, json!(31));
}

#[test]
fn violation_details() {
    let contract = rules_contract();
    let r =
        validate_json(&contract, r#"{"age": 130, "income": 1, "city": "Nice", "member": true, "agee": 3}"#)
            .unwrap();
    let v: Vec<Value> = r.violations.iter().map(|v| serde_json::to_value(v).unwrap()).collect();
    assert_eq!(
        v[0],
        json!({"instance": 0, "field": "age", "rule": "above_maximum", "expected": 120, "actual": 130,
               "message": "age: 130 is above the maximum 120"})
    );
    assert_eq!(v[1]["expected"], json!(["Lyon", "Paris", "São Paulo"]));
    assert_eq!(v[1]["message"], "city: \"Nice\" is not an allowed category (Lyon, Paris, São Paulo)");
    assert_eq!(v[2]["message"], "agee: not a field of the contract; did you mean \"age\"?");
    // Long actual values are cut short so a hostile payload cannot blow up a report.
    let long = "x".repeat(10_000);
    let r =
        validate_json(&contract, &format!(r#"{{"age": 1, "income": 1, "city": "{long}", "member": true}}"#))
            .unwrap();
    assert_eq!(r.violations[0].actual.as_str().unwrap().chars().count(), 257);
    assert!(r.violations[0].message.len() < 200, "{}", r.violations[0].message);
}

#[test]
fn bad_json_names_line_and_column() {
    let contract = rules_contract();
    let e = validate_json(&contract, "[{\"age\": 1},\n {\"age\": }]").unwrap_err();
    assert_eq!((e.line, e.column), (2, 10));
    assert_eq!(e.to_string(), "line 2, column 10: expected value");
    let e = validate_json(&contract, "42").unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 1, column 2: invalid type: integer `42`, expected a JSON object (one record) or an array of objects (a batch)"
    );
    assert!(validate_json(&contract, "{} {}").is_err(), "trailing data");
    assert_eq!(validate_json(&contract, "[]").unwrap().records, 0);
    // Deep nesting hits serde_json's recursion limit: an error, not a stack overflow.
    let deep = format!("[{{\"extra\": {}{}}}]", "[".repeat(100_000), "]".repeat(100_000));
    assert!(validate_json(&contract, &deep).unwrap_err().message.contains("recursion limit"));
}

#[test]
fn invalid_contract_fixtures() {
    let dir = dir().join("invalid");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_str().unwrap().ends_with(".json") && !p.to_str().unwrap().ends_with(".expected.json")
        })
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "found {}", paths.len());
    let mut actual = serde_json::Map::new();
    for path in &paths {
        let text = fs::read_to_string(path).unwrap();
        let error = Contract::from_json(&text).expect_err(path.to_str().unwrap());
        actual.insert(
            path.file_stem().unwrap().to_str().unwrap().to_string(),
            json!({ "message": error.to_string(), "path": error.path, "field": error.field, "line": error.line, "column": error.column }),
        );
    }
    let mut failures = Vec::new();
    check_expected(&dir.join("errors.expected.json"), &Value::Object(actual), &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn dataset(name: &str, text: &str) -> modelgate_core::Dataset {
    let mut ingest = CsvIngest::new(name);
    ingest.push(text.as_bytes()).unwrap();
    ingest.finish().unwrap()
}

#[test]
fn inference_fixtures() {
    let dir = dir().join("infer");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_str().unwrap();
        let data = dataset(name, &fs::read_to_string(path).unwrap());
        let contract = Contract::infer(&data, &ContractOptions::default());
        // What is written reads back as the same contract, with the same hash.
        let text = contract.to_json_pretty();
        let back = Contract::from_json(&text).unwrap();
        assert_eq!(back, contract, "{name}");
        assert_eq!(back.hash(), contract.hash(), "{name}");
        let value: Value = serde_json::from_str(&text).unwrap();
        check_expected(&path.with_extension("contract.json"), &value, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn inferred_rules_follow_the_reference() {
    let text = fs::read_to_string(dir().join("infer/types.csv")).unwrap();
    let data = dataset("types.csv", &text);
    let c = Contract::infer(&data, &ContractOptions::default());
    let f = |n: &str| c.field(n).unwrap();
    assert_eq!(f("age").field_type, FieldType::Integer);
    // Reference 18..=90, widened by 10% of 72 = 7.2 and rounded inward: 10.8 -> 11, 97.2 -> 97.
    assert_eq!((f("age").minimum, f("age").maximum), (Some(11.0), Some(97.0)));
    // A non-negative column keeps its lower bound at 0.
    assert_eq!(f("price").minimum, Some(0.0));
    assert_eq!(f("city").categories.as_deref().unwrap(), ["Lyon", "Nice", "Paris"], "sorted");
    assert!(f("income").nullable && !f("income").required);
    assert_eq!(f("income").max_null_share, Some(0.3));
    assert!(!f("age").nullable && f("age").required);
    assert!(f("score").allow_nan && !f("score").allow_inf);
    assert_eq!(f("member").field_type, FieldType::Boolean);
    assert_eq!(f("signup").field_type, FieldType::Datetime);
    assert_eq!(f("empty").field_type, FieldType::Any);
    assert!(f("id").unique && !f("id").required);
    assert_eq!(f("id").field_type, FieldType::Integer);

    let tight = Contract::infer(
        &data,
        &ContractOptions { range_tolerance: 0.0, max_categories: 2, ..Default::default() },
    );
    assert_eq!(
        (tight.field("age").unwrap().minimum, tight.field("age").unwrap().maximum),
        (Some(18.0), Some(90.0))
    );
    assert_eq!(tight.field("city").unwrap().categories, None, "3 categories exceed the cap of 2");
}

#[test]
fn hash_ignores_layout_and_order_of_categories() {
    let text = fs::read_to_string(dir().join("rules.contract.json")).unwrap();
    let a = Contract::from_json(&text).unwrap();
    let compact: Value = serde_json::from_str(&text).unwrap();
    let mut reordered = compact.clone();
    reordered["fields"][4]["categories"] = json!(["São Paulo", "Lyon", "Paris"]);
    reordered["fields"][0]["maximum"] = json!(120.0);
    let b = Contract::from_json(&reordered.to_string()).unwrap();
    assert_eq!(a.hash(), b.hash());
    assert_eq!(a.hash().len(), 64);
    // SHA-256 of the canonical JSON, as Python's hashlib.sha256(canonical.encode()).hexdigest() gives it.
    assert_eq!(a.hash(), modelgate_core::hash::sha256_hex(a.canonical_json().as_bytes()));
    let pinned = fs::read_to_string(dir().join("rules.hash")).unwrap();
    assert_eq!(a.hash(), pinned.trim(), "the canonical form changed: contract hashes change for every user");
    let mut c = a.clone();
    c.version = "2024-06-02".into();
    assert_ne!(c.hash(), a.hash());
}

#[test]
fn edited_contract_is_rechecked() {
    let mut c = rules_contract();
    let ok = r#"{"age": 119, "income": 1, "city": "Lyon", "member": true}"#;
    assert!(validate_json(&c, ok).unwrap().violations.is_empty());
    c.fields_mut()[0].maximum = Some(100.0);
    let v = validate_json(&c, ok).unwrap().violations;
    assert_eq!(v[0].rule, Rule::AboveMaximum, "the lookup index is rebuilt after an edit");
    c.fields_mut()[0].minimum = Some(200.0);
    assert_eq!(
        c.check().unwrap_err().to_string(),
        "fields[0].minimum (field \"age\"): the minimum 200 is greater than the maximum 100"
    );
}

/// A seeded stream of mutations: truncations, byte flips, insertions of JSON
/// punctuation and of hostile values. Every result must be a value or an error,
/// never a panic (the fuzzing issue will widen this; these are the cheap cases).
#[test]
fn mutated_contracts_and_records_never_panic() {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: [&[u8]; 12] =
        [b"{", b"}", b"[", b"]", b",", b":", b"\"", b"null", b"1e400", b"-0", b"\"NaN\"", b"\xff\xfe"];
    let contract_text = fs::read_to_string(dir().join("rules.contract.json")).unwrap();
    let records_text = fs::read_to_string(dir().join("rules.cases.json")).unwrap();
    let contract = rules_contract();
    let mut parsed = 0;
    for round in 0..3000 {
        let source = if round % 2 == 0 { contract_text.as_bytes() } else { records_text.as_bytes() };
        let mut bytes = source.to_vec();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % (bytes.len() + 1);
            match next() % 4 {
                0 => bytes.truncate(at),
                1 if at < bytes.len() => bytes[at] = (next() & 0xff) as u8,
                2 => {
                    let piece = pieces[(next() as usize) % pieces.len()];
                    bytes.splice(at..at, piece.iter().copied());
                }
                _ => {
                    let end = (at + (next() as usize) % 40).min(bytes.len());
                    bytes.drain(at..end);
                }
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if Contract::from_json(&text).is_ok() {
            parsed += 1;
        }
        let _ = validate_json(&contract, &text);
        let _ = modelgate_core::validate::validate_json_bytes(&contract, &bytes);
    }
    // Some mutations leave a valid contract (a changed digit, a dropped key with a default).
    assert!(parsed > 0);
}

#[test]
fn contract_is_serde_serialize_and_deserialize() {
    let text = fs::read_to_string(dir().join("rules.contract.json")).unwrap();
    let via_serde: Contract = serde_json::from_str(&text).unwrap();
    assert_eq!(via_serde, rules_contract());
    let value = serde_json::to_value(&via_serde).unwrap();
    assert_eq!(value["fields"][0]["maximum"], json!(120));
    assert_eq!(serde_json::from_value::<Contract>(value).unwrap().hash(), via_serde.hash());
    // Inside another document, errors keep the contract's own wording.
    #[derive(serde::Deserialize)]
    struct Deployment {
        #[allow(dead_code)]
        contract: Contract,
    }
    let bad = r#"{"contract": {"format": "modelgate-contract", "format_version": 1, "version": "1",
                  "fields": [{"name": "x", "type": "float"}]}}"#;
    let err = serde_json::from_str::<Deployment>(bad).err().unwrap().to_string();
    assert!(err.starts_with("fields[0].type (field \"x\"): unknown type \"float\""), "{err}");
}

/// Found by the `contract_parse` fuzz target: a bound written with more digits
/// than a double holds was read one ulp off, so writing the contract out and
/// reading it back changed the bound and the hash. serde_json's
/// `float_roundtrip` reads every number as the nearest double.
#[test]
fn contract_hash_survives_a_round_trip_of_a_long_decimal() {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/fuzz-regressions/contract_long_decimal.json"),
    )
    .unwrap();
    let contract = Contract::from_json(&text).unwrap();
    // The nearest double to 100666...660000.5 (86 digits), as Python's float() reads it.
    assert_eq!(contract.field("income").unwrap().maximum, Some(1.0066666666666667e86));
    for written in [contract.to_json_pretty(), contract.canonical_json()] {
        let again = Contract::from_json(&written).unwrap();
        assert_eq!(again.field("income").unwrap().maximum, contract.field("income").unwrap().maximum);
        assert_eq!(again.hash(), contract.hash());
    }
}
