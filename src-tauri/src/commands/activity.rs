//! Activity and history reads from the store (they work offline): `recent_runs`, `audit_page`,
//! `findings` (open, or closed on request) and `stock_history`, and `export_audit_csv` (a CSV file of the filtered audit
//! trail). No engine call; the export is the only thing written, and only to a new file.

use punte_core::product::ProductCode;
use std::path::{Path, PathBuf};

use chrono::Utc;
use punte_store::{AuditEntry, AuditFilter, FindingRow, Page, StockChange, StoreError, SyncRun};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};

use super::{invalid, store_error};
use crate::backend::Backend;
use crate::{Arg, CommandError, ShellState};

/// Most rows one read may ask for.
const MAX_ROWS: u32 = 1000;
/// Open findings the Stock view lists.
const FINDINGS: usize = 500;
/// Audit rows one product's history chart shows.
const HISTORY: usize = 200;

fn rows(limit: u32) -> Result<usize, CommandError> {
    if limit == 0 || limit > MAX_ROWS {
        return Err(invalid(format!(
            "Limita trebuie să fie între 1 și {MAX_ROWS} / The limit must be between 1 and {MAX_ROWS}"
        )));
    }
    Ok(limit as usize)
}

fn code(text: &str) -> Result<ProductCode, CommandError> {
    let text = text.trim();
    if text.is_empty() || text.len() > 255 {
        return Err(invalid(
            "Codul de produs are între 1 și 255 de caractere / A product code is 1 to 255 characters",
        ));
    }
    Ok(ProductCode(text.to_owned()))
}

#[tauri::command]
pub async fn recent_runs(
    backend: State<'_, Backend>,
    limit: Arg<u32>,
) -> Result<Vec<SyncRun>, CommandError> {
    let limit = rows(limit.get("limit")?)?;
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
                Some(t) if t.len() > 255 => Err(invalid(format!(
                    "Filtrul {what} are cel mult 255 de caractere / The {what} filter is at most 255 characters"
                ))),
                Some(t) => Ok(Some(t.to_owned())),
            }
        };
        Ok(AuditFilter {
            code: text(&self.code, "code")?,
            source: text(&self.source, "source")?,
        })
    }
}

#[tauri::command]
pub async fn audit_page(
    backend: State<'_, Backend>,
    query: Arg<AuditQuery>,
) -> Result<Page<AuditEntry, i64>, CommandError> {
    let query = query.get("query")?;
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

/// Where the export was written and how many data rows it holds.
#[derive(Debug, Serialize)]
pub struct ExportResult {
    pub path: String,
    pub rows: u64,
}

/// Writes every audit row matching the filter (`after`/`limit` ignored) as CSV: into the
/// Downloads folder for a normal install, or `<data dir>/exports` when Punte runs on a data folder
/// of its own (tests, demos) or the OS has no Downloads folder. The file is complete or absent:
/// it is written under a temporary name and renamed at the end.
#[tauri::command]
pub async fn export_audit_csv<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, ShellState>,
    backend: State<'_, Backend>,
    query: Arg<AuditQuery>,
) -> Result<ExportResult, CommandError> {
    let filter = query.get("query")?.filter()?;
    let dir = export_dir(&app, &shell.dirs.data);
    let running = backend.running().await?;
    std::fs::create_dir_all(&dir).map_err(|e| export_io(&dir, &e))?;
    let name = format!("punte-audit-{}.csv", Utc::now().format("%Y%m%d-%H%M%S"));
    let path = dir.join(name);
    let partial = path.with_extension("csv.part");
    let file = std::fs::File::create(&partial).map_err(|e| export_io(&partial, &e))?;
    let written = running
        .store
        .call(move |s| {
            let mut out = std::io::BufWriter::new(file);
            let rows = s.export_audit_csv_matching(&filter, &mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            Ok(rows)
        })
        .await;
    let rows = match written {
        Ok(rows) => rows,
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            return Err(match err {
                StoreError::Export(io) => export_io(&partial, &io),
                other => store_error(other),
            });
        }
    };
    std::fs::rename(&partial, &path).map_err(|e| export_io(&path, &e))?;
    tracing::info!(rows, path = %path.display(), "audit exported");
    Ok(ExportResult {
        path: path.display().to_string(),
        rows: rows as u64,
    })
}

/// Downloads for the OS's own data folder; `<data>/exports` otherwise.
pub(super) fn export_dir<R: Runtime>(app: &AppHandle<R>, data: &Path) -> PathBuf {
    let own_data = app.path().app_data_dir().is_ok_and(|d| d == data);
    match app.path().download_dir() {
        Ok(downloads) if own_data && downloads.is_dir() => downloads,
        _ => data.join("exports"),
    }
}

pub(super) fn export_io(path: &Path, err: &std::io::Error) -> CommandError {
    CommandError::new(
        "export.io",
        format!(
            "Fișierul CSV nu a putut fi scris în {0}: {err}. Verificați spațiul liber și drepturile \
             dosarului. / The CSV file could not be written to {0}: {err}. Check the free space and \
             the folder's permissions.",
            path.display()
        ),
    )
}

/// Open findings (the default), or with `closed: true` the ones a run saw gone, most recently
/// closed first.
#[tauri::command]
pub async fn findings(
    backend: State<'_, Backend>,
    closed: Arg<Option<bool>>,
) -> Result<Vec<FindingRow>, CommandError> {
    let closed = closed.get("closed")?.unwrap_or(false);
    let running = backend.running().await?;
    running
        .store
        .call(move |s| {
            if closed {
                s.resolved_findings(FINDINGS)
            } else {
                s.open_findings(FINDINGS)
            }
        })
        .await
        .map_err(store_error)
}

#[tauri::command]
pub async fn stock_history(
    backend: State<'_, Backend>,
    code: Arg<String>,
) -> Result<Vec<StockChange>, CommandError> {
    let product = self::code(&code.get("code")?)?;
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
