//! InStock allocation, exactly as xConnector describes it: AvailableStock = ShopifyStock +
//! ReservedStock; walk the open orders oldest first; an order whose every line fits in what is
//! left is InStock and takes its quantities; one that does not fit is NotInStock and takes
//! nothing. Every verdict explains itself so the merchant can see why an order waits.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use crate::instock_input::{AllocationInput, ProductIx};
pub use crate::instock_report::ShortNumbers;
pub use crate::instock_walk::{Allocation, allocate_input};
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

/// Allocates `levels` (Shopify's `available` per tracked product code, as read) to the orders
/// that reserve stock. Orders that do not reserve (invoiced with discharge, dispatched,
/// cancelled) are ignored; so are lines whose code is not in `levels`.
///
/// This is [`AllocationInput::from_orders`], then [`allocate_input`], then
/// [`Allocation::into_report`]; a caller that can build the [`AllocationInput`] from its own rows
/// skips the first step, and one that needs only some explanations renders only those.
#[must_use]
pub fn allocate(levels: &HashMap<ProductCode, i64>, orders: &[Order]) -> InStockReport {
    let input = AllocationInput::from_orders(levels, orders);
    allocate_input(&input).into_report(&input)
}

#[cfg(test)]
#[path = "instock_tests.rs"]
mod tests;
