//! The InStock walk's compact input kept in memory between refreshes, so a refresh after one
//! imported order reads one order from SQLite instead of every reserving order's lines (about
//! 1.2 s at 100,000 orders), and writes only the verdicts that changed.
//!
//! The store gives every order a revision that any change the walk reads moves (migration 0005,
//! kept by triggers, so no writer can forget it). Each refresh asks for the orders changed since
//! the last one (`Store::reserving_changes`), drops their old versions from the input in one
//! pass (`AllocationInput::retain_orders`), appends the new ones, sets the levels, walks
//! (`allocate_input`, ~10 ms at 100,000 orders) and compares each verdict with the one it last
//! wrote. The first refresh reads every reserving order and writes every verdict, as a full
//! rebuild does; so does a refresh after a code starts or stops being tracked (the input is
//! then built anew from the orders held here, without reading the store).
//!
//! An order the store changed is always rewritten (a state change clears its stored verdict);
//! any other order's verdict is rewritten when what its stored explanation is made of changed
//! (`instock_said`).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use punte_core::instock::{AllocationInput, InStockReport, ProductIx, allocate_input};
use punte_core::order::{LineId, OrderId};
use punte_core::product::ProductCode;
use punte_store::{ReservingChanges, ReservingOrder, Store, StoreError};

use crate::instock_said::{Written, said, said_again};

/// A line's code when it has none (custom item).
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
    /// Whether the input was built anew (first refresh, or the tracked codes changed).
    pub rebuilt: bool,
    /// Time spent reading the levels (zero when given), reading the changed orders, bringing
    /// the input up to date and walking it and comparing verdicts, and writing them.
    pub took: [Duration; 4],
}

/// The orders that reserve stock as the walk's input, and the verdict last written for each.
#[derive(Debug, Default)]
pub struct InStockMemory {
    /// The store revision read up to; `None` before the first refresh.
    rev: Option<i64>,
    codes: Vec<Box<str>>,
    code_ids: HashMap<Box<str>, u32>,
    /// Per interned code, its product in `input` (`None`: not tracked when it was added).
    product: Vec<Option<ProductIx>>,
    input: AllocationInput,
    /// Per input order (same index): what is needed to build it again, and its verdict.
    held: Vec<Held>,
}

#[derive(Debug)]
struct Held {
    created_at: DateTime<Utc>,
    /// (line id, interned code or [`NO_CODE`], quantity), in position order.
    lines: Box<[(LineId, u32, i64)]>,
    written: Written,
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
        let started = Instant::now();
        let changes = s.reserving_changes(self.rev)?;
        let read = changes.orders.len();
        let read_took = started.elapsed();

        let rebuilt = self.apply(changes, levels);
        let allocation = allocate_input(&self.input);
        let codes = self.product_codes();
        let mut verdicts = Vec::new();
        let mut now_written = Vec::new();
        for position in 0..allocation.len() {
            let r = allocation.input_index(position);
            if !said_again(&allocation, position, &codes, &self.held[r].written) {
                verdicts.push(allocation.verdict(&self.input, position));
                now_written.push((r, position));
            }
        }
        let walk_took = started.elapsed() - read_took;

        let written = verdicts.len();
        if written > 0 {
            let report = InStockReport {
                verdicts,
                takers: allocation.takers().to_vec(),
            };
            s.record_in_stock(&report)?;
        }
        for (r, position) in now_written {
            self.held[r].written = said(&allocation, position, &codes);
        }
        Ok(Refreshed {
            orders: allocation.len(),
            read,
            written,
            rebuilt,
            took: [
                Duration::ZERO,
                read_took,
                walk_took,
                started.elapsed() - read_took - walk_took,
            ],
        })
    }

    /// [`InStockMemory::refresh`] with the levels the engine knows: Shopify's A as last read or
    /// written, moved by the orders imported since, lowered where a negative target was
    /// written as 0 (see `clamped::in_stock_levels`). This is what the engine runs.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored level.
    pub fn refresh_known_levels(&mut self, s: &mut Store) -> Result<Refreshed, StoreError> {
        let started = Instant::now();
        let levels = crate::clamped::in_stock_levels(s)?;
        let took = started.elapsed();
        let mut done = self.refresh(s, &levels)?;
        done.took[0] = took;
        Ok(done)
    }

    /// Orders that reserve stock, as of the last refresh.
    #[must_use]
    pub fn orders(&self) -> usize {
        self.held.len()
    }

    /// Applies the store's changes and the levels to the input; `true` if it was built anew.
    fn apply(&mut self, changes: ReservingChanges, levels: &HashMap<ProductCode, i64>) -> bool {
        let first = self.rev.replace(changes.rev).is_none();
        let changed: HashSet<OrderId> = changes.orders.iter().map(|o| o.id).collect();
        if !changed.is_empty() && !self.held.is_empty() {
            let keep: Vec<bool> = (0..self.held.len())
                .map(|r| !changed.contains(&self.input.order_id(r)))
                .collect();
            self.input.retain_orders(|r| keep[r]);
            let mut r = 0;
            self.held.retain(|_| {
                r += 1;
                keep[r - 1]
            });
        }
        let fresh: Vec<ReservingOrder> =
            changes.orders.into_iter().filter(|o| o.reserving).collect();
        let mut added: Vec<(OrderId, Held)> = Vec::with_capacity(fresh.len());
        for o in fresh {
            let lines = o.lines.into_iter().map(|(line, code, quantity)| {
                (line, code.map_or(NO_CODE, |c| self.intern(c)), quantity)
            });
            let held = Held {
                created_at: o.created_at,
                lines: lines.collect(),
                written: Written::Unknown,
            };
            added.push((o.id, held));
        }
        // A known code that starts or stops being tracked changes what its lines mean: build
        // anew. A code seen for the first time is simply added.
        let tracking_moved = self
            .product
            .iter()
            .enumerate()
            .any(|(c, p)| p.is_some() != levels.contains_key(&*self.codes[c]));
        let rebuild = first || tracking_moved;
        let ids: Vec<OrderId> = (0..self.held.len())
            .map(|r| self.input.order_id(r))
            .collect();
        if rebuild {
            self.input = AllocationInput::with_capacity(self.codes.len(), 0, 0);
            self.product.clear();
        }
        for c in self.product.len()..self.codes.len() {
            let level = levels.get(&*self.codes[c]).copied();
            self.product
                .push(level.map(|a| self.input.add_product(&self.codes[c], a)));
        }
        if rebuild {
            for (id, h) in ids.into_iter().zip(&self.held) {
                add_order(&mut self.input, &self.product, id, h);
            }
        }
        for (id, h) in added {
            add_order(&mut self.input, &self.product, id, &h);
            self.held.push(h);
        }
        for (c, p) in self.product.iter().enumerate() {
            if let (Some(p), Some(&level)) = (p, levels.get(&*self.codes[c])) {
                self.input.set_level(*p, level);
            }
        }
        rebuild
    }

    /// Per product of the input, its interned code.
    fn product_codes(&self) -> Vec<u32> {
        let mut out = vec![NO_CODE; self.input.products()];
        for (c, p) in self.product.iter().enumerate() {
            if let Some(p) = p {
                out[p.0 as usize] = c as u32;
            }
        }
        out
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

fn add_order(input: &mut AllocationInput, product: &[Option<ProductIx>], id: OrderId, h: &Held) {
    let lines = h.lines.iter().map(|&(line, code, quantity)| {
        let p = product.get(code as usize).copied().flatten(); // NO_CODE: none
        (line, p, quantity)
    });
    input.add_order(id, h.created_at, lines);
}

#[cfg(test)]
#[path = "instock_memory_tests.rs"]
mod tests;
