//! Oblio and FGO over IPC, each against its own loopback simulator: a wrong secret is refused on
//! its field, the right one downloads the warehouses and saves, and a saved secret of one service
//! is never reused for another.

use punte_engine::SecretStore;
use punte_engine::secrets::BILLING_SECRET;
use punte_sim::ServiceKind;
use serde_json::{Value, json};

use crate::support::{TURN, env, in_child_with_sims, is_step, launch};

#[test]
fn oblio_and_fgo_are_tested_and_saved_with_their_own_secret() {
    in_child_with_sims("billing_services::oblio_step", ServiceKind::Oblio);
    in_child_with_sims("billing_services::fgo_step", ServiceKind::Fgo);
}

fn oblio(secret: &str) -> Value {
    json!({"form": {"kind": "oblio", "secrets": {"api_secret": secret},
        "fields": {"email": env("SIM_BILLING_EMAIL"), "cif": env("SIM_BILLING_CIF")}}})
}

fn fgo(secret: &str) -> Value {
    json!({"form": {"kind": "fgo", "secrets": {"private_key": secret},
        "fields": {"cod_unic": env("SIM_BILLING_COD_UNIC")}}})
}

#[test]
fn oblio_step() {
    if !is_step("billing_services::oblio_step") {
        return;
    }
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch();
    let secret = env("SIM_BILLING_TOKEN");
    app.refused(
        "test_connection",
        oblio("not-the-secret"),
        "billing.unauthorized",
        Some("api_secret"),
    );
    let config = app.ok("test_connection", oblio(&secret));
    assert!(
        config["warehouses"]
            .as_array()
            .is_some_and(|w| !w.is_empty()),
        "{config}"
    );
    let view = app.ok("save_connection", oblio(&secret));
    assert_eq!(view["billing"]["kind"], "oblio");
    assert_eq!(view["billing"]["secrets_saved"], json!(["api_secret"]));
    assert_eq!(
        view["billing"]["fields"]["email"],
        json!(env("SIM_BILLING_EMAIL"))
    );
    assert!(!view.to_string().contains(&secret));
    assert_eq!(app.secrets.get(BILLING_SECRET).unwrap(), Some(secret));
    // SmartBill with no token typed: Oblio's secret is not SmartBill's token.
    let smartbill = json!({"form": {"kind": "smart_bill", "secrets": {},
        "fields": {"email": env("SIM_BILLING_EMAIL"), "cif": env("SIM_BILLING_CIF")}}});
    app.refused(
        "test_connection",
        smartbill,
        "input.invalid",
        Some("api_token"),
    );
    println!("ipc step ok");
}

#[test]
fn fgo_step() {
    if !is_step("billing_services::fgo_step") {
        return;
    }
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch();
    let key = env("SIM_BILLING_TOKEN");
    app.refused(
        "test_connection",
        fgo("not-the-key"),
        "billing.unauthorized",
        Some("private_key"),
    );
    let config = app.ok("test_connection", fgo(&key));
    assert!(
        config["warehouses"]
            .as_array()
            .is_some_and(|w| !w.is_empty()),
        "{config}"
    );
    let view = app.ok("save_connection", fgo(&key));
    assert_eq!(view["billing"]["kind"], "fgo");
    assert_eq!(
        view["billing"]["fields"]["cod_unic"],
        json!(env("SIM_BILLING_COD_UNIC"))
    );
    assert_eq!(
        view["billing"]["fields"]["cif"],
        json!(env("SIM_BILLING_COD_UNIC"))
    );
    assert_eq!(view["billing"]["secrets_saved"], json!(["private_key"]));
    assert!(!view.to_string().contains(&key));
    // The account's own series, downloaded from FGO (neither is the app's default "FCT"), and
    // the merchant can pick one.
    assert_eq!(config["series"], json!(["BV", "PNT"]), "{config}");
    let prefs = app.ok(
        "save_preferences",
        json!({"patch": {"invoice_series": "BV"}}),
    );
    assert_eq!(prefs["invoice_series"], "BV");
    println!("ipc step ok");
}
