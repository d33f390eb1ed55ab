//! Guessing what each of several files is, from its name and its first bytes.
//!
//! A user drops a folder's worth of files at once: training data, production data,
//! more splits, a predictions file, rubric answers, a saved reference profile or a
//! contract. [`guess_roles`] looks at every file's name and head (the first bytes,
//! [`HEAD_BYTES`] are plenty) together and proposes one [`FileRole`] each, with the
//! reason in words, so the page can show the guess and let the user correct it.
//!
//! The rules, in order:
//! 1. JSON files are told apart by the format marker modelgate writes into each of
//!    its files (`"modelgate-profile"`, `"modelgate-contract"`, …).
//! 2. A CSV with the columns `id` and `status` is a rubric answers file.
//! 3. A CSV with a label column and a prediction or score column (the names the
//!    evaluation looks for) holds predictions.
//! 4. With a predictions file present, a CSV that has the predictions' label column
//!    but no prediction, and shares more columns with the predictions than with the
//!    other data files, is the training file for the fitted baselines.
//! 5. The remaining CSV files are data. Names decide first (`train`, `ref`,
//!    `baseline` → reference; `current`, `prod`, `live`, `serving` → current;
//!    `test`, `valid`, `holdout` → another split); files without a telling name
//!    fill the reference, then the current, then further splits, in the order given.

use serde::Serialize;

use crate::eval::{LABEL_NAMES, PREDICTION_NAMES, PROBA_PREFIXES, SCORE_NAMES};
use crate::ingest::sniff_delimiter;

/// How many leading bytes of a file the guess needs.
pub const HEAD_BYTES: usize = 64 * 1024;

/// What a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    /// The reference (training) data that drift is measured against.
    Reference,
    /// The current (production) data.
    Current,
    /// Another dataset (test, validation, a later period) compared with the reference.
    Split,
    /// Labels next to the model's predictions.
    Predictions,
    /// Labelled training rows for the fitted baselines.
    Training,
    /// Rubric answers (CSV or JSON).
    Answers,
    /// A saved reference profile (`modelgate profile`).
    Profile,
    /// A data contract.
    Contract,
    /// A saved modelgate report.
    Report,
    /// None of the above.
    Unknown,
}

/// One file to guess: its name and its first bytes.
#[derive(Debug, Clone, Copy)]
pub struct FileHead<'a> {
    /// The file name (only its last path component matters).
    pub name: &'a str,
    /// The first bytes of the file; [`HEAD_BYTES`] are enough.
    pub head: &'a [u8],
}

/// The guess for one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleGuess {
    /// The proposed role.
    pub role: FileRole,
    /// Why, in a few words.
    pub reason: String,
    /// The header's column names, for CSV files.
    pub columns: Vec<String>,
}

/// The JSON formats modelgate writes, and the role of each.
const JSON_FORMATS: [(&str, FileRole); 5] = [
    ("modelgate-profile", FileRole::Profile),
    ("modelgate-contract", FileRole::Contract),
    ("modelgate-rubric-answers", FileRole::Answers),
    ("modelgate-report", FileRole::Report),
    ("modelgate-live-reference", FileRole::Unknown),
];

const REFERENCE_HINTS: [&str; 7] = ["train", "reference", "ref", "baseline", "histor", "source", "old"];
const CURRENT_HINTS: [&str; 7] = ["current", "prod", "live", "serving", "recent", "new", "today"];
const SPLIT_HINTS: [&str; 6] = ["test", "valid", "val", "holdout", "eval", "dev"];

/// What the first pass learns of one file on its own.
enum Kind {
    Json(FileRole, String),
    Answers,
    Predictions { label: String, prediction: String },
    Data { label: Option<String> },
    Unreadable(String),
}

/// Proposes a role for every file, looking at all of them together.
pub fn guess_roles(files: &[FileHead<'_>]) -> Vec<RoleGuess> {
    let mut columns: Vec<Vec<String>> = Vec::with_capacity(files.len());
    let kinds: Vec<Kind> = files
        .iter()
        .map(|f| {
            let (kind, cols) = classify(f.head);
            columns.push(cols);
            kind
        })
        .collect();
    let mut guesses: Vec<Option<RoleGuess>> = vec![None; files.len()];
    let guess = |role: FileRole, reason: String, cols: &[String]| {
        Some(RoleGuess { role, reason, columns: cols.to_vec() })
    };

    let mut predictions: Vec<usize> = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        guesses[i] = match kind {
            Kind::Json(role, reason) => guess(*role, reason.clone(), &columns[i]),
            Kind::Answers => {
                guess(FileRole::Answers, "columns \"id\" and \"status\": rubric answers".into(), &columns[i])
            }
            Kind::Predictions { label, prediction } => {
                predictions.push(i);
                guess(
                    FileRole::Predictions,
                    format!("label column \"{label}\" next to \"{prediction}\""),
                    &columns[i],
                )
            }
            Kind::Unreadable(reason) => guess(FileRole::Unknown, reason.clone(), &columns[i]),
            Kind::Data { .. } => None,
        };
    }

    // Training files: labelled, no predictions, closer to a predictions file than to the data.
    let data: Vec<usize> = (0..files.len()).filter(|&i| guesses[i].is_none()).collect();
    let mut training_taken = false;
    for &i in &data {
        let Kind::Data { label: Some(label) } = &kinds[i] else { continue };
        let Some(&p) = predictions.iter().find(|&&p| has_column(&columns[p], label)) else { continue };
        let to_predictions = overlap(&columns[i], &columns[p]);
        let to_data =
            data.iter().filter(|&&j| j != i).map(|&j| overlap(&columns[i], &columns[j])).fold(0.0, f64::max);
        if !training_taken && to_predictions >= to_data {
            training_taken = true;
            guesses[i] = guess(
                FileRole::Training,
                format!("labelled (\"{label}\") like {}, without predictions", base_name(files[p].name)),
                &columns[i],
            );
        }
    }

    // Data files: names first, then the order given.
    let data: Vec<usize> = data.into_iter().filter(|&i| guesses[i].is_none()).collect();
    let hinted: Vec<Option<(FileRole, &str)>> = data.iter().map(|&i| name_hint(files[i].name)).collect();
    let mut reference = None;
    let mut current = None;
    for (k, &i) in data.iter().enumerate() {
        let Some((role, word)) = hinted[k] else { continue };
        let slot = match role {
            FileRole::Reference => &mut reference,
            FileRole::Current => &mut current,
            _ => {
                guesses[i] = guess(FileRole::Split, format!("name contains \"{word}\""), &columns[i]);
                continue;
            }
        };
        if slot.is_none() {
            *slot = Some(i);
            guesses[i] = guess(role, format!("name contains \"{word}\""), &columns[i]);
        } else {
            guesses[i] = guess(
                FileRole::Split,
                format!(
                    "name contains \"{word}\", but {} took that role",
                    base_name(files[slot.unwrap_or(i)].name)
                ),
                &columns[i],
            );
        }
    }
    for &i in &data {
        if guesses[i].is_some() {
            continue;
        }
        let (role, reason) = if reference.is_none() {
            reference = Some(i);
            (FileRole::Reference, "the first data file".to_string())
        } else if current.is_none() {
            current = Some(i);
            (FileRole::Current, "the data file after the reference".to_string())
        } else {
            (FileRole::Split, "another data file".to_string())
        };
        let reason = match reference.filter(|&r| r != i) {
            Some(r) if !same_columns(&columns[i], &columns[r]) => {
                format!("{reason}; its columns differ from {}", base_name(files[r].name))
            }
            _ => reason,
        };
        guesses[i] = guess(role, reason, &columns[i]);
    }

    guesses
        .into_iter()
        .map(|g| {
            g.unwrap_or(RoleGuess { role: FileRole::Unknown, reason: String::new(), columns: Vec::new() })
        })
        .collect()
}

fn classify(head: &[u8]) -> (Kind, Vec<String>) {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).map_or(&[][..], |p| &body[p..]);
    if start.is_empty() {
        return (Kind::Unreadable("empty file".into()), Vec::new());
    }
    if start[0] == b'{' || start[0] == b'[' {
        // The first modelgate format marker in the file tells which of its files this is.
        let text = String::from_utf8_lossy(&start[..start.len().min(8 * 1024)]);
        let found = JSON_FORMATS
            .iter()
            .filter_map(|(marker, role)| text.find(&format!("\"{marker}\"")).map(|at| (at, *marker, *role)))
            .min_by_key(|(at, _, _)| *at);
        let kind = match found {
            Some((_, marker, FileRole::Unknown)) => {
                Kind::Unreadable(format!("a {marker} file: it belongs to the edge worker"))
            }
            Some((_, marker, role)) => Kind::Json(role, format!("JSON in the {marker} format")),
            None => Kind::Unreadable("JSON without a modelgate format marker".into()),
        };
        return (kind, Vec::new());
    }
    if start.contains(&0) {
        return (Kind::Unreadable("binary data, not CSV".into()), Vec::new());
    }
    let columns = header(body);
    if columns.len() < 2 && !body.contains(&b'\n') && body.len() >= HEAD_BYTES {
        return (Kind::Unreadable("no line break in the first 64 KiB".into()), columns);
    }
    let find =
        |names: &[&str]| columns.iter().find(|c| names.iter().any(|n| c.eq_ignore_ascii_case(n))).cloned();
    if has_column(&columns, "id") && has_column(&columns, "status") {
        return (Kind::Answers, columns);
    }
    let label = find(LABEL_NAMES);
    let prediction = find(PREDICTION_NAMES).or_else(|| find(SCORE_NAMES)).or_else(|| {
        columns
            .iter()
            .find(|c| {
                PROBA_PREFIXES.iter().any(|p| c.len() > p.len() && c[..p.len()].eq_ignore_ascii_case(p))
            })
            .cloned()
    });
    let kind = match (label, prediction) {
        (Some(label), Some(prediction)) => Kind::Predictions { label, prediction },
        (label, _) => Kind::Data { label },
    };
    (kind, columns)
}

/// The first record of a CSV head, with the delimiter the ingest would pick.
fn header(body: &[u8]) -> Vec<String> {
    let delimiter = sniff_delimiter(body);
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut field = vec![0u8; 4096];
    let mut columns = Vec::new();
    let mut input = body;
    let mut current: Vec<u8> = Vec::new();
    loop {
        let (result, read, written) = reader.read_field(input, &mut field);
        input = &input[read..];
        current.extend_from_slice(&field[..written]);
        match result {
            csv_core::ReadFieldResult::OutputFull => {
                if current.len() > 64 * 1024 {
                    break;
                }
            }
            csv_core::ReadFieldResult::Field { record_end } => {
                columns.push(String::from_utf8_lossy(&current).trim().to_string());
                current.clear();
                if record_end {
                    break;
                }
            }
            csv_core::ReadFieldResult::InputEmpty => {
                if input.is_empty() {
                    // The head ended inside the header: finish what was read.
                    if !current.is_empty() {
                        columns.push(String::from_utf8_lossy(&current).trim().to_string());
                    }
                    break;
                }
            }
            csv_core::ReadFieldResult::End => break,
        }
    }
    columns
}

fn has_column(columns: &[String], name: &str) -> bool {
    columns.iter().any(|c| c.eq_ignore_ascii_case(name))
}

fn same_columns(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|c| has_column(b, c))
}

/// Jaccard similarity of two column sets (case-insensitive).
fn overlap(a: &[String], b: &[String]) -> f64 {
    let shared = a.iter().filter(|c| has_column(b, c)).count();
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The role a file's name suggests, with the word that suggests it. Words are
/// matched at word boundaries (`val` in `val.csv` or `x_val.csv`, not in `interval.csv`),
/// except the longer stems (`train` in `training`, `prod` in `production`).
fn name_hint(name: &str) -> Option<(FileRole, &'static str)> {
    let stem = base_name(name).to_ascii_lowercase();
    let stem = stem.rsplit_once('.').map_or(stem.as_str(), |(s, _)| s).to_string();
    let words: Vec<&str> =
        stem.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let hit = |hint: &str| {
        words.iter().any(|w| {
            *w == hint || (hint.len() >= 4 && w.starts_with(hint)) || (w.ends_with(hint) && hint.len() >= 5)
        })
    };
    // Split words first: "train_test.csv"-style names are ambiguous, "test" is the more specific.
    for (hints, role) in [
        (&SPLIT_HINTS[..], FileRole::Split),
        (&REFERENCE_HINTS[..], FileRole::Reference),
        (&CURRENT_HINTS[..], FileRole::Current),
    ] {
        if let Some(word) = hints.iter().find(|h| hit(h)) {
            return Some((role, word));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(files: &[(&str, &str)]) -> Vec<FileRole> {
        let heads: Vec<FileHead<'_>> =
            files.iter().map(|(name, text)| FileHead { name, head: text.as_bytes() }).collect();
        guess_roles(&heads).into_iter().map(|g| g.role).collect()
    }

    const WEATHER: &str =
        "date,precipitation,temp_max,temp_min,wind,weather\n2015-01-01,0,5.6,-3.2,1.2,sun\n";

    #[test]
    fn the_sample_folder_gets_every_role() {
        let guesses = guess_roles(&[
            FileHead {
                name: "predictions.csv",
                head: b"id,date,temp_max,target,prediction\n1,2015-01-01,5,6,5.5\n",
            },
            FileHead { name: "current.csv", head: WEATHER.as_bytes() },
            FileHead { name: "training.csv", head: b"id,date,temp_max,target\n1,2012-01-01,5,6\n" },
            FileHead { name: "reference.csv", head: WEATHER.as_bytes() },
            FileHead { name: "answers.csv", head: b"id,status,notes\ndata-1,manual,\n" },
            FileHead {
                name: "contract.json",
                head: br#"{"format": "modelgate-contract", "format_version": 1}"#,
            },
        ]);
        let got: Vec<FileRole> = guesses.iter().map(|g| g.role).collect();
        assert_eq!(
            got,
            [
                FileRole::Predictions,
                FileRole::Current,
                FileRole::Training,
                FileRole::Reference,
                FileRole::Answers,
                FileRole::Contract
            ]
        );
        assert_eq!(guesses[0].reason, "label column \"target\" next to \"prediction\"");
        assert_eq!(guesses[1].reason, "name contains \"current\"");
        assert_eq!(guesses[2].reason, "labelled (\"target\") like predictions.csv, without predictions");
        assert_eq!(guesses[3].columns, ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]);
    }

    #[test]
    fn names_decide_before_order() {
        assert_eq!(
            roles(&[("prod.csv", WEATHER), ("train.csv", WEATHER)]),
            [FileRole::Current, FileRole::Reference]
        );
        assert_eq!(
            roles(&[("a.csv", WEATHER), ("b.csv", WEATHER), ("c.csv", WEATHER)]),
            [FileRole::Reference, FileRole::Current, FileRole::Split]
        );
        assert_eq!(
            roles(&[
                ("x_val.csv", WEATHER),
                ("x_train.csv", WEATHER),
                ("x_test.csv", WEATHER),
                ("2024.csv", WEATHER)
            ]),
            [FileRole::Split, FileRole::Reference, FileRole::Split, FileRole::Current]
        );
        // "val" only as a word: interval.csv has no hint.
        assert_eq!(name_hint("interval.csv"), None);
        assert_eq!(name_hint("data/production-2024.csv"), Some((FileRole::Current, "prod")));
        assert_eq!(name_hint("training_set.tsv"), Some((FileRole::Reference, "train")));
    }

    #[test]
    fn a_second_reference_by_name_becomes_a_split() {
        let guesses = guess_roles(&[
            FileHead { name: "train_2023.csv", head: WEATHER.as_bytes() },
            FileHead { name: "train_2024.csv", head: WEATHER.as_bytes() },
        ]);
        assert_eq!(guesses[1].role, FileRole::Split);
        assert_eq!(guesses[1].reason, "name contains \"train\", but train_2023.csv took that role");
    }

    #[test]
    fn json_files_by_their_format_marker() {
        assert_eq!(
            roles(&[
                ("ref.json", "\u{feff}  {\"format\":\"modelgate-profile\",\"format_version\":1}"),
                ("a.json", r#"{"format": "modelgate-rubric-answers", "version": 1}"#),
                ("r.json", r#"{"kind": "modelgate-report", "format_version": 2}"#),
                ("x.json", r#"{"hello": 1}"#),
            ]),
            [FileRole::Profile, FileRole::Answers, FileRole::Report, FileRole::Unknown]
        );
    }

    #[test]
    fn semicolon_files_quoted_headers_and_scores() {
        let guesses = guess_roles(&[FileHead {
            name: "scored.csv",
            head: b"\"feature; one\";y_true;proba_yes\n1;0;0,5\n",
        }]);
        assert_eq!(guesses[0].role, FileRole::Predictions);
        assert_eq!(guesses[0].columns, ["feature; one", "y_true", "proba_yes"]);
    }

    #[test]
    fn unusable_heads_are_unknown_with_a_reason() {
        let guesses = guess_roles(&[
            FileHead { name: "empty.csv", head: b"  \n" },
            FileHead { name: "blob.csv", head: b"PK\x03\x04\x00\x00" },
        ]);
        assert_eq!(guesses[0].role, FileRole::Unknown);
        assert_eq!(guesses[0].reason, "empty file");
        assert_eq!(guesses[1].reason, "binary data, not CSV");
        // A header cut off by the end of the head still yields the columns read so far.
        assert_eq!(header(b"a,b,c"), ["a", "b", "c"]);
    }

    #[test]
    fn labelled_data_without_predictions_is_data() {
        // No predictions file: a labelled file is ordinary data.
        assert_eq!(
            roles(&[("train.csv", "x,target\n1,0\n"), ("prod.csv", "x,target\n1,1\n")]),
            [FileRole::Reference, FileRole::Current]
        );
    }
}
