//! The outbox as the needs-review resolution and the lost-answer lookup read it: the invoices
//! of a series Punte already tied to orders (never another order's answer), who holds a given
//! invoice, and the merchant's "it does not exist: issue it" — a reviewed item back to an
//! intent, with a history row on its order saying who decided and why.

use punte_core::order::OrderId;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use crate::error::Result;
use crate::open::Store;
use crate::orders::{Change, current_state, note};
use crate::outbox::{IssuedInvoice, OutboxState, check_move};
use crate::sqlval::ts;

impl Store {
    /// The invoices of `series` the outbox holds for orders other than `except`.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn invoices_in_series(&self, series: &str, except: OrderId) -> Result<Vec<IssuedInvoice>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT series, number, link FROM invoice_outbox
             WHERE series = ?1 AND number IS NOT NULL AND order_id != ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![series, except.0], |r| {
            Ok(IssuedInvoice {
                series: r.get(0)?,
                number: r.get(1)?,
                link: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The order whose outbox holds invoice `series` `number`, if any.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn invoice_holder(&self, series: &str, number: &str) -> Result<Option<OrderId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT order_id FROM invoice_outbox WHERE series = ?1 AND number = ?2 LIMIT 1",
                params![series, number],
                |r| r.get::<_, u64>(0),
            )
            .optional()?
            .map(OrderId))
    }

    /// The merchant decided a reviewed invoice does not exist: the item becomes an intent
    /// again (sent anew by the engine) and the order's history says so.
    ///
    /// # Errors
    /// [`crate::StoreError::OutboxTransition`] unless the item is in review.
    pub fn retry_reviewed_invoice(&mut self, id: i64, change: &Change) -> Result<()> {
        self.back_to_intent(id, None, change)
    }

    /// The merchant retried an item held by the pre-issue checks: it becomes an intent again
    /// with `draft` (the order drafted anew) in the same transaction, so an item never waits
    /// as an intent with the draft it was held for.
    ///
    /// # Errors
    /// [`crate::StoreError::OutboxTransition`] unless the item is in review.
    pub fn retry_held_invoice(
        &mut self,
        id: i64,
        draft: &str,
        stock_discharge: bool,
        change: &Change,
    ) -> Result<()> {
        self.back_to_intent(id, Some((draft, stock_discharge)), change)
    }

    fn back_to_intent(
        &mut self,
        id: i64,
        draft: Option<(&str, bool)>,
        change: &Change,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        check_move(&tx, id, OutboxState::Intent)?;
        let (state, order): (String, u64) = tx.query_row(
            "SELECT state, order_id FROM invoice_outbox WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if state != OutboxState::NeedsReview.word() {
            return Err(crate::StoreError::OutboxTransition {
                id,
                from: "not needs_review",
                to: OutboxState::Intent.word(),
            });
        }
        tx.execute(
            "UPDATE invoice_outbox SET state = 'intent', error = NULL, updated_at = ?2
             WHERE id = ?1",
            params![id, ts(change.at)],
        )?;
        if let Some((draft, stock)) = draft {
            tx.execute(
                "UPDATE invoice_outbox SET draft = ?2, stock_discharge = ?3 WHERE id = ?1",
                params![id, draft, stock],
            )?;
        }
        let order = OrderId(order);
        let now = current_state(&tx, order)?;
        note(&tx, order, now, change)?;
        tx.commit()?;
        Ok(())
    }
}
