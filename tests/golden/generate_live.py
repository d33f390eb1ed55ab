#!/usr/bin/env python3
"""Regenerate tests/data/golden/live.json: live drift against numpy and scipy.

    python3 tests/golden/generate_live.py

Needs numpy and scipy. Deterministic (seeded numpy Generator); the file records
the versions it was made with. The Rust side is
crates/modelgate-core/tests/it/live.rs, which builds a `LiveReference` from the
reference columns, folds the live values in one record at a time and compares
bins, counts, PSI and chi-square with the values computed here.

Definitions, as `modelgate_core::live` documents them:

* numeric features: inner edges are the reference's k/10 quantiles, k = 1..9
  (numpy's default linear interpolation), repeated edges dropped; a value's bin
  is the number of edges at or below it (np.searchsorted(..., side="right"));
* categorical features: the reference's categories plus one "(other)" bin for
  values the reference never had;
* PSI = sum((q - p) * ln(q / p)) over the bins, a share of exactly zero replaced
  by 1e-4 (the batch PSI's rule);
* chi-square: scipy.stats.chi2_contingency on the 2 x k table of reference and
  live counts, bins empty on both sides left out (scipy refuses them), with its
  default Yates correction when one degree of freedom remains.

Floats are stored as repr strings so Rust parses the very same bits.
"""
import json
from pathlib import Path

import numpy as np
import scipy
from scipy.stats import chi2_contingency

OUT = Path(__file__).resolve().parents[1] / "data" / "golden" / "live.json"
EMPTY = 1e-4


def psi(ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    p = ref / ref.sum()
    q = cur / cur.sum()
    p = np.where(ref == 0, EMPTY, p)
    q = np.where(cur == 0, EMPTY, q)
    return float(np.sum((q - p) * np.log(q / p)))


def chi2(ref, cur):
    table = np.array([ref, cur])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] == 1:
        return 0.0, 1.0
    stat, p, _, _ = chi2_contingency(table)
    return float(stat), float(p)


def numeric(name, ref, cur):
    edges = np.unique(np.quantile(ref, [k / 10 for k in range(1, 10)]))
    ref_counts = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
    cur_counts = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
    stat, p = chi2(ref_counts, cur_counts)
    return {
        "name": name,
        "kind": "numeric",
        "reference": [repr(float(v)) for v in ref],
        "live": [repr(float(v)) for v in cur],
        "edges": [float(e) for e in edges],
        "reference_counts": ref_counts.tolist(),
        "live_counts": cur_counts.tolist(),
        "psi": psi(ref_counts, cur_counts),
        "chi2_statistic": stat,
        "chi2_p_value": p,
    }


def categorical(name, ref, cur):
    labels = sorted(set(ref))
    ref_counts = [ref.count(c) for c in labels] + [0]
    cur_counts = [cur.count(c) for c in labels] + [sum(1 for v in cur if v not in labels)]
    stat, p = chi2(ref_counts, cur_counts)
    return {
        "name": name,
        "kind": "categorical",
        "reference": ref,
        "live": cur,
        "counts": {label: [r, c] for label, r, c in zip(labels + ["(other)"], ref_counts, cur_counts)},
        "psi": psi(ref_counts, cur_counts),
        "chi2_statistic": stat,
        "chi2_p_value": p,
    }


def main():
    rng = np.random.default_rng(20260426)
    cases = []
    # A shift in location and scale, and a category mix with one unseen category.
    cases.append({
        "name": "normal_shift_and_new_category",
        "features": [
            numeric("x", rng.normal(0, 1, 2000), rng.normal(0.3, 1.1, 500)),
            categorical("c", list(rng.choice(["a", "b", "c"], 2000, p=[0.5, 0.3, 0.2])),
                        list(rng.choice(["a", "b", "c", "d"], 500, p=[0.4, 0.3, 0.2, 0.1]))),
        ],
    })
    # Integers with heavy ties (repeated quantiles merge bins), and no drift.
    cases.append({
        "name": "integer_ties_same_distribution",
        "features": [
            numeric("k", rng.poisson(3, 1500).astype(float), rng.poisson(3, 600).astype(float)),
            categorical("c", list(rng.choice(["x", "y"], 1500, p=[0.7, 0.3])),
                        list(rng.choice(["x", "y"], 600, p=[0.7, 0.3]))),
        ],
    })
    # Live values far outside the reference: most bins empty on the live side.
    cases.append({
        "name": "live_beyond_the_reference",
        "features": [
            numeric("x", rng.uniform(0, 10, 1000), rng.uniform(20, 30, 100)),
            categorical("c", list(rng.choice(["p", "q", "r"], 1000)), ["s"] * 100),
        ],
    })
    doc = {
        "generator": "tests/golden/generate_live.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": cases,
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
