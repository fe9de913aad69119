//! Connected services over IPC: bad input, wrong and right credentials (Shopify legacy token and
//! Dev Dashboard app, SmartBill), secrets only in the keychain, leaving the demo shop.

use punte_engine::SecretStore;
use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_sim::ServiceKind;
use serde_json::{Value, json};

use crate::support::{TURN, billing_form, env, in_child_with_sims, is_step, launch, shopify_form};

#[test]
fn connections_are_tested_saved_and_leave_the_demo_with_secrets_only_in_the_keychain() {
    in_child_with_sims("connections::connections_step", ServiceKind::SmartBill);
}

#[test]
fn connections_step() {
    if !is_step("connections::connections_step") {
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
    // The company's VAT rates are read at connection and kept for the engine (issue 16).
    assert_eq!(view.get("vat_warning"), None, "{view}");
    let known = company_vat(&app);
    assert!(
        known["vat"]["rates"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x["rate"].to_string().contains("21"))),
        "{known}"
    );
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
    app.wait_demo_off();
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
    // Where credit notes restock returns (issue 16): the invoice's warehouse until chosen, then
    // one of the listed warehouses, kept across a reload, and back to the default with null.
    assert_eq!(prefs["credit_restock_warehouse"], Value::Null);
    let returns = warehouses[0].clone();
    let saved = app.ok(
        "save_preferences",
        json!({"patch": {"credit_restock_warehouse": returns}}),
    );
    assert_eq!(saved["credit_restock_warehouse"], returns);
    assert_eq!(saved["warehouse"], chosen, "only the field named changed");
    assert_eq!(
        app.ok("preferences", json!({}))["credit_restock_warehouse"],
        returns
    );
    app.refused(
        "save_preferences",
        json!({"patch": {"credit_restock_warehouse": "Nu există"}}),
        "input.invalid",
        Some("credit_restock_warehouse"),
    );
    let back = app.ok(
        "save_preferences",
        json!({"patch": {"credit_restock_warehouse": null}}),
    );
    assert_eq!(back["credit_restock_warehouse"], Value::Null);
    assert_eq!(
        app.ok("connections", json!({}))["billing"]["kind"],
        "smart_bill"
    );
    assert_eq!(
        app.ok("demo_status", json!({}))["active"],
        false,
        "the engine runs on the shop"
    );

    // SmartBill's VAT read fails at the next save: the connection is saved all the same, the
    // merchant is told plainly, and the old rates are forgotten (read before the first invoice).
    let base = env(punte_app::BILLING_URL_ENV);
    let root = &base[..base[8..].find('/').map_or(base.len(), |i| i + 8)];
    let path = base[root.len()..].to_owned() + "/tax";
    ureq::post(&format!("{root}/_sim/faults"))
        .send_json(json!({"path": path, "mode": "server_error", "status": 503}))
        .expect("fault");
    let view = app.ok("save_connection", billing_form(None));
    ureq::delete(&format!("{root}/_sim/faults"))
        .call()
        .expect("faults cleared");
    assert_eq!(view["billing"]["kind"], "smart_bill", "saved: {view}");
    assert_eq!(view["vat_warning"]["code"], "billing.vat_unread", "{view}");
    assert!(
        view["vat_warning"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("VAT rates could not be read")),
        "{view}"
    );
    assert_eq!(company_vat(&app)["vat"], Value::Null);
    println!("ipc step ok");
}

/// What the engine will find of the company's VAT in the app's `punte.db`.
fn company_vat(app: &crate::support::TestApp) -> Value {
    let store = punte_store::Store::open(&app.dir.path().join("punte.db")).expect("punte.db");
    store
        .setting(punte_engine::COMPANY_VAT)
        .expect("setting")
        .unwrap_or(Value::Null)
}
