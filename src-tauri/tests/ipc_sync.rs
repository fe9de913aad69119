//! IPC tests (mock runtime, real startup on a temporary store with the demo simulators) of the
//! status bar and Stock commands: `app_status`, `engine_status`, `pause_sync`, `resume_sync`,
//! `sync_now`, `stock_overview`, `preview_sync`, `apply_sync`; and that every command the app
//! registers is declared in build.rs and allowed in the capability file.

mod ipc_support;

use ipc_support::TestApp;
use serde_json::{Value, json};

fn runs(app: &TestApp) -> usize {
    app.ok("recent_runs", json!({"limit": 1000}))
        .as_array()
        .map_or(0, Vec::len)
}

fn audit_rows(app: &TestApp) -> usize {
    let page = app.ok("audit_page", json!({"query": {"limit": 1000}}));
    page["items"].as_array().map_or(0, Vec::len)
}

fn stock_row(app: &TestApp, code: &str) -> Value {
    let rows = app.ok("stock_overview", json!({}));
    rows.as_array()
        .expect("a list")
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("{code} is in the overview"))
        .clone()
}

#[test]
fn status_pause_resume_sync_preview_and_apply() {
    let app = TestApp::start();
    let first = app.ok("app_status", json!({}));
    assert_eq!(first["dataDir"], app.dir.path().display().to_string());
    assert!(first["version"].is_string());
    let second = app.ok("app_status", json!({}));
    assert_eq!(
        second["roundTrips"].as_u64(),
        first["roundTrips"].as_u64().map(|n| n + 1),
        "each call is a live round trip"
    );

    app.settled();
    let status = app.ok("engine_status", json!({}));
    assert_eq!(status["state"], "paused");
    assert!(
        status["last_sync"].is_string(),
        "the first run is recorded: {status}"
    );
    assert_eq!(app.ok("resume_sync", json!({}))["state"], "running");
    assert_eq!(app.ok("pause_sync", json!({}))["state"], "paused");

    let rows = app.ok("stock_overview", json!({}));
    let rows = rows.as_array().expect("a list");
    assert!(rows.len() > 10, "the demo catalogue: {}", rows.len());
    let synced = rows
        .iter()
        .find(|r| r["status"] == "in_sync" && r["billing_stock"].as_i64().unwrap_or(0) > 0)
        .expect("a product in sync after the first run");
    let code = synced["code"].as_str().expect("a code").to_owned();
    assert_eq!(
        synced["target"].as_i64(),
        synced["shopify_available"].as_i64(),
        "in sync means Shopify shows the target"
    );

    // A receipt in billing: the preview plans the write and writes nothing.
    let billing = synced["billing_stock"].as_i64().expect("billing stock");
    app.ok("simulate_receipt", json!({"code": code, "quantity": 4}));
    let (runs_before, audit_before) = (runs(&app), audit_rows(&app));
    let plan = app.ok("preview_sync", json!({}));
    let write = plan["writes"]
        .as_array()
        .expect("writes")
        .iter()
        .find(|w| w["code"] == code.as_str())
        .unwrap_or_else(|| panic!("the preview plans a write for {code}: {plan}"))
        .clone();
    assert_eq!(
        write["available"].as_i64(),
        synced["target"].as_i64().map(|t| t + 4)
    );
    assert_eq!(
        (runs(&app), audit_rows(&app)),
        (runs_before, audit_before),
        "preview writes nothing"
    );

    let summary = app.ok("apply_sync", json!({"confirmed": false}));
    assert_eq!(summary["outcome"]["outcome"], "ok", "{summary}");
    assert!(summary["counts"]["products_written"].as_u64() >= Some(1));
    let row = stock_row(&app, &code);
    assert_eq!(row["billing_stock"].as_i64(), Some(billing + 4));
    assert_eq!(row["shopify_available"], row["target"], "{row}");
    assert_eq!(runs(&app), runs_before + 1);

    let nothing = app.rejected("apply_sync", json!({"confirmed": true}));
    assert_eq!(nothing.code, "engine.nothing_to_confirm");

    for scope in ["orders_only", "stock_only", "all", "full"] {
        let summary = app.ok("sync_now", json!({"scope": scope}));
        assert!(
            summary["outcome"]["outcome"].is_string(),
            "{scope}: {summary}"
        );
    }
}

#[test]
fn bad_sync_input_is_refused_and_runs_nothing() {
    let app = TestApp::start();
    app.settled();
    let before = runs(&app);
    let err = app.rejected("sync_now", json!({"scope": "everything"}));
    assert_eq!(err.code, "input.invalid");
    assert!(
        err.message.contains("stock_only"),
        "says what is allowed: {}",
        err.message
    );
    assert!(
        app.invoke("sync_now", json!({})).is_err(),
        "a missing scope is refused"
    );
    assert!(
        app.invoke("apply_sync", json!({"confirmed": "yes"}))
            .is_err()
    );
    assert_eq!(runs(&app), before, "no run started");
    assert_eq!(app.ok("engine_status", json!({}))["state"], "paused");
}

/// The command names in `generate_handler!`, build.rs and capabilities/main.json agree, so no
/// command is callable without a permission and none is allowed without existing.
#[test]
fn every_command_is_declared_and_allowed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect("a source file");
    let lib = read("src/lib.rs");
    let handler = &lib[lib.find("generate_handler![").expect("the handler list")..];
    let handler = &handler[..handler.find(']').expect("end of the list")];
    let registered: Vec<&str> = handler
        .split(',')
        .filter_map(|p| p.trim().rsplit("::").next())
        .filter(|name| !name.is_empty() && !name.contains('['))
        .collect();
    assert!(registered.len() >= 22, "{registered:?}");
    let build = read("build.rs");
    let caps: Value = serde_json::from_str(&read("capabilities/main.json")).expect("JSON");
    let allowed: Vec<&str> = caps["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for name in &registered {
        assert!(
            build.contains(&format!("\"{name}\"")),
            "{name} is not in build.rs"
        );
        let permission = format!("allow-{}", name.replace('_', "-"));
        assert!(
            allowed.contains(&permission.as_str()),
            "{permission} is not allowed"
        );
    }
    let app_permissions = allowed.iter().filter(|p| p.starts_with("allow-")).count();
    assert_eq!(
        app_permissions,
        registered.len(),
        "an allowed command that does not exist"
    );
}
