//! The merchant's way out for a credit note in needs-review (issue 16), each a single
//! transaction with a history row on its order saying who decided and why: retry (the item
//! becomes an intent again, sent by the engine's credit outbox), "issued by hand" (the number
//! is recorded, nothing is sent) and "no credit note needed" (closed as `not_needed`, the note
//! kept as its detail). Only an item still in review, or failed (the service refused it, e.g.
//! the credentials, and nothing else will send it), moves; anything else is refused. A
//! Shopify cancellation in review has no credit row: its mark (a settings row) moves with its
//! history row the same way.

use chrono::{DateTime, Utc};
use punte_core::order::OrderId;
use rusqlite::{TransactionBehavior, params};

use crate::error::{Result, StoreError};
use crate::open::Store;
use crate::orders::{Change, current_state, note};
use crate::outbox::IssuedInvoice;
use crate::secrets::redact_opt;
use crate::sqlval::ts;

/// What becomes of a reviewed credit item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditDecision {
    /// Sent again by the engine (it read first that no such credit exists).
    Retry,
    /// Issued by hand in the billing service: this document.
    ByHand(IssuedInvoice),
    /// No credit document is needed; the merchant's note.
    NotNeeded(String),
}

impl Store {
    /// Applies the merchant's decision to credit item `id`, which must be in review or failed.
    ///
    /// # Errors
    /// [`StoreError::BadValue`] when the item is neither in review nor failed; SQLite failure.
    pub fn resolve_reviewed_credit(
        &mut self,
        id: i64,
        decision: &CreditDecision,
        change: &Change,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at: DateTime<Utc> = change.at;
        let moved = match decision {
            CreditDecision::Retry => tx.execute(
                "UPDATE credit_outbox SET state = 'intent', error = NULL, updated_at = ?2
                 WHERE id = ?1 AND state IN ('needs_review', 'failed')",
                params![id, ts(at)],
            )?,
            CreditDecision::ByHand(doc) => tx.execute(
                "UPDATE credit_outbox SET state = 'confirmed', series = ?2, number = ?3,
                    link = ?4, error = NULL, updated_at = ?5
                 WHERE id = ?1 AND state IN ('needs_review', 'failed')",
                params![id, doc.series, doc.number, doc.link, ts(at)],
            )?,
            CreditDecision::NotNeeded(text) => tx.execute(
                "UPDATE credit_outbox SET state = 'not_needed', error = ?2, updated_at = ?3
                 WHERE id = ?1 AND state IN ('needs_review', 'failed')",
                params![id, redact_opt(Some(text)), ts(at)],
            )?,
        };
        if moved != 1 {
            return Err(StoreError::BadValue(format!(
                "credit item {id} is not in review"
            )));
        }
        let order: u64 = tx.query_row(
            "SELECT order_id FROM credit_outbox WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let order = OrderId(order);
        let now = current_state(&tx, order)?;
        note(&tx, order, now, change)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces setting `key` by `to` only while it is `from`, with a history row on `order`
    /// (a Shopify cancellation the merchant handled in the billing service), in one
    /// transaction. Returns whether it moved.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn replace_setting_noting(
        &mut self,
        order: OrderId,
        key: &str,
        from: &serde_json::Value,
        to: &serde_json::Value,
        change: &Change,
    ) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let moved = tx.execute(
            "UPDATE settings SET value = ?3, updated_at = ?4 WHERE key = ?1 AND value = ?2",
            params![key, from.to_string(), to.to_string(), ts(change.at)],
        )?;
        if moved != 1 {
            return Ok(false);
        }
        let now = current_state(&tx, order)?;
        note(&tx, order, now, change)?;
        tx.commit()?;
        Ok(true)
    }

    /// Whether a credit item other than `except` holds document `series` `number`.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn credit_number_taken(&self, series: &str, number: &str, except: i64) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM credit_outbox
                WHERE series = ?1 AND number = ?2 AND id != ?3)",
            params![series, number, except],
            |r| r.get(0),
        )?)
    }
}
