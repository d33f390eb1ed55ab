//! Scoring: answers and evidence in, a [`RubricReport`] out.

use serde::Serialize;

use super::answers::{AnswerStatus, Answers};
use super::evidence::{Evidence, EvidenceCheck, EvidenceKind};
use super::model::{Aggregate, EvidenceRole, Points, Rubric};

/// Next steps listed at most.
pub const MAX_NEXT_STEPS: usize = 5;

/// The scored rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricReport {
    /// Which rubric.
    pub rubric: RubricInfo,
    /// The answers file.
    pub answers_source: String,
    /// The final score: the lowest section score (`minimum`) or the share of attainable
    /// points earned, from 0 to 1 (`share`).
    pub final_score: f64,
    /// The highest final score these answers allow: not-applicable items lower it.
    pub max_final_score: f64,
    /// The band the final score falls in.
    pub band: BandResult,
    /// Ids of the sections with the lowest score (more than one on a tie).
    pub weakest_sections: Vec<String>,
    /// Per section, in rubric order.
    pub sections: Vec<SectionScore>,
    /// Status counts over all items.
    pub counts: StatusCounts,
    /// Per item, in rubric order.
    pub items: Vec<ItemResult>,
    /// The steps that raise the final score most, best first, at most [`MAX_NEXT_STEPS`].
    pub next_steps: Vec<NextStep>,
    /// Every check this run's evidence yielded.
    pub evidence: Vec<EvidenceCheck>,
    /// Answers the evidence calls into question.
    pub flags: Vec<Flag>,
}

impl RubricReport {
    /// Whether any flag is at error severity (the evidence contradicts an answer).
    pub fn has_contradictions(&self) -> bool {
        self.flags.iter().any(|f| f.severity == Severity::Error)
    }
}

/// The rubric a report scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricInfo {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// How sections combine.
    pub aggregate: Aggregate,
    /// Points per status.
    pub points: Points,
}

/// The band of a final score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandResult {
    /// Label, such as `(1, 2]`.
    pub label: String,
    /// Short name.
    pub title: String,
    /// What it means.
    pub meaning: String,
    /// Whether the score lies between the stated bands (then it is kept in the band below).
    pub in_gap: bool,
    /// Why, when `in_gap`.
    pub note: Option<String>,
}

/// Counts of answers by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Items.
    pub items: usize,
    /// Answered not done.
    pub not_done: usize,
    /// Answered manual.
    pub manual: usize,
    /// Answered automated.
    pub automated: usize,
    /// Answered not applicable.
    pub not_applicable: usize,
    /// Not answered (scored as not done).
    pub unanswered: usize,
}

impl StatusCounts {
    fn add(&mut self, status: Option<AnswerStatus>) {
        self.items += 1;
        match status {
            None => self.unanswered += 1,
            Some(AnswerStatus::NotDone) => self.not_done += 1,
            Some(AnswerStatus::Manual) => self.manual += 1,
            Some(AnswerStatus::Automated) => self.automated += 1,
            Some(AnswerStatus::NotApplicable) => self.not_applicable += 1,
        }
    }
}

/// One section's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionScore {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The section score: `points` (`minimum`) or `points / max_points` (`share`; 1 when no
    /// item applies).
    pub score: f64,
    /// Points earned.
    pub points: f64,
    /// Points attainable: applicable items times a full point.
    pub max_points: f64,
    /// Status counts.
    pub counts: StatusCounts,
}

/// One item, scored, with its answer and the evidence beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    /// Item id.
    pub id: String,
    /// Section id.
    pub section: String,
    /// The source's own name for the item.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Title.
    pub title: String,
    /// The answer; `None` when unanswered.
    pub status: Option<AnswerStatus>,
    /// Points earned.
    pub points: f64,
    /// Points attainable (0 when not applicable).
    pub max_points: f64,
    /// Why it does not apply.
    pub reason: Option<String>,
    /// The answer's evidence links.
    pub evidence_links: Vec<String>,
    /// The answer's notes.
    pub notes: Option<String>,
    /// This run's checks that bear on the item.
    pub evidence: Vec<ItemEvidence>,
    /// The worst flag on the item, if any.
    pub flag: Option<Severity>,
}

/// A check shown beside an item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemEvidence {
    /// Which check.
    pub kind: EvidenceKind,
    /// Its human name.
    pub title: &'static str,
    /// How it bears on the item.
    pub role: EvidenceRole,
    /// Whether it passed.
    pub passed: bool,
    /// Its line of text.
    pub summary: String,
}

/// How serious a flag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look: a check ran on an item answered not applicable.
    Warning,
    /// The evidence contradicts the answer.
    Error,
}

/// An answer the evidence calls into question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// Item id.
    pub item: String,
    /// Section id.
    pub section: String,
    /// The answer.
    pub status: AnswerStatus,
    /// The check.
    pub kind: EvidenceKind,
    /// Error for a contradiction, warning otherwise.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// A step that raises the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextStep {
    /// Item id.
    pub item: String,
    /// Section id.
    pub section: String,
    /// Item title.
    pub title: String,
    /// The answer now (`None`: unanswered).
    pub from: Option<AnswerStatus>,
    /// The answer to reach.
    pub to: AnswerStatus,
    /// Points gained.
    pub gain: f64,
    /// The section's score after this step (and the ones before it).
    pub section_score_after: f64,
    /// The final score after this step (and the ones before it).
    pub final_score_after: f64,
    /// The band label after this step.
    pub band_after: String,
    /// A failing check that must be fixed before the answer can honestly change.
    pub blocked_by: Option<String>,
}

struct SectionTally {
    points: f64,
    max_points: f64,
}

fn section_score(aggregate: Aggregate, t: &SectionTally) -> f64 {
    match aggregate {
        Aggregate::Minimum => t.points,
        Aggregate::Share if t.max_points > 0.0 => t.points / t.max_points,
        Aggregate::Share => 1.0,
    }
}

fn final_score(aggregate: Aggregate, tallies: &[SectionTally]) -> f64 {
    match aggregate {
        // A rubric without sections (refused by validation) scores 0 rather than infinity.
        Aggregate::Minimum if tallies.is_empty() => 0.0,
        Aggregate::Minimum => tallies.iter().map(|t| t.points).fold(f64::INFINITY, f64::min),
        Aggregate::Share => {
            let max: f64 = tallies.iter().map(|t| t.max_points).sum();
            if max > 0.0 {
                tallies.iter().map(|t| t.points).sum::<f64>() / max
            } else {
                1.0
            }
        }
    }
}

/// Scores `answers` against `rubric`, with `evidence` shown beside the items it bears on.
///
/// Answers naming no item of the rubric are ignored (parsing rejects them); an item answered
/// twice counts once, the first time.
pub fn score(rubric: &Rubric, answers: &Answers, evidence: &Evidence) -> RubricReport {
    let aggregate = rubric.scoring.aggregate;
    let points = rubric.scoring.points;
    let full = points.full();
    let checks = evidence.checks();

    let mut items = Vec::new();
    let mut flags = Vec::new();
    let mut sections = Vec::new();
    let mut tallies = Vec::new();
    let mut counts = StatusCounts::default();
    for section in &rubric.sections {
        let mut tally = SectionTally { points: 0.0, max_points: 0.0 };
        let mut section_counts = StatusCounts::default();
        for item in &section.items {
            let answer = answers.get(&item.id);
            let status = answer.and_then(|a| a.status);
            let applicable = status != Some(AnswerStatus::NotApplicable);
            let earned = points.of(status);
            let max_points = if applicable { full } else { 0.0 };
            tally.points += earned;
            tally.max_points += max_points;
            section_counts.add(status);
            counts.add(status);

            let mut item_evidence = Vec::new();
            let mut flag = None;
            for link in &item.evidence {
                for check in checks.iter().filter(|c| c.kind == link.kind) {
                    item_evidence.push(ItemEvidence {
                        kind: check.kind,
                        title: check.title,
                        role: link.role,
                        passed: check.passed,
                        summary: check.summary.clone(),
                    });
                    if link.role != EvidenceRole::Asserts {
                        continue;
                    }
                    let Some(status) = status else { continue };
                    let found = match status {
                        AnswerStatus::Manual | AnswerStatus::Automated if !check.passed => Some((
                            Severity::Error,
                            format!(
                                "answered {status}, but this run's {} fails: {}",
                                check.kind.title(),
                                check.summary
                            ),
                        )),
                        AnswerStatus::NotApplicable => Some((
                            Severity::Warning,
                            format!(
                                "answered not_applicable, but this run computed a {} for it: {}",
                                check.kind.title(),
                                check.summary
                            ),
                        )),
                        _ => None,
                    };
                    if let Some((severity, message)) = found {
                        flag = flag.max(Some(severity));
                        flags.push(Flag {
                            item: item.id.clone(),
                            section: section.id.clone(),
                            status,
                            kind: check.kind,
                            severity,
                            message,
                        });
                    }
                }
            }
            items.push(ItemResult {
                id: item.id.clone(),
                section: section.id.clone(),
                reference: item.reference.clone(),
                title: item.title.clone(),
                status,
                points: earned,
                max_points,
                reason: answer.and_then(|a| a.reason.clone()),
                evidence_links: answer.map(|a| a.evidence.clone()).unwrap_or_default(),
                notes: answer.and_then(|a| a.notes.clone()),
                evidence: item_evidence,
                flag,
            });
        }
        sections.push(SectionScore {
            id: section.id.clone(),
            title: section.title.clone(),
            score: section_score(aggregate, &tally),
            points: tally.points,
            max_points: tally.max_points,
            counts: section_counts,
        });
        tallies.push(tally);
    }

    let final_score = final_score(aggregate, &tallies);
    let max_final_score = {
        let best: Vec<SectionTally> =
            tallies.iter().map(|t| SectionTally { points: t.max_points, max_points: t.max_points }).collect();
        self::final_score(aggregate, &best)
    };
    let lowest = sections.iter().map(|s| s.score).fold(f64::INFINITY, f64::min);
    let weakest_sections = sections.iter().filter(|s| s.score == lowest).map(|s| s.id.clone()).collect();
    let next_steps = next_steps(rubric, &items, &checks, tallies);
    RubricReport {
        rubric: RubricInfo { id: rubric.id.clone(), title: rubric.title.clone(), aggregate, points },
        answers_source: answers.source.clone(),
        final_score,
        max_final_score,
        band: band_result(rubric, final_score),
        weakest_sections,
        sections,
        counts,
        items,
        next_steps,
        evidence: checks,
        flags,
    }
}

fn band_result(rubric: &Rubric, score: f64) -> BandResult {
    let Some((band, in_gap)) = rubric.band(score) else {
        return BandResult {
            label: String::new(),
            title: String::new(),
            meaning: String::new(),
            in_gap: false,
            note: Some("the rubric defines no bands".into()),
        };
    };
    let note = in_gap.then(|| {
        let next = rubric.scoring.bands.iter().find(|b| b.min > band.min).map_or(String::new(), |b| {
            format!(" and {} (which starts at {})", b.label, number(b.min))
        });
        format!(
            "the rubric lists no band for {}: it lies between {}{next}, so it stays in {} until the next band is reached",
            number(score),
            band.label,
            band.label
        )
    });
    BandResult {
        label: band.label.clone(),
        title: band.title.clone(),
        meaning: band.meaning.clone(),
        in_gap,
        note,
    }
}

/// Greedy: repeatedly take the weakest section that can still improve, and in it the item whose
/// next answer gains most (items held back by a failing check last, then rubric order).
fn next_steps(
    rubric: &Rubric,
    items: &[ItemResult],
    checks: &[EvidenceCheck],
    mut tallies: Vec<SectionTally>,
) -> Vec<NextStep> {
    let aggregate = rubric.scoring.aggregate;
    let points = rubric.scoring.points;
    let (full, to) = (points.full(), points.full_status());
    // Candidates per section: (item index, gain, blocked_by). `items` is in rubric order.
    let mut open: Vec<Vec<(usize, f64, Option<String>)>> = Vec::new();
    let mut index = 0;
    for section in &rubric.sections {
        let mut list = Vec::new();
        for item in &section.items {
            let (i, result) = (index, &items[index]);
            index += 1;
            if result.max_points == 0.0 || result.points >= full {
                continue;
            }
            let blocked = item
                .evidence
                .iter()
                .filter(|l| l.role == EvidenceRole::Asserts)
                .flat_map(|l| checks.iter().filter(move |c| c.kind == l.kind && !c.passed))
                .map(|c| format!("the {} fails: {}", c.kind.title(), c.summary))
                .next();
            list.push((i, full - result.points, blocked));
        }
        open.push(list);
    }
    let mut steps = Vec::new();
    while steps.len() < MAX_NEXT_STEPS {
        let Some(s) = (0..tallies.len()).filter(|&s| !open[s].is_empty()).min_by(|&a, &b| {
            section_score(aggregate, &tallies[a]).total_cmp(&section_score(aggregate, &tallies[b]))
        }) else {
            break;
        };
        // Largest gain; unblocked before blocked; then rubric order (the sort is stable).
        open[s].sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.is_some().cmp(&b.2.is_some())));
        let (i, gain, blocked_by) = open[s].remove(0);
        tallies[s].points += gain;
        let final_after = final_score(aggregate, &tallies);
        let item = &items[i];
        steps.push(NextStep {
            item: item.id.clone(),
            section: item.section.clone(),
            title: item.title.clone(),
            from: item.status,
            to,
            gain,
            section_score_after: section_score(aggregate, &tallies[s]),
            final_score_after: final_after,
            band_after: rubric.band(final_after).map_or(String::new(), |(b, _)| b.label.clone()),
            blocked_by,
        });
    }
    steps
}

/// A score as text: whole numbers without a fraction, others with up to 3 decimals.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        let text = format!("{x:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
