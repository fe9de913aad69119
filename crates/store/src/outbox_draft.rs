//! An unsent invoice's draft replaced: the pre-issue checks name each line's VAT rate as the
//! billing service does (kept so a resend after a lost answer carries the same names), and an
//! order held by those checks is drafted again from what the merchant fixed. Only an item that
//! was never sent (an intent) may change; a sent one keeps what went out.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::error::{Result, StoreError};
use crate::open::Store;
use crate::sqlval::ts;

impl Store {
    /// Replaces the draft (JSON) and the discharge flag of intent `id`.
    ///
    /// # Errors
    /// [`StoreError::OutboxTransition`] unless the item is an intent; SQLite failure.
    pub fn set_intent_draft(
        &self,
        id: i64,
        draft: &str,
        stock_discharge: bool,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE invoice_outbox SET draft = ?2, stock_discharge = ?3, updated_at = ?4
             WHERE id = ?1 AND state = 'intent'",
            params![id, draft, stock_discharge, ts(at)],
        )?;
        if changed == 0 {
            return Err(StoreError::OutboxTransition {
                id,
                from: "not intent",
                to: "intent",
            });
        }
        Ok(())
    }
}
