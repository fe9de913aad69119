//! A stale write's re-plan never writes above what billing holds now less what is reserved now.
//! The re-plan does not read billing again, so when the invoice lane confirms an invoice with
//! stock discharge after the cycle's billing read, B as read still holds the discharged units
//! while R has already let them go: planned with R as it is now, the level came out that many
//! units too high (sold twice until the next read of that product). Real scheduler and lane,
//! simulators on loopback; the write is held by the simulator while the lane invoices and a
//! new order makes the write stale.

mod common;

use common::*;
use punte_engine::{EngineEvent, InvoiceOutcome, Phase, SyncScope};
use punte_sim::{Fault, FaultRule};
use serde_json::json;

const GRAPHQL: &str = "/admin/api/2026-07/graphql.json";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_confirmed_before_a_stale_replan_does_not_raise_the_level() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    let sku = code(0);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    // Order #1 holds two units: A = 8, R = 2, B = 10.
    let first = place_order(&w, &[(&sku, 2)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    assert_eq!(
        (available(&w, &sku).await, reserved(&r.store, &sku).await),
        (8, 2)
    );

    // A receipt of 5: the next cycle writes 15 − 2 = 13 over A₀ = 8. The write is held 3 s;
    // once the plan is made, the lane invoices order #1 (B 15 → 13, R 2 → 0) and order #2
    // takes one unit, so the write comes back stale and is re-planned.
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": sku, "quantity": 5}]}),
    )
    .await;
    let hold = FaultRule {
        path: GRAPHQL.into(),
        fault: Fault::Latency { ms: 3000 },
        times: Some(1),
    };
    w.shop
        .observer()
        .add_fault_when_body_contains("SetQuantities", hold);
    let mut events = r.engine.subscribe();
    let meanwhile = async {
        while let Ok(e) = events.recv().await {
            if let EngineEvent::Progress {
                phase: Phase::Plan,
                done: 1,
                ..
            } = e
            {
                let out = r.engine.issue_invoice(first).await.expect("invoice");
                place_order(&w, &[(&sku, 1)]).await;
                return out;
            }
        }
        panic!("no plan");
    };
    let (run, out) = tokio::join!(r.engine.sync_now(SyncScope::StockOnly), meanwhile);
    let run = run.expect("cycle");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert!(run.counts.stale_retries >= 1, "{run:?}");
    let (b_now, r_now) = (
        billing_stock(&w, &sku).await,
        reserved(&r.store, &sku).await,
    );
    assert_eq!((b_now, r_now), (13, 1), "discharged; order #2 reserved");
    assert_eq!(
        available(&w, &sku).await,
        b_now - r_now,
        "A = B now − R now, never the discharged units again: {run:?}"
    );
    r.engine.stop().await;
}
