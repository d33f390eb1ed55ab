//! Population Stability Index on reference-quantile bins.
//!
//! Definition (the golden fixtures in `tests/data/golden/psi.json` follow it):
//!
//! 1. Edges are the reference's `k/bins` quantiles for `k = 1..bins`, each by
//!    linear interpolation between order statistics (numpy's default
//!    `np.quantile`), with repeated edges dropped, so heavy ties give fewer bins.
//! 2. A value belongs to the bin of the number of edges at or below it:
//!    `(-inf, e1), [e1, e2), ..., [ek, inf)`.
//! 3. `p_i` and `q_i` are the reference and current shares per bin. A share of
//!    exactly zero is replaced by `1e-4` and the shares are not renormalised,
//!    the rule Evidently uses, so an empty bin adds a large but finite term.
//! 4. `PSI = sum((q_i - p_i) * ln(q_i / p_i))`.

/// Share used in place of zero for an empty bin.
pub const EMPTY_BIN_SHARE: f64 = 1e-4;

/// PSI and the bins it was computed on.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PsiResult {
    /// The index.
    pub psi: f64,
    /// Inner bin edges (the outer bins are open-ended).
    pub edges: Vec<f64>,
    /// Reference values per bin; one more entry than `edges`.
    pub reference_counts: Vec<u64>,
    /// Current values per bin; one more entry than `edges`.
    pub current_counts: Vec<u64>,
}

/// PSI of `current` against `reference` on `bins` reference-quantile bins.
///
/// Both slices must be sorted ascending and finite. Returns `None` if either is
/// empty or `bins` is zero.
pub fn psi_quantile_bins(reference: &[f64], current: &[f64], bins: usize) -> Option<PsiResult> {
    if reference.is_empty() || current.is_empty() || bins == 0 {
        return None;
    }
    let mut edges: Vec<f64> = (1..bins).map(|k| quantile_sorted(reference, k as f64 / bins as f64)).collect();
    edges.dedup();
    let reference_counts = bin_counts_sorted(reference, &edges);
    let current_counts = bin_counts_sorted(current, &edges);
    let psi = psi_from_counts(&reference_counts, &current_counts);
    Some(PsiResult { psi, edges, reference_counts, current_counts })
}

/// PSI from two count vectors of equal length, with the empty-bin rule above.
pub fn psi_from_counts(reference: &[u64], current: &[u64]) -> f64 {
    let n_ref: u64 = reference.iter().sum();
    let n_cur: u64 = current.iter().sum();
    let share = |count: u64, total: u64| {
        if count == 0 {
            EMPTY_BIN_SHARE
        } else {
            count as f64 / total as f64
        }
    };
    reference
        .iter()
        .zip(current)
        .map(|(&r, &c)| {
            let p = share(r, n_ref);
            let q = share(c, n_cur);
            (q - p) * (q / p).ln()
        })
        .sum()
}

/// The `q` quantile of sorted data by linear interpolation (numpy's default, Hyndman-Fan type 7).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    debug_assert!(n > 0);
    let position = q * (n - 1) as f64;
    let lower = position.floor() as usize;
    let upper = (lower + 1).min(n - 1);
    let fraction = position - lower as f64;
    let (a, b) = (sorted[lower], sorted[upper]);
    // numpy's _lerp, including its switch of endpoint for fractions >= 0.5.
    let diff = b - a;
    if fraction >= 0.5 {
        b - diff * (1.0 - fraction)
    } else {
        a + diff * fraction
    }
}

/// [`quantile_sorted`] of data given as sorted distinct values with their
/// counts, `cumulative[i]` being the number of values up to and including the `i`-th.
pub fn quantile_counts(pairs: &[(f64, u64)], cumulative: &[u64], q: f64) -> f64 {
    let n = *cumulative.last().unwrap_or(&0);
    debug_assert!(n > 0);
    let at = |rank: u64| pairs[cumulative.partition_point(|&c| c <= rank).min(pairs.len() - 1)].0;
    let position = q * (n - 1) as f64;
    let lower = position.floor() as u64;
    let upper = (lower + 1).min(n - 1);
    let fraction = position - lower as f64;
    let (a, b) = (at(lower), at(upper));
    let diff = b - a;
    if fraction >= 0.5 {
        b - diff * (1.0 - fraction)
    } else {
        a + diff * fraction
    }
}

/// Counts of sorted values per bin, a bin being the number of edges at or below the value.
fn bin_counts_sorted(sorted: &[f64], edges: &[f64]) -> Vec<u64> {
    let mut counts = Vec::with_capacity(edges.len() + 1);
    let mut start = 0;
    for &edge in edges {
        let end = start + sorted[start..].partition_point(|&v| v < edge);
        counts.push((end - start) as u64);
        start = end;
    }
    counts.push((sorted.len() - start) as u64);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_samples_have_zero_psi() {
        let a: Vec<f64> = (0..1000).map(f64::from).collect();
        let r = psi_quantile_bins(&a, &a, 10).unwrap();
        assert_eq!(r.psi, 0.0);
        assert_eq!(r.edges.len(), 9);
        assert_eq!(r.reference_counts.iter().sum::<u64>(), 1000);
    }

    #[test]
    fn ties_collapse_bins() {
        let a = [1.0, 1.0, 1.0, 1.0, 2.0];
        let r = psi_quantile_bins(&a, &a, 10).unwrap();
        // numpy: np.quantile([1, 1, 1, 1, 2], [.1, ..., .9]) -> seven 1s, 1.2000000000000002, 1.6
        assert_eq!(r.edges, vec![1.0, 1.2000000000000002, 1.6]);
        assert_eq!(r.reference_counts, vec![0, 4, 0, 1]);
    }

    #[test]
    fn quantiles_match_numpy() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&a, 0.5), 2.5);
        assert_eq!(quantile_sorted(&a, 0.1), 1.3);
        assert_eq!(quantile_sorted(&a, 1.0), 4.0);
    }
}
