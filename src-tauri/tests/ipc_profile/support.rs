//! What every IPC scenario shares: a mock-runtime app with the real command handler, a temp
//! profile folder and `MemorySecrets`; calls that must succeed or be refused with a code, a field
//! and a Romanian / English message; and a child process pointed at loopback simulators.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use punte_engine::{MemorySecrets, SecretStore};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::{App, WebviewWindow};

pub const STEP_ENV: &str = "PUNTE_IPC_STEP";

/// Runs `step` (a test of this binary) in a child process whose environment points the app at
/// a fresh pair of loopback simulators (the URL variables are process-wide, and this crate
/// forbids the `unsafe` of `set_var`).
pub fn in_child_with_sims(step: &str, billing: ServiceKind) {
    in_child_with_sims_env(step, billing, &[]);
}

/// As [`in_child_with_sims`], with more environment for the child (e.g. a temporary `HOME`).
pub fn in_child_with_sims_env(
    step: &str,
    billing: ServiceKind,
    extra: &[(&str, &std::path::Path)],
) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let options = SimOptions {
        demo: true,
        ..SimOptions::default()
    };
    let (shop, bill) = runtime.block_on(async {
        let shop = SimServer::start(ServiceKind::Shopify, options.clone()).await;
        let bill = SimServer::start(billing, options).await;
        (shop.expect("shopify sim"), bill.expect("billing sim"))
    });
    let (s, b) = (shop.credentials(), bill.credentials());
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", step, "--nocapture"])
        .env(STEP_ENV, step)
        .env(punte_app::SHOPIFY_URL_ENV, shop.base_url())
        .env(punte_app::BILLING_URL_ENV, bill.base_url())
        .env("SIM_SHOPIFY_TOKEN", s.get("static_token"))
        .env("SIM_SHOPIFY_CLIENT_ID", s.get("client_id"))
        .env("SIM_SHOPIFY_CLIENT_SECRET", s.get("client_secret"))
        .env(
            "SIM_BILLING_TOKEN",
            [b.get("token"), b.get("client_secret"), b.get("private_key")].concat(),
        )
        .env(
            "SIM_BILLING_EMAIL",
            [b.get("email"), b.get("client_id")].concat(),
        )
        .env("SIM_BILLING_CIF", b.get("cif"))
        .env("SIM_BILLING_COD_UNIC", b.get("cod_unic"))
        .envs(extra.iter().copied())
        .output()
        .expect("run the step");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{step} failed:\n{out}\n{err}");
    assert!(out.contains("ipc step ok"), "{step} did not run:\n{out}");
}

/// Whether this process is the child asked to run `step`.
pub fn is_step(step: &str) -> bool {
    std::env::var(STEP_ENV).is_ok_and(|s| s == step)
}

pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is set by the parent"))
}

/// The apps of this binary start one at a time (each runs a demo engine until switched).
pub static TURN: Mutex<()> = Mutex::new(());

pub struct TestApp {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    pub secrets: Arc<MemorySecrets>,
    /// The app's data folder (`punte.db`), for what only the engine reads.
    pub dir: tempfile::TempDir,
}

pub fn launch() -> TestApp {
    launch_with(mock_builder())
}

/// The app as the merchant has it once connected: the Shopify and billing connections of the
/// child's loopback simulators saved, and the demo shop stopped.
pub fn launch_connected() -> TestApp {
    // The demo shop's in-process simulators (before the connections) need the TLS provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let app = launch();
    app.save_connections();
    app.wait_demo_off();
    app
}

/// The app with the start-at-login plugin, as `run` registers it (it writes the login entry
/// under `$XDG_CONFIG_HOME`, so only a child with a temporary `HOME` may use it).
pub fn launch_with_autostart() -> TestApp {
    launch_with(
        mock_builder().plugin(
            tauri_plugin_autostart::Builder::new()
                .args([punte_app::AUTOSTART_ARG])
                .build(),
        ),
    )
}

fn launch_with(builder: tauri::Builder<MockRuntime>) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = builder
        .invoke_handler(punte_app::invoke_handler())
        .build(mock_context(noop_assets()))
        .expect("mock app");
    let secrets = Arc::new(MemorySecrets::default());
    let shared: Arc<dyn SecretStore> = secrets.clone();
    punte_app::manage_backend(app.handle(), dir.path().to_path_buf(), shared);
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    TestApp {
        _app: app,
        window,
        secrets,
        dir,
    }
}

impl TestApp {
    /// Saves the Shopify and billing connections of the child's loopback simulators.
    pub fn save_connections(&self) {
        self.ok(
            "save_connection",
            shopify_form(Some(&env("SIM_SHOPIFY_TOKEN"))),
        );
        self.ok(
            "save_connection",
            billing_form(Some(&env("SIM_BILLING_TOKEN"))),
        );
    }

    /// Waits (a minute at most) until the demo shop has stopped, as it does once both
    /// connections are saved.
    pub fn wait_demo_off(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.ok("demo_status", json!({}))["active"] != false {
            assert!(
                Instant::now() < deadline,
                "still in demo mode after saving both connections"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|b| b.deserialize::<Value>().expect("json"))
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// The error of a call that must fail, checked for a code, a field and both languages.
    pub fn refused(&self, cmd: &str, args: Value, code: &str, field: Option<&str>) -> Value {
        let err = self
            .call(cmd, args.clone())
            .err()
            .unwrap_or_else(|| panic!("{cmd} {args} accepted"));
        assert_eq!(err["code"], code, "{cmd} {args}: {err}");
        assert_eq!(err["field"].as_str(), field, "{cmd} {args}: {err}");
        assert!(
            err["message"].as_str().is_some_and(|m| m.contains(" / ")),
            "RO / EN: {err}"
        );
        err
    }
}

pub fn shopify_form(token: Option<&str>) -> Value {
    let secrets = token.map_or(json!({}), |t| json!({"admin_token": t}));
    json!({"form": {"kind": "shopify", "secrets": secrets,
        "fields": {"shop_domain": "punte-demo.myshopify.com", "auth": "legacy", "location_id": ""}}})
}

pub fn billing_form(token: Option<&str>) -> Value {
    let secrets = token.map_or(json!({}), |t| json!({"api_token": t}));
    json!({"form": {"kind": "smart_bill", "secrets": secrets,
        "fields": {"email": env("SIM_BILLING_EMAIL"), "cif": env("SIM_BILLING_CIF")}}})
}
