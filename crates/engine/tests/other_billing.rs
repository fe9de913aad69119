//! Oblio and FGO end to end through the engine: the article's T0/T1/T2 story (stock reaches
//! Shopify, an order reserves, the invoice discharges stock) and the invoice's discharge as
//! the billing simulator records it, then a receipt reaching Shopify within one cycle.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use punte_core::order::OrderState;
use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_engine::{
    BillingAccount, Engine, EngineDeps, InvoiceOutcome, MemorySecrets, RecordingNotifier,
    SyncScope, SystemClock,
};
use punte_shopify::{Credentials, Secret, ShopifyClient, ShopifyConfig};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};

/// Simulated time runs this much faster (FGO allows one article list per 30 s).
const SCALE: f64 = 20.0;

struct Billing {
    kind: ServiceKind,
    /// The warehouse as the engine names it (Oblio: management name; FGO: gestiune code).
    warehouse: &'static str,
    series: &'static str,
}

async fn world_of(b: &Billing, n: usize, bill_stock: i64) -> World {
    let opts = SimOptions {
        time_scale: SCALE,
        shopify_bucket: (20_000.0, 2_000.0),
        ..SimOptions::default()
    };
    let shop = SimServer::start(ServiceKind::Shopify, opts.clone())
        .await
        .expect("shopify sim");
    let bill = SimServer::start(b.kind, opts).await.expect("billing sim");
    let products: Vec<Value> = (0..n)
        .map(|i| {
            json!({"title": format!("Produs {i}"), "variants": [{"title": "Default Title",
            "sku": code(i), "price": "121.00", "stock": 0}]})
        })
        .collect();
    post(&shop, "/shopify/seed", json!({"products": products})).await;
    let lines: Vec<Value> = (0..n)
        .map(|i| json!({"code": code(i), "name": format!("Produs {i}"), "quantity": bill_stock}))
        .collect();
    post(
        &bill,
        "/billing/receive",
        json!({"warehouse": b.warehouse, "lines": lines}),
    )
    .await;
    let mut config = ShopifyConfig::new(
        shop.base_url(),
        Credentials::StaticToken(Secret::new(shop.credentials().get("static_token"))),
    );
    config.request_timeout = Duration::from_secs(10);
    let client = ShopifyClient::new(config).expect("client");
    let location = client.locations().await.expect("locations")[0].id;
    World {
        shop,
        bill,
        location,
        client,
    }
}

fn start_on(w: &World, b: &Billing) -> Running {
    let c = w.bill.credentials();
    let mut cfg = config(w, SCALE);
    let secret = match b.kind {
        ServiceKind::Oblio => {
            cfg.connections.billing = BillingAccount::Oblio {
                email: c.get("client_id").into(),
                cif: c.get("cif").into(),
            };
            c.get("client_secret")
        }
        _ => {
            cfg.connections.billing = BillingAccount::Fgo {
                cod_unic: c.get("cod_unic").into(),
                platform_url: "https://punte.local".into(),
                series: vec![b.series.into()],
            };
            c.get("private_key")
        }
    };
    cfg.connections.warehouse = b.warehouse.into();
    cfg.connections.request_timeout = Duration::from_secs(10);
    cfg.settings.invoice_series = b.series.into();
    let (events, _) = tokio::sync::broadcast::channel(1024);
    let notes = Arc::new(RecordingNotifier::default());
    let store = memory_store();
    let deps = EngineDeps {
        store: store.clone(),
        notifier: notes.clone(),
        secrets: Arc::new(MemorySecrets::with(&[
            (SHOPIFY_SECRET, w.shop.credentials().get("static_token")),
            (BILLING_SECRET, secret),
        ])),
        clock: Arc::new(SystemClock),
        events,
    };
    Running {
        engine: Engine::start(cfg, deps),
        store,
        notes,
    }
}

fn number(v: &Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(f64::NAN)
}

/// (stock of `code` in the billing warehouse, issued documents) from the simulator's state.
async fn billing_side(w: &World, b: &Billing, code: &str) -> (f64, Vec<Value>) {
    let st = get(&w.bill, "/state").await;
    let (products, docs) = match b.kind {
        ServiceKind::Oblio => ("products", "docs"),
        _ => ("articles", "invoices"),
    };
    let key = match b.kind {
        ServiceKind::Oblio => b.warehouse.to_owned(),
        _ => "G1".to_owned(),
    };
    let stock = match b.kind {
        // Oblio keeps stock per (work point, management).
        ServiceKind::Oblio => st[products][code]["stock"]
            .as_array()
            .and_then(|rows| {
                rows.iter()
                    .find(|r| r["work_station"] == "Sediu" && r["management"] == key.as_str())
            })
            .map_or(f64::NAN, |r| number(&r["quantity"])),
        _ => number(&st[products][code]["stock"][key]),
    };
    (stock, st[docs].as_array().cloned().unwrap_or_default())
}

async fn story(b: Billing) {
    let w = world_of(&b, 3, 10).await;
    let r = start_on(&w, &b);
    let sku = code(0);

    // T0: billing stock reaches Shopify.
    let run = r.engine.sync_now(SyncScope::Full).await.expect("T0");
    assert_eq!(run.counts.products_written, 3, "{run:?}");
    assert_eq!(available(&w, &sku).await, 10, "T0");

    // T1: an order for 1: Shopify lowers A, Punte reserves, nothing to write.
    let order = place_order(&w, &[(&sku, 1)]).await;
    let run = r.engine.sync_now(SyncScope::All).await.expect("T1");
    assert_eq!(run.counts.products_written, 0, "{run:?}");
    assert_eq!(reserved(&r.store, &sku).await, 1, "T1: R = 1");
    assert_eq!(available(&w, &sku).await, 9, "T1: A = 9");
    assert_eq!(billing_side(&w, &b, &sku).await.0, 10.0, "T1: B = 10");

    // T2: the invoice discharges 1 from the warehouse; the reservation ends; A stays 9.
    let out = r.engine.issue_invoice(order).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    let (stock, docs) = billing_side(&w, &b, &sku).await;
    assert_eq!(stock, 9.0, "T2: B = 9");
    assert_eq!(docs.len(), 1, "{docs:?}");
    let discharges = docs[0]["discharges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(discharges.len(), 1, "{docs:?}");
    // FGO keeps (gestiune, code, quantity); Oblio names its fields (with the work point).
    let (got_code, got_qty) = match b.kind {
        ServiceKind::Oblio => (&discharges[0]["code"], &discharges[0]["quantity"]),
        _ => (&discharges[0][1], &discharges[0][2]),
    };
    assert_eq!(*got_code, json!(sku), "{docs:?}");
    assert_eq!(number(got_qty), 1.0, "{docs:?}");
    assert_eq!(reserved(&r.store, &sku).await, 0, "T2: R = 0");
    assert_eq!(
        state_of(&r.store, order).await,
        OrderState::Invoiced {
            stock_discharged: true
        }
    );
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("T2");
    assert_eq!(run.counts.products_written, 0, "{run:?}");
    assert_eq!(available(&w, &sku).await, 9, "T2: B = A + R");

    // Asking again never issues a second invoice.
    let again = r.engine.issue_invoice(order).await.expect("again");
    assert!(
        matches!(again, InvoiceOutcome::AlreadyIssued { .. }),
        "{again:?}"
    );
    assert_eq!(billing_side(&w, &b, &sku).await.1.len(), 1);

    // A receipt of 5 reaches Shopify within one cycle.
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": b.warehouse, "lines": [{"code": sku, "quantity": 5}]}),
    )
    .await;
    r.engine.sync_now(SyncScope::StockOnly).await.expect("NIR");
    assert_eq!(available(&w, &sku).await, 14, "A = B − R = 14");
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_t0_t1_t2_and_discharge() {
    story(Billing {
        kind: ServiceKind::Oblio,
        warehouse: WAREHOUSE,
        series: "FCT",
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_t0_t1_t2_and_discharge() {
    story(Billing {
        kind: ServiceKind::Fgo,
        warehouse: "G1",
        series: "PNT",
    })
    .await;
}
