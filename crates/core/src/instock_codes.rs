//! Resolving product codes to dense product indices while an [`AllocationInput`] is built from
//! `Order`s, once per line, without touching the code's `String` twice. An open-addressing table
//! keeps each code's length and first and last eight bytes inline, which is the whole code up to
//! 16 bytes, so a hit compares two words and never follows a pointer; longer codes compare their
//! full text on a hit. `HashMap<ProductCode, i64>` (SipHash) is only walked once, in its own order.
//!
//! [`AllocationInput`]: crate::instock::AllocationInput

use std::collections::HashMap;

use crate::product::ProductCode;

/// A resolved value for a code that is not in `levels` (not tracked).
pub(crate) const UNTRACKED: u32 = u32::MAX - 1;
/// High bit of a probe's value: a tracked code no line has named yet; the rest of the value
/// indexes [`CodeTable::levels`].
const PENDING: u32 = 1 << 31;
const EMPTY: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Probe {
    head: u64,
    tail: u64,
    len: u32,
    /// A product index, [`UNTRACKED`], [`PENDING`] with a `levels` index, or [`EMPTY`].
    value: u32,
}

/// Distinct codes met so far. Tracked codes get product indices in the order lines first name
/// them, so the numbering depends only on the orders, never on the map's iteration order.
pub(crate) struct CodeTable<'a> {
    probes: Vec<Probe>,
    used: usize,
    /// Text and Shopify level of each product index handed out.
    pub codes: Vec<&'a str>,
    pub product_levels: Vec<i64>,
    /// The text and level of each code of `levels` not yet given an index ([`PENDING`] values).
    levels: Vec<(&'a str, i64)>,
}

/// A code's length and inline words, read apart from the probe so that a batch of lines can
/// have their codes' memory loads in flight together.
#[derive(Clone, Copy)]
pub(crate) struct Key {
    head: u64,
    tail: u64,
    len: u32,
}

impl Key {
    #[inline]
    pub fn of(code: &str) -> Self {
        let (head, tail) = words(code.as_bytes());
        Self {
            head,
            tail,
            len: code.len() as u32,
        }
    }
}

/// Length and two words that, for codes of up to 16 bytes, determine the code exactly.
#[inline]
fn words(b: &[u8]) -> (u64, u64) {
    let word = |s: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(s);
        u64::from_le_bytes(w)
    };
    let half = |s: &[u8]| {
        let mut w = [0u8; 4];
        w.copy_from_slice(s);
        u64::from(u32::from_le_bytes(w))
    };
    match b.len() {
        8.. => (word(&b[..8]), word(&b[b.len() - 8..])),
        4..8 => (half(&b[..4]) | half(&b[b.len() - 4..]) << 32, 0),
        _ => (b.iter().fold(0, |w, &c| w << 8 | u64::from(c)), 0),
    }
}

/// The first probe for a code in a table of `probes` (a power of two) entries: two multiplies
/// mix every byte of the code into the high bits, which pick the probe. (Product codes share
/// long prefixes such as "SKU-0001"; taking low bits of one multiply clustered them, at 7.6
/// probes a lookup for 20,000 codes against 1.7 now.)
#[inline]
fn start(head: u64, tail: u64, len: u32, probes: usize) -> usize {
    let h = (head ^ u64::from(len)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let h = (h ^ tail).wrapping_mul(0xff51_afd7_ed55_8ccd);
    (h >> (64 - probes.trailing_zeros())) as usize
}

impl<'a> CodeTable<'a> {
    /// A table holding every code of `levels` (as yet without an index), with room for
    /// `expected` codes in all.
    pub fn new(levels: &'a HashMap<ProductCode, i64>, expected: usize) -> Self {
        // PENDING | index must never equal UNTRACKED.
        assert!(
            levels.len() < (PENDING - 2) as usize,
            "fewer than 2^31 products"
        );
        // Load at most 0.7 (then it doubles): 20,000 codes fit 32,768 probes, 768 KiB.
        let capacity = (expected.max(levels.len()).max(8) * 10 / 7 + 1).next_power_of_two();
        let empty = Probe {
            head: 0,
            tail: 0,
            len: 0,
            value: EMPTY,
        };
        let mut table = Self {
            probes: vec![empty; capacity],
            used: 0,
            codes: Vec::with_capacity(expected.min(levels.len())),
            product_levels: Vec::with_capacity(expected.min(levels.len())),
            levels: Vec::with_capacity(levels.len()),
        };
        // Walking the map in its own order reads it in sequence, where a lookup per code
        // would hash with SipHash and land anywhere in it.
        for (code, &level) in levels {
            let at = table.levels.len() as u32;
            let key = Key::of(code.as_str());
            let i = table.vacancy(key);
            table.probes[i] = Probe {
                head: key.head,
                tail: key.tail,
                len: key.len,
                value: PENDING | at,
            };
            table.levels.push((code.as_str(), level));
            table.count_one();
        }
        table
    }

    /// The first empty probe for `key` (`levels` has each code once).
    fn vacancy(&self, key: Key) -> usize {
        let mask = self.probes.len() - 1;
        let mut i = start(key.head, key.tail, key.len, self.probes.len());
        while self.probes[i].value != EMPTY {
            i = (i + 1) & mask;
        }
        i
    }

    /// The product index of `code`, or [`UNTRACKED`] when `levels` does not know it.
    #[cfg(test)]
    pub fn resolve(&mut self, code: &'a str) -> u32 {
        self.resolve_key(code, Key::of(code))
    }

    /// The product index of `code` (or [`UNTRACKED`]), its [`Key`] already read.
    #[inline]
    pub fn resolve_key(&mut self, code: &'a str, key: Key) -> u32 {
        let Key { head, tail, len } = key;
        let mask = self.probes.len() - 1;
        let mut i = start(head, tail, len, self.probes.len());
        loop {
            let p = self.probes[i];
            if p.value == EMPTY {
                return self.insert_untracked(i, key);
            }
            if p.head == head && p.tail == tail && p.len == len {
                match p.value {
                    // Only codes of up to 16 bytes are stored untracked: the match is exact.
                    UNTRACKED => return UNTRACKED,
                    v if v & PENDING != 0 => {
                        let (text, level) = self.levels[(v & !PENDING) as usize];
                        if len <= 16 || text == code {
                            return self.name(i, text, level);
                        }
                    }
                    v => {
                        if len <= 16 || self.codes[v as usize] == code {
                            return v;
                        }
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Gives the tracked code in probe `at` the next product index.
    fn name(&mut self, at: usize, text: &'a str, level: i64) -> u32 {
        let product = self.codes.len() as u32;
        self.codes.push(text);
        self.product_levels.push(level);
        self.probes[at].value = product;
        product
    }

    /// Remembers a code `levels` does not know. Codes over 16 bytes are not inserted (their
    /// probes would need their text to compare), so each of their lines probes to an empty slot.
    #[cold]
    fn insert_untracked(&mut self, at: usize, key: Key) -> u32 {
        if key.len <= 16 {
            self.probes[at] = Probe {
                head: key.head,
                tail: key.tail,
                len: key.len,
                value: UNTRACKED,
            };
            self.count_one();
        }
        UNTRACKED
    }

    fn count_one(&mut self) {
        self.used += 1;
        if self.used * 10 > self.probes.len() * 7 {
            self.grow();
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.probes);
        let mut probes = vec![old[0]; old.len() * 2];
        probes.iter_mut().for_each(|p| p.value = EMPTY);
        let mask = probes.len() - 1;
        for p in old.into_iter().filter(|p| p.value != EMPTY) {
            let mut i = start(p.head, p.tail, p.len, probes.len());
            while probes[i].value != EMPTY {
                i = (i + 1) & mask;
            }
            probes[i] = p;
        }
        self.probes = probes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_every_length_resolve_exactly_and_survive_growth() {
        let mut codes: Vec<String> = (0..=20).map(|n| "x".repeat(n)).collect();
        codes.extend((1..=20).map(|n| "y".repeat(n)));
        // Same length, same first and last eight bytes, different middle.
        codes.push("ABCDEFGH-1-ABCDEFGH".into());
        codes.push("ABCDEFGH-2-ABCDEFGH".into());
        codes.extend((0..200).map(|i| format!("SKU-{i:06}")));
        let levels: HashMap<ProductCode, i64> = codes
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|(i, c)| (ProductCode(c.clone()), i as i64))
            .collect();
        let mut table = CodeTable::new(&levels, 1);
        let first: Vec<u32> = codes.iter().map(|c| table.resolve(c)).collect();
        let again: Vec<u32> = codes.iter().map(|c| table.resolve(c)).collect();
        assert_eq!(first, again, "the same code always gets the same index");
        for (i, (c, &v)) in codes.iter().zip(&first).enumerate() {
            assert_eq!(v == UNTRACKED, i % 3 == 0, "{c:?}");
            if v != UNTRACKED {
                assert_eq!(table.codes[v as usize], c.as_str());
                assert_eq!(table.product_levels[v as usize], i as i64, "{c:?}");
            }
        }
        let tracked = first.iter().filter(|&&v| v != UNTRACKED).count();
        let numbered: Vec<u32> = first.iter().copied().filter(|&v| v != UNTRACKED).collect();
        assert_eq!(
            numbered,
            (0..tracked as u32).collect::<Vec<_>>(),
            "numbered as first named"
        );
        assert_eq!(table.codes.len(), tracked, "no two codes share an index");
    }
}
