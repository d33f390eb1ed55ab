#!/usr/bin/env python3
"""Regenerate the golden fixtures in tests/data/golden/ (ks.json, chi2.json, psi.json).

    python3 tests/golden/generate.py

Needs numpy and scipy (`pip install numpy scipy`). The output is deterministic:
every random sample comes from a seeded numpy Generator, and each file records
the scipy and numpy versions it was made with. The Rust side reads the files in
crates/modelgate-core/tests/it/{ks,chi2,psi}.rs.

Conventions shared with those tests:

* Sample values are stored as JSON *strings* holding Python's repr of the
  float64, e.g. "0.1234567890123". repr is the shortest string that round-trips,
  and Rust's `str::parse::<f64>` is correctly rounded, so the Rust test sees
  the very same bits. (serde_json's default number parser is not guaranteed to
  be correctly rounded, hence strings rather than JSON numbers for inputs;
  expected outputs are plain JSON numbers, compared with a tolerance.)

* Large samples are not stored. A sample is then given as a recipe that
  both sides evaluate with the same IEEE float64 operations, no libm calls:

      {"recipe": "grid", "n": N, "power": P, "scale": S, "shift": C,
       "step": T or null}

      for i in 0..N:
          u = (i + 0.5) / N               # float(i) + 0.5, then divide
          v = u if P == 1 else u * u      # P is 1 or 2
          x = v * S + C                   # multiply, then add (no fused multiply-add)
          if T is not null:
              x = floor(x / T) * T        # quantise, to make ties

  numpy's elementwise ufuncs round each operation exactly like Rust's f64
  operators, so `grid()` below and the Rust helper produce identical arrays.
  Each recipe also carries a few of its values ("probe") to prove it.

* The `x` arguments of the direct kstwo.sf / smirnov cases are repr strings
  too, for the same reason as the samples.

* PSI (modelgate's definition; numpy is the reference, see `psi_reference`):
  with `bins` = 10, q_i = i / bins for i = 1..bins-1 (each one float division,
  so 0.3 is the double nearest 0.3, not 3 * 0.1), edges = np.unique(
  np.quantile(reference, q)) with numpy's default 'linear' method, which is
      h = (n - 1) * q;  lo = floor(h);  g = h - lo
      edge = a + (b - a) * g            if g < 0.5
      edge = b - (b - a) * (1 - g)      if g >= 0.5
  (a, b the sorted values at lo and lo + 1; the last value when h >= n - 1).
  A value x falls in bin searchsorted(edges, x, side='right'), so the bins are
  (-inf, e1), [e1, e2), ..., [ek, inf). Proportions equal to 0 become 1e-4
  (Evidently's rule, no renormalisation) and
  psi = sum((q_i - p_i) * ln(q_i / p_i)), summed left to right.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
import scipy.special
import scipy.stats

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "tests" / "data" / "golden"
GENERATOR = "tests/golden/generate.py"
SEED = 20260607


def version(module) -> str:
    return ".".join(module.__version__.split(".")[:2])


def header() -> dict:
    return {
        "generator": GENERATOR,
        "scipy": version(scipy),
        "numpy": version(np),
        "scipy_full": scipy.__version__,
        "numpy_full": np.__version__,
    }


def as_strings(values) -> list[str]:
    return [repr(float(v)) for v in values]


def grid(n: int, power: int = 1, scale: float = 1.0, shift: float = 0.0, step: float | None = None):
    """The 'grid' recipe (see the module docstring), vectorised with the same operation order."""
    u = (np.arange(n, dtype=np.float64) + 0.5) / np.float64(n)
    v = u if power == 1 else u * u
    x = v * np.float64(scale) + np.float64(shift)
    if step is not None:
        x = np.floor(x / np.float64(step)) * np.float64(step)
    return x


def grid_recipe(n: int, power: int = 1, scale: float = 1.0, shift: float = 0.0, step: float | None = None) -> dict:
    """A 'grid' recipe, with a few of its values ("probe": index -> repr) so the
    Rust side can tell a recipe mismatch from a statistics mismatch."""
    assert power in (1, 2)
    recipe = {"recipe": "grid", "n": n, "power": power, "scale": float(scale), "shift": float(shift), "step": step}
    x = from_recipe(recipe)
    recipe["probe"] = {str(i): repr(float(x[i])) for i in sorted({0, n // 3, n // 2, n - 1})}
    return recipe


def from_recipe(r: dict):
    return grid(r["n"], r["power"], r["scale"], r["shift"], r["step"])


# ---------------------------------------------------------------------------
# KS
# ---------------------------------------------------------------------------


def kolmogn_regime(n: int, x: float) -> str:
    """Which branch of scipy.stats.kstwo.sf(x, n) (i.e. _kolmogn(n, x, cdf=False)) runs.

    Mirrors scipy/stats/_ksstats.py so the fixtures can say what they cover.
    """
    if x <= 0.5 / n:
        return "support_low"
    if x >= 1.0:
        return "support_high"
    t = n * x
    if t <= 1.0:
        return "ruben_gambino_low"
    if t >= n - 1:
        return "ruben_gambino_high"
    if x >= 0.5:
        return "exact_2_smirnov"
    nxsquared = t * x
    if n <= 140:
        if nxsquared <= 0.754693:
            return "small_n_durbin"
        if nxsquared <= 4:
            return "small_n_pomeranz"
        return "small_n_miller_2_smirnov"
    if nxsquared >= 370.0:
        return "large_n_zero"
    if nxsquared >= 2.2:
        return "large_n_2_smirnov"
    if n <= 100000 and n * x**1.5 <= 1.4:
        return "large_n_durbin"
    return "large_n_pelz_good"


def smirnov_regime(n: int, x: float) -> str:
    """Which branch of scipy.special.smirnov(n, x) runs (xsf/cephes/kolmogorov.h)."""
    if not (0.0 <= x <= 1.0):
        return "nan"
    if n == 1:
        return "n_is_1"
    if x == 0.0 or x == 1.0:
        return "endpoint"
    nx = n * x  # good enough for labelling; the C code uses double-double here
    nxfl = math.floor(nx)
    alpha = nx - nxfl
    if nxfl == 0 or (nxfl == 1 and alpha == 0):
        return "x_le_1_over_n"
    if -2 * n * x * x < -745.1332191019412:
        return "underflow"
    if nxfl >= n - 1:
        return "x_ge_1_minus_1_over_n"
    if n > 1_000_000:
        return "large_n_approximation"
    n1mxceil = n - nxfl + (1 if alpha == 0 else 0)
    upper_terms = n - n1mxceil + 1
    if (upper_terms <= 1 and x < 0.5) or (n >= 10 and upper_terms <= 3 and x <= 0.5 / math.sqrt(n)):
        return "upper_sum"
    return "lower_sum"


def ks_2samp_case(name: str, a, b, a_spec=None, b_spec=None) -> dict:
    """Run scipy.stats.ks_2samp(a, b) with its defaults and record what it did."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = scipy.stats.ks_2samp(a, b)
    fell_back = any("Switching to" in str(w.message) for w in caught)
    n1, n2 = len(a), len(b)
    method = "exact" if max(n1, n2) <= 10000 and not fell_back else "asymptotic"
    case = {"name": name}
    case["a"] = a_spec if a_spec is not None else as_strings(a)
    case["b"] = b_spec if b_spec is not None else as_strings(b)
    case["n1"], case["n2"] = n1, n2
    case["statistic"] = float(res.statistic)
    case["p_value"] = float(res.pvalue)
    case["method"] = method
    if method == "asymptotic":
        m, n = sorted([float(n1), float(n2)], reverse=True)
        en = int(np.round(m * n / (m + n)))
        case["kolmogn_n"] = en
        case["kolmogn_regime"] = kolmogn_regime(en, float(res.statistic))
    else:
        case["exact_formula"] = "outside_square" if n1 == n2 else "inside_method"
    return case


def ks_cases(rng: np.random.Generator) -> list[dict]:
    cases = []
    add = cases.append

    # Tiny samples.
    add(ks_2samp_case("1_vs_1_equal", [0.5], [0.5]))
    add(ks_2samp_case("1_vs_1_different", [0.5], [1.5]))
    add(ks_2samp_case("1_vs_5_inside", [0.25], rng.normal(size=5)))
    add(ks_2samp_case("1_vs_5_below", [-10.0], rng.normal(size=5)))
    add(ks_2samp_case("2_vs_3", rng.normal(size=2), rng.normal(size=3)))

    # Equal sizes: the "outside square" formula.
    for n, shift in [(5, 0.0), (20, 0.5), (100, 0.0), (100, 0.4), (500, 0.15), (1000, 0.08)]:
        add(ks_2samp_case(f"equal_{n}_shift_{shift}", rng.normal(size=n), rng.normal(loc=shift, size=n)))

    # Unequal sizes: the inside method (Viehmann's recursion).
    for n1, n2, shift in [(7, 13, 0.0), (50, 80, 0.6), (300, 200, 0.1), (1000, 999, 0.05), (64, 48, 1.0), (120, 1500, 0.3)]:
        add(ks_2samp_case(f"unequal_{n1}_{n2}_shift_{shift}", rng.normal(size=n1), rng.normal(loc=shift, size=n2)))
    add(ks_2samp_case("unequal_exponential_vs_normal", rng.exponential(size=400), rng.normal(loc=1.0, size=250)))

    # Heavy ties: integer-valued samples, ties within and across samples.
    add(ks_2samp_case("ties_integers_60_90", rng.integers(0, 5, size=60), rng.integers(0, 6, size=90)))
    add(ks_2samp_case("ties_integers_equal_200", rng.integers(0, 4, size=200), rng.integers(0, 4, size=200)))
    add(ks_2samp_case("ties_poisson_500_700", rng.poisson(3.0, size=500), rng.poisson(3.3, size=700)))
    add(ks_2samp_case("ties_two_values", [0.0] * 30 + [1.0] * 10, [0.0] * 15 + [1.0] * 25))

    # Identical samples.
    same = rng.normal(size=50)
    add(ks_2samp_case("identical_50", same, same.copy()))
    same_ties = rng.integers(0, 3, size=40)
    add(ks_2samp_case("identical_with_ties_40", same_ties, same_ties.copy()))

    # Complete separation.
    add(ks_2samp_case("separated_10_15", rng.uniform(0, 1, size=10), rng.uniform(2, 3, size=15)))
    add(ks_2samp_case("separated_40_40", rng.uniform(0, 1, size=40), rng.uniform(2, 3, size=40)))
    add(ks_2samp_case("separated_reversed_300_200", rng.uniform(5, 6, size=300), rng.uniform(0, 1, size=200)))

    # Exact path at sizes near the 10000 limit (samples by recipe).
    def recipe_case(name, ra, rb):
        add(ks_2samp_case(name, from_recipe(ra), from_recipe(rb), ra, rb))

    recipe_case("exact_10000_10000_shift", grid_recipe(10000), grid_recipe(10000, shift=0.012))
    recipe_case("exact_10000_10000_shape", grid_recipe(10000), grid_recipe(10000, power=2, scale=1.02, shift=-0.01))
    recipe_case("exact_10000_9999_shift", grid_recipe(10000), grid_recipe(9999, shift=0.015))
    recipe_case("exact_9000_10000_ties", grid_recipe(9000, step=0.01), grid_recipe(10000, shift=0.01, step=0.01))
    recipe_case("exact_10000_7", grid_recipe(10000), grid_recipe(7, shift=0.2))
    recipe_case("exact_2500_4000_null", grid_recipe(2500, power=2), grid_recipe(4000, power=2, shift=0.001))

    # Asymptotic path: kstwo.sf(d, round(n1 n2 / (n1 + n2))) across _kolmogn's regimes.
    recipe_case("asymp_12000_15000_small", grid_recipe(12000), grid_recipe(15000, shift=0.004))
    recipe_case("asymp_12000_15000_moderate", grid_recipe(12000), grid_recipe(15000, shift=0.03))
    # en = 50: the n <= 140 regimes.
    for shift in [0.0, 0.012, 0.06, 0.12, 0.2, 0.35, 0.6, 0.985]:
        recipe_case(f"asymp_20000_50_shift_{shift}", grid_recipe(20000), grid_recipe(50, shift=shift))
    # en = 50000: the large-n regimes.
    for shift in [0.0, 0.0004, 0.003, 0.02, 0.1, 0.6, 2.0]:
        recipe_case(f"asymp_100000_100000_shift_{shift}", grid_recipe(100000), grid_recipe(100000, shift=shift))
    recipe_case("asymp_100000_100000_shape", grid_recipe(100000), grid_recipe(100000, power=2, scale=1.01))
    recipe_case("asymp_100000_100000_ties", grid_recipe(100000, step=0.001), grid_recipe(100000, shift=0.0021, step=0.001))
    # en = 1.5e6 > 1e6: smirnov's large-n approximation.
    recipe_case("asymp_3000000_3000000_shift", grid_recipe(3_000_000), grid_recipe(3_000_000, shift=0.003))
    return cases


def kstwo_cases() -> list[dict]:
    out = []
    for n in [1, 5, 50, 140, 141, 1000, 100000, 200000, 1_000_000]:
        xs = [1e-12, 0.4 / n, 0.5 / n, 0.75 / n, 1.0 / n]
        xs += [c / math.sqrt(n) for c in (0.3, 0.6, 0.85, 1.0, 1.2, 1.45, 1.8, 2.5, 4.0, 10.0, 19.5)]
        xs += [0.9 * (1.4 / n) ** (2.0 / 3.0), 0.3, 0.5, 0.6, 0.9, 1.0 - 1.0 / n, 1.0 - 0.5 / n, 1.0]
        seen = set()
        for x in xs:
            x = float(x)
            if not (0.0 < x <= 1.0) or x in seen:
                continue
            seen.add(x)
            regime = kolmogn_regime(n, x)
            # One slow case (a ~1e6-term smirnov sum) is enough at n = 1e6.
            if n == 1_000_000 and regime == "large_n_2_smirnov" and "n1e6" in seen:
                continue
            if n == 1_000_000 and regime == "large_n_2_smirnov":
                seen.add("n1e6")
            out.append({"n": n, "x": repr(x), "sf": float(scipy.stats.kstwo.sf(x, n)), "regime": regime})
    return out


def smirnov_cases() -> list[dict]:
    out = []
    slow_done = False
    for n in [1, 2, 5, 10, 50, 140, 1000, 100000, 1_000_000, 1_000_001, 10_000_000]:
        xs = [0.0, 1e-9, 0.5 / n, 1.0 / n, 1.5 / n, 2.0 / n]
        xs += [c / math.sqrt(n) for c in (0.1, 0.3, 0.5, 1.0, 3.0, 10.0, 30.0)]
        xs += [0.3, 0.5, 0.9, 1.0 - 1.0 / n, 1.0 - 0.5 / n, 1.0]
        seen = set()
        for x in xs:
            x = float(x)
            if not (0.0 <= x <= 1.0) or x in seen:
                continue
            seen.add(x)
            regime = smirnov_regime(n, x)
            if n == 1_000_000 and regime in ("lower_sum", "upper_sum"):
                if slow_done and regime == "lower_sum":
                    continue
                slow_done = slow_done or regime == "lower_sum"
            out.append({"n": n, "x": repr(x), "sf": float(scipy.special.smirnov(n, x)), "regime": regime})
    return out


# ---------------------------------------------------------------------------
# chi2
# ---------------------------------------------------------------------------


def chi2_case(name: str, ref, cur) -> dict:
    ref = [int(v) for v in ref]
    cur = [int(v) for v in cur]
    res = scipy.stats.chi2_contingency(np.array([ref, cur]))
    return {
        "name": name,
        "ref_counts": ref,
        "cur_counts": cur,
        "statistic": float(res.statistic),
        "p_value": float(res.pvalue),
        "dof": int(res.dof),
    }


def chi2_cases(rng: np.random.Generator) -> list[dict]:
    cases = [
        chi2_case("two_categories_yates", [30, 70], [45, 55]),
        chi2_case("two_categories_yates_small_diff", [10, 10], [10, 11]),
        chi2_case("two_categories_zero_in_current", [12, 8], [20, 0]),
        chi2_case("two_categories_large", [1_000_000, 2_000_000], [1_001_000, 1_998_000]),
        chi2_case("three_categories", [20, 30, 50], [25, 35, 40]),
        chi2_case("same_proportions", [10, 20, 30], [20, 40, 60]),
        chi2_case("very_unbalanced", [100_000, 1, 1], [3, 200, 5000]),
        chi2_case("zero_in_reference", [10, 0, 5], [3, 8, 6]),
        chi2_case("zero_in_current", [10, 4, 5, 9], [3, 8, 0, 6]),
        chi2_case("single_category", [42], [17]),
        chi2_case("large_counts", [1_000_000, 2_000_000, 1_500_000], [1_000_500, 1_999_000, 1_501_000]),
        chi2_case("large_counts_strong_shift", [1_000_000, 1_000_000, 1_000_000], [900_000, 1_000_000, 1_100_000]),
    ]
    for k in (5, 10, 20):
        probs = rng.dirichlet(np.ones(k))
        ref = rng.multinomial(2000, probs)
        cur = rng.multinomial(1500, 0.8 * probs + 0.2 / k)
        keep = (ref + cur) > 0
        cases.append(chi2_case(f"random_{k}_categories", ref[keep], cur[keep]))
    probs = np.full(12, 1 / 12)
    cases.append(chi2_case("random_12_categories_null", rng.multinomial(600, probs), rng.multinomial(900, probs)))
    return cases


# ---------------------------------------------------------------------------
# PSI
# ---------------------------------------------------------------------------

PSI_EPS = 1e-4


def psi_reference(reference, current, bins: int = 10) -> dict:
    """modelgate's PSI, in numpy (see the module docstring for the definition)."""
    ref = np.sort(np.asarray(reference, dtype=np.float64))
    cur = np.sort(np.asarray(current, dtype=np.float64))
    q = np.arange(1, bins, dtype=np.float64) / np.float64(bins)
    edges = np.unique(np.quantile(ref, q))
    k = len(edges) + 1
    ref_counts = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=k)
    cur_counts = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=k)
    psi = 0.0
    for rc, cc in zip(ref_counts, cur_counts):
        p = rc / len(ref)
        qq = cc / len(cur)
        p = PSI_EPS if p == 0 else p
        qq = PSI_EPS if qq == 0 else qq
        psi += (qq - p) * math.log(qq / p)
    return {
        "edges": [float(e) for e in edges],
        "ref_counts": [int(c) for c in ref_counts],
        "cur_counts": [int(c) for c in cur_counts],
        "psi": float(psi),
    }


def psi_case(name: str, reference, current, bins: int = 10) -> dict:
    case = {"name": name, "bins": bins, "reference": as_strings(reference), "current": as_strings(current)}
    case.update(psi_reference(reference, current, bins))
    return case


def psi_cases(rng: np.random.Generator) -> list[dict]:
    ref_normal = rng.normal(size=2000)
    same = rng.normal(loc=10.0, scale=2.0, size=800)
    return [
        psi_case("normal_vs_shifted_normal", ref_normal, rng.normal(loc=0.3, size=1500)),
        psi_case("normal_vs_slightly_shifted", rng.normal(size=1000), rng.normal(loc=0.05, size=1000)),
        psi_case("normal_vs_wider_normal", rng.normal(size=1200), rng.normal(scale=1.5, size=900)),
        psi_case("identical", same, same.copy()),
        psi_case("heavy_ties_poisson", rng.poisson(2.0, size=1000), rng.poisson(2.4, size=700)),
        psi_case("heavy_ties_three_values", rng.integers(0, 3, size=500), rng.integers(0, 3, size=400)),
        psi_case("constant_reference", np.full(300, 3.0), rng.normal(loc=3.0, size=200)),
        psi_case("current_outside_reference_range", rng.uniform(0, 1, size=1000), rng.uniform(5, 6, size=600)),
        psi_case("current_below_reference_range", rng.uniform(0, 1, size=400), rng.uniform(-3, -2, size=100)),
        psi_case("integer_index_quantiles", np.arange(1001, dtype=np.float64) * 0.37, rng.uniform(0, 370, size=500)),
        psi_case("small_samples", rng.normal(size=7), rng.normal(size=3)),
        psi_case("single_reference_value", [1.5], [1.0, 1.5, 2.0]),
    ]


# ---------------------------------------------------------------------------


def write(name: str, payload: dict) -> None:
    path = OUT_DIR / name
    text = json.dumps(payload, indent=1, allow_nan=False) + "\n"
    path.write_text(text)
    n = len(payload["cases"]) + len(payload.get("kstwo_sf", [])) + len(payload.get("smirnov_sf", []))
    print(f"wrote {path.relative_to(ROOT)}: {n} cases, {len(text)} bytes")


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    # One generator per file, so adding a case to one file leaves the others unchanged.
    ks_rng, chi2_rng, psi_rng = (np.random.default_rng([SEED, i]) for i in range(3))

    ks = header()
    ks["cases"] = ks_cases(ks_rng)
    ks["kstwo_sf"] = kstwo_cases()
    ks["smirnov_sf"] = smirnov_cases()
    write("ks.json", ks)
    covered = sorted({c["kolmogn_regime"] for c in ks["cases"] if "kolmogn_regime" in c})
    print("  ks_2samp asymptotic regimes:", ", ".join(covered))
    print("  kstwo.sf regimes:", ", ".join(sorted({c["regime"] for c in ks["kstwo_sf"]})))
    print("  smirnov regimes:", ", ".join(sorted({c["regime"] for c in ks["smirnov_sf"]})))

    chi2 = header()
    chi2["cases"] = chi2_cases(chi2_rng)
    write("chi2.json", chi2)

    psi = header()
    psi["psi_epsilon"] = PSI_EPS
    psi["cases"] = psi_cases(psi_rng)
    write("psi.json", psi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
