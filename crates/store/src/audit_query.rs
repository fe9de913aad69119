//! Filtered reads of the stock-change audit trail for the Activity screen: a product-code
//! substring and an exact source, applied in SQL so keyset pages stay full and the CSV export
//! writes exactly the rows the merchant filtered.

use std::io::Write;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::export::write_record;
use crate::open::Store;
use crate::order_query::{Page, escape_like};
use crate::runs::{AuditEntry, audit_entry};

/// Which audit rows to read; `None` (or blank) matches every row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Part of the product code (case-insensitive for ASCII letters).
    pub code: Option<String>,
    /// The exact source word ("sync", "manual", …).
    pub source: Option<String>,
}

const COLUMNS: &str =
    "id, at, code, inventory_item_id, qty_before, qty_after, reason, source, run_id";

impl AuditFilter {
    /// The `WHERE` clause over `?1` (code pattern), `?2` (source) and `?3` (id before).
    fn clause(&self) -> (&'static str, Option<String>, Option<String>) {
        let pattern = self
            .code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| format!("%{}%", escape_like(c)));
        let source = self
            .source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        (
            "(?1 IS NULL OR code LIKE ?1 ESCAPE '\\') AND (?2 IS NULL OR source = ?2) \
             AND (?3 IS NULL OR id < ?3)",
            pattern,
            source,
        )
    }
}

impl Store {
    /// A page of the audit rows matching `filter`, newest first; `before` is the id of the last
    /// entry of the previous page.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn audit_search(
        &self,
        filter: &AuditFilter,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Page<AuditEntry, i64>> {
        let (clause, pattern, source) = filter.clause();
        let sql =
            format!("SELECT {COLUMNS} FROM stock_audit WHERE {clause} ORDER BY id DESC LIMIT ?4");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![pattern, source, before, limit + 1], audit_entry)?;
        let mut items: Vec<AuditEntry> = rows.collect::<rusqlite::Result<_>>()?;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|e| e.id)
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Writes every audit row matching `filter` as CSV, oldest first (streamed, RFC 4180,
    /// formula-safe as in [`Store::export_audit_csv`]); returns the number of rows.
    ///
    /// # Errors
    /// SQLite or write failure.
    pub fn export_audit_csv_matching(
        &self,
        filter: &AuditFilter,
        out: &mut dyn Write,
    ) -> Result<usize> {
        out.write_all(b"id,at,code,inventory_item_id,before,after,reason,source,run_id\r\n")?;
        let (clause, pattern, source) = filter.clause();
        let sql = format!("SELECT {COLUMNS} FROM stock_audit WHERE {clause} ORDER BY id");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params![pattern, source, Option::<i64>::None])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            let e = audit_entry(row)?;
            let c = &e.change;
            let fields = [
                e.id.to_string(),
                c.at.to_rfc3339(),
                c.code.0.clone(),
                c.inventory_item_id
                    .map(|i| i.0.to_string())
                    .unwrap_or_default(),
                c.before.map(|b| b.to_string()).unwrap_or_default(),
                c.after.to_string(),
                c.reason.clone(),
                c.source.clone(),
                c.run.map(|r| r.0.to_string()).unwrap_or_default(),
            ];
            write_record(out, &fields, &[2, 6, 7])?;
            n += 1;
        }
        Ok(n)
    }
}
