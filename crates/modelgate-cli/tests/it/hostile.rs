//! The hostile-input corpus (`tests/hostile/manifest.json`) through the binary.
//!
//! Every entry is written to a temporary directory under its own file name and
//! given to the subcommand that reads its kind. An entry the core refuses must
//! exit 2 with the core's message (which names the file and the row, column or
//! JSON path); an accepted one must exit 0 or 1 with a JSON report. Nothing may
//! panic (exit 101). Payload entries go through `contract check --records`,
//! which reads JSON records with a different parser than the edge worker's
//! payload formats, so for them only a clean exit is asserted.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::repo;

fn manifest() -> Vec<Value> {
    let text = fs::read_to_string(repo("tests/hostile/manifest.json")).unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    manifest["entries"].as_array().unwrap().clone()
}

/// Writes an entry to `dir` and returns its file name. Entries marked `slow`
/// are refused on their size alone, so they are written as sparse files of the
/// right length instead of being built.
fn write_entry(dir: &Path, entry: &Value) -> String {
    let (name, path) = match entry["file"].as_str() {
        Some(file) => {
            let name = Path::new(file).file_name().unwrap().to_str().unwrap().to_string();
            fs::copy(repo("tests/hostile").join(file), dir.join(&name)).unwrap();
            return name;
        }
        None => {
            let name = entry["generated_name"].as_str().unwrap().to_string();
            let path = dir.join(&name);
            (name, path)
        }
    };
    let g = &entry["generate"];
    let (head, repeat, tail) =
        (g["head"].as_str().unwrap(), g["repeat"].as_str().unwrap(), g["tail"].as_str().unwrap());
    let times = g["times"].as_u64().unwrap() as usize;
    if entry["slow"].as_bool() == Some(true) {
        let len = head.len() + repeat.len() * times + tail.len();
        fs::File::create(&path).unwrap().set_len(len as u64).unwrap();
        return name;
    }
    let mut out = String::from(head);
    if g["numbered"].as_bool() == Some(true) {
        for i in 0..times {
            out.push_str(&repeat.replace("{i}", &i.to_string()));
        }
    } else {
        out.push_str(&repeat.repeat(times));
    }
    out.push_str(tail);
    fs::write(&path, out).unwrap();
    name
}

fn args_for(kind: &str, name: &str) -> Vec<String> {
    let answers = repo("tests/data/rubric/answers/ok-minimal.csv");
    let csv = repo("tests/data/ingest/basic_comma.csv");
    let contract = repo("worker/contract.json");
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let v = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    match kind {
        "csv" => v(&["drift", "--reference", name, "--current", name, "--format", "json"]),
        "contract" => v(&["contract", "schema", "--contract", name]),
        "answers" => v(&["rubric", "--answers", name, "--format", "json"]),
        "profile" => v(&["drift", "--reference-profile", name, "--current", &s(&csv), "--format", "json"]),
        "report" => v(&["rubric", "--answers", &s(&answers), "--evidence", name, "--format", "json"]),
        "payload" => {
            v(&["contract", "check", "--contract", &s(&contract), "--records", name, "--format", "json"])
        }
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn hostile_corpus_exits_cleanly_with_the_message() {
    let entries = manifest();
    assert!(entries.len() >= 60);
    let dir = std::env::temp_dir().join(format!("modelgate-hostile-cli-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for entry in &entries {
        let id = entry["id"].as_str().unwrap();
        let kind = entry["kind"].as_str().unwrap();
        let name = write_entry(&dir, entry);
        let out = Command::new(env!("CARGO_BIN_EXE_modelgate"))
            .args(args_for(kind, &name))
            .current_dir(&dir)
            .output()
            .unwrap();
        fs::remove_file(dir.join(&name)).unwrap();
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if code == Some(101) || stderr.contains("panicked") {
            failures.push(format!("{id}: panicked: {stderr}"));
            continue;
        }
        let expect = &entry["expect"];
        if kind == "payload" {
            if !matches!(code, Some(0..=2)) {
                failures.push(format!("{id}: exit {code:?}"));
            }
            continue;
        }
        if let Some(message) = expect["message"].as_str() {
            if code != Some(2) || !stderr.contains(message) || !stderr.contains(&name) {
                failures.push(format!(
                    "{id}: expected exit 2 naming {name} with \"{message}\", got {code:?}: {stderr}"
                ));
            }
        } else {
            let json: Option<Value> = serde_json::from_slice(&out.stdout).ok();
            if !matches!(code, Some(0 | 1)) || json.is_none() {
                failures.push(format!("{id}: expected a report (exit 0 or 1), got {code:?}: {stderr}"));
            }
        }
    }
    fs::remove_dir_all(&dir).unwrap();
    assert!(failures.is_empty(), "{} of {} entries:\n{}", failures.len(), entries.len(), failures.join("\n"));
}
