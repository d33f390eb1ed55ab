//! Two small hashes with results that are the same on every platform.
//!
//! [`sha256_hex`] identifies a contract (its canonical JSON) so the CLI, the page
//! and the edge worker can tell whether they enforce the same one. [`hash64`] is a
//! fast non-cryptographic hash for spotting duplicated rows and values in a
//! stream without keeping them: equal inputs always collide, and two different
//! inputs collide with a chance of about n²/2⁶⁵ among n inputs (about 3 in a
//! million for ten million rows), which `docs/quality.md` mentions.

/// SHA-256 (FIPS 180-4) of `data`, as 64 lowercase hex digits.
pub fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut message = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(v);
        }
    }
    let mut out = String::with_capacity(64);
    for word in h {
        for byte in word.to_be_bytes() {
            out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
            out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
        }
    }
    out
}

/// The multiplier of MurmurHash64A (Austin Appleby, public domain). Only 64-bit
/// operations are used: a 128-bit product would be a library call in wasm32.
const M: u64 = 0xc6a4_a793_5bd1_e995;
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// A streaming 64-bit hash in the manner of MurmurHash64A: feed byte strings with
/// [`Hasher64::write`], read the result with [`Hasher64::finish`]. Each write is
/// length-delimited, so the pieces `("ab", "c")` and `("a", "bc")` hash differently.
#[derive(Debug, Clone, Copy)]
pub struct Hasher64 {
    state: u64,
}

impl Default for Hasher64 {
    fn default() -> Self {
        Hasher64 { state: SEED }
    }
}

impl Hasher64 {
    /// Mixes one byte string in.
    #[inline]
    pub fn write(&mut self, bytes: &[u8]) {
        let mut h = (self.state ^ (bytes.len() as u64).wrapping_mul(M)).wrapping_mul(M);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut k = u64::from_le_bytes([
                chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
            ]);
            k = k.wrapping_mul(M);
            k ^= k >> 47;
            k = k.wrapping_mul(M);
            h ^= k;
            h = h.wrapping_mul(M);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            h ^= u64::from_le_bytes(word);
            h = h.wrapping_mul(M);
        }
        self.state = h;
    }

    /// Mixes one byte in (cheaper than a one-byte [`Hasher64::write`]).
    #[inline]
    pub fn write_byte(&mut self, byte: u8) {
        self.state = (self.state ^ u64::from(byte)).wrapping_mul(M);
    }

    /// The hash of everything written.
    #[inline]
    pub fn finish(&self) -> u64 {
        let mut h = self.state;
        h ^= h >> 47;
        h = h.wrapping_mul(M);
        h ^ (h >> 47)
    }
}

/// [`Hasher64`] over one byte string.
pub fn hash64(bytes: &[u8]) -> u64 {
    let mut h = Hasher64::default();
    h.write(bytes);
    h.finish()
}

/// A `BuildHasher` for maps keyed by values that already are good hashes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PassThrough;

/// The hasher of [`PassThrough`]: returns the `u64` it was given.
#[derive(Debug, Default)]
pub(crate) struct PassThroughHasher(u64);

impl std::hash::Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only reached for keys that are not u64: mix them properly.
        let mut h = Hasher64 { state: self.0 ^ SEED };
        h.write(bytes);
        self.0 = h.finish();
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl std::hash::BuildHasher for PassThrough {
    type Hasher = PassThroughHasher;
    fn build_hasher(&self) -> PassThroughHasher {
        PassThroughHasher(0)
    }
}

/// A `BuildHasher` for string-keyed lookups built once and probed often (field
/// names, category sets): [`Hasher64`] is several times faster than the
/// DoS-resistant default on short keys, and the keys come from the contract, not
/// from the data being checked.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FastHash;

/// The hasher of [`FastHash`].
#[derive(Debug, Default)]
pub(crate) struct FastHasher(Hasher64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0.finish()
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
    fn write_u8(&mut self, byte: u8) {
        // `str` hashes its bytes, then 0xff.
        self.0.write_byte(byte);
    }
}

impl std::hash::BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_vectors() {
        // FIPS 180-4 examples and the empty string, as Python's hashlib gives them.
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let million_a = vec![b'a'; 1_000_000];
        assert_eq!(
            sha256_hex(&million_a),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn hash64_is_stable_and_length_delimited() {
        // Pinned values, from an independent Python transcription of the algorithm:
        // the hash must be the same on every platform.
        assert_eq!(hash64(b""), 0x1006_cc9a_3fec_0d7e);
        assert_eq!(hash64(b"modelgate"), 0x19f1_4ad8_cdc0_559b);
        assert_ne!(hash64(b"a"), hash64(b"b"));
        let mut one = Hasher64::default();
        one.write(b"ab");
        one.write(b"c");
        let mut two = Hasher64::default();
        two.write(b"a");
        two.write(b"bc");
        assert_ne!(one.finish(), two.finish());
        let mut empty_field = Hasher64::default();
        empty_field.write(b"");
        assert_ne!(empty_field.finish(), Hasher64::default().finish());
        // No collisions among a few hundred thousand similar short strings.
        let mut seen = std::collections::HashSet::new();
        for i in 0..300_000u32 {
            assert!(seen.insert(hash64(i.to_string().as_bytes())), "collision at {i}");
        }
    }
}
