//! `stats::ks` against scipy, through `tests/data/golden/ks.json`
//! (regenerate with `python3 tests/golden/generate.py`).
//!
//! Every case must match: statistic and p-value to 1e-9 relative (absolute
//! floor 1e-300, for p-values that underflow), and the method scipy took.

use modelgate_core::stats::ks::{kolmogorov_sf, ks_2samp, smirnov_sf};
use serde_json::Value;

const FIXTURE: &str = include_str!("../../../../tests/data/golden/ks.json");
const REL_TOL: f64 = 1e-9;
const ABS_FLOOR: f64 = 1e-300;

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("ks.json is not valid JSON")
}

/// Relative closeness with an absolute floor; exact equality covers 0 == 0.
fn close(got: f64, want: f64) -> bool {
    got == want || (got - want).abs() <= (REL_TOL * want.abs()).max(ABS_FLOOR)
}

fn num(case: &Value, key: &str, name: &str) -> f64 {
    case[key].as_f64().unwrap_or_else(|| panic!("{name}: `{key}` is not a number"))
}

/// Parses a repr string exactly (std's parser is correctly rounded).
fn parse_repr(v: &Value, name: &str) -> f64 {
    v.as_str()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("{name}: sample value {v} is not a float string"))
}

/// The "grid" recipe of `tests/golden/generate.py`, with the same float
/// operations in the same order.
fn grid(recipe: &Value, name: &str) -> Vec<f64> {
    assert_eq!(recipe["recipe"], "grid", "{name}: unknown recipe");
    let n = recipe["n"].as_u64().unwrap_or_else(|| panic!("{name}: recipe without n"));
    let power = recipe["power"].as_u64().unwrap_or_else(|| panic!("{name}: recipe without power"));
    let scale = num(recipe, "scale", name);
    let shift = num(recipe, "shift", name);
    let step = recipe["step"].as_f64();
    let nf = n as f64;
    let xs: Vec<f64> = (0..n)
        .map(|i| {
            let u = (i as f64 + 0.5) / nf;
            let v = if power == 1 { u } else { u * u };
            let x = v * scale + shift;
            match step {
                Some(t) => (x / t).floor() * t,
                None => x,
            }
        })
        .collect();
    let probes = recipe["probe"].as_object().unwrap_or_else(|| panic!("{name}: recipe without probe"));
    for (index, want) in probes {
        let i: usize = index.parse().unwrap_or_else(|_| panic!("{name}: bad probe index {index}"));
        assert_eq!(xs[i], parse_repr(want, name), "{name}: recipe value {i} differs from numpy's");
    }
    xs
}

/// A sample: a list of repr strings, or a recipe. Returned sorted.
fn sample(v: &Value, name: &str) -> Vec<f64> {
    let mut xs = match v {
        Value::Array(items) => items.iter().map(|x| parse_repr(x, name)).collect(),
        Value::Object(_) => grid(v, name),
        _ => panic!("{name}: sample is neither a list nor a recipe"),
    };
    xs.sort_by(f64::total_cmp);
    xs
}

#[test]
fn ks_2samp_matches_scipy() {
    let fixture = fixture();
    let cases = fixture["cases"].as_array().expect("ks.json: no cases");
    assert!(cases.len() >= 40, "ks.json: only {} ks_2samp cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("ks.json: case without a name");
        let a = sample(&case["a"], name);
        let b = sample(&case["b"], name);
        assert_eq!(a.len() as u64, case["n1"].as_u64().unwrap(), "{name}: n1");
        assert_eq!(b.len() as u64, case["n2"].as_u64().unwrap(), "{name}: n2");
        let got = ks_2samp(&a, &b).unwrap_or_else(|| panic!("{name}: ks_2samp returned None"));
        let (want_d, want_p) = (num(case, "statistic", name), num(case, "p_value", name));
        let method = serde_json::to_value(got.method).unwrap();
        if !close(got.statistic, want_d) {
            failures.push(format!("{name}: statistic {} != scipy {want_d}", got.statistic));
        }
        if !close(got.p_value, want_p) {
            failures.push(format!("{name}: p-value {:e} != scipy {want_p:e}", got.p_value));
        }
        if method != case["method"] {
            failures.push(format!("{name}: method {method} != scipy {}", case["method"]));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn kolmogorov_sf_matches_scipy_kstwo_sf() {
    let fixture = fixture();
    let cases = fixture["kstwo_sf"].as_array().expect("ks.json: no kstwo_sf cases");
    assert!(cases.len() >= 100, "ks.json: only {} kstwo_sf cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let n = case["n"].as_u64().expect("kstwo_sf case without n");
        let x = parse_repr(&case["x"], "kstwo_sf case");
        let name = format!("kstwo.sf(x={x:e}, n={n}) [{}]", case["regime"]);
        let want = num(case, "sf", &name);
        let got = kolmogorov_sf(n, x);
        if !close(got, want) {
            failures.push(format!("{name}: {got:e} != scipy {want:e}"));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn smirnov_sf_matches_scipy_special_smirnov() {
    let fixture = fixture();
    let cases = fixture["smirnov_sf"].as_array().expect("ks.json: no smirnov_sf cases");
    assert!(cases.len() >= 100, "ks.json: only {} smirnov_sf cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let n = case["n"].as_u64().expect("smirnov_sf case without n");
        let x = parse_repr(&case["x"], "smirnov_sf case");
        let name = format!("smirnov(n={n}, x={x:e}) [{}]", case["regime"]);
        let want = num(case, "sf", &name);
        let got = smirnov_sf(n, x);
        if !close(got, want) {
            failures.push(format!("{name}: {got:e} != scipy {want:e}"));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
