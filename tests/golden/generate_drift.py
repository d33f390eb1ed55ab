#!/usr/bin/env python3
"""Regenerate tests/data/golden/drift.json: every drift method of issue 3 against
Evidently's own stattest functions, scipy and numpy.

    pip install evidently "pandas<3"     # Evidently 0.7 does not import with pandas 3
    python3 tests/golden/generate_drift.py

The Rust side (crates/modelgate-core/tests/it/drift.rs) profiles each case's
cells through the same path as the CLI, the page and the worker
(`ProfileBuilder`), runs the drift report and compares every metric.

Each case has `reference` and `current` as lists of CSV cells (strings; numbers
in Python's repr, the shortest round-trip spelling, so Rust parses the very
same doubles), the pandas column type Evidently is told (`num` or `cat`), and
`expected`: metric name -> value, computed by

* Evidently (the version is recorded) through its legacy stattest functions,
  the ones DataDriftPreset calls: `ks_p_value` (`_ks_stat_test`),
  `wasserstein_normed` (`_wasserstein_distance_norm`), `psi_evidently` (`_psi`),
  `jensen_shannon` (`_jensenshannon`), `hellinger` (`_hellinger_distance`),
  `chi2_gof_p_value` (`_chi_stat_test`), `z_p_value` (`_z_stat_test`),
  `tvd` (`_total_variation_distance`, categorical cases only: Evidently defines
  TVD on categories), and `default_method`, the stattest Evidently's
  `_get_default_stattest` picks (mapped to modelgate's method names);
* scipy: `ks_statistic` (`ks_2samp`), `wasserstein_distance`
  (`wasserstein_distance`), `chi2_statistic`/`chi2_p_value`
  (`chi2_contingency`), `cramers_v` (`contingency.association(method="cramer")`),
  `z_p_value_exact` (`2 * norm.sf(|z|)`, the z-test p-value without the
  rounding of Evidently's `2 * (1 - cdf)`);
* numpy: `l_infinity` (TFDV's max |p - q| on category shares).

The `correlations` section checks Pearson and Spearman (scipy), Cramer's V
(scipy) and the correlation ratio (numpy) on weighted pairs, expanded.

Inputs come from a seeded numpy Generator, so the output is deterministic.
Non-finite expected values are written as the strings "inf"/"nan".
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
from scipy import stats
from scipy.stats import contingency

import evidently
from evidently.legacy.core import ColumnType
from evidently.legacy.calculations.stattests import registry
from evidently.legacy.calculations.stattests.chisquare_stattest import _chi_stat_test
from evidently.legacy.calculations.stattests.hellinger_distance import _hellinger_distance
from evidently.legacy.calculations.stattests.jensenshannon import _jensenshannon
from evidently.legacy.calculations.stattests.ks_stattest import _ks_stat_test
from evidently.legacy.calculations.stattests.psi import _psi
from evidently.legacy.calculations.stattests.tvd_stattest import _total_variation_distance
from evidently.legacy.calculations.stattests.wasserstein_distance_norm import _wasserstein_distance_norm
from evidently.legacy.calculations.stattests.z_stattest import _z_stat_test, proportions_diff_z_stat_ind

OUT = Path(__file__).resolve().parents[1] / "data" / "golden" / "drift.json"
RNG = np.random.default_rng(20261122)

METHOD_NAMES = {
    "ks": "ks",
    "chisquare": "chi2",
    "z": "z",
    "wasserstein": "wasserstein",
    "jensenshannon": "jensen_shannon",
}


def clean(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def cells(series: pd.Series) -> list[str]:
    out = []
    for v in series:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, (int, np.integer)):
            out.append(str(int(v)))
        else:
            out.append(repr(float(v)))
    return out


def counts_table(ref: pd.Series, cur: pd.Series):
    keys = sorted(set(ref.unique()) | set(cur.unique()), key=lambda k: (str(type(k)), k))
    r = np.array([int((ref == k).sum()) for k in keys])
    c = np.array([int((cur == k).sum()) for k in keys])
    return keys, r, c


def case(name: str, ref: pd.Series, cur: pd.Series, kind: str) -> dict:
    ctype = ColumnType.Numerical if kind == "num" else ColumnType.Categorical
    e: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default = registry._get_default_stattest(ref, cur, ctype)
        e["default_method"] = METHOD_NAMES[default.name]
        if kind == "num":
            e["ks_p_value"] = clean(_ks_stat_test(ref.copy(), cur.copy(), ctype, 0.05)[0])
            e["ks_statistic"] = clean(stats.ks_2samp(ref, cur).statistic)
            e["wasserstein_normed"] = clean(_wasserstein_distance_norm(ref.copy(), cur.copy(), ctype, 0.1)[0])
            e["wasserstein_distance"] = clean(stats.wasserstein_distance(ref, cur))
        e["psi_evidently"] = clean(_psi(ref.copy(), cur.copy(), ctype, 0.1)[0])
        e["jensen_shannon"] = clean(_jensenshannon(ref.copy(), cur.copy(), ctype, 0.1)[0])
        e["hellinger"] = clean(_hellinger_distance(ref.copy(), cur.copy(), ctype, 0.1)[0])
        few = ref.nunique() <= 20
        if kind == "cat" or few:
            keys, r, c = counts_table(ref, cur)
            if kind == "cat":
                e["tvd"] = clean(_total_variation_distance(ref.copy(), cur.copy()))
            p, q = r / r.sum(), c / c.sum()
            e["l_infinity"] = clean(np.max(np.abs(p - q)))
            if len(keys) > 1:
                chi = stats.chi2_contingency(np.array([r, c]))
                e["chi2_statistic"] = clean(chi.statistic)
                e["chi2_p_value"] = clean(chi.pvalue)
                e["cramers_v"] = clean(contingency.association(np.array([r, c]), method="cramer"))
                if (r > 0).all():
                    e["chi2_gof_p_value"] = clean(_chi_stat_test(ref.copy(), cur.copy(), ctype, 0.05)[0])
                first = keys[0]
                z = proportions_diff_z_stat_ind(ref.apply(lambda x: 0 if x == first else 1),
                                                cur.apply(lambda x: 0 if x == first else 1))
                e["z_p_value"] = clean(_z_stat_test(ref.copy(), cur.copy(), ctype, 0.05)[0])
                e["z_p_value_exact"] = clean(2 * stats.norm.sf(abs(z)))
    return {"name": name, "kind": kind, "reference": cells(ref), "current": cells(cur), "expected": e}


def numeric_cases() -> list[dict]:
    out = []
    n = lambda size, loc=0.0, scale=1.0: pd.Series(RNG.normal(loc, scale, size))
    out.append(case("normal_small_shift", n(200), n(150, 0.3), "num"))
    out.append(case("normal_same", n(500, 5, 2), n(400, 5, 2), "num"))
    out.append(case("normal_large_ref", n(1500, 0, 1), n(1200, 0.1, 1.1), "num"))
    out.append(case("exponential_large", pd.Series(RNG.exponential(3.0, 2500)), pd.Series(RNG.exponential(3.5, 2000)), "num"))
    out.append(case("uniform_wide_shift", pd.Series(RNG.uniform(0, 100, 800)), pd.Series(RNG.uniform(5, 105, 900)), "num"))
    ints = lambda size, hi, p=None: pd.Series(RNG.choice(np.arange(hi), size=size, p=p)).astype("int64")
    out.append(case("integers_30_values", ints(600, 30), ints(700, 30), "num"))
    out.append(case("integers_30_values_large", ints(3000, 30), ints(2000, 30), "num"))
    out.append(case("integers_4_values", ints(300, 4, [0.4, 0.3, 0.2, 0.1]), ints(250, 4, [0.25, 0.25, 0.25, 0.25]), "num"))
    out.append(case("integers_2_values", ints(400, 2, [0.7, 0.3]), ints(300, 2, [0.6, 0.4]), "num"))
    out.append(case("integers_3_values_large", ints(5000, 3, [0.5, 0.3, 0.2]), ints(4000, 3, [0.45, 0.35, 0.2]), "num"))
    out.append(case("floats_8_values", pd.Series(RNG.choice([0.5, 1.25, 2.0, 3.5, 4.75, 6.0, 7.5, 9.0], 500)),
                    pd.Series(RNG.choice([0.5, 1.25, 2.0, 3.5, 4.75, 6.0, 7.5, 9.0], 450)), "num"))
    return out


def categorical_cases() -> list[dict]:
    out = []
    pick = lambda labels, size, p: pd.Series(RNG.choice(labels, size=size, p=p))
    abc = ["apple", "banana", "cherry", "date", "elderberry"]
    out.append(case("five_categories_small", pick(abc, 300, [0.3, 0.25, 0.2, 0.15, 0.1]), pick(abc, 200, [0.2, 0.2, 0.2, 0.2, 0.2]), "cat"))
    out.append(case("five_categories_large", pick(abc, 3000, [0.3, 0.25, 0.2, 0.15, 0.1]), pick(abc, 2500, [0.28, 0.26, 0.2, 0.16, 0.1]), "cat"))
    out.append(case("binary_small", pick(["no", "yes"], 500, [0.8, 0.2]), pick(["no", "yes"], 400, [0.7, 0.3]), "cat"))
    out.append(case("binary_large_same", pick(["no", "yes"], 5000, [0.5, 0.5]), pick(["no", "yes"], 5000, [0.5, 0.5]), "cat"))
    out.append(case("new_category_in_current", pick(["a", "b", "c"], 300, [0.5, 0.3, 0.2]), pick(["a", "b", "c", "d"], 300, [0.4, 0.3, 0.2, 0.1]), "cat"))
    out.append(case("rare_category_fill_rule", pick(["a", "b", "c"], 20000, [0.99985, 0.0001, 0.00005]), pick(["a", "b"], 1000, [0.9, 0.1]), "cat"))
    return out


def correlation_cases() -> list[dict]:
    out = []
    for name, size in [("small", 40), ("ties", 200)]:
        x = RNG.integers(0, 12, size).astype(float)
        y = x * 0.5 + RNG.normal(0, 2, size).round(0)
        w = RNG.integers(1, 4, size)
        ex, ey = np.repeat(x, w), np.repeat(y, w)
        g = RNG.choice(["u", "v", "w"], size)
        eg = np.repeat(g, w)
        h = np.where(RNG.random(size) < 0.6, g, RNG.choice(["u", "v", "w"], size))
        eh = np.repeat(h, w)
        table = pd.crosstab(eg, eh).to_numpy()
        means = {k: ey[eg == k].mean() for k in set(eg)}
        between = sum((eg == k).sum() * (m - ey.mean()) ** 2 for k, m in means.items())
        eta = math.sqrt(between / ((ey - ey.mean()) ** 2).sum())
        out.append({
            "name": name,
            "x": [repr(float(v)) for v in x],
            "y": [repr(float(v)) for v in y],
            "weights": [int(v) for v in w],
            "g": list(g),
            "h": list(h),
            "expected": {
                "pearson": float(stats.pearsonr(ex, ey).statistic),
                "spearman": float(stats.spearmanr(ex, ey).statistic),
                "cramers_v": float(contingency.association(table, method="cramer")),
                "correlation_ratio": eta,
            },
        })
    return out


def main() -> None:
    data = {
        "generator": "tests/golden/generate_drift.py",
        "versions": {
            "python": sys.version.split()[0],
            "evidently": evidently.__version__,
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "cases": numeric_cases() + categorical_cases(),
        "correlations": correlation_cases(),
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT} ({len(data['cases'])} cases)")


if __name__ == "__main__":
    main()
