//! The first-run path (issue 15): where the merchant is in it (the step is saved, so closing
//! the window keeps the progress), the products health check, and the hold on the scheduled
//! sync. A shop connected through the guided path is never written by a scheduled run before
//! the merchant has seen the preview and pressed "Apply": the engine starts with its schedule
//! off while the path is open, and `finish_first_run` turns it on (restart on the saved shop).

use punte_core::health::{HealthGroup, HealthReport, HealthRow};
use punte_store::{Store, StoreHandle};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::State;

use super::{engine_error, invalid};
use crate::backend::Backend;
use crate::{Arg, CommandError};

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

#[cfg(test)]
mod tests {
    use super::*;

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
