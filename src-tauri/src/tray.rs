//! The tray icon, built at runtime. Every action is a menu item because Linux tray icons emit no
//! click events. "Sync now" asks the engine for a sync (and tells the UI, which shows it);
//! Pause/Resume stop and restart the scheduled syncs. None touches a saved preference.

use punte_engine::SyncScope;
use tauri::async_runtime::JoinHandle;
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

/// The menu, top to bottom: (item id, label); a separator comes before the last item (Quit).
pub const MENU: [(&str, &str); 5] = [
    (MENU_OPEN, "Deschide Punte / Open"),
    (MENU_SYNC_NOW, "Sincronizează acum / Sync now"),
    (MENU_PAUSE, "Oprește sincronizarea / Pause sync"),
    (MENU_RESUME, "Reia sincronizarea / Resume sync"),
    (MENU_QUIT, "Ieșire / Quit"),
];

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let menu = Menu::new(app)?;
    for (i, (id, label)) in MENU.iter().enumerate() {
        if i == MENU.len() - 1 {
            menu.append(&PredefinedMenuItem::separator(app)?)?;
        }
        menu.append(&MenuItem::with_id(app, *id, *label, true, None::<&str>)?)?;
    }
    let icon = app.default_window_icon().cloned().ok_or_else(|| {
        tauri::Error::AssetNotFound("window icon (bundle.icon in tauri.conf.json)".into())
    })?;
    TrayIconBuilder::with_id("punte")
        .icon(icon)
        .tooltip("Punte")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| {
            handle_menu(app, event.id().as_ref());
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

/// What a tray menu item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    Open,
    SyncNow,
    Pause,
    Resume,
    Quit,
}

impl TrayAction {
    /// The action of a menu item id; `None` for an id the tray does not have.
    pub fn from_menu_id(id: &str) -> Option<Self> {
        Some(match id {
            MENU_OPEN => Self::Open,
            MENU_SYNC_NOW => Self::SyncNow,
            MENU_PAUSE => Self::Pause,
            MENU_RESUME => Self::Resume,
            MENU_QUIT => Self::Quit,
            _ => return None,
        })
    }
}

/// Carries out a tray menu choice (the tray's menu handler calls this). Engine actions run in
/// the background, never on the menu's thread; the returned handle ends once the engine has
/// taken the action (its result reaches the UI through the engine's own events).
pub fn handle_menu<R: Runtime>(
    app: &AppHandle<R>,
    id: &str,
) -> Option<(TrayAction, Option<JoinHandle<()>>)> {
    let Some(action) = TrayAction::from_menu_id(id) else {
        tracing::warn!(id, "unknown tray menu item");
        return None;
    };
    let job = match action {
        TrayAction::Open => {
            show_main_window(app);
            None
        }
        TrayAction::Quit => {
            app.exit(0);
            None
        }
        TrayAction::SyncNow
            if app
                .try_state::<crate::updates::Updates>()
                .is_some_and(|u| u.installing()) =>
        {
            // An update is being installed between runs; the app restarts in a moment.
            tracing::info!(
                source = "tray",
                "sync not started: an update is being installed"
            );
            None
        }
        TrayAction::SyncNow => {
            tracing::info!(source = "tray", "sync requested");
            let _ = app.emit(EVENT_SYNC_REQUESTED, "tray");
            Some(engine_action(app, action))
        }
        TrayAction::Pause | TrayAction::Resume => Some(engine_action(app, action)),
    };
    Some((action, job))
}

fn engine_action<R: Runtime>(app: &AppHandle<R>, action: TrayAction) -> JoinHandle<()> {
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
                running.acted();
                if let Err(err) = running.engine.sync_now(SyncScope::All).await {
                    tracing::warn!(code = err.code(), "tray sync failed");
                }
            }
            TrayAction::Pause => running.engine.pause().await,
            TrayAction::Resume => running.engine.resume().await,
            TrayAction::Open | TrayAction::Quit => {}
        }
    })
}
