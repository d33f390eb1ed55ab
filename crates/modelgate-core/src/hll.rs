//! HyperLogLog distinct counts, for text columns with more distinct values than
//! the category cap (to tell an identifier from free text), and the fixed hash
//! the profiles use everywhere (not std's randomly seeded one, so a profile is
//! the same on every run and every machine).

/// Register index bits: 4,096 registers, a standard error of about 1.6%.
const P: u32 = 12;
const M: usize = 1 << P;

/// A HyperLogLog sketch (Flajolet et al. 2007, with linear counting for small
/// cardinalities). Merging takes the register-wise maximum, so it is exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hll {
    registers: Box<[u8; M]>,
}

impl Default for Hll {
    fn default() -> Self {
        Hll { registers: Box::new([0; M]) }
    }
}

impl Hll {
    /// Adds a 64-bit hash.
    pub fn insert_hash(&mut self, h: u64) {
        let index = (h >> (64 - P)) as usize;
        let rank = ((h << P) | (1 << (P - 1))).leading_zeros() as u8 + 1;
        if rank > self.registers[index] {
            self.registers[index] = rank;
        }
    }

    /// Adds a string.
    pub fn insert_str(&mut self, s: &str) {
        self.insert_hash(hash_bytes(s.as_bytes()));
    }

    /// Register-wise maximum.
    pub fn merge(&mut self, other: &Hll) {
        for (a, b) in self.registers.iter_mut().zip(other.registers.iter()) {
            *a = (*a).max(*b);
        }
    }

    /// Estimated number of distinct values.
    pub fn estimate(&self) -> f64 {
        let m = M as f64;
        let sum: f64 = self.registers.iter().map(|&r| 2f64.powi(-i32::from(r))).sum();
        let raw = 0.7213 / (1.0 + 1.079 / m) * m * m / sum;
        let zeros = self.registers.iter().filter(|&&r| r == 0).count();
        if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        }
    }

    /// The registers as lowercase hex, for the profile file.
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(2 * M);
        for &r in self.registers.iter() {
            s.push(HEX[usize::from(r >> 4)] as char);
            s.push(HEX[usize::from(r & 15)] as char);
        }
        s
    }

    /// Parses [`Hll::to_hex`]; `None` when malformed.
    pub fn from_hex(s: &str) -> Option<Hll> {
        if s.len() != 2 * M {
            return None;
        }
        let mut h = Hll::default();
        for (i, pair) in s.as_bytes().chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).ok()?;
            h.registers[i] = u8::from_str_radix(text, 16).ok()?;
        }
        Some(h)
    }
}

/// splitmix64's finaliser: a fixed, well-mixing 64-bit permutation.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A fixed 64-bit hash of bytes (8 bytes at a time, then [`mix64`]).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix64(h ^ u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = mix64(h ^ u64::from_le_bytes(w) ^ 0xFF);
    }
    mix64(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_within_a_few_percent_and_merges_exactly() {
        let mut a = Hll::default();
        let mut b = Hll::default();
        let mut whole = Hll::default();
        for i in 0..50_000 {
            let s = format!("user-{i}");
            whole.insert_str(&s);
            if i % 3 == 0 {
                a.insert_str(&s)
            } else {
                b.insert_str(&s)
            }
        }
        a.merge(&b);
        assert_eq!(a, whole);
        let e = whole.estimate();
        assert!((e / 50_000.0 - 1.0).abs() < 0.05, "{e}");
        assert_eq!(Hll::from_hex(&whole.to_hex()).unwrap(), whole);
        let mut small = Hll::default();
        for s in ["a", "b", "c", "a"] {
            small.insert_str(s);
        }
        assert!((small.estimate() - 3.0).abs() < 0.1);
    }
}
