//! Sync runs (start, end, counts, API calls, outcome) and the stock-change audit trail: every
//! quantity Punte writes to Shopify, with before/after, reason, source and run, so the
//! merchant can answer "why did this product change" offline.

use chrono::{DateTime, Utc};
use punte_core::product::{InventoryItemId, ProductCode};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::open::Store;
use crate::order_query::Page;
use crate::secrets::{redact, redact_opt};
use crate::sqlval::{get_opt_ts, get_ts, ts};

/// The row id of a sync run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RunId(pub i64);

/// How a run ended, with its counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunEnd {
    /// "ok", "partial", "failed", "stopped", "awaiting_confirmation" (the engine's words).
    pub outcome: String,
    pub orders_imported: u64,
    pub products_read: u64,
    pub products_written: u64,
    pub findings: u64,
    pub shopify_calls: u64,
    pub billing_calls: u64,
    pub detail: Option<String>,
}

/// A sync run as stored; `ended_at`/`end` are `None` while it runs (or if the app died in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRun {
    pub id: RunId,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end: Option<RunEnd>,
}

/// One quantity change written to Shopify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockChange {
    pub at: DateTime<Utc>,
    pub code: ProductCode,
    pub inventory_item_id: Option<InventoryItemId>,
    /// What Shopify had (None when unknown, e.g. a forced overwrite without a read).
    pub before: Option<i64>,
    pub after: i64,
    pub reason: String,
    pub source: String,
    pub run: Option<RunId>,
}

/// An audit row with its id (the page cursor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub change: StockChange,
}

impl Store {
    /// Records the start of a run.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn start_run(&self, at: DateTime<Utc>) -> Result<RunId> {
        self.conn
            .execute("INSERT INTO sync_runs (started_at) VALUES (?1)", [ts(at)])?;
        Ok(RunId(self.conn.last_insert_rowid()))
    }

    /// Records how a run ended.
    ///
    /// # Errors
    /// SQLite failure (a counter above `i64::MAX` included).
    pub fn finish_run(&self, run: RunId, at: DateTime<Utc>, end: &RunEnd) -> Result<()> {
        finish(&self.conn, run, at, end)
    }

    /// The run recorded just before `run` (by id), if any.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn run_before(&self, run: RunId) -> Result<Option<SyncRun>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM sync_runs WHERE id < ?1 ORDER BY id DESC LIMIT 1"
        ))?;
        let mut rows = stmt.query_map([run.0], sync_run)?;
        Ok(rows.next().transpose()?)
    }

    /// Folds `run` into the earlier run `into` (a stretch of quiet looks kept as one row):
    /// `into` ends at `at` with `end`, every row naming `run` (billing stock, findings, audit,
    /// order history) names `into`, and `run`'s row is removed, all in one transaction. False,
    /// with nothing changed, when a row the store does not know names `run` (a table added
    /// later): the caller then finishes `run` on its own.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn fold_run(
        &mut self,
        run: RunId,
        into: RunId,
        at: DateTime<Utc>,
        end: &RunEnd,
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        for table in ["billing_stock", "findings", "stock_audit", "order_history"] {
            tx.execute(
                &format!("UPDATE {table} SET run_id = ?2 WHERE run_id = ?1"),
                [run.0, into.0],
            )?;
        }
        match tx.execute("DELETE FROM sync_runs WHERE id = ?1", [run.0]) {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        }
        finish(&tx, into, at, end)?;
        tx.commit()?;
        Ok(true)
    }

    /// The latest `limit` runs, newest first.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn recent_runs(&self, limit: usize) -> Result<Vec<SyncRun>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM sync_runs ORDER BY started_at DESC, id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], sync_run)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Appends stock changes to the audit trail in one transaction.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_stock_changes(&mut self, changes: &[StockChange]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO stock_audit (at, code, inventory_item_id, qty_before, qty_after,
                    reason, source, run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for c in changes {
                stmt.execute(params![
                    ts(c.at),
                    c.code.as_str(),
                    c.inventory_item_id.map(|i| i.0),
                    c.before,
                    c.after,
                    redact(&c.reason),
                    redact(&c.source),
                    c.run.map(|r| r.0),
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A page of the audit trail, newest first, optionally for one product; `before` is the id
    /// of the last entry of the previous page.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn audit_page(
        &self,
        code: Option<&ProductCode>,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Page<AuditEntry, i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, code, inventory_item_id, qty_before, qty_after, reason, source, run_id
             FROM stock_audit
             WHERE (?1 IS NULL OR code = ?1) AND (?2 IS NULL OR id < ?2)
             ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![code.map(ProductCode::as_str), before, limit + 1],
            audit_entry,
        )?;
        let mut items: Vec<AuditEntry> = rows.collect::<rusqlite::Result<_>>()?;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|e| e.id)
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

/// Writes how `run` ended.
fn finish(conn: &rusqlite::Connection, run: RunId, at: DateTime<Utc>, end: &RunEnd) -> Result<()> {
    conn.execute(
        "UPDATE sync_runs SET ended_at = ?2, outcome = ?3, orders_imported = ?4,
            products_read = ?5, products_written = ?6, findings = ?7, shopify_calls = ?8,
            billing_calls = ?9, detail = ?10
         WHERE id = ?1",
        params![
            run.0,
            ts(at),
            end.outcome,
            end.orders_imported,
            end.products_read,
            end.products_written,
            end.findings,
            end.shopify_calls,
            end.billing_calls,
            redact_opt(end.detail.as_deref())
        ],
    )?;
    Ok(())
}

/// Reads one `stock_audit` row selected with the columns of [`Store::audit_page`].
pub(crate) fn audit_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        change: StockChange {
            at: get_ts(r, 1)?,
            code: ProductCode(r.get(2)?),
            inventory_item_id: r.get::<_, Option<u64>>(3)?.map(InventoryItemId),
            before: r.get(4)?,
            after: r.get(5)?,
            reason: r.get(6)?,
            source: r.get(7)?,
            run: r.get::<_, Option<i64>>(8)?.map(RunId),
        },
    })
}

/// The columns [`sync_run`] reads, in its order.
const RUN_COLUMNS: &str = "id, started_at, ended_at, outcome, orders_imported, products_read,
    products_written, findings, shopify_calls, billing_calls, detail";

/// Reads one `sync_runs` row selected with [`RUN_COLUMNS`].
fn sync_run(r: &rusqlite::Row<'_>) -> rusqlite::Result<SyncRun> {
    let outcome: Option<String> = r.get(3)?;
    let end = match outcome {
        None => None,
        Some(outcome) => Some(RunEnd {
            outcome,
            orders_imported: r.get(4)?,
            products_read: r.get(5)?,
            products_written: r.get(6)?,
            findings: r.get(7)?,
            shopify_calls: r.get(8)?,
            billing_calls: r.get(9)?,
            detail: r.get(10)?,
        }),
    };
    Ok(SyncRun {
        id: RunId(r.get(0)?),
        started_at: get_ts(r, 1)?,
        ended_at: get_opt_ts(r, 2)?,
        end,
    })
}
