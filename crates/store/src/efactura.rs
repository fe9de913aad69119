//! e-Factura (SPV) state per invoiced order: which confirmed invoices are not tracked yet, which
//! are due for a read (not settled, recent, not read lately), the state a read found, and the
//! once-only notification marks. The engine decides; this file only reads and writes rows.

use chrono::{DateTime, NaiveDate, Utc};
use punte_core::efactura::SpvState;
use punte_core::order::OrderId;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::open::Store;
use crate::sqlval::{get_ts, ts};

/// A confirmed invoice and when it was confirmed (its issue time, as Punte knows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UntrackedInvoice {
    pub order_id: OrderId,
    pub series: String,
    pub number: String,
    pub link: Option<String>,
    pub confirmed_at: DateTime<Utc>,
}

/// One tracked invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EfacturaRow {
    pub order_id: OrderId,
    pub series: String,
    pub number: String,
    pub link: Option<String>,
    pub state: SpvState,
    pub issued_on: NaiveDate,
    pub checked_at: Option<DateTime<Utc>>,
    pub notified_rejected: bool,
    pub notified_deadline: bool,
}

/// Which once-only notification was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EfacturaNotice {
    Rejected,
    Deadline,
}

fn words(state: &SpvState) -> (&'static str, Option<String>, Option<String>, Option<String>) {
    match state {
        SpvState::Rejected { reason } => (state.code(), Some(reason.clone()), None, None),
        SpvState::SentByService { service, link } => {
            (state.code(), None, Some(service.clone()), link.clone())
        }
        _ => (state.code(), None, None, None),
    }
}

/// The state stored as `code`, `reason`, `service`, `link`.
pub(crate) fn parse_state(
    code: &str,
    reason: Option<String>,
    service: Option<String>,
    link: Option<String>,
) -> rusqlite::Result<SpvState> {
    Ok(match code {
        "not_sent" => SpvState::NotSent,
        "in_progress" => SpvState::InProgress,
        "accepted" => SpvState::Accepted,
        "rejected" => SpvState::Rejected {
            reason: reason.unwrap_or_default(),
        },
        "sent_by_service" => SpvState::SentByService {
            service: service.unwrap_or_default(),
            link,
        },
        other => {
            return Err(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("e-Factura state {other:?}").into(),
            ));
        }
    })
}

fn date(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EfacturaRow> {
    let link: Option<String> = r.get(3)?;
    let state = parse_state(&r.get::<_, String>(4)?, r.get(5)?, r.get(6)?, link.clone())?;
    Ok(EfacturaRow {
        order_id: OrderId(r.get(0)?),
        series: r.get(1)?,
        number: r.get(2)?,
        link,
        state,
        issued_on: date(&r.get::<_, String>(7)?)?,
        checked_at: r
            .get::<_, Option<String>>(8)?
            .map(|_| get_ts(r, 8))
            .transpose()?,
        notified_rejected: r.get(9)?,
        notified_deadline: r.get(10)?,
    })
}

const COLUMNS: &str = "order_id, series, number, link, state, reason, service, issued_on, \
    checked_at, notified_rejected, notified_deadline";

impl Store {
    /// Confirmed invoices confirmed at or after `since` whose order has no e-Factura row yet
    /// (the newest confirmed invoice of each order).
    ///
    /// # Errors
    /// SQLite failure.
    pub fn untracked_invoices(
        &self,
        since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<UntrackedInvoice>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT x.order_id, x.series, x.number, x.link, x.updated_at FROM invoice_outbox x
             WHERE x.state = 'confirmed' AND x.series IS NOT NULL AND x.number IS NOT NULL
               AND x.updated_at >= ?1
               AND x.id = (SELECT MAX(y.id) FROM invoice_outbox y
                           WHERE y.order_id = x.order_id AND y.state = 'confirmed')
               AND NOT EXISTS (SELECT 1 FROM efactura e WHERE e.order_id = x.order_id)
             ORDER BY x.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![ts(since), limit], |r| {
            Ok(UntrackedInvoice {
                order_id: OrderId(r.get(0)?),
                series: r.get(1)?,
                number: r.get(2)?,
                link: r.get(3)?,
                confirmed_at: get_ts(r, 4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Starts tracking an invoice as not sent, issued on `issued_on` (Bucharest date).
    ///
    /// # Errors
    /// SQLite failure.
    pub fn track_efactura(
        &self,
        invoice: &UntrackedInvoice,
        issued_on: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO efactura (order_id, series, number, link, state, issued_on,
                updated_at) VALUES (?1, ?2, ?3, ?4, 'not_sent', ?5, ?6)",
            params![
                invoice.order_id.0,
                invoice.series,
                invoice.number,
                invoice.link,
                issued_on.format("%Y-%m-%d").to_string(),
                ts(at)
            ],
        )?;
        Ok(())
    }

    /// Invoices a read may change (not accepted, not "sent by the service"), issued on or after
    /// `issued_since`, not read since `read_before`, the longest unread first.
    ///
    /// # Errors
    /// SQLite failure or an unreadable row.
    pub fn efactura_due(
        &self,
        issued_since: NaiveDate,
        read_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<EfacturaRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM efactura
             WHERE state IN ('not_sent', 'in_progress', 'rejected') AND issued_on >= ?1
               AND (checked_at IS NULL OR checked_at < ?2)
             ORDER BY checked_at IS NOT NULL, checked_at, order_id LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let since = issued_since.format("%Y-%m-%d").to_string();
        let rows = stmt.query_map(params![since, ts(read_before), limit], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every tracked invoice still waiting for SPV (for the deadline check).
    ///
    /// # Errors
    /// SQLite failure or an unreadable row.
    pub fn efactura_awaiting(&self) -> Result<Vec<EfacturaRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM efactura WHERE state IN ('not_sent', 'in_progress', 'rejected')
             ORDER BY order_id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The tracked invoice of `order`, if any.
    ///
    /// # Errors
    /// SQLite failure or an unreadable row.
    pub fn efactura_of(&self, order: OrderId) -> Result<Option<EfacturaRow>> {
        let sql = format!("SELECT {COLUMNS} FROM efactura WHERE order_id = ?1");
        Ok(self.conn.query_row(&sql, [order.0], row).optional()?)
    }

    /// Records what a read found at `at`. A rejection with a new reason may be notified again.
    ///
    /// # Errors
    /// SQLite failure; `NotFound` when the order is not tracked.
    pub fn set_efactura_state(
        &self,
        order: OrderId,
        state: &SpvState,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let (code, reason, service, link) = words(state);
        let n = self.conn.execute(
            "UPDATE efactura SET state = ?2, reason = ?3, service = ?4,
                link = COALESCE(?5, link), checked_at = ?6, updated_at = ?6,
                notified_rejected = CASE WHEN ?2 = 'rejected' AND reason IS ?3
                    THEN notified_rejected ELSE 0 END
             WHERE order_id = ?1",
            params![order.0, code, reason, service, link, ts(at)],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "e-Factura invoice",
                id: order.0.to_string(),
            });
        }
        Ok(())
    }

    /// Marks a notification as given; `true` when it was not given before (the caller notifies
    /// only then, so each kind goes out once per invoice).
    ///
    /// # Errors
    /// SQLite failure.
    pub fn mark_efactura_notified(&self, order: OrderId, notice: EfacturaNotice) -> Result<bool> {
        let column = match notice {
            EfacturaNotice::Rejected => "notified_rejected",
            EfacturaNotice::Deadline => "notified_deadline",
        };
        let n = self.conn.execute(
            &format!("UPDATE efactura SET {column} = 1 WHERE order_id = ?1 AND {column} = 0"),
            [order.0],
        )?;
        Ok(n == 1)
    }
}
