//! A slow billing service commits an invoice after the client gave up (the simulators'
//! `commit_late` fault): the call's answer is lost, the read right after finds nothing, and a
//! pass moments later (Sync now, or the merchant again) still finds nothing because the commit
//! has not landed. Reading "absent" then must not send the invoice again: within the grace
//! after the last attempt the item stays sent; once the grace is over, a read finds the late
//! invoice. One invoice, one stock discharge, on SmartBill, Oblio and FGO.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::*;
use punte_engine::{InvoiceOutcome, ManualClock, SyncScope};
use punte_sim::ServiceKind;
use punte_store::OutboxState;
use serde_json::{Value, json};

const SCALE: f64 = 20.0;

/// Where each simulator takes a new invoice (as its request log names the path).
fn invoice_path(b: &Billing) -> &'static str {
    match b.kind {
        ServiceKind::SmartBill => "/SBORO/api/invoice/v2",
        ServiceKind::Oblio => "/api/docs/invoice",
        _ => "/v1/factura/emitere",
    }
}

/// Invoice calls that reached the service (a late commit included).
fn invoice_calls(w: &World, b: &Billing) -> usize {
    w.bill
        .observer()
        .log()
        .iter()
        .filter(|r| r.method == "POST" && r.path == invoice_path(b))
        .count()
}

/// (documents the simulator holds, warehouse stock of `code`).
async fn docs_and_stock(w: &World, b: &Billing, code: &str) -> (usize, i64) {
    let st = get(&w.bill, "/state").await;
    let as_int = |v: &Value| match v {
        Value::String(s) => s.parse::<f64>().unwrap_or(-1.0) as i64,
        other => other.as_f64().unwrap_or(-1.0) as i64,
    };
    match b.kind {
        ServiceKind::SmartBill => (invoices(w).await.len(), billing_stock(w, code).await),
        ServiceKind::Oblio => {
            let stock = st["products"][code]["stock"]
                .as_array()
                .and_then(|rows| rows.iter().find(|r| r["management"] == b.warehouse))
                .map_or(-1, |r| as_int(&r["quantity"]));
            (st["docs"].as_array().map_or(0, Vec::len), stock)
        }
        _ => (
            st["invoices"].as_array().map_or(0, Vec::len),
            as_int(&st["articles"][code]["stock"][b.warehouse]),
        ),
    }
}

async fn late_invoice_is_issued_once(b: Billing) {
    let w = world_of(&b, 1, 10, SCALE).await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let (mut cfg, secret) = billing_config(&w, &b, SCALE);
    cfg.connections.request_timeout = Duration::from_millis(1500);
    let r = start_billing_with_clock(&w, cfg, &secret, memory_store(), clock.clone());
    let sku = code(0);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let order = place_order(&w, &[(&sku, 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    assert_eq!(docs_and_stock(&w, &b, &sku).await, (0, 10), "{:?}", b.kind);

    // The service takes 3.5 s to commit the invoice; the client gives up after 1.5 s.
    let late = json!({"path": invoice_path(&b), "mode": "commit_late", "ms": 3500, "times": 1});
    post(&w.bill, "/faults", late).await;
    w.bill.observer().clear();
    let first = r.engine.issue_invoice(order).await.expect("first");
    assert!(
        matches!(first, InvoiceOutcome::Waiting { .. }),
        "{:?}: the answer is lost: {first:?}",
        b.kind
    );
    // Moments later, before the commit lands: the read finds nothing; nothing is sent again,
    // and the service answering is no outage.
    let again = r.engine.issue_invoice(order).await.expect("again");
    assert!(
        matches!(&again, InvoiceOutcome::Waiting { error } if error.code == "engine.answer_unsettled"),
        "{:?}: {again:?}",
        b.kind
    );
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("an orders job within the grace");
    assert_eq!(
        outbox_state(&r, order).await,
        OutboxState::Sent,
        "{:?}",
        b.kind
    );

    // The late commit lands; once the grace is over a read finds it.
    tokio::time::sleep(Duration::from_millis(4000)).await;
    clock.advance(TimeDelta::hours(1));
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("orders job");
    assert_eq!(
        outbox_state(&r, order).await,
        OutboxState::Confirmed,
        "{:?}: found by the read",
        b.kind
    );
    assert_eq!(
        docs_and_stock(&w, &b, &sku).await,
        (1, 9),
        "{:?}: one invoice, one discharge",
        b.kind
    );
    assert_eq!(invoice_calls(&w, &b), 1, "{:?}: one invoice call", b.kind);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_late_invoice_is_issued_once() {
    late_invoice_is_issued_once(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_late_invoice_is_issued_once() {
    late_invoice_is_issued_once(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_late_invoice_is_issued_once() {
    late_invoice_is_issued_once(FGO).await;
}
