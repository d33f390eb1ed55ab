//! `stats::psi` against the numpy reference implementation in
//! `tests/golden/generate.py`, through `tests/data/golden/psi.json`.

use modelgate_core::stats::psi::psi_quantile_bins;
use serde_json::Value;

const FIXTURE: &str = include_str!("../../../../tests/data/golden/psi.json");
const REL_TOL: f64 = 1e-9;
/// Edges and PSI are O(1) numbers; an expected 0 may come out as rounding noise.
const ABS_FLOOR: f64 = 1e-12;

fn close(got: f64, want: f64) -> bool {
    got == want || (got - want).abs() <= (REL_TOL * want.abs()).max(ABS_FLOOR)
}

/// A sample stored as repr strings, parsed exactly (std's parser is correctly
/// rounded) and sorted, as `psi_quantile_bins` requires.
fn sample(case: &Value, key: &str, name: &str) -> Vec<f64> {
    let mut xs: Vec<f64> = case[key]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: `{key}` is not a list"))
        .iter()
        .map(|v| {
            v.as_str()
                .and_then(|s| s.parse::<f64>().ok())
                .unwrap_or_else(|| panic!("{name}: `{key}` holds {v}, not a float string"))
        })
        .collect();
    xs.sort_by(f64::total_cmp);
    xs
}

fn floats(case: &Value, key: &str, name: &str) -> Vec<f64> {
    case[key]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: `{key}` is not a list"))
        .iter()
        .map(|v| v.as_f64().unwrap_or_else(|| panic!("{name}: `{key}` holds {v}, not a number")))
        .collect()
}

fn counts(case: &Value, key: &str, name: &str) -> Vec<u64> {
    case[key]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: `{key}` is not a list"))
        .iter()
        .map(|v| v.as_u64().unwrap_or_else(|| panic!("{name}: `{key}` holds {v}, not a count")))
        .collect()
}

#[test]
fn psi_quantile_bins_matches_numpy_reference() {
    let fixture: Value = serde_json::from_str(FIXTURE).expect("psi.json is not valid JSON");
    let cases = fixture["cases"].as_array().expect("psi.json: no cases");
    assert!(cases.len() >= 6, "psi.json: only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("psi.json: case without a name");
        let bins = case["bins"].as_u64().unwrap_or_else(|| panic!("{name}: `bins` is not a count")) as usize;
        let reference = sample(case, "reference", name);
        let current = sample(case, "current", name);
        let Some(got) = psi_quantile_bins(&reference, &current, bins) else {
            failures.push(format!("{name}: psi_quantile_bins returned None"));
            continue;
        };
        let want_edges = floats(case, "edges", name);
        if got.edges.len() != want_edges.len()
            || !got.edges.iter().zip(&want_edges).all(|(&g, &w)| close(g, w))
        {
            failures.push(format!("{name}: edges {:?} != numpy {want_edges:?}", got.edges));
        }
        let want_ref = counts(case, "ref_counts", name);
        if got.reference_counts != want_ref {
            failures
                .push(format!("{name}: reference counts {:?} != numpy {want_ref:?}", got.reference_counts));
        }
        let want_cur = counts(case, "cur_counts", name);
        if got.current_counts != want_cur {
            failures.push(format!("{name}: current counts {:?} != numpy {want_cur:?}", got.current_counts));
        }
        let want_psi = case["psi"].as_f64().unwrap_or_else(|| panic!("{name}: `psi` is not a number"));
        if !close(got.psi, want_psi) {
            failures.push(format!("{name}: psi {} != numpy {want_psi}", got.psi));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn psi_quantile_bins_rejects_empty_samples() {
    assert!(psi_quantile_bins(&[], &[1.0], 10).is_none(), "empty reference");
    assert!(psi_quantile_bins(&[1.0], &[], 10).is_none(), "empty current");
}
