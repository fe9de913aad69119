//! The tray icon, built at runtime. Every action is a menu item because Linux tray icons emit no
//! click events. "Sync now" asks the engine for a sync (and tells the UI, which shows it);
//! Pause/Resume stop and restart the scheduled syncs. None touches a saved preference.

use punte_engine::SyncScope;
use tauri::{
    AppHandle, Emitter, Manager, Runtime,
    menu::{Menu, MenuItem, PredefinedMenuItem},
    tray::TrayIconBuilder,
};

use crate::backend::Backend;

pub const MENU_OPEN: &str = "tray.open";
pub const MENU_SYNC_NOW: &str = "tray.sync_now";
pub const MENU_PAUSE: &str = "tray.pause";
pub const MENU_RESUME: &str = "tray.resume";
pub const MENU_QUIT: &str = "tray.quit";

/// Event the UI hears when the tray asks for a sync (`sync://requested`, payload: the source).
pub const EVENT_SYNC_REQUESTED: &str = "sync://requested";

/// Whether a tray icon exists; without one, closing the window quits.
pub struct TrayPresence(pub bool);

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, MENU_OPEN, "Deschide Punte / Open", true, None::<&str>)?;
    let sync = MenuItem::with_id(
        app,
        MENU_SYNC_NOW,
        "Sincronizează acum / Sync now",
        true,
        None::<&str>,
    )?;
    let pause = MenuItem::with_id(
        app,
        MENU_PAUSE,
        "Oprește sincronizarea / Pause sync",
        true,
        None::<&str>,
    )?;
    let resume = MenuItem::with_id(
        app,
        MENU_RESUME,
        "Reia sincronizarea / Resume sync",
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, MENU_QUIT, "Ieșire / Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &sync, &pause, &resume, &separator, &quit])?;
    let icon = app.default_window_icon().cloned().ok_or_else(|| {
        tauri::Error::AssetNotFound("window icon (bundle.icon in tauri.conf.json)".into())
    })?;
    TrayIconBuilder::with_id("punte")
        .icon(icon)
        .tooltip("Punte")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| match event.id().as_ref() {
            MENU_OPEN => show_main_window(app),
            MENU_SYNC_NOW => {
                tracing::info!(source = "tray", "sync requested");
                let _ = app.emit(EVENT_SYNC_REQUESTED, "tray");
                engine_action(app, TrayAction::SyncNow);
            }
            MENU_PAUSE => engine_action(app, TrayAction::Pause),
            MENU_RESUME => engine_action(app, TrayAction::Resume),
            MENU_QUIT => app.exit(0),
            other => tracing::warn!(id = other, "unknown tray menu item"),
        })
        .build(app)?;
    Ok(())
}

/// Shows, unminimises and focuses the main window.
pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

enum TrayAction {
    SyncNow,
    Pause,
    Resume,
}

/// Runs a tray action on the engine in the background (never on the menu's thread); the result
/// reaches the UI through the engine's own events.
fn engine_action<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let backend = app.state::<Backend>();
        let running = match backend.running().await {
            Ok(r) => r,
            Err(err) => {
                tracing::warn!(code = err.code, "tray action without an engine");
                return;
            }
        };
        match action {
            TrayAction::SyncNow => {
                if let Err(err) = running.engine.sync_now(SyncScope::All).await {
                    tracing::warn!(code = err.code(), "tray sync failed");
                }
            }
            TrayAction::Pause => running.engine.pause().await,
            TrayAction::Resume => running.engine.resume().await,
        }
    });
}
