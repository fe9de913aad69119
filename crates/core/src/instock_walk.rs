//! The InStock walk over an [`AllocationInput`]: oldest order first, an order is InStock when
//! every product it needs fits in what is left, and then takes it. Only numbers are recorded
//! ([`Allocation`]); explanations are rendered from them when asked for (`instock_report`).

use crate::instock_input::{AllocationInput, NO_PRODUCT, WIDE};
use crate::instock_sort::{order_id, walk_order};
use crate::order::OrderId;

/// A needs entry that is not a product: a repeated or unchecked line.
const SKIP: u32 = u32::MAX;

/// One product an order lacked when its turn came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Short {
    pub position: u32,
    pub product: u32,
    pub needed: i64,
    pub left: i64,
    pub takers: u32,
}

/// The outcome of [`allocate_input`], as indices into its input: verdicts in walk order, the
/// shortfalls of the orders that do not fit, and the InStock orders that took each product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    /// Per walk position: the order's id in the high bits, its input index r in the low 32.
    pub(crate) walk: Vec<u128>,
    pub(crate) fits: Vec<bool>,
    /// Per input order: it has lines InStock does not check.
    pub(crate) unchecked: Vec<bool>,
    /// In walk order.
    pub(crate) shorts: Vec<Short>,
    /// AvailableStock (Shopify level + reserved) per product.
    pub(crate) available: Vec<i64>,
    /// Where each product's takers start in `takers`.
    pub(crate) group: Vec<u32>,
    pub(crate) takers: Vec<OrderId>,
}

/// Walks `input`'s orders oldest first (by creation time, then id) and decides InStock for each.
/// Gives the same verdicts as [`allocate`](crate::instock::allocate) on the orders and levels
/// the input was built from.
#[must_use]
pub fn allocate_input(input: &AllocationInput) -> Allocation {
    let products = input.levels.len();
    // AvailableStock = Shopify's level + what the reserving orders hold, summed in input order.
    let mut available = input.levels.clone();
    for (i, line) in input.lines.iter().enumerate() {
        if line.product != NO_PRODUCT {
            let a = &mut available[line.product as usize];
            *a = a.saturating_add(input.quantity(i));
        }
    }
    let walk = walk_order(input.order_keys.clone());
    let (needs, unchecked) = Needs::gather(input, &walk);

    // The walk. Only numbers are recorded.
    let mut left = available.clone();
    let mut taker_count: Vec<u32> = vec![0; products];
    let mut fits: Vec<bool> = Vec::with_capacity(walk.len());
    let mut shorts: Vec<Short> = Vec::new();
    for position in 0..walk.len() {
        let order = needs.of(position);
        let ok = order.clone().all(|(p, n)| n <= left[p as usize]);
        for (product, need) in order {
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
        for (product, _) in needs.of(position).filter(|&(_, n)| n > 0) {
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

/// Each order's needs (one per product; an order may list a product twice) in walk order, so
/// the walk reads in sequence: position p's needs are `entries[starts[p]..starts[p + 1]]`,
/// one entry per line, products first and then [`SKIP`] entries (repeated products and lines
/// InStock does not check). 8 bytes an entry: a need of [`WIDE`] or more is kept in `wide`.
struct Needs {
    entries: Vec<(u32, u32)>,
    starts: Vec<u32>,
    /// (entry index, need) for the needs of [`WIDE`] or more, sorted by entry index.
    wide: Vec<(u32, i64)>,
}

impl Needs {
    /// The lines are read in input order and their needs scattered to walk order: stores do
    /// not stall the CPU the way scattered loads do. Also says, per input order, whether it
    /// has lines InStock does not check.
    fn gather(input: &AllocationInput, walk: &[u128]) -> (Self, Vec<bool>) {
        let mut starts: Vec<u32> = Vec::with_capacity(walk.len() + 1);
        let mut dest: Vec<u32> = vec![0; walk.len()];
        starts.push(0);
        let mut end = 0;
        for &k in walk {
            let r = k as u32 as usize;
            dest[r] = end;
            end += input.line_starts[r + 1] - input.line_starts[r];
            starts.push(end);
        }
        let mut entries: Vec<(u32, u32)> = vec![(SKIP, 0); input.lines.len()];
        let mut wide = Vec::new();
        let mut unchecked: Vec<bool> = Vec::with_capacity(walk.len());
        let mut order: Vec<(u32, i64)> = Vec::with_capacity(16);
        for (r, &at) in dest.iter().enumerate() {
            let span = input.line_starts[r] as usize..input.line_starts[r + 1] as usize;
            order.clear();
            let mut untracked = false;
            for i in span {
                let (product, quantity) = (input.lines[i].product, input.quantity(i));
                if product == NO_PRODUCT {
                    untracked = true;
                } else if let Some((_, need)) = order.iter_mut().find(|(p, _)| *p == product) {
                    *need = need.saturating_add(quantity);
                } else {
                    order.push((product, quantity));
                }
            }
            for (j, &(product, need)) in order.iter().enumerate() {
                let at = at + j as u32;
                let need = match u32::try_from(need) {
                    Ok(n) if n != WIDE => n,
                    _ => {
                        wide.push((at, need));
                        WIDE
                    }
                };
                entries[at as usize] = (product, need);
            }
            unchecked.push(untracked);
        }
        wide.sort_unstable();
        let needs = Self {
            entries,
            starts,
            wide,
        };
        (needs, unchecked)
    }

    /// Position p's (product, need) pairs.
    #[inline]
    fn of(&self, p: usize) -> impl Iterator<Item = (u32, i64)> + Clone + '_ {
        let start = self.starts[p] as usize;
        let entries = &self.entries[start..self.starts[p + 1] as usize];
        let products = entries.iter().take_while(|&&(product, _)| product != SKIP);
        products.enumerate().map(move |(j, &(product, n))| {
            let need = if n == WIDE {
                self.wide(start + j)
            } else {
                i64::from(n)
            };
            (product, need)
        })
    }

    #[cold]
    fn wide(&self, entry: usize) -> i64 {
        let at = self.wide.partition_point(|&(e, _)| (e as usize) < entry);
        self.wide[at].1
    }
}
