//! Resolving product codes to dense slots for the InStock walk, once per line, without
//! touching the code's `String` twice. An open-addressing table keeps each code's length and
//! first and last eight bytes inline, which is the whole code up to 16 bytes, so a hit compares
//! two words and never follows a pointer; longer codes compare their full text on a hit.
//! `HashMap<ProductCode, i64>` (SipHash) is consulted once per distinct code.

use std::collections::HashMap;

use crate::product::ProductCode;

/// High bit of a resolved value: the code is not in `levels` (not tracked).
pub(crate) const UNTRACKED: u32 = 1 << 31;
/// Second bit of a probe's value: a tracked code no line has named yet; the rest of the value
/// indexes [`CodeTable::levels`].
const PENDING: u32 = 1 << 30;
const EMPTY: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Probe {
    head: u64,
    tail: u64,
    len: u32,
    /// A slot (with [`UNTRACKED`] set for unknown codes), [`PENDING`], or [`EMPTY`].
    value: u32,
    /// Shopify's level plus what the reserving orders seen so far hold of this code, kept in
    /// the probe so the line that finds its slot updates it without touching another line.
    reserved: i64,
}

/// Distinct codes met so far, each with a dense slot; tracked slots carry their Shopify level.
pub(crate) struct CodeTable<'a> {
    probes: Vec<Probe>,
    used: usize,
    /// The text of each slot (tracked or not), for long codes and for the explanations.
    pub codes: Vec<&'a str>,
    /// The text of each code of `levels` not yet given a slot ([`PENDING`] values).
    levels: Vec<&'a str>,
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

/// A slot or `levels` index, which must leave the [`PENDING`] and [`UNTRACKED`] bits free.
fn below_pending(n: usize) -> u32 {
    assert!(n < PENDING as usize, "fewer than 2^30 distinct codes");
    n as u32
}

fn hash(head: u64, tail: u64, len: usize) -> u64 {
    let h = (head ^ tail.rotate_left(29) ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^ (h >> 29)
}

impl<'a> CodeTable<'a> {
    /// A table holding every code of `levels` (as yet without a slot), with room for
    /// `expected` codes in all.
    pub fn new(levels: &'a HashMap<ProductCode, i64>, expected: usize) -> Self {
        // Load at most 0.7 (then it doubles): 20,000 codes fit 32,768 probes, 1 MiB.
        let capacity = (expected.max(levels.len()).max(8) * 10 / 7 + 1).next_power_of_two();
        let empty = Probe {
            head: 0,
            tail: 0,
            len: 0,
            value: EMPTY,
            reserved: 0,
        };
        let mut table = Self {
            probes: vec![empty; capacity],
            used: 0,
            codes: Vec::with_capacity(expected),
            levels: Vec::with_capacity(levels.len()),
        };
        // Walking the map in its own order reads it in sequence, where a lookup per code
        // would hash with SipHash and land anywhere in it.
        for (code, &level) in levels {
            let at = below_pending(table.levels.len());
            let key = Key::of(code.as_str());
            let i = table.vacancy(key);
            table.probes[i] = Probe {
                head: key.head,
                tail: key.tail,
                len: key.len,
                value: PENDING | at,
                // Seeded with the level so the saturating sum is the same as adding each
                // line's quantity to the level in turn.
                reserved: level,
            };
            table.levels.push(code.as_str());
            table.count_one();
        }
        table
    }

    /// The first empty probe for `key` (`levels` has each code once).
    fn vacancy(&self, key: Key) -> usize {
        let mask = self.probes.len() - 1;
        let mut i = hash(key.head, key.tail, key.len as usize) as usize & mask;
        while self.probes[i].value != EMPTY {
            i = (i + 1) & mask;
        }
        i
    }

    /// The slot of `code` (with [`UNTRACKED`] set when `levels` does not know it), adding
    /// `quantity` to what the code has reserved.
    #[cfg(test)]
    pub fn resolve(&mut self, code: &'a str, quantity: i64) -> u32 {
        self.resolve_key(code, Key::of(code), quantity)
    }

    /// [`CodeTable::resolve`] with the code's [`Key`] already read. Slots are numbered in
    /// the order codes are first resolved.
    #[inline]
    pub fn resolve_key(&mut self, code: &'a str, key: Key, quantity: i64) -> u32 {
        let Key { head, tail, len } = key;
        let mask = self.probes.len() - 1;
        let mut i = hash(head, tail, len as usize) as usize & mask;
        loop {
            let p = &mut self.probes[i];
            if p.value == EMPTY {
                return self.insert_untracked(i, code, key);
            }
            if p.head == head && p.tail == tail && p.len == len {
                let text = if p.value & PENDING != 0 {
                    self.levels[(p.value & !PENDING) as usize]
                } else {
                    self.codes[(p.value & !UNTRACKED) as usize]
                };
                if len <= 16 || text == code {
                    p.reserved = p.reserved.saturating_add(quantity);
                    if p.value & PENDING != 0 {
                        p.value = below_pending(self.codes.len());
                        self.codes.push(code);
                    }
                    return p.value;
                }
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn insert_untracked(&mut self, at: usize, code: &'a str, key: Key) -> u32 {
        let slot = below_pending(self.codes.len());
        self.codes.push(code);
        self.probes[at] = Probe {
            head: key.head,
            tail: key.tail,
            len: key.len,
            value: slot | UNTRACKED,
            reserved: 0,
        };
        self.count_one();
        slot | UNTRACKED
    }

    fn count_one(&mut self) {
        self.used += 1;
        if self.used * 10 > self.probes.len() * 7 {
            self.grow();
        }
    }

    /// AvailableStock per slot: Shopify's level plus what reserving orders hold (0 for
    /// untracked slots, which never take part).
    pub fn available(&self) -> Vec<i64> {
        let mut available = vec![0; self.codes.len()];
        for p in self
            .probes
            .iter()
            .filter(|p| p.value & (UNTRACKED | PENDING) == 0)
        {
            available[p.value as usize] = p.reserved;
        }
        available
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.probes);
        let mut probes = vec![old[0]; old.len() * 2];
        probes.iter_mut().for_each(|p| p.value = EMPTY);
        let mask = probes.len() - 1;
        for p in old.into_iter().filter(|p| p.value != EMPTY) {
            let mut i = hash(p.head, p.tail, p.len as usize) as usize & mask;
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
        let first: Vec<u32> = codes.iter().map(|c| table.resolve(c, 1)).collect();
        let again: Vec<u32> = codes.iter().map(|c| table.resolve(c, 2)).collect();
        assert_eq!(first, again, "the same code always gets the same slot");
        let available = table.available();
        for (i, (c, v)) in codes.iter().zip(&first).enumerate() {
            assert_eq!(table.codes[(v & !UNTRACKED) as usize], c.as_str());
            assert_eq!(v & UNTRACKED != 0, i % 3 == 0, "{c:?}");
            if i % 3 != 0 {
                assert_eq!(available[*v as usize], i as i64 + 3, "{c:?}");
            }
        }
        assert_eq!(table.codes.len(), codes.len(), "no two codes share a slot");
    }
}
