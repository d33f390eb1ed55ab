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
    let mut expected = answers.answers.clone();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    for format in [AnswersFormat::Csv, AnswersFormat::Json] {
        let written = write_answers(rubric, &answers, format);
        let again = parse_answers(rubric, "answers", &written)
            .unwrap_or_else(|e| panic!("re-reading {format:?} {written:?}: {e}"));
        let mut got = again.answers;
        got.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(got, expected, "{format:?} round trip of {written:?}");
    }
    let _ = score(rubric, &answers, &Evidence::default());
});
