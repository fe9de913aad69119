//! The guided first run over IPC (issue 15): its step is saved (resumable); a shop connected
//! while the path is open is not synced by a scheduled run; the health check reads both sides;
//! only "Apply" writes, and finishing the path starts the schedule.

use std::time::Duration;

use punte_sim::ServiceKind;
use serde_json::json;

use crate::support::{TURN, billing_form, env, in_child_with_sims, is_step, launch, shopify_form};

#[test]
fn a_shop_connected_on_the_guided_path_is_written_only_on_apply() {
    in_child_with_sims("first_run::first_run_step", ServiceKind::SmartBill);
}

#[test]
fn first_run_step() {
    if !is_step("first_run::first_run_step") {
        return;
    }
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch();
    let fresh = app.ok("first_run", json!({}));
    assert_eq!(fresh["step"], json!(null), "{fresh}");
    assert_eq!(fresh["done"], json!(false));
    app.refused(
        "set_first_run_step",
        json!({"step": "nowhere"}),
        "input.invalid",
        None,
    );
    app.ok("set_first_run_step", json!({"step": "shopify"}));
    let (token, bill_token) = (env("SIM_SHOPIFY_TOKEN"), env("SIM_BILLING_TOKEN"));
    let tested = app.ok("test_connection", shopify_form(Some(&token)));
    assert!(tested["shop"]["name"].is_string(), "{tested}");
    assert_eq!(tested["missing_scopes"], json!([]), "{tested}");
    app.ok("save_connection", shopify_form(Some(&token)));
    app.ok("set_first_run_step", json!({"step": "billing"}));
    let billing = app.ok("test_connection", billing_form(Some(&bill_token)));
    assert!(
        billing["warehouse_details"][0]["products"].as_u64() > Some(0),
        "{billing}"
    );
    app.ok("save_connection", billing_form(Some(&bill_token)));
    let saved = app.ok("first_run", json!({}));
    assert_eq!(
        (
            saved["step"].clone(),
            saved["shopify_saved"].clone(),
            saved["billing_saved"].clone()
        ),
        (json!("billing"), json!(true), json!(true)),
        "{saved}"
    );

    app.wait_demo_off();
    app.ok("set_first_run_step", json!({"step": "health"}));
    let health = app.ok("products_health", json!({}));
    assert!(health["matched"].as_u64() > Some(0), "{health}");
    // The engine's first tick comes at once: with the schedule on, the first run would have
    // written by now. Held, nothing ran.
    std::thread::sleep(Duration::from_secs(3));
    let status = app.ok("engine_status", json!({}));
    assert_eq!(
        status["last_sync"],
        json!(null),
        "a scheduled run wrote before Apply: {status}"
    );

    app.ok("set_first_run_step", json!({"step": "preview"}));
    let plan = app.ok("preview_sync", json!({}));
    assert!(
        !plan["writes"].as_array().expect("writes").is_empty(),
        "{plan}"
    );
    let mut run = app.ok("apply_sync", json!({"confirmed": false}));
    if run["outcome"]["outcome"] == "awaiting_confirmation" {
        // The window shows the "changes many" warning in the preview; Apply confirms it.
        run = app.ok("apply_sync", json!({"confirmed": true}));
    }
    assert!(
        run["counts"]["products_written"].as_u64() > Some(0),
        "{run}"
    );
    let done = app.ok("finish_first_run", json!({}));
    assert_eq!(done["done"], json!(true), "{done}");
    println!("ipc step ok");
}
