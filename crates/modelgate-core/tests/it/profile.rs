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

/// Found by the `profile_file` fuzz target: a profile file whose
/// `number_categories` were out of order (or held a zero count) was accepted,
/// and drift's running totals over them then underflowed. Such a file is now a
/// malformed profile.
#[test]
fn profile_file_with_unsorted_number_categories_is_an_error() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/fuzz-regressions/profile_unsorted_number_categories.json");
    let text = std::fs::read_to_string(path).unwrap();
    let e = DatasetProfile::from_json("bad.json", &text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "bad.json: malformed profile: column \"age\": number_categories must be finite, distinct and \
         ascending, with counts adding up to the finite numbers"
    );
    // The same file with the categories in order is fine, and drifts against itself nowhere.
    let fixed = text.replace("[2136,2]", "[21.0,2]").replace("[31.0,0]", "[31.0,1]");
    let p = DatasetProfile::from_json("good.json", &fixed).unwrap_or_else(|e| panic!("{e}"));
    let report = modelgate_core::drift_report(&p, &p, &modelgate_core::DriftOptions::default());
    assert!(report.columns.iter().all(|c| !c.drifted));
}
