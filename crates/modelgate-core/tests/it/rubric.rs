//! Rubrics: the built-in files, hand-computed scoring cases, answers parsing and its errors,
//! and evidence. The data-driven cases live in `tests/data/rubric/` (see its README).

use std::fs;
use std::path::{Path, PathBuf};

use modelgate_core::rubric::{
    self, parse_answers, score, template, write_answers, Aggregate, Answer, AnswerStatus, Answers,
    AnswersFormat, DriftEvidence, Evidence, EvidenceKind, Rubric, RubricReport, Severity,
};
use modelgate_core::{drift_report, CsvIngest, Dataset, DriftOptions};
use serde_json::{json, Value};

fn data_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/rubric").join(sub)
}

fn files(sub: &str, ext: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(data_dir(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().ends_with(ext) && !p.to_str().unwrap().ends_with(".expected.json"))
        .collect();
    paths.sort();
    paths
}

fn builtin(id: &str) -> &'static Rubric {
    rubric::builtin(id).unwrap_or_else(|| panic!("no built-in rubric {id}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12
}

// ---------------------------------------------------------------- built-in rubrics

#[test]
fn builtin_rubrics_have_the_published_shape() {
    let ids: Vec<&str> = rubric::builtin_ids().collect();
    assert_eq!(ids, ["ml-test-score-2017", "ml-test-score-2016", "production-readiness"]);
    for id in &ids {
        let r = builtin(id);
        assert_eq!(r.id, *id);
        // Every source is cited by an item or a band.
        for source in &r.sources {
            let cited = r.items().any(|(_, i)| i.sources.contains(&source.id))
                || r.scoring.bands.iter().any(|b| b.source.as_deref() == Some(&source.id));
            assert!(cited, "{id}: source {} is never cited", source.id);
        }
        // The committed text is what is embedded.
        let on_disk = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../rubrics/{id}.json")),
        )
        .unwrap();
        assert_eq!(rubric::builtin_json(id).unwrap(), on_disk);
    }

    for (id, manual, automated) in [("ml-test-score-2017", 0.5, 1.0), ("ml-test-score-2016", 1.0, 2.0)] {
        let r = builtin(id);
        assert_eq!(r.scoring.aggregate, Aggregate::Minimum);
        assert_eq!(
            (r.scoring.points.not_done, r.scoring.points.manual, r.scoring.points.automated),
            (0.0, manual, automated)
        );
        let sections: Vec<&str> = r.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(sections, ["data", "model", "infrastructure", "monitoring"]);
        for (s, prefix) in r.sections.iter().zip(["data", "model", "infra", "monitoring"]) {
            let items: Vec<&str> = s.items.iter().map(|i| i.id.as_str()).collect();
            let expected: Vec<String> = (1..=7).map(|n| format!("{prefix}-{n}")).collect();
            assert_eq!(items, expected, "{id} {}", s.id);
        }
        assert_eq!(r.item_count(), 28);
        // "A simpler model is not better" is backed by the baseline comparison.
        let (_, model5) = r.item("model-5").unwrap();
        assert_eq!(model5.evidence[0].kind, EvidenceKind::Baseline);
    }
    let labels =
        |id: &str| -> Vec<String> { builtin(id).scoring.bands.iter().map(|b| b.label.clone()).collect() };
    assert_eq!(labels("ml-test-score-2017"), ["0", "(0, 1]", "(1, 2]", "(2, 3]", "(3, 5]", "> 5"]);
    assert_eq!(labels("ml-test-score-2016"), ["0", "1-2", "3-4", "5-6", "7-10", "12+"]);

    let checklist = builtin("production-readiness");
    assert_eq!(checklist.scoring.aggregate, Aggregate::Share);
    assert_eq!(checklist.item_count(), 22);
    // Each checklist item cites the article it came from.
    for (_, item) in checklist.items() {
        assert!(!item.sources.is_empty(), "{}", item.id);
    }
}

// ---------------------------------------------------------------- scoring fixtures

/// Turns one letter per item (A, M, N, X, -) into a JSON answers file.
fn letters_to_answers(r: &Rubric, letters: &Value) -> String {
    let mut answers = Vec::new();
    for section in &r.sections {
        let text =
            letters[&section.id].as_str().unwrap_or_else(|| panic!("no letters for section {}", section.id));
        assert_eq!(text.chars().count(), section.items.len(), "letters for {}", section.id);
        for (item, letter) in section.items.iter().zip(text.chars()) {
            let (status, reason) = match letter {
                'A' => ("automated", None),
                'M' => ("manual", None),
                'N' => ("not_done", None),
                'X' => ("not_applicable", Some("does not apply in this fixture")),
                '-' => continue,
                other => panic!("unknown letter {other:?}"),
            };
            answers.push(json!({ "id": item.id, "status": status, "reason": reason }));
        }
    }
    json!({ "rubric": r.id, "answers": answers }).to_string()
}

fn check_case(r: &Rubric, case: &Value, report: &RubricReport) -> Vec<String> {
    let mut problems = Vec::new();
    let expect = &case["expect"];
    let mut check = |what: &str, ok: bool, got: String, want: &Value| {
        if !ok {
            problems.push(format!("{what}: got {got}, expected {want}"));
        }
    };
    let sections: Vec<f64> = report.sections.iter().map(|s| s.score).collect();
    let want: Vec<f64> = expect["sections"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    check(
        "sections",
        sections.len() == want.len() && sections.iter().zip(&want).all(|(a, b)| close(*a, *b)),
        format!("{sections:?}"),
        &expect["sections"],
    );
    if let Some(max) = expect.get("max_points") {
        let got: Vec<f64> = report.sections.iter().map(|s| s.max_points).collect();
        let want: Vec<f64> = max.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        check("max_points", got == want, format!("{got:?}"), max);
    }
    let f = expect["final"].as_f64().unwrap();
    check("final", close(report.final_score, f), report.final_score.to_string(), &expect["final"]);
    let m = expect["max_final"].as_f64().unwrap();
    check(
        "max_final",
        close(report.max_final_score, m),
        report.max_final_score.to_string(),
        &expect["max_final"],
    );
    check("band", report.band.label == expect["band"], report.band.label.clone(), &expect["band"]);
    let in_gap = expect.get("in_gap").and_then(Value::as_bool).unwrap_or(false);
    check("in_gap", report.band.in_gap == in_gap, report.band.in_gap.to_string(), &json!(in_gap));
    check(
        "band note",
        report.band.note.is_some() == in_gap,
        format!("{:?}", report.band.note),
        &json!(in_gap),
    );
    check(
        "weakest",
        json!(report.weakest_sections) == expect["weakest"],
        format!("{:?}", report.weakest_sections),
        &expect["weakest"],
    );
    if let Some(steps) = expect.get("next_steps") {
        let got: Vec<(String, f64, String)> = report
            .next_steps
            .iter()
            .map(|s| (s.item.clone(), s.final_score_after, s.band_after.clone()))
            .collect();
        let want: Vec<(String, f64, String)> = steps
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s[0].as_str().unwrap().to_string(),
                    s[1].as_f64().unwrap(),
                    s[2].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let same = got.len() == want.len()
            && got.iter().zip(&want).all(|(a, b)| a.0 == b.0 && close(a.1, b.1) && a.2 == b.2);
        check("next_steps", same, format!("{got:?}"), steps);
    }
    // Whatever the case: counts add up, and every step's target earns the full point.
    let c = report.counts;
    assert_eq!(c.items, r.item_count());
    assert_eq!(c.not_done + c.manual + c.automated + c.not_applicable + c.unanswered, c.items);
    for step in &report.next_steps {
        assert_eq!(r.scoring.points.of(Some(step.to)), r.scoring.points.full());
    }
    problems
}

#[test]
fn scoring_fixtures() {
    let paths = files("scoring", ".json");
    assert_eq!(paths.len(), 3, "one fixture file per built-in rubric");
    let mut failures = Vec::new();
    let mut cases = 0;
    for path in &paths {
        let fixture: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let r = builtin(fixture["rubric"].as_str().unwrap());
        for case in fixture["cases"].as_array().unwrap() {
            cases += 1;
            let name = case["name"].as_str().unwrap();
            let text = letters_to_answers(r, &case["answers"]);
            let answers = parse_answers(r, "fixture.json", &text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let report = score(r, &answers, &Evidence::default());
            for p in check_case(r, case, &report) {
                failures.push(format!("{} / {name}: {p}", r.id));
            }
        }
    }
    assert!(cases >= 35, "only {cases} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------- answers files

/// What a parsed file looks like, for the expectations beside each answers fixture.
fn describe(r: &Rubric, result: &Result<Answers, rubric::AnswersError>) -> Value {
    match result {
        Err(e) => json!({
            "error": e.to_string().lines().collect::<Vec<_>>(),
            "codes": e.problems.iter().map(|p| p.kind.code()).collect::<Vec<_>>(),
        }),
        Ok(a) => {
            let report = score(r, a, &Evidence::default());
            json!({
                "rubric": a.rubric,
                "answers": a.answers,
                "sections": report.sections.iter().map(|s| s.score).collect::<Vec<_>>(),
                "final": report.final_score,
                "band": report.band.label,
            })
        }
    }
}

#[test]
fn answers_fixtures() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths = files("answers", ".csv");
    paths.extend(files("answers", ".json"));
    paths.sort();
    assert!(paths.len() >= 12, "fixtures missing: found {}", paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_str().unwrap();
        let text = fs::read_to_string(path).unwrap();
        // The rubric: the one the file names, else the default.
        let id = rubric::answers_rubric_id(&text).unwrap_or_else(|| rubric::DEFAULT_RUBRIC.to_string());
        let r = rubric::builtin(&id).unwrap_or_else(|| builtin(rubric::DEFAULT_RUBRIC));
        let got = describe(r, &parse_answers(r, name, &text));
        let expected_path = path.with_file_name(format!("{name}.expected.json"));
        if update {
            fs::write(&expected_path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value = serde_json::from_str(&fs::read_to_string(&expected_path).unwrap_or_default())
            .unwrap_or(Value::Null);
        if got != expected {
            failures.push(format!("{name}:\n  got      {got}\n  expected {expected}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_answers_rubric_id_is_read_from_either_format() {
    assert_eq!(
        rubric::answers_rubric_id("{\"rubric\": \"ml-test-score-2016\", \"answers\": []}").as_deref(),
        Some("ml-test-score-2016")
    );
    assert_eq!(
        rubric::answers_rubric_id(
            "\u{feff}id,rubric,status\n\ndata-1,,manual\ndata-2,production-readiness,\n"
        )
        .as_deref(),
        Some("production-readiness")
    );
    assert_eq!(rubric::answers_rubric_id("id,status\ndata-1,manual\n"), None);
    assert_eq!(rubric::answers_rubric_id("{not json"), None);
}

#[test]
fn written_answers_read_back_identically() {
    let r = builtin("ml-test-score-2017");
    let answers = Answers {
        rubric: r.id.clone(),
        source: "page".into(),
        answers: vec![
            Answer {
                id: "data-1".into(),
                status: Some(AnswerStatus::Automated),
                evidence: vec!["https://ci.example/job/1".into(), "docs/schema.md".into()],
                ..Answer::default()
            },
            Answer {
                id: "data-5".into(),
                status: Some(AnswerStatus::NotApplicable),
                reason: Some("no personal data, \"anonymised\" at source; see DPIA".into()),
                ..Answer::default()
            },
            Answer {
                id: "model-1".into(),
                status: Some(AnswerStatus::Manual),
                notes: Some("reviewed in PR #12,\nline two;\ttabbed — ünïcödé".into()),
                ..Answer::default()
            },
            Answer {
                id: "monitoring-7".into(),
                status: None,
                notes: Some("  leading space kept? no: trimmed".trim().into()),
                ..Answer::default()
            },
        ],
    };
    for format in [AnswersFormat::Csv, AnswersFormat::Json] {
        let text = write_answers(r, &answers, format);
        assert_eq!(AnswersFormat::detect(&text), format);
        let back = parse_answers(r, "page", &text).unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
        assert_eq!(back.answers, answers.answers, "{format:?}:\n{text}");
        // A saved file lists every item, answered or not, in rubric order.
        let rows = match format {
            AnswersFormat::Csv => text.lines().filter(|l| l.starts_with("ml-test-score-2017,")).count(),
            AnswersFormat::Json => {
                serde_json::from_str::<Value>(&text).unwrap()["answers"].as_array().unwrap().len()
            }
        };
        assert_eq!(rows, 28, "{format:?}");
    }
    // The CSV quotes what needs quoting and leaves the rest bare.
    let csv = write_answers(r, &answers, AnswersFormat::Csv);
    assert!(csv.starts_with("rubric,section,id,title,status,reason,evidence,notes\n"), "{csv}");
    assert!(csv.contains(
        "ml-test-score-2017,data,data-5,Privacy controls hold through the whole data pipeline,not_applicable,\"no personal data, \"\"anonymised\"\" at source; see DPIA\",,\n"
    ), "{csv}");
    assert!(csv.contains(",data-1,A schema records what every feature should look like,automated,,https://ci.example/job/1 docs/schema.md,\n"), "{csv}");
}

#[test]
fn templates_list_every_item_unanswered() {
    for id in rubric::builtin_ids() {
        let r = builtin(id);
        for format in [AnswersFormat::Csv, AnswersFormat::Json] {
            let text = template(r, format);
            assert_eq!(rubric::answers_rubric_id(&text).as_deref(), Some(id), "{format:?}");
            let answers = parse_answers(r, "template", &text).unwrap();
            // Every row carries a known id and nothing else: nothing answered, nothing rejected.
            assert_eq!(answers.answers, [], "{id} {format:?}");
            let report = score(r, &answers, &Evidence::default());
            assert_eq!(report.final_score, 0.0);
            assert_eq!(report.counts.unanswered, r.item_count());
        }
    }
}

#[test]
fn answers_for_another_rubric_are_refused() {
    let text = template(builtin("ml-test-score-2016"), AnswersFormat::Json);
    let e = parse_answers(builtin("ml-test-score-2017"), "a.json", &text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "a.json: rubric: these answers are for rubric \"ml-test-score-2016\", not \"ml-test-score-2017\""
    );
    let text = template(builtin("ml-test-score-2016"), AnswersFormat::Csv);
    let e = parse_answers(builtin("ml-test-score-2017"), "a.csv", &text).unwrap_err();
    assert_eq!(e.problems.len(), 20, "at most 20 problems are listed");
    assert_eq!(e.more, 8);
    assert!(
        e.to_string().starts_with(
            "a.csv: line 2, column \"rubric\": these answers are for rubric \"ml-test-score-2016\""
        ),
        "{e}"
    );
    assert!(e.to_string().ends_with("a.csv: and 8 more problems"), "{e}");
}

// ---------------------------------------------------------------- rubric validation

fn broken(edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(rubric::builtin_json("ml-test-score-2017").unwrap()).unwrap();
    edit(&mut v);
    Rubric::from_json("custom.json", &v.to_string()).unwrap_err().to_string()
}

#[test]
fn invalid_rubrics_are_refused_with_a_path() {
    assert_eq!(
        broken(|v| v["sections"][1]["items"][2]["id"] = json!("data-1")),
        "custom.json: sections[1].items[2].id: duplicate item id \"data-1\" (first at sections[0].items[0])"
    );
    assert_eq!(
        broken(|v| v["sections"][3]["id"] = json!("data")),
        "custom.json: sections[3].id: duplicate section id \"data\" (first at sections[0])"
    );
    assert_eq!(
        broken(|v| v["sections"][0]["items"][0]["sources"] = json!(["nobody2020"])),
        "custom.json: sections[0].items[0].sources[0]: unknown source \"nobody2020\""
    );
    assert_eq!(
        broken(|v| v["scoring"]["bands"][2]["min"] = json!(0.5)),
        "custom.json: scoring.bands[2]: overlaps the band \"(0, 1]\" below it"
    );
    assert_eq!(
        broken(|v| v["scoring"]["points"]["manual"] = json!(2)),
        "custom.json: scoring.points: need 0 <= manual <= automated, automated > 0, all finite"
    );
    assert_eq!(
        broken(|v| v["scoring"]["bands"][0]["min_inclusive"] = json!(false)),
        "custom.json: scoring.bands[0]: the lowest band must start at 0, included"
    );
    assert_eq!(
        broken(|v| v["schema"] = json!("modelgate-rubric/9")),
        "custom.json: schema: expected \"modelgate-rubric/1\", found \"modelgate-rubric/9\""
    );
    assert_eq!(
        broken(|v| v["sections"] = json!([])),
        "custom.json: sections: a rubric needs at least one section"
    );
    let unknown_kind = broken(|v| {
        v["sections"][0]["items"][0]["evidence"] = json!([{ "kind": "vibes", "role": "asserts" }])
    });
    assert!(unknown_kind.starts_with("custom.json: line 1, column "), "{unknown_kind}");
    assert!(unknown_kind.contains("unknown variant `vibes`"), "{unknown_kind}");
    let e = Rubric::from_json("custom.json", "{\"schema\": ").unwrap_err();
    assert_eq!(e.to_string(), "custom.json: line 1, column 11: EOF while parsing a value");
}

#[test]
fn a_custom_rubric_scores_like_a_builtin_one() {
    let mut v: Value = serde_json::from_str(rubric::builtin_json("ml-test-score-2016").unwrap()).unwrap();
    v["id"] = json!("team-rubric");
    let r = Rubric::from_json("team.json", &v.to_string()).unwrap();
    let answers = parse_answers(&r, "a.csv", "id,status\ndata-1,manual\n").unwrap();
    assert_eq!(score(&r, &answers, &Evidence::default()).sections[0].score, 1.0);
}

// ---------------------------------------------------------------- evidence

fn load(name: &str, text: &str) -> Dataset {
    let mut ingest = CsvIngest::new(name);
    ingest.push(text.as_bytes()).unwrap();
    ingest.finish().unwrap()
}

#[test]
fn evidence_fixtures() {
    let paths = files("evidence", ".json");
    assert!(paths.len() >= 3, "fixtures missing");
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_str().unwrap();
        let case: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let r = builtin(case["rubric"].as_str().unwrap());
        let answers = parse_answers(r, name, &letters_to_answers(r, &case["answers"])).unwrap();
        let evidence: Evidence = serde_json::from_value(case["evidence"].clone()).unwrap();
        let report = score(r, &answers, &evidence);
        let flags: Vec<Value> =
            report.flags.iter().map(|f| json!([f.item, f.kind, f.severity, f.message])).collect();
        if json!(flags) != case["expect"]["flags"] {
            failures.push(format!(
                "{name}: flags\n  got      {}\n  expected {}",
                json!(flags),
                case["expect"]["flags"]
            ));
        }
        for (id, want) in case["expect"]["beside"].as_object().unwrap() {
            let item = report.items.iter().find(|i| &i.id == id).unwrap();
            let got: Vec<Value> = item.evidence.iter().map(|e| json!([e.kind, e.role, e.passed])).collect();
            if json!(got) != *want {
                failures.push(format!("{name}: beside {id}\n  got      {}\n  expected {want}", json!(got)));
            }
        }
        if let Some(want) = case["expect"].get("checks") {
            let got: Vec<Value> =
                report.evidence.iter().map(|c| json!([c.kind, c.passed, c.summary])).collect();
            if json!(got) != *want {
                failures.push(format!("{name}: checks\n  got      {}\n  expected {want}", json!(got)));
            }
        }
        if let Some(want) = case["expect"].get("next_steps") {
            let got: Vec<Value> =
                report.next_steps.iter().map(|s| json!([s.item, s.blocked_by.is_some()])).collect();
            if json!(got) != *want {
                failures.push(format!("{name}: next_steps\n  got      {}\n  expected {want}", json!(got)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_drift_report_becomes_drift_schema_and_nan_checks() {
    let reference =
        load("train.csv", "a,b,c,d\n1,x,1.5,9\n2,y,2.5,8\n3,x,3.5,7\n4,y,4.5,6\n5,x,5.5,5\n6,y,6.5,4\n");
    let current =
        load("prod.csv", "a,b,c,e\n11,x,NaN,1\n12,y,inf,2\n13,x,3.5,3\n14,y,4.5,4\n15,x,5.5,5\n16,y,6.5,6\n");
    let report = drift_report(&reference, &current, &DriftOptions::default());
    let evidence = Evidence::from_drift(&report);
    let checks = evidence.checks();
    let got: Vec<(EvidenceKind, bool, &str)> =
        checks.iter().map(|c| (c.kind, c.passed, c.summary.as_str())).collect();
    // a: every current value above every reference value, exact KS p = 2/924 < 0.05.
    assert_eq!(
        got,
        [
            (EvidenceKind::Drift, false, "1 of 3 columns tested drifted between train.csv and prod.csv: a"),
            (
                EvidenceKind::Schema,
                false,
                "prod.csv lacks 1 reference column: d; 1 column is new in prod.csv: e"
            ),
            (
                EvidenceKind::NanInf,
                false,
                "non-finite values in prod.csv where train.csv has none: c (1 NaN, 1 +inf)"
            ),
        ]
    );

    // The whole-run report carries the same evidence.
    let whole = modelgate_core::report::Report::new().with_drift(&report);
    assert_eq!(Evidence::from(&whole), evidence);
    assert!(Evidence::from(&modelgate_core::report::Report::new()).is_empty());

    // The page hands the report's JSON, not the Rust value: both give the same evidence.
    let from_json: DriftEvidence = serde_json::from_value(serde_json::to_value(&report).unwrap()).unwrap();
    assert_eq!(Some(from_json), evidence.drift);

    // Monitoring 2 (data invariants hold) answered automated is contradicted twice.
    let r = builtin("ml-test-score-2017");
    let answers = parse_answers(r, "a.csv", "id,status\nmonitoring-2,automated\ndata-1,automated\n").unwrap();
    let scored = score(r, &answers, &evidence);
    let flagged: Vec<(&str, EvidenceKind, Severity)> =
        scored.flags.iter().map(|f| (f.item.as_str(), f.kind, f.severity)).collect();
    assert_eq!(
        flagged,
        [
            ("monitoring-2", EvidenceKind::Schema, Severity::Error),
            ("monitoring-2", EvidenceKind::NanInf, Severity::Error)
        ]
    );
    assert_eq!(
        scored.flags[0].message,
        "answered automated, but this run's schema check fails: prod.csv lacks 1 reference column: d; 1 column is new in prod.csv: e"
    );
    assert!(scored.has_contradictions());
    // Data 1 only shows the checks beside it: a schema in place is not disproved by drift.
    let data1 = scored.items.iter().find(|i| i.id == "data-1").unwrap();
    assert_eq!(data1.flag, None);
    assert_eq!(data1.evidence.len(), 2);

    // Identical files: every check passes and nothing is flagged.
    let same = drift_report(&reference, &reference, &DriftOptions::default());
    let checks = Evidence::from_drift(&same).checks();
    assert!(checks.iter().all(|c| c.passed), "{checks:?}");
    assert_eq!(checks[1].summary, "all 4 columns of train.csv are in train.csv with the same types");
    assert!(!score(r, &answers, &Evidence::from_drift(&same)).has_contradictions());
}

#[test]
fn an_untestable_drift_report_adds_no_drift_check() {
    let reference = load("a.csv", "day\n2024-01-01\n2024-01-02\n2024-01-03\n");
    let report = drift_report(&reference, &reference, &DriftOptions::default());
    assert_eq!(report.tested_columns, 0);
    let kinds: Vec<EvidenceKind> = Evidence::from_drift(&report).checks().iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [EvidenceKind::Schema, EvidenceKind::NanInf]);
}

#[test]
fn evidence_refuses_unknown_keys() {
    let e = serde_json::from_value::<Evidence>(json!({ "baselin": {} })).unwrap_err();
    assert!(e.to_string().starts_with("unknown field `baselin`"), "{e}");
    assert!(serde_json::from_value::<Evidence>(json!({})).unwrap().is_empty());
}

#[test]
fn truncated_and_garbled_answers_give_errors_not_panics() {
    let r = builtin("ml-test-score-2017");
    let mut inputs: Vec<String> = vec![
        "\"".into(),
        "id,status\n\"data-1".into(),
        "id,status\n\"data-1,manual\n".into(),
        "{".into(),
        "[".into(),
        "{\"answers\": [null, 1, [], {}]}".into(),
        "{\"answers\": {\"id\": \"data-1\"}}".into(),
        "\u{feff}".into(),
        "id;status;notes\ndata-1;automated;\"x\ny\"\"\"".into(),
        ",,,\n,,,\n".into(),
        "id\n".into(),
        "status\nmanual\n".into(),
        "ID , Status \n data-1 , manual \n".into(),
    ];
    for path in files("answers", ".csv").into_iter().chain(files("answers", ".json")) {
        let text = fs::read_to_string(path).unwrap();
        // Every prefix (on character boundaries), and the text with each quote removed.
        for (i, _) in text.char_indices() {
            inputs.push(text[..i].to_string());
        }
        inputs.push(text.replacen('"', "", 1));
    }
    let mut parsed = 0;
    for text in &inputs {
        match parse_answers(r, "x", text) {
            Ok(answers) => {
                parsed += 1;
                // Whatever parses also scores and writes back.
                let _ = score(r, &answers, &Evidence::default());
                let again = parse_answers(r, "x", &write_answers(r, &answers, AnswersFormat::Csv)).unwrap();
                assert_eq!(again.answers, answers.answers, "{text:?}");
            }
            Err(e) => assert!(!e.problems.is_empty(), "{text:?}"),
        }
    }
    assert!(parsed > 50 && parsed < inputs.len(), "{parsed} of {}", inputs.len());
    // Lenient header names: trimmed and case-insensitive.
    let a = parse_answers(r, "x", "ID , Status \n data-1 , manual \n").unwrap();
    assert_eq!(a.answers[0].status, Some(AnswerStatus::Manual));
}

#[test]
fn a_rubric_that_skipped_validation_still_scores_without_panicking() {
    // Deserialize bypasses `from_json`'s validation; scoring must cope.
    let mut v: Value = serde_json::from_str(rubric::builtin_json("ml-test-score-2017").unwrap()).unwrap();
    v["scoring"]["bands"] = json!([]);
    v["sections"] = json!([]);
    let r: Rubric = serde_json::from_value(v).unwrap();
    let report = score(&r, &Answers::empty(&r, "x"), &Evidence::default());
    assert_eq!(report.final_score, 0.0);
    assert_eq!(report.band.note.as_deref(), Some("the rubric defines no bands"));
    assert_eq!(report.next_steps, []);
}

/// Found by the `rubric_answers` fuzz target: a CSV record longer than the
/// reader's first buffer (1 KB) or with more than 16 fields had its field ends
/// shifted twice, which misread the record or panicked. The fuzzer's input must
/// be an error, not a panic; a long reason must be read whole.
#[test]
fn answers_csv_does_not_panic_on_a_record_longer_than_the_buffer() {
    let r = builtin("ml-test-score-2017");
    let crash = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/fuzz-regressions/answers_record_past_buffer.txt"),
    )
    .unwrap();
    assert!(parse_answers(r, "crash.csv", &String::from_utf8_lossy(&crash)).is_err());

    let reason = "because ".repeat(300).trim_end().to_string();
    let text = format!(
        "id,status,reason\ndata-1,not_applicable,\"{reason}\"\nmodel-1,manual,{}\n",
        "x".repeat(2000)
    );
    let answers = parse_answers(r, "long.csv", &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answers.answers.len(), 2);
    assert_eq!(answers.answers[0].reason.as_deref(), Some(reason.as_str()));
    assert_eq!(answers.answers[1].reason.as_deref(), Some("x".repeat(2000).as_str()));
}
