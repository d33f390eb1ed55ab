//! The one random number generator of the core: xoshiro256** seeded by splitmix64.
//!
//! Randomness in a report must be reproducible from the seed printed in it, on
//! every host, so the core carries its own small generator instead of a crate
//! whose stream could change between versions. The algorithms are Blackman and
//! Vigna's public-domain reference versions (xoshiro256** 1.0 and splitmix64);
//! `tests/golden/generate_eval.py` restates them in Python to check the
//! bootstrap intervals against numpy.

/// xoshiro256**: 256 bits of state, period 2^256 - 1, fast and statistically strong.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seeds the state with four outputs of splitmix64 started at `seed`, as the
    /// authors recommend (the state is then never all zero).
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut s = [0u64; 4];
        for slot in &mut s {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            *slot = z ^ (z >> 31);
        }
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` by Lemire's multiply-shift, `(x * n) >> 64`. Its bias,
    /// at most `n / 2^64`, is far below anything a bootstrap can notice, and
    /// skipping the rejection step keeps the stream one draw per index, which
    /// makes the Python restatement trivial.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_streams() {
        // splitmix64 from 0 gives 0xe220a8397b1dcdaf first (Vigna's splitmix64.c).
        let first = Rng::new(0).s[0];
        assert_eq!(first, 0xe220_a839_7b1d_cdaf);
        // Same seed, same stream; another seed, another stream.
        let a: Vec<u64> = {
            let mut r = Rng::new(42);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(42);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a[0], Rng::new(43).next_u64());
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = Rng::new(7);
        let mut seen = [0u32; 5];
        for _ in 0..10_000 {
            seen[r.below(5)] += 1;
        }
        assert!(seen.iter().all(|&c| (1800..2200).contains(&c)), "{seen:?}");
        assert_eq!(r.below(1), 0);
    }
}
