//! Invoicing from the window against the simulators: it does not wait behind a sync in
//! progress; the billing call window survives a restart (no SmartBill block from a restarted
//! bulk run); and once SmartBill blocks the account, a bulk run stops calling it and every
//! order says until when — also after a restart.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use punte_engine::{InvoiceOutcome, SyncScope};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_from_the_window_does_not_wait_behind_a_sync() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let order = place_order(&w, &[(&code(0), 1)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    // Shopify answers slowly: the next sync takes several seconds.
    post(
        &w.shop,
        "/faults",
        json!({"path": "/admin/api/2026-07/graphql.json", "mode": "latency", "ms": 1500,
            "times": 4}),
    )
    .await;
    let engine = Arc::new(r.engine);
    let syncing = {
        let engine = Arc::clone(&engine);
        tokio::spawn(async move { engine.sync_now(SyncScope::Full).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let out = engine.issue_invoice(order).await.expect("invoice");
    let took = started.elapsed();
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert!(
        !syncing.is_finished(),
        "the invoice was issued while the sync still ran (it took {took:?})"
    );
    syncing
        .await
        .expect("task")
        .expect("the sync ends well too");
    assert_eq!(invoices(&w).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_the_window_and_a_block_pauses_bulk_invoicing() {
    // Real time: both halves of the run below (48 billing calls) fit in SmartBill's 10 s
    // window, so a restarted engine that forgot the first half would be blocked.
    let scale = 1.0;
    let w = world(4, 0, 1_000, scale).await;
    let store = memory_store();
    let first = start_with(&w, config(&w, scale), store.clone());
    first.engine.sync_now(SyncScope::Full).await.expect("T0");
    let mut orders = Vec::new();
    for i in 0..26 {
        orders.push(place_order(&w, &[(&code(i % 4), 1)]).await);
    }
    first
        .engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    let before: Vec<_> = orders[..12].to_vec();
    for (_, out) in first.engine.issue_invoices(before).await.expect("bulk") {
        assert!(matches!(out, Ok(InvoiceOutcome::Issued { .. })), "{out:?}");
    }
    first.engine.stop().await;
    // The app restarts on the same data: the calls of the last second still count.
    let second = start_with(&w, config(&w, scale), store.clone());
    let after: Vec<_> = orders[12..24].to_vec();
    for (_, out) in second.engine.issue_invoices(after).await.expect("bulk") {
        assert!(matches!(out, Ok(InvoiceOutcome::Issued { .. })), "{out:?}");
    }
    let refused = w
        .bill
        .observer()
        .log()
        .iter()
        .filter(|l| l.status == 429)
        .count();
    assert_eq!(refused, 0, "never blocked across the restart");

    // Someone else's burst on the same token blocks it for 10 minutes.
    let c = w.bill.credentials();
    for _ in 0..31 {
        let _ = http()
            .get(format!("{}/tax?cif={}", w.bill.base_url(), c.get("cif")))
            .basic_auth(c.get("email"), Some(c.get("token")))
            .send()
            .await;
    }
    let seen = w.bill.observer().log().len();
    let rest: Vec<_> = orders[24..].to_vec();
    let outs = second
        .engine
        .issue_invoices(rest.clone())
        .await
        .expect("bulk");
    for (_, out) in &outs {
        match out {
            Ok(InvoiceOutcome::Waiting { error }) => {
                assert_eq!(error.code, "billing.blocked");
                assert!(error.message.contains("until"), "{}", error.message);
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(
        w.bill.observer().log().len() - seen <= 1,
        "one call learnt of the block; the rest of the bulk run made none"
    );
    second.engine.stop().await;
    let third = start_with(&w, config(&w, scale), store);
    let seen = w.bill.observer().log().len();
    let out = third.engine.issue_invoice(rest[0]).await.expect("engine");
    assert!(
        matches!(&out, InvoiceOutcome::Waiting { error } if error.code == "billing.blocked"),
        "{out:?}"
    );
    assert_eq!(
        w.bill.observer().log().len(),
        seen,
        "after a restart the block is still honoured without a call"
    );
}
