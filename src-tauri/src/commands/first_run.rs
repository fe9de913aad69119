//! The first-run path (issue 15): where the merchant is in it (the step is saved, so closing
//! the window keeps the progress), the products health check, and the hold on the scheduled
//! sync. A shop connected through the guided path is never written by a scheduled run before
//! the merchant has seen the preview and pressed "Apply": the engine starts with its schedule
//! off while the path is open, and `finish_first_run` turns it on (restart on the saved shop).
//! `save_health_csv` writes one group of the check as a file (WebKitGTK does not save
//! `<a download>` links), in the folder the audit export uses.

use punte_core::health::{HealthGroup, HealthReport, HealthRow};
use punte_store::{Store, StoreHandle};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

use chrono::Utc;
use tauri::{AppHandle, Runtime, State};

use super::activity::{ExportResult, export_dir, export_io};
use super::{engine_error, invalid};
use crate::backend::Backend;
use crate::{Arg, CommandError, ShellState};

const KEY_FIRST_RUN: &str = "profile.first_run";

/// The steps of the guided path, in order; `demo` is the welcome's "Try the demo shop".
pub const STEPS: [&str; 6] = ["welcome", "shopify", "billing", "health", "preview", "demo"];

/// What the store keeps of the path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstRun {
    /// The step the merchant is on (`None`: never started).
    pub step: Option<String>,
    /// The first sync was applied: the path is over.
    pub done: bool,
}

impl FirstRun {
    /// Whether scheduled runs wait: the guided path is open past its welcome (the merchant is
    /// connecting a shop, or checking it before its first sync). Left there, the window opens
    /// on that step at every start until the first sync is applied.
    #[must_use]
    pub fn holds_schedule(&self) -> bool {
        !self.done
            && self
                .step
                .as_deref()
                .is_some_and(|s| !matches!(s, "demo" | "welcome"))
    }
}

/// The path as the window sees it.
#[derive(Debug, Clone, Serialize)]
pub struct FirstRunView {
    pub step: Option<String>,
    pub done: bool,
    pub shopify_saved: bool,
    pub billing_saved: bool,
}

fn read(s: &Store) -> punte_store::Result<FirstRun> {
    Ok(s.setting(KEY_FIRST_RUN)?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
}

fn write(s: &Store, f: &FirstRun) -> punte_store::Result<()> {
    let v = serde_json::to_value(f).unwrap_or(Value::Null);
    s.set_setting(KEY_FIRST_RUN, &v, chrono::Utc::now())
}

/// The saved path (the default when nothing is saved or the value is unreadable).
pub async fn load(store: &StoreHandle) -> Result<FirstRun, CommandError> {
    store.call(|s| read(s)).await.map_err(super::store_error)
}

async fn view(store: &StoreHandle) -> Result<FirstRunView, CommandError> {
    store
        .call(|s| {
            let f = read(s)?;
            let kinds: Vec<_> = s.connections()?.into_iter().map(|d| d.kind).collect();
            let shopify_saved = kinds.contains(&punte_store::ServiceKind::Shopify);
            Ok(FirstRunView {
                step: f.step,
                done: f.done,
                shopify_saved,
                billing_saved: kinds.len() > usize::from(shopify_saved),
            })
        })
        .await
        .map_err(super::store_error)
}

#[tauri::command]
pub async fn first_run(backend: State<'_, Backend>) -> Result<FirstRunView, CommandError> {
    view(&backend.profile().await?).await
}

/// Saves the step the merchant is on (one of [`STEPS`]).
#[tauri::command]
pub async fn set_first_run_step(
    backend: State<'_, Backend>,
    step: Arg<String>,
) -> Result<FirstRunView, CommandError> {
    let step = step.get("step")?;
    if !STEPS.contains(&step.as_str()) {
        return Err(invalid(
            "Pas necunoscut al configurării / Unknown setup step",
        ));
    }
    let store = backend.profile().await?;
    store
        .call(move |s| {
            let mut f = read(s)?;
            f.step = Some(step);
            write(s, &f)
        })
        .await
        .map_err(super::store_error)?;
    view(&store).await
}

/// Ends the path after the first sync was applied; the engine starts again on the saved shop,
/// this time with its schedule on.
#[tauri::command]
pub async fn finish_first_run(backend: State<'_, Backend>) -> Result<FirstRunView, CommandError> {
    let store = backend.profile().await?;
    let held = store
        .call(|s| {
            let mut f = read(s)?;
            let held = f.holds_schedule();
            f.done = true;
            f.step = None;
            write(s, &f)?;
            Ok(held)
        })
        .await
        .map_err(super::store_error)?;
    if held && backend.is_demo() == Some(false) {
        backend.restart();
    }
    view(&store).await
}

/// One group of the health check, with its rows.
#[derive(Debug, Clone, Serialize)]
pub struct HealthGroupView {
    pub group: HealthGroup,
    pub count: usize,
    pub rows: Vec<HealthRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HealthView {
    pub groups: Vec<HealthGroupView>,
    pub shopify_variants: usize,
    pub billing_products: usize,
    /// Products the sync will write (the matched ones).
    pub matched: usize,
}

impl From<HealthReport> for HealthView {
    fn from(r: HealthReport) -> Self {
        let matched = r.rows(HealthGroup::Matched).len();
        Self {
            groups: r
                .groups
                .into_iter()
                .map(|(group, rows)| HealthGroupView {
                    group,
                    count: rows.len(),
                    rows,
                })
                .collect(),
            shopify_variants: r.shopify_variants,
            billing_products: r.billing_products,
            matched,
        }
    }
}

/// The products health check on the connected shop: reads only.
#[tauri::command]
pub async fn products_health(backend: State<'_, Backend>) -> Result<HealthView, CommandError> {
    let running = backend.running().await?;
    let report = running
        .engine
        .products_health()
        .await
        .map_err(engine_error)?;
    Ok(report.into())
}

/// Most text one health-check CSV may hold (a 100,000-variant catalogue is about 10 MB).
const MAX_CSV_BYTES: usize = 64 * 1024 * 1024;

/// Writes one group of the health check as the window shows it (`csv`: the window's own rows,
/// header first) to `punte-health-<group>-<time>.csv` in Downloads (or `<data dir>/exports`, as
/// the audit export); answers the path and the rows. Nothing else is read or written.
#[tauri::command]
pub async fn save_health_csv<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, ShellState>,
    group: Arg<HealthGroup>,
    csv: Arg<String>,
) -> Result<ExportResult, CommandError> {
    let group = group.get("group")?;
    let csv = csv.get("csv")?;
    if csv.len() > MAX_CSV_BYTES || !csv.starts_with("code,") {
        return Err(invalid(
            "Fișierul CSV nu are forma verificării produselor / The CSV is not the products \
             health check's",
        ));
    }
    let dir = export_dir(&app, &shell.dirs.data);
    let name = format!(
        "punte-health-{}-{}.csv",
        group_name(group),
        Utc::now().format("%Y%m%d-%H%M%S")
    );
    let written = tauri::async_runtime::spawn_blocking(move || write_csv(&dir, &name, &csv))
        .await
        .map_err(|e| {
            invalid(format!(
                "Scrierea CSV s-a oprit / The CSV write stopped: {e}"
            ))
        })?;
    let (path, rows) = written?;
    tracing::info!(rows, path = %path.display(), "health check group exported");
    Ok(ExportResult {
        path: path.display().to_string(),
        rows,
    })
}

/// `matched`, `only_in_shopify`, … as the window names the groups.
fn group_name(group: HealthGroup) -> String {
    serde_json::to_value(group)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "group".to_owned())
}

/// Writes `csv` to `dir/name`, complete or absent (a temporary name renamed at the end);
/// answers the path and the data rows (lines after the header).
fn write_csv(dir: &Path, name: &str, csv: &str) -> Result<(PathBuf, u64), CommandError> {
    std::fs::create_dir_all(dir).map_err(|e| export_io(dir, &e))?;
    let path = dir.join(name);
    let partial = path.with_extension("csv.part");
    let written = std::fs::File::create(&partial).and_then(|mut f| {
        std::io::Write::write_all(&mut f, csv.as_bytes())?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(export_io(&partial, &e));
    }
    std::fs::rename(&partial, &path).map_err(|e| export_io(&path, &e))?;
    let rows = csv.lines().count().saturating_sub(1) as u64;
    Ok((path, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_health_csv_is_written_whole_under_its_group_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let csv = "code,shopify,billing,stock,note\r\nPT-2,A | B,,,shopify\r\n";
        let (path, rows) =
            write_csv(&dir.path().join("exports"), "punte-health-x.csv", csv).expect("written");
        assert_eq!(rows, 1);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), csv);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("exports"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["punte-health-x.csv"], "no partial file left");
        assert_eq!(group_name(HealthGroup::DuplicateCodes), "duplicate_codes");
    }

    #[test]
    fn only_an_open_path_on_a_real_step_holds_the_schedule() {
        let at = |step: Option<&str>, done| FirstRun {
            step: step.map(str::to_owned),
            done,
        };
        // Installs from before the guided path (nothing saved) keep their schedule.
        assert!(!at(None, false).holds_schedule());
        assert!(!at(Some("demo"), false).holds_schedule());
        // Profile's "Guided setup" opens the welcome: a shop already syncing keeps its schedule.
        assert!(!at(Some("welcome"), false).holds_schedule());
        assert!(at(Some("shopify"), false).holds_schedule());
        assert!(at(Some("billing"), false).holds_schedule());
        assert!(at(Some("preview"), false).holds_schedule());
        assert!(!at(Some("preview"), true).holds_schedule());
    }
}
