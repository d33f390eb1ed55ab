//! Ingest fixtures: every `tests/data/ingest/*.csv` is parsed whole and in many
//! chunk sizes, and the result must equal `<name>.expected.json` beside it.
//! `UPDATE_EXPECT=1 cargo test -p modelgate-core --test it ingest` rewrites the
//! expectations; review the diff before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use modelgate_core::{CsvIngest, Dataset, IngestError};
use serde_json::{json, Value};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/ingest")
}

fn ingest(name: &str, bytes: &[u8], chunk: usize) -> Result<Dataset, IngestError> {
    let mut ingest = CsvIngest::new(name);
    for piece in bytes.chunks(chunk.max(1)) {
        ingest.push(piece)?;
    }
    ingest.finish()
}

/// The observable result of an ingest, as JSON.
fn describe(result: &Result<Dataset, IngestError>) -> Value {
    match result {
        Err(e) => json!({
            "error": e.to_string(),
            "code": e.kind.code(),
            "row": e.location.as_ref().and_then(|l| l.row),
            "column": e.location.as_ref().and_then(|l| l.column.clone()),
        }),
        Ok(d) => json!({
            "delimiter": (d.delimiter as char).to_string(),
            "rows": d.rows,
            "columns": d.columns.iter().map(|c| json!({
                "name": c.name,
                "type": c.column_type.as_str(),
                "counts": c.counts,
                "values": c.values,
                "categories": c.categories.as_ref().map(|cats| cats.iter().take(8).collect::<Vec<_>>()),
            })).collect::<Vec<_>>(),
        }),
    }
}

#[test]
fn ingest_fixtures() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 15, "fixtures missing: found {}", paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_str().unwrap();
        let bytes = fs::read(path).unwrap();
        let whole = describe(&ingest(name, &bytes, bytes.len()));
        // The push API must not care where chunks split records, fields or characters.
        for chunk in [1, 2, 3, 7, 64] {
            let split = describe(&ingest(name, &bytes, chunk));
            assert_eq!(split, whole, "{name}: chunks of {chunk} bytes differ from one push");
        }
        let expected_path = path.with_extension("expected.json");
        if update {
            fs::write(&expected_path, serde_json::to_string_pretty(&whole).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value = match fs::read_to_string(&expected_path) {
            Ok(text) => serde_json::from_str(&text).unwrap(),
            Err(_) => {
                failures.push(format!("{name}: no {}", expected_path.display()));
                continue;
            }
        };
        if expected != whole {
            failures.push(format!(
                "{name}:\nexpected {}\n     got {}",
                serde_json::to_string_pretty(&expected).unwrap(),
                serde_json::to_string_pretty(&whole).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn errors_are_sticky() {
    let mut ingest = CsvIngest::new("bad.csv");
    // More than the sniff buffer, so parsing starts during push.
    let mut text = b"a,b\n".to_vec();
    for _ in 0..20_000 {
        text.extend_from_slice(b"1,2\n");
    }
    text.extend_from_slice(b"3\n");
    ingest.push(&text).unwrap_err();
    let again = ingest.push(b"4,5\n").unwrap_err();
    assert_eq!(again.to_string(), "bad.csv: row 20001: expected 2 fields as in the header, found 1");
    assert_eq!(ingest.finish().unwrap_err(), again);
}

#[test]
fn large_input_streams_past_the_sniff_buffer() {
    let mut text = String::from("x,y\n");
    for i in 0..20_000 {
        text.push_str(&format!("{i},{}\n", i % 7));
    }
    let data = ingest("big.csv", text.as_bytes(), 4096).unwrap();
    assert_eq!(data.rows, 20_000);
    assert_eq!(data.columns[0].column_type.as_str(), "identifier");
    assert_eq!(data.columns[1].categories.as_ref().unwrap().len(), 7);
}

#[test]
fn field_limit_is_enforced() {
    let limits = modelgate_core::IngestLimits { max_field_bytes: 1000, ..Default::default() };
    let mut ingest = CsvIngest::with_limits("wide.csv", limits);
    let mut text = b"a,b\n1,".to_vec();
    text.extend(std::iter::repeat_n(b'x', 5000));
    let err = ingest.push(&text).and_then(|()| ingest.finish().map(drop)).unwrap_err();
    assert_eq!(err.to_string(), "wide.csv: row 1, column \"b\": a field is larger than the 1000-byte limit");
}

#[test]
fn row_sink_sees_every_row_in_order() {
    #[derive(Default)]
    struct Collect {
        header: Vec<String>,
        rows: Vec<(u64, Vec<String>)>,
    }
    impl modelgate_core::RowSink for Collect {
        fn header(&mut self, names: &[String]) {
            self.header = names.to_vec();
        }
        fn row(&mut self, row: u64, fields: modelgate_core::Row<'_>) {
            assert_eq!(fields.get(fields.len()), None);
            self.rows.push((row, fields.iter().map(str::to_string).collect()));
        }
    }
    let bytes = fs::read(fixtures_dir().join("quoted_multiline.csv")).unwrap();
    let mut ingest = CsvIngest::with_sink("q.csv", Default::default(), Collect::default());
    for piece in bytes.chunks(5) {
        ingest.push(piece).unwrap();
    }
    let (data, sink) = ingest.finish_with_sink().unwrap();
    assert_eq!(data.rows, 3);
    assert_eq!(sink.header, ["name", "comment", "score"]);
    let expected: Vec<(u64, Vec<String>)> = vec![
        (1, vec!["Smith, J.".into(), "said \"hi\"\nthen left".into(), "1".into()]),
        (2, vec!["Doe".into(), "multi\r\nline\nfield".into(), "2".into()]),
        (3, vec!["plain".into(), "".into(), "3".into()]),
    ];
    assert_eq!(sink.rows, expected);
}

/// Found by the property test `csv_with_proper_quoting_round_trips_its_cells`:
/// a one-column row written as `""` (how Python's `csv` writes an empty cell
/// alone on its row) was dropped as if it were a blank line. Blank lines are
/// still skipped.
#[test]
fn ingest_keeps_a_row_holding_only_a_quoted_empty_field() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/fuzz-regressions/quoted_empty_single_field.csv");
    let bytes = fs::read(path).unwrap();
    for chunk in 1..=bytes.len() {
        let data = ingest("one.csv", &bytes, chunk).unwrap();
        assert_eq!(data.rows, 3, "chunk {chunk}");
        let counts = data.columns[0].counts;
        assert_eq!((counts.rows, counts.nulls, counts.numbers), (3, 1, 2), "chunk {chunk}");
    }
}

/// Found by the `csv_ingest` fuzz target: a character's bytes split by a
/// delimiter (`\xC3;\x80`) are invalid UTF-8 in each field but valid once the
/// fields are stored back to back, and slicing a field out then panicked. Both
/// files must be rejected as invalid UTF-8 naming the field, in any chunking.
#[test]
fn ingest_does_not_panic_on_a_utf8_char_split_by_a_delimiter() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/fuzz-regressions");
    for (name, row, column) in [
        ("utf8_char_split_by_delimiter.csv", None, "#1"),
        ("utf8_char_split_by_delimiter_in_row.csv", Some(1), "a"),
    ] {
        let bytes = fs::read(dir.join(name)).unwrap();
        for chunk in [1, 2, 3, 7, 64, bytes.len()] {
            let e = ingest(name, &bytes, chunk).unwrap_err();
            assert_eq!(e.kind.code(), "invalid_utf8", "{name} in chunks of {chunk}: {e}");
            let at = e.location.as_ref().unwrap();
            assert_eq!((at.row, at.column.as_deref()), (row, Some(column)), "{name}: {e}");
        }
    }
}
