//! What the engine's in-memory InStock input needs to stay equal to the store: the orders
//! changed since a revision (see migration 0005: every change to an order's state, creation
//! time, name or lines gives it a new, higher `rev`), with their lines if they still reserve
//! stock. The first call (no revision yet) reads every reserving order; later calls read only
//! what changed, through the `orders_rev` index, so a refresh after one import reads one order.

use chrono::{DateTime, Utc};
use punte_core::order::{LineId, OrderId};
use rusqlite::Row;
use rusqlite::types::Type;

use crate::error::Result;
use crate::open::Store;
use crate::reserving::RESERVING;
use crate::sqlval::parse_ts;

/// An order as the InStock walk sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservingOrder {
    pub id: OrderId,
    pub created_at: DateTime<Utc>,
    /// Whether it reserves stock now (open, or invoiced without discharge). When it does not,
    /// `lines` is empty and the order leaves the walk.
    pub reserving: bool,
    /// In position order: (line id, code, quantity). A custom line has no code.
    pub lines: Vec<(LineId, Option<String>, i64)>,
}

/// The orders changed after a revision, and the revision to ask from next time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReservingChanges {
    pub orders: Vec<ReservingOrder>,
    /// The highest revision covered by this answer.
    pub rev: i64,
}

impl Store {
    /// With `since = None`, every order that reserves stock; with `Some(rev)`, every order
    /// whose revision is above `rev` (reserving or not), so the caller can drop those that
    /// stopped reserving. Orders come in id order, lines in position order.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored value.
    pub fn reserving_changes(&self, since: Option<i64>) -> Result<ReservingChanges> {
        let rev: i64 =
            self.conn
                .query_row("SELECT coalesce(max(rev), 0) FROM orders", [], |r| r.get(0))?;
        let filter = match since {
            None => format!("o.state IN {RESERVING}"),
            Some(_) => "o.rev > ?1".to_owned(),
        };
        // Changes committed after `rev` was read have higher revisions: the next call sees
        // them (a row read twice is harmless, one missed is not).
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT o.id, o.created_at, o.state IN {RESERVING}, l.id, l.code, l.quantity
             FROM orders o LEFT JOIN order_lines l
                ON l.order_id = o.id AND o.state IN {RESERVING}
             WHERE {filter} AND o.rev <= ?2
             ORDER BY o.id, l.position"
        ))?;
        let mut rows = stmt.query(rusqlite::params![since.unwrap_or(0), rev])?;
        let mut orders: Vec<ReservingOrder> = Vec::new();
        while let Some(r) = rows.next()? {
            let id = OrderId(r.get(0)?);
            if orders.last().is_none_or(|o| o.id != id) {
                let text = text(r, 1)?.unwrap_or_default();
                let created_at = parse_ts(text).map_err(|e| bad(1, e.into()))?;
                orders.push(ReservingOrder {
                    id,
                    created_at,
                    reserving: r.get(2)?,
                    lines: Vec::new(),
                });
            }
            let Some(line) = r.get::<_, Option<u64>>(3)? else {
                continue; // no lines, or not reserving
            };
            let code = text(r, 4)?.map(str::to_owned);
            if let Some(o) = orders.last_mut() {
                o.lines.push((LineId(line), code, r.get(5)?));
            }
        }
        Ok(ReservingChanges { orders, rev })
    }
}

/// A text column read in place; NULL is `None`.
fn text<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(idx)?
        .as_str_or_null()
        .map_err(|e| bad(idx, Box::new(e)))
}

fn bad(idx: usize, e: Box<dyn std::error::Error + Send + Sync>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, e)
}
