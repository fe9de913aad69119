//! Activity and history reads from the store (they work offline): `recent_runs`, `audit_page`,
//! `findings` and `stock_history`. No engine call, nothing written.

use punte_core::product::ProductCode;
use punte_store::{AuditEntry, AuditFilter, FindingRow, Page, StockChange, SyncRun};
use serde::Deserialize;
use tauri::State;

use super::{invalid, store_error};
use crate::CommandError;
use crate::backend::Backend;

/// Most rows one read may ask for.
const MAX_ROWS: u32 = 1000;
/// Open findings the Stock view lists.
const FINDINGS: usize = 500;
/// Audit rows one product's history chart shows.
const HISTORY: usize = 200;

fn rows(limit: u32) -> Result<usize, CommandError> {
    if limit == 0 || limit > MAX_ROWS {
        return Err(invalid(format!("limit must be between 1 and {MAX_ROWS}")));
    }
    Ok(limit as usize)
}

fn code(text: &str) -> Result<ProductCode, CommandError> {
    let text = text.trim();
    if text.is_empty() || text.len() > 255 {
        return Err(invalid("a product code is 1 to 255 characters"));
    }
    Ok(ProductCode(text.to_owned()))
}

#[tauri::command]
pub async fn recent_runs(
    backend: State<'_, Backend>,
    limit: u32,
) -> Result<Vec<SyncRun>, CommandError> {
    let limit = rows(limit)?;
    let running = backend.running().await?;
    running
        .store
        .call(move |s| s.recent_runs(limit))
        .await
        .map_err(store_error)
}

/// The audit filter as the UI sends it. `code` is part of a product code (substring, any
/// case); `source` is one exact source word. Both are applied by the store before the limit, so
/// pages stay full.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub after: Option<i64>,
    pub limit: u32,
}

impl AuditQuery {
    /// The store filter, with the same length limit as a product code.
    pub fn filter(&self) -> Result<AuditFilter, CommandError> {
        let text = |v: &Option<String>, what: &str| -> Result<Option<String>, CommandError> {
            match v.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(t) if t.len() > 255 => {
                    Err(invalid(format!("{what} is at most 255 characters")))
                }
                Some(t) => Ok(Some(t.to_owned())),
            }
        };
        Ok(AuditFilter {
            code: text(&self.code, "the code filter")?,
            source: text(&self.source, "the source filter")?,
        })
    }
}

#[tauri::command]
pub async fn audit_page(
    backend: State<'_, Backend>,
    query: AuditQuery,
) -> Result<Page<AuditEntry, i64>, CommandError> {
    let limit = rows(query.limit)?;
    let filter = query.filter()?;
    let after = query.after;
    let running = backend.running().await?;
    running
        .store
        .call(move |s| s.audit_search(&filter, after, limit))
        .await
        .map_err(store_error)
}

#[tauri::command]
pub async fn findings(backend: State<'_, Backend>) -> Result<Vec<FindingRow>, CommandError> {
    let running = backend.running().await?;
    running
        .store
        .call(|s| s.open_findings(FINDINGS))
        .await
        .map_err(store_error)
}

#[tauri::command]
pub async fn stock_history(
    backend: State<'_, Backend>,
    code: String,
) -> Result<Vec<StockChange>, CommandError> {
    let product = self::code(&code)?;
    let running = backend.running().await?;
    let page = running
        .store
        .call(move |s| s.audit_page(Some(&product), None, HISTORY))
        .await
        .map_err(store_error)?;
    Ok(page.items.into_iter().map(|e| e.change).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_limits_and_codes_are_refused() {
        assert_eq!(rows(0).unwrap_err().code, "input.invalid");
        assert_eq!(rows(MAX_ROWS + 1).unwrap_err().code, "input.invalid");
        assert_eq!(rows(50).unwrap(), 50);
        assert_eq!(code("  ").unwrap_err().code, "input.invalid");
        assert_eq!(code(" PNT-1 ").unwrap().0, "PNT-1");
    }
}
