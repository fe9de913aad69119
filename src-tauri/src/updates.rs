//! Signed auto-update (tauri-plugin-updater): checks the release feed at start and then daily,
//! tells the UI "Update available: X.Y.Z" with the release notes, and installs only when the
//! merchant agrees and no sync run is in progress, then restarts into the new version. The
//! artifact is verified against the minisign public key before anything is touched: a bad
//! signature is refused with a plain message and nothing changes. On a `.deb` install the plugin
//! runs `dpkg -i` through pkexec (or sudo); on Windows the NSIS installer, on macOS the .app swap.
//!
//! The feed defaults to the project's release feed (`plugins.updater.endpoints` in
//! tauri.conf.json). Tests point `PUNTE_UPDATE_URL` at a loopback feed and may name their own
//! throwaway public key in `PUNTE_UPDATE_PUBKEY`; both are refused unless the feed is on this
//! machine, like `PUNTE_SHOPIFY_URL` (`update_feed`).

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::Update;

use crate::CommandError;
pub use crate::update_error::update_error;
use crate::update_feed::updater;

/// Event the UI hears whenever the update state changes (payload: [`UpdateStatus`]).
pub const EVENT_UPDATE: &str = "update://status";
/// The first check waits a little so it never competes with the window's first paint.
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(3);
/// Checks are daily; the loop wakes hourly and compares wall-clock times, so a machine that slept
/// through the day checks on waking.
const CHECK_EVERY: chrono::TimeDelta = chrono::TimeDelta::hours(24);
const WAKE_EVERY: Duration = Duration::from_secs(3600);

/// The release on offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Available {
    pub version: String,
    pub notes: Option<String>,
    pub date: Option<String>,
}

/// Where updating stands, for the banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Idle,
    Checking,
    /// Downloading and verifying the signature.
    Downloading,
    /// Verified; waiting for the sync run in progress to end.
    WaitingForRun,
    Installing,
    /// Installed; the app restarts now.
    Restarting,
}

/// What the UI shows about updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateStatus {
    pub current: String,
    pub phase: Phase,
    pub available: Option<Available>,
    pub last_checked: Option<DateTime<Utc>>,
    pub error: Option<CommandError>,
}

/// Managed state: the status and the update found by the last check.
pub struct Updates {
    status: Mutex<UpdateStatus>,
    found: Mutex<Option<Update>>,
    /// One check or install at a time.
    busy: tokio::sync::Mutex<()>,
}

impl Updates {
    pub fn new(current: String) -> Self {
        Self {
            status: Mutex::new(UpdateStatus {
                current,
                phase: Phase::Idle,
                available: None,
                last_checked: None,
                error: None,
            }),
            found: Mutex::new(None),
            busy: tokio::sync::Mutex::new(()),
        }
    }

    pub fn status(&self) -> UpdateStatus {
        self.status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Whether an install is under way (the tray's "Sync now" waits for the restart).
    pub fn installing(&self) -> bool {
        matches!(
            self.status().phase,
            Phase::WaitingForRun | Phase::Installing | Phase::Restarting
        )
    }

    fn set<R: Runtime>(&self, app: &AppHandle<R>, change: impl FnOnce(&mut UpdateStatus)) {
        let now = {
            let mut s = self
                .status
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            change(&mut s);
            s.clone()
        };
        let _ = app.emit(EVENT_UPDATE, &now);
    }

    fn found(&self) -> Option<Update> {
        self.found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// Asks the feed whether a newer version exists; remembers it and tells the UI.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<UpdateStatus, CommandError> {
    let updates = app.state::<Updates>();
    let Ok(_one) = updates.busy.try_lock() else {
        return Ok(updates.status());
    };
    updates.set(app, |s| {
        s.phase = Phase::Checking;
        s.error = None;
    });
    let result = match updater(app) {
        Ok(u) => u.check().await.map_err(update_error),
        Err(e) => Err(e),
    };
    let now = Utc::now();
    match result {
        Ok(found) => {
            let available = found.as_ref().map(|u| Available {
                version: u.version.clone(),
                notes: u.body.clone(),
                date: u.date.map(|d| d.to_string()),
            });
            tracing::info!(available = ?available.as_ref().map(|a| &a.version), "update check");
            *updates
                .found
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = found;
            updates.set(app, |s| {
                s.phase = Phase::Idle;
                s.available = available;
                s.last_checked = Some(now);
            });
        }
        Err(err) => {
            tracing::warn!(code = err.code, message = %err.message, "update check failed");
            updates.set(app, |s| {
                s.phase = Phase::Idle;
                s.last_checked = Some(now);
                s.error = Some(err);
            });
        }
    }
    Ok(updates.status())
}

/// Downloads and verifies the update found by the last check, waits until no sync run is in
/// progress (the engine takes a pause only between jobs), installs it and restarts. On any error
/// the engine is resumed if it was running, and nothing else has changed.
pub async fn install<R: Runtime>(app: &AppHandle<R>) -> Result<UpdateStatus, CommandError> {
    let updates = app.state::<Updates>();
    let _one = updates.busy.lock().await;
    let Some(update) = updates.found() else {
        return Err(CommandError::new(
            "update.none",
            "Nu există o actualizare de instalat / There is no update to install",
        ));
    };
    updates.set(app, |s| {
        s.phase = Phase::Downloading;
        s.error = None;
    });
    let result = install_steps(app, &updates, &update).await;
    match result {
        Ok(()) => {
            tracing::info!(version = %update.version, "update installed; restarting");
            updates.set(app, |s| s.phase = Phase::Restarting);
            // After the reply has reached the UI; the restart runs the normal exit path first
            // (single-instance lock released, log flushed).
            let handle = app.clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                handle.request_restart();
            });
            Ok(updates.status())
        }
        Err(err) => {
            tracing::warn!(code = err.code, message = %err.message, "update not installed");
            updates.set(app, |s| {
                s.phase = Phase::Idle;
                s.error = Some(err.clone());
            });
            Err(err)
        }
    }
}

async fn install_steps<R: Runtime>(
    app: &AppHandle<R>,
    updates: &Updates,
    update: &Update,
) -> Result<(), CommandError> {
    // `download` verifies the signature (and the version it was signed for) before returning.
    let bytes = update
        .download(|_, _| {}, || {})
        .await
        .map_err(update_error)?;
    updates.set(app, |s| s.phase = Phase::WaitingForRun);
    let paused = crate::quiet::pause_between_runs(app).await?;
    updates.set(app, |s| s.phase = Phase::Installing);
    let update = update.clone();
    let installed = tauri::async_runtime::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(|e| CommandError::new("update.install_failed", e.to_string()))
        .and_then(|r| r.map_err(update_error));
    if installed.is_err() {
        paused.resume().await;
    }
    installed
}

/// The daily check: at start (after a few seconds) and whenever 24 h of wall-clock time have
/// passed since the last one.
pub fn spawn_checks<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_CHECK_AFTER).await;
        loop {
            let _ = check(&app).await;
            loop {
                tokio::time::sleep(WAKE_EVERY).await;
                let last = app.state::<Updates>().status().last_checked;
                if check_due(last, Utc::now()) {
                    break;
                }
            }
        }
    });
}

/// Whether the daily check is due: never checked, or a day of wall-clock time since the last one
/// (a machine that slept through the day checks on waking; a clock set back checks at once).
fn check_due(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last.is_none_or(|t| now - t >= CHECK_EVERY || now < t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_is_daily_by_the_wall_clock() {
        let t: DateTime<Utc> = "2026-12-01T08:00:00Z".parse().expect("time");
        assert!(check_due(None, t));
        assert!(!check_due(Some(t), t + chrono::TimeDelta::hours(23)));
        assert!(check_due(Some(t), t + chrono::TimeDelta::hours(24)));
        assert!(
            check_due(Some(t), t + chrono::TimeDelta::days(3)),
            "after a long sleep"
        );
        assert!(
            check_due(Some(t), t - chrono::TimeDelta::hours(1)),
            "clock set back"
        );
    }
}
