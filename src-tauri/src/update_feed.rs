//! Which release feed the updater reads: the project's own (`plugins.updater.endpoints` in
//! tauri.conf.json), or, for tests only, a loopback feed named in `PUNTE_UPDATE_URL` with its
//! throwaway key in `PUNTE_UPDATE_PUBKEY` (both refused unless the feed is on this machine); and
//! the updater itself, which only an app with the plugin registered has.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::UpdaterExt;

use crate::CommandError;
use crate::commands::profile_urls::checked_override;
use crate::update_error::update_error;

/// Test-only: the update feed (a loopback URL) instead of the project's release feed.
pub const UPDATE_URL_ENV: &str = "PUNTE_UPDATE_URL";
/// Test-only: the minisign public key (base64, as in tauri.conf.json) trusted for a loopback feed.
pub const UPDATE_PUBKEY_ENV: &str = "PUNTE_UPDATE_PUBKEY";
/// The feed override, validated: `Ok(None)` when unset.
pub fn feed_override() -> Result<Option<(String, Option<String>)>, CommandError> {
    let Some(raw) = std::env::var(UPDATE_URL_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        if std::env::var_os(UPDATE_PUBKEY_ENV).is_some() {
            return Err(CommandError::new(
                "config.override_refused",
                format!(
                    "{UPDATE_PUBKEY_ENV} se folosește doar cu un {UPDATE_URL_ENV} local (teste); \
                     ștergeți variabila. / {UPDATE_PUBKEY_ENV} is only used with a local \
                     {UPDATE_URL_ENV} (tests); unset it."
                ),
            ));
        }
        return Ok(None);
    };
    let url = checked_override(UPDATE_URL_ENV, &raw)?;
    let pubkey = std::env::var(UPDATE_PUBKEY_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty());
    Ok(Some((url, pubkey)))
}

/// Managed once the updater plugin is registered (`run`); without it (the IPC tests' mock app)
/// the update commands answer `update.unavailable` instead of the plugin's panic.
pub struct UpdaterPlugin;

pub(crate) fn updater<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<tauri_plugin_updater::Updater, CommandError> {
    if app.try_state::<UpdaterPlugin>().is_none() {
        return Err(CommandError::new(
            "update.unavailable",
            "Actualizările nu sunt disponibile în această copie a Punte / Updates are not \
             available in this copy of Punte",
        ));
    }
    let mut builder = app.updater_builder().timeout(Duration::from_secs(60));
    if let Some((url, _)) = feed_override()? {
        let url = url.parse().map_err(|_| {
            CommandError::new(
                "config.override_refused",
                format!("{UPDATE_URL_ENV}: {url}"),
            )
        })?;
        builder = builder.endpoints(vec![url]).map_err(update_error)?;
    }
    builder.build().map_err(update_error)
}
