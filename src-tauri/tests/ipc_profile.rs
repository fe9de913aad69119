//! IPC tests of the Profile commands through Tauri's mock runtime: the real command handler, a
//! real SQLite profile in a temp folder, real HTTP to loopback simulators (`PUNTE_SHOPIFY_URL`,
//! `PUNTE_BILLING_URL`), and `MemorySecrets` in place of the OS keychain (the keychain itself is
//! tested in tests/keychain.rs and the e2e keychain scenario). Bad input must give a clear error
//! on the right field and change nothing.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_engine::{MemorySecrets, SecretStore};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::{App, WebviewWindow};

const STEP_ENV: &str = "PUNTE_IPC_STEP";

/// Runs `step` (a test of this binary) in a child process whose environment points the app at
/// a fresh pair of loopback simulators (the URL variables are process-wide, and this crate
/// forbids the `unsafe` of `set_var`).
fn in_child_with_sims(step: &str) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let options = SimOptions {
        demo: true,
        ..SimOptions::default()
    };
    let (shop, bill) = runtime.block_on(async {
        let shop = SimServer::start(ServiceKind::Shopify, options.clone()).await;
        let bill = SimServer::start(ServiceKind::SmartBill, options).await;
        (shop.expect("shopify sim"), bill.expect("smartbill sim"))
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
        .env("SIM_BILLING_TOKEN", b.get("token"))
        .env("SIM_BILLING_EMAIL", b.get("email"))
        .env("SIM_BILLING_CIF", b.get("cif"))
        .output()
        .expect("run the step");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{step} failed:\n{out}\n{err}");
    assert!(out.contains("ipc step ok"), "{step} did not run:\n{out}");
}

/// Whether this process is the child asked to run `step`.
fn is_step(step: &str) -> bool {
    std::env::var(STEP_ENV).is_ok_and(|s| s == step)
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is set by the parent"))
}

/// The apps of this binary start one at a time (each runs a demo engine until switched).
static TURN: Mutex<()> = Mutex::new(());

struct TestApp {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    secrets: Arc<MemorySecrets>,
    _dir: tempfile::TempDir,
}

fn launch() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = mock_builder()
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
        _dir: dir,
    }
}

impl TestApp {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
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

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// The error of a call that must fail, checked for a code, a field and both languages.
    fn refused(&self, cmd: &str, args: Value, code: &str, field: Option<&str>) -> Value {
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

fn shopify_form(token: Option<&str>) -> Value {
    let secrets = token.map_or(json!({}), |t| json!({"admin_token": t}));
    json!({"form": {"kind": "shopify", "secrets": secrets,
        "fields": {"shop_domain": "punte-demo.myshopify.com", "auth": "legacy", "location_id": ""}}})
}

fn billing_form(token: Option<&str>) -> Value {
    let secrets = token.map_or(json!({}), |t| json!({"api_token": t}));
    json!({"form": {"kind": "smart_bill", "secrets": secrets,
        "fields": {"email": env("SIM_BILLING_EMAIL"), "cif": env("SIM_BILLING_CIF")}}})
}

#[test]
fn connections_are_tested_saved_and_leave_the_demo_with_secrets_only_in_the_keychain() {
    in_child_with_sims("connections_step");
}

#[test]
fn connections_step() {
    if !is_step("connections_step") {
        return;
    }
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch();
    let (token, bill_token) = (env("SIM_SHOPIFY_TOKEN"), env("SIM_BILLING_TOKEN"));
    let empty = app.ok("connections", json!({}));
    assert_eq!(empty, json!({"shopify": null, "billing": null}));
    let prefs_before = app.ok("preferences", json!({}));

    // Bad input: a clear error on the field, nothing saved, nothing downloaded.
    let mut bad = shopify_form(Some(&token));
    bad["form"]["fields"]["shop_domain"] = json!("shop.example.com");
    app.refused(
        "test_connection",
        bad.clone(),
        "input.invalid",
        Some("shop_domain"),
    );
    app.refused("save_connection", bad, "input.invalid", Some("shop_domain"));
    app.refused(
        "test_connection",
        shopify_form(None),
        "input.invalid",
        Some("admin_token"),
    );
    app.refused(
        "test_connection",
        json!({"form": {"kind": "paypal"}}),
        "input.invalid",
        Some("kind"),
    );
    // A wrong token reaches Shopify and is refused there.
    let wrong = app.refused(
        "save_connection",
        shopify_form(Some("shpat_wrong")),
        "shopify.unauthorized",
        Some("admin_token"),
    );
    assert!(
        !wrong.to_string().contains("shpat_wrong"),
        "the error repeats the secret: {wrong}"
    );
    assert_eq!(app.ok("connections", json!({})), empty);
    assert_eq!(app.ok("preferences", json!({})), prefs_before);
    assert_eq!(app.secrets.get(SHOPIFY_SECRET).unwrap(), None);

    // Test downloads the locations; save keeps the secret in the keychain only.
    let config = app.ok("test_connection", shopify_form(Some(&token)));
    let locations = config["locations"].as_array().expect("locations").clone();
    assert!(!locations.is_empty(), "{config}");
    assert_eq!(
        app.ok("preferences", json!({}))["available"]["locations"],
        json!(locations)
    );
    let view = app.ok("save_connection", shopify_form(Some(&token)));
    assert_eq!(view["shopify"]["secrets_saved"], json!(["admin_token"]));
    assert_eq!(
        view["shopify"]["fields"]["location_id"],
        locations[0]["id"].to_string()
    );
    assert!(
        !view.to_string().contains(&token),
        "a secret went back to the UI: {view}"
    );
    assert_eq!(
        app.secrets.get(SHOPIFY_SECRET).unwrap(),
        Some(token.clone())
    );
    assert_eq!(
        app.ok("demo_status", json!({}))["active"],
        true,
        "one connection keeps the demo"
    );

    // Billing: a wrong token is refused on its field; the right one downloads the lists.
    app.refused(
        "test_connection",
        billing_form(Some("0000wrong")),
        "billing.unauthorized",
        Some("api_token"),
    );
    app.refused(
        "test_connection",
        billing_form(None),
        "input.invalid",
        Some("api_token"),
    );
    assert_eq!(app.ok("connections", json!({}))["billing"], Value::Null);
    let view = app.ok("save_connection", billing_form(Some(&bill_token)));
    assert_eq!(view["billing"]["kind"], "smart_bill");
    assert_eq!(view["billing"]["secrets_saved"], json!(["api_token"]));
    assert!(!view.to_string().contains(&bill_token));
    let prefs = app.ok("preferences", json!({}));
    let warehouses = prefs["available"]["warehouses"]
        .as_array()
        .expect("warehouses")
        .clone();
    assert!(
        !warehouses.is_empty()
            && prefs["available"]["series"]
                .as_array()
                .is_some_and(|s| !s.is_empty()),
        "{prefs}"
    );
    assert_eq!(
        prefs["warehouse"], warehouses[0],
        "the first warehouse is chosen until changed"
    );
    assert_eq!(
        app.secrets.get(BILLING_SECRET).unwrap(),
        Some(bill_token.clone())
    );

    // Both saved: the demo stops and the engine runs on the saved shop.
    let deadline = Instant::now() + Duration::from_secs(60);
    while app.ok("demo_status", json!({}))["active"] != false {
        assert!(
            Instant::now() < deadline,
            "still in demo mode after saving both connections"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = app.ok("engine_status", json!({}));
    assert!(status.is_object(), "{status}");

    // A secret left out means "keep the saved one".
    app.ok("test_connection", billing_form(None));
    let view = app.ok("save_connection", shopify_form(None));
    assert_eq!(view["shopify"]["secrets_saved"], json!(["admin_token"]));
    assert_eq!(app.secrets.get(SHOPIFY_SECRET).unwrap(), Some(token));

    // A Dev Dashboard app: the saved token is another kind of secret, so the client secret is
    // asked for; the client id is shown back, the client secret never.
    let (client_id, client_secret) = (
        env("SIM_SHOPIFY_CLIENT_ID"),
        env("SIM_SHOPIFY_CLIENT_SECRET"),
    );
    let mut dev = json!({"form": {"kind": "shopify", "secrets": {}, "fields": {
        "shop_domain": "punte-demo.myshopify.com", "auth": "dev", "client_id": client_id}}});
    app.refused(
        "save_connection",
        dev.clone(),
        "input.invalid",
        Some("client_secret"),
    );
    dev["form"]["secrets"] = json!({"client_secret": "shpss_wrong"});
    app.refused(
        "test_connection",
        dev.clone(),
        "shopify.unauthorized",
        Some("client_secret"),
    );
    dev["form"]["secrets"] = json!({"client_secret": client_secret});
    let view = app.ok("save_connection", dev);
    assert_eq!(view["shopify"]["fields"]["client_id"], json!(client_id));
    assert_eq!(view["shopify"]["secrets_saved"], json!(["client_secret"]));
    assert!(!view.to_string().contains(&client_secret));

    // On the real shop, a preference restarts the engine on it: here another warehouse.
    let chosen = warehouses.last().expect("a warehouse").clone();
    let prefs = app.ok("save_preferences", json!({"patch": {"warehouse": chosen}}));
    assert_eq!(prefs["warehouse"], chosen);
    app.refused(
        "save_preferences",
        json!({"patch": {"warehouse": "Nu există"}}),
        "input.invalid",
        Some("warehouse"),
    );
    assert_eq!(
        app.ok("connections", json!({}))["billing"]["kind"],
        "smart_bill"
    );
    assert_eq!(
        app.ok("demo_status", json!({}))["active"],
        false,
        "the engine runs on the shop"
    );
    println!("ipc step ok");
}

#[test]
fn preferences_change_only_the_fields_named_and_refuse_bad_values_whole() {
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch();
    let before = app.ok("preferences", json!({}));
    assert_eq!(before["code_source"], "Sku");
    assert_eq!(before["new_products"], json!({"policy": "next_cycle"}));

    let after = app.ok("save_preferences", json!({"patch": {"default_buffer": 3}}));
    let mut expected = before.clone();
    expected["default_buffer"] = json!(3);
    assert_eq!(after, expected, "only the buffer changes");

    for (patch, field) in [
        (
            json!({"stock_sync_every_minutes": 2}),
            "stock_sync_every_minutes",
        ),
        (
            json!({"default_buffer": 9, "vat_standard": "abc"}),
            "vat_standard",
        ),
        (json!({"vat_reduced": "101"}), "vat_reduced"),
        (json!({"auto_invoice": "sometimes"}), "auto_invoice"),
        (
            json!({"new_products": {"policy": "next_day_after", "local_time": "25:00"}}),
            "new_products",
        ),
        (json!({"colour": "blue"}), "colour"),
        (json!({"warehouse": "Depozit"}), "warehouse"),
        (json!({"use_stock": "yes"}), "use_stock"),
    ] {
        app.refused(
            "save_preferences",
            json!({ "patch": patch }),
            "input.invalid",
            Some(field),
        );
        assert_eq!(
            app.ok("preferences", json!({})),
            after,
            "{patch} changed something"
        );
    }

    let patch = json!({"new_products": {"policy": "next_day_after", "local_time": "07:30"},
        "vat_standard": "19.5", "auto_invoice": "when_paid", "sync_stock": false});
    let saved = app.ok("save_preferences", json!({ "patch": patch }));
    assert_eq!(
        saved["new_products"],
        json!({"policy": "next_day_after", "local_time": "07:30"})
    );
    assert_eq!(
        (saved["vat_standard"].clone(), saved["auto_invoice"].clone()),
        (json!("19.5"), json!("when_paid"))
    );
    assert_eq!(
        (saved["sync_stock"].clone(), saved["default_buffer"].clone()),
        (json!(false), json!(3))
    );
    assert_eq!(saved["invoice_series"], before["invoice_series"]);
}
