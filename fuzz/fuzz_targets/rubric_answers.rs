//! Rubric answers files, CSV and JSON (`parse_answers`), then scoring.
//!
//! Invariant: accepted answers written back out in either format read back
//! equal (as a set: the writer follows the rubric's order, not the file's).
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate_core::rubric::{
    self, answers_rubric_id, parse_answers, score, write_answers, AnswersFormat, Evidence,
};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let rubrics = rubric::builtins();
    let rubric = &rubrics[usize::from(pick) % rubrics.len()];
    let _ = answers_rubric_id(text);
    let _ = AnswersFormat::detect(text);
    let Ok(answers) = parse_answers(rubric, "answers", text) else { return };
    // Written in rubric order, so compared by id rather than in file order.
    // Whitespace and control characters are left out of the comparison of free
    // text: the reader trims fields and turns a CRLF inside a quoted field into
    // LF, so their exact run does not survive a round trip; the rest must.
    let normalise = |mut v: Vec<modelgate_core::rubric::Answer>| {
        v.sort_by(|a, b| a.id.cmp(&b.id));
        for a in &mut v {
            for text in [&mut a.reason, &mut a.notes].into_iter().flatten().chain(&mut a.evidence) {
                text.retain(|c| !c.is_whitespace() && !c.is_control());
            }
            // Text that was only whitespace reads back as absent.
            a.reason = a.reason.take().filter(|t| !t.is_empty());
            a.notes = a.notes.take().filter(|t| !t.is_empty());
            a.evidence.retain(|t| !t.is_empty());
        }
        v
    };
    let expected = normalise(answers.answers.clone());
    for format in [AnswersFormat::Csv, AnswersFormat::Json] {
        let written = write_answers(rubric, &answers, format);
        let again = parse_answers(rubric, "answers", &written)
            .unwrap_or_else(|e| panic!("re-reading {format:?} {written:?}: {e}"));
        let got = normalise(again.answers);
        assert_eq!(got, expected, "{format:?} round trip of {written:?}");
    }
    let _ = score(rubric, &answers, &Evidence::default());
});
