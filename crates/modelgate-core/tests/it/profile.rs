//! Profiles: chunks profiled apart and merged equal the profile of the whole, in
//! any order; the profile file round-trips; bad files are errors naming the file.

use modelgate_core::{DatasetProfile, ProfileBuilder, ProfileOptions};

/// A seeded table of mixed columns: numeric, integer codes, categories, booleans, text, nulls.
fn rows(n: usize) -> Vec<[String; 5]> {
    let mut state = 0x1234_5678_u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    (0..n)
        .map(|i| {
            let u = next();
            [
                if i % 17 == 0 { String::new() } else { format!("{:.4}", u * 100.0 - 30.0) },
                ((u * 7.0) as u32).to_string(),
                ["red", "green", "blue"][(u * 3.0) as usize % 3].to_string(),
                if u < 0.3 { "yes" } else { "no" }.to_string(),
                if i % 50 == 0 { "NaN".into() } else { format!("w{}", (u * 20_000.0) as u32) },
            ]
        })
        .collect()
}

fn build(rows: &[[String; 5]], options: ProfileOptions) -> DatasetProfile {
    let mut b = ProfileBuilder::new("t", &["x", "code", "colour", "flag", "word"], options);
    for r in rows {
        b.push_row(r);
    }
    b.finish()
}

fn merged(chunks: &[&[[String; 5]]], options: ProfileOptions) -> DatasetProfile {
    let mut parts: Vec<DatasetProfile> = chunks.iter().map(|c| build(c, options)).collect();
    let mut out = parts.remove(0);
    for p in &parts {
        out.merge(p).unwrap();
    }
    out
}

#[test]
fn merge_equals_the_whole_exactly_in_any_order() {
    let data = rows(5000);
    let options = ProfileOptions { sample_rows: 700, ..Default::default() };
    let whole = build(&data, options);
    let (a, rest) = data.split_at(1234);
    let (b, c) = rest.split_at(2000);
    assert_eq!(merged(&[a, b, c], options), whole);
    assert_eq!(merged(&[c, a, b], options), whole);
    // Associativity: (a + b) + c == a + (b + c).
    let mut bc = build(b, options);
    bc.merge(&build(c, options)).unwrap();
    let mut left = build(a, options);
    left.merge(&bc).unwrap();
    assert_eq!(left, whole);
    assert!(whole.sample.truncated && whole.sample.len() == 700);
}

#[test]
fn past_the_exact_cap_everything_but_the_float_moments_merges_exactly() {
    let data = rows(6000);
    let options = ProfileOptions { exact_values: 1000, sample_rows: 300, ..Default::default() };
    let whole = build(&data, options);
    assert!(!whole.columns[0].exact && whole.columns[0].sketch.is_some());
    let mut m = merged(&[&data[4000..], &data[..1500], &data[1500..4000]], options);
    for (a, b) in m.columns.iter_mut().zip(&whole.columns) {
        let (ma, mb) = (a.moments, b.moments);
        assert_eq!(ma.n, mb.n);
        assert!((ma.mean - mb.mean).abs() <= 1e-12 * mb.mean.abs().max(1.0), "{}: mean", a.name);
        assert!((ma.m2 - mb.m2).abs() <= 1e-10 * mb.m2.abs().max(1.0), "{}: m2", a.name);
        a.moments = b.moments;
    }
    assert_eq!(m, whole);
}

#[test]
fn the_profile_file_round_trips() {
    for options in [
        ProfileOptions::default(),
        ProfileOptions { exact_values: 500, sample_rows: 50, ..Default::default() },
    ] {
        let p = build(&rows(3000), options);
        let text = p.to_json();
        let back = DatasetProfile::from_json("t.profile.json", &text).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.to_json(), text);
    }
}

/// A profile's exact values as a hand-over carries them.
fn exact_values(p: &DatasetProfile) -> Vec<Option<Vec<f64>>> {
    p.columns.iter().map(|c| c.exact.then(|| c.values.clone())).collect()
}

#[test]
fn the_hand_over_round_trips_and_refuses_damage() {
    for options in [
        ProfileOptions::default(),
        ProfileOptions { exact_values: 500, sample_rows: 50, ..Default::default() },
    ] {
        let p = build(&rows(3000), options);
        let head = p.hand_over_head();
        let back = DatasetProfile::from_hand_over("worker", &head, exact_values(&p)).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.to_json(), p.to_json());
        // A cut JSON part is an error, never a panic or a short profile.
        for cut in [0, 5, head.len() / 2, head.len() - 1] {
            let e = DatasetProfile::from_hand_over("worker", &head[..cut], exact_values(&p)).unwrap_err();
            assert!(e.to_string().starts_with("worker: "), "{e}");
        }
    }
    let p = build(&rows(10), ProfileOptions::default());
    let head = p.hand_over_head();
    let name = &p.columns[0].name;
    assert!(p.columns[0].values[0] < p.columns[0].values[1]);
    let refused = |values: Vec<Option<Vec<f64>>>| {
        DatasetProfile::from_hand_over("worker", &head, values).unwrap_err().to_string()
    };
    let with_first = |f: &dyn Fn(&mut Vec<f64>)| {
        let mut values = exact_values(&p);
        f(values[0].as_mut().unwrap());
        values
    };
    let order = format!("worker: malformed profile: column \"{name}\": values must be finite and ascending");
    assert_eq!(refused(with_first(&|v| v.swap(0, 1))), order);
    assert_eq!(refused(with_first(&|v| v[1] = f64::NAN)), order);
    assert_eq!(refused(with_first(&|v| v[0] = f64::NEG_INFINITY)), order);
    assert_eq!(
        refused(with_first(&|v| v.push(1e9))),
        format!(
            "worker: malformed profile: column \"{name}\": value counts do not add up to the finite numbers"
        )
    );
    let mut values = exact_values(&p);
    values[0] = None;
    assert_eq!(
        refused(values),
        format!("worker: malformed profile: column \"{name}\": an exact column without values")
    );
    let mut values = exact_values(&p);
    values.pop();
    assert_eq!(refused(values), "worker: malformed profile hand-over: 4 value arrays for 5 columns");
    // The exact values travel beside the JSON part, never in it.
    let e = DatasetProfile::from_hand_over("worker", p.to_json().as_bytes(), exact_values(&p)).unwrap_err();
    assert_eq!(e.to_string(), "worker: malformed profile hand-over: exact values in the JSON part");
}

#[test]
fn a_profile_without_rows_keeps_every_column_and_no_row() {
    let p = build(&rows(3000), ProfileOptions::default());
    assert!(!p.sample.is_empty());
    let bare = p.without_rows();
    assert_eq!(bare.sample.len(), 0);
    assert_eq!(bare.columns, p.columns);
    let text = bare.to_json();
    let back = DatasetProfile::from_json("bare.json", &text).unwrap();
    assert_eq!(back, bare);
    // A word that only a row of the sample would carry next to the others is gone.
    assert!(p.to_json().contains("\"rows\":[["));
    assert!(text.contains("\"rows\":[]"), "{}", &text[text.len().saturating_sub(200)..]);
    // Drift against it still tests every column.
    let current = build(&rows(500), ProfileOptions::default());
    let full = modelgate_core::drift_report(&p, &current, &Default::default());
    let summary = modelgate_core::drift_report(&bare, &current, &Default::default());
    assert_eq!(full.columns, summary.columns);
}

#[test]
fn bad_profile_files_are_errors_naming_the_file() {
    let good = build(&rows(100), ProfileOptions::default()).to_json();
    let cases = [
        ("not json", "p.json: not a JSON profile"),
        ("{\"format\": \"other\"}", "p.json: not a modelgate profile"),
        ("{\"format\": \"modelgate-profile\", \"version\": 2}", "p.json: unsupported profile version 2"),
        (
            &good.replacen("\"rows\":100", "\"rows\":101", 1),
            "p.json: malformed profile: column \"x\": cell counts do not add up",
        ),
        (
            &good.replacen("\"integral\"", "\"surprise\":1,\"integral\"", 1),
            "p.json: malformed profile: unknown field `surprise`",
        ),
    ];
    for (text, message) in cases {
        let err = DatasetProfile::from_json("p.json", text).unwrap_err().to_string();
        assert!(err.starts_with(message), "{err}");
    }
}

#[test]
fn different_headers_do_not_merge() {
    let mut a = ProfileBuilder::new("a", &["x"], ProfileOptions::default()).finish();
    let b = ProfileBuilder::new("b", &["y"], ProfileOptions::default()).finish();
    assert_eq!(a.merge(&b).unwrap_err().to_string(), "b: cannot merge into a: the columns differ");
}

/// Hostile corpus `profile_exact_bomb_small`: values are run-length encoded, so a
/// 637-byte profile claiming 100,000,000 copies of one value made `modelgate
/// drift --reference-profile` allocate 786 MB (and 600,000,000 copies, 4.8 GB)
/// before any check refused it. The copies now count against one budget for the
/// whole file, checked before allocating.
#[test]
fn regression_profile_exact_value_bomb_is_refused_before_allocating() {
    let column = |name: &str, n: u64| {
        format!(
            r#"{{"name":"{name}","type":"numeric","counts":{{"rows":{n},"nulls":0,"nan":0,"pos_inf":0,"neg_inf":0,"numbers":{n},"booleans":0,"datetimes":0,"text":0}},"integral":{n},"exact_cap":1099511627776,"exact":true,"values":[1.5],"value_counts":[{n}],"moments":{{"n":{n},"mean":1.5,"m2":0,"min":1.5,"max":1.5}}}}"#
        )
    };
    let file = |n: u64, columns: &[&str]| {
        let cols: Vec<String> = columns.iter().map(|c| column(c, n)).collect();
        format!(
            r#"{{"format":"modelgate-profile","version":1,"source":"x.csv","rows":{n},"delimiter":",","options":{{"exact_values":1000000,"exact_budget":8000000,"sample_rows":10000}},"columns":[{}],"sample":{{"cap":10000,"truncated":false,"counts":[],"rows":[]}}}}"#,
            cols.join(",")
        )
    };
    let limit = modelgate_core::limits::MAX_PROFILE_EXACT_VALUES;
    let err = DatasetProfile::from_json("p.json", &file(100_000_000, &["x"])).unwrap_err().to_string();
    assert_eq!(
        err,
        "p.json: malformed profile: column \"x\": more exact values than a profile may hold (16777216 over all columns)"
    );
    // The budget is for the whole file: two columns at the limit between them pass, one more value does not.
    let half = limit / 2;
    let ok = DatasetProfile::from_json("p.json", &file(half, &["a", "b"])).unwrap();
    assert_eq!(ok.columns[1].values.len() as u64, half);
    let err = DatasetProfile::from_json("p.json", &file(half + 1, &["a", "b"])).unwrap_err().to_string();
    assert!(err.contains("column \"b\": more exact values than a profile may hold"), "{err}");
}

/// A profile file the `profile_file` fuzz target found (in
/// `tests/data/fuzz-regressions/`): it must be refused with `error`, and with
/// `fixes` applied it must load and drift against itself nowhere.
fn refused_then_fixed(file: &str, error: &str, fixes: &[(&str, &str)]) -> modelgate_core::DriftReport {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/fuzz-regressions").join(file);
    let text = std::fs::read_to_string(path).unwrap();
    let e = DatasetProfile::from_json("bad.json", &text).unwrap_err();
    assert_eq!(e.to_string(), format!("bad.json: malformed profile: {error}"));
    let fixed = fixes.iter().fold(text, |t, (from, to)| t.replace(from, to));
    let p = DatasetProfile::from_json("good.json", &fixed).unwrap_or_else(|e| panic!("{e}"));
    let report = modelgate_core::drift_report(&p, &p, &modelgate_core::DriftOptions::default());
    assert!(report.columns.iter().all(|c| !c.drifted));
    report
}

/// Found by the `profile_file` fuzz target: a profile file whose
/// `number_categories` were out of order (or held a zero count) was accepted,
/// and drift's running totals over them then underflowed. Such a file is now a
/// malformed profile; with the categories in order it is fine.
#[test]
fn profile_file_with_unsorted_number_categories_is_an_error() {
    refused_then_fixed(
        "profile_unsorted_number_categories.json",
        "column \"age\": number_categories must be finite, distinct and ascending, with counts adding up \
         to the finite numbers",
        &[("[2136,2]", "[21.0,2]"), ("[31.0,0]", "[31.0,1]")],
    );
}

/// Found by the `profile_file` fuzz target: past the exact cap a column's moments
/// come from the file, and one saying min 5, max 1 (or giving neither) was
/// accepted; drift's bin edges, which span min to max, then descended and a bin
/// count underflowed (a panic in a debug build, a wrong count in a release one).
/// Such moments are now a malformed profile; with each column's true range it is fine.
#[test]
fn profile_file_with_min_above_max_is_an_error() {
    let report = refused_then_fixed(
        "profile_min_above_max.json",
        "column \"a\": moments must be finite, with min at most max and m2 not negative",
        &[
            (r#""min":5.0,"max":1.0"#, r#""min":0.0,"max":39.0"#),
            (r#""min":5.0,"max":3.0"#, r#""min":0.0,"max":3.0"#),
            (r#""m2":8.844488888888819e+26}"#, r#""m2":35.875,"min":10.0,"max":14.75}"#),
        ],
    );
    assert_eq!(report.columns.len(), 3);
}
