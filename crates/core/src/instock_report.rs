//! Reading an [`Allocation`]: which orders are InStock, and each verdict's explanation rendered
//! as text and line ids only when asked for ([`Allocation::verdict`] for one order,
//! [`Allocation::into_report`] for all of them, which is what `allocate` returns).

use crate::instock::{InStockReport, OrderVerdict, ProductIx, Shortfall, Verdict};
use crate::instock_input::{AllocationInput, NO_PRODUCT};
use crate::instock_sort::order_id;
use crate::instock_walk::{Allocation, Short};
use crate::order::{LineId, OrderId};
use crate::product::ProductCode;

/// One shortfall of a verdict as the walk recorded it: the numbers a [`Shortfall`] is rendered
/// from (`takers_start .. takers_start + earlier_takers` in [`Allocation::takers`] are the
/// earlier InStock orders that took the product).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortNumbers {
    pub product: ProductIx,
    pub needed: i64,
    pub available: i64,
    pub left: i64,
    pub earlier_takers: u32,
    pub takers_start: u32,
}

impl Allocation {
    /// Number of verdicts (the input's orders).
    #[must_use]
    pub fn len(&self) -> usize {
        self.walk.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.walk.is_empty()
    }

    /// The order at a walk position (0 for the oldest).
    #[must_use]
    pub fn order_id(&self, position: usize) -> OrderId {
        order_id(self.walk[position])
    }

    /// Whether the order at a walk position is InStock.
    #[must_use]
    pub fn fits(&self, position: usize) -> bool {
        self.fits[position]
    }

    /// Ids of the orders found InStock, in chronological order.
    #[must_use]
    pub fn in_stock(&self) -> Vec<OrderId> {
        let positions = (0..self.len()).filter(|&p| self.fits[p]);
        positions.map(|p| self.order_id(p)).collect()
    }

    /// The InStock orders that took each product, grouped by product, as in
    /// [`InStockReport::takers`].
    #[must_use]
    pub fn takers(&self) -> &[OrderId] {
        &self.takers
    }

    /// The order at a walk position as its index in the input (the order of `add_order`).
    #[must_use]
    pub fn input_index(&self, position: usize) -> usize {
        self.walk[position] as u32 as usize
    }

    /// The shortfalls of the order at a walk position as numbers, in the order
    /// [`Allocation::verdict`] renders them (none for an InStock order). A caller that keeps
    /// verdicts can compare these to tell whether an explanation changed without rendering it.
    pub fn shortfall_numbers(&self, position: usize) -> impl Iterator<Item = ShortNumbers> + '_ {
        let first = self
            .shorts
            .partition_point(|s| (s.position as usize) < position);
        let shorts = self.shorts[first..]
            .iter()
            .take_while(move |s| s.position as usize == position);
        shorts.map(|s| ShortNumbers {
            product: ProductIx(s.product),
            needed: s.needed,
            available: self.available[s.product as usize],
            left: s.left,
            earlier_takers: s.takers,
            takers_start: self.group[s.product as usize],
        })
    }

    /// The verdict at a walk position with its explanation, rendered now. `input` must be the
    /// input this allocation was computed from.
    #[must_use]
    pub fn verdict(&self, input: &AllocationInput, position: usize) -> OrderVerdict {
        let first = self
            .shorts
            .partition_point(|s| (s.position as usize) < position);
        let shorts = self.shorts[first..]
            .iter()
            .take_while(|s| s.position as usize == position);
        self.render(input, position, shorts)
    }

    /// Every verdict rendered, oldest first: what [`allocate`](crate::instock::allocate)
    /// returns. `input` must be the input this allocation was computed from.
    #[must_use]
    pub fn into_report(self, input: &AllocationInput) -> InStockReport {
        let mut shorts = self.shorts.as_slice();
        let verdicts = (0..self.len())
            .map(|position| {
                // Shorts are in walk order: this position's are at the front.
                let n = shorts
                    .iter()
                    .take_while(|s| s.position as usize == position)
                    .count();
                let (now, rest) = shorts.split_at(n);
                shorts = rest;
                self.render(input, position, now.iter())
            })
            .collect();
        InStockReport {
            verdicts,
            takers: self.takers,
        }
    }

    fn render<'s>(
        &self,
        input: &AllocationInput,
        position: usize,
        shorts: impl Iterator<Item = &'s Short>,
    ) -> OrderVerdict {
        let r = self.walk[position] as u32 as usize;
        // Only an explanation reads the order's lines.
        let ids_where = |keep: &dyn Fn(u32) -> bool| -> Vec<LineId> {
            let (lines, ids) = input.order_lines(r);
            let with = lines.iter().zip(ids).filter(|(l, _)| keep(l.product));
            with.map(|(_, &id)| id).collect()
        };
        let verdict = if self.fits[position] {
            Verdict::InStock
        } else {
            let shortfalls = shorts.map(|s| Shortfall {
                code: ProductCode(input.code(ProductIx(s.product)).to_owned()),
                lines: ids_where(&|p| p == s.product),
                needed: s.needed,
                available: self.available[s.product as usize],
                left: s.left,
                short_by: s.needed - s.left,
                earlier_takers: s.takers as usize,
                takers_start: self.group[s.product as usize] as usize,
            });
            Verdict::NotInStock {
                shortfalls: shortfalls.collect(),
            }
        };
        let unchecked_lines = if self.unchecked[r] {
            ids_where(&|p| p == NO_PRODUCT)
        } else {
            Vec::new()
        };
        OrderVerdict {
            order_id: self.order_id(position),
            position,
            verdict,
            unchecked_lines,
        }
    }
}
