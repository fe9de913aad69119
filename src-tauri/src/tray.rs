//! The tray icon, built at runtime. Every action is a menu item because Linux tray icons emit no
//! click events. "Sync now" runs a sync without touching any saved preference.

use tauri::{
    AppHandle, Emitter, Manager, Runtime,
    menu::{Menu, MenuItem, PredefinedMenuItem},
    tray::TrayIconBuilder,
};

pub const MENU_OPEN: &str = "tray.open";
pub const MENU_SYNC_NOW: &str = "tray.sync_now";
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
    let quit = MenuItem::with_id(app, MENU_QUIT, "Ieșire / Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &sync, &separator, &quit])?;
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
            }
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
