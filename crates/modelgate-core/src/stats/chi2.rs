//! Chi-square test of homogeneity on a 2 x k table of category counts.

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The statistic, p-value and degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Chi2Result {
    /// Pearson's statistic (Yates-corrected when `dof == 1`).
    pub statistic: f64,
    /// Upper tail probability of the statistic under chi-square with `dof` degrees of freedom.
    pub p_value: f64,
    /// Degrees of freedom, `k - 1`.
    pub dof: u64,
}

/// Tests whether two count vectors over the same categories come from one
/// distribution, as `scipy.stats.chi2_contingency(np.array([reference, current]))`
/// does by default: expected counts from the margins, Yates' continuity
/// correction when the table has one degree of freedom, and `p = 1` for a
/// single category.
///
/// Categories with zero in both rows must not be passed (their expected count is
/// zero). Returns `None` when either row sums to zero or the lengths differ.
pub fn chi2_homogeneity(reference: &[u64], current: &[u64]) -> Option<Chi2Result> {
    if reference.len() != current.len() || reference.is_empty() {
        return None;
    }
    let row_totals = [reference.iter().sum::<u64>() as f64, current.iter().sum::<u64>() as f64];
    if row_totals[0] == 0.0 || row_totals[1] == 0.0 {
        return None;
    }
    let total = row_totals[0] + row_totals[1];
    let dof = (reference.len() - 1) as u64;
    if dof == 0 {
        return Some(Chi2Result { statistic: 0.0, p_value: 1.0, dof });
    }
    let mut statistic = 0.0;
    for (&r, &c) in reference.iter().zip(current) {
        let column_total = (r + c) as f64;
        for (observed, row_total) in [(r as f64, row_totals[0]), (c as f64, row_totals[1])] {
            let expected = row_total * column_total / total;
            let mut diff = observed - expected;
            if dof == 1 {
                // Yates: move each observed count up to 0.5 toward its expectation.
                diff = diff.signum() * (diff.abs() - diff.abs().min(0.5));
            }
            statistic += diff * diff / expected;
        }
    }
    let p_value = ChiSquared::new(dof as f64).ok()?.sf(statistic);
    Some(Chi2Result { statistic, p_value, dof })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_shares_give_zero_statistic() {
        let r = chi2_homogeneity(&[10, 20, 30], &[20, 40, 60]).unwrap();
        assert_eq!(r.statistic, 0.0);
        assert_eq!(r.p_value, 1.0);
        assert_eq!(r.dof, 2);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(chi2_homogeneity(&[5], &[7]).unwrap().p_value, 1.0);
        assert!(chi2_homogeneity(&[0, 0], &[1, 2]).is_none());
        assert!(chi2_homogeneity(&[1], &[1, 2]).is_none());
    }
}
