//! InStock allocation, exactly as xConnector describes it: AvailableStock = ShopifyStock +
//! ReservedStock; walk the open orders oldest first; an order whose every line fits in what is
//! left is InStock and takes its quantities; one that does not fit is NotInStock and takes
//! nothing. Every verdict explains itself so the merchant can see why an order waits.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::instock_codes::{CodeTable, Key, UNTRACKED};
use crate::instock_sort::{order_id, order_key, walk_order};
use crate::order::{LineId, Order, OrderId, OrderLine};
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

/// Orders read together in pass 1.
const BATCH: usize = 32;

/// One explanation found during the walk, turned into a [`Shortfall`] once the walk is over.
struct Short {
    position: u32,
    slot: u32,
    needed: i64,
    left: i64,
    takers: u32,
}

/// Allocates `levels` (Shopify's `available` per tracked product code, as read) to the orders
/// that reserve stock. Orders that do not reserve (invoiced with discharge, dispatched,
/// cancelled) are ignored; so are lines whose code is not in `levels`.
#[must_use]
pub fn allocate(levels: &HashMap<ProductCode, i64>, orders: &[Order]) -> InStockReport {
    // Pass 1, in storage order: resolve each line's code to a dense slot, add reservations to
    // AvailableStock, and keep each reserving order's (slot, quantity) needs (one per product)
    // in one flat vector. `index[r]` is the input index of reserving order r.
    let mut table = CodeTable::new(levels, levels.len().min(orders.len() * 3));
    let mut index: Vec<u32> = Vec::with_capacity(orders.len());
    let mut starts: Vec<u32> = Vec::with_capacity(orders.len() + 1);
    let mut unchecked: Vec<bool> = Vec::with_capacity(orders.len());
    let mut needs: Vec<(u32, i64)> = Vec::with_capacity(orders.len() * 3);
    // Sort keys (time, id), kept compact so that nothing after this pass reads an `Order`
    // again except to explain a NotInStock or unchecked verdict.
    let mut order_keys: Vec<u128> = Vec::with_capacity(orders.len());
    // Orders go in batches, each read in three sweeps (orders, then their lines, then the
    // codes' bytes) whose loads do not wait on one another, so the CPU keeps many in flight.
    let mut batch: Vec<(u32, &[OrderLine])> = Vec::with_capacity(BATCH);
    let mut lines: Vec<(Option<&str>, i64)> = Vec::with_capacity(BATCH * 4);
    let mut keys: Vec<Key> = Vec::with_capacity(BATCH * 4);
    for (b, chunk) in orders.chunks(BATCH).enumerate() {
        batch.clear();
        for (k, order) in chunk.iter().enumerate() {
            if order.reserves_stock() {
                order_keys.push(order_key(order));
                batch.push(((b * BATCH + k) as u32, &order.lines));
            }
        }
        lines.clear();
        for &(_, order_lines) in &batch {
            lines.extend(order_lines.iter().map(line_need));
        }
        keys.clear();
        keys.extend(lines.iter().map(|(c, _)| c.map_or(Key::of(""), Key::of)));
        let mut at = 0;
        for &(i, order_lines) in &batch {
            let first = needs.len();
            starts.push(first as u32);
            let mut untracked = false;
            for (&(code, quantity), &key) in
                lines[at..].iter().zip(&keys[at..]).take(order_lines.len())
            {
                let Some(code) = code else {
                    untracked = true;
                    continue;
                };
                let slot = table.resolve_key(code, key, quantity);
                if slot & UNTRACKED != 0 {
                    untracked = true;
                    continue;
                }
                match needs[first..].iter_mut().find(|(s, _)| *s == slot) {
                    Some((_, need)) => *need = need.saturating_add(quantity),
                    None => needs.push((slot, quantity)),
                }
            }
            at += order_lines.len();
            index.push(i);
            unchecked.push(untracked);
        }
    }
    starts.push(needs.len() as u32);
    let slots = table.codes.len();
    let available = table.available();
    // Each entry: the order's id in the high bits, its reserving number r in the low 32.
    let walk = walk_order(order_keys);

    // Gather each order's needs in walk order (independent loads the CPU overlaps), so the
    // walk itself reads memory in sequence.
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(walk.len());
    spans.extend(walk.iter().map(|&k| {
        let r = k as u32 as usize;
        (starts[r], starts[r + 1])
    }));
    let mut walk_needs: Vec<(u32, i64)> = Vec::with_capacity(needs.len());
    let mut walk_starts: Vec<u32> = Vec::with_capacity(walk.len() + 1);
    walk_starts.push(0);
    for &(start, end) in &spans {
        for &need in &needs[start as usize..end as usize] {
            walk_needs.push(need);
        }
        walk_starts.push(walk_needs.len() as u32);
    }
    drop(spans);
    drop(needs);
    let order_needs = |p: usize| &walk_needs[walk_starts[p] as usize..walk_starts[p + 1] as usize];

    // Pass 2: the walk, oldest first. Only numbers are recorded; explanations come after.
    let mut left = available.clone();
    let mut taker_count: Vec<u32> = vec![0; slots];
    let mut fits: Vec<bool> = Vec::with_capacity(walk.len());
    let mut shorts: Vec<Short> = Vec::new();
    for position in 0..walk.len() {
        let order_needs = order_needs(position);
        let ok = order_needs.iter().all(|&(s, n)| n <= left[s as usize]);
        for &(slot, need) in order_needs {
            let s = slot as usize;
            if ok {
                left[s] -= need;
                taker_count[s] += u32::from(need > 0);
            } else if need > left[s] {
                let (left, takers) = (left[s], taker_count[s]);
                let position = position as u32;
                shorts.push(Short {
                    position,
                    slot,
                    needed: need,
                    left,
                    takers,
                });
            }
        }
        fits.push(ok);
    }

    // Group the takers by product (a counting sort), oldest first within each product.
    let mut group: Vec<usize> = Vec::with_capacity(slots);
    let mut total = 0;
    for &n in &taker_count {
        group.push(total);
        total += n as usize;
    }
    let mut takers = vec![OrderId(0); total];
    let mut next = group.clone();
    for (position, &k) in walk.iter().enumerate() {
        let order_needs = order_needs(position);
        if fits[position] {
            for &(slot, _) in order_needs.iter().filter(|&&(_, need)| need > 0) {
                takers[next[slot as usize]] = order_id(k);
                next[slot as usize] += 1;
            }
        }
    }

    // Freed before the report is built, so its allocation can reuse their memory.
    drop(walk_needs);
    drop(walk_starts);

    // The verdicts, with their explanations.
    let mut shorts = shorts.into_iter().peekable();
    let verdicts = walk
        .iter()
        .enumerate()
        .map(|(position, &k)| {
            let r = k as u32;
            // Read only for an explanation, so an InStock verdict never touches its order.
            let order = || &orders[index[r as usize] as usize];
            let verdict = if fits[position] {
                Verdict::InStock
            } else {
                let mut shortfalls = Vec::new();
                while let Some(s) = shorts.next_if(|s| s.position as usize == position) {
                    let code = table.codes[s.slot as usize];
                    let lines = order()
                        .lines
                        .iter()
                        .filter(|l| l.code.as_ref().is_some_and(|c| c.as_str() == code));
                    shortfalls.push(Shortfall {
                        code: ProductCode(code.to_owned()),
                        lines: lines.map(|l| l.id).collect(),
                        needed: s.needed,
                        available: available[s.slot as usize],
                        left: s.left,
                        short_by: s.needed - s.left,
                        earlier_takers: s.takers as usize,
                        takers_start: group[s.slot as usize],
                    });
                }
                Verdict::NotInStock { shortfalls }
            };
            let unchecked_lines = if unchecked[r as usize] {
                unchecked_lines(order(), levels)
            } else {
                Vec::new()
            };
            OrderVerdict {
                order_id: order_id(k),
                position,
                verdict,
                unchecked_lines,
            }
        })
        .collect();
    InStockReport { verdicts, takers }
}

/// A line's code (none for custom items) and the quantity it reserves.
fn line_need(line: &OrderLine) -> (Option<&str>, i64) {
    let code = line.code.as_ref().map(ProductCode::as_str);
    (code, line.quantity.max(0))
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

#[cfg(test)]
#[path = "instock_tests.rs"]
mod tests;
