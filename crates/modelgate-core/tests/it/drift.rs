//! Every drift method against Evidently, scipy and numpy (tests/data/golden/drift.json,
//! written by tests/golden/generate_drift.py), through the profile path every host uses.

use std::path::Path;

use modelgate_core::stats::corr;
use modelgate_core::{
    drift_report, ColumnDrift, DatasetProfile, DriftOptions, ProfileBuilder, ProfileOptions,
};
use serde_json::Value;

fn golden() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/golden/drift.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn cells(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect()
}

fn profile(name: &str, cells: &[String], options: ProfileOptions) -> DatasetProfile {
    let mut b = ProfileBuilder::new(name, &["x"], options);
    for c in cells {
        b.push_row(&[c.as_str()]);
    }
    b.finish()
}

fn number(v: &Value) -> f64 {
    match v {
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "nan" => f64::NAN,
        _ => v.as_f64().unwrap(),
    }
}

fn close(got: f64, expected: f64, rel: f64) -> bool {
    got == expected || (got - expected).abs() <= rel * expected.abs().max(f64::MIN_POSITIVE)
}

fn column_report(case: &Value, options: ProfileOptions) -> ColumnDrift {
    let r = profile("reference", &cells(&case["reference"]), options);
    let c = profile("current", &cells(&case["current"]), options);
    let report = drift_report(&r, &c, &DriftOptions::default());
    report.columns.into_iter().next().unwrap()
}

#[test]
fn every_method_matches_evidently_and_scipy() {
    let data = golden();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in data["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let col = column_report(case, ProfileOptions::default());
        assert!(col.exact, "{name}: exact path");
        for (key, expected) in case["expected"].as_object().unwrap() {
            if key == "default_method" {
                let got = col.method.map(|m| m.as_str()).unwrap_or("none");
                if got != expected.as_str().unwrap() {
                    failures.push(format!("{name}: default method {got}, Evidently picks {expected}"));
                }
                continue;
            }
            let expected = number(expected);
            let metric = match key.as_str() {
                // Evidently's 2 * (1 - cdf) rounds to 0 below 1e-16; ours keeps the digits.
                "z_p_value" if expected < 1e-12 => continue,
                "z_p_value_exact" => "z_p_value",
                k => k,
            };
            let Some(&got) = col.metrics.get(metric) else {
                failures.push(format!("{name}: no metric {metric}"));
                continue;
            };
            checked += 1;
            if !close(got, expected, 1e-9) {
                failures.push(format!("{name}: {key} = {got:e}, expected {expected:e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 150, "only {checked} numbers checked");
}

/// Past the exact cap the numeric methods run on sketches; the exact values
/// (scipy's) must lie inside the bounds the report states.
#[test]
fn sketch_results_stay_inside_their_stated_bounds() {
    let data = golden();
    let sketch = ProfileOptions { exact_values: 100, ..Default::default() };
    let mut checked = 0;
    let mut counted = 0;
    for case in data["cases"].as_array().unwrap().iter().filter(|c| c["kind"] == "num") {
        let name = case["name"].as_str().unwrap();
        let col = column_report(case, sketch);
        if col.exact {
            // Few distinct values: past the cap the value counts are still exact,
            // and every number must still match Evidently and scipy.
            assert!(case["reference"].as_array().unwrap().len() > 100, "{name}");
            for (key, expected) in case["expected"].as_object().unwrap() {
                let metric = if key == "z_p_value_exact" { "z_p_value" } else { key.as_str() };
                let (Some(&got), Some(e)) = (col.metrics.get(metric), expected.as_f64()) else { continue };
                if key == "z_p_value" && e < 1e-12 {
                    continue;
                }
                assert!(close(got, e, 1e-9), "{name} (value counts): {key} = {got:e}, expected {e:e}");
                counted += 1;
            }
            continue;
        }
        for (method, key) in [
            ("ks", "ks_statistic"),
            ("wasserstein_raw", "wasserstein_distance"),
            ("wasserstein", "wasserstein_normed"),
        ] {
            let expected = number(&case["expected"][key]);
            let test = col.tests.iter().find(|t| t.method.as_str() == method).unwrap();
            let [lo, hi] = test.statistic_bounds.unwrap();
            assert!(
                lo <= expected + 1e-12 && expected <= hi + 1e-12,
                "{name}: {method} {expected} outside [{lo}, {hi}]"
            );
            assert!(
                lo <= test.statistic && test.statistic <= hi,
                "{name}: {method} estimate outside its bounds"
            );
            checked += 1;
        }
    }
    assert!(checked >= 6, "{checked} sketch bounds checked");
    assert!(counted >= 30, "{counted} value-count metrics checked");
}

#[test]
fn associations_match_scipy_on_weighted_pairs() {
    let data = golden();
    for case in data["correlations"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let f = |k: &str| -> Vec<f64> { cells(&case[k]).iter().map(|s| s.parse().unwrap()).collect() };
        let (x, y) = (f("x"), f("y"));
        let w: Vec<u64> = case["weights"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        let (g, h) = (cells(&case["g"]), cells(&case["h"]));
        let pairs: Vec<(f64, f64, u64)> = (0..x.len()).map(|i| (x[i], y[i], w[i])).collect();
        let e = &case["expected"];
        let check = |what: &str, got: f64| {
            let expected = e[what].as_f64().unwrap();
            assert!(close(got, expected, 1e-9), "{name}: {what} {got} != {expected}");
        };
        check("pearson", corr::pearson(&pairs).unwrap());
        check("spearman", corr::spearman(&pairs).unwrap());
        check(
            "cramers_v",
            corr::cramers_v((0..x.len()).map(|i| (g[i].as_str(), h[i].as_str(), w[i]))).unwrap(),
        );
        check(
            "correlation_ratio",
            corr::correlation_ratio((0..x.len()).map(|i| (g[i].as_str(), y[i], w[i]))).unwrap(),
        );
    }
}
