//! Cash on delivery: what Shopify last said of each order's payment and fulfilment, and the
//! collection outbox (one row per order, written before the billing call). The engine decides
//! when a collection is due and how a lost answer is settled; this file only reads and writes
//! rows. A collection intent waits until the order's invoice is confirmed.

use chrono::{DateTime, NaiveDate, Utc};
use punte_core::order::OrderId;
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::open::Store;
use crate::outbox::IssuedInvoice;
use crate::secrets::redact_opt;
use crate::sqlval::{get_ts, ts};

/// What one import saw of an order's payment and fulfilment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFacts {
    pub order_id: OrderId,
    /// Paid through a cash-on-delivery gateway.
    pub cash_on_delivery: bool,
    pub financial_status: Option<String>,
    pub fulfillment_status: String,
    /// The payment is PAID or PARTIALLY_REFUNDED.
    pub paid: bool,
    /// Shopify's `updatedAt` of this version of the order.
    pub seen_at: DateTime<Utc>,
}

/// Who asked for the collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectionSource {
    /// Shopify marked the cash-on-delivery order paid.
    Shopify,
    /// The merchant marked it paid in Punte.
    Merchant,
}

/// Where a collection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectionState {
    /// Recorded; nothing sent yet.
    Intent,
    /// The call may have reached the service; settled by reading the invoice.
    Sent,
    Confirmed,
    NeedsReview,
}

impl CollectionState {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intent => "intent",
            Self::Sent => "sent",
            Self::Confirmed => "confirmed",
            Self::NeedsReview => "needs_review",
        }
    }

    fn parse(s: &str) -> rusqlite::Result<Self> {
        Ok(match s {
            "intent" => Self::Intent,
            "sent" => Self::Sent,
            "confirmed" => Self::Confirmed,
            "needs_review" => Self::NeedsReview,
            other => {
                return Err(rusqlite::Error::FromSqlConversionFailure(
                    0,
                    rusqlite::types::Type::Text,
                    format!("collection state {other:?}").into(),
                ));
            }
        })
    }
}

/// One collection row, with the order's confirmed invoice and its draft (JSON) when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionItem {
    pub order_id: OrderId,
    pub source: CollectionSource,
    pub state: CollectionState,
    pub collected_on: NaiveDate,
    /// The invoice the collection was sent for (set before sending).
    pub sent_for: Option<IssuedInvoice>,
    pub amount: Option<String>,
    pub error: Option<String>,
    pub attempts: u32,
    /// The order's confirmed invoice now, and the draft it was issued from.
    pub invoice: Option<IssuedInvoice>,
    pub draft: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The row's last change: while `sent`, when it was marked sent (just before the call).
    pub updated_at: DateTime<Utc>,
}

const ITEM: &str = "SELECT c.order_id, c.source, c.state, c.collected_on, c.series, c.number, \
     c.amount, c.error, c.attempts, x.series, x.number, x.link, x.draft, c.created_at, \
     c.updated_at \
     FROM collection_outbox c LEFT JOIN invoice_outbox x ON x.id = (SELECT MAX(y.id) FROM \
     invoice_outbox y WHERE y.order_id = c.order_id AND y.state = 'confirmed' \
     AND y.series IS NOT NULL AND y.number IS NOT NULL)";

fn item(r: &Row<'_>) -> rusqlite::Result<CollectionItem> {
    let source: String = r.get(1)?;
    let on: String = r.get(3)?;
    let pair = |s: Option<String>, n: Option<String>, link: Option<String>| {
        s.zip(n).map(|(series, number)| IssuedInvoice {
            series,
            number,
            link,
        })
    };
    Ok(CollectionItem {
        order_id: OrderId(r.get(0)?),
        source: if source == "merchant" {
            CollectionSource::Merchant
        } else {
            CollectionSource::Shopify
        },
        state: CollectionState::parse(&r.get::<_, String>(2)?)?,
        collected_on: on.parse().map_err(|e: chrono::ParseError| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, e.into())
        })?,
        sent_for: pair(r.get(4)?, r.get(5)?, None),
        amount: r.get(6)?,
        error: r.get(7)?,
        attempts: r.get(8)?,
        invoice: pair(r.get(9)?, r.get(10)?, r.get(11)?),
        draft: r.get(12)?,
        created_at: get_ts(r, 13)?,
        updated_at: get_ts(r, 14)?,
    })
}

impl Store {
    /// Records what an import saw of each order's payment and fulfilment (the first time an
    /// order is seen fulfilled or paid is kept), and writes a collection intent for each
    /// cash-on-delivery order newly seen paid that has none. Returns the orders given an intent.
    pub fn note_payments(
        &mut self,
        facts: &[PaymentFacts],
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<Vec<OrderId>> {
        let tx = self.conn.transaction()?;
        let mut due = Vec::new();
        for f in facts {
            let was_paid: Option<Option<String>> = tx
                .query_row(
                    "SELECT paid_at FROM order_payment WHERE order_id = ?1",
                    [f.order_id.0],
                    |r| r.get(0),
                )
                .optional()?;
            let seen = ts(f.seen_at);
            let fulfilled = (f.fulfillment_status == "FULFILLED").then(|| seen.clone());
            let paid = f.paid.then(|| seen.clone());
            tx.execute(
                "INSERT INTO order_payment (order_id, cash_on_delivery, financial_status,
                     fulfillment_status, fulfilled_at, paid_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (order_id) DO UPDATE SET
                     cash_on_delivery = excluded.cash_on_delivery,
                     financial_status = excluded.financial_status,
                     fulfillment_status = excluded.fulfillment_status,
                     fulfilled_at = CASE WHEN excluded.fulfilled_at IS NULL THEN NULL
                         ELSE COALESCE(order_payment.fulfilled_at, excluded.fulfilled_at) END,
                     paid_at = CASE WHEN excluded.paid_at IS NULL THEN NULL
                         ELSE COALESCE(order_payment.paid_at, excluded.paid_at) END,
                     updated_at = excluded.updated_at",
                params![
                    f.order_id.0,
                    f.cash_on_delivery,
                    f.financial_status,
                    f.fulfillment_status,
                    fulfilled,
                    paid,
                    ts(at)
                ],
            )?;
            let newly_paid = f.paid && !matches!(was_paid, Some(Some(_)));
            if f.cash_on_delivery && newly_paid {
                let added = tx.execute(
                    "INSERT OR IGNORE INTO collection_outbox (order_id, source, state,
                         collected_on, created_at, updated_at)
                     VALUES (?1, 'shopify', 'intent', ?2, ?3, ?3)",
                    params![f.order_id.0, today.to_string(), ts(at)],
                )?;
                if added > 0 {
                    due.push(f.order_id);
                }
            }
        }
        tx.commit()?;
        Ok(due)
    }

    /// Writes a collection intent for `order` unless it has one; returns its row.
    pub fn add_collection_intent(
        &mut self,
        order: OrderId,
        source: CollectionSource,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<CollectionItem> {
        let word = match source {
            CollectionSource::Shopify => "shopify",
            CollectionSource::Merchant => "merchant",
        };
        self.conn.execute(
            "INSERT OR IGNORE INTO collection_outbox (order_id, source, state, collected_on,
                 created_at, updated_at) VALUES (?1, ?2, 'intent', ?3, ?4, ?4)",
            params![order.0, word, today.to_string(), ts(at)],
        )?;
        self.collection(order)?
            .ok_or_else(|| StoreError::BadValue(format!("no collection for order {}", order.0)))
    }

    /// The collection row of `order`, if any.
    pub fn collection(&self, order: OrderId) -> Result<Option<CollectionItem>> {
        let sql = format!("{ITEM} WHERE c.order_id = ?1");
        Ok(self.conn.query_row(&sql, [order.0], item).optional()?)
    }

    /// Collections not settled yet (intent or sent), oldest first.
    pub fn pending_collections(&self) -> Result<Vec<CollectionItem>> {
        let sql =
            format!("{ITEM} WHERE c.state IN ('intent', 'sent') ORDER BY c.created_at, c.order_id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], item)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks the collection of `order` sent for `invoice` and `amount` (one more attempt).
    pub fn collection_sent(
        &mut self,
        order: OrderId,
        invoice: &IssuedInvoice,
        amount: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE collection_outbox SET state = 'sent', series = ?2, number = ?3, amount = ?4,
                 attempts = attempts + 1, error = NULL, updated_at = ?5 WHERE order_id = ?1",
            params![order.0, invoice.series, invoice.number, amount, ts(at)],
        )?;
        Ok(())
    }

    /// Moves the collection of `order` to `state`, with a note (the review reason, or how it was
    /// settled; anything that looks like a credential is redacted).
    pub fn set_collection_state(
        &mut self,
        order: OrderId,
        state: CollectionState,
        note: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE collection_outbox SET state = ?2, error = ?3, updated_at = ?4
             WHERE order_id = ?1",
            params![order.0, state.as_str(), redact_opt(note), ts(at)],
        )?;
        Ok(())
    }
}
