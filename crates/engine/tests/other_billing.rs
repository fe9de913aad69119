//! Oblio and FGO end to end through the engine: the article's T0/T1/T2 story (stock reaches
//! Shopify, an order reserves, the invoice discharges stock) and the invoice's discharge as
//! the billing simulator records it, then a receipt reaching Shopify within one cycle.

mod common;

use common::*;
use punte_core::order::OrderState;
use punte_engine::{InvoiceOutcome, SyncScope};
use punte_sim::ServiceKind;
use serde_json::{Value, json};

/// Simulated time runs this much faster (FGO allows one article list per 30 s).
const SCALE: f64 = 20.0;

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
    let w = world_of(&b, 3, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
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
    story(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_t0_t1_t2_and_discharge() {
    story(FGO).await;
}
