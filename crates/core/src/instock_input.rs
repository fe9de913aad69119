//! The compact input of the InStock walk: product codes interned to dense indices, one flat
//! vector of lines, one sort key per order. The store can build it straight from its rows
//! ([`AllocationInput::add_product`], [`AllocationInput::add_order`]); [`allocate`] builds it from
//! `Order`s with [`AllocationInput::from_orders`]. Either way the walk never reads an `Order`, a
//! `String` or a hash map.
//!
//! [`allocate`]: crate::instock::allocate

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::instock_codes::{CodeTable, Key, UNTRACKED};
use crate::instock_sort::order_key;
use crate::order::{LineId, Order, OrderId, OrderLine};
use crate::product::ProductCode;

/// A tracked product's index in an [`AllocationInput`], from [`AllocationInput::add_product`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductIx(pub u32);

/// The product of a line that reserves nothing InStock checks (custom item or untracked code).
pub(crate) const NO_PRODUCT: u32 = u32::MAX;

/// A quantity too large for a [`Line`]; its exact value is in [`AllocationInput::wide`].
pub(crate) const WIDE: u32 = u32::MAX;

/// A line as the walk reads it, in 8 bytes: product index (or [`NO_PRODUCT`]) and quantity
/// (≥ 0, or [`WIDE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub product: u32,
    pub quantity: u32,
}

/// Everything InStock needs, and nothing else: tracked products (code, Shopify `available`),
/// and the orders that reserve stock with their lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationInput {
    /// Every product's code, one after the other; product p ends at `code_ends[p]`.
    pub(crate) code_text: String,
    pub(crate) code_ends: Vec<u32>,
    /// Shopify's `available` per product.
    pub(crate) levels: Vec<i64>,
    /// Per order: creation time and id as an [`order_key`].
    pub(crate) order_keys: Vec<u128>,
    /// Order r's lines are `lines[line_starts[r]..line_starts[r + 1]]`.
    pub(crate) line_starts: Vec<u32>,
    pub(crate) lines: Vec<Line>,
    pub(crate) line_ids: Vec<LineId>,
    /// (line index, quantity) of the lines whose quantity is [`WIDE`], in line order.
    pub(crate) wide: Vec<(u32, i64)>,
}

impl Default for AllocationInput {
    fn default() -> Self {
        Self::with_capacity(0, 0, 0)
    }
}

impl AllocationInput {
    /// An empty input with room for the given numbers of products, orders and lines.
    #[must_use]
    pub fn with_capacity(products: usize, orders: usize, lines: usize) -> Self {
        let mut line_starts = Vec::with_capacity(orders + 1);
        line_starts.push(0);
        Self {
            code_text: String::with_capacity(products * 12),
            code_ends: Vec::with_capacity(products),
            levels: Vec::with_capacity(products),
            order_keys: Vec::with_capacity(orders),
            line_starts,
            lines: Vec::with_capacity(lines),
            line_ids: Vec::with_capacity(lines),
            wide: Vec::new(),
        }
    }

    /// Adds a tracked product: its code and Shopify's `available` for it, as read. Add each
    /// code once: two products with the same code are two products to the walk.
    ///
    /// # Panics
    /// Past 2^31 products, or 4 GiB of code text.
    pub fn add_product(&mut self, code: &str, available: i64) -> ProductIx {
        let ix = u32::try_from(self.levels.len())
            .ok()
            .filter(|&ix| ix < NO_PRODUCT >> 1)
            .expect("fewer than 2^31 products");
        self.code_text.push_str(code);
        let end = u32::try_from(self.code_text.len()).expect("under 4 GiB of product codes");
        self.code_ends.push(end);
        self.levels.push(available);
        ProductIx(ix)
    }

    /// Adds an order that reserves stock (open, or invoiced without stock discharge), with its
    /// lines as (line id, product, current quantity). A line's product is `None` for custom
    /// items and codes that are not tracked; such lines are listed as unchecked. Negative
    /// quantities count as 0, as in [`allocate`](crate::instock::allocate).
    ///
    /// # Panics
    /// If a line names a product index this input has not handed out, or past 2^32 lines.
    pub fn add_order(
        &mut self,
        id: OrderId,
        created_at: DateTime<Utc>,
        lines: impl IntoIterator<Item = (LineId, Option<ProductIx>, i64)>,
    ) {
        let products = self.levels.len();
        for (line, product, quantity) in lines {
            let product = product.map_or(NO_PRODUCT, |p| {
                assert!((p.0 as usize) < products, "unknown product index {}", p.0);
                p.0
            });
            self.push_line(product, quantity, line);
        }
        self.order_keys.push(order_key(id, created_at));
        let end = u32::try_from(self.lines.len()).expect("fewer than 2^32 lines");
        self.line_starts.push(end);
    }

    /// Number of products.
    #[must_use]
    pub fn products(&self) -> usize {
        self.levels.len()
    }

    /// Number of orders.
    #[must_use]
    pub fn orders(&self) -> usize {
        self.order_keys.len()
    }

    /// The code of a product.
    #[must_use]
    pub fn code(&self, product: ProductIx) -> &str {
        let p = product.0 as usize;
        let start = if p == 0 { 0 } else { self.code_ends[p - 1] };
        &self.code_text[start as usize..self.code_ends[p] as usize]
    }

    fn push_line(&mut self, product: u32, quantity: i64, id: LineId) {
        let quantity = match u32::try_from(quantity.max(0)) {
            Ok(q) if q != WIDE => q,
            _ => {
                self.wide.push((self.lines.len() as u32, quantity));
                WIDE
            }
        };
        self.lines.push(Line { product, quantity });
        self.line_ids.push(id);
    }

    /// The quantity of line `i`.
    #[inline]
    pub(crate) fn quantity(&self, i: usize) -> i64 {
        match self.lines[i].quantity {
            WIDE => self.wide_quantity(i),
            q => i64::from(q),
        }
    }

    #[cold]
    fn wide_quantity(&self, i: usize) -> i64 {
        let at = self.wide.partition_point(|&(line, _)| (line as usize) < i);
        self.wide[at].1
    }

    /// Order r's lines and their ids.
    #[inline]
    pub(crate) fn order_lines(&self, r: usize) -> (&[Line], &[LineId]) {
        let span = self.line_starts[r] as usize..self.line_starts[r + 1] as usize;
        (&self.lines[span.clone()], &self.line_ids[span])
    }

    /// The input [`allocate`](crate::instock::allocate) walks: the orders that reserve stock,
    /// in storage order, with each line's code resolved against `levels` (a code not in
    /// `levels` is untracked). Products are numbered in the order lines first name them, and
    /// only products some line names are added.
    #[must_use]
    pub fn from_orders(levels: &HashMap<ProductCode, i64>, orders: &[Order]) -> Self {
        let line_count = orders.len() * 3;
        let mut table = CodeTable::new(levels, levels.len().min(line_count));
        let mut input = Self::with_capacity(0, orders.len(), line_count);
        // Orders go in batches, each read in three sweeps (orders, then their lines, then the
        // codes' bytes) whose loads do not wait on one another, so the CPU keeps many in flight.
        let mut batch: Vec<&[OrderLine]> = Vec::with_capacity(BATCH);
        let mut lines: Vec<(Option<&str>, i64, LineId)> = Vec::with_capacity(BATCH * 4);
        let mut keys: Vec<Key> = Vec::with_capacity(BATCH * 4);
        for chunk in orders.chunks(BATCH) {
            batch.clear();
            for order in chunk.iter().filter(|o| o.reserves_stock()) {
                input.order_keys.push(order_key(order.id, order.created_at));
                batch.push(&order.lines);
            }
            lines.clear();
            for order_lines in &batch {
                lines.extend(order_lines.iter().map(line_need));
            }
            keys.clear();
            keys.extend(lines.iter().map(|(c, _, _)| c.map_or(Key::of(""), Key::of)));
            for (&(code, quantity, id), &key) in lines.iter().zip(&keys) {
                let product = code.map_or(NO_PRODUCT, |code| match table.resolve_key(code, key) {
                    UNTRACKED => NO_PRODUCT,
                    p => p,
                });
                input.push_line(product, quantity, id);
            }
            let mut end = input.line_starts.last().copied().unwrap_or(0);
            for order_lines in &batch {
                end += order_lines.len() as u32;
                input.line_starts.push(end);
            }
        }
        assert!(
            input.lines.len() < NO_PRODUCT as usize,
            "fewer than 2^32 lines"
        );
        for code in &table.codes {
            input.code_text.push_str(code);
            input.code_ends.push(input.code_text.len() as u32);
        }
        input.levels = table.product_levels;
        input
    }
}

/// Orders read together by [`AllocationInput::from_orders`].
const BATCH: usize = 32;

/// A line's code (none for custom items), the quantity it reserves, and its id.
fn line_need(line: &OrderLine) -> (Option<&str>, i64, LineId) {
    let code = line.code.as_ref().map(ProductCode::as_str);
    (code, line.quantity.max(0), line.id)
}

#[cfg(test)]
#[path = "instock_input_tests.rs"]
mod tests;
