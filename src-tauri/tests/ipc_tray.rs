//! The tray menu (Linux tray icons emit no clicks, so the menu handler is called directly, on
//! Tauri's mock runtime with the real startup): Sync now runs a sync and tells the UI, Pause and
//! Resume reach the engine, Open and Quit are the actions of their items, every menu item has an
//! action and an unknown id does nothing.

mod ipc_support;

use std::sync::{Arc, Mutex};

use ipc_support::TestApp;
use punte_app::{
    EVENT_SYNC_REQUESTED, MENU, MENU_OPEN, MENU_PAUSE, MENU_QUIT, MENU_RESUME, MENU_SYNC_NOW,
    TrayAction, handle_tray_menu,
};
use serde_json::json;
use tauri::Listener;

fn runs(app: &TestApp) -> usize {
    app.ok("recent_runs", json!({"limit": 1000}))
        .as_array()
        .map_or(0, Vec::len)
}

/// Calls the menu handler for `id` and waits until the engine has taken the action.
fn choose(app: &TestApp, id: &str) -> TrayAction {
    let (action, job) = handle_tray_menu(app.app.handle(), id).expect("a known item");
    if let Some(job) = job {
        tauri::async_runtime::block_on(job).expect("the tray job ends");
    }
    action
}

#[test]
fn tray_menu_drives_the_engine() {
    let app = TestApp::start();
    app.settled();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&heard);
    app.app.listen_any(EVENT_SYNC_REQUESTED, move |event| {
        sink.lock().unwrap().push(event.payload().to_owned());
    });

    let before = runs(&app);
    assert_eq!(choose(&app, MENU_SYNC_NOW), TrayAction::SyncNow);
    let after = runs(&app);
    assert!(
        after > before,
        "Sync now ran a sync (orders, then stock), even while paused"
    );
    assert_eq!(
        *heard.lock().unwrap(),
        vec!["\"tray\"".to_owned()],
        "the UI is told"
    );

    assert_eq!(choose(&app, MENU_RESUME), TrayAction::Resume);
    app.wait_state("running");
    assert_eq!(choose(&app, MENU_PAUSE), TrayAction::Pause);
    app.wait_state("paused");

    // Open shows the main window (no-op on the mock runtime, which always reports it visible).
    assert_eq!(choose(&app, MENU_OPEN), TrayAction::Open);
    assert!(handle_tray_menu(app.app.handle(), "tray.bogus").is_none());
    assert_eq!(runs(&app), after, "Open and an unknown id run nothing");
    assert_eq!(app.ok("engine_status", json!({}))["state"], "paused");
}

#[test]
fn every_menu_item_has_its_action() {
    let actions: Vec<Option<TrayAction>> = MENU
        .iter()
        .map(|(id, _)| TrayAction::from_menu_id(id))
        .collect();
    assert_eq!(
        actions,
        vec![
            Some(TrayAction::Open),
            Some(TrayAction::SyncNow),
            Some(TrayAction::Pause),
            Some(TrayAction::Resume),
            Some(TrayAction::Quit),
        ]
    );
    // Quit calls AppHandle::exit, which the mock runtime cannot do; it is the last item.
    assert_eq!(MENU[4].0, MENU_QUIT);
    assert!(
        MENU.iter().all(|(_, label)| label.contains(" / ")),
        "RO / EN labels"
    );
}
