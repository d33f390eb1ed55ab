//! Readiness rubrics: the ML Test Score (2017 and 2016 versions) and a production-readiness
//! checklist, scored from an answers file and backed by modelgate's own checks.
//!
//! Rubrics are data: the JSON files under `rubrics/` at the repository root, embedded at
//! build time, so the CLI, the page and the worker carry the same ones. A rubric has sections
//! of items, points per answer status, a rule that combines sections (the minimum for the ML
//! Test Score, a share for the checklist) and interpretation bands.
//!
//! ```
//! use modelgate_core::rubric::{self, Evidence};
//!
//! let rubric = rubric::builtin("ml-test-score-2017").unwrap();
//! let csv = "id,status,reason\n\
//!            data-1,automated,\n\
//!            model-1,manual,\n\
//!            infra-1,automated,\n\
//!            monitoring-1,manual,\n\
//!            monitoring-2,manual,\n\
//!            data-5,not_applicable,no personal data\n";
//! let answers = rubric::parse_answers(rubric, "answers.csv", csv).unwrap();
//! let report = rubric::score(rubric, &answers, &Evidence::default());
//! // Sections: data 1, model 0.5, infrastructure 1, monitoring 1; the final score is the minimum.
//! assert_eq!(report.final_score, 0.5);
//! assert_eq!(report.weakest_sections, ["model"]);
//! assert_eq!(report.band.label, "(0, 1]");
//! // Data 5 does not apply, so the data section can reach 6 at most.
//! assert_eq!(report.sections[0].max_points, 6.0);
//! // Automating the model test lifts the minimum first.
//! assert_eq!(report.next_steps[0].item, "model-2");
//! ```

mod answers;
mod evidence;
mod model;
mod score;

pub use answers::{
    answers_rubric_id, parse_answers, template, write_answers, Answer, AnswerStatus, Answers, AnswersError,
    AnswersFormat, AnswersProblem, Place, ProblemKind, UnknownStatus, ANSWERS_FORMAT, CSV_COLUMNS,
    MAX_PROBLEMS,
};
pub use evidence::{
    BaselineEvidence, DataQualityEvidence, DriftColumnEvidence, DriftColumnStatus, DriftEvidence, Evidence,
    EvidenceCheck, EvidenceDataset, EvidenceKind, GroupEvidence, NonFiniteCounts, ReproducibilityEvidence,
    SkewEvidence, FOUR_FIFTHS,
};
pub use model::{
    builtin, builtin_ids, builtin_json, builtins, Aggregate, Band, EvidenceLink, EvidenceRole, Item, Points,
    Rubric, RubricError, Scoring, Section, Source, StatusLabels, DEFAULT_RUBRIC, RUBRIC_SCHEMA,
};
pub use score::{
    number, score, BandResult, Flag, ItemEvidence, ItemResult, NextStep, RubricInfo, RubricReport,
    SectionScore, Severity, StatusCounts, MAX_NEXT_STEPS,
};
