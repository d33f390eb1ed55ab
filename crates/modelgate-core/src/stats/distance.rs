//! Distances between two distributions given as counts over the same bins or
//! categories, tests on category counts, and Wasserstein on sorted samples.
//!
//! Formulas and sources are in `docs/drift-methods.md`; each function names the
//! reference implementation its golden fixtures come from
//! (`tests/golden/generate_drift.py`).

use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::erf::erfc;

fn shares(counts: &[u64]) -> Vec<f64> {
    let n: u64 = counts.iter().sum();
    counts.iter().map(|&c| if n == 0 { 0.0 } else { c as f64 / n as f64 }).collect()
}

/// `x ln(x / y)` as `scipy.special.rel_entr`.
fn rel_entr(x: f64, y: f64) -> f64 {
    if x > 0.0 && y > 0.0 {
        x * (x / y).ln()
    } else if x == 0.0 && y >= 0.0 {
        0.0
    } else {
        f64::INFINITY
    }
}

/// Jensen-Shannon distance with the natural logarithm, as
/// `scipy.spatial.distance.jensenshannon(p, q)` (which normalises both to sum 1).
/// It lies in `[0, sqrt(ln 2)]`.
pub fn jensen_shannon(p: &[f64], q: &[f64]) -> f64 {
    let (sp, sq) = (p.iter().sum::<f64>(), q.iter().sum::<f64>());
    let (mut left, mut right) = (0.0, 0.0);
    for (&a, &b) in p.iter().zip(q) {
        let (a, b) = (a / sp, b / sq);
        let m = (a + b) / 2.0;
        left += rel_entr(a, m);
        right += rel_entr(b, m);
    }
    ((left + right) / 2.0).max(0.0).sqrt()
}

/// Jensen-Shannon distance of two count vectors.
pub fn jensen_shannon_counts(reference: &[u64], current: &[u64]) -> f64 {
    jensen_shannon(&shares(reference), &shares(current))
}

/// Hellinger distance of two count vectors over categories, as Evidently's
/// categorical branch: `sqrt(1 - clip(sum sqrt(p_i q_i), 0, 1))`.
pub fn hellinger_counts(reference: &[u64], current: &[u64]) -> f64 {
    let (p, q) = (shares(reference), shares(current));
    let bc: f64 = p.iter().zip(&q).map(|(a, b)| (a * b).sqrt()).sum();
    (1.0 - bc.clamp(0.0, 1.0)).sqrt()
}

/// Hellinger distance of two histograms on the same `edges` (numpy densities
/// times the mean bin width), as Evidently's numeric branch.
pub fn hellinger_histogram(edges: &[f64], reference: &[u64], current: &[u64]) -> f64 {
    let k = reference.len();
    if k == 0 || edges.len() != k + 1 {
        return f64::NAN;
    }
    let width = (edges[k] - edges[0]) / k as f64;
    let density = |counts: &[u64]| -> Vec<f64> {
        let n: u64 = counts.iter().sum();
        counts.iter().enumerate().map(|(i, &c)| c as f64 / n as f64 / (edges[i + 1] - edges[i])).collect()
    };
    let (h1, h2) = (density(reference), density(current));
    let bc: f64 = h1.iter().zip(&h2).map(|(a, b)| (a * b).sqrt() * width).sum();
    (1.0 - bc.clamp(0.0, 1.0)).sqrt()
}

/// Total variation distance `0.5 * sum |p_i - q_i|` (Evidently's TVD statistic).
pub fn total_variation(reference: &[u64], current: &[u64]) -> f64 {
    let (p, q) = (shares(reference), shares(current));
    0.5 * p.iter().zip(&q).map(|(a, b)| (a - b).abs()).sum::<f64>()
}

/// L-infinity distance `max |p_i - q_i|`, TFDV's distance for categorical features.
pub fn l_infinity(reference: &[u64], current: &[u64]) -> f64 {
    let (p, q) = (shares(reference), shares(current));
    p.iter().zip(&q).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
}

/// The share Evidently puts in place of an empty bin: `1e-4`, or a millionth of
/// the smallest non-zero share when that is at most `1e-4`.
fn evidently_fill(shares: &mut [f64]) {
    let min = shares.iter().copied().filter(|&s| s != 0.0).fold(f64::INFINITY, f64::min);
    if !min.is_finite() {
        return;
    }
    let fill = if min <= 1e-4 { min / 1e6 } else { 1e-4 };
    for s in shares.iter_mut().filter(|s| **s == 0.0) {
        *s = fill;
    }
}

/// PSI as Evidently computes it on its bins: shares of each side's total, empty
/// bins filled by Evidently's rule, then `sum (p - q) ln(p / q)`.
pub fn psi_evidently(reference: &[u64], current: &[u64]) -> f64 {
    let (mut p, mut q) = (shares(reference), shares(current));
    evidently_fill(&mut p);
    evidently_fill(&mut q);
    p.iter().zip(&q).map(|(a, b)| (a - b) * (a / b).ln()).sum()
}

/// Cramer's V of the 2 x k table (reference row, current row), without
/// continuity correction, as `scipy.stats.contingency.association(table, method="cramer")`.
/// Categories empty in both rows must not be passed.
pub fn cramers_v(reference: &[u64], current: &[u64]) -> Option<f64> {
    let chi = pearson_chi2(&[reference, current])?;
    let n: u64 = reference.iter().sum::<u64>() + current.iter().sum::<u64>();
    let k = reference.len().min(2);
    if k < 2 || reference.len() < 2 {
        return Some(0.0);
    }
    Some((chi / (n as f64 * (k - 1) as f64)).sqrt())
}

/// Pearson's chi-square statistic of an r x k table (no continuity correction).
pub fn pearson_chi2(rows: &[&[u64]]) -> Option<f64> {
    let k = rows.first()?.len();
    if rows.iter().any(|r| r.len() != k) {
        return None;
    }
    let row_totals: Vec<f64> = rows.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let total: f64 = row_totals.iter().sum();
    if total == 0.0 || row_totals.contains(&0.0) {
        return None;
    }
    let mut stat = 0.0;
    for j in 0..k {
        let col: f64 = rows.iter().map(|r| r[j] as f64).sum();
        if col == 0.0 {
            continue;
        }
        for (r, rt) in rows.iter().zip(&row_totals) {
            let e = rt * col / total;
            let d = r[j] as f64 - e;
            stat += d * d / e;
        }
    }
    Some(stat)
}

/// Result of a hypothesis test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestStat {
    /// The statistic.
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
}

/// Evidently's chi-square goodness-of-fit variant: the current counts against
/// the reference shares scaled to the current total, as
/// `scipy.stats.chisquare(f_obs=current, f_exp=reference * n_cur / n_ref)`.
/// A category absent from the reference gives an infinite statistic and p = 0;
/// a single category gives p = 1.
pub fn chi2_goodness_of_fit(reference: &[u64], current: &[u64]) -> Option<TestStat> {
    let n_ref: u64 = reference.iter().sum();
    let n_cur: u64 = current.iter().sum();
    if n_ref == 0 || n_cur == 0 || reference.len() != current.len() || reference.is_empty() {
        return None;
    }
    let k_norm = n_cur as f64 / n_ref as f64;
    let mut stat = 0.0;
    for (&r, &c) in reference.iter().zip(current) {
        let e = r as f64 * k_norm;
        let d = c as f64 - e;
        stat += if e == 0.0 {
            if d == 0.0 {
                0.0
            } else {
                f64::INFINITY
            }
        } else {
            d * d / e
        };
    }
    let dof = reference.len() - 1;
    // One category: nothing can differ (as chi2_contingency, p = 1).
    let p_value = if dof == 0 {
        1.0
    } else if stat.is_infinite() {
        0.0
    } else {
        ChiSquared::new(dof as f64).ok()?.sf(stat)
    };
    Some(TestStat { statistic: stat, p_value })
}

/// Evidently's two-proportion z-test: the share of the category `first` (the
/// first in sorted order, as Evidently picks it) against all others, pooled
/// variance, two-sided. The p-value is `erfc(|z| / sqrt 2)`,
/// which equals Evidently's `2 * (1 - Phi(|z|))` except that it keeps its
/// precision below 1e-16 instead of rounding to 0.
pub fn z_test(first: usize, reference: &[u64], current: &[u64]) -> Option<TestStat> {
    let n1: u64 = reference.iter().sum();
    let n2: u64 = current.iter().sum();
    if n1 == 0 || n2 == 0 || first >= reference.len() || reference.len() != current.len() {
        return None;
    }
    let present: Vec<usize> = (0..reference.len()).filter(|&i| reference[i] + current[i] > 0).collect();
    let distinct_ref = present.iter().filter(|&&i| reference[i] > 0).count();
    let distinct_cur = present.iter().filter(|&&i| current[i] > 0).count();
    if distinct_ref == 1 && distinct_cur == 1 {
        let same = present.iter().any(|&i| reference[i] > 0 && current[i] > 0);
        if same {
            return Some(TestStat { statistic: 0.0, p_value: 1.0 });
        }
    }
    // Evidently codes the first key 0 and every other 1, so p is the share of the others.
    let p1 = (n1 - reference[first]) as f64 / n1 as f64;
    let p2 = (n2 - current[first]) as f64 / n2 as f64;
    let pooled = (p1 * n1 as f64 + p2 * n2 as f64) / (n1 + n2) as f64;
    let z = (p1 - p2) / (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    let p_value = if z.is_nan() { f64::NAN } else { erfc(z.abs() / std::f64::consts::SQRT_2) };
    Some(TestStat { statistic: z, p_value })
}

/// First Wasserstein distance between two sorted samples, as
/// `scipy.stats.wasserstein_distance(u, v)`: the area between the two empirical CDFs.
pub fn wasserstein_sorted(u: &[f64], v: &[f64]) -> Option<f64> {
    if u.is_empty() || v.is_empty() {
        return None;
    }
    let (nu, nv) = (u.len() as f64, v.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let mut prev = u[0].min(v[0]);
    let mut total = 0.0;
    let mut comp = 0.0;
    while i < u.len() || j < v.len() {
        let x = match (u.get(i), v.get(j)) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) => a,
            (None, Some(&b)) => b,
            (None, None) => break,
        };
        let term = (i as f64 / nu - j as f64 / nv).abs() * (x - prev);
        // Neumaier summation: a million terms keep their precision.
        let t = total + term;
        comp += if total.abs() >= term.abs() { (total - t) + term } else { (term - t) + total };
        total = t;
        while i < u.len() && u[i] <= x {
            i += 1;
        }
        while j < v.len() && v[j] <= x {
            j += 1;
        }
        prev = x;
    }
    Some(total + comp)
}

/// One walk over two sorted samples: the KS statistic as `ks_2samp` forms it
/// (`max |i/n1 - j/n2|` at each distinct value), the Wasserstein distance as
/// [`wasserstein_sorted`], and the number of distinct values of the union.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EcdfWalk {
    /// The two-sample KS statistic.
    pub ks_statistic: f64,
    /// The first Wasserstein distance.
    pub wasserstein: f64,
    /// Distinct values over both samples.
    pub distinct: u64,
}

/// See [`EcdfWalk`]; `None` when either sample is empty.
pub fn ecdf_walk(u: &[f64], v: &[f64]) -> Option<EcdfWalk> {
    if u.is_empty() || v.is_empty() {
        return None;
    }
    let (nu, nv) = (u.len() as f64, v.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    // Comparisons rather than f64::min, which wasm lowers to a library call.
    let mut prev = if u[0] <= v[0] { u[0] } else { v[0] };
    let (mut total, mut comp, mut d) = (0.0f64, 0.0f64, 0.0f64);
    let mut distinct = 0u64;
    // The ECDF gap `i/n1 - j/n2` left by one step is the gap the next step
    // integrates over: two divisions a step, not four (same values, same order).
    let mut diff = 0.0f64;
    while i < u.len() || j < v.len() {
        let x = if j == v.len() || (i < u.len() && u[i] <= v[j]) { u[i] } else { v[j] };
        let term = diff.abs() * (x - prev);
        let t = total + term;
        comp += if total >= term { (total - t) + term } else { (term - t) + total };
        total = t;
        while i < u.len() && u[i] <= x {
            i += 1;
        }
        while j < v.len() && v[j] <= x {
            j += 1;
        }
        diff = i as f64 / nu - j as f64 / nv;
        if diff.abs() > d {
            d = diff.abs();
        }
        distinct += 1;
        prev = x;
    }
    Some(EcdfWalk { ks_statistic: d, wasserstein: total + comp, distinct })
}

/// [`ecdf_walk`] over samples given as sorted distinct values with their
/// counts: the same numbers the expanded samples give.
pub fn ecdf_walk_counts(u: &[(f64, u64)], v: &[(f64, u64)]) -> Option<EcdfWalk> {
    let nu: u64 = u.iter().map(|p| p.1).sum();
    let nv: u64 = v.iter().map(|p| p.1).sum();
    if nu == 0 || nv == 0 {
        return None;
    }
    let (fu, fv) = (nu as f64, nv as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let (mut cu, mut cv) = (0u64, 0u64);
    let mut prev = if u[0].0 <= v[0].0 { u[0].0 } else { v[0].0 };
    let (mut total, mut comp, mut d) = (0.0f64, 0.0f64, 0.0f64);
    let mut distinct = 0u64;
    while i < u.len() || j < v.len() {
        let x = if j == v.len() || (i < u.len() && u[i].0 <= v[j].0) { u[i].0 } else { v[j].0 };
        let term = (cu as f64 / fu - cv as f64 / fv).abs() * (x - prev);
        let t = total + term;
        comp += if total >= term { (total - t) + term } else { (term - t) + total };
        total = t;
        while i < u.len() && u[i].0 <= x {
            cu += u[i].1;
            i += 1;
        }
        while j < v.len() && v[j].0 <= x {
            cv += v[j].1;
            j += 1;
        }
        let diff = (cu as f64 / fu - cv as f64 / fv).abs();
        if diff > d {
            d = diff;
        }
        distinct += 1;
        prev = x;
    }
    Some(EcdfWalk { ks_statistic: d, wasserstein: total + comp, distinct })
}

/// Wasserstein distance between two weighted point sets sorted by position
/// (the midpoints of sketch buckets with their counts).
pub fn wasserstein_weighted(u: &[(f64, u64)], v: &[(f64, u64)]) -> Option<f64> {
    let nu: u64 = u.iter().map(|p| p.1).sum();
    let nv: u64 = v.iter().map(|p| p.1).sum();
    if nu == 0 || nv == 0 {
        return None;
    }
    let (mut i, mut j) = (0, 0);
    let (mut cu, mut cv) = (0u64, 0u64);
    let mut prev: Option<f64> = None;
    let mut total = 0.0;
    while i < u.len() || j < v.len() {
        let x = match (u.get(i), v.get(j)) {
            (Some(a), Some(b)) => a.0.min(b.0),
            (Some(a), None) => a.0,
            (None, Some(b)) => b.0,
            (None, None) => break,
        };
        if let Some(p) = prev {
            total += (cu as f64 / nu as f64 - cv as f64 / nv as f64).abs() * (x - p);
        }
        while i < u.len() && u[i].0 <= x {
            cu += u[i].1;
            i += 1;
        }
        while j < v.len() && v[j].0 <= x {
            cv += v[j].1;
            j += 1;
        }
        prev = Some(x);
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_distributions_are_at_distance_zero() {
        let a = [10, 20, 30];
        assert_eq!(jensen_shannon_counts(&a, &a), 0.0);
        assert!(hellinger_counts(&a, &a) < 1e-7);
        assert_eq!(total_variation(&a, &a), 0.0);
        assert_eq!(l_infinity(&a, &a), 0.0);
        assert_eq!(psi_evidently(&a, &a), 0.0);
        assert_eq!(cramers_v(&a, &[20, 40, 60]).unwrap(), 0.0);
    }

    #[test]
    fn disjoint_distributions_are_at_the_maximum() {
        assert!((jensen_shannon_counts(&[5, 0], &[0, 5]) - 2f64.ln().sqrt()).abs() < 1e-15);
        assert_eq!(hellinger_counts(&[5, 0], &[0, 5]), 1.0);
        assert_eq!(total_variation(&[5, 0], &[0, 5]), 1.0);
        assert_eq!(l_infinity(&[5, 0], &[0, 5]), 1.0);
        assert!((cramers_v(&[5, 0], &[0, 5]).unwrap() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn wasserstein_of_shifted_samples_is_the_shift() {
        let u: Vec<f64> = (0..100).map(f64::from).collect();
        let v: Vec<f64> = u.iter().map(|x| x + 2.5).collect();
        assert!((wasserstein_sorted(&u, &v).unwrap() - 2.5).abs() < 1e-12);
        let walk = ecdf_walk(&u, &v).unwrap();
        assert_eq!(walk.wasserstein, wasserstein_sorted(&u, &v).unwrap());
        assert!((walk.ks_statistic - 0.03).abs() < 1e-15);
        assert_eq!(walk.distinct, 200);
        let wu: Vec<(f64, u64)> = u.iter().map(|&x| (x, 1)).collect();
        let wv: Vec<(f64, u64)> = v.iter().map(|&x| (x, 1)).collect();
        assert!((wasserstein_weighted(&wu, &wv).unwrap() - 2.5).abs() < 1e-12);
    }

    #[test]
    fn ecdf_walk_is_bit_identical_to_the_plain_formula() {
        // The walk as first written, recomputing both gaps at every step.
        fn plain(u: &[f64], v: &[f64]) -> (f64, f64) {
            let (nu, nv) = (u.len() as f64, v.len() as f64);
            let (mut i, mut j) = (0usize, 0usize);
            let mut prev = u[0].min(v[0]);
            let (mut total, mut comp, mut d) = (0.0f64, 0.0f64, 0.0f64);
            while i < u.len() || j < v.len() {
                let x = if j == v.len() || (i < u.len() && u[i] <= v[j]) { u[i] } else { v[j] };
                let term = (i as f64 / nu - j as f64 / nv).abs() * (x - prev);
                let t = total + term;
                comp += if total >= term { (total - t) + term } else { (term - t) + total };
                total = t;
                while i < u.len() && u[i] <= x {
                    i += 1;
                }
                while j < v.len() && v[j] <= x {
                    j += 1;
                }
                d = d.max((i as f64 / nu - j as f64 / nv).abs());
                prev = x;
            }
            (d, total + comp)
        }
        let mut state = 7u64;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for round in 0..50 {
            let (n1, n2) = (1 + next(300) as usize, 1 + next(300) as usize);
            let spread = [3, 50, 100_000][round % 3];
            let mut u: Vec<f64> = (0..n1).map(|_| next(spread) as f64 * 0.37 - 5.0).collect();
            let mut v: Vec<f64> = (0..n2).map(|_| next(spread) as f64 * 0.41 - 4.0).collect();
            u.sort_by(f64::total_cmp);
            v.sort_by(f64::total_cmp);
            let walk = ecdf_walk(&u, &v).unwrap();
            let (d, w) = plain(&u, &v);
            assert_eq!(walk.ks_statistic.to_bits(), d.to_bits(), "round {round}");
            assert_eq!(walk.wasserstein.to_bits(), w.to_bits(), "round {round}");
        }
    }

    #[test]
    fn z_test_edge_cases() {
        assert_eq!(z_test(0, &[5, 0], &[7, 0]).unwrap().p_value, 1.0);
        let t = z_test(0, &[50, 50], &[30, 70]).unwrap();
        assert!(t.p_value < 0.01 && t.p_value > 0.0);
    }
}
