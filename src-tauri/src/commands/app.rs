//! The app's own upkeep: updates (`update_status`, `check_update`, `install_update`) and start
//! at login (`login_start`, `set_login_start`). Thin: the work is in `updates` and `login_start`.

use tauri::{AppHandle, Runtime, State};

use crate::login_start::{self, LoginStart};
use crate::updates::{self, UpdateStatus, Updates};
use crate::{Arg, CommandError};

#[tauri::command]
pub fn update_status(updates: State<'_, Updates>) -> UpdateStatus {
    updates.status()
}

#[tauri::command]
pub async fn check_update<R: Runtime>(app: AppHandle<R>) -> Result<UpdateStatus, CommandError> {
    updates::check(&app).await
}

/// Installs the update found by the last check (the merchant clicked "Install and restart").
#[tauri::command]
pub async fn install_update<R: Runtime>(app: AppHandle<R>) -> Result<UpdateStatus, CommandError> {
    updates::install(&app).await
}

#[tauri::command]
pub async fn login_start<R: Runtime>(app: AppHandle<R>) -> Result<LoginStart, CommandError> {
    login_start::view(&app).await
}

#[tauri::command]
pub async fn set_login_start<R: Runtime>(
    app: AppHandle<R>,
    enabled: Arg<bool>,
) -> Result<LoginStart, CommandError> {
    login_start::set(&app, enabled.get("enabled")?).await
}
