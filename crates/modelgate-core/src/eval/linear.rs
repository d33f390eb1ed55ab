//! The fitted baselines: least squares, L2-regularised logistic regression and
//! the decision stump, each solved as scikit-learn's estimator would be.
//!
//! - [`fit_ols`] is `LinearRegression()`: ordinary least squares with an
//!   intercept, through the normal equations of the centred and scaled
//!   features, solved by Cholesky (scaling keeps them well conditioned;
//!   a feature that is a linear combination of earlier ones is dropped and named).
//! - [`fit_logistic`] is `make_pipeline(StandardScaler(), LogisticRegression())`:
//!   features standardised with the training mean and population standard
//!   deviation (a constant feature keeps scale 1), then the minimiser of
//!   `sum of log losses + ||W||^2 / (2 C)` with `C = 1` and unpenalised
//!   intercepts: a single weight vector for two classes, the multinomial
//!   (softmax) model for more, as scikit-learn's default lbfgs solver fits.
//!   modelgate reaches the same optimum by Newton's method with a backtracking
//!   line search, to machine precision (lbfgs stops at its tolerance, so the
//!   golden values come from scikit-learn run with `tol=1e-10`). The softmax
//!   intercepts are identified by also penalising `(sum_k b_k)^2 / 2`, which
//!   leaves every probability unchanged and centres them as lbfgs does.
//! - [`fit_stump`] is `DecisionTreeClassifier(max_depth=1)` /
//!   `DecisionTreeRegressor(max_depth=1)`: one split `x <= t` on the one
//!   feature whose split most reduces the Gini impurity (classification) or the
//!   squared error (regression). As scikit-learn, features are rounded to
//!   `f32` first, values closer than `1e-7` are not split apart, the threshold
//!   is the midpoint `a / 2 + b / 2` of neighbouring values, and the first best
//!   candidate wins. Leaves predict class shares (the majority class) or the mean.

/// A dense symmetric positive definite solve by Cholesky; `None` if a pivot is
/// not positive. `a` is row-major `n x n`.
fn cholesky_solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * n + k] * y[k];
        }
        y[i] = s / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in i + 1..n {
            s -= l[k * n + i] * x[k];
        }
        x[i] = s / l[i * n + i];
    }
    Some(x)
}

/// Column means and scales of features given column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaler {
    /// Mean per feature.
    pub mean: Vec<f64>,
    /// Population standard deviation per feature (1 for a constant feature).
    pub scale: Vec<f64>,
}

impl Scaler {
    /// `StandardScaler().fit`.
    pub fn fit(columns: &[Vec<f64>]) -> Scaler {
        let mut mean = Vec::with_capacity(columns.len());
        let mut scale = Vec::with_capacity(columns.len());
        for c in columns {
            let m = super::metrics::mean(c);
            let var = super::metrics::mean(&c.iter().map(|v| (v - m) * (v - m)).collect::<Vec<_>>());
            let s = var.sqrt();
            mean.push(m);
            // scikit-learn's _handle_zeros_in_scale: a (near-)constant feature keeps scale 1.
            scale.push(if s < 10.0 * f64::EPSILON * m.abs().max(1.0) { 1.0 } else { s });
        }
        Scaler { mean, scale }
    }

    /// The standardised value of feature `j`.
    pub fn apply(&self, j: usize, x: f64) -> f64 {
        (x - self.mean[j]) / self.scale[j]
    }
}

/// A least-squares fit.
#[derive(Debug, Clone, PartialEq)]
pub struct OlsFit {
    /// Coefficients in the features' own units; 0 for a dropped feature.
    pub coefficients: Vec<f64>,
    /// Intercept.
    pub intercept: f64,
    /// Indices of features dropped as linear combinations of earlier ones.
    pub dropped: Vec<usize>,
}

impl OlsFit {
    /// The prediction for one row of features.
    pub fn predict(&self, x: &[f64]) -> f64 {
        self.intercept + x.iter().zip(&self.coefficients).map(|(a, b)| a * b).sum::<f64>()
    }
}

/// Ordinary least squares with an intercept; `columns[j][i]` is feature `j` of row `i`.
pub fn fit_ols(columns: &[Vec<f64>], y: &[f64]) -> Option<OlsFit> {
    let n = y.len();
    if n == 0 {
        return None;
    }
    let scaler = Scaler::fit(columns);
    let y_mean = super::metrics::mean(y);
    let mut keep: Vec<usize> = (0..columns.len()).collect();
    let mut dropped = Vec::new();
    loop {
        let d = keep.len();
        let z: Vec<Vec<f64>> =
            keep.iter().map(|&j| columns[j].iter().map(|&x| scaler.apply(j, x)).collect()).collect();
        let mut a = vec![0.0; d * d];
        let mut b = vec![0.0; d];
        for p in 0..d {
            for q in 0..=p {
                let s = super::metrics::sum((0..n).map(|i| z[p][i] * z[q][i]));
                a[p * d + q] = s;
                a[q * d + p] = s;
            }
            b[p] = super::metrics::sum((0..n).map(|i| z[p][i] * (y[i] - y_mean)));
        }
        // A pivot far below its diagonal means the feature adds no direction.
        match first_degenerate(&a, d) {
            Some(bad) => {
                dropped.push(keep.remove(bad));
                continue;
            }
            None => {
                let beta = if d == 0 { Vec::new() } else { cholesky_solve(&a, &b, d)? };
                let mut coefficients = vec![0.0; columns.len()];
                for (k, &j) in keep.iter().enumerate() {
                    coefficients[j] = beta[k] / scaler.scale[j];
                }
                let intercept =
                    y_mean - (0..columns.len()).map(|j| coefficients[j] * scaler.mean[j]).sum::<f64>();
                dropped.sort_unstable();
                return Some(OlsFit { coefficients, intercept, dropped });
            }
        }
    }
}

/// The first index whose Cholesky pivot is below `1e-10` of its diagonal.
fn first_degenerate(a: &[f64], n: usize) -> Option<usize> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if s <= 1e-10 * a[i * n + i].max(f64::MIN_POSITIVE) {
                    return Some(i);
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    None
}

/// A fitted logistic regression on standardised features.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticFit {
    /// The standardisation applied first.
    pub scaler: Scaler,
    /// Coefficients on the standardised features: one row for two classes
    /// (the second class's log-odds), one per class otherwise.
    pub coefficients: Vec<Vec<f64>>,
    /// Intercepts, one per row of `coefficients`.
    pub intercepts: Vec<f64>,
    /// Newton iterations used.
    pub iterations: usize,
    /// Largest absolute gradient entry at the end (objective in summed-loss units).
    pub gradient: f64,
}

impl LogisticFit {
    /// Class probabilities for one row (length: number of classes).
    pub fn predict_proba(&self, x: &[f64]) -> Vec<f64> {
        let z: Vec<f64> = self
            .coefficients
            .iter()
            .zip(&self.intercepts)
            .map(|(w, b)| {
                b + w.iter().enumerate().map(|(j, wj)| wj * self.scaler.apply(j, x[j])).sum::<f64>()
            })
            .collect();
        if z.len() == 1 {
            let p = sigmoid(z[0]);
            vec![1.0 - p, p]
        } else {
            softmax(&z)
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^z)` without overflow.
fn log1pexp(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

fn softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.iter().map(|v| v / s).collect()
}

/// L2-regularised logistic regression (`C`), `y[i]` in `0..k`, features by column.
pub fn fit_logistic(columns: &[Vec<f64>], y: &[usize], k: usize, c: f64) -> Option<LogisticFit> {
    let n = y.len();
    if n == 0 || k < 2 || c.is_nan() || c <= 0.0 {
        return None;
    }
    let scaler = Scaler::fit(columns);
    let d = columns.len();
    // Rows with a trailing 1 for the intercept.
    let rows: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut r: Vec<f64> = (0..d).map(|j| scaler.apply(j, columns[j][i])).collect();
            r.push(1.0);
            r
        })
        .collect();
    let m = if k == 2 { 1 } else { k }; // weight vectors
    let w = d + 1;
    let dim = m * w;
    let lambda = 1.0 / c;
    let mut theta = vec![0.0; dim];

    let objective = |theta: &[f64]| -> f64 {
        let mut loss = Vec::with_capacity(n);
        for (i, r) in rows.iter().enumerate() {
            let z: Vec<f64> = (0..m).map(|a| dot(&theta[a * w..(a + 1) * w], r)).collect();
            loss.push(if m == 1 {
                let t = if y[i] == 1 { 1.0 } else { 0.0 };
                log1pexp(z[0]) - t * z[0]
            } else {
                let mx = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                mx + z.iter().map(|v| (v - mx).exp()).sum::<f64>().ln() - z[y[i]]
            });
        }
        let mut f = super::metrics::sum(loss);
        for a in 0..m {
            f += 0.5 * lambda * theta[a * w..a * w + d].iter().map(|v| v * v).sum::<f64>();
        }
        if m > 1 {
            let sb: f64 = (0..m).map(|a| theta[a * w + d]).sum();
            f += 0.5 * sb * sb;
        }
        f
    };

    let mut iterations = 0;
    let mut gmax = f64::INFINITY;
    let mut f = objective(&theta);
    for _ in 0..200 {
        let mut g = vec![0.0; dim];
        let mut h = vec![0.0; dim * dim];
        for (i, r) in rows.iter().enumerate() {
            let z: Vec<f64> = (0..m).map(|a| dot(&theta[a * w..(a + 1) * w], r)).collect();
            let p: Vec<f64> = if m == 1 { vec![sigmoid(z[0])] } else { softmax(&z) };
            for a in 0..m {
                let t = if m == 1 { f64::from(u8::from(y[i] == 1)) } else { f64::from(u8::from(y[i] == a)) };
                let e = p[a] - t;
                for (q, rq) in r.iter().enumerate() {
                    g[a * w + q] += e * rq;
                }
                for bb in 0..m {
                    let s = if m == 1 {
                        p[0] * (1.0 - p[0])
                    } else {
                        p[a] * (f64::from(u8::from(a == bb)) - p[bb])
                    };
                    if s == 0.0 {
                        continue;
                    }
                    for (q, rq) in r.iter().enumerate() {
                        let row = (a * w + q) * dim + bb * w;
                        for (t2, rt) in r.iter().enumerate() {
                            h[row + t2] += s * rq * rt;
                        }
                    }
                }
            }
        }
        for a in 0..m {
            for q in 0..d {
                g[a * w + q] += lambda * theta[a * w + q];
                h[(a * w + q) * dim + a * w + q] += lambda;
            }
        }
        if m > 1 {
            let sb: f64 = (0..m).map(|a| theta[a * w + d]).sum();
            for a in 0..m {
                g[a * w + d] += sb;
                for bb in 0..m {
                    h[(a * w + d) * dim + bb * w + d] += 1.0;
                }
            }
        }
        gmax = g.iter().fold(0.0f64, |acc, v| acc.max(v.abs()));
        if gmax <= 1e-12 * (n as f64).max(1.0) {
            break;
        }
        let step = cholesky_solve(&h, &g, dim)?;
        let slope: f64 = step.iter().zip(&g).map(|(s, gi)| s * gi).sum();
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..60 {
            let candidate: Vec<f64> = theta.iter().zip(&step).map(|(a, s)| a - t * s).collect();
            let fc = objective(&candidate);
            if fc <= f - 1e-4 * t * slope || (fc <= f && t < 1.0) {
                theta = candidate;
                f = fc;
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        iterations += 1;
        if !accepted {
            // No decrease is possible at this precision: the optimum is reached.
            break;
        }
    }
    let coefficients = (0..m).map(|a| theta[a * w..a * w + d].to_vec()).collect();
    let intercepts = (0..m).map(|a| theta[a * w + d]).collect();
    Some(LogisticFit { scaler, coefficients, intercepts, iterations, gradient: gmax })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

// ---------------------------------------------------------------- stump

/// scikit-learn's `FEATURE_THRESHOLD`: values closer than this are not split apart.
const FEATURE_THRESHOLD: f64 = 1e-7;

/// What a stump is fitted to.
#[derive(Debug, Clone, Copy)]
pub enum StumpTarget<'a> {
    /// Class indices in `0..k`.
    Classes(&'a [usize], usize),
    /// Real values.
    Values(&'a [f64]),
}

/// A one-split tree. Leaves hold class shares (classification) or a single mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Stump {
    /// The split feature's index, `None` when no split improves on a single leaf.
    pub feature: Option<usize>,
    /// Rows with `x <= threshold` (after rounding to `f32`) go left.
    pub threshold: f64,
    /// Left leaf: class shares, or `[mean]`.
    pub left: Vec<f64>,
    /// Right leaf.
    pub right: Vec<f64>,
}

impl Stump {
    /// The leaf for one row of features.
    pub fn leaf(&self, x: &[f64]) -> &[f64] {
        match self.feature {
            Some(j) if f64::from(x[j] as f32) > self.threshold => &self.right,
            _ => &self.left,
        }
    }
}

fn leaf_value(target: StumpTarget<'_>, rows: &[usize]) -> Vec<f64> {
    match target {
        StumpTarget::Classes(y, k) => {
            let mut counts = vec![0.0; k];
            for &i in rows {
                counts[y[i]] += 1.0;
            }
            let n = rows.len() as f64;
            counts.iter().map(|c| c / n).collect()
        }
        StumpTarget::Values(y) => {
            let mut s = 0.0;
            for &i in rows {
                s += y[i];
            }
            vec![s / rows.len() as f64]
        }
    }
}

/// Fits a depth-1 tree over the features given column by column.
pub fn fit_stump(columns: &[Vec<f64>], target: StumpTarget<'_>) -> Option<Stump> {
    let n = match target {
        StumpTarget::Classes(y, _) => y.len(),
        StumpTarget::Values(y) => y.len(),
    };
    if n == 0 {
        return None;
    }
    let all: Vec<usize> = (0..n).collect();
    let single = leaf_value(target, &all);
    let pure = match target {
        StumpTarget::Classes(y, _) => y.iter().all(|&c| c == y[0]),
        // scikit-learn: a node whose impurity is at most machine epsilon is a leaf.
        StumpTarget::Values(y) => {
            let m = single[0];
            super::metrics::mean(&y.iter().map(|v| (v - m) * (v - m)).collect::<Vec<_>>()) <= f64::EPSILON
        }
    };
    let leaf_only = Stump { feature: None, threshold: 0.0, left: single.clone(), right: single };
    if pure || n < 2 {
        return Some(leaf_only);
    }
    // (proxy, feature, threshold, split position in that feature's order)
    let mut best: Option<(f64, usize, f64, Vec<usize>)> = None;
    let mut best_proxy = f64::NEG_INFINITY;
    for (j, column) in columns.iter().enumerate() {
        let xs: Vec<f64> = column.iter().map(|&v| f64::from(v as f32)).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
        if xs[order[n - 1]] <= xs[order[0]] + FEATURE_THRESHOLD {
            continue;
        }
        let candidate = match target {
            StumpTarget::Classes(y, k) => best_gini_split(&xs, &order, y, k),
            StumpTarget::Values(y) => best_mse_split(&xs, &order, y),
        };
        if let Some((proxy, p)) = candidate {
            if proxy > best_proxy {
                best_proxy = proxy;
                let (a, b) = (xs[order[p - 1]], xs[order[p]]);
                let mut threshold = a / 2.0 + b / 2.0;
                if threshold == b || threshold.is_infinite() {
                    threshold = a;
                }
                best = Some((proxy, j, threshold, order[..p].to_vec()));
            }
        }
    }
    let Some((_, feature, threshold, left_rows)) = best else { return Some(leaf_only) };
    let mut is_left = vec![false; n];
    for &i in &left_rows {
        is_left[i] = true;
    }
    let right_rows: Vec<usize> = (0..n).filter(|&i| !is_left[i]).collect();
    let mut left_sorted = left_rows;
    left_sorted.sort_unstable();
    Some(Stump {
        feature: Some(feature),
        threshold,
        left: leaf_value(target, &left_sorted),
        right: leaf_value(target, &right_rows),
    })
}

/// The best Gini proxy improvement and its split position (first row of the right side).
fn best_gini_split(xs: &[f64], order: &[usize], y: &[usize], k: usize) -> Option<(f64, usize)> {
    let n = order.len();
    let mut right = vec![0.0f64; k];
    for &i in order {
        right[y[i]] += 1.0;
    }
    let mut left = vec![0.0f64; k];
    let mut best: Option<(f64, usize)> = None;
    let mut pos = 0;
    for p in 1..n {
        if xs[order[p]] <= xs[order[p - 1]] + FEATURE_THRESHOLD {
            continue;
        }
        for &i in &order[pos..p] {
            left[y[i]] += 1.0;
            right[y[i]] -= 1.0;
        }
        pos = p;
        let nl = p as f64;
        let nr = (n - p) as f64;
        let sql: f64 = left.iter().map(|c| c * c).sum();
        let sqr: f64 = right.iter().map(|c| c * c).sum();
        let gini_l = 1.0 - sql / (nl * nl);
        let gini_r = 1.0 - sqr / (nr * nr);
        let proxy = -nr * gini_r - nl * gini_l;
        if best.is_none_or(|(b, _)| proxy > b) {
            best = Some((proxy, p));
        }
    }
    best
}

/// The best squared-error proxy improvement and its split position. Sums are
/// updated as scikit-learn's `RegressionCriterion.update` does: forward from
/// the last split, or back from the end when that is fewer rows.
fn best_mse_split(xs: &[f64], order: &[usize], y: &[f64]) -> Option<(f64, usize)> {
    let n = order.len();
    let mut total = 0.0;
    for v in y {
        total += v;
    }
    let mut sum_left = 0.0;
    let mut pos = 0;
    let mut best: Option<(f64, usize)> = None;
    for p in 1..n {
        if xs[order[p]] <= xs[order[p - 1]] + FEATURE_THRESHOLD {
            continue;
        }
        if p - pos <= n - p {
            for &i in &order[pos..p] {
                sum_left += y[i];
            }
        } else {
            sum_left = total;
            for &i in order[p..].iter().rev() {
                sum_left -= y[i];
            }
        }
        pos = p;
        let sum_right = total - sum_left;
        let proxy = sum_left * sum_left / p as f64 + sum_right * sum_right / (n - p) as f64;
        if best.is_none_or(|(b, _)| proxy > b) {
            best = Some((proxy, p));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ols_recovers_an_exact_line_and_drops_a_copy() {
        let x1 = vec![1.0, 2.0, 3.0, 4.0, 5.0];
        let x2 = vec![2.0, 1.0, 4.0, 3.0, 7.0];
        let copy: Vec<f64> = x1.iter().map(|v| 2.0 * v).collect();
        let y: Vec<f64> = (0..5).map(|i| 3.0 + 2.0 * x1[i] - 0.5 * x2[i]).collect();
        let fit = fit_ols(&[x1.clone(), x2.clone()], &y).unwrap();
        assert!((fit.coefficients[0] - 2.0).abs() < 1e-12);
        assert!((fit.coefficients[1] + 0.5).abs() < 1e-12);
        assert!((fit.intercept - 3.0).abs() < 1e-12);
        let fit = fit_ols(&[x1, copy, x2], &y).unwrap();
        assert_eq!(fit.dropped, vec![1]);
    }

    #[test]
    fn logistic_gradient_vanishes_at_the_optimum() {
        let x = vec![vec![0.1, 0.5, 0.9, 1.3, 1.7, 2.1, 2.5, 2.9]];
        let y = vec![0, 0, 1, 0, 1, 1, 0, 1];
        let fit = fit_logistic(&x, &y, 2, 1.0).unwrap();
        assert!(fit.gradient <= 1e-11, "{}", fit.gradient);
        let p = fit.predict_proba(&[2.9]);
        assert!(p[1] > 0.5 && (p[0] + p[1] - 1.0).abs() < 1e-15);
        let y3 = vec![0, 0, 1, 1, 1, 2, 2, 2];
        let fit = fit_logistic(&x, &y3, 3, 1.0).unwrap();
        assert!(fit.gradient <= 1e-11, "{}", fit.gradient);
        assert!(fit.intercepts.iter().sum::<f64>().abs() < 1e-12);
    }

    #[test]
    fn stump_splits_at_the_midpoint() {
        let x = vec![vec![1.0, 2.0, 3.0, 10.0, 11.0, 12.0]];
        let y = vec![0, 0, 0, 1, 1, 1];
        let s = fit_stump(&x, StumpTarget::Classes(&y, 2)).unwrap();
        assert_eq!(s.feature, Some(0));
        assert_eq!(s.threshold, 6.5);
        assert_eq!(s.leaf(&[4.0]), &[1.0, 0.0]);
        assert_eq!(s.leaf(&[7.0]), &[0.0, 1.0]);
        let pure = fit_stump(&x, StumpTarget::Classes(&[1, 1, 1, 1, 1, 1], 2)).unwrap();
        assert_eq!(pure.feature, None);
    }
}
