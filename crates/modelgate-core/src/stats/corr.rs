//! Correlation and association on weighted observations (a value pair and how
//! many times it occurred), so the distinct-row sample of a profile gives the
//! numbers the expanded data would give.

/// Pearson's r of weighted pairs, as `scipy.stats.pearsonr` on the expanded data;
/// `None` when fewer than two observations or either side is constant.
pub fn pearson(pairs: &[(f64, f64, u64)]) -> Option<f64> {
    let n: f64 = pairs.iter().map(|p| p.2 as f64).sum();
    if n < 2.0 {
        return None;
    }
    let mx = pairs.iter().map(|p| p.0 * p.2 as f64).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1 * p.2 as f64).sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for &(x, y, w) in pairs {
        let (dx, dy, w) = (x - mx, y - my, w as f64);
        sxx += w * dx * dx;
        syy += w * dy * dy;
        sxy += w * dx * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some((sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0))
}

/// Average ranks (1-based, ties get the mean of their ranks) of weighted values.
fn midranks(values: &[(f64, u64)]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].0.total_cmp(&values[b].0));
    let mut ranks = vec![0.0; values.len()];
    let mut below = 0u64;
    let mut i = 0;
    while i < order.len() {
        let v = values[order[i]].0;
        let mut j = i;
        let mut count = 0u64;
        while j < order.len() && values[order[j]].0 == v {
            count += values[order[j]].1;
            j += 1;
        }
        let rank = below as f64 + (count as f64 + 1.0) / 2.0;
        for &k in &order[i..j] {
            ranks[k] = rank;
        }
        below += count;
        i = j;
    }
    ranks
}

/// Spearman's rho of weighted pairs, as `scipy.stats.spearmanr` on the expanded data.
pub fn spearman(pairs: &[(f64, f64, u64)]) -> Option<f64> {
    let rx = midranks(&pairs.iter().map(|p| (p.0, p.2)).collect::<Vec<_>>());
    let ry = midranks(&pairs.iter().map(|p| (p.1, p.2)).collect::<Vec<_>>());
    let ranked: Vec<(f64, f64, u64)> =
        rx.into_iter().zip(ry).zip(pairs).map(|((a, b), p)| (a, b, p.2)).collect();
    pearson(&ranked)
}

/// Cramer's V of a weighted pair of categorical variables (no continuity
/// correction), as `scipy.stats.contingency.association(table, method="cramer")`.
pub fn cramers_v<'a>(pairs: impl Iterator<Item = (&'a str, &'a str, u64)>) -> Option<f64> {
    use std::collections::BTreeMap;
    let mut table: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut rows: BTreeMap<&str, u64> = BTreeMap::new();
    let mut cols: BTreeMap<&str, u64> = BTreeMap::new();
    let mut n = 0u64;
    for (a, b, w) in pairs {
        *table.entry((a, b)).or_insert(0) += w;
        *rows.entry(a).or_insert(0) += w;
        *cols.entry(b).or_insert(0) += w;
        n += w;
    }
    let k = rows.len().min(cols.len());
    if n == 0 || k < 2 {
        return None;
    }
    let nf = n as f64;
    let mut chi = 0.0;
    for (&a, &ra) in &rows {
        for (&b, &cb) in &cols {
            let e = ra as f64 * cb as f64 / nf;
            let o = table.get(&(a, b)).copied().unwrap_or(0) as f64;
            chi += (o - e) * (o - e) / e;
        }
    }
    Some((chi / (nf * (k - 1) as f64)).sqrt().min(1.0))
}

/// The correlation ratio eta of a numeric variable across categories:
/// `sqrt(sum_k n_k (mean_k - mean)^2 / sum (x - mean)^2)`.
pub fn correlation_ratio<'a>(pairs: impl Iterator<Item = (&'a str, f64, u64)>) -> Option<f64> {
    use std::collections::BTreeMap;
    let pairs: Vec<(&str, f64, u64)> = pairs.collect();
    let n: f64 = pairs.iter().map(|p| p.2 as f64).sum();
    if n < 2.0 {
        return None;
    }
    let mean = pairs.iter().map(|p| p.1 * p.2 as f64).sum::<f64>() / n;
    let mut groups: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut total = 0.0;
    for &(k, x, w) in &pairs {
        let g = groups.entry(k).or_insert((0.0, 0.0));
        g.0 += w as f64;
        g.1 += x * w as f64;
        total += w as f64 * (x - mean) * (x - mean);
    }
    if total == 0.0 || groups.len() < 2 {
        return None;
    }
    let between: f64 = groups.values().map(|&(w, s)| w * (s / w - mean) * (s / w - mean)).sum();
    Some((between / total).sqrt().min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_equal_repetition() {
        let weighted = [(1.0, 2.0, 2), (2.0, 1.0, 1), (3.0, 5.0, 3)];
        let expanded =
            [(1.0, 2.0, 1), (1.0, 2.0, 1), (2.0, 1.0, 1), (3.0, 5.0, 1), (3.0, 5.0, 1), (3.0, 5.0, 1)];
        assert!((pearson(&weighted).unwrap() - pearson(&expanded).unwrap()).abs() < 1e-14);
        assert!((spearman(&weighted).unwrap() - spearman(&expanded).unwrap()).abs() < 1e-14);
        assert_eq!(pearson(&[(1.0, 1.0, 5)]), None);
    }

    #[test]
    fn perfect_association() {
        let v = cramers_v([("a", "x", 5), ("b", "y", 5)].into_iter()).unwrap();
        assert!((v - 1.0).abs() < 1e-12);
        let eta = correlation_ratio([("a", 1.0, 3), ("b", 5.0, 3)].into_iter()).unwrap();
        assert!((eta - 1.0).abs() < 1e-12);
    }
}
