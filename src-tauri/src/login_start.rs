//! Start at login (tauri-plugin-autostart): the XDG autostart entry on Linux, a LaunchAgent on
//! macOS, the Run key on Windows; the entry starts Punte with [`AUTOSTART_ARG`], which opens it in
//! the tray without a window. The first time the engine runs on a real shop the entry is turned
//! on, once; after that only the merchant's choice (Profile) turns it on or off, and that choice
//! is remembered in the profile store so a later start never overrides it.
//!
//! With `PUNTE_DATA_DIR` set (tests, demos) the automatic turn-on is skipped: the entry would
//! start a Punte on the default data folder, not on the test's.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::{AutoLaunchManager, ManagerExt};

use crate::CommandError;
use crate::backend::{Backend, Phase};

/// The argument the login entry starts Punte with.
pub const AUTOSTART_ARG: &str = "--autostart";
/// Profile-store key of the remembered decision.
const KEY: &str = "shell.login_start";

/// What the profile store remembers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// When the first connection to a real shop turned the entry on.
    pub turned_on_at_first_connection: Option<DateTime<Utc>>,
    /// The merchant's own choice, which always wins.
    pub merchant_choice: Option<bool>,
}

impl Decision {
    /// Whether a start on the real shop should turn the entry on now: only if nothing was
    /// decided before (neither by a first connection nor by the merchant).
    #[must_use]
    pub fn turn_on_at_connection(&self) -> bool {
        self.turned_on_at_first_connection.is_none() && self.merchant_choice.is_none()
    }
}

/// What the Profile's switch shows.
#[derive(Debug, Clone, Serialize)]
pub struct LoginStart {
    /// Whether the platform's login entry exists now.
    pub enabled: bool,
    /// The merchant chose (rather than the first connection).
    pub chosen_by_merchant: bool,
}

/// Whether this process was started by the login entry.
pub fn started_at_login() -> bool {
    std::env::args_os().skip(1).any(|a| a == AUTOSTART_ARG)
}

fn manager<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<tauri::State<'_, AutoLaunchManager>, CommandError> {
    app.try_state::<AutoLaunchManager>()
        .map(|_| app.autolaunch())
        .ok_or_else(|| CommandError::new("login_start.unavailable", unavailable("")))
}

fn unavailable(detail: &str) -> String {
    format!(
        "Pornirea la autentificare nu se poate schimba pe acest sistem / Start at login cannot \
         be changed on this system {detail}"
    )
}

async fn load<R: Runtime>(app: &AppHandle<R>) -> Result<Decision, CommandError> {
    let store = app.state::<Backend>().profile().await?;
    store
        .call(|s| s.setting(KEY))
        .await
        .map(|v| {
            v.and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default()
        })
        .map_err(crate::commands::store_error)
}

async fn save<R: Runtime>(app: &AppHandle<R>, d: Decision) -> Result<(), CommandError> {
    let store = app.state::<Backend>().profile().await?;
    let v = serde_json::to_value(d).unwrap_or_default();
    store
        .call(move |s| s.set_setting(KEY, &v, Utc::now()))
        .await
        .map_err(crate::commands::store_error)
}

/// The switch's state.
pub async fn view<R: Runtime>(app: &AppHandle<R>) -> Result<LoginStart, CommandError> {
    let enabled = manager(app)?
        .is_enabled()
        .map_err(|e| CommandError::new("login_start.unavailable", unavailable(&e.to_string())))?;
    Ok(LoginStart {
        enabled,
        chosen_by_merchant: load(app).await?.merchant_choice.is_some(),
    })
}

/// The merchant turns the login entry on or off; remembered for good.
pub async fn set<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<LoginStart, CommandError> {
    let m = manager(app)?;
    let r = if on { m.enable() } else { m.disable() };
    r.map_err(|e| CommandError::new("login_start.unavailable", unavailable(&e.to_string())))?;
    let mut d = load(app).await?;
    d.merchant_choice = Some(on);
    save(app, d).await?;
    tracing::info!(on, "start at login set by the merchant");
    view(app).await
}

/// Watches the backend: the first time it runs on a real shop, turns the login entry on.
pub fn watch_first_connection<R: Runtime>(app: AppHandle<R>, data_override: bool) {
    if app.try_state::<AutoLaunchManager>().is_none() {
        return; // the IPC tests without the plugin
    }
    let mut phases = app.state::<Backend>().phases();
    tauri::async_runtime::spawn(async move {
        loop {
            let on_real_shop =
                matches!(&*phases.borrow_and_update(), Phase::Ready(r) if r.demo.is_none());
            if on_real_shop {
                if let Err(err) = first_connection(&app, data_override).await {
                    tracing::warn!(code = err.code, message = %err.message, "start at login not turned on");
                }
                return;
            }
            if phases.changed().await.is_err() {
                return;
            }
        }
    });
}

async fn first_connection<R: Runtime>(
    app: &AppHandle<R>,
    data_override: bool,
) -> Result<(), CommandError> {
    let mut d = load(app).await?;
    if !d.turn_on_at_connection() {
        return Ok(());
    }
    if data_override {
        tracing::info!("start at login left off: PUNTE_DATA_DIR names a test or demo folder");
        return Ok(());
    }
    manager(app)?
        .enable()
        .map_err(|e| CommandError::new("login_start.unavailable", unavailable(&e.to_string())))?;
    d.turned_on_at_first_connection = Some(Utc::now());
    save(app, d).await?;
    tracing::info!("first connection to a real shop: start at login turned on");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_undecided_profile_is_turned_on_at_connection() {
        let mut d = Decision::default();
        assert!(d.turn_on_at_connection());
        d.turned_on_at_first_connection = Some(Utc::now());
        assert!(!d.turn_on_at_connection(), "only the first connection");
        let d = Decision {
            merchant_choice: Some(false),
            ..Decision::default()
        };
        assert!(
            !d.turn_on_at_connection(),
            "the merchant's 'off' is never overridden"
        );
    }
}
