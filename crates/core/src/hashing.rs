//! A small non-cryptographic hasher for maps keyed by product codes and numeric ids. The standard SipHash
//! guards against hash flooding, which does not apply to a shop's own catalogue, and costs
//! several times more on the hot paths of InStock and planning at 100,000 products.

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a for single bytes, FxHash's rotate-xor-multiply for whole 8-byte words, and murmur3's
/// finaliser: without it the top bits (which `HashMap` uses to tell entries apart) stay nearly
/// equal for codes like "SKU-000123" and "SKU-000124".
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes per step (as FxHash does) rather than FNV's one: codes are 6-20 bytes.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
}

/// Builds [`Fnv`] hashers for `HashMap`/`HashSet`.
pub type FnvBuild = BuildHasherDefault<Fnv>;

/// A `HashMap` using [`Fnv`].
pub type FnvHashMap<K, V> = std::collections::HashMap<K, V, FnvBuild>;

/// A borrowed code as a map key, compared word by word: product codes are short, and the
/// library `memcmp` call costs more than the comparison itself on the InStock hot path.
#[derive(Debug, Clone, Copy, Eq)]
pub struct ShortKey<'a>(pub &'a str);

impl PartialEq for ShortKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let (mut wa, mut wb) = (a.chunks_exact(8), b.chunks_exact(8));
        let words_equal = wa
            .by_ref()
            .zip(wb.by_ref())
            .all(|(x, y)| word(x) == word(y));
        words_equal
            && wa
                .remainder()
                .iter()
                .zip(wb.remainder())
                .all(|(x, y)| x == y)
    }
}

impl std::hash::Hash for ShortKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(bytes);
    u64::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash_of<T: Hash>(value: &T) -> u64 {
        let mut h = Fnv::default();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn known_fnv1a_vector() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (reference test vector).
        let mut h = Fnv::default();
        h.write(b"a");
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn short_keys_compare_by_content() {
        let (a, b) = (String::from("SKU-000123-XL"), String::from("SKU-000123-XL"));
        assert_eq!(ShortKey(&a), ShortKey(&b));
        assert_ne!(ShortKey("SKU-000123-XL"), ShortKey("SKU-000123-XS"));
        assert_ne!(ShortKey("SKU-000124-XL"), ShortKey("SKU-000123-XL"));
        assert_ne!(ShortKey("SKU"), ShortKey("SKU-"));
        assert_eq!(hash_of(&ShortKey("A1")), hash_of(&"A1"));
    }

    #[test]
    fn similar_codes_differ_in_the_top_bits() {
        let tops: std::collections::HashSet<u64> = (0..1000)
            .map(|i| hash_of(&format!("SKU-{i:06}")) >> 57)
            .collect();
        assert!(
            tops.len() > 100,
            "only {} distinct top-7-bit tags of 128",
            tops.len()
        );
        assert_ne!(hash_of(&1u64), hash_of(&2u64));
    }
}
