//! Two guards of the invoice lane, end to end on the billing simulators. The VAT check before
//! issuing reads each product's rate by itself (FGO `articol/get`, Oblio
//! `nomenclature/products?code=`), never the whole warehouse: an order of six codes on a
//! warehouse of several hundred articles is checked (and a mismatch still held) with no
//! `articol/list` page and no unfiltered product page in the simulator's log. And an order held
//! by the checks, then cancelled in Shopify, is never invoiced when the merchant retries: the
//! retry is refused and the item stays in needs-review, not a silent intent a later pass sends.

mod common;

use common::*;
use punte_core::order::{OrderId, OrderState};
use punte_engine::{InvoiceOutcome, Resolution, SyncScope};
use punte_sim::ServiceKind;
use punte_store::OutboxState;
use serde_json::{Value, json};

/// Simulated time runs this much faster (FGO paces its article reads).
const SCALE: f64 = 20.0;

async fn documents(w: &World, b: &Billing) -> Vec<Value> {
    let st = get(&w.bill, "/state").await;
    let key = match b.kind {
        ServiceKind::Oblio => "docs",
        _ => "invoices",
    };
    st[key].as_array().cloned().unwrap_or_default()
}

/// The rate of `sku` in the billing service becomes `percent` (SmartBill: the company's
/// standard rate, it shows no product rate).
async fn billing_rate(w: &World, b: &Billing, sku: &str, percent: u32) {
    match b.kind {
        ServiceKind::SmartBill => {
            let taxes = json!([["Normala", percent], ["Redusa", 11], ["Taxare inversa", 0]]);
            post(&w.bill, "/billing/taxes", json!({"taxes": taxes})).await;
        }
        _ => {
            let line = json!({"code": sku, "quantity": 0, "vat": percent});
            let body = json!({"warehouse": b.warehouse, "lines": [line]});
            post(&w.bill, "/billing/receive", body).await;
        }
    }
}

/// Places and imports an order of one unit of each of `skus`.
async fn order_of(w: &World, r: &Running, skus: &[String]) -> OrderId {
    let lines: Vec<Value> = skus
        .iter()
        .map(|s| json!({"sku": s, "quantity": 1}))
        .collect();
    let body = json!({"lines": lines, "first_name": "Ana", "last_name": "Pop",
        "email": "ana@example.ro", "city": "Cluj-Napoca"});
    let v = post(&w.shop, "/shopify/orders", body).await;
    let id = OrderId(v["numericId"].as_u64().expect("order id"));
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    id
}

/// Requests since the last reset that read the whole warehouse (or a page of it).
fn warehouse_sweeps(w: &World, b: &Billing) -> Vec<String> {
    w.bill
        .observer()
        .log()
        .into_iter()
        .filter(|r| match b.kind {
            ServiceKind::Fgo => r.path.ends_with("/articol/list"),
            ServiceKind::Oblio => {
                r.path.ends_with("/nomenclature/products")
                    && !r.query.as_deref().unwrap_or_default().contains("code=")
            }
            _ => r.path.ends_with("/stocks"),
        })
        .map(|r| format!("{} {}?{}", r.method, r.path, r.query.unwrap_or_default()))
        .collect()
}

async fn six_codes_without_a_sweep(b: Billing) {
    let w = world_of(&b, 400, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    let skus: Vec<String> = (0..6).map(code).collect();
    billing_rate(&w, &b, &skus[3], 19).await;
    let o = order_of(&w, &r, &skus).await;

    w.bill.observer().clear();
    let out = r.engine.issue_invoice(o).await.expect("checked");
    let InvoiceOutcome::NeedsReview { detail } = &out else {
        panic!("{:?}: the 19 % product is held: {out:?}", b.kind);
    };
    assert!(
        detail.contains(skus[3].as_str()) && detail.contains("19 %"),
        "{detail}"
    );
    assert!(documents(&w, &b).await.is_empty(), "nothing issued");
    let sweeps = warehouse_sweeps(&w, &b);
    assert!(
        sweeps.is_empty(),
        "{:?}: the whole warehouse read: {sweeps:?}",
        b.kind
    );

    billing_rate(&w, &b, &skus[3], 21).await;
    w.bill.observer().clear();
    let out = r
        .engine
        .resolve_review(o, Resolution::IssueAnew)
        .await
        .expect("retry");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    let sweeps = warehouse_sweeps(&w, &b);
    assert!(
        sweeps.is_empty(),
        "{:?}: the whole warehouse read: {sweeps:?}",
        b.kind
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_vat_check_of_six_codes_reads_no_article_list() {
    six_codes_without_a_sweep(FGO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_vat_check_of_six_codes_reads_no_whole_warehouse() {
    six_codes_without_a_sweep(OBLIO).await;
}

async fn held_cancelled_then_retried(b: Billing) {
    let w = world_of(&b, 3, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    let sku = code(0);
    billing_rate(&w, &b, &sku, 19).await;
    let o = order_of(&w, &r, std::slice::from_ref(&sku)).await;
    let out = r.engine.issue_invoice(o).await.expect("checked");
    assert!(matches!(out, InvoiceOutcome::NeedsReview { .. }), "{out:?}");

    // The merchant fixes the rate, but the customer cancels in Shopify meanwhile.
    billing_rate(&w, &b, &sku, 21).await;
    let cancel = format!("/shopify/orders/{}/cancel", o.0);
    post(&w.shop, &cancel, json!({"restock": true})).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    assert_eq!(state_of(&r.store, o).await, OrderState::Cancelled);

    let retried = r.engine.resolve_review(o, Resolution::IssueAnew).await;
    assert!(
        !matches!(retried, Ok(InvoiceOutcome::Issued { .. })),
        "{retried:?}"
    );
    for _ in 0..2 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("orders job");
    }
    assert!(
        documents(&w, &b).await.is_empty(),
        "{:?}: no invoice",
        b.kind
    );
    assert_eq!(
        outbox_state(&r, o).await,
        OutboxState::NeedsReview,
        "{:?}: still in review, not a silent intent",
        b.kind
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_held_order_cancelled_is_not_invoiced_on_retry() {
    held_cancelled_then_retried(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_held_order_cancelled_is_not_invoiced_on_retry() {
    held_cancelled_then_retried(FGO).await;
}
