//! Two-sample Kolmogorov-Smirnov test, computed the way
//! `scipy.stats.ks_2samp(a, b)` does with its defaults
//! (`alternative='two-sided'`, `method='auto'`), and the two KS distributions
//! behind it.
//!
//! The point of following scipy step by step, rather than using any correct
//! formula, is that the golden fixtures (`tests/data/golden/ks.json`) compare
//! our p-values with scipy's to 1e-9 relative, and several of scipy's paths are
//! approximations (Pelz-Good, Miller's `2 * smirnov`, the large-`n` Smirnov
//! formula): an equally good but different approximation would not agree.
//!
//! Sources (the algorithms, not the code, are taken from them):
//! - scipy `scipy/stats/_stats_py.py` (`ks_2samp`, `_attempt_exact_2kssamp`,
//!   `_compute_prob_outside_square`) and `scipy/stats/_stats_pythran.py`
//!   (`_compute_outer_prob_inside_method`);
//! - scipy `scipy/stats/_ksstats.py` (`_kolmogn` and helpers), after
//!   R. Simard and P. L'Ecuyer, "Computing the Two-Sided Kolmogorov-Smirnov
//!   Distribution", Journal of Statistical Software 39(11), 2011;
//! - scipy's `xsf/cephes/kolmogorov.h` (`smirnov`), after Z. W. Birnbaum and
//!   F. H. Tingey, "One-Sided Confidence Contours for Probability Distribution
//!   Functions", Ann. Math. Statist. 1951, and P. van Mulbregt, "Computing the
//!   Cumulative Distribution Function and Quantiles of the One-sided
//!   Kolmogorov-Smirnov Statistic", arXiv:1802.06966;
//! - J. L. Hodges, "The Significance Probability of the Smirnov Two-Sample
//!   Test", Arkiv för Matematik 3(43), 1958, and T. Viehmann, "Numerically more
//!   stable computation of the p-values for the two-sample Kolmogorov-Smirnov
//!   test", arXiv:2102.08037;
//! - J. Durbin (1968) and G. Marsaglia, W. W. Tsang, J. Wang, "Evaluating
//!   Kolmogorov's Distribution", Journal of Statistical Software 8(18), 2003;
//!   J. Pomeranz, "Exact Cumulative Distribution of the Kolmogorov-Smirnov
//!   Statistic for Small Samples (Algorithm 487)", CACM 17(12), 1974;
//!   W. Pelz and I. J. Good, "Approximating the Lower Tail-areas of the
//!   Kolmogorov-Smirnov One-sample Statistic", JRSS B 38(2), 1976.

use serde::Serialize;
use std::f64::consts::{LN_2, PI};

/// Which p-value path was taken, as scipy's method='auto' decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KsMethod {
    /// Exact null distribution of the two-sample statistic (both sizes at most
    /// 10000 and the lattice-path computation stayed finite).
    Exact,
    /// One-sample Kolmogorov distribution at the effective size `n*m/(n+m)`.
    Asymptotic,
}

/// Outcome of [`ks_2samp`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KsResult {
    /// Largest absolute difference of the two empirical CDFs. On the exact path
    /// this is the value scipy reports: rounded to a multiple of `1/lcm(n, m)`.
    pub statistic: f64,
    /// Two-sided p-value, in `[0, 1]`.
    pub p_value: f64,
    /// The path the p-value came from.
    pub method: KsMethod,
}

/// Largest sample size for which scipy's `method='auto'` tries the exact path.
const MAX_AUTO_N: usize = 10_000;

/// Two-sample Kolmogorov-Smirnov test, as `scipy.stats.ks_2samp(a, b)` with
/// its defaults (two-sided, `method='auto'`): exact p-value when both sizes are
/// at most 10000, otherwise `kstwo.sf(d, round(n*m/(n+m)))`.
///
/// `a` and `b` must be sorted ascending and hold only finite values (callers
/// guarantee it; debug_assert it). Returns None if either is empty.
///
/// The statistic costs one linear merge of the two samples. The exact p-value
/// costs up to `O(n*m*d)` (about 1e8 cheap steps at 10000 x 10000); the
/// asymptotic one does not depend on the sample sizes beyond the effective size
/// `en = n*m/(n+m)`, and is bounded work for any size (see [`kolmogorov_sf`]).
pub fn ks_2samp(a: &[f64], b: &[f64]) -> Option<KsResult> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    debug_assert!(is_sorted_finite(a), "ks_2samp: first sample must be sorted and finite");
    debug_assert!(is_sorted_finite(b), "ks_2samp: second sample must be sorted and finite");
    Some(ks_2samp_from_statistic(a.len() as u64, b.len() as u64, ecdf_max_distance(a, b)))
}

/// [`ks_2samp`] for samples of sizes `n1` and `n2` (both non-zero) whose
/// statistic `d` was already computed as [`ks_2samp`] does (`max |i/n1 - j/n2|`
/// over the sample values), for callers that walk the two ECDFs once for
/// several methods or hold the samples as value counts.
pub fn ks_2samp_from_statistic(n1: u64, n2: u64, d: f64) -> KsResult {
    if n1.max(n2) > MAX_AUTO_N as u64 {
        return KsResult { statistic: d, p_value: asymptotic_p(n1, n2, d), method: KsMethod::Asymptotic };
    }
    // scipy works on the lattice of multiples of 1/lcm: it rounds d onto it
    // and reports the rounded value, even if it then falls back.
    let g = gcd(n1, n2);
    let lcm = (n1 / g) * n2;
    let h = (d * lcm as f64).round_ties_even() as u64;
    let d = h as f64 / lcm as f64;
    if h == 0 {
        return KsResult { statistic: d, p_value: 1.0, method: KsMethod::Exact };
    }
    let p = if n1 == n2 { prob_outside_square(n1, h) } else { prob_outside_band(n1, n2, g, h) };
    if p.is_finite() && (0.0..=1.0).contains(&p) {
        KsResult { statistic: d, p_value: p, method: KsMethod::Exact }
    } else {
        // scipy warns and switches to the asymptotic path here.
        KsResult { statistic: d, p_value: asymptotic_p(n1, n2, d), method: KsMethod::Asymptotic }
    }
}

fn is_sorted_finite(x: &[f64]) -> bool {
    x.iter().all(|v| v.is_finite()) && x.windows(2).all(|w| w[0] <= w[1])
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `max |F_a(v) - F_b(v)|` over all sample values `v`, each ECDF counting the
/// values `<= v` (numpy's `searchsorted(side='right')`). Every difference is
/// formed as `i/n1 - j/n2` in f64, as scipy does, so the asymptotic path sees
/// the very same `d`.
fn ecdf_max_distance(a: &[f64], b: &[f64]) -> f64 {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let mut d = 0.0f64;
    // Once either sample is used up the difference can only shrink, so the
    // loop may stop there. Each pass consumes at least one value, so it ends
    // even on unsorted or NaN input (where the result is meaningless).
    while i < a.len() && j < b.len() {
        let v = if a[i] <= b[j] {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        while i < a.len() && a[i] <= v {
            i += 1;
        }
        while j < b.len() && b[j] <= v {
            j += 1;
        }
        d = d.max((i as f64 / n1 - j as f64 / n2).abs());
    }
    d
}

/// scipy's asymptotic two-sided p-value: `kstwo.sf(d, round(en))`, with
/// `en = m*n/(m+n)` formed in floating point from the sorted sizes.
fn asymptotic_p(n1: u64, n2: u64, d: f64) -> f64 {
    let (m, n) = if n1 >= n2 { (n1 as f64, n2 as f64) } else { (n2 as f64, n1 as f64) };
    let en = m * n / (m + n);
    kolmogorov_sf(en.round_ties_even() as u64, d).clamp(0.0, 1.0)
}

/// `P(D_{n,n} >= h/n)` for two samples of equal size `n`: the proportion of
/// lattice paths that leave the band `|x - y| < h`. This is scipy's
/// `_compute_prob_outside_square`: the alternating binomial sum
/// `2 * sum_k (-1)^(k-1) C(2n, n-kh) / C(2n, n)` with each ratio built as a
/// product of `h` factors and nested Horner-like to avoid cancellation.
fn prob_outside_square(n: u64, h: u64) -> f64 {
    let (n, h) = (n as i64, h as i64);
    let mut p = 0.0f64;
    let mut k = n / h;
    while k >= 0 {
        let mut p1 = 1.0f64;
        for j in 0..h {
            p1 = (n - k * h - j) as f64 * p1 / (n + k * h + j + 1) as f64;
        }
        p = p1 * (1.0 - p);
        k -= 1;
    }
    2.0 * p
}

/// `P(D_{m,n} >= h/lcm(m,n))` for unequal sizes: Hodges' inside method,
/// counting lattice paths from (0,0) to (m,n) that stay strictly inside
/// `|n*x/g - m*y/g| < h`, but carried out as Viehmann's recursion for the
/// complementary proportion, which stays in [0,1] and needs no big binomial
/// coefficients. Mirrors scipy's `_compute_outer_prob_inside_method`,
/// including its sliding window over one column of the lattice.
fn prob_outside_band(m: u64, n: u64, g: u64, h: u64) -> f64 {
    let (m, n) = if m < n { (n, m) } else { (m, n) };
    let (m, n, g, h) = (m as i64, n as i64, g as i64, h as i64);
    let mg = m / g;
    let ng = n / g;
    let mut minj: i64 = 0;
    let mut maxj: i64 = ((h as f64 / mg as f64).ceil() as i64).min(n + 1);
    let mut curlen = maxj - minj;
    let len_a = (2 * maxj + 2).min(n + 1).max(1) as usize;
    let mut col = vec![1.0f64; len_a];
    for slot in col.iter_mut().take(maxj.max(0) as usize) {
        *slot = 0.0;
    }
    for i in 1..=m {
        let (lastminj, lastlen) = (minj, curlen);
        minj = ((((ng * i - h) as f64 / mg as f64).floor() as i64) + 1).max(0);
        minj = minj.min(n);
        maxj = (((ng * i + h) as f64 / mg as f64).ceil() as i64).min(n + 1);
        if maxj <= minj {
            return 1.0;
        }
        let mut val = if minj == 0 { 0.0 } else { 1.0 };
        for jj in 0..(maxj - minj) {
            let j = jj + minj;
            // The window only ever slides up, so this reads ahead of the writes.
            let prev =
                usize::try_from(jj + minj - lastminj).ok().and_then(|k| col.get(k).copied()).unwrap_or(1.0);
            val = (prev * i as f64 + val * j as f64) / (i + j) as f64;
            if let Some(slot) = col.get_mut(jj as usize) {
                *slot = val;
            }
        }
        curlen = maxj - minj;
        if lastlen > curlen {
            // Cells that just left the window are outside the band: all paths
            // through them count as "outside", proportion 1.
            let from = (maxj - minj) as usize;
            let to = ((maxj - minj) + (lastlen - curlen)) as usize;
            for slot in col.iter_mut().take(to).skip(from) {
                *slot = 1.0;
            }
        }
    }
    usize::try_from(maxj - minj - 1).ok().and_then(|k| col.get(k).copied()).unwrap_or(f64::NAN)
}

// ---------------------------------------------------------------------------
// kstwo: the two-sided one-sample statistic D_n
// ---------------------------------------------------------------------------

/// 2^128 and 2^-128: the rescaling steps scipy uses to keep long products of
/// small or large numbers inside the f64 range, tracked by a separate exponent.
const E128: i64 = 128;
const P2_128: f64 = 3.402_823_669_209_385e38;
const P2_M128: f64 = 2.938_735_877_055_719e-39;

/// Survival function of the two-sided one-sample Kolmogorov statistic D_n, as scipy.stats.kstwo.sf(x, n).
///
/// That is `P(D_n >= x)` where `D_n = sup |F_n - F|` for `n` observations,
/// following Simard and L'Ecuyer (2011) through scipy's `_kolmogn`: edges by
/// Ruben-Gambino, `2 * smirnov` when `x >= 0.5`, for `n <= 140` the
/// Durbin matrix (Marsaglia-Tsang-Wang), Pomeranz's recursion or Miller's
/// `2 * smirnov`, and for larger `n` zero when `n x^2 >= 370`, `2 * smirnov`
/// when `n x^2 >= 2.2`, else one minus the CDF from the Durbin matrix
/// (`n <= 100000` and `n x^1.5 <= 1.4`) or the Pelz-Good approximation.
///
/// Returns 1 for `x <= 0.5/n`, 0 for `x >= 1`, and NaN for `n == 0` or NaN
/// `x`, like scipy. The work is bounded whatever `n`: at most about
/// `min(n, 10^6)` cheap terms (the `smirnov` sum) or a few hundred small matrix
/// products (Durbin, `n <= 100000`).
pub fn kolmogorov_sf(n: u64, x: f64) -> f64 {
    if n == 0 || x.is_nan() {
        return f64::NAN;
    }
    // rv_continuous.sf answers outside the support (0.5/n, 1) itself.
    if x <= 0.5 / n as f64 {
        return 1.0;
    }
    if x >= 1.0 {
        return 0.0;
    }
    kolmogn_sf(n, x)
}

fn clip_prob(p: f64) -> f64 {
    // np.clip keeps NaN, and so does f64::clamp.
    p.clamp(0.0, 1.0)
}

/// scipy's `_kolmogn(n, x, cdf=False)`: the regime selection of Simard and
/// L'Ecuyer, with the thresholds scipy uses.
fn kolmogn_sf(n: u64, x: f64) -> f64 {
    if x >= 1.0 {
        return 0.0;
    }
    if x <= 0.0 {
        return 1.0;
    }
    let nf = n as f64;
    let t = nf * x;
    if t <= 1.0 {
        // Ruben-Gambino: for 1/(2n) <= x <= 1/n the CDF is n!/n^n (2t-1)^n.
        if t <= 0.5 {
            return 1.0;
        }
        let cdf = if n <= 140 {
            let mut prod = 1.0f64;
            for i in 1..=n {
                prod *= i as f64 * (1.0 / nf) * (2.0 * t - 1.0);
            }
            prod
        } else {
            (log_nfactorial_div_n_pow_n(nf) + nf * (2.0 * t - 1.0).ln()).exp()
        };
        return clip_prob(1.0 - cdf);
    }
    if t >= nf - 1.0 {
        // Ruben-Gambino: for x >= 1 - 1/n the SF is 2 (1-x)^n.
        return clip_prob(2.0 * (1.0 - x).powf(nf));
    }
    if x >= 0.5 {
        // D_n+ >= x and D_n- >= x cannot both hold, so the SF is exactly twice
        // the one-sided one.
        return clip_prob(2.0 * smirnov_sf(n, x));
    }
    let nxsquared = t * x;
    if n <= 140 {
        if nxsquared <= 0.754693 {
            return clip_prob(1.0 - durbin_mtw_cdf(n, x));
        }
        if nxsquared <= 4.0 {
            return clip_prob(1.0 - pomeranz_cdf(n, x));
        }
        // Miller's approximation.
        return clip_prob(2.0 * smirnov_sf(n, x));
    }
    if nxsquared >= 370.0 {
        return 0.0;
    }
    if nxsquared >= 2.2 {
        return clip_prob(2.0 * smirnov_sf(n, x));
    }
    let cdf = if nxsquared >= 18.0 {
        1.0
    } else if n <= 100_000 && nf * x.powf(1.5) <= 1.4 {
        durbin_mtw_cdf(n, x)
    } else {
        pelz_good_cdf(n, x)
    };
    clip_prob(1.0 - cdf)
}

/// `ln(n! / n^n)` by Stirling's series with `n ln n` cancelled analytically,
/// as scipy's `_log_nfactorial_div_n_pow_n`.
fn log_nfactorial_div_n_pow_n(n: f64) -> f64 {
    // B_{2j} / (2j (2j-1)) for j = 8, ..., 1 (highest power first); each
    // division rounds to the same double as scipy's decimal literals.
    const STIRLING: [f64; 8] = [
        -3617.0 / 122400.0,
        1.0 / 156.0,
        -691.0 / 360360.0,
        1.0 / 1188.0,
        -1.0 / 1680.0,
        1.0 / 1260.0,
        -1.0 / 360.0,
        1.0 / 12.0,
    ];
    let rn = 1.0 / n;
    let y = rn / n;
    let poly = STIRLING.iter().fold(0.0, |acc, &c| acc * y + c);
    n.ln() / 2.0 - n + (2.0 * PI).ln() / 2.0 + rn * poly
}

/// `ldexp`: `x * 2^e` without overflowing the intermediate power of two.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    while e > 1023 {
        x *= f64::from_bits(0x7fe0_0000_0000_0000); // 2^1023
        e -= 1023;
        if x.is_infinite() {
            return x;
        }
    }
    while e < -1022 {
        x *= f64::from_bits(0x0010_0000_0000_0000); // 2^-1022
        e += 1022;
        if x == 0.0 {
            return x;
        }
    }
    x * f64::from_bits(((e + 1023) as u64) << 52)
}

/// `frexp`: `x = m * 2^e` with `0.5 <= |m| < 1` (`m = x`, `e = 0` for zero and
/// non-finite `x`).
fn frexp(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let (x, bias) = if x.abs() < f64::MIN_POSITIVE {
        (x * f64::from_bits(0x4350_0000_0000_0000), -54) // 2^54, makes x normal
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mantissa = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (mantissa, exp - 1022 + bias)
}

/// Dense square matrix product, row-major.
fn mat_mul(a: &[f64], b: &[f64], m: usize) -> Vec<f64> {
    let mut c = vec![0.0; m * m];
    for i in 0..m {
        for k in 0..m {
            let aik = a[i * m + k];
            if aik == 0.0 {
                continue;
            }
            let (brow, crow) = (&b[k * m..(k + 1) * m], &mut c[i * m..(i + 1) * m]);
            for (cij, bkj) in crow.iter_mut().zip(brow) {
                *cij += aik * bkj;
            }
        }
    }
    c
}

/// `P(D_n <= d)` by Durbin's matrix formula in the form of Marsaglia, Tsang
/// and Wang (2003): the k-th diagonal entry of `(n!/n^n) H^n` for an
/// `(2k-1) x (2k-1)` matrix `H`, `k = ceil(n d)`, raised by repeated squaring
/// with scipy's rescaling by 2^128 tracked in a separate exponent
/// (`_kolmogn_DMTW`). Cost `O(k^3 log n + n)`.
fn durbin_mtw_cdf(n: u64, d: f64) -> f64 {
    if d >= 1.0 {
        return 1.0;
    }
    let nf = n as f64;
    let nd = nf * d;
    if nd <= 0.5 {
        return 0.0;
    }
    let k = nd.ceil() as usize;
    let h = k as f64 - nd;
    let m = 2 * k - 1;

    // v[j] = (1 - h^(j+1)) / (j+1)!, w[j] = 1/j!.
    let mut v = vec![0.0f64; m];
    let mut w = vec![0.0f64; m];
    let mut fac = 1.0f64;
    for j in 1..=m {
        w[j - 1] = fac;
        fac /= j as f64; // may underflow, harmlessly
        v[j - 1] = (1.0 - h.powf(j as f64)) * fac;
    }
    let tt = (2.0 * h - 1.0).max(0.0).powf(m as f64) - 2.0 * h.powf(m as f64);
    v[m - 1] = (1.0 + tt) * fac;

    let mut hm = vec![0.0f64; m * m];
    for i in 1..m {
        for r in (i - 1)..m {
            hm[r * m + i] = w[r - (i - 1)];
        }
    }
    for r in 0..m {
        hm[r * m] = v[r];
    }
    for c in 0..m {
        hm[(m - 1) * m + c] = v[m - 1 - c];
    }

    let mut hpwr = vec![0.0f64; m * m];
    for i in 0..m {
        hpwr[i * m + i] = 1.0;
    }
    let mut nn = n;
    let mut expnt: i64 = 0;
    let mut hexpnt: i64 = 0;
    while nn > 0 {
        if nn % 2 == 1 {
            hpwr = mat_mul(&hpwr, &hm, m);
            expnt += hexpnt;
        }
        nn /= 2;
        if nn == 0 {
            break; // scipy squares once more, but never uses the result
        }
        hm = mat_mul(&hm, &hm, m);
        hexpnt *= 2;
        if hm[(k - 1) * m + (k - 1)].abs() > P2_128 {
            for e in hm.iter_mut() {
                *e /= P2_128;
            }
            hexpnt += E128;
        }
    }
    let mut p = hpwr[(k - 1) * m + (k - 1)];
    // Multiply by n!/n^n one factor at a time, rescaling before underflow.
    for i in 1..=n {
        p = i as f64 * p / nf;
        if p.abs() < P2_M128 {
            p *= P2_128;
            expnt -= E128;
        }
    }
    if expnt != 0 {
        p = ldexp(p, expnt);
    }
    clip_prob(p)
}

/// Row bounds `[j1, j2]` of the non-zero band in step `i` of Pomeranz's
/// recursion (scipy's `_pomeranz_compute_j1j2`).
fn pomeranz_j1j2(i: i64, n: i64, ll: i64, ceilf: i64, roundf: i64) -> (i64, i64) {
    let (j1, j2) = if i == 0 {
        (-ll - ceilf - 1, ll + ceilf - 1)
    } else {
        let (ip1div2, ip1mod2) = ((i + 1) / 2, (i + 1) % 2);
        if ip1mod2 == 0 {
            if ip1div2 == n + 1 {
                (n - ll - ceilf - 1, n + ll + ceilf - 1)
            } else {
                (ip1div2 - 1 - ll - roundf - 1, ip1div2 + ll - 1 + ceilf - 1)
            }
        } else {
            (ip1div2 - 1 - ll - 1, ip1div2 + ll + roundf - 1)
        }
    };
    ((j1 + 2).max(0), j2.min(n))
}

/// `P(D_n <= x)` by Pomeranz's recursion (1974): `2n+1` steps, each a short
/// convolution of the previous row with truncated Poisson weights, only the
/// non-zero band kept, rescaled by 2^128 against underflow (scipy's
/// `_kolmogn_Pomeranz`). Used for `n <= 140`.
fn pomeranz_cdf(n: u64, x: f64) -> f64 {
    let nf = n as f64;
    let n = n as i64;
    let t = nf * x;
    let ll = t.floor() as i64;
    let f = t - ll as f64;
    let g = f.min(1.0 - f);
    let ceilf = i64::from(f > 0.0);
    let roundf = i64::from(f > 0.5);
    let npwrs = (2 * (ll + 1)) as usize;
    // (g/n)^m/m!, (2g/n)^m/m!, ((1-2g)/n)^m/m!: Poisson weights without e^-λ.
    let mut gpower = vec![1.0f64; npwrs];
    let mut twogpower = vec![1.0f64; npwrs];
    let mut onem2gpower = vec![1.0f64; npwrs];
    let (g_over_n, two_g_over_n, one_minus_two_g_over_n) = (g / nf, 2.0 * g / nf, (1.0 - 2.0 * g) / nf);
    for m in 1..npwrs {
        gpower[m] = gpower[m - 1] * g_over_n / m as f64;
        twogpower[m] = twogpower[m - 1] * two_g_over_n / m as f64;
        onem2gpower[m] = onem2gpower[m - 1] * one_minus_two_g_over_n / m as f64;
    }

    let mut v0 = vec![0.0f64; npwrs];
    let mut v1 = vec![0.0f64; npwrs];
    v1[0] = 1.0;
    let (mut v0s, mut v1s) = (0i64, 0i64);
    let mut expnt: i64 = 0;
    let mut j1 = pomeranz_j1j2(0, n, ll, ceilf, roundf).0;
    let mut conv = Vec::with_capacity(2 * npwrs);
    for i in 1..(2 * n + 2) {
        let k1 = j1;
        std::mem::swap(&mut v0, &mut v1);
        std::mem::swap(&mut v0s, &mut v1s);
        v1.fill(0.0);
        let j2;
        (j1, j2) = pomeranz_j1j2(i, n, ll, ceilf, roundf);
        let pwrs = if i == 1 || i == 2 * n + 1 {
            &gpower
        } else if i % 2 == 1 {
            &twogpower
        } else {
            &onem2gpower
        };
        let ln2 = j2 - k1 + 1;
        if ln2 > 0 {
            // Out-of-range parts of the slices are zero rows in scipy (they
            // never occur for valid n and x; clamping keeps this panic-free).
            let start = (k1 - v0s).clamp(0, npwrs as i64) as usize;
            let end = (k1 - v0s + ln2).clamp(0, npwrs as i64) as usize;
            let a = &v0[start..end.max(start)];
            let b = &pwrs[..(ln2 as usize).min(npwrs)];
            conv.clear();
            if !a.is_empty() {
                conv.resize(a.len() + b.len() - 1, 0.0);
                for (p, &ap) in a.iter().enumerate() {
                    for (q, &bq) in b.iter().enumerate() {
                        conv[p + q] += ap * bq;
                    }
                }
            }
            let conv_start = j1 - k1;
            let conv_len = j2 - j1 + 1;
            for idx in 0..conv_len.max(0) {
                let src = usize::try_from(conv_start + idx).ok().and_then(|s| conv.get(s).copied());
                if let (Some(val), Some(dst)) = (src, v1.get_mut(idx as usize)) {
                    *dst = val;
                }
            }
            let vmax = v1.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if vmax > 0.0 && vmax < P2_M128 {
                for e in v1.iter_mut() {
                    *e *= P2_128;
                }
                expnt -= E128;
            }
            v1s = v0s + j1 - k1;
        }
    }
    let mut ans = usize::try_from(n - v1s).ok().and_then(|k| v1.get(k).copied()).unwrap_or(0.0);
    // Multiply by n!, rescaling before overflow.
    for m in 1..=n {
        if ans.abs() > P2_128 {
            ans *= P2_M128;
            expnt += E128;
        }
        ans *= m as f64;
    }
    if expnt != 0 {
        ans = ldexp(ans, expnt);
    }
    clip_prob(ans)
}

/// Pelz-Good (1976) approximation of `P(D_n <= x)`: the Li-Chien/Korolyuk
/// expansion `K0 + K1/sqrt(n) + K2/n + K3/n^1.5` in `z = x sqrt(n)`, each term
/// rewritten through Jacobi theta identities into series that converge fast for
/// small `z` (scipy's `_kolmogn_PelzGood`, same terms and truncation).
fn pelz_good_cdf(n: u64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let pi2 = PI.powf(2.0);
    let pi4 = PI.powf(4.0);
    let pi6 = PI.powf(6.0);
    let sqrt2pi = (2.0 * PI).sqrt();
    let nf = n as f64;
    let z = nf.sqrt() * x;
    let (zsquared, zthree, zfour, zsix) = (z.powf(2.0), z.powf(3.0), z.powf(4.0), z.powf(6.0));

    let qlog = -pi2 / 8.0 / zsquared;
    if qlog < -708.0 {
        return 0.0;
    }
    let q = qlog.exp();

    let k1a = -zsquared;
    let k1b = pi2 / 4.0;
    let k2a = 6.0 * zsix + 2.0 * zfour;
    let k2b = (2.0 * zfour - 5.0 * zsquared) * pi2 / 4.0;
    let k2c = pi4 * (1.0 - 2.0 * zsquared) / 16.0;
    let k3d = pi6 * (5.0 - 30.0 * zsquared) / 64.0;
    let k3c = pi4 * (-60.0 * zsquared + 212.0 * zfour) / 16.0;
    let k3b = pi2 * (135.0 * zfour - 96.0 * zsix) / 4.0;
    let k3a = -30.0 * zsix - 90.0 * z.powf(8.0);

    // Horner over q^(8k) of the sums over odd m = 2k-1 of c_i(m) q^(m^2).
    let mut kk = [0.0f64; 4];
    let maxk = (16.0 * z / PI).ceil() as i64;
    for k in (1..=maxk).rev() {
        let m = (2 * k - 1) as f64;
        let (msquared, mfour, msix) = (m * m, m.powf(4.0), m.powf(6.0));
        let qpower = q.powf((8 * k) as f64);
        let coeffs = [
            1.0,
            k1a + k1b * msquared,
            k2a + k2b * msquared + k2c * mfour,
            k3a + k3b * msquared + k3c * mfour + k3d * msix,
        ];
        for (acc, c) in kk.iter_mut().zip(coeffs) {
            *acc = *acc * qpower + c;
        }
    }
    let denominators = [z, 6.0 * zfour, 72.0 * z.powf(7.0), 6480.0 * z.powf(10.0)];
    for (acc, den) in kk.iter_mut().zip(denominators) {
        *acc = *acc * q * sqrt2pi / den;
    }

    // The remaining sums over all integers k, for K2 and K3.
    let q = (-pi2 / 2.0 / zsquared).exp();
    let sqrt3z = 3.0f64.sqrt() * z;
    let (mut k2extra, mut k3extra) = (0.0f64, 0.0f64);
    for k in (1..=maxk).rev() {
        let ksquared = (k * k) as f64;
        let kspi = PI * k as f64;
        let qpwr = q.powf(ksquared);
        k2extra += ksquared * qpwr;
        k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwr;
    }
    kk[2] += k2extra * (pi2 * sqrt2pi / (-36.0 * zthree));
    kk[3] += k3extra * (pi2 * sqrt2pi / (216.0 * zsix));
    let powers_of_n = [1.0, nf.powf(0.5), nf, nf.powf(1.5)];
    kk.iter().zip(powers_of_n).fold(0.0, |sum, (k, p)| sum + k / p)
}

// ---------------------------------------------------------------------------
// smirnov: the one-sided statistic D_n+
// ---------------------------------------------------------------------------

/// Double-double arithmetic (value `hi + lo`, about 106 bits), the subset of
/// the QD library that scipy's `smirnov` relies on. It is needed because the
/// Birnbaum-Tingey terms raise numbers close to 1 to powers up to 10^6, which
/// would lose ~6 digits in plain f64.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dd {
    hi: f64,
    lo: f64,
}

/// Error-free `a + b` assuming `|a| >= |b|`.
fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// Error-free `a + b`.
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let c = s - a;
    let d = b - c;
    let e = s - c;
    (s, (a - e) + d)
}

/// Veltkamp split of `a` into two 26-bit halves, scaled to avoid overflow.
fn split(a: f64) -> (f64, f64) {
    const SPLITTER: f64 = 134_217_729.0; // 2^27 + 1
    const SPLIT_THRESH: f64 = 6.696_928_794_914_17e299; // 2^996
    if a.abs() > SPLIT_THRESH {
        let a = a * 3.725_290_298_461_914e-9; // 2^-28
        let t = SPLITTER * a;
        let hi = t - (t - a);
        let lo = a - hi;
        (hi * 268_435_456.0, lo * 268_435_456.0)
    } else {
        let t = SPLITTER * a;
        let hi = t - (t - a);
        (hi, a - hi)
    }
}

/// Error-free `a * b` (Dekker), portable to targets without a fast fma.
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

impl Dd {
    const fn new(hi: f64) -> Self {
        Dd { hi, lo: 0.0 }
    }

    fn is_zero(self) -> bool {
        self.hi == 0.0 && self.lo == 0.0
    }

    fn add(self, b: Dd) -> Dd {
        let (s1, s2) = two_sum(self.hi, b.hi);
        let (t1, t2) = two_sum(self.lo, b.lo);
        let (s1, s2) = quick_two_sum(s1, s2 + t1);
        let (hi, lo) = quick_two_sum(s1, s2 + t2);
        Dd { hi, lo }
    }

    fn add_f(self, b: f64) -> Dd {
        let (s1, s2) = two_sum(self.hi, b);
        let (hi, lo) = quick_two_sum(s1, s2 + self.lo);
        Dd { hi, lo }
    }

    fn neg(self) -> Dd {
        Dd { hi: -self.hi, lo: -self.lo }
    }

    fn sub(self, b: Dd) -> Dd {
        self.add(b.neg())
    }

    fn sub_f(self, b: f64) -> Dd {
        self.add_f(-b)
    }

    fn mul(self, b: Dd) -> Dd {
        let (p1, p2) = two_prod(self.hi, b.hi);
        let (hi, lo) = quick_two_sum(p1, p2 + (self.hi * b.lo + self.lo * b.hi));
        Dd { hi, lo }
    }

    fn mul_f(self, b: f64) -> Dd {
        let (p1, e1) = two_prod(self.hi, b);
        let (p2, e2) = two_prod(self.lo, b);
        let (hi, lo) = quick_two_sum(p1, e2 + p2 + e1);
        Dd { hi, lo }
    }

    fn div(self, b: Dd) -> Dd {
        let q1 = self.hi / b.hi;
        let r = self.sub(b.mul_f(q1));
        let q2 = r.hi / b.hi;
        let r = r.sub(b.mul_f(q2));
        let q3 = r.hi / b.hi;
        let (q1, q2) = quick_two_sum(q1, q2);
        Dd { hi: q1, lo: q2 }.add_f(q3)
    }

    fn div_f(self, b: f64) -> Dd {
        self.div(Dd::new(b))
    }

    fn floor(self) -> Dd {
        let hi = self.hi.floor();
        if hi == self.hi {
            let (hi, lo) = quick_two_sum(hi, self.lo.floor());
            Dd { hi, lo }
        } else {
            Dd { hi, lo: 0.0 }
        }
    }

    fn ldexp(self, e: i64) -> Dd {
        Dd { hi: ldexp(self.hi, e), lo: ldexp(self.lo, e) }
    }

    /// `self = m * 2^e` with `0.5 <= |m.hi| < 1` (or `|m.hi| == 1` with a low
    /// word of opposite sign), as the QD library's `frexp`.
    fn frexp(self) -> (Dd, i64) {
        let (mut man, mut e) = frexp(self.hi);
        let mut b1 = ldexp(self.lo, -e);
        if man.abs() == 0.5 && man * b1 < 0.0 {
            man *= 2.0;
            b1 *= 2.0;
            e -= 1;
        }
        (Dd { hi: man, lo: b1 }, e)
    }
}

/// `a^m` for double-double `a`: `pow` on the high word and a first- or
/// all-order correction for the low word (xsf's `pow_D`).
fn pow_dd(a: Dd, m: i64) -> Dd {
    if m <= 0 {
        if m == 0 {
            return Dd::new(1.0);
        }
        return Dd::new(1.0).div(pow_dd(a, -m));
    }
    if a.is_zero() {
        return Dd::new(0.0);
    }
    let mf = m as f64;
    let ans = a.hi.powf(mf);
    let r = a.lo / a.hi;
    let mut adj = mf * r;
    if adj.abs() > 1e-8 {
        if adj.abs() < 1e-4 {
            // First two terms of the binomial series of (1+r)^m.
            adj += (mf * r) * ((m - 1) as f64 / 2.0 * r);
        } else {
            adj = (mf * r.ln_1p()).exp_m1();
        }
    }
    Dd::new(ans).add_f(ans * adj)
}

/// `a^m = significand * 2^exponent`, splitting the power so that no
/// intermediate result underflows (xsf's `pow2Scaled_D`).
fn pow_dd_scaled(a: Dd, m: i64) -> (Dd, i64) {
    const SM_MAX_EXPONENT: i64 = 960;
    if m <= 0 {
        if m == 0 {
            return (Dd::new(1.0), 0);
        }
        let (ans, e1) = pow_dd_scaled(a, -m);
        let (ans, e2) = Dd::new(1.0).div(ans).frexp();
        return (ans, -e1 + e2);
    }
    let (y, ye) = a.frexp();
    if m == 1 {
        return (y, ye);
    }
    if y.hi == 0.0 {
        return (Dd::new(0.0), 0); // 0^m; keeps the split below from dividing by zero
    }
    let mut max_expt = SM_MAX_EXPONENT;
    if m as f64 * (y.hi - 1.0) / y.hi < -(SM_MAX_EXPONENT as f64) * LN_2 {
        // y^m may drop below 2^-960: find how many factors are safe at once.
        let lg2y = y.hi.ln() / LN_2;
        let lg_ans = m as f64 * lg2y;
        if lg_ans <= -(SM_MAX_EXPONENT as f64) {
            max_expt = (next_power_of_2(-(SM_MAX_EXPONENT as f64) / lg2y + 1.0) / 2.0) as i64;
        }
    }
    if max_expt <= 0 {
        return (Dd::new(0.0), 0);
    }
    if m <= max_expt {
        let (ans, mut e) = pow_dd(y, m).frexp();
        e += m * ye;
        return (ans, e);
    }
    let (q, r) = (m / max_expt, m % max_expt);
    let (y2r, y2r_e) = pow_dd_scaled(y, r);
    let (y2m, y2m_e) = pow_dd_scaled(y, max_expt);
    let (y2mq, mut y2mq_e) = pow_dd_scaled(y2m, q);
    let (ans, mut e) = y2r.mul(y2mq).frexp();
    y2mq_e += y2m_e * q;
    e += y2mq_e + y2r_e;
    e += m * ye;
    (ans, e)
}

/// xsf's `nextPowerOf2`, reproduced as written (it nudges `x` up by one ulp
/// rather than rounding to a power of two) because it decides how scipy
/// splits long powers.
fn next_power_of_2(x: f64) -> f64 {
    let q = ldexp(x, 1 - f64::MANTISSA_DIGITS as i64);
    let l = (q + x).abs();
    if l == 0.0 {
        x.abs()
    } else if l < 2_147_483_648.0 && (l as i64) as f64 == l {
        (l as i64) as f64
    } else {
        l
    }
}

/// `((a+b)/(c+d))^m` in double-double (xsf's `pow4_D`, for `m > 0`).
fn pow4_dd(a: f64, b: f64, c: f64, d: f64, m: i64) -> Dd {
    if m <= 0 {
        if m == 0 {
            return Dd::new(1.0);
        }
        return pow4_dd(c, d, a, b, -m);
    }
    let num = Dd::new(a).add_f(b);
    let den = Dd::new(c).add_f(d);
    if num.is_zero() {
        return if den.is_zero() { Dd::new(f64::NAN) } else { Dd::new(0.0) };
    }
    if den.is_zero() {
        return Dd::new(if num.hi < 0.0 { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    pow_dd(num.div(den), m)
}

/// `n * x = nxfloor + alpha` computed exactly in double-double, with an
/// `alpha` that rounds to 1 folded into the integer part (xsf's `modNX`).
/// Returns `(alpha, nxfloor)`.
fn mod_nx(n: i64, x: f64) -> (f64, i64) {
    let nxd = Dd::new(x).mul_f(n as f64);
    let nxfloord = nxd.floor();
    let mut alpha = nxd.sub(nxfloord).hi;
    let mut nxfloor = nxfloord.hi as i64;
    if alpha == 1.0 {
        nxfloor += 1;
        alpha = 0.0;
    }
    (alpha, nxfloor)
}

/// `C(n, j+1)` from `C(n, j)`, both kept as a double-double significand and a
/// separate exponent because the binomials overflow f64 (xsf's
/// `updateBinomial`).
fn update_binomial(cman: &mut Dd, cexpt: &mut i64, n: i64, j: i64) {
    let rat = Dd::new((n - j) as f64).div_f(j as f64 + 1.0);
    let (man, e) = cman.mul(rat).frexp();
    *cexpt += e;
    *cman = man;
}

/// One Birnbaum-Tingey term without its leading factor `x`:
/// `C(n,v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1)` (xsf's `computeAv`).
fn birnbaum_tingey_term(n: i64, x: f64, v: i64, cman: Dd, cexpt: i64) -> Dd {
    let nf = n as f64;
    let t2x = Dd::new((n - v) as f64).div_f(nf).sub_f(x);
    let (t2, t2e) = pow_dd_scaled(t2x, n - v);
    let t1x = Dd::new(v as f64).div_f(nf).add_f(x);
    let (t1, t1e) = pow_dd_scaled(t1x, v - 1);
    t1.mul(t2).mul(cman).ldexp(cexpt + t1e + t2e)
}

/// One-sided Smirnov survival function, as scipy.special.smirnov(n, x).
///
/// That is `P(D_n+ >= x)` for `D_n+ = sup (F_n - F)` over `n` observations,
/// by the Birnbaum-Tingey sum
/// `x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v)`
/// carried out in double-double with scaled binomials and powers, or the
/// short alternating upper sum when it has at most a few terms; closed forms
/// for `x <= 1/n` and `x >= 1 - 1/n`, 0 when `-2 n x^2` is below the
/// smallest `exp` argument, and the approximation `exp(-(6nx+1)^2 / (18n))`
/// for `n > 10^6`, all as in scipy's `xsf::cephes::smirnov`.
///
/// Returns NaN for `n == 0`, NaN `x`, or `x` outside `[0, 1]`. The sum has at
/// most about `min(n, 10^6)` terms and usually stops early once the
/// remaining ones cannot matter.
pub fn smirnov_sf(n: u64, x: f64) -> f64 {
    /// Past this scipy approximates instead of summing.
    const SMIRNOV_MAX_COMPUTE_N: i64 = 1_000_000;
    /// `ln(2^-1075)`: exp of anything smaller is 0.
    const MINLOG: f64 = -7.451_332_191_019_412e2;
    if x.is_nan() || n == 0 || !(0.0..=1.0).contains(&x) {
        return f64::NAN;
    }
    if n == 1 {
        return 1.0 - x;
    }
    if x == 0.0 {
        return 1.0;
    }
    if x == 1.0 {
        return 0.0;
    }
    // scipy takes n as a C int. Capping at 2^53 (where f64 stops counting
    // exactly) keeps the integer bookkeeping below from overflowing; such n
    // only ever reach the closed forms or the large-n approximation.
    let n = n.min(1 << 53) as i64;
    let nf = n as f64;

    let (alpha, nxfl) = mod_nx(n, x);
    let mut n1mxfl = n - nxfl - i64::from(alpha != 0.0);
    let mut n1mxceil = n - nxfl;
    // When n x is an integer the last term is zero: leave it out of both sums.
    if alpha == 0.0 {
        n1mxfl -= 1;
        n1mxceil += 1;
    }

    if nxfl == 0 || (nxfl == 1 && alpha == 0.0) {
        // x <= 1/n: only the v = 0 term of the upper form survives.
        let t = pow_dd(Dd::new(1.0).add_f(x), n - 1).hi;
        return 1.0 - x * t;
    }
    if -2.0 * nf * x * x < MINLOG {
        return 0.0;
    }
    if nxfl >= n - 1 {
        // x >= 1 - 1/n: only the v = 0 term of the lower form survives.
        return pow_dd(Dd::new(1.0).add_f(-x), n).hi;
    }
    if n > SMIRNOV_MAX_COMPUTE_N {
        return smirnov_large_n(nf, x);
    }

    // The alternating upper sum loses ~1.6 bits per term: use it only when it
    // has very few terms.
    let n_upper_terms = n - n1mxceil + 1;
    let use_upper_sum =
        (n_upper_terms <= 1 && x < 0.5) || (n >= 10 && n_upper_terms <= 3 && x <= 0.5 / nf.sqrt());

    let (start, step, n_terms, first) = if use_upper_sum {
        (n, -1, n - n1mxceil + 1, pow4_dd(1.0, x, 1.0, 0.0, n - 1))
    } else {
        (0, 1, n1mxfl + 1, pow4_dd(1.0, -x, 1.0, 0.0, n).div_f(x))
    };
    let mut sum = first;
    // Long sums (hundreds of thousands of terms for large n) evaluate each
    // term as exp2 of an f64 estimate of its log2 instead of with
    // double-double powers: the terms are then relatively accurate to about
    // 1e-13 (the binomials stay double-double), the sum to about 1e-14, and the
    // sum several times faster. Short sums keep scipy's arithmetic.
    let fast = n_terms > 2000;
    let log2_term = |v: i64, cman: Dd, cexpt: i64| {
        cexpt as f64
            + cman.hi.abs().log2()
            + (n - v) as f64 * ((n - v) as f64 / nf - x).log2()
            + (v - 1) as f64 * (v as f64 / nf + x).log2()
    };
    let mut cman = Dd::new(1.0);
    let mut cexpt: i64 = 0;
    update_binomial(&mut cman, &mut cexpt, n, 0);
    let vmid = n / 2;
    for j in 1..n_terms {
        let v = start + j * step;
        let term = if fast {
            let l = log2_term(v, cman, cexpt);
            Dd::new(if l.is_nan() { 0.0 } else { l.exp2() })
        } else {
            birnbaum_tingey_term(n, x, v, cman, cexpt)
        };
        if term.hi.is_finite() && !term.is_zero() {
            sum = sum.add(term);
        }
        if !term.is_zero() {
            // Stop once the remaining terms cannot reach the last bit.
            if 4.0 * (n_terms - j) as f64 * term.hi.abs() < f64::EPSILON * sum.hi && j != n_terms - 1 {
                break;
            }
        } else if j > vmid {
            break;
        }
        update_binomial(&mut cman, &mut cexpt, n, j);
    }
    let prob = Dd::new(x).mul(sum).hi;
    let sf = if step < 0 { 1.0 - prob } else { prob };
    sf.clamp(0.0, 1.0)
}

/// scipy's closed form for `n > 10^6`: `P(D_n+ >= x) ~ exp(-(6nx+1)^2/(18n))`.
fn smirnov_large_n(nf: f64, x: f64) -> f64 {
    let logp = -(6.0 * nf * x + 1.0).powf(2.0) / 18.0 / nf;
    if logp < -LN_2 {
        logp.exp()
    } else {
        1.0 - (-logp.exp_m1())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn identical_samples_give_zero_statistic_and_p_one() {
        let a = [1.0, 2.0, 2.0, 3.5, 7.0];
        let r = ks_2samp(&a, &a).unwrap();
        assert_eq!(r, KsResult { statistic: 0.0, p_value: 1.0, method: KsMethod::Exact });
    }

    #[test]
    fn empty_sample_gives_none() {
        assert_eq!(ks_2samp(&[], &[1.0]), None);
        assert_eq!(ks_2samp(&[1.0], &[]), None);
    }

    #[test]
    fn complete_separation_of_equal_sizes() {
        // P(D_{n,n} = 1) = 2 / C(2n, n); for n = 3 that is 2/20.
        let r = ks_2samp(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]).unwrap();
        assert_eq!(r.statistic, 1.0);
        assert!(close(r.p_value, 0.1, 1e-15), "{}", r.p_value);
        assert_eq!(r.method, KsMethod::Exact);
    }

    #[test]
    fn complete_separation_of_unequal_sizes() {
        // Two of the C(5, 2) = 10 orderings reach D = 1.
        let r = ks_2samp(&[1.0, 2.0], &[3.0, 4.0, 5.0]).unwrap();
        assert_eq!(r.statistic, 1.0);
        assert!(close(r.p_value, 0.2, 1e-15), "{}", r.p_value);
    }

    #[test]
    fn ties_across_samples_are_passed_together() {
        // ECDFs at 1: 1/2 vs 1/2, at 2: 1 vs 1/2, at 3: 1 vs 1.
        let r = ks_2samp(&[1.0, 2.0], &[1.0, 3.0]).unwrap();
        assert_eq!(r.statistic, 0.5);
    }

    #[test]
    fn exact_result_above_one_falls_back_like_scipy() {
        // P(D_{5,5} >= 1/5) is 1, but the product formula rounds it just above
        // 1; scipy then switches to kstwo.sf(0.2, round(2.5) = 2) = 1.
        assert!(prob_outside_square(5, 1) > 1.0);
        let r = ks_2samp(&[1.0, 3.0, 5.0, 7.0, 9.0], &[2.0, 4.0, 6.0, 8.0, 10.0]).unwrap();
        assert_eq!(r, KsResult { statistic: 0.2, p_value: 1.0, method: KsMethod::Asymptotic });
    }

    #[test]
    fn large_samples_take_the_asymptotic_path() {
        let a: Vec<f64> = (0..20_000).map(|i| i as f64).collect();
        let b: Vec<f64> = (0..30).map(|i| i as f64 * 10.0).collect();
        let r = ks_2samp(&a, &b).unwrap();
        assert_eq!(r.method, KsMethod::Asymptotic);
        assert!((0.0..=1.0).contains(&r.p_value));
    }

    #[test]
    fn kolmogorov_sf_edges() {
        assert_eq!(kolmogorov_sf(10, 0.05), 1.0);
        assert_eq!(kolmogorov_sf(10, 1.0), 0.0);
        assert!(kolmogorov_sf(0, 0.3).is_nan());
        assert!(kolmogorov_sf(5, f64::NAN).is_nan());
        // n = 1: D_1 is uniform on [1/2, 1], so P(D_1 >= x) = 2 - 2x.
        assert!(close(kolmogorov_sf(1, 0.75), 0.5, 1e-15));
        // x >= 1 - 1/n: 2 (1-x)^n.
        assert!(close(kolmogorov_sf(5, 0.9), 2.0 * 0.1f64.powi(5), 1e-12));
    }

    #[test]
    fn kolmogorov_sf_is_monotone_and_bounded_across_regimes() {
        for &n in &[2u64, 20, 140, 141, 5_000, 100_000, 10_000_000] {
            let mut last = 1.0f64;
            for i in 1..100 {
                let x = i as f64 / 100.0;
                let p = kolmogorov_sf(n, x);
                assert!((0.0..=1.0).contains(&p), "n={n} x={x} p={p}");
                assert!(p <= last + 1e-9, "n={n} x={x} p={p} last={last}");
                last = p;
            }
        }
    }

    #[test]
    fn extreme_arguments_give_probabilities_or_nan() {
        for &n in &[1u64, 2, 141, 1 << 40, u64::MAX] {
            for &x in &[f64::NEG_INFINITY, -1.0, 0.0, 1e-300, 5e-20, 1e-17, 0.3, 0.5, 1.0, 2.0, f64::INFINITY]
            {
                let k = kolmogorov_sf(n, x);
                assert!((0.0..=1.0).contains(&k), "kolmogorov_sf({n}, {x}) = {k}");
                let s = smirnov_sf(n, x);
                assert!(
                    (0.0..=1.0).contains(&s) || (s.is_nan() && !(0.0..=1.0).contains(&x)),
                    "smirnov_sf({n}, {x}) = {s}"
                );
            }
        }
    }

    #[test]
    fn smirnov_sf_known_values() {
        // n = 1: D_1+ is uniform on [0, 1].
        assert_eq!(smirnov_sf(1, 0.3), 0.7);
        // x <= 1/n: 1 - x (1+x)^(n-1).
        assert!(close(smirnov_sf(4, 0.2), 1.0 - 0.2 * 1.2f64.powi(3), 1e-14));
        // x >= 1 - 1/n: (1-x)^n.
        assert!(close(smirnov_sf(4, 0.8), 0.2f64.powi(4), 1e-13));
        assert!(smirnov_sf(3, 1.5).is_nan());
        assert!(smirnov_sf(0, 0.5).is_nan());
        assert_eq!(smirnov_sf(7, 0.0), 1.0);
        assert_eq!(smirnov_sf(7, 1.0), 0.0);
    }

    #[test]
    fn frexp_and_ldexp_round_trip() {
        for &x in &[1.0, 0.75, 3.0e-310, 1.5e300, -7.25] {
            let (m, e) = frexp(x);
            assert!((0.5..1.0).contains(&m.abs()), "{x}");
            assert_eq!(ldexp(m, e), x);
        }
    }
}
