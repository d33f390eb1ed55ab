//! The hostile-input corpus (`tests/hostile/manifest.json`, written by
//! `tests/hostile/make_corpus.py`) run through the core: every entry must give
//! exactly the outcome the manifest states, an error with its code and a message
//! naming the place, or an accepted result holding what the manifest says.
//! Nothing may panic. CSV entries are also fed in small chunks, which must not
//! change the outcome.
//!
//! `HOSTILE_PRINT=1 cargo test -p modelgate-core --test it hostile -- --nocapture`
//! prints what each entry gives.

use std::fs;
use std::path::{Path, PathBuf};

use modelgate_core::contract::Contract;
use modelgate_core::payload::{validate_payload, PayloadOptions};
use modelgate_core::rubric::{self, parse_answers, Evidence};
use modelgate_core::{drift_report, CsvIngest, DatasetProfile, DriftOptions};
use serde_json::{json, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile")
}

/// The bytes of an entry: its file, or its `generate` recipe built now.
pub fn entry_bytes(entry: &Value) -> Vec<u8> {
    if let Some(file) = entry["file"].as_str() {
        return fs::read(root().join(file)).unwrap();
    }
    let g = &entry["generate"];
    let repeat = g["repeat"].as_str().unwrap();
    let times = g["times"].as_u64().unwrap() as usize;
    let mut out = String::from(g["head"].as_str().unwrap());
    if g["numbered"].as_bool() == Some(true) {
        for i in 0..times {
            out.push_str(&repeat.replace("{i}", &i.to_string()));
        }
    } else {
        out.push_str(&repeat.repeat(times));
    }
    out.push_str(g["tail"].as_str().unwrap());
    out.into_bytes()
}

fn name_of(entry: &Value) -> String {
    let file = entry["file"].as_str().or(entry["generated_name"].as_str()).unwrap();
    Path::new(file).file_name().unwrap().to_str().unwrap().to_string()
}

fn error(code: &str, message: impl ToString) -> Value {
    json!({"error": code, "message": message.to_string()})
}

fn csv(name: &str, bytes: &[u8], chunk: usize) -> Value {
    let mut ingest = CsvIngest::new(name);
    let pushed = bytes.chunks(chunk.max(1)).try_for_each(|piece| ingest.push(piece));
    let result = pushed.and_then(|()| ingest.finish());
    match result {
        Err(e) => error(e.kind.code(), &e),
        Ok(d) => {
            let report = drift_report(&d, &d, &DriftOptions::default());
            let mut findings: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
            findings.dedup();
            json!({"accepted": {
                "rows": d.rows,
                "columns": d.columns.len(),
                "names": d.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
                "types": d.columns.iter().map(|c| (c.name.clone(), json!(c.column_type.as_str()))).collect::<serde_json::Map<_, _>>(),
                "findings": findings,
                "max_tracked_categories": d.columns.iter().map(|c| c.text_categories.as_ref().map_or(0, |t| t.len())).max(),
            }})
        }
    }
}

/// Text kinds decode as every host does: strictly, with the size limit first.
fn text<'a>(kind: &str, name: &str, bytes: &'a [u8]) -> Result<&'a str, Value> {
    modelgate_core::limits::decode_text(name, kind, bytes).map_err(|e| error(e.code(), &e))
}

fn worker_contract() -> Contract {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../worker/contract.json")).unwrap();
    Contract::from_json(&text).unwrap()
}

/// What the core does with one entry.
pub fn outcome(entry: &Value, bytes: &[u8], contract: &Contract) -> Value {
    let name = name_of(entry);
    let kind = entry["kind"].as_str().unwrap();
    match kind {
        "csv" => csv(&name, bytes, bytes.len()),
        "payload" => {
            let options = PayloadOptions::for_contract(contract);
            match validate_payload(contract, bytes, &options) {
                Err(e) => error(e.code(), &e),
                Ok(r) => {
                    json!({"accepted": {"format": r.format.as_str(), "records": r.records, "violations": r.violations.len()}})
                }
            }
        }
        _ => {
            let text = match text(kind, &name, bytes) {
                Ok(t) => t,
                Err(e) => return e,
            };
            match kind {
                "contract" => match Contract::from_json(text) {
                    Err(e) => error("contract", &e),
                    Ok(c) => json!({"accepted": {"fields": c.fields().len()}}),
                },
                "profile" => match DatasetProfile::from_json(&name, text) {
                    Err(e) => error("profile", &e),
                    Ok(p) => json!({"accepted": {"rows": p.rows, "columns": p.columns.len()}}),
                },
                "report" => match Evidence::from_json(text) {
                    Err(e) => error("evidence", e),
                    Ok(e) => json!({"accepted": {"checks": e.checks().len()}}),
                },
                "answers" => {
                    let id = rubric::answers_rubric_id(text).unwrap_or_else(|| "ml-test-score-2017".into());
                    let rubric = rubric::builtin(&id).expect("a built-in rubric");
                    match parse_answers(rubric, &name, text) {
                        Err(e) => error(e.problems.first().map_or("none", |p| p.kind.code()), &e),
                        Ok(a) => json!({"accepted": {"answers": a.answers.len()}}),
                    }
                }
                other => panic!("unknown kind {other}"),
            }
        }
    }
}

/// Whether `got` is what `expect` states: the same error code and a message
/// containing the expected text, or an accepted result holding every expected key.
pub fn matches(expect: &Value, got: &Value) -> bool {
    if let Some(code) = expect.get("error") {
        return got.get("error") == Some(code)
            && got["message"].as_str().is_some_and(|m| m.contains(expect["message"].as_str().unwrap()));
    }
    let (Some(want), Some(have)) = (expect["accepted"].as_object(), got["accepted"].as_object()) else {
        return false;
    };
    want.iter().all(|(k, v)| match k.as_str() {
        "max_tracked_categories" => have[k].as_u64().is_some_and(|n| n <= v.as_u64().unwrap()),
        _ => have.get(k) == Some(v),
    })
}

pub fn manifest() -> Vec<Value> {
    let text = fs::read_to_string(root().join("manifest.json")).unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    manifest["entries"].as_array().unwrap().clone()
}

#[test]
fn hostile_corpus_gives_the_stated_outcome_in_the_core() {
    let entries = manifest();
    assert!(entries.len() >= 60, "the corpus has {} entries", entries.len());
    let contract = worker_contract();
    let print = std::env::var_os("HOSTILE_PRINT").is_some();
    let mut failures = Vec::new();
    for entry in &entries {
        let id = entry["id"].as_str().unwrap();
        let bytes = entry_bytes(entry);
        let got = outcome(entry, &bytes, &contract);
        if print {
            let mut shown = got.clone();
            if let Some(a) = shown.get_mut("accepted").and_then(Value::as_object_mut) {
                a.remove("names");
            }
            println!("{id}: {shown}");
        }
        if !matches(&entry["expect"], &got) {
            failures.push(format!("{id}: expected {}, got {got}", entry["expect"]));
        }
        // The push API must not care where chunks split a CSV (small files only: 1-byte pushes are slow).
        if entry["kind"] == "csv" && bytes.len() < 100_000 {
            for chunk in [1, 3, 64] {
                let split = csv(&name_of(entry), &bytes, chunk);
                if split != got {
                    failures.push(format!("{id}: {chunk}-byte chunks give {split}, one push {got}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} entries differ:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}
