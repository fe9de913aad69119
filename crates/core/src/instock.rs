//! InStock allocation, exactly as xConnector describes it: AvailableStock = ShopifyStock +
//! ReservedStock; walk the open orders oldest first; an order whose every line fits in what is
//! left is InStock and takes its quantities; one that does not fit is NotInStock and takes
//! nothing. Every verdict explains itself so the merchant can see why an order waits.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::hashing::{FnvHashMap, ShortKey};
use crate::order::{LineId, Order, OrderId};
use crate::product::ProductCode;

/// A product an order needs more of than is left when its turn comes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub code: ProductCode,
    /// The order's lines with this code (an order may list a code twice).
    pub lines: Vec<LineId>,
    pub needed: i64,
    /// AvailableStock before any order took from it.
    pub available: i64,
    /// What earlier InStock orders left.
    pub left: i64,
    pub short_by: i64,
    /// How many earlier InStock orders took this product; see [`InStockReport::earlier_takers`].
    pub earlier_takers: usize,
    /// Where this product's takers start in [`InStockReport::takers`].
    pub takers_start: usize,
}

/// The verdict for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    InStock,
    NotInStock { shortfalls: Vec<Shortfall> },
}

/// An order's verdict and its place in the chronological walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderVerdict {
    pub order_id: OrderId,
    /// 0 for the oldest open order.
    pub position: usize,
    pub verdict: Verdict,
    /// Lines not checked: custom items and products whose stock is not tracked.
    pub unchecked_lines: Vec<LineId>,
}

/// The whole allocation: verdicts oldest first, and the InStock orders that took each product,
/// oldest first, grouped by product in one flat list (a shortfall points at its group).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InStockReport {
    pub verdicts: Vec<OrderVerdict>,
    pub takers: Vec<OrderId>,
}

impl InStockReport {
    /// The earlier InStock orders that took the product a shortfall is about, oldest first.
    #[must_use]
    pub fn earlier_takers(&self, shortfall: &Shortfall) -> &[OrderId] {
        let end = shortfall.takers_start + shortfall.earlier_takers;
        self.takers.get(shortfall.takers_start..end).unwrap_or(&[])
    }

    /// Ids of the orders found InStock, in chronological order.
    #[must_use]
    pub fn in_stock(&self) -> Vec<OrderId> {
        let is_in = |v: &&OrderVerdict| v.verdict == Verdict::InStock;
        self.verdicts
            .iter()
            .filter(is_in)
            .map(|v| v.order_id)
            .collect()
    }
}

/// Per-product state of the walk, kept in parallel arrays indexed by slot so the hot loop
/// touches only small, dense memory.
struct Slots<'a> {
    codes: Vec<&'a ProductCode>,
    available: Vec<i64>,
    left: Vec<i64>,
    /// How many InStock orders took each product so far.
    taker_count: Vec<u32>,
}

/// Marks a line whose product is not tracked (not in `levels`) or that has no code.
const UNCHECKED: u32 = u32::MAX;

/// Orders with at most this many lines keep them inside their walk entry.
const INLINE_LINES: usize = 3;

/// One reserving order in the walk: its sort key, its index in the input, and its lines as
/// (slot, quantity). Short orders carry them inline so the walk reads memory in sequence;
/// longer ones (or absurd quantities) point into a side vector instead.
struct Entry {
    /// Creation time in nanoseconds since 1970 (exact for 1677–2262), cheaper to compare.
    created_at: i64,
    id: OrderId,
    index: u32,
    lines: EntryLines,
}

enum EntryLines {
    Inline {
        len: u8,
        items: [(u32, u32); INLINE_LINES],
    },
    Spilled {
        start: u32,
        end: u32,
    },
}

/// Allocates `levels` (Shopify's `available` per tracked product code, as read) to the orders
/// that reserve stock. Orders that do not reserve (invoiced with discharge, dispatched,
/// cancelled) are ignored; so are lines whose code is not in `levels`.
#[must_use]
pub fn allocate(levels: &HashMap<ProductCode, i64>, orders: &[Order]) -> InStockReport {
    // Pass 1, in storage order (cache-friendly): intern codes into slots, sum reservations
    // into AvailableStock, and flatten lines into (slot, quantity) pairs.
    // Keyed by the code's text so a probe compares length and bytes without loading a String.
    let mut slot_of: FnvHashMap<ShortKey<'_>, u32> = FnvHashMap::default();
    slot_of.reserve(levels.len().min(orders.len() * 3));
    let mut slots = Slots {
        codes: vec![],
        available: vec![],
        left: vec![],
        taker_count: vec![],
    };
    let mut walk: Vec<Entry> = Vec::with_capacity(orders.len());
    let mut lines: Vec<(u32, i64)> = Vec::new();
    for (index, order) in orders.iter().enumerate() {
        if !order.reserves_stock() {
            continue;
        }
        let first = lines.len();
        for line in &order.lines {
            let quantity = line.quantity.max(0);
            let slot = line.code.as_ref().map_or(UNCHECKED, |code| {
                if let Some(&i) = slot_of.get(&ShortKey(code.as_str())) {
                    return i;
                }
                let Some((code, &level)) = levels.get_key_value(code) else {
                    return UNCHECKED;
                };
                let i = slots.codes.len() as u32;
                slot_of.insert(ShortKey(code.as_str()), i);
                slots.codes.push(code);
                slots.available.push(level);
                slots.taker_count.push(0);
                i
            });
            if slot != UNCHECKED {
                let total = &mut slots.available[slot as usize];
                *total = total.saturating_add(quantity);
            }
            lines.push((slot, quantity));
        }
        let order_lines = &lines[first..];
        let fits_inline = order_lines.len() <= INLINE_LINES
            && order_lines.iter().all(|&(_, q)| u32::try_from(q).is_ok());
        let entry_lines = if fits_inline {
            let mut items = [(UNCHECKED, 0); INLINE_LINES];
            for (item, &(slot, q)) in items.iter_mut().zip(order_lines) {
                *item = (slot, q as u32);
            }
            let len = order_lines.len() as u8;
            lines.truncate(first);
            EntryLines::Inline { len, items }
        } else {
            EntryLines::Spilled {
                start: first as u32,
                end: lines.len() as u32,
            }
        };
        let created_at = nanos(order.created_at);
        walk.push(Entry {
            created_at,
            id: order.id,
            index: index as u32,
            lines: entry_lines,
        });
    }
    slots.left.clone_from(&slots.available);
    // Oldest first; the order id breaks ties so the walk never depends on input order.
    walk.sort_unstable_by_key(|e| (e.created_at, e.id));

    // Pass 2: the walk. Takers are recorded flat, in walk order, and grouped at the end.
    let mut verdicts = Vec::with_capacity(walk.len());
    let mut taken: Vec<(u32, OrderId)> = Vec::with_capacity(walk.len() * INLINE_LINES);
    let mut needs: Vec<(u32, i64)> = Vec::new();
    // (verdict, shortfall, slot) of every shortfall, to set `takers_start` once groups are known.
    let mut fixups: Vec<(usize, usize, u32)> = Vec::new();
    for (position, entry) in walk.iter().enumerate() {
        needs.clear();
        let mut unchecked = false;
        let mut add = |slot: u32, quantity: i64| {
            if slot == UNCHECKED {
                unchecked = true;
            } else if let Some((_, need)) = needs.iter_mut().find(|(s, _)| *s == slot) {
                *need = need.saturating_add(quantity);
            } else {
                needs.push((slot, quantity));
            }
        };
        match &entry.lines {
            EntryLines::Inline { len, items } => {
                for &(slot, q) in &items[..usize::from(*len)] {
                    add(slot, i64::from(q));
                }
            }
            EntryLines::Spilled { start, end } => {
                for &(slot, q) in &lines[*start as usize..*end as usize] {
                    add(slot, q);
                }
            }
        }
        let fits = needs
            .iter()
            .all(|&(slot, need)| need <= slots.left[slot as usize]);
        let order = &orders[entry.index as usize];
        let verdict = if fits {
            for &(slot, need) in &needs {
                slots.left[slot as usize] -= need;
                if need > 0 {
                    slots.taker_count[slot as usize] += 1;
                    taken.push((slot, entry.id));
                }
            }
            Verdict::InStock
        } else {
            let short = needs
                .iter()
                .filter(|&&(slot, need)| need > slots.left[slot as usize]);
            let shortfalls: Vec<Shortfall> = short
                .enumerate()
                .map(|(i, &(slot, need))| {
                    fixups.push((verdicts.len(), i, slot));
                    shortfall(order, &slots, slot as usize, need)
                })
                .collect();
            Verdict::NotInStock { shortfalls }
        };
        let unchecked_lines = if unchecked {
            unchecked_lines(order, levels)
        } else {
            Vec::new()
        };
        verdicts.push(OrderVerdict {
            order_id: entry.id,
            position,
            verdict,
            unchecked_lines,
        });
    }
    // Group the takers by product (a counting sort) and point each shortfall at its group.
    let mut starts: Vec<usize> = Vec::with_capacity(slots.taker_count.len());
    let mut total = 0;
    for &n in &slots.taker_count {
        starts.push(total);
        total += n as usize;
    }
    for (v, i, slot) in fixups {
        if let Verdict::NotInStock { shortfalls } = &mut verdicts[v].verdict {
            shortfalls[i].takers_start = starts[slot as usize];
        }
    }
    let mut takers = vec![OrderId(0); total];
    for (slot, id) in taken {
        takers[starts[slot as usize]] = id;
        starts[slot as usize] += 1;
    }
    InStockReport { verdicts, takers }
}

fn unchecked_lines(order: &Order, levels: &HashMap<ProductCode, i64>) -> Vec<LineId> {
    let tracked =
        |l: &&crate::order::OrderLine| l.code.as_ref().is_some_and(|c| levels.contains_key(c));
    order
        .lines
        .iter()
        .filter(|l| !tracked(l))
        .map(|l| l.id)
        .collect()
}

fn nanos(t: DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

fn shortfall(order: &Order, slots: &Slots<'_>, slot: usize, needed: i64) -> Shortfall {
    let code = slots.codes[slot];
    let lines = order
        .lines
        .iter()
        .filter(|l| l.code.as_ref() == Some(code))
        .map(|l| l.id);
    Shortfall {
        code: code.clone(),
        lines: lines.collect(),
        needed,
        available: slots.available[slot],
        left: slots.left[slot],
        short_by: needed - slots.left[slot],
        earlier_takers: slots.taker_count[slot] as usize,
        takers_start: 0, // set once the walk is over
    }
}

#[cfg(test)]
#[path = "instock_tests.rs"]
mod tests;
