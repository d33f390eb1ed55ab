//! A deterministic, mergeable quantile sketch with a relative-error bound.
//!
//! [`QuantileSketch`] is a log-linear histogram in the style of HdrHistogram and
//! DDSketch: a finite value's bucket is given by its sign, its binary exponent
//! and the top [`SKETCH_MANTISSA_BITS`] bits of its mantissa, read straight from
//! the IEEE 754 bits (no logarithm, so it is cheap and the same on every
//! platform). Every bucket `[lo, hi)` is therefore at most `2^-8` of `|lo|`
//! wide, so any value stands for every other value of its bucket within a
//! relative error of [`SKETCH_RELATIVE_ERROR`] (`2^-8` = 0.39%), and the bucket
//! boundaries are exact floating-point numbers.
//!
//! Counts are integers and the bucket of a value does not depend on what else
//! was seen, so sketches merge by adding counts: merging is exactly associative
//! and commutative, and a sketch of chunks merged equals the sketch of the whole.
//! Memory is one block of 256 counters per (sign, exponent) pair that occurs,
//! 2 KiB each; real columns touch a few dozen exponents, and no input can touch
//! more than 4,096.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Mantissa bits that select a bucket within a binary octave.
pub const SKETCH_MANTISSA_BITS: u32 = 8;
/// Buckets per binary octave.
const SUB: usize = 1 << SKETCH_MANTISSA_BITS;
/// Bits of the ordered 64-bit key dropped to form a bucket key.
const SHIFT: u32 = 52 - SKETCH_MANTISSA_BITS;

/// The largest relative width of a bucket: `(hi - lo) / |lo| <= 2^-8` for
/// normal numbers (the sub-normal bucket next to zero has absolute width below `2^-1014`).
pub const SKETCH_RELATIVE_ERROR: f64 = 1.0 / SUB as f64;

/// Counts of finite values per log-linear bucket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuantileSketch {
    /// One block of `SUB` counters per octave (sign and exponent), by octave index.
    octaves: BTreeMap<u16, Box<[u64; SUB]>>,
    count: u64,
}

/// A bucket of the sketch: `[lo, hi)` and how many values fell in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Inclusive lower bound.
    pub lo: f64,
    /// Exclusive upper bound.
    pub hi: f64,
    /// Values in the bucket.
    pub count: u64,
}

impl Bucket {
    /// The midpoint, used as the value every member of the bucket stands for.
    pub fn mid(&self) -> f64 {
        if self.hi.is_infinite() {
            self.lo
        } else {
            self.lo + (self.hi - self.lo) / 2.0
        }
    }
}

/// Maps a finite value to its 20-bit bucket key; keys sort as the values do.
fn key(x: f64) -> u32 {
    let x = if x == 0.0 { 0.0 } else { x };
    let bits = x.to_bits();
    let ordered = if bits >> 63 == 0 { bits | (1 << 63) } else { !bits };
    (ordered >> SHIFT) as u32
}

/// The smallest value whose key is `k`, or +inf past the largest finite bucket.
fn lower_bound(k: u32) -> f64 {
    let ordered = u64::from(k) << SHIFT;
    if ordered >> 63 == 1 {
        f64::from_bits(ordered & !(1 << 63))
    } else {
        // Negative values: the most negative member has the largest magnitude.
        f64::from_bits(!ordered)
    }
}

/// The lower bound of the bucket holding the finite value `x`: a bucket
/// boundary, so sketch counts below it are exact.
pub fn bucket_floor(x: f64) -> f64 {
    if x.is_finite() {
        lower_bound(key(x))
    } else {
        x
    }
}

impl QuantileSketch {
    /// An empty sketch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one finite value (non-finite values are ignored; callers count them apart).
    #[inline]
    pub fn insert(&mut self, x: f64) {
        self.insert_n(x, 1);
    }

    /// Adds `n` copies of one finite value.
    pub fn insert_n(&mut self, x: f64, n: u64) {
        if !x.is_finite() || n == 0 {
            return;
        }
        let k = key(x);
        let block =
            self.octaves.entry((k >> SKETCH_MANTISSA_BITS) as u16).or_insert_with(|| Box::new([0; SUB]));
        block[k as usize & (SUB - 1)] += n;
        self.count += n;
    }

    /// Values counted.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &QuantileSketch) {
        for (&octave, block) in &other.octaves {
            let mine = self.octaves.entry(octave).or_insert_with(|| Box::new([0; SUB]));
            for (m, o) in mine.iter_mut().zip(block.iter()) {
                *m = m.saturating_add(*o);
            }
        }
        self.count = self.count.saturating_add(other.count);
    }

    /// Non-empty buckets in ascending order of value.
    pub fn buckets(&self) -> impl Iterator<Item = Bucket> + '_ {
        self.octaves.iter().flat_map(|(&octave, block)| {
            block.iter().enumerate().filter(|(_, &c)| c > 0).map(move |(i, &count)| {
                let k = (u32::from(octave) << SKETCH_MANTISSA_BITS) | i as u32;
                Bucket { lo: lower_bound(k), hi: lower_bound(k + 1), count }
            })
        })
    }

    /// Values strictly below `x`, when `x` is a bucket boundary; otherwise
    /// the count of the buckets entirely below `x`.
    pub fn count_below(&self, x: f64) -> u64 {
        self.buckets().take_while(|b| b.hi <= x).map(|b| b.count).sum()
    }

    /// The lower bound of the bucket holding the `q` quantile (type 7, as
    /// numpy's default, located by rank), which is within one bucket of the true quantile.
    pub fn quantile_boundary(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.count - 1) as f64).floor() as u64;
        let mut seen = 0;
        for b in self.buckets() {
            seen += b.count;
            if seen > rank {
                return Some(b.lo);
            }
        }
        None
    }

    /// Serialisable form: sorted `(key, count)` pairs of the non-empty buckets.
    pub fn to_pairs(&self) -> Vec<(u32, u64)> {
        let mut out = Vec::new();
        for (&octave, block) in &self.octaves {
            for (i, &c) in block.iter().enumerate() {
                if c > 0 {
                    out.push(((u32::from(octave) << SKETCH_MANTISSA_BITS) | i as u32, c));
                }
            }
        }
        out
    }

    /// Rebuilds a sketch from [`QuantileSketch::to_pairs`]; `None` on a key out of range.
    pub fn from_pairs(pairs: &[(u32, u64)]) -> Option<Self> {
        let mut s = QuantileSketch::new();
        for &(k, c) in pairs {
            if k >= 1 << (12 + SKETCH_MANTISSA_BITS) || !lower_bound(k).is_finite() {
                return None;
            }
            let block =
                s.octaves.entry((k >> SKETCH_MANTISSA_BITS) as u16).or_insert_with(|| Box::new([0; SUB]));
            let slot = &mut block[k as usize & (SUB - 1)];
            *slot = slot.checked_add(c)?;
            s.count = s.count.checked_add(c)?;
        }
        Some(s)
    }
}

impl Serialize for QuantileSketch {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_pairs().serialize(s)
    }
}

impl<'de> Deserialize<'de> for QuantileSketch {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(u32, u64)>::deserialize(d)?;
        QuantileSketch::from_pairs(&pairs).ok_or_else(|| serde::de::Error::custom("invalid sketch bucket"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_hold_their_values_within_the_relative_error() {
        let mut values =
            vec![0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0, 3.5, -2.75, 1e300, -1e300, f64::MAX, -f64::MAX];
        values.extend((1..2000).map(|i| (i as f64 * 0.37).sin() * 10f64.powi(i % 9 - 4)));
        for &x in &values {
            let k = key(x);
            let (lo, hi) = (lower_bound(k), lower_bound(k + 1));
            assert!(lo <= x && x < hi, "{x}: [{lo}, {hi})");
            if x.abs() > 1e-300 && hi.is_finite() {
                assert!((hi - lo) <= SKETCH_RELATIVE_ERROR * lo.abs().max(hi.abs()) * 1.0000001, "{x}");
            }
        }
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        assert!(sorted.windows(2).all(|w| key(w[0]) <= key(w[1])));
    }

    #[test]
    fn merge_is_exact_and_order_independent() {
        let values: Vec<f64> = (0..5000).map(|i| ((i * 7919) % 1000) as f64 / 7.0 - 50.0).collect();
        let mut whole = QuantileSketch::new();
        values.iter().for_each(|&v| whole.insert(v));
        let mut parts: Vec<QuantileSketch> = values
            .chunks(777)
            .map(|c| {
                let mut s = QuantileSketch::new();
                c.iter().for_each(|&v| s.insert(v));
                s
            })
            .collect();
        parts.reverse();
        let mut merged = QuantileSketch::new();
        parts.iter().for_each(|p| merged.merge(p));
        assert_eq!(merged, whole);
        assert_eq!(QuantileSketch::from_pairs(&whole.to_pairs()).unwrap(), whole);
        assert_eq!(whole.count(), 5000);
        let q = whole.quantile_boundary(0.5).unwrap();
        assert!((q - 21.43).abs() < 0.2, "{q}");
    }
}
