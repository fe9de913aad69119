//! Shopify refunds and the credit outbox (issue 16). Refunds are stored once per refund id (a
//! re-import of the same refund changes nothing); each refund of an invoiced order gets at
//! most one credit item: intent → sent → confirmed | failed | needs-review, or `not_needed`
//! when nothing of it was ever invoiced. The intent and its key are committed before the
//! billing call, so a crash between sending and recording is settled by reading the service.

use chrono::{DateTime, Utc};
use punte_core::credit_note::RefundFacts;
use punte_core::order::OrderId;
use rusqlite::{TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::open::Store;
use crate::outbox::IssuedInvoice;
use crate::outbox_rows::{self, Lifecycle};
use crate::secrets::redact_opt;
use crate::sqlval::{get_ts, ts};

/// Where a refund's credit document is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditState {
    /// Planned, not yet sent: safe to send.
    Intent,
    /// Sent; the answer is not known (settled by reads).
    Sent,
    Confirmed,
    Failed,
    /// The API cannot express it, or a lost answer could not be settled: the merchant decides.
    NeedsReview,
    /// Nothing of the refund was on the invoice (it came before invoicing): no document.
    NotNeeded,
}

impl CreditState {
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Intent => "intent",
            Self::Sent => "sent",
            Self::Confirmed => "confirmed",
            Self::Failed => "failed",
            Self::NeedsReview => "needs_review",
            Self::NotNeeded => "not_needed",
        }
    }
}

impl Lifecycle for CreditState {
    const ALL: &'static [Self] = &[
        Self::Intent,
        Self::Sent,
        Self::Confirmed,
        Self::Failed,
        Self::NeedsReview,
        Self::NotNeeded,
    ];
    const TABLE: &'static str = "credit_outbox";
    const ITEM: &'static str = "credit item";
    const STATE: &'static str = "credit state";

    fn word(self) -> &'static str {
        CreditState::word(self)
    }

    /// Confirmed and not-needed are final; a failed or reviewed credit becomes an intent again
    /// only when the merchant says so, and is confirmed when the reads before that retry find
    /// its document (an earlier attempt may have landed).
    fn can_become(self, to: Self) -> bool {
        use CreditState::{Confirmed, Failed, Intent, NeedsReview, Sent};
        matches!(
            (self, to),
            (Intent, Sent | Confirmed | Failed | NeedsReview)
                | (Sent, Confirmed | Failed | NeedsReview | Intent)
                | (NeedsReview, Confirmed | Failed | Intent)
                | (Failed, Intent | Confirmed)
        )
    }

    fn refused(id: i64, from: Self, to: Self) -> StoreError {
        StoreError::BadValue(format!(
            "credit item {id}: {} cannot become {}",
            from.word(),
            to.word()
        ))
    }
}

/// A credit outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditItem {
    pub id: i64,
    pub refund_id: u64,
    pub order_id: OrderId,
    pub idempotency_key: String,
    pub state: CreditState,
    /// The credit draft as JSON (`None` when there is nothing to send).
    pub draft: Option<String>,
    pub document: Option<IssuedInvoice>,
    pub error: Option<String>,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the planner writes for one refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditIntent {
    pub refund_id: u64,
    pub order_id: OrderId,
    pub idempotency_key: String,
    /// `Intent` (with a draft), `NeedsReview` (with the reason) or `NotNeeded`.
    pub state: CreditState,
    pub draft: Option<String>,
    pub error: Option<String>,
}

const COLUMNS: &str = "id, refund_id, order_id, idempotency_key, state, draft, series, number,
    link, error, attempts, created_at, updated_at";

impl Store {
    /// Stores an order's refunds; a refund already stored is left as it is (Shopify's refunds
    /// do not change once made). Returns how many were new.
    ///
    /// # Errors
    /// SQLite failure, e.g. an unknown order (foreign key).
    pub fn record_refunds(
        &mut self,
        order: OrderId,
        refunds: &[RefundFacts],
        at: DateTime<Utc>,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut new = 0;
        for r in refunds {
            let facts =
                serde_json::to_string(r).map_err(|e| StoreError::BadValue(e.to_string()))?;
            new += tx.execute(
                "INSERT INTO refunds (id, order_id, created_at, facts, seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING",
                params![r.id, order.0, ts(r.created_at), facts, ts(at)],
            )?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// An order's refunds, oldest first.
    ///
    /// # Errors
    /// SQLite failure or a stored row that does not parse.
    pub fn refunds_of(&self, order: OrderId) -> Result<Vec<RefundFacts>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT facts FROM refunds WHERE order_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([order.0], |r| r.get::<_, String>(0))?;
        rows.map(|f| {
            serde_json::from_str(&f?).map_err(|e| StoreError::BadValue(format!("refund: {e}")))
        })
        .collect()
    }

    /// Invoiced orders with a refund that has no credit item yet (the planner's work list).
    ///
    /// # Errors
    /// SQLite failure.
    pub fn orders_with_unplanned_refunds(&self) -> Result<Vec<OrderId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT r.order_id FROM refunds r JOIN orders o ON o.id = r.order_id
             WHERE o.state IN ('invoiced', 'invoiced_kept')
               AND NOT EXISTS (SELECT 1 FROM credit_outbox c WHERE c.refund_id = r.id)
             ORDER BY r.order_id",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, u64>(0))?;
        Ok(rows
            .map(|r| r.map(OrderId))
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Writes the planner's decision for one refund; a refund already planned keeps its item.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn add_credit_intent(&self, intent: &CreditIntent, at: DateTime<Utc>) -> Result<i64> {
        let i = intent;
        self.conn.execute(
            "INSERT INTO credit_outbox (refund_id, order_id, idempotency_key, state, draft,
                error, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT (refund_id) DO NOTHING",
            params![
                i.refund_id,
                i.order_id.0,
                i.idempotency_key,
                i.state.word(),
                i.draft,
                redact_opt(i.error.as_deref()),
                ts(at)
            ],
        )?;
        Ok(self.conn.query_row(
            "SELECT id FROM credit_outbox WHERE refund_id = ?1",
            [i.refund_id],
            |r| r.get(0),
        )?)
    }

    /// Moves a credit item (not to `Confirmed`: see [`Store::confirm_credit`]).
    ///
    /// # Errors
    /// [`StoreError::BadValue`] for a move the lifecycle does not allow.
    pub fn set_credit_state(
        &mut self,
        id: i64,
        to: CreditState,
        error: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        outbox_rows::set_state(&mut self.conn, id, to, error, at)
    }

    /// Records the credit document the service issued (or that reads found).
    ///
    /// # Errors
    /// [`StoreError::BadValue`] when the item is already final.
    pub fn confirm_credit(
        &mut self,
        id: i64,
        doc: &IssuedInvoice,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        check_move(&tx, id, CreditState::Confirmed)?;
        tx.execute(
            "UPDATE credit_outbox SET state = 'confirmed', series = ?2, number = ?3, link = ?4,
                error = NULL, updated_at = ?5 WHERE id = ?1",
            params![id, doc.series, doc.number, doc.link, ts(at)],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Credit items the engine must still move (intent, sent), oldest first.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn pending_credits(&self) -> Result<Vec<CreditItem>> {
        self.credits_where("state IN ('intent', 'sent') ORDER BY id", &[])
    }

    /// Every credit item of one order, oldest first.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn credits_of(&self, order: OrderId) -> Result<Vec<CreditItem>> {
        self.credits_where("order_id = ?1 ORDER BY id", &[&order.0])
    }

    /// One credit item.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn credit(&self, id: i64) -> Result<Option<CreditItem>> {
        Ok(self.credits_where("id = ?1", &[&id])?.into_iter().next())
    }

    /// Credit documents of `series` Punte holds (issued or found), for a lookup's known list.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn credits_in_series(&self, series: &str) -> Result<Vec<IssuedInvoice>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT series, number, link FROM credit_outbox
             WHERE series = ?1 AND number IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([series], |r| {
            Ok(IssuedInvoice {
                series: r.get(0)?,
                number: r.get(1)?,
                link: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn credits_where(&self, clause: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Vec<CreditItem>> {
        let sql = format!("SELECT {COLUMNS} FROM credit_outbox WHERE {clause}");
        outbox_rows::rows(&self.conn, &sql, p, 4, row, |i, s| i.state = s)
    }
}

/// A credit outbox row; its state is parsed by [`outbox_rows::rows`].
fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CreditItem> {
    Ok(CreditItem {
        id: r.get(0)?,
        refund_id: r.get(1)?,
        order_id: OrderId(r.get(2)?),
        idempotency_key: r.get(3)?,
        state: CreditState::Intent,
        draft: r.get(5)?,
        document: outbox_rows::issued(r, 6)?,
        error: r.get(9)?,
        attempts: r.get(10)?,
        created_at: get_ts(r, 11)?,
        updated_at: get_ts(r, 12)?,
    })
}

/// Refuses a move the credit lifecycle does not allow.
fn check_move(conn: &rusqlite::Connection, id: i64, to: CreditState) -> Result<()> {
    outbox_rows::check_move(conn, id, to)
}
