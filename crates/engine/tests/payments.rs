//! Issue 13 item 2: cash on delivery and every payment status. A PENDING cash-on-delivery order
//! reserves exactly like a paid one; a payment voided or refunded before the invoice releases
//! the stock, and a live payment again reserves it again; "when paid" auto-invoicing waits for
//! PAID (or PARTIALLY_REFUNDED) and then invoices.

mod common;

use common::*;
use punte_core::order::{OrderId, OrderState};
use punte_engine::{AutoInvoice, SyncScope};
use serde_json::{Value, json};

async fn order(w: &World, sku: &str, payment: &str) -> OrderId {
    let body = json!({"lines": [{"sku": sku, "quantity": 2}], "payment": payment,
        "first_name": "Ana", "last_name": "Pop", "email": "ana@example.ro"});
    let v: Value = post(&w.shop, "/shopify/orders", body).await;
    OrderId(v["numericId"].as_u64().expect("order id"))
}

async fn set_payment(w: &World, id: OrderId, status: &str) {
    let path = format!("/shopify/orders/{}/payment", id.0);
    post(&w.shop, &path, json!({"status": status})).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cash_on_delivery_reserves_and_a_gone_payment_releases() {
    let w = world(2, 10, 10, 1.0).await;
    let r = start(&w);
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    let (cod_sku, card_sku) = (code(0), code(1));
    let cod = order(&w, &cod_sku, "cod").await;
    let card = order(&w, &card_sku, "card").await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    assert_eq!(state_of(&r.store, cod).await, OrderState::Open);
    assert_eq!(reserved(&r.store, &cod_sku).await, 2, "PENDING reserves");
    assert_eq!(reserved(&r.store, &card_sku).await, 2, "PAID reserves");
    assert_eq!(available(&w, &cod_sku).await, 8);

    // The payment is voided (the order stays open in Shopify): nothing will ship.
    post(&w.shop, "/clock", json!({"advance_seconds": 5})).await;
    set_payment(&w, cod, "VOIDED").await;
    set_payment(&w, card, "REFUNDED").await;
    r.engine.sync_now(SyncScope::All).await.expect("sync");
    assert_eq!(state_of(&r.store, cod).await, OrderState::Cancelled);
    assert_eq!(reserved(&r.store, &cod_sku).await, 0, "VOIDED releases");
    assert_eq!(reserved(&r.store, &card_sku).await, 0, "REFUNDED releases");
    let history = r
        .store
        .call(move |s| s.order(cod))
        .await
        .expect("order")
        .expect("stored")
        .history;
    assert!(
        history.iter().any(|h| h.reason.contains("VOIDED")),
        "{history:?}"
    );

    // The customer pays after all (a new cash-on-delivery attempt): it reserves again.
    post(&w.shop, "/clock", json!({"advance_seconds": 5})).await;
    set_payment(&w, cod, "PENDING").await;
    r.engine.sync_now(SyncScope::All).await.expect("sync");
    assert_eq!(state_of(&r.store, cod).await, OrderState::Open);
    assert_eq!(reserved(&r.store, &cod_sku).await, 2);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_paid_waits_for_the_courier_and_accepts_partial_refunds() {
    let w = world(2, 10, 10, 1.0).await;
    let mut cfg = config(&w, 1.0);
    cfg.settings.auto_invoice = AutoInvoice::WhenPaid;
    let r = start_with(&w, cfg, memory_store());
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    let cod = order(&w, &code(0), "cod").await;
    let partly = order(&w, &code(1), "card").await;
    post(&w.shop, "/clock", json!({"advance_seconds": 5})).await;
    set_payment(&w, partly, "PARTIALLY_REFUNDED").await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    assert_eq!(
        state_of(&r.store, cod).await,
        OrderState::Open,
        "PENDING waits"
    );
    assert!(
        matches!(
            state_of(&r.store, partly).await,
            OrderState::Invoiced { .. }
        ),
        "PARTIALLY_REFUNDED was paid: invoiced"
    );

    post(&w.shop, "/clock", json!({"advance_seconds": 5})).await;
    post(
        &w.shop,
        &format!("/shopify/orders/{}/pay", cod.0),
        json!({}),
    )
    .await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    assert!(
        matches!(state_of(&r.store, cod).await, OrderState::Invoiced { .. }),
        "marked paid once the courier paid out: invoiced"
    );
    assert_eq!(invoices(&w).await.len(), 2);
    r.engine.stop().await;
}
