//! The InStock walk's input kept in memory between refreshes, so a refresh after one imported
//! order reads one order from SQLite instead of every reserving order's lines (about 1.2 s at
//! 100,000 orders), and writes only the verdicts that changed.
//!
//! The store gives every order a revision that any change the walk reads moves (migration 0005,
//! kept by triggers, so no writer can forget it): each refresh asks for the orders changed since
//! the last one (`Store::reserving_changes`), applies them, walks everything (`allocate_input`,
//! ~15 ms at 100,000 orders) and compares each verdict with the one it last wrote. The first
//! refresh reads every reserving order and writes every verdict, as a full rebuild does.
//!
//! An order the store changed is always rewritten (a state change clears its stored verdict);
//! any other order's verdict is rewritten when what its stored explanation is made of changed.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use punte_core::instock::{Allocation, InStockReport, ProductIx, allocate_input};
use punte_core::instock::AllocationInput;
use punte_core::order::{LineId, OrderId};
use punte_core::product::ProductCode;
use punte_store::{ReservingChanges, Store, StoreError};

/// Earlier takers an explanation may name (the stored detail names the first few); a change
/// among them rewrites the verdict.
const NAMED_TAKERS: usize = 5;

/// A line's code when it has none, or one InStock does not track.
const NO_CODE: u32 = u32::MAX;

/// What a refresh did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Orders walked (every order that reserves stock).
    pub orders: usize,
    /// Orders re-read from the store.
    pub read: usize,
    /// Verdicts written.
    pub written: usize,
    /// Whether this was the first refresh (every order read and written).
    pub full: bool,
}

/// The orders that reserve stock, their lines with codes interned, and the verdict last written
/// for each. Empty until the first refresh.
#[derive(Debug, Default)]
pub struct InStockMemory {
    /// The store revision read up to; `None` before the first refresh.
    rev: Option<i64>,
    codes: Vec<Box<str>>,
    code_ids: HashMap<Box<str>, u32>,
    orders: BTreeMap<OrderId, Held>,
}

#[derive(Debug)]
struct Held {
    created_at: DateTime<Utc>,
    /// (line id, interned code or [`NO_CODE`], quantity), in position order.
    lines: Box<[(LineId, u32, i64)]>,
    written: Written,
}

/// The verdict last written for an order, as the numbers its stored form is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Written {
    /// Not written since the order was (re)read.
    Unknown,
    InStock,
    NotInStock(Box<[Said]>),
}

/// One shortfall as stored: product (interned code), the numbers, and the earlier takers an
/// explanation can name (their position in the report's takers included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Said {
    code: u32,
    needed: i64,
    available: i64,
    left: i64,
    earlier_takers: u32,
    takers_start: u32,
    named: [u64; NAMED_TAKERS],
}

impl InStockMemory {
    /// Brings the input up to date with the store, walks it with `levels` (Shopify's A per
    /// tracked code) and writes the verdicts that changed.
    ///
    /// # Errors
    /// SQLite failure. The memory stays consistent: verdicts not written are written next time.
    pub fn refresh(
        &mut self,
        s: &mut Store,
        levels: &HashMap<ProductCode, i64>,
    ) -> Result<Refreshed, StoreError> {
        let full = self.rev.is_none();
        let changes = s.reserving_changes(self.rev)?;
        let read = changes.orders.len();
        self.apply(changes);

        // Products numbered as lines first name them in id order, as the store's full read
        // numbers them, so every rendered verdict is the one a full rebuild writes.
        let mut input = AllocationInput::with_capacity(self.codes.len(), self.orders.len(), 0);
        let mut product: Vec<Option<ProductIx>> = vec![None; self.codes.len()];
        let mut named = vec![false; self.codes.len()];
        let mut code_of: Vec<u32> = Vec::new();
        for h in self.orders.values() {
            for &(_, code, _) in &*h.lines {
                let c = code as usize;
                if code == NO_CODE || named[c] {
                    continue;
                }
                named[c] = true;
                if let Some(&available) = levels.get(&*self.codes[c]) {
                    product[c] = Some(input.add_product(&self.codes[c], available));
                    code_of.push(code);
                }
            }
        }
        let mut held: Vec<(OrderId, &mut Held)> = Vec::with_capacity(self.orders.len());
        for (&id, h) in &mut self.orders {
            let lines = h.lines.iter().map(|&(line, code, quantity)| {
                let p = product.get(code as usize).copied().flatten(); // NO_CODE: none
                (line, p, quantity)
            });
            input.add_order(id, h.created_at, lines);
            held.push((id, h));
        }
        let allocation = allocate_input(&input);

        let mut verdicts = Vec::new();
        let mut now_written = Vec::new();
        for position in 0..allocation.len() {
            let r = allocation.input_index(position);
            let said = said(&allocation, position, &code_of);
            if held[r].1.written != said {
                verdicts.push(allocation.verdict(&input, position));
                now_written.push((r, said));
            }
        }
        let written = verdicts.len();
        if written > 0 {
            let report = InStockReport {
                verdicts,
                takers: allocation.takers().to_vec(),
            };
            s.record_in_stock(&report)?;
        }
        for (r, said) in now_written {
            held[r].1.written = said;
        }
        Ok(Refreshed {
            orders: allocation.len(),
            read,
            written,
            full,
        })
    }

    /// [`InStockMemory::refresh`] with the levels the engine knows: Shopify's A as last read or
    /// written, moved by the orders imported since, lowered where a negative target was
    /// written as 0 (see `clamped::in_stock_levels`). This is what the engine runs.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored level.
    pub fn refresh_known_levels(&mut self, s: &mut Store) -> Result<Refreshed, StoreError> {
        let levels = crate::clamped::in_stock_levels(s)?;
        self.refresh(s, &levels)
    }

    /// Orders walked at the last refresh (reserving orders known).
    #[must_use]
    pub fn orders(&self) -> usize {
        self.orders.len()
    }

    fn apply(&mut self, changes: ReservingChanges) {
        for o in changes.orders {
            if !o.reserving {
                self.orders.remove(&o.id);
                continue;
            }
            let lines = o
                .lines
                .into_iter()
                .map(|(line, code, quantity)| {
                    let code = code.map_or(NO_CODE, |c| self.intern(c));
                    (line, code, quantity)
                })
                .collect();
            let held = Held {
                created_at: o.created_at,
                lines,
                written: Written::Unknown,
            };
            self.orders.insert(o.id, held);
        }
        self.rev = Some(changes.rev);
    }

    fn intern(&mut self, code: String) -> u32 {
        if let Some(&id) = self.code_ids.get(code.as_str()) {
            return id;
        }
        let id = u32::try_from(self.codes.len())
            .ok()
            .filter(|&id| id != NO_CODE)
            .expect("fewer than 2^32 product codes");
        let code: Box<str> = code.into();
        self.codes.push(code.clone());
        self.code_ids.insert(code, id);
        id
    }
}

/// The verdict at `position` as the numbers its stored form is made of.
fn said(allocation: &Allocation, position: usize, code_of: &[u32]) -> Written {
    if allocation.fits(position) {
        return Written::InStock;
    }
    let takers = allocation.takers();
    let shorts = allocation.shortfall_numbers(position).map(|n| {
        let start = n.takers_start as usize;
        let earlier = &takers[start..start + n.earlier_takers as usize];
        let mut named = [0; NAMED_TAKERS];
        for (slot, id) in named.iter_mut().zip(earlier) {
            *slot = id.0;
        }
        Said {
            code: code_of[n.product.0 as usize],
            needed: n.needed,
            available: n.available,
            left: n.left,
            earlier_takers: n.earlier_takers,
            takers_start: n.takers_start,
            named,
        }
    });
    Written::NotInStock(shorts.collect())
}

#[cfg(test)]
#[path = "instock_memory_tests.rs"]
mod tests;
