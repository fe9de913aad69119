//! Refunds of invoiced orders through the engine (issue 16), on SmartBill, Oblio and FGO: a
//! Shopify refund is imported once by its id and becomes one credit document through the credit
//! outbox. One line of three returned and restocked → one document for exactly that line at the
//! invoice's price and rate, billing stock back by that quantity, Shopify's level right after
//! the same run; shipping only → one service line, no stock; returned without restock → no
//! stock back; a run again issues nothing. A full return after delivery is one document for
//! everything (the service's storno); a cancellation before invoicing makes no document and
//! releases the reservation. A crash between sending a credit and recording it (the answer lost,
//! the process gone with the item still `sent`) is settled by reads after the restart, never by
//! a second document.

mod common;

use common::*;
use punte_core::order::{OrderId, OrderState};
use punte_engine::{InvoiceOutcome, SyncScope};
use punte_sim::ServiceKind;
use punte_sim::posted::{PostedLine, document_lines, issue_path, posted_bodies};
use punte_store::{CreditState, StoreHandle};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// Simulated time runs this much faster (FGO allows one article list per 30 s).
const SCALE: f64 = 20.0;

fn num(x: &Value) -> Decimal {
    match x {
        Value::String(s) => s.parse().unwrap_or_default(),
        other => other.to_string().parse().unwrap_or_default(),
    }
}

/// Every document body posted to the path invoices and credits go to, oldest first.
fn documents(w: &World, b: &Billing) -> Vec<Value> {
    posted_bodies(&w.bill, issue_path(b.kind))
}

/// A posted document's lines as (code, quantity, unit price to the ban, VAT rate).
fn lines_of(b: &Billing, v: &Value) -> Vec<PostedLine> {
    document_lines(b.kind, v)
        .into_iter()
        .map(|(code, q, p, rate)| (code, q, p.round_dp(2), rate))
        .collect()
}

/// (warehouse stock of `code`, documents issued) from the billing simulator.
async fn billing(w: &World, b: &Billing, code: &str) -> (i64, usize) {
    let st = get(&w.bill, "/state").await;
    let docs = match b.kind {
        ServiceKind::Oblio => "docs",
        _ => "invoices",
    };
    let n = st[docs].as_array().map_or(0, Vec::len);
    let stock = match b.kind {
        ServiceKind::SmartBill => billing_stock(w, code).await,
        ServiceKind::Oblio => st["products"][code]["stock"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["management"] == b.warehouse))
            .map_or(-1, |r| num(&r["quantity"]).try_into().unwrap_or(-1)),
        _ => num(&st["articles"][code]["stock"][b.warehouse])
            .try_into()
            .unwrap_or(-1),
    };
    (stock, n)
}

/// Places an order with shipping; returns it and its line item ids.
async fn order_with_shipping(w: &World, lines: &[(&str, i64)]) -> (OrderId, Vec<u64>) {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(s, q)| json!({"sku": s, "quantity": q}))
        .collect();
    let body = json!({"lines": lines, "first_name": "Ana", "last_name": "Pop",
        "email": "ana@example.ro", "city": "Cluj-Napoca", "shipping": "19.99"});
    let v = post(&w.shop, "/shopify/orders", body).await;
    let ids = v["lineItems"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["numericId"].as_u64().expect("line id"))
        .collect();
    (OrderId(v["numericId"].as_u64().expect("order id")), ids)
}

async fn refund(w: &World, order: OrderId, lines: &[(u64, i64, &str)], shipping: bool) {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(id, q, kind)| json!({"line_item_id": id, "quantity": q, "restock_type": kind}))
        .collect();
    let path = format!("/shopify/orders/{}/refund", order.0);
    post(
        &w.shop,
        &path,
        json!({"lines": lines, "shipping": shipping}),
    )
    .await;
}

async fn credit_states(store: &StoreHandle, order: OrderId) -> Vec<CreditState> {
    store
        .call(move |s| s.credits_of(order))
        .await
        .expect("credits")
        .into_iter()
        .map(|c| c.state)
        .collect()
}

/// Invoiced and fulfilled: (order, its line ids, the invoice's posted lines).
async fn invoiced(
    w: &World,
    b: &Billing,
    r: &Running,
    lines: &[(&str, i64)],
) -> (OrderId, Vec<u64>, Vec<(String, Decimal, Decimal, Decimal)>) {
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let (order, ids) = order_with_shipping(w, lines).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    let out = r.engine.issue_invoice(order).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    post(
        &w.shop,
        &format!("/shopify/orders/{}/fulfil", order.0),
        json!({}),
    )
    .await;
    let posted = documents(w, b);
    (order, ids, lines_of(b, posted.last().expect("invoice")))
}

async fn partial_refunds(b: Billing) {
    let w = world_of(&b, 3, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    let (p0, p1, p2) = (code(0), code(1), code(2));
    let (order, ids, invoice) = invoiced(
        &w,
        &b,
        &r,
        &[(p0.as_str(), 1), (p1.as_str(), 3), (p2.as_str(), 1)],
    )
    .await;
    assert_eq!(billing(&w, &b, &p1).await, (7, 1), "{b:?}: discharged");
    let invoiced_p1 = invoice
        .iter()
        .find(|l| l.0 == p1)
        .expect("P1 invoiced")
        .clone();

    // Shipping only (no unit gone: only the money tells it): one service line, no stock.
    refund(&w, order, &[], true).await;
    r.engine.sync_now(SyncScope::All).await.expect("shipping");
    let ship = documents(&w, &b);
    let ship = lines_of(&b, ship.last().expect("shipping credit"));
    assert_eq!(ship.len(), 1, "{b:?}: {ship:?}");
    assert_eq!(
        (ship[0].1, ship[0].2),
        (d(-1), Decimal::new(1999, 2)),
        "{b:?}"
    );
    assert_eq!(billing(&w, &b, &p0).await, (9, 2), "{b:?}");

    // One line of three returned and restocked.
    refund(&w, order, &[(ids[1], 3, "RETURN")], false).await;
    let run = r.engine.sync_now(SyncScope::All).await.expect("credit");
    let credit = documents(&w, &b);
    let credit = lines_of(&b, credit.last().expect("credit"));
    assert_eq!(
        credit,
        vec![(p1.clone(), d(-3), invoiced_p1.2, invoiced_p1.3)],
        "{b:?}: exactly that line at the invoice's price and rate"
    );
    assert_eq!(
        billing(&w, &b, &p1).await,
        (10, 3),
        "{b:?}: stock back by 3"
    );
    assert_eq!(
        available(&w, &p1).await,
        10,
        "{b:?}: Shopify after the run: {run:?}"
    );
    assert_eq!(
        credit_states(&r.store, order).await,
        [CreditState::Confirmed; 2]
    );

    // Returned without restock: credited, no stock back.
    refund(&w, order, &[(ids[0], 1, "NO_RESTOCK")], false).await;
    r.engine.sync_now(SyncScope::All).await.expect("no restock");
    let kept = documents(&w, &b);
    let kept = lines_of(&b, kept.last().expect("credit"));
    assert_eq!(kept.len(), 1, "{b:?}: {kept:?}");
    assert_eq!(
        (kept[0].0.as_str(), kept[0].1),
        (p0.as_str(), d(-1)),
        "{b:?}"
    );
    assert_eq!(
        billing(&w, &b, &p0).await,
        (9, 4),
        "{b:?}: nothing restocked"
    );
    assert_eq!(available(&w, &p0).await, 9, "{b:?}");

    // Another run: every refund already has its document.
    let before = documents(&w, &b).len();
    r.engine.sync_now(SyncScope::All).await.expect("again");
    assert_eq!(documents(&w, &b).len(), before, "{b:?}");
    assert_eq!(billing(&w, &b, &p2).await, (9, 4), "{b:?}");
    assert_eq!(credit_states(&r.store, order).await.len(), 3);
    r.engine.stop().await;
}

async fn full_return(b: Billing) {
    let w = world_of(&b, 2, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    let p0 = code(0);
    let (order, ids, _) = invoiced(&w, &b, &r, &[(p0.as_str(), 2)]).await;
    assert_eq!(billing(&w, &b, &p0).await, (8, 1));
    refund(&w, order, &[(ids[0], 2, "RETURN")], true).await;
    r.engine.sync_now(SyncScope::All).await.expect("storno");
    assert_eq!(
        billing(&w, &b, &p0).await,
        (10, 2),
        "{b:?}: one document, all back"
    );
    assert_eq!(available(&w, &p0).await, 10, "{b:?}");
    assert_eq!(
        credit_states(&r.store, order).await,
        [CreditState::Confirmed]
    );
    r.engine.sync_now(SyncScope::All).await.expect("again");
    assert_eq!(billing(&w, &b, &p0).await, (10, 2), "{b:?}: never twice");
    r.engine.stop().await;
}

async fn crash_between_send_and_record(b: Billing) {
    let w = world_of(&b, 2, 10, SCALE).await;
    let dir = std::env::temp_dir().join(format!(
        "punte-refund-crash-{}-{:?}",
        std::process::id(),
        b.kind
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join(format!("{:?}.db", b.kind));
    let store = StoreHandle::open(db.clone()).expect("db");
    let r = start_billing(&w, &b, SCALE, store);
    let p0 = code(0);
    let (order, ids, _) = invoiced(&w, &b, &r, &[(p0.as_str(), 3)]).await;
    refund(&w, order, &[(ids[0], 1, "RETURN")], false).await;
    // The credit's answer is lost after the service committed it.
    let full = format!("{}{}", w.bill.base_path(), issue_path(b.kind));
    w.bill.observer().add_fault_when_body_contains(
        "punte-credit",
        serde_json::from_value(json!({"path": full, "mode": "drop_after_commit", "times": 1}))
            .expect("rule"),
    );
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    let dropped = w
        .bill
        .observer()
        .log()
        .into_iter()
        .filter(|x| x.path == full && x.status == 0);
    assert_eq!(dropped.count(), 1, "{b:?}: the credit's answer was lost");
    assert_eq!(billing(&w, &b, &p0).await, (8, 2), "{b:?}: committed once");
    // Settled at once by reads.
    assert_eq!(
        credit_states(&r.store, order).await,
        [CreditState::Confirmed]
    );
    r.engine.stop().await;
    // The process died before recording it: the item is still `sent`, with no number.
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute(
        "UPDATE credit_outbox SET state = 'sent', series = NULL, number = NULL, link = NULL",
        [],
    )
    .expect("back to sent");
    drop(conn);
    let sent = documents(&w, &b).len();
    let store = StoreHandle::open(db.clone()).expect("db again");
    let r = start_billing(&w, &b, SCALE, store);
    r.engine
        .sync_now(SyncScope::All)
        .await
        .expect("after restart");
    assert_eq!(documents(&w, &b).len(), sent, "{b:?}: nothing sent again");
    assert_eq!(
        billing(&w, &b, &p0).await,
        (8, 2),
        "{b:?}: one credit, restocked once"
    );
    assert_eq!(
        credit_states(&r.store, order).await,
        [CreditState::Confirmed]
    );
    assert_eq!(available(&w, &p0).await, 8, "{b:?}");
    r.engine.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_partial_refunds() {
    partial_refunds(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_partial_refunds() {
    partial_refunds(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_partial_refunds() {
    partial_refunds(FGO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_full_return_is_one_document() {
    full_return(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_full_return_is_one_document() {
    full_return(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_full_return_is_one_document() {
    full_return(FGO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_crash_after_sending_a_credit_never_makes_two() {
    crash_between_send_and_record(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_crash_after_sending_a_credit_never_makes_two() {
    crash_between_send_and_record(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_crash_after_sending_a_credit_never_makes_two() {
    crash_between_send_and_record(FGO).await;
}

/// Cancelled in Shopify before any invoice: no document, no credit, the reservation released.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_before_invoicing_makes_no_document() {
    let b = SMARTBILL;
    let w = world_of(&b, 2, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    let p0 = code(0);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let (order, _) = order_with_shipping(&w, &[(p0.as_str(), 2)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    assert_eq!(reserved(&r.store, &p0).await, 2);
    let path = format!("/shopify/orders/{}/cancel", order.0);
    post(&w.shop, &path, json!({"restock": true})).await;
    r.engine.sync_now(SyncScope::All).await.expect("cancelled");
    assert_eq!(state_of(&r.store, order).await, OrderState::Cancelled);
    assert_eq!(reserved(&r.store, &p0).await, 0, "reservation released");
    assert_eq!(billing(&w, &b, &p0).await, (10, 0), "no document");
    assert!(credit_states(&r.store, order).await.is_empty());
    let refunds = r
        .store
        .call(move |s| s.refunds_of(order))
        .await
        .expect("refunds");
    assert_eq!(
        refunds.len(),
        1,
        "Shopify's cancellation refund is recorded"
    );
    assert_eq!(available(&w, &p0).await, 10);
    r.engine.stop().await;
}

/// Partly credited, then cancelled in Shopify: a whole storno would credit the returned line a
/// second time. The order stops for the merchant instead, and no second document is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_after_a_partial_credit_is_not_reversed_whole() {
    let b = SMARTBILL;
    let w = world_of(&b, 2, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    let (p0, p1) = (code(0), code(1));
    let (order, ids, _) = invoiced(&w, &b, &r, &[(p0.as_str(), 1), (p1.as_str(), 2)]).await;
    refund(&w, order, &[(ids[1], 1, "RETURN")], false).await;
    r.engine.sync_now(SyncScope::All).await.expect("credit");
    assert_eq!(billing(&w, &b, &p1).await, (9, 2), "invoice and one credit");
    let path = format!("/shopify/orders/{}/cancel", order.0);
    post(&w.shop, &path, json!({"restock": true})).await;
    r.engine.sync_now(SyncScope::All).await.expect("cancelled");
    r.engine.sync_now(SyncScope::All).await.expect("again");
    assert_eq!(billing(&w, &b, &p1).await, (9, 2), "no whole storno on top");
    assert!(
        r.notes.events().iter().any(|e| matches!(
            e,
            punte_engine::NotificationEvent::InvoiceNeedsReview { order: o, detail }
                if *o == order && detail.contains("credit note")
        )),
        "the merchant is told: {:?}",
        r.notes.events()
    );
    r.engine.stop().await;
}
