//! The invoice outbox: intent → sent → confirmed | failed | needs-review. The intent and its
//! idempotency key are committed before the billing call, and confirming an invoice moves the
//! order to Invoiced in the same transaction, so the reservation ends exactly once.

use chrono::{DateTime, Utc};
use punte_core::order::OrderId;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::open::Store;
use crate::outbox_rows::{self, Lifecycle};
use crate::sqlval::{get_ts, ts};

/// Where an invoice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Written, not yet sent: safe to send.
    Intent,
    /// Sent; the answer is not known (a crash here is resolved by asking the service by key).
    Sent,
    Confirmed,
    Failed,
    /// The service's answer was ambiguous; the merchant decides.
    NeedsReview,
}

impl OutboxState {
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Intent => "intent",
            Self::Sent => "sent",
            Self::Confirmed => "confirmed",
            Self::Failed => "failed",
            Self::NeedsReview => "needs_review",
        }
    }
}

impl Lifecycle for OutboxState {
    const ALL: &'static [Self] = &[
        Self::Intent,
        Self::Sent,
        Self::Confirmed,
        Self::Failed,
        Self::NeedsReview,
    ];
    const TABLE: &'static str = "invoice_outbox";
    const ITEM: &'static str = "outbox item";
    const STATE: &'static str = "outbox state";

    fn word(self) -> &'static str {
        OutboxState::word(self)
    }

    /// The allowed moves; confirmed is final, a failed invoice is retried as a new intent, and
    /// a reviewed one becomes an intent again when the merchant checked it does not exist.
    fn can_become(self, to: Self) -> bool {
        use OutboxState::{Confirmed, Failed, Intent, NeedsReview, Sent};
        matches!(
            (self, to),
            (Intent, Sent | Confirmed | Failed | NeedsReview)
                | (Sent, Confirmed | Failed | NeedsReview)
                | (NeedsReview, Confirmed | Failed | Intent)
                | (Failed, Intent)
        )
    }

    fn refused(id: i64, from: Self, to: Self) -> StoreError {
        StoreError::OutboxTransition {
            id,
            from: from.word(),
            to: to.word(),
        }
    }
}

/// What the engine wants invoiced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceIntent {
    pub order_id: OrderId,
    /// Unique per invoice attempt; the billing service sees it too.
    pub idempotency_key: String,
    pub service: String,
    pub stock_discharge: bool,
    /// The invoice draft as JSON.
    pub draft: String,
}

/// The invoice the billing service issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedInvoice {
    pub series: String,
    pub number: String,
    pub link: Option<String>,
}

/// An outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub intent: InvoiceIntent,
    pub state: OutboxState,
    pub invoice: Option<IssuedInvoice>,
    pub error: Option<String>,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const ITEM_COLUMNS: &str = "id, order_id, idempotency_key, service, stock_discharge, draft, state,
    series, number, link, error, attempts, created_at, updated_at";

impl Store {
    /// Writes an intent; the same idempotency key again returns the existing item's id.
    ///
    /// # Errors
    /// SQLite failure, e.g. an unknown order (foreign key).
    pub fn add_invoice_intent(&self, intent: &InvoiceIntent, at: DateTime<Utc>) -> Result<i64> {
        let i = intent;
        self.conn.execute(
            "INSERT INTO invoice_outbox (order_id, idempotency_key, service, state,
                stock_discharge, draft, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'intent', ?4, ?5, ?6, ?6)
             ON CONFLICT (idempotency_key) DO NOTHING",
            params![
                i.order_id.0,
                i.idempotency_key,
                i.service,
                i.stock_discharge,
                i.draft,
                ts(at)
            ],
        )?;
        Ok(self.conn.query_row(
            "SELECT id FROM invoice_outbox WHERE idempotency_key = ?1",
            [&i.idempotency_key],
            |r| r.get(0),
        )?)
    }

    /// Moves an item to `Sent`, `Failed`, `NeedsReview` or back to `Intent` (a retry);
    /// `error` is kept for the merchant. Use [`Store::confirm_invoice`] to confirm.
    ///
    /// # Errors
    /// [`StoreError::OutboxTransition`] for a move the lifecycle does not allow.
    pub fn set_outbox_state(
        &mut self,
        id: i64,
        to: OutboxState,
        error: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        outbox_rows::set_state(&mut self.conn, id, to, error, at)
    }

    /// Items the engine or the merchant must still act on (intent, sent, needs review),
    /// oldest first.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn pending_outbox(&self, limit: usize) -> Result<Vec<OutboxItem>> {
        self.outbox_where(
            "state IN ('intent', 'sent', 'needs_review') ORDER BY id LIMIT ?1",
            limit,
        )
    }

    /// Every outbox item of one order, oldest first.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn outbox_for_order(&self, order: OrderId) -> Result<Vec<OutboxItem>> {
        self.outbox_where("order_id = ?1 ORDER BY id", order.0)
    }

    fn outbox_where<P: rusqlite::ToSql>(&self, clause: &str, param: P) -> Result<Vec<OutboxItem>> {
        let sql = format!("SELECT {ITEM_COLUMNS} FROM invoice_outbox WHERE {clause}");
        outbox_rows::rows(&self.conn, &sql, &[&param], 6, item, |i, s| i.state = s)
    }
}

/// An outbox row; its state is parsed by [`outbox_rows::rows`].
fn item(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    Ok(OutboxItem {
        id: r.get(0)?,
        intent: InvoiceIntent {
            order_id: OrderId(r.get(1)?),
            idempotency_key: r.get(2)?,
            service: r.get(3)?,
            stock_discharge: r.get(4)?,
            draft: r.get(5)?,
        },
        state: OutboxState::Intent,
        invoice: outbox_rows::issued(r, 7)?,
        error: r.get(10)?,
        attempts: r.get(11)?,
        created_at: get_ts(r, 12)?,
        updated_at: get_ts(r, 13)?,
    })
}

/// Refuses a move the invoice lifecycle does not allow.
pub(crate) fn check_move(conn: &Connection, id: i64, to: OutboxState) -> Result<()> {
    outbox_rows::check_move(conn, id, to)
}
