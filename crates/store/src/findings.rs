//! Findings (what keeps a product or an order out of sync, and what to fix) and notifications,
//! both deduplicated by a stable key: the same problem seen on every run is one row whose
//! `last_seen` and `seen_count` move, so the merchant is told once, not every 15 minutes.

use chrono::{DateTime, Utc};
use punte_core::product::{ProductCode, ProductFinding};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::open::Store;
use crate::runs::RunId;
use crate::secrets::{redact, redact_opt};
use crate::sqlval::{get_opt_ts, get_ts, ts};

/// A finding to record. `key` identifies the problem (kind + subject), not its details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub key: String,
    pub kind: String,
    pub code: Option<ProductCode>,
    pub message: String,
    pub what_to_fix: String,
    /// JSON details (e.g. the core finding itself).
    pub detail: Option<String>,
}

impl Finding {
    /// A catalogue finding from the core, keyed by its kind and the code or variant it is about.
    ///
    /// # Errors
    /// Only if the finding cannot be serialised (a bug in its type).
    pub fn from_product(finding: &ProductFinding) -> Result<Self> {
        let value =
            serde_json::to_value(finding).map_err(|e| StoreError::BadValue(e.to_string()))?;
        let kind = value["kind"].as_str().unwrap_or("product").to_owned();
        let code = value["code"].as_str().map(ProductCode::from);
        let subject = code
            .as_ref()
            .map_or_else(|| value["variant_id"].to_string(), |c| c.0.clone());
        Ok(Self {
            key: format!("{kind}:{subject}"),
            message: kind.replace('_', " "),
            kind,
            code,
            what_to_fix: finding.what_to_fix(),
            detail: Some(value.to_string()),
        })
    }
}

/// A stored finding with its dedup bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRow {
    pub id: i64,
    pub finding: Finding,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub seen_count: i64,
    pub resolved_at: Option<DateTime<Utc>>,
    pub run: Option<RunId>,
}

/// A notification to (maybe) show; `key` deduplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub key: String,
    pub kind: String,
    pub title: String,
    pub body: String,
}

impl Store {
    /// Records findings seen at `at`: new ones are inserted, known ones get `last_seen` and
    /// `seen_count` updated and are reopened if they had been resolved.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_findings(
        &mut self,
        findings: &[Finding],
        run: Option<RunId>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO findings (key, kind, code, message, what_to_fix, detail, first_seen,
                    last_seen, run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)
                 ON CONFLICT (key) DO UPDATE SET last_seen = excluded.last_seen,
                    seen_count = seen_count + 1, message = excluded.message,
                    what_to_fix = excluded.what_to_fix, detail = excluded.detail,
                    resolved_at = NULL, run_id = excluded.run_id",
            )?;
            for f in findings {
                stmt.execute(params![
                    f.key,
                    f.kind,
                    f.code.as_ref().map(ProductCode::as_str),
                    redact(&f.message),
                    redact(&f.what_to_fix),
                    redact_opt(f.detail.as_deref()),
                    ts(at),
                    run.map(|r| r.0),
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks resolved every open finding not seen since `since` (e.g. the start of a run that
    /// checked everything); returns how many.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn resolve_findings_not_seen_since(
        &self,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE findings SET resolved_at = ?2 WHERE resolved_at IS NULL AND last_seen < ?1",
            params![ts(since), ts(at)],
        )?)
    }

    /// Marks the open findings with these keys resolved at `at` (a run saw them gone); returns
    /// how many were open. A later `record_findings` of the same key reopens it.
    ///
    /// # Errors
    /// SQLite failure (nothing is changed then).
    pub fn resolve_findings(&mut self, keys: &[String], at: DateTime<Utc>) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE findings SET resolved_at = ?2 WHERE key = ?1 AND resolved_at IS NULL",
            )?;
            for key in keys {
                n += stmt.execute(params![key, ts(at)])?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// Open findings, most recently seen first.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn open_findings(&self, limit: usize) -> Result<Vec<FindingRow>> {
        self.findings_where("resolved_at IS NULL ORDER BY last_seen DESC, id", limit)
    }

    /// Resolved findings, most recently closed first.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn resolved_findings(&self, limit: usize) -> Result<Vec<FindingRow>> {
        self.findings_where(
            "resolved_at IS NOT NULL ORDER BY resolved_at DESC, id DESC",
            limit,
        )
    }

    fn findings_where(&self, filter: &str, limit: usize) -> Result<Vec<FindingRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, key, kind, code, message, what_to_fix, detail, first_seen, last_seen,
                seen_count, resolved_at, run_id
             FROM findings WHERE {filter} LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], |r| {
            Ok(FindingRow {
                id: r.get(0)?,
                finding: Finding {
                    key: r.get(1)?,
                    kind: r.get(2)?,
                    code: r.get::<_, Option<String>>(3)?.map(ProductCode),
                    message: r.get(4)?,
                    what_to_fix: r.get(5)?,
                    detail: r.get(6)?,
                },
                first_seen: get_ts(r, 7)?,
                last_seen: get_ts(r, 8)?,
                seen_count: r.get(9)?,
                resolved_at: get_opt_ts(r, 10)?,
                run: r.get::<_, Option<i64>>(11)?.map(RunId),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a notification; `true` when it should be shown (first time, or seen again after
    /// the merchant dismissed it), `false` for a repeat of one already showing.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn record_notification(&mut self, n: &Notification, at: DateTime<Utc>) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let count: i64 = tx.query_row(
            "INSERT INTO notifications (key, kind, title, body, first_seen, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (key) DO UPDATE SET last_seen = excluded.last_seen,
                seen_count = CASE WHEN dismissed_at IS NULL THEN seen_count + 1 ELSE 1 END,
                title = excluded.title, body = excluded.body, dismissed_at = NULL
             RETURNING seen_count",
            params![n.key, n.kind, redact(&n.title), redact(&n.body), ts(at)],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(count == 1)
    }

    /// The merchant dismissed a notification; seeing it again will show it again.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn dismiss_notification(&self, key: &str, at: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE notifications SET dismissed_at = ?2 WHERE key = ?1",
            params![key, ts(at)],
        )?;
        Ok(())
    }
}
