//! Writing orders: import (insert or refresh what Shopify says) and state changes, each in one
//! transaction with its history row and `line_count`, so a crash never leaves half an order and
//! the reservation triggers always see whole orders.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use punte_core::instock::{InStockReport, Verdict};
use punte_core::order::{Order, OrderId, OrderState};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::instock_detail::Names;
use crate::kits::{LineGroup, write_line_groups};
use crate::open::Store;
use crate::order_rows::{insert_order, refresh_order};
use crate::runs::RunId;
use crate::secrets::redact;
use crate::sqlval::{parse_state, state_word, ts};

/// Who or what changed something, when, and why; written to the history and audit trails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub at: DateTime<Utc>,
    /// Shown to the merchant, e.g. "imported", "invoice FCT 12 issued".
    pub reason: String,
    /// "sync", "merchant", "outbox", ...
    pub source: String,
    pub run: Option<RunId>,
}

impl Change {
    /// A change made by `source` at `at` for `reason`, outside any sync run.
    #[must_use]
    pub fn new(at: DateTime<Utc>, reason: &str, source: &str) -> Self {
        Self {
            at,
            reason: reason.to_owned(),
            source: source.to_owned(),
            run: None,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub inserted: usize,
    pub updated: usize,
    pub state_changes: usize,
}

impl Store {
    /// Inserts new orders and refreshes known ones (lines, customer, totals, state) in one
    /// transaction. A state that differs from the stored one gets a history row.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then), e.g. an id above `i64::MAX`.
    pub fn import_orders(&mut self, orders: &[Order], change: &Change) -> Result<ImportSummary> {
        self.import(orders, None, change)
    }

    /// As [`Store::import_orders`], and each order's Shopify bundle groups (`lineItemGroup`)
    /// replaced by `groups[order]` (none when absent) in the same transaction as its lines.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn import_grouped_orders(
        &mut self,
        orders: &[Order],
        groups: &HashMap<OrderId, Vec<LineGroup>>,
        change: &Change,
    ) -> Result<ImportSummary> {
        self.import(orders, Some(groups), change)
    }

    fn import(
        &mut self,
        orders: &[Order],
        groups: Option<&HashMap<OrderId, Vec<LineGroup>>>,
        change: &Change,
    ) -> Result<ImportSummary> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut summary = ImportSummary::default();
        for order in orders {
            let old: Option<String> = tx
                .query_row(
                    "SELECT state FROM orders WHERE id = ?1",
                    [order.id.0],
                    |r| r.get(0),
                )
                .optional()?;
            match old {
                None => {
                    insert_order(&tx, order, change.at)?;
                    history(&tx, order.id, None, order.state, change)?;
                    summary.inserted += 1;
                }
                Some(word) => {
                    let from = parse_state(&word).map_err(StoreError::BadValue)?;
                    refresh_order(&tx, order, change.at)?;
                    if from != order.state {
                        update_state(&tx, order.id, order.state, change.at)?;
                        history(&tx, order.id, Some(from), order.state, change)?;
                        summary.state_changes += 1;
                    }
                    summary.updated += 1;
                }
            }
            if let Some(groups) = groups {
                let of = groups.get(&order.id).map_or(&[][..], Vec::as_slice);
                write_line_groups(&tx, order.id, of)?;
            }
        }
        tx.commit()?;
        Ok(summary)
    }

    /// Moves an order to `state` with a history row; `false` if it already was there.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown order, [`StoreError::OrderTransition`] for a move
    /// the lifecycle does not allow (e.g. Cancelled → Open); nothing is written then.
    pub fn set_order_state(
        &mut self,
        id: OrderId,
        state: OrderState,
        change: &Change,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = change_state(&tx, id, state, change)?;
        tx.commit()?;
        Ok(changed)
    }

    /// Records the latest InStock verdicts; an order that does not fit gets its explanation
    /// (see `instock_detail`: each shortfall with the names of the older orders that took it).
    ///
    /// # Errors
    /// SQLite failure.
    pub fn record_in_stock(&mut self, report: &InStockReport) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE orders SET in_stock = ?2, in_stock_detail = ?3 WHERE id = ?1",
            )?;
            let mut names = Names::new(&tx);
            for v in &report.verdicts {
                let (fits, detail) = match &v.verdict {
                    Verdict::InStock => (true, None),
                    Verdict::NotInStock { shortfalls } => {
                        (false, Some(names.explain(report, shortfalls)?))
                    }
                };
                stmt.execute(params![v.order_id.0, fits, detail])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Moves an order inside an open transaction, refusing moves core's lifecycle does not allow;
/// shared with the outbox's confirmation.
pub(crate) fn change_state(
    conn: &Connection,
    id: OrderId,
    state: OrderState,
    change: &Change,
) -> Result<bool> {
    let from = current_state(conn, id)?;
    if from == state {
        return Ok(false);
    }
    if !from.can_become(state) {
        return Err(StoreError::OrderTransition {
            id: id.0,
            from: state_word(from),
            to: state_word(state),
        });
    }
    update_state(conn, id, state, change.at)?;
    history(conn, id, Some(from), state, change)?;
    Ok(true)
}

/// A history row that records a decision about an order without moving it (`to` = its state).
pub(crate) fn note(
    conn: &Connection,
    id: OrderId,
    state: OrderState,
    change: &Change,
) -> Result<()> {
    history(conn, id, Some(state), state, change)
}

/// The stored state of an order.
pub(crate) fn current_state(conn: &Connection, id: OrderId) -> Result<OrderState> {
    let word: Option<String> = conn
        .query_row("SELECT state FROM orders WHERE id = ?1", [id.0], |r| {
            r.get(0)
        })
        .optional()?;
    let word = word.ok_or_else(|| StoreError::NotFound {
        what: "order",
        id: id.0.to_string(),
    })?;
    parse_state(&word).map_err(StoreError::BadValue)
}

fn update_state(
    conn: &Connection,
    id: OrderId,
    state: OrderState,
    at: DateTime<Utc>,
) -> Result<()> {
    // A verdict only means something for an order that still waits.
    let clear_verdict = !matches!(state, OrderState::Open);
    conn.prepare_cached(
        "UPDATE orders SET state = ?2, updated_at = ?3,
            in_stock = CASE WHEN ?4 THEN NULL ELSE in_stock END,
            in_stock_detail = CASE WHEN ?4 THEN NULL ELSE in_stock_detail END
         WHERE id = ?1",
    )?
    .execute(params![id.0, state_word(state), ts(at), clear_verdict])?;
    Ok(())
}

fn history(
    conn: &Connection,
    id: OrderId,
    from: Option<OrderState>,
    to: OrderState,
    change: &Change,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_history (order_id, at, from_state, to_state, reason, source, run_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id.0,
        ts(change.at),
        from.map(state_word),
        state_word(to),
        redact(&change.reason),
        redact(&change.source),
        change.run.map(|r| r.0),
    ])?;
    Ok(())
}
