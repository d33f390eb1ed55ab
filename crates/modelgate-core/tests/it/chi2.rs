//! `stats::chi2` against `scipy.stats.chi2_contingency`, through
//! `tests/data/golden/chi2.json` (regenerate with `python3 tests/golden/generate.py`).

use modelgate_core::stats::chi2::chi2_homogeneity;
use serde_json::Value;

const FIXTURE: &str = include_str!("../../../../tests/data/golden/chi2.json");
const REL_TOL: f64 = 1e-9;
/// A statistic that scipy computes as exactly 0 may come out as rounding
/// noise in another but equivalent order of operations.
const STATISTIC_ABS_FLOOR: f64 = 1e-12;
/// p-values that underflow.
const P_ABS_FLOOR: f64 = 1e-300;

fn close(got: f64, want: f64, floor: f64) -> bool {
    got == want || (got - want).abs() <= (REL_TOL * want.abs()).max(floor)
}

fn counts(case: &Value, key: &str, name: &str) -> Vec<u64> {
    case[key]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: `{key}` is not a list"))
        .iter()
        .map(|v| v.as_u64().unwrap_or_else(|| panic!("{name}: `{key}` holds {v}, not a count")))
        .collect()
}

fn num(case: &Value, key: &str, name: &str) -> f64 {
    case[key].as_f64().unwrap_or_else(|| panic!("{name}: `{key}` is not a number"))
}

#[test]
fn chi2_homogeneity_matches_scipy() {
    let fixture: Value = serde_json::from_str(FIXTURE).expect("chi2.json is not valid JSON");
    let cases = fixture["cases"].as_array().expect("chi2.json: no cases");
    assert!(cases.len() >= 10, "chi2.json: only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("chi2.json: case without a name");
        let reference = counts(case, "ref_counts", name);
        let current = counts(case, "cur_counts", name);
        let Some(got) = chi2_homogeneity(&reference, &current) else {
            failures.push(format!("{name}: chi2_homogeneity returned None"));
            continue;
        };
        let want_stat = num(case, "statistic", name);
        let want_p = num(case, "p_value", name);
        let want_dof = case["dof"].as_u64().unwrap_or_else(|| panic!("{name}: `dof` is not a count"));
        if !close(got.statistic, want_stat, STATISTIC_ABS_FLOOR) {
            failures.push(format!("{name}: statistic {} != scipy {want_stat}", got.statistic));
        }
        if !close(got.p_value, want_p, P_ABS_FLOOR) {
            failures.push(format!("{name}: p-value {:e} != scipy {want_p:e}", got.p_value));
        }
        if got.dof != want_dof {
            failures.push(format!("{name}: dof {} != scipy {want_dof}", got.dof));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn chi2_homogeneity_rejects_empty_rows() {
    assert!(chi2_homogeneity(&[0, 0], &[3, 4]).is_none(), "empty reference row");
    assert!(chi2_homogeneity(&[3, 4], &[0, 0]).is_none(), "empty current row");
}
