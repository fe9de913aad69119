//! Several Shopify locations mapped to billing warehouses (issue 18), end to end against the
//! Shopify and SmartBill simulators: each location gets its own warehouse's stock minus the
//! orders Shopify assigned to it, a receipt in one warehouse moves only its location, and two
//! locations sharing one warehouse split it by the merchant's fixed shares. The same story with
//! Oblio, whose warehouses are a work point and a management ("Cluj / Magazin").

mod common;

use common::*;
use punte_core::locations::{LocationLink, LocationSettings, SplitRule};
use punte_core::order::OrderId;
use punte_engine::{InvoiceOutcome, SyncScope};
use serde_json::json;

const SHOP_WAREHOUSE: &str = "Magazin Cluj";

/// Adds a Shopify location; returns its id.
async fn add_location(w: &World, name: &str) -> u64 {
    post(&w.shop, "/shopify/locations", json!({"name": name})).await["id"]
        .as_u64()
        .expect("location id")
}

/// Shopify `available` of `sku` at `location`.
async fn available_at(w: &World, location: u64, sku: &str) -> i64 {
    let levels = w.client.levels_at(location).await.expect("levels");
    levels
        .iter()
        .find(|l| l.sku.as_deref() == Some(sku))
        .map(|l| l.available)
        .expect("level of sku")
}

/// Places an order whose lines are (sku, quantity, location).
async fn order_at(w: &World, lines: &[(&str, i64, u64)]) -> OrderId {
    let lines: Vec<_> = lines
        .iter()
        .map(|(s, q, l)| json!({"sku": s, "quantity": q, "location_id": l}))
        .collect();
    let v = post(&w.shop, "/shopify/orders", json!({"lines": lines})).await;
    OrderId(v["numericId"].as_u64().expect("order id"))
}

fn link(location_id: u64, warehouse: &str, share_percent: u32) -> LocationLink {
    LocationLink {
        location_id,
        name: warehouse.into(),
        warehouse: warehouse.into(),
        share_percent,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_locations_two_warehouses_a_receipt_moves_only_its_location() {
    let w = world(2, 0, 10, 1.0).await;
    let second = add_location(&w, "Magazin Cluj").await;
    let articles: Vec<_> = (0..2)
        .map(|i| {
            json!({"code": code(i), "name": format!("Produs {i}"), "unit": "buc",
                "price": "121.00", "vat_percent": 21, "stock": "6"})
        })
        .collect();
    post(
        &w.bill,
        "/billing/seed",
        json!({"articles": articles, "warehouse": SHOP_WAREHOUSE}),
    )
    .await;
    let mut config = config(&w, 1.0);
    config.settings.locations = LocationSettings {
        links: vec![
            link(w.location, WAREHOUSE, 0),
            link(second, SHOP_WAREHOUSE, 0),
        ],
        split: SplitRule::AllToFirst,
    };
    let r = start_with(&w, config, memory_store());
    let p0 = code(0);
    order_at(&w, &[(&p0, 2, w.location)]).await;
    order_at(&w, &[(&p0, 1, second)]).await;

    r.engine.sync_now(SyncScope::All).await.expect("first sync");
    assert_eq!(available_at(&w, w.location, &p0).await, 10 - 2);
    assert_eq!(available_at(&w, second, &p0).await, 6 - 1);
    assert_eq!(available_at(&w, w.location, &code(1)).await, 10);
    assert_eq!(available_at(&w, second, &code(1)).await, 6);

    // A goods receipt (NIR) in the shop's warehouse: only the shop's level moves.
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": SHOP_WAREHOUSE, "lines": [{"code": p0, "quantity": 4}]}),
    )
    .await;
    let run = r
        .engine
        .sync_now(SyncScope::All)
        .await
        .expect("second sync");
    assert_eq!(available_at(&w, second, &p0).await, 5 + 4, "{run:?}");
    assert_eq!(available_at(&w, w.location, &p0).await, 8, "untouched");
    assert_eq!(
        run.counts.products_written, 1,
        "one write, at the shop: {run:?}"
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_locations_sharing_one_warehouse_split_it_by_fixed_shares() {
    let w = world(1, 0, 10, 1.0).await;
    let second = add_location(&w, "Showroom").await;
    let mut config = config(&w, 1.0);
    config.settings.locations = LocationSettings {
        links: vec![link(w.location, WAREHOUSE, 70), link(second, WAREHOUSE, 30)],
        split: SplitRule::FixedShares,
    };
    let r = start_with(&w, config, memory_store());
    let p0 = code(0);
    order_at(&w, &[(&p0, 2, w.location)]).await;
    order_at(&w, &[(&p0, 1, second)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("sync");
    // 10 split 7 / 3, less what each location's orders hold.
    assert_eq!(available_at(&w, w.location, &p0).await, 7 - 2);
    assert_eq!(available_at(&w, second, &p0).await, 3 - 1);

    // A split order: its units count at each line's own location.
    order_at(&w, &[(&p0, 1, w.location), (&p0, 1, second)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("sync");
    assert_eq!(available_at(&w, w.location, &p0).await, 7 - 3);
    assert_eq!(available_at(&w, second, &p0).await, 3 - 2);
    r.engine.stop().await;
}

/// SmartBill stock of `code` in `warehouse` (the simulator's `/stocks`).
async fn stock_in(w: &World, warehouse: &str, code: &str) -> i64 {
    let c = w.bill.credentials();
    let v: serde_json::Value = http()
        .get(format!("{}/stocks", w.bill.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .query(&[
            ("cif", c.get("cif")),
            ("date", &chrono::Utc::now().format("%Y-%m-%d").to_string()),
            ("warehouseName", warehouse),
            ("productCode", code),
        ])
        .send()
        .await
        .expect("stocks")
        .json()
        .await
        .expect("json");
    let q = &v["list"][0]["products"][0]["quantity"];
    q.as_f64()
        .or_else(|| q.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0.0) as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_split_fulfilment_discharges_each_line_from_its_own_warehouse() {
    let w = world(2, 0, 10, 1.0).await;
    let second = add_location(&w, "Magazin Cluj").await;
    let articles: Vec<_> = (0..2)
        .map(|i| {
            json!({"code": code(i), "name": format!("Produs {i}"), "unit": "buc",
                "price": "121.00", "vat_percent": 21, "stock": "6"})
        })
        .collect();
    post(
        &w.bill,
        "/billing/seed",
        json!({"articles": articles, "warehouse": SHOP_WAREHOUSE}),
    )
    .await;
    let mut config = config(&w, 1.0);
    config.settings.locations = LocationSettings {
        links: vec![
            link(w.location, WAREHOUSE, 0),
            link(second, SHOP_WAREHOUSE, 0),
        ],
        split: SplitRule::AllToFirst,
    };
    let r = start_with(&w, config, memory_store());
    let (p0, p1) = (code(0), code(1));
    let order = order_at(&w, &[(&p0, 1, w.location), (&p1, 2, second)]).await;
    r.engine
        .sync_now(SyncScope::All)
        .await
        .expect("import and place");
    r.engine.issue_invoice(order).await.expect("invoice");
    assert_eq!(
        stock_in(&w, WAREHOUSE, &p0).await,
        10 - 1,
        "P0 from the depot"
    );
    assert_eq!(
        stock_in(&w, WAREHOUSE, &p1).await,
        10,
        "P1 not from the depot"
    );
    assert_eq!(
        stock_in(&w, SHOP_WAREHOUSE, &p1).await,
        6 - 2,
        "P1 from the shop"
    );
    assert_eq!(
        stock_in(&w, SHOP_WAREHOUSE, &p0).await,
        6,
        "P0 not from the shop"
    );
    r.engine.stop().await;
}

/// Oblio stock of `code` in `management` of `work_station` (the simulator's state).
async fn oblio_stock(w: &World, work_station: &str, management: &str, code: &str) -> f64 {
    let st = get(&w.bill, "/state").await;
    st["products"][code]["stock"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["work_station"] == work_station && r["management"] == management)
        })
        .map_or(0.0, |r| {
            let q = &r["quantity"];
            q.as_f64()
                .or_else(|| q.as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(f64::NAN)
        })
}

/// Oblio: the depot at the default work point and a shop at work point "Cluj", each mapped to
/// its own Shopify location. Levels per location, a receipt at one work point moving only its
/// location, and an order fulfilled in Cluj discharged from Cluj's work point and management.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_two_work_points_two_locations() {
    const SCALE: f64 = 20.0;
    let w = world_of(&OBLIO, 2, 10, SCALE).await;
    let second = add_location(&w, "Magazin Cluj").await;
    let (p0, p1) = (code(0), code(1));
    let receive = |lines: serde_json::Value| {
        post(
            &w.bill,
            "/billing/receive",
            json!({"warehouse": "Magazin", "work_station": "Cluj", "lines": lines}),
        )
    };
    receive(json!([{"code": p0, "quantity": 6}, {"code": p1, "quantity": 6}])).await;
    let shop = punte_billing::oblio::warehouse_id("Cluj", "Magazin");
    assert_eq!(shop, "Cluj / Magazin");
    let (mut config, secret) = billing_config(&w, &OBLIO, SCALE);
    config.settings.locations = LocationSettings {
        links: vec![link(w.location, WAREHOUSE, 0), link(second, &shop, 0)],
        split: SplitRule::AllToFirst,
    };
    let r = start_billing_with(&w, config, &secret, memory_store());
    order_at(&w, &[(&p0, 2, w.location)]).await;
    order_at(&w, &[(&p0, 1, second)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("first sync");
    assert_eq!(available_at(&w, w.location, &p0).await, 10 - 2);
    assert_eq!(available_at(&w, second, &p0).await, 6 - 1);
    assert_eq!(available_at(&w, second, &p1).await, 6);

    receive(json!([{"code": p0, "quantity": 4}])).await;
    r.engine.sync_now(SyncScope::All).await.expect("after NIR");
    assert_eq!(available_at(&w, second, &p0).await, 5 + 4);
    assert_eq!(available_at(&w, w.location, &p0).await, 8, "untouched");

    // An order fulfilled at the Cluj location is invoiced with Cluj's work point and
    // management.
    let order = order_at(&w, &[(&p1, 2, second)]).await;
    r.engine
        .sync_now(SyncScope::All)
        .await
        .expect("import and place");
    let out = r.engine.issue_invoice(order).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert_eq!(
        oblio_stock(&w, "Cluj", "Magazin", &p1).await,
        4.0,
        "P1 from Cluj"
    );
    assert_eq!(
        oblio_stock(&w, "Sediu", WAREHOUSE, &p1).await,
        10.0,
        "not the depot"
    );

    // Split across the two work points: Oblio takes one `workStation` per document, so one
    // invoice would leave the depot's line undischarged. Refused before any call, nothing
    // issued and no stock moved; the reason names what Oblio cannot do.
    let split = order_at(&w, &[(&p0, 1, w.location), (&p1, 1, second)]).await;
    r.engine
        .sync_now(SyncScope::All)
        .await
        .expect("import split");
    let out = r.engine.issue_invoice(split).await.expect("answer");
    assert!(
        matches!(&out, InvoiceOutcome::Failed { error } if error.code == "billing.not_supported"),
        "{out:?}"
    );
    assert_eq!(oblio_stock(&w, "Cluj", "Magazin", &p1).await, 4.0);
    assert_eq!(oblio_stock(&w, "Sediu", WAREHOUSE, &p0).await, 10.0);
    r.engine.stop().await;
}
