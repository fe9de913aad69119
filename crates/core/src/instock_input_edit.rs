//! Editing an [`AllocationInput`] in place, so a caller can keep one between walks: drop the
//! orders that changed or stopped reserving ([`AllocationInput::retain_orders`], one pass over
//! the flat vectors), add their new versions with `add_order`, and move Shopify's levels
//! ([`AllocationInput::set_level`]). A product's code and whether a line names a tracked
//! product are fixed once added: when a code starts or stops being tracked, build anew.

use crate::instock_input::{AllocationInput, ProductIx};
use crate::order::OrderId;

impl AllocationInput {
    /// Keeps the orders for which `keep(r)` is true (r: the order's index, in the order
    /// orders were added), in the same order; the others and their lines are gone. Products
    /// stay. The result equals an input built with only the kept orders.
    pub fn retain_orders(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let orders = self.order_keys.len();
        let (mut to_order, mut to_line) = (0usize, 0usize);
        let mut wide = self.wide.iter().copied().peekable();
        let mut kept_wide = Vec::new();
        for r in 0..orders {
            // Read this order's span before the write below may overwrite line_starts[r].
            let (a, b) = (
                self.line_starts[r] as usize,
                self.line_starts[r + 1] as usize,
            );
            let kept = keep(r);
            while let Some(&(line, quantity)) = wide.peek() {
                if line as usize >= b {
                    break;
                }
                wide.next();
                if kept && line as usize >= a {
                    kept_wide.push(((line as usize - a + to_line) as u32, quantity));
                }
            }
            if !kept {
                continue;
            }
            self.order_keys[to_order] = self.order_keys[r];
            self.line_starts[to_order] = to_line as u32;
            self.lines.copy_within(a..b, to_line);
            self.line_ids.copy_within(a..b, to_line);
            to_order += 1;
            to_line += b - a;
        }
        self.order_keys.truncate(to_order);
        self.line_starts.truncate(to_order);
        self.line_starts.push(to_line as u32);
        self.lines.truncate(to_line);
        self.line_ids.truncate(to_line);
        self.wide = kept_wide;
    }

    /// Sets Shopify's `available` for a product.
    ///
    /// # Panics
    /// If the input has no such product.
    pub fn set_level(&mut self, product: ProductIx, available: i64) {
        self.levels[product.0 as usize] = available;
    }

    /// Shopify's `available` for a product, as the walk will use it.
    #[must_use]
    pub fn level(&self, product: ProductIx) -> i64 {
        self.levels[product.0 as usize]
    }

    /// The id of the order at index r (the order of `add_order`, after any `retain_orders`).
    #[must_use]
    pub fn order_id(&self, r: usize) -> OrderId {
        OrderId(self.order_keys[r] as u64) // the key's low 64 bits (see `order_key`)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::instock::{AllocationInput, ProductIx, allocate_input};
    use crate::order::{LineId, OrderId};
    use crate::testkit::at;

    type Orders = Vec<(i64, Vec<(Option<u32>, i64)>)>;

    fn input(levels: &[i64], orders: &Orders, kept: impl Fn(usize) -> bool) -> AllocationInput {
        let mut input = AllocationInput::default();
        for (p, &l) in levels.iter().enumerate() {
            input.add_product(&format!("P{p}"), l);
        }
        for (r, (minute, lines)) in orders.iter().enumerate().filter(|(r, _)| kept(*r)) {
            let lines = lines
                .iter()
                .enumerate()
                .map(|(k, &(p, q))| (LineId(r as u64 * 10 + k as u64), p.map(ProductIx), q));
            input.add_order(OrderId(r as u64 + 1), at(*minute), lines);
        }
        input
    }

    fn arb() -> impl Strategy<Value = (Vec<i64>, Orders, Vec<bool>)> {
        let quantity =
            prop_oneof![6 => 0i64..5, 1 => Just(i64::from(u32::MAX)), 1 => Just(7_000_000_000)];
        let line = (prop::option::weighted(0.8, 0u32..4), quantity);
        let orders = prop::collection::vec((0i64..20, prop::collection::vec(line, 0..4)), 0..30);
        (
            prop::collection::vec(-3i64..6, 4),
            orders,
            prop::collection::vec(any::<bool>(), 30),
        )
    }

    proptest! {
        /// Dropping orders in place gives the input built without them, and the same walk.
        #[test]
        fn retain_equals_a_fresh_build((levels, orders, keep) in arb()) {
            let mut edited = input(&levels, &orders, |_| true);
            edited.retain_orders(|r| keep[r]);
            let fresh = input(&levels, &orders, |r| keep[r]);
            prop_assert_eq!(&edited, &fresh);
            let ids: Vec<OrderId> = (0..edited.orders()).map(|r| edited.order_id(r)).collect();
            let want: Vec<OrderId> = (0..orders.len()).filter(|&r| keep[r]).map(|r| OrderId(r as u64 + 1)).collect();
            prop_assert_eq!(ids, want);
            prop_assert_eq!(
                allocate_input(&edited).into_report(&edited),
                allocate_input(&fresh).into_report(&fresh)
            );
        }
    }

    #[test]
    fn levels_move_in_place() {
        let mut input = AllocationInput::default();
        let p = input.add_product("A", 1);
        input.set_level(p, -4);
        assert_eq!(input.level(p), -4);
    }
}
