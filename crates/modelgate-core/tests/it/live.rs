//! `live` against numpy and scipy, through `tests/data/golden/live.json`
//! (written by `tests/golden/generate_live.py`): a `LiveReference` built from the
//! reference columns, live values folded in one record at a time, and the bins,
//! counts, PSI and chi-square compared with the reference implementation.

use std::collections::BTreeMap;

use modelgate_core::live::{FeatureKind, LiveDriftOptions, LiveReference, LiveReferenceOptions, OTHER};
use modelgate_core::CsvIngest;
use serde_json::{Map, Value};

const FIXTURE: &str = include_str!("../../../../tests/data/golden/live.json");
const REL_TOL: f64 = 1e-9;

fn close(got: f64, want: f64) -> bool {
    got == want || (got - want).abs() <= (REL_TOL * want.abs()).max(1e-12)
}

fn cell(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

#[test]
fn live_drift_matches_numpy_and_scipy() {
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let features = case["features"].as_array().unwrap();
        // The reference CSV: one column per feature, columns of unequal length padded
        // with empty cells (nulls, which the live summary counts apart).
        let rows = features.iter().map(|f| f["reference"].as_array().unwrap().len()).max().unwrap();
        let mut csv =
            features.iter().map(|f| f["name"].as_str().unwrap()).collect::<Vec<_>>().join(",") + "\n";
        for r in 0..rows {
            let cells: Vec<String> = features
                .iter()
                .map(|f| f["reference"].as_array().unwrap().get(r).map(cell).unwrap_or_default())
                .collect();
            csv.push_str(&cells.join(","));
            csv.push('\n');
        }
        let mut ingest = CsvIngest::new(format!("{name}.csv"));
        ingest.push(csv.as_bytes()).unwrap();
        let reference =
            LiveReference::from_dataset(&ingest.finish().unwrap(), &LiveReferenceOptions::default());
        assert_eq!(reference.features.len(), features.len(), "{name}: {:?}", reference.skipped);

        let mut profile = reference.empty_profile();
        let live_rows = features.iter().map(|f| f["live"].as_array().unwrap().len()).max().unwrap();
        for r in 0..live_rows {
            let mut record = Map::new();
            for f in features {
                let Some(v) = f["live"].as_array().unwrap().get(r) else { continue };
                let value = match f["kind"].as_str().unwrap() {
                    "numeric" => Value::from(v.as_str().unwrap().parse::<f64>().unwrap()),
                    _ => v.clone(),
                };
                record.insert(f["name"].as_str().unwrap().to_string(), value);
            }
            reference.fold(&mut profile, &record);
        }
        let options = LiveDriftOptions { min_count: 1, ..LiveDriftOptions::default() };
        let report = reference.drift(&profile, &options).unwrap();

        for (want, got) in features.iter().zip(&report.features) {
            let at = format!("{name}/{}", got.name);
            match got.kind {
                FeatureKind::Numeric => {
                    let edges: Vec<f64> =
                        want["edges"].as_array().unwrap().iter().map(|e| e.as_f64().unwrap()).collect();
                    let built = &reference.features.iter().find(|f| f.name == got.name).unwrap().edges;
                    if built.len() != edges.len() || built.iter().zip(&edges).any(|(a, b)| !close(*a, *b)) {
                        failures.push(format!("{at}: edges {built:?}, numpy {edges:?}"));
                    }
                    let counts = |key: &str| -> Vec<u64> {
                        want[key].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect()
                    };
                    if got.reference_counts != counts("reference_counts")
                        || got.live_counts != counts("live_counts")
                    {
                        failures.push(format!(
                            "{at}: counts {:?} / {:?}, numpy {:?} / {:?}",
                            got.reference_counts,
                            got.live_counts,
                            counts("reference_counts"),
                            counts("live_counts")
                        ));
                    }
                }
                FeatureKind::Categorical => {
                    let got_counts: BTreeMap<&str, [u64; 2]> = got
                        .labels
                        .iter()
                        .zip(got.reference_counts.iter().zip(&got.live_counts))
                        .map(|(l, (r, c))| (l.as_str(), [*r, *c]))
                        .collect();
                    let want_counts: BTreeMap<&str, [u64; 2]> = want["counts"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(l, rc)| (l.as_str(), [rc[0].as_u64().unwrap(), rc[1].as_u64().unwrap()]))
                        .collect();
                    if got_counts != want_counts {
                        failures.push(format!("{at}: counts {got_counts:?}, expected {want_counts:?}"));
                    }
                    assert_eq!(got.labels.last().map(String::as_str), Some(OTHER));
                }
            }
            for (key, value) in
                [("psi", got.psi), ("chi2_statistic", got.chi2_statistic), ("chi2_p_value", got.chi2_p_value)]
            {
                let want = want[key].as_f64().unwrap();
                match value {
                    Some(v) if close(v, want) => {}
                    other => failures.push(format!("{at}: {key} {other:?}, reference {want}")),
                }
            }
            let expected_method = if got.kind == FeatureKind::Numeric { "psi" } else { "chi2" };
            assert_eq!(got.method, Some(expected_method), "{at}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
