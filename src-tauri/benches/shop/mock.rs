//! The connected shop in Tauri's mock runtime (orders_page): the real command list and backend
//! (`punte_app::manage_backend`) on a seeded data folder, with `MemorySecrets` standing in for the
//! keychain. The connections are saved through the app's own `save_connection` command in one
//! process; a second process then starts on them, with the same secrets the first one stored.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_engine::{MemorySecrets, SecretStore};
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::shop::{Credentials, wait};

pub struct MockApp {
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl MockApp {
    /// Starts the app's backend on `data` with `secrets`, as `run` does minus window and tray.
    pub fn start(data: &Path, secrets: Arc<dyn SecretStore>) -> MockApp {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let app = mock_builder()
            .plugin(tauri_plugin_notification::init())
            .invoke_handler(punte_app::invoke_handler())
            .build(mock_context(noop_assets()))
            .expect("the mock app builds");
        punte_app::manage_backend(app.handle(), data.to_path_buf(), secrets);
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the mock webview builds");
        MockApp { _app: app, webview }
    }

    /// Sends `cmd` as the UI's `invoke` would; the answer of a command that must succeed.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("a valid url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.webview, request)
            .map(|body| body.deserialize::<Value>().expect("answers are JSON"))
            .unwrap_or_else(|e| panic!("{cmd} must succeed, got {e}"))
    }

    /// Fails loudly unless the engine runs on the saved shop (not the demo shop).
    pub fn assert_connected(&self) {
        let demo = self.ok("demo_status", json!({}));
        assert_eq!(demo["active"], false, "started in demo mode: {demo}");
    }

    /// Waits until the first sync run has ended, then pauses the scheduled syncs so the store
    /// only changes when the bench asks.
    pub fn settled(&self) {
        wait("the first sync on the shop", 180, || {
            let runs = self.ok("recent_runs", json!({"limit": 5}));
            runs.as_array()
                .is_some_and(|r| r.iter().any(|run| !run["end"].is_null()))
                .then_some(())
        });
        let status = self.ok("pause_sync", json!({}));
        assert_eq!(status["state"], "paused", "pause_sync: {status}");
    }
}

/// First process: Profile → Save for Shopify and SmartBill on `data` (the app starts on the demo
/// shop, then leaves it), and a check that the keychain got exactly the two secrets typed.
pub fn save_connections(data: &Path) {
    let c = Credentials::from_env();
    let secrets = Arc::new(MemorySecrets::default());
    let app = MockApp::start(data, secrets.clone());
    app.ok("save_connection", c.shopify_form());
    app.ok("save_connection", c.billing_form());
    wait("the engine on the saved shop", 60, || {
        (app.ok("demo_status", json!({}))["active"] == false).then_some(())
    });
    assert_eq!(
        secrets.get(SHOPIFY_SECRET).ok().flatten(),
        Some(c.shop_token)
    );
    assert_eq!(
        secrets.get(BILLING_SECRET).ok().flatten(),
        Some(c.bill_token)
    );
    std::thread::sleep(Duration::from_secs(1));
}

/// Second process: the keychain as the first process left it.
pub fn saved_secrets() -> Arc<dyn SecretStore> {
    let c = Credentials::from_env();
    let secrets = MemorySecrets::default();
    secrets.set(SHOPIFY_SECRET, &c.shop_token).expect("memory");
    secrets.set(BILLING_SECRET, &c.bill_token).expect("memory");
    Arc::new(secrets)
}
