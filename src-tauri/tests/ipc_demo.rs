//! IPC tests (mock runtime, real startup on a temporary store with the demo simulators) of the
//! Simulate panel: `demo_status`, `simulate_order`, `simulate_receipt`, `simulate_drift`,
//! `simulate_offline`. Each acts on the simulators only; the engine sees it at the next sync.
//! Bad input is refused as `{code, message}` and reaches no simulator.

mod ipc_support;

use ipc_support::TestApp;
use serde_json::{Value, json};

fn order_count(app: &TestApp) -> usize {
    let page = app.ok(
        "orders_page",
        json!({"query": {"status": "all", "limit": 1000}}),
    );
    page["items"].as_array().map_or(0, Vec::len)
}

fn row(app: &TestApp, code: &str) -> Value {
    app.ok("stock_overview", json!({}))
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("{code} in the overview"))
        .clone()
}

/// A demo product offered by the panel whose Shopify level is in sync and above `min`.
fn product(app: &TestApp, min: i64) -> String {
    let demo = app.ok("demo_status", json!({}));
    demo["products"]
        .as_array()
        .expect("products")
        .iter()
        .filter_map(|p| p["code"].as_str())
        .find(|c| {
            let r = row(app, c);
            r["status"] == "in_sync" && r["shopify_available"].as_i64() > Some(min)
        })
        .expect("a product in sync")
        .to_owned()
}

#[test]
fn simulations_reach_the_engine_at_the_next_sync() {
    let app = TestApp::start();
    app.settled();
    let demo = app.ok("demo_status", json!({}));
    assert_eq!(demo["active"], true);
    assert_eq!(demo["offline"], json!([]));
    let code = product(&app, 3);

    let orders = order_count(&app);
    let reserved = row(&app, &code)["reserved"].as_i64().expect("reserved");
    let placed = app.ok("simulate_order", json!({"code": code, "quantity": 2}));
    assert!(
        placed["message"].as_str().is_some_and(|m| m.contains("#")),
        "{placed}"
    );
    assert_eq!(order_count(&app), orders, "nothing imported before a sync");
    app.ok("sync_now", json!({"scope": "orders_only"}));
    assert_eq!(
        order_count(&app),
        orders + 1,
        "the next sync imports the order"
    );
    assert_eq!(
        row(&app, &code)["reserved"].as_i64(),
        Some(reserved + 2),
        "the imported open order reserves its quantity"
    );

    let before = row(&app, &code);
    app.ok("simulate_receipt", json!({"code": code, "quantity": 5}));
    app.ok("sync_now", json!({"scope": "stock_only"}));
    let after = row(&app, &code);
    assert_eq!(
        after["billing_stock"].as_i64(),
        before["billing_stock"].as_i64().map(|b| b + 5)
    );

    let drifted = app.ok("simulate_drift", json!({"code": code, "delta": -2}));
    assert!(drifted["message"].is_string());
    // A hand edit in Shopify is found by the full reconciliation, which writes the target back.
    let target = after["target"].as_i64().expect("a target");
    app.ok("sync_now", json!({"scope": "full"}));
    let history = app.ok("stock_history", json!({"code": code}));
    let latest = &history[0];
    assert_eq!(
        (latest["before"].as_i64(), latest["after"].as_i64()),
        (Some(target - 2), Some(target)),
        "the drifted level was read and corrected: {latest}"
    );
    assert_eq!(row(&app, &code)["shopify_available"].as_i64(), Some(target));

    let off = app.ok(
        "simulate_offline",
        json!({"service": "shopify", "offline": true}),
    );
    assert_eq!(off["demo"]["offline"], json!(["shopify"]));
    let failed = app.invoke("sync_now", json!({"scope": "stock_only"}));
    let outcome = match &failed {
        Ok(summary) => summary["outcome"]["outcome"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
        Err(e) => e["code"].as_str().unwrap_or("").to_owned(),
    };
    assert!(
        outcome == "failed" || outcome.starts_with("shopify."),
        "an offline Shopify fails the run: {failed:?}"
    );
    let on = app.ok(
        "simulate_offline",
        json!({"service": "shopify", "offline": false}),
    );
    assert_eq!(on["demo"]["offline"], json!([]));
    let summary = app.ok("sync_now", json!({"scope": "stock_only"}));
    assert_eq!(
        summary["outcome"]["outcome"], "ok",
        "back online: {summary}"
    );
}

#[test]
fn bad_simulations_are_refused_and_reach_no_simulator() {
    let app = TestApp::start();
    app.settled();
    let code = product(&app, 0);
    let orders = order_count(&app);
    let before = row(&app, &code);
    for (cmd, args) in [
        (
            "simulate_order",
            json!({"code": "NO-SUCH-CODE", "quantity": 1}),
        ),
        ("simulate_order", json!({"code": code, "quantity": 0})),
        ("simulate_order", json!({"code": code, "quantity": 10_001})),
        ("simulate_receipt", json!({"code": code, "quantity": -3})),
        ("simulate_receipt", json!({"code": "", "quantity": 3})),
        ("simulate_drift", json!({"code": code, "delta": 0})),
        (
            "simulate_drift",
            json!({"code": "NO-SUCH-CODE", "delta": 1}),
        ),
        (
            "simulate_offline",
            json!({"service": "fgo", "offline": true}),
        ),
    ] {
        let err = app.rejected(cmd, args);
        assert_eq!(err.code, "input.invalid", "{cmd}: {}", err.message);
    }
    assert!(app.invoke("simulate_order", json!({"code": code})).is_err());
    assert!(
        app.invoke("simulate_offline", json!({"service": "shopify"}))
            .is_err()
    );

    assert_eq!(app.ok("demo_status", json!({}))["offline"], json!([]));
    app.ok("sync_now", json!({"scope": "all"}));
    assert_eq!(order_count(&app), orders, "no order was placed");
    let after = row(&app, &code);
    assert_eq!(
        after["billing_stock"], before["billing_stock"],
        "no receipt"
    );
    assert_eq!(
        after["shopify_available"], before["shopify_available"],
        "no drift"
    );
}
