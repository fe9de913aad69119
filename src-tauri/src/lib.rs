//! The Punte desktop shell: wires plugins, logging, the tray and the commands around the engine.
//! It holds no business rules; those live in the library crates so they test without WebKit.

mod args;
mod backend;
mod commands;
mod demo;
mod dirs;
mod error;
mod keychain;
mod language;
mod logging;
mod login_start;
mod notifier;
mod notify_findings;
mod notify_words;
mod outlet;
mod quiet;
mod tray;
mod update_error;
mod update_feed;
mod updates;
mod wording;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use tauri::ipc::Invoke;
use tauri::{AppHandle, Manager, RunEvent, Runtime, WindowEvent};

pub use args::Arg;
pub use backend::{DEMO_ENV, EVENT_ENGINE};
pub use commands::profile_urls::{BILLING_URL_ENV, SHOPIFY_URL_ENV};
pub use dirs::{AppDirs, DATA_DIR_ENV};
pub use error::CommandError;
pub use keychain::{Keychain, KeychainError};
pub use login_start::AUTOSTART_ARG;
pub use tray::{
    EVENT_SYNC_REQUESTED, MENU, MENU_OPEN, MENU_PAUSE, MENU_QUIT, MENU_RESUME, MENU_SYNC_NOW,
    TrayAction, handle_menu as handle_tray_menu,
};
pub use update_feed::{UPDATE_PUBKEY_ENV, UPDATE_URL_ENV};
pub use updates::EVENT_UPDATE;

/// State shared by the commands.
pub struct ShellState {
    pub dirs: AppDirs,
    /// The app's version (tauri.conf.json falls back to the workspace's Cargo.toml version): the
    /// one the window shows and the updater compares.
    pub version: String,
    /// How many times the UI has reached the backend; proves a live round trip in the smoke test.
    pub round_trips: AtomicU64,
    /// Flushes the rolling log file when the app exits.
    _log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Every command the web view may call (also listed in build.rs and capabilities/main.json).
pub fn invoke_handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::app_status,
        commands::engine::engine_status,
        commands::engine::sync_now,
        commands::engine::pause_sync,
        commands::engine::resume_sync,
        commands::orders::orders_page,
        commands::orders::order_detail,
        commands::orders::issue_invoices,
        commands::orders::mark_dispatched,
        commands::orders::resolve_review,
        commands::stock::stock_overview,
        commands::stock::preview_sync,
        commands::stock::apply_sync,
        commands::activity::recent_runs,
        commands::activity::audit_page,
        commands::activity::export_audit_csv,
        commands::activity::findings,
        commands::activity::stock_history,
        commands::demo::demo_status,
        commands::demo::simulate_order,
        commands::demo::simulate_receipt,
        commands::demo::simulate_drift,
        commands::demo::simulate_offline,
        commands::profile::connections,
        commands::profile::test_connection,
        commands::profile::save_connection,
        commands::profile::preferences,
        commands::profile::save_preferences,
        commands::first_run::first_run,
        commands::first_run::set_first_run_step,
        commands::first_run::finish_first_run,
        commands::first_run::products_health,
        commands::first_run::save_health_csv,
        commands::app::update_status,
        commands::app::check_update,
        commands::app::install_update,
        commands::app::login_start,
        commands::app::set_login_start,
        language::ui_language,
        language::set_ui_language,
        commands::locations::location_mapping,
        commands::locations::save_location_mapping,
        commands::kits::kits,
        commands::kits::save_kit,
        commands::kits::delete_kit,
        commands::collections::mark_collected,
        commands::collections::unpaid_cod_count,
    ]
}

/// For the IPC tests (Tauri's mock runtime): starts the backend on `data_dir` with `secrets`
/// (e.g. `MemorySecrets`, so no Secret Service is needed) and manages it, as `run` does.
pub fn manage_backend<R: Runtime>(
    app: &AppHandle<R>,
    data_dir: PathBuf,
    secrets: Arc<dyn punte_engine::SecretStore>,
) {
    app.manage(backend::spawn(app.clone(), data_dir, secrets));
    login_start::watch_first_connection(app.clone(), false);
}

/// Builds and runs the app until the user quits from the tray or the window.
pub fn run() {
    // reqwest is built with rustls and no provider of its own: install ring once, before any
    // client exists (a second install is refused and harmless).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data_override = dirs::data_dir_override();
    let at_login = login_start::started_at_login();
    let mut context = tauri::generate_context!();
    let feed = update_feed::feed_override();
    let mut updater = tauri_plugin_updater::Builder::new();
    if let Ok(Some((_, pubkey))) = &feed {
        // Test-only, loopback only: the local feed is plain HTTP and signed with the test's key.
        allow_http_update_feed(&mut context);
        if let Some(key) = pubkey {
            updater = updater.pubkey(key.clone());
        }
    }
    let builder = tauri::Builder::default()
        // First, so a second launch hands over to the running instance before anything else runs.
        .plugin(single_instance(data_override.as_deref()))
        .plugin(tauri_plugin_notification::init())
        .plugin(updater.build())
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .args([login_start::AUTOSTART_ARG])
                .build(),
        )
        .invoke_handler(invoke_handler())
        .setup(move |app| {
            app.manage(update_feed::UpdaterPlugin);
            let dirs = AppDirs::resolve(app.handle(), data_override.as_deref())?;
            let log_guard = logging::init(&dirs.logs)?;
            let version = app.package_info().version.to_string();
            tracing::info!(data = %dirs.data.display(), %version, at_login, "Punte started");
            if let Err(err) = &feed {
                tracing::error!(code = err.code, message = %err.message, "update feed override refused");
            }
            let keychain = Keychain::new(match data_override.as_deref() {
                Some(dir) => dirs::instance_id(dir),
                None => app.config().identifier.clone(),
            });
            manage(app.handle(), dirs, Arc::new(keychain), log_guard);
            login_start::watch_first_connection(app.handle().clone(), data_override.is_some());
            // Tests and demos (their own PUNTE_DATA_DIR) never reach the public release feed: they
            // check only a loopback feed they name.
            if data_override.is_none() || matches!(feed, Ok(Some(_))) {
                updates::spawn_checks(app.handle().clone());
            } else {
                tracing::info!("automatic update checks off: PUNTE_DATA_DIR without PUNTE_UPDATE_URL");
            }
            let has_tray = match tray::build(app.handle()) {
                Ok(()) => true,
                Err(err) => {
                    // Some desktops have no status area (no appindicator); the window still works.
                    tracing::warn!(error = %err, "no tray icon; closing the window will quit");
                    false
                }
            };
            app.manage(tray::TrayPresence(has_tray));
            if at_login && has_tray {
                // Started by the login entry: keep syncing in the tray; "Open" shows the window.
                tracing::info!("started at login: in the tray, no window");
            } else {
                tray::show_main_window(app.handle());
            }
            notifier::on_action(app.handle());
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                let has_tray = window.state::<tray::TrayPresence>().0;
                if has_tray {
                    // Closing the window keeps Punte syncing in the tray; Quit is in the tray menu.
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        });

    let app = builder
        .build(context)
        .unwrap_or_else(|err| panic!("Punte could not start its window: {err}"));
    app.run(|_app, event| {
        if let RunEvent::Exit = event {
            tracing::info!("Punte stopped");
        }
    });
}

/// Lets the updater reach a plain-HTTP feed. Called only when `PUNTE_UPDATE_URL` names a
/// loopback feed (checked by `update_feed::feed_override`), never for the release feed.
fn allow_http_update_feed<R: Runtime>(context: &mut tauri::Context<R>) {
    if let Some(serde_json::Value::Object(updater)) =
        context.config_mut().plugins.0.get_mut("updater")
    {
        updater.insert(
            "dangerousInsecureTransportProtocol".into(),
            serde_json::Value::Bool(true),
        );
    }
}

/// Manages what the commands read: the backend started in `dirs.data` (the demo shop when no
/// shop is connected) and the shell state. The app's setup calls this; the IPC tests call it on a
/// mock app with a temporary folder, so they run the same startup as the real app.
/// The tests pass in-memory secrets, so they never touch the desktop's keychain.
pub fn manage_state<R: Runtime>(app: &AppHandle<R>, dirs: AppDirs) {
    manage(
        app,
        dirs,
        Arc::new(punte_engine::MemorySecrets::default()),
        None,
    );
}

fn manage<R: Runtime>(
    app: &AppHandle<R>,
    dirs: AppDirs,
    secrets: Arc<dyn punte_engine::SecretStore>,
    log_guard: Option<tracing_appender::non_blocking::WorkerGuard>,
) {
    // Notifications speak the OS language until the saved choice (or the window) says otherwise.
    app.manage(language::UiLanguage::from_os());
    // The engine starts on the async runtime; commands wait for it, the window does not.
    app.manage(backend::spawn(app.clone(), dirs.data.clone(), secrets));
    let version = app.package_info().version.to_string();
    app.manage(updates::Updates::new(version.clone()));
    language::load_saved(app);
    app.manage(ShellState {
        dirs,
        version,
        round_trips: AtomicU64::new(0),
        _log_guard: log_guard,
    });
}

/// One running Punte per data directory: a second launch focuses the first window instead of
/// starting a second sync loop. Tests that use their own data directory get their own instance.
fn single_instance<R: tauri::Runtime>(
    data_override: Option<&std::path::Path>,
) -> tauri::plugin::TauriPlugin<R> {
    let mut plugin = tauri_plugin_single_instance::Builder::new().callback(|app, _args, _cwd| {
        tray::show_main_window(app);
    });
    if let Some(dir) = data_override {
        plugin = plugin.dbus_id(dirs::instance_id(dir));
    }
    plugin.build()
}
