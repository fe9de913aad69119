//! The InStock walk over an [`AllocationInput`]: oldest order first, an order is InStock when
//! every product it needs fits in what is left, and then takes it. Only numbers are recorded
//! ([`Allocation`]); the text of an explanation is rendered when asked for
//! ([`Allocation::verdict`], [`Allocation::into_report`]).

use crate::instock::{InStockReport, OrderVerdict, Shortfall, Verdict};
use crate::instock_input::{AllocationInput, NO_PRODUCT};
use crate::instock_sort::{order_id, walk_order};
use crate::order::{LineId, OrderId};
use crate::product::ProductCode;

/// A needs entry that is not a product: a repeated or unchecked line.
const SKIP: u32 = u32::MAX;

/// One product an order lacked when its turn came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Short {
    position: u32,
    product: u32,
    needed: i64,
    left: i64,
    takers: u32,
}

/// The outcome of [`allocate_input`], as indices into its input: verdicts in walk order, the
/// shortfalls of the orders that do not fit, and the InStock orders that took each product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    /// Per walk position: the order's id in the high bits, its input index r in the low 32.
    walk: Vec<u128>,
    fits: Vec<bool>,
    /// Per input order: it has lines InStock does not check.
    unchecked: Vec<bool>,
    /// In walk order.
    shorts: Vec<Short>,
    /// AvailableStock (Shopify level + reserved) per product.
    available: Vec<i64>,
    /// Where each product's takers start in `takers`.
    group: Vec<u32>,
    takers: Vec<OrderId>,
}

/// Walks `input`'s orders oldest first (by creation time, then id) and decides InStock for each.
/// Gives the same verdicts as [`allocate`](crate::instock::allocate) on the orders and levels
/// the input was built from.
#[must_use]
pub fn allocate_input(input: &AllocationInput) -> Allocation {
    let products = input.levels.len();
    // AvailableStock = Shopify's level + what the reserving orders hold, summed in input order.
    let mut available = input.levels.clone();
    for line in input.lines.iter().filter(|l| l.product != NO_PRODUCT) {
        let a = &mut available[line.product as usize];
        *a = a.saturating_add(line.quantity);
    }
    let walk = walk_order(input.order_keys.clone());

    // Each order's needs (one per product; an order may list a product twice) in walk order,
    // so the walk reads in sequence. Position p's needs go in `needs[starts[p]..starts[p + 1]]`,
    // one entry per line: a repeated product's quantity goes to its first entry, and the other
    // entries, like lines InStock does not check, are [`SKIP`]. The lines are read in input
    // order and scattered: stores do not stall the CPU the way scattered loads do.
    let mut starts: Vec<u32> = Vec::with_capacity(walk.len() + 1);
    let mut dest: Vec<u32> = vec![0; walk.len()];
    starts.push(0);
    let mut end = 0;
    for &k in &walk {
        let r = k as u32 as usize;
        dest[r] = end;
        end += input.line_starts[r + 1] - input.line_starts[r];
        starts.push(end);
    }
    let mut needs: Vec<(u32, i64)> = vec![(SKIP, 0); input.lines.len()];
    let mut unchecked: Vec<bool> = Vec::with_capacity(walk.len());
    for (r, &at) in dest.iter().enumerate() {
        let (lines, _) = input.order_lines(r);
        let mine = &mut needs[at as usize..at as usize + lines.len()];
        let mut untracked = false;
        for (k, line) in lines.iter().enumerate() {
            if line.product == NO_PRODUCT {
                untracked = true;
            } else if let Some(first) = mine[..k].iter_mut().find(|(p, _)| *p == line.product) {
                first.1 = first.1.saturating_add(line.quantity);
            } else {
                mine[k] = (line.product, line.quantity);
            }
        }
        unchecked.push(untracked);
    }
    drop(dest);
    let order_needs = |p: usize| &needs[starts[p] as usize..starts[p + 1] as usize];

    // The walk. Only numbers are recorded.
    let mut left = available.clone();
    let mut taker_count: Vec<u32> = vec![0; products];
    let mut fits: Vec<bool> = Vec::with_capacity(walk.len());
    let mut shorts: Vec<Short> = Vec::new();
    for position in 0..walk.len() {
        let order_needs = order_needs(position);
        let ok = order_needs
            .iter()
            .all(|&(p, n)| p == SKIP || n <= left[p as usize]);
        for &(product, need) in order_needs.iter().filter(|&&(p, _)| p != SKIP) {
            let p = product as usize;
            if ok {
                left[p] -= need;
                taker_count[p] += u32::from(need > 0);
            } else if need > left[p] {
                shorts.push(Short {
                    position: position as u32,
                    product,
                    needed: need,
                    left: left[p],
                    takers: taker_count[p],
                });
            }
        }
        fits.push(ok);
    }

    // Group the takers by product (a counting sort), oldest first within each product.
    let mut group: Vec<u32> = Vec::with_capacity(products);
    let mut total = 0u32;
    for &n in &taker_count {
        group.push(total);
        total += n;
    }
    let mut takers = vec![OrderId(0); total as usize];
    let mut next = group.clone();
    for (position, &k) in walk.iter().enumerate().filter(|&(p, _)| fits[p]) {
        let taken = order_needs(position)
            .iter()
            .filter(|&&(p, n)| p != SKIP && n > 0);
        for &(product, _) in taken {
            takers[next[product as usize] as usize] = order_id(k);
            next[product as usize] += 1;
        }
    }
    Allocation {
        walk,
        fits,
        unchecked,
        shorts,
        available,
        group,
        takers,
    }
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
                let n = shorts.partition_point(|s| s.position as usize == position);
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
                code: ProductCode(input.code(crate::instock::ProductIx(s.product)).to_owned()),
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
