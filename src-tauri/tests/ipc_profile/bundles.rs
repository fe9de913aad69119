//! Issue 18 over IPC: a Shopify bundle product defined only in Shopify's catalogue (a variant
//! that requires components, 2×A + 1×B), on a shop connected to loopback simulators. Ordered
//! twice, it reserves A 4 and B 2; the Stock screen's row for it is a "shopify" bundle whose
//! availability is the least its components' targets allow; Punte never writes it. Each
//! order's detail lists the bundle its component lines were sold in (`lineItemGroup`).

use punte_sim::ServiceKind;
use serde_json::{Value, json};

use crate::support::{TURN, env, in_child_with_sims, is_step, launch_connected};

const BUNDLE: &str = "PNT-CUTIE-CADOU";

#[test]
fn a_catalogue_bundle_shows_what_its_components_allow_on_stock() {
    in_child_with_sims("bundles::bundles_step", ServiceKind::SmartBill);
}

/// The Shopify simulator's control API (the app's Shopify URL is under the same origin).
fn shop_control(path: &str, body: Value) -> Value {
    let base = env(punte_app::SHOPIFY_URL_ENV);
    let origin: String = base.split('/').take(3).collect::<Vec<_>>().join("/");
    let url = format!("{origin}{}{path}", punte_sim::CONTROL_PREFIX);
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        let r = reqwest::Client::new()
            .post(&url)
            .json(&body)
            .send()
            .await
            .expect("control request");
        assert!(r.status().is_success(), "{url}: {}", r.status());
        r.json().await.expect("JSON")
    })
}

fn row(rows: &Value, code: &str) -> Value {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("{code} on Stock: {rows}"))
        .clone()
}

/// A full run; one that changes many products waits for "Apply" to confirm it.
fn apply(app: &crate::support::TestApp) {
    let mut run = app.ok("apply_sync", json!({"confirmed": false}));
    if run["outcome"]["outcome"] == "awaiting_confirmation" {
        run = app.ok("apply_sync", json!({"confirmed": true}));
    }
    assert!(
        run["outcome"]["outcome"] == "ok" || run["outcome"]["outcome"] == "partial",
        "{run}"
    );
}

/// The order detail's groups: one bundle over exactly its two component lines (A 2, B 1).
fn order_shows_its_bundle(detail: &Value, a: &str, b: &str) {
    let groups = detail["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2, "{detail}");
    for g in groups {
        assert_eq!(g["group_id"], groups[0]["group_id"], "one bundle: {detail}");
        assert_eq!(g["title"], "Cutie cadou");
        assert_eq!(g["quantity"], 1);
        assert_eq!(g["sku"], BUNDLE);
    }
    let lines = detail["order"]["lines"].as_array().expect("lines");
    let grouped: Vec<(String, i64)> = lines
        .iter()
        .filter(|l| groups.iter().any(|g| g["line"] == l["id"]))
        .map(|l| {
            let code = l["code"].as_str().unwrap_or_default().to_owned();
            (code, l["quantity"].as_i64().unwrap_or_default())
        })
        .collect();
    assert_eq!(grouped, [(a.to_owned(), 2), (b.to_owned(), 1)], "{detail}");
}

#[test]
fn bundles_step() {
    if !is_step("bundles::bundles_step") {
        return;
    }
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch_connected();
    apply(&app);
    // Two products in stock on both sides: A and B of the bundle.
    let rows = app.ok("stock_overview", json!({}));
    let stocked: Vec<String> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["status"] == "in_sync" && r["target"].as_i64() >= Some(6))
        .filter_map(|r| r["code"].as_str().map(str::to_owned))
        .collect();
    assert!(stocked.len() >= 2, "{rows}");
    let (a, b) = (stocked[0].clone(), stocked[1].clone());
    let (ra, rb) = (
        row(&rows, &a)["reserved"].clone(),
        row(&rows, &b)["reserved"].clone(),
    );

    let parent = json!({"title": "Cutie cadou", "variants": [{"title": "Default Title",
        "sku": BUNDLE, "price": "300.00", "stock": 0,
        "components": [{"sku": a, "quantity": 2}, {"sku": b, "quantity": 1}]}]});
    shop_control("/shopify/seed", json!({"products": [parent]}));
    let mut orders = Vec::new();
    for _ in 0..2 {
        let placed = shop_control(
            "/shopify/orders",
            json!({"lines": [{"sku": BUNDLE, "quantity": 1}], "first_name": "Ana",
                "last_name": "Pop", "email": "ana@example.ro", "city": "Cluj-Napoca"}),
        );
        orders.push(placed["numericId"].as_u64().expect("order id"));
    }
    apply(&app);
    for id in orders {
        let detail = app.ok("order_detail", json!({"id": id}));
        order_shows_its_bundle(&detail, &a, &b);
    }

    let rows = app.ok("stock_overview", json!({}));
    let (ra2, rb2) = (row(&rows, &a), row(&rows, &b));
    assert_eq!(
        ra2["reserved"].as_i64(),
        ra.as_i64().map(|r| r + 4),
        "A: 2 × 2"
    );
    assert_eq!(
        rb2["reserved"].as_i64(),
        rb.as_i64().map(|r| r + 2),
        "B: 2 × 1"
    );
    let bundle = row(&rows, BUNDLE);
    assert_eq!(bundle["status"], "bundle", "{bundle}");
    assert_eq!(bundle["bundle"]["kind"], "shopify", "{bundle}");
    assert_eq!(
        bundle["bundle"]["components"],
        json!([{"code": a, "quantity": 2}, {"code": b, "quantity": 1}])
    );
    let (ta, tb) = (
        ra2["target"].as_i64().expect("A's target"),
        rb2["target"].as_i64().expect("B's target"),
    );
    assert_eq!(
        bundle["bundle"]["available"].as_i64(),
        Some((ta / 2).min(tb)),
        "{bundle}"
    );
    // Punte wrote (the demo's drifted products), never the parent: no audit row for its code.
    let page = app.ok("audit_page", json!({"query": {"limit": 1000}}));
    let codes: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["change"]["code"].as_str())
        .collect();
    assert!(!codes.is_empty(), "{page}");
    assert!(!codes.contains(&BUNDLE), "{page}");
    println!("ipc step ok");
}
