//! InStock allocation, exactly as xConnector describes it: AvailableStock = ShopifyStock +
//! ReservedStock; walk the open orders oldest first; an order whose every line fits in what is
//! left is InStock and takes its quantities; one that does not fit is NotInStock and takes
//! nothing. Every verdict explains itself so the merchant can see why an order waits.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

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

/// The whole allocation: verdicts oldest first, and who took each product, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InStockReport {
    pub verdicts: Vec<OrderVerdict>,
    pub takers: HashMap<ProductCode, Vec<OrderId>>,
}

impl InStockReport {
    /// The earlier InStock orders that took the product a shortfall is about, oldest first.
    #[must_use]
    pub fn earlier_takers(&self, shortfall: &Shortfall) -> &[OrderId] {
        self.takers
            .get(&shortfall.code)
            .map_or(&[], |t| &t[..shortfall.earlier_takers])
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

struct Slot<'a> {
    code: &'a ProductCode,
    available: i64,
    left: i64,
    takers: Vec<OrderId>,
}

/// Allocates `levels` (Shopify's `available` per tracked product code, as read) to the orders
/// that reserve stock. Orders that do not reserve (invoiced with discharge, dispatched,
/// cancelled) are ignored; so are lines whose code is not in `levels`.
#[must_use]
pub fn allocate(levels: &HashMap<ProductCode, i64>, orders: &[Order]) -> InStockReport {
    let mut open: Vec<&Order> = orders.iter().filter(|o| o.reserves_stock()).collect();
    open.sort_by_key(|o| (o.created_at, o.id));

    // Intern codes into slots once, so the walk below does no hashing.
    let mut slot_of: HashMap<&ProductCode, usize> = HashMap::with_capacity(levels.len());
    let mut slots: Vec<Slot<'_>> = Vec::new();
    let mut line_slots: Vec<Option<usize>> = Vec::with_capacity(open.len() * 3);
    for order in &open {
        for line in &order.lines {
            let quantity = line.quantity.max(0);
            let slot = line.code.as_ref().and_then(|code| {
                if let Some(&i) = slot_of.get(code) {
                    return Some(i);
                }
                let (code, &level) = levels.get_key_value(code)?;
                slot_of.insert(code, slots.len());
                slots.push(Slot {
                    code,
                    available: level,
                    left: level,
                    takers: Vec::new(),
                });
                Some(slots.len() - 1)
            });
            if let Some(i) = slot {
                slots[i].available += quantity;
                slots[i].left += quantity;
            }
            line_slots.push(slot);
        }
    }

    let mut verdicts = Vec::with_capacity(open.len());
    let mut needs: Vec<(usize, i64)> = Vec::new();
    let mut next_line = 0;
    for (position, order) in open.iter().enumerate() {
        needs.clear();
        let mut unchecked_lines = Vec::new();
        for line in &order.lines {
            let quantity = line.quantity.max(0);
            match line_slots[next_line] {
                Some(slot) => match needs.iter_mut().find(|(s, _)| *s == slot) {
                    Some((_, need)) => *need += quantity,
                    None => needs.push((slot, quantity)),
                },
                None => unchecked_lines.push(line.id),
            }
            next_line += 1;
        }
        let fits = needs.iter().all(|&(slot, need)| need <= slots[slot].left);
        let verdict = if fits {
            for &(slot, need) in &needs {
                let s = &mut slots[slot];
                s.left -= need;
                if need > 0 {
                    s.takers.push(order.id);
                }
            }
            Verdict::InStock
        } else {
            let shortfalls = needs
                .iter()
                .filter(|&&(slot, need)| need > slots[slot].left)
                .map(|&(slot, need)| shortfall(order, &slots[slot], need))
                .collect();
            Verdict::NotInStock { shortfalls }
        };
        verdicts.push(OrderVerdict {
            order_id: order.id,
            position,
            verdict,
            unchecked_lines,
        });
    }
    let takers = slots
        .into_iter()
        .map(|s| (s.code.clone(), s.takers))
        .collect();
    InStockReport { verdicts, takers }
}

fn shortfall(order: &Order, slot: &Slot<'_>, needed: i64) -> Shortfall {
    let lines = order
        .lines
        .iter()
        .filter(|l| l.code.as_ref() == Some(slot.code))
        .map(|l| l.id)
        .collect();
    Shortfall {
        code: slot.code.clone(),
        lines,
        needed,
        available: slot.available,
        left: slot.left,
        short_by: needed - slot.left,
        earlier_takers: slot.takers.len(),
    }
}

#[cfg(test)]
#[path = "instock_tests.rs"]
mod tests;
