//! numpy's equal-width histogram bins, as Evidently uses them.

/// `np.histogram_bin_edges(a, bins="sturges")` for data of `n` values between
/// `min` and `max` (`integer` when numpy sees an integer array, where a bin is
/// at least 1 wide). Mirrors numpy: `width = ptp / (log2(n) + 1)`, then
/// `ceil(ptp / width)` bins on `np.linspace(min, max, bins + 1)`; a constant
/// sample gets one bin on `[min - 0.5, max + 0.5]`.
pub fn sturges_edges(min: f64, max: f64, n: u64, integer: bool) -> Vec<f64> {
    let (mut first, mut last) = (min, max);
    if first == last {
        first -= 0.5;
        last += 0.5;
    }
    let ptp = max - min;
    let bins = if n == 0 {
        1
    } else {
        let mut width = ptp / ((n as f64).log2() + 1.0);
        if width != 0.0 {
            if integer && width < 1.0 {
                width = 1.0;
            }
            // A NaN or infinite ratio (a range beyond f64::MAX) gives one bin.
            let bins = ((last - first) / width).ceil();
            if bins.is_finite() && bins >= 1.0 {
                (bins as usize).min(1 << 20)
            } else {
                1
            }
        } else {
            1
        }
    };
    linspace(first, last, bins + 1)
}

/// `np.linspace(start, stop, num)` (endpoint included, last value set to `stop`).
pub fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    if num == 0 {
        return Vec::new();
    }
    if num == 1 {
        return vec![start];
    }
    let div = (num - 1) as f64;
    let delta = stop - start;
    let step = delta / div;
    let mut out: Vec<f64> = if step == 0.0 {
        (0..num).map(|i| i as f64 / div * delta + start).collect()
    } else {
        (0..num).map(|i| i as f64 * step + start).collect()
    };
    out[num - 1] = stop;
    out
}

/// `np.histogram(sorted, edges)[0]` for sorted data: bins `[e_i, e_{i+1})`, the
/// last one closed, values outside `[e_0, e_k]` dropped.
pub fn histogram_sorted(sorted: &[f64], edges: &[f64]) -> Vec<u64> {
    let k = edges.len().saturating_sub(1);
    let below = |x: f64| sorted.partition_point(|&v| v < x);
    let at_most = |x: f64| sorted.partition_point(|&v| v <= x);
    (0..k)
        .map(|i| {
            let start = below(edges[i]);
            let end = if i + 1 == k { at_most(edges[k]) } else { below(edges[i + 1]) };
            end.saturating_sub(start) as u64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sturges_matches_numpy() {
        // np.histogram_bin_edges(np.arange(1000.0), "sturges") has 11 bins.
        let e = sturges_edges(0.0, 999.0, 1000, false);
        assert_eq!(e.len(), 12);
        assert_eq!(e[0], 0.0);
        assert_eq!(e[11], 999.0);
        // A constant sample: one bin of width 1 around it.
        assert_eq!(sturges_edges(3.0, 3.0, 10, false), vec![2.5, 3.5]);
        // Integer data: bins at least 1 wide.
        assert_eq!(sturges_edges(0.0, 3.0, 1000, true).len(), 4);
    }

    #[test]
    fn histogram_closes_the_last_bin() {
        let v = [0.0, 1.0, 1.0, 2.0, 3.0];
        assert_eq!(histogram_sorted(&v, &[0.0, 1.0, 2.0, 3.0]), vec![1, 2, 2]);
    }
}
