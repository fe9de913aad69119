//! Commands the web view may call (each one is also listed in build.rs and allowed in
//! capabilities/main.json). They stay thin: read state, call the engine, map errors.
//! Grouped by view: [`engine`] (status bar), [`orders`], [`stock`], [`activity`], [`demo`],
//! [`profile`] (with its form, checks, store and preferences in `profile_*`), [`locations`] and
//! [`kits`] (issue 18).

pub mod activity;
pub mod app;
mod check_billing;
mod check_shopify;
pub mod collections;
pub mod demo;
pub mod engine;
pub mod first_run;
pub mod kits;
pub mod locations;
pub mod order_documents;
pub mod orders;
pub mod profile;
mod profile_check;
mod profile_error;
pub(crate) mod profile_form;
mod profile_prefs;
pub(crate) mod profile_store;
pub(crate) mod profile_urls;
mod profile_values;
mod profile_view;
mod review_args;
pub mod stock;
mod stock_located;

use std::sync::atomic::Ordering;

use serde::Serialize;
use tauri::State;

use crate::{CommandError, ShellState};

/// What the status bar shows about the running backend.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    pub log_dir: String,
    /// Counts calls since start, so the UI (and the smoke test) can see a live answer.
    pub round_trips: u64,
}

#[tauri::command]
pub fn app_status(state: State<'_, ShellState>) -> Result<AppStatus, CommandError> {
    let round_trips = state.round_trips.fetch_add(1, Ordering::Relaxed) + 1;
    tracing::debug!(round_trips, "app_status");
    Ok(AppStatus {
        version: state.version.clone(),
        data_dir: state.dirs.data.display().to_string(),
        log_dir: state.dirs.logs.display().to_string(),
        round_trips,
    })
}

pub use crate::wording::{engine_error, store_error};

/// A rejected argument ("ro / en"): nothing was changed.
pub fn invalid(message: impl Into<String>) -> CommandError {
    CommandError::new("input.invalid", message)
}
