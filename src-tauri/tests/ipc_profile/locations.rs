//! Issue 18 over IPC: the kit editor (on the demo shop's store: codes must be in billing,
//! quantities from 1, no kit inside a kit, a kit's availability on Stock from its recipe) and the
//! location ↔ warehouse mapping (Shopify's locations read live from the simulator, shares of a
//! shared warehouse checked to 100 %, unknown warehouses refused on their location, unmapped
//! locations said to be left alone, one location mapped = the connection's own).

use punte_sim::ServiceKind;
use serde_json::{Value, json};

use crate::support::{TURN, in_child_with_sims, is_step, launch};

#[test]
fn kits_and_the_location_mapping_are_checked_and_saved() {
    in_child_with_sims("locations::locations_step", ServiceKind::SmartBill);
}

fn kit(code: &str, parts: &[(&str, i64)]) -> Value {
    let components: Vec<Value> = parts
        .iter()
        .map(|(c, q)| json!({"code": c, "quantity": q}))
        .collect();
    json!({"kit": {"code": code, "title": "Cutie cadou", "components": components}, "previous": null})
}

#[test]
fn locations_step() {
    if !is_step("locations::locations_step") {
        return;
    }
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    // The demo shop's in-process simulators need the TLS provider `run` installs.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let app = launch();

    // Kits, on the demo shop once its billing stock is read.
    app.ok("sync_now", json!({"scope": "full"}));
    let products = app.ok("demo_status", json!({}))["products"].clone();
    let code = |i: usize| {
        products[i]["code"]
            .as_str()
            .expect("a demo code")
            .to_owned()
    };
    let (a, b) = (code(0), code(1));
    assert_eq!(app.ok("kits", json!({})), json!([]));
    for (args, field) in [
        (kit("GIFT", &[(&a, 0)]), "components.0"),
        (
            kit("GIFT", &[(&a, 1), ("NOT-IN-BILLING", 1)]),
            "components.1",
        ),
        (kit("GIFT", &[(&a, 1), (&a, 2)]), "components.0"),
        (kit("GIFT", &[]), "components"),
        (kit("", &[(&a, 1)]), "code"),
    ] {
        app.refused("save_kit", args, "input.invalid", Some(field));
    }
    assert_eq!(app.ok("kits", json!({})), json!([]), "nothing saved");
    let saved = app.ok("save_kit", kit("GIFT", &[(&a, 2), (&b, 1)]));
    assert_eq!(saved[0]["components"][0], json!({"code": a, "quantity": 2}));
    // No kit inside a kit, either way round.
    app.refused(
        "save_kit",
        kit("BIG", &[("GIFT", 1)]),
        "input.invalid",
        Some("components.0"),
    );
    // The Stock screen's kit row, if the demo shop sells GIFT; otherwise no row carries a kit.
    let rows = app.ok("stock_overview", json!({}));
    let with_bundle = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| !r["bundle"].is_null())
        .count();
    let sold = rows
        .as_array()
        .expect("rows")
        .iter()
        .any(|r| r["code"] == "GIFT");
    assert_eq!(with_bundle, usize::from(sold), "{rows}");
    assert!(
        rows.as_array()
            .expect("rows")
            .iter()
            .all(|r| r["locations"] == json!([])),
        "one location mapped: no per-location cells"
    );
    app.refused(
        "delete_kit",
        json!({"code": "NONE"}),
        "input.invalid",
        Some("code"),
    );
    assert_eq!(app.ok("delete_kit", json!({"code": "GIFT"})), json!([]));

    // The mapping needs both connections.
    let two = |w1: &str, w2: &str, l1: u64, l2: u64, s: (u32, u32), split: &str| {
        json!({"mapping": {"split": split, "links": [
            {"location_id": l1, "name": "", "warehouse": w1, "share_percent": s.0},
            {"location_id": l2, "name": "", "warehouse": w2, "share_percent": s.1}]}})
    };
    app.refused(
        "save_location_mapping",
        two("X", "Y", 1, 2, (0, 0), "all_to_first"),
        "input.invalid",
        Some("mapping"),
    );
    app.save_connections();
    let view = app.ok("location_mapping", json!({"refresh": true}));
    let ids: Vec<u64> = view["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .filter_map(|l| l["id"].as_u64())
        .collect();
    let warehouses: Vec<String> = view["warehouses"]
        .as_array()
        .expect("warehouses")
        .iter()
        .filter_map(|w| w["id"].as_str().map(str::to_owned))
        .collect();
    // The demo's second SmartBill warehouse holds nothing, so only the first is listed.
    assert!(ids.len() >= 2 && !warehouses.is_empty(), "{view}");
    assert_eq!(view["mapping"]["links"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        view["unmapped"].as_array().map(Vec::len),
        Some(ids.len() - 1)
    );
    let (w1, l1, l2) = (&warehouses[0], ids[0], ids[1]);
    let w2 = warehouses.last().unwrap_or(w1);

    let shares = app.refused(
        "save_location_mapping",
        two(w1, w1, l1, l2, (60, 30), "fixed_shares"),
        "input.invalid",
        Some("shares"),
    );
    assert_eq!(shares["params"]["total"], "90");
    app.refused(
        "save_location_mapping",
        two(w1, "Nu există", l1, l2, (0, 0), "all_to_first"),
        "input.invalid",
        Some(&format!("location.{l2}")),
    );
    app.refused(
        "save_location_mapping",
        two(w1, w2, l1, 987_654, (0, 0), "all_to_first"),
        "input.invalid",
        Some("location.987654"),
    );
    let prefs = app.ok("preferences", json!({}));
    assert_eq!(
        app.ok("location_mapping", json!({"refresh": false}))["mapping"],
        view["mapping"],
        "a refused mapping changes nothing"
    );

    let shared = app.ok(
        "save_location_mapping",
        two(w1, w1, l1, l2, (60, 40), "fixed_shares"),
    );
    assert_eq!(shared["mapping"]["split"], "fixed_shares");
    assert_eq!(shared["mapping"]["links"][1]["share_percent"], 40);
    assert!(
        shared["mapping"]["links"][1]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    let split = app.ok(
        "save_location_mapping",
        two(w1, w2, l1, l2, (0, 0), "all_to_first"),
    );
    assert_eq!(split["mapping"]["links"][1]["warehouse"], json!(w2));
    assert_eq!(split["mapping"]["split"], "all_to_first");
    assert_eq!(
        app.ok("preferences", json!({}))["default_buffer"],
        prefs["default_buffer"],
        "the other preferences stay"
    );

    // One location mapped (the second): it becomes the connection's location and warehouse.
    let one = json!({"mapping": {"split": "all_to_first", "links": [
        {"location_id": l2, "name": "", "warehouse": w2, "share_percent": 0}]}});
    let view = app.ok("save_location_mapping", one);
    assert_eq!(view["connection_location"], l2);
    assert_eq!(view["connection_warehouse"], json!(w2));
    assert_eq!(view["mapping"]["links"].as_array().map(Vec::len), Some(1));
    assert!(
        view["unmapped"]
            .as_array()
            .is_some_and(|u| u.contains(&json!(l1)))
    );
    let conns = app.ok("connections", json!({}));
    assert_eq!(conns["shopify"]["fields"]["location_id"], l2.to_string());
    println!("ipc step ok");
}
