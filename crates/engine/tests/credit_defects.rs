//! Retries from needs-review that must not send a second document (SmartBill simulator, real
//! loopback HTTP). A credit note (or an invoice) whose answer was lost is made in SmartBill; more
//! than 20 documents land in the series before the merchant clicks Retry, so SmartBill's reads
//! cannot tell any more whether it exists and name nothing to check: the retry is refused with
//! the way out, and exactly one document exists. Cash on delivery (2 × 121 + 19.99 shipping, one
//! unit refused at the door and refunded): "Mark as paid" right after an orders look imported
//! the refund (not yet planned) records 140.99, not 261.99; and a credit note that failed
//! (SmartBill refused the credentials) holds the collection and gets the way out: Retry reads
//! first, sends it once. And a retry's reads do not hold the outbox lock.

mod common;

use common::*;
use punte_core::order::OrderId;
use punte_engine::{CollectionOutcome, InvoiceOutcome, Resolution, SyncScope};
use punte_sim::FaultRule;
use punte_store::{CreditItem, CreditState, OutboxState};
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn rule(v: Value) -> FaultRule {
    serde_json::from_value(v).expect("rule")
}

/// SmartBill's API path `tail` as the simulator logs it.
fn sb_path(w: &World, tail: &str) -> String {
    let base = reqwest::Url::parse(&w.bill.base_url()).expect("base url");
    format!("{}{tail}", base.path())
}

/// Documents SmartBill committed whose body contains `needle` (answered or dropped after).
fn committed(w: &World, needle: &str) -> usize {
    let path = sb_path(w, "/invoice/v2");
    w.bill
        .observer()
        .log()
        .iter()
        .filter(|r| r.path == path && r.body.contains(needle) && matches!(r.status, 0 | 200))
        .count()
}

/// `n` invoices typed straight into SmartBill's series FCT (the shop keeps selling); the
/// simulator's clock moves past the 30-calls-in-10-seconds window between batches.
async fn hand_made(w: &World, n: usize) {
    let c = w.bill.credentials();
    for i in 0..n {
        if i % 8 == 0 {
            post(&w.bill, "/clock", json!({"advance_seconds": 11})).await;
        }
        let body = json!({"companyVatCode": c.get("cif"), "seriesName": "FCT",
            "client": {"name": "Client la ghiseu", "country": "Romania"},
            "products": [{"name": "Serviciu", "measuringUnitName": "buc", "quantity": 1,
                "price": 7.0 + i as f64, "isTaxIncluded": true, "taxPercentage": 21,
                "isService": true}]});
        let r = http()
            .post(format!("{}/invoice/v2", w.bill.base_url()))
            .basic_auth(c.get("email"), Some(c.get("token")))
            .json(&body)
            .send()
            .await
            .expect("hand-made invoice");
        assert!(r.status().is_success(), "{:?}", r.text().await);
    }
    post(&w.bill, "/clock", json!({"advance_seconds": 11})).await;
}

/// Places an order of `qty` × code 0 at 121 (`payment`: "cod" or "card"), imports it and
/// invoices it (FCT 0001), fulfils it.
async fn invoiced(w: &World, r: &Running, qty: i64, payment: &str) -> (OrderId, u64) {
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let body = json!({"lines": [{"sku": code(0), "quantity": qty}], "first_name": "Ana",
        "last_name": "Pop", "email": "ana@example.ro", "city": "Cluj-Napoca",
        "payment": payment});
    let v = post(&w.shop, "/shopify/orders", body).await;
    let order = OrderId(v["numericId"].as_u64().expect("order id"));
    let line = v["lineItems"][0]["numericId"].as_u64().expect("line id");
    r.engine.sync_now(SyncScope::All).await.expect("import");
    let out = r.engine.issue_invoice(order).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    let fulfil = format!("/shopify/orders/{}/fulfil", order.0);
    post(&w.shop, &fulfil, json!({})).await;
    (order, line)
}

async fn refund_one(w: &World, order: OrderId, line: u64) {
    let body = json!({"lines": [{"line_item_id": line, "quantity": 1, "restock_type": "RETURN"}],
        "shipping": false});
    post(
        &w.shop,
        &format!("/shopify/orders/{}/refund", order.0),
        body,
    )
    .await;
}

async fn credit_of(r: &Running, order: OrderId) -> CreditItem {
    let mut all = r
        .store
        .call(move |s| s.credits_of(order))
        .await
        .expect("credits");
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

/// The next document posted whose body contains `needle` is committed by SmartBill and its
/// answer lost; the reads right after cannot reach SmartBill either (the item stays sent).
fn lose_answer_and_reads(w: &World, needle: &str) {
    let issue = json!({"path": sb_path(w, "/invoice/v2"), "mode": "drop_after_commit", "times": 1});
    w.bill
        .observer()
        .add_fault_when_body_contains(needle, rule(issue));
    let reads = json!({"path": sb_path(w, "/invoice/paymentstatus"), "mode": "down"});
    w.bill.observer().add_fault(rule(reads));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credit_retry_reads_cannot_settle_sends_no_second_credit() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    let (order, line) = invoiced(&w, &r, 3, "card").await;
    refund_one(&w, order, line).await;
    lose_answer_and_reads(&w, "punte-credit");
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    w.bill.observer().clear_faults();
    assert_eq!(committed(&w, "punte-credit"), 1, "the credit note was made");
    assert_eq!(credit_of(&r, order).await.state, CreditState::Sent);
    // A hand-made invoice lands before the next pass: reads cannot tell which is the credit.
    hand_made(&w, 1).await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    let item = credit_of(&r, order).await;
    assert_eq!(item.state, CreditState::NeedsReview, "{item:?}");

    // The next day, 25 more invoices later, the merchant clicks Retry.
    hand_made(&w, 25).await;
    let retry = Resolution::CreditRetry {
        refund: item.refund_id,
    };
    let e = r.engine.resolve_review(order, retry).await.unwrap_err();
    assert_eq!(e.code(), "engine.resolution_refused", "{e}");
    let text = e.to_string();
    assert!(
        text.contains("Am emis-o manual") && text.contains("I issued it by hand"),
        "{text}"
    );
    assert!(text.contains("No credit note needed"), "{text}");
    assert_eq!(committed(&w, "punte-credit"), 1, "exactly one credit note");
    assert_eq!(credit_of(&r, order).await.state, CreditState::NeedsReview);
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    assert_eq!(committed(&w, "punte-credit"), 1, "none later either");
    assert_eq!(
        billing_stock(&w, &code(0)).await,
        8,
        "10 − 3 + 1, restocked once"
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invoice_issue_anew_reads_cannot_settle_issues_no_second_invoice() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let order = place_order(&w, &[(&code(0), 1)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    let mention = format!("punte:{}", order.0);
    lose_answer_and_reads(&w, &mention);
    r.engine.issue_invoice(order).await.ok();
    w.bill.observer().clear_faults();
    assert_eq!(committed(&w, &mention), 1, "the invoice was made");
    assert_eq!(outbox_state(&r, order).await, OutboxState::Sent);
    // A hand-made invoice lands: reads cannot tell which is the order's.
    hand_made(&w, 1).await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    let state = outbox_state(&r, order).await;
    assert_eq!(state, OutboxState::NeedsReview);

    hand_made(&w, 25).await;
    let e = r
        .engine
        .resolve_review(order, Resolution::IssueAnew)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "engine.resolution_refused", "{e}");
    assert!(e.to_string().contains("link it"), "{e}");
    assert_eq!(
        committed(&w, &mention),
        1,
        "exactly one invoice of the order"
    );
    assert_eq!(billing_stock(&w, &code(0)).await, 9, "discharged once");
    r.engine.stop().await;
}

/// The collections SmartBill holds: (invoice number, value).
async fn collects(w: &World) -> Vec<(String, Decimal)> {
    let st = get(&w.bill, "/state").await;
    let all = st["collects"].as_array().cloned().unwrap_or_default();
    all.iter()
        .map(|c| {
            let v = c["value"]
                .to_string()
                .trim_matches('"')
                .parse()
                .expect("value");
            (c["number"].as_str().unwrap_or_default().to_owned(), v)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mark_paid_after_a_refund_imported_not_planned_collects_the_rest() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    let (order, line) = invoiced(&w, &r, 2, "cod").await;
    refund_one(&w, order, line).await;
    // A stock look imports the refund; only the orders job plans credit notes.
    r.engine.sync_now(SyncScope::StockOnly).await.expect("look");
    let refunds = r.store.call(move |s| s.refunds_of(order)).await.unwrap();
    assert_eq!(refunds.len(), 1, "imported");
    let planned = r.store.call(move |s| s.credits_of(order)).await.unwrap();
    assert!(planned.is_empty(), "not planned yet: {planned:?}");

    let out = r.engine.mark_collected(order).await.expect("mark paid");
    assert_eq!(out, CollectionOutcome::WaitingForCredit);
    assert!(
        collects(&w).await.is_empty(),
        "nothing collected before the credit note"
    );
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("orders job");
    assert_eq!(credit_of(&r, order).await.state, CreditState::Confirmed);
    assert_eq!(
        collects(&w).await,
        [("0001".to_owned(), Decimal::new(14099, 2))],
        "what the courier paid: 2 × 121 + 19.99 shipping, less the 121 refunded"
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_credit_holds_the_collection_and_is_retried_by_the_merchant() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    let (order, line) = invoiced(&w, &r, 2, "cod").await;
    refund_one(&w, order, line).await;
    // SmartBill refuses the credentials for the credit note (the token was rotated).
    let refused =
        json!({"path": sb_path(&w, "/invoice/v2"), "mode": "server_error", "status": 401});
    w.bill
        .observer()
        .add_fault_when_body_contains("punte-credit", rule(refused));
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    let item = credit_of(&r, order).await;
    assert_eq!(item.state, CreditState::Failed, "{item:?}");
    // The merchant fixes the token and marks the parcel paid: the credit note is not there.
    w.bill.observer().clear_faults();
    let out = r.engine.mark_collected(order).await.expect("mark paid");
    assert_eq!(out, CollectionOutcome::WaitingForCredit);
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("orders job");
    assert!(collects(&w).await.is_empty(), "not the whole invoice");

    w.bill.observer().clear();
    let retry = Resolution::CreditRetry {
        refund: item.refund_id,
    };
    let out = r
        .engine
        .resolve_review(order, retry)
        .await
        .expect("retried");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    let log = w.bill.observer().log();
    assert_eq!(
        log.first().map(|l| l.method.as_str()),
        Some("GET"),
        "reads first"
    );
    assert_eq!(committed(&w, "punte-credit"), 1, "one credit note");
    assert_eq!(credit_of(&r, order).await.state, CreditState::Confirmed);
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("orders job");
    assert_eq!(
        collects(&w).await,
        [("0001".to_owned(), Decimal::new(14099, 2))]
    );
    assert_eq!(committed(&w, "punte-credit"), 1, "never a second one");
    r.engine.stop().await;
}

/// A retry's reads do not hold the outbox lock: another order's invoice waiting in the outbox
/// is sent by the orders job while the retry is still reading slow documents.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credit_retry_reads_without_holding_the_outbox() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    let (a, line) = invoiced(&w, &r, 3, "card").await;
    refund_one(&w, a, line).await;
    lose_answer_and_reads(&w, "punte-credit");
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    w.bill.observer().clear_faults();
    hand_made(&w, 1).await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    let refund = credit_of(&r, a).await.refund_id;
    // B's invoice waits in the outbox: its first try found SmartBill down.
    let b = place_order(&w, &[(&code(1), 1)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    w.bill
        .observer()
        .add_fault(rule(json!({"path": "*", "mode": "down"})));
    r.engine.issue_invoice(b).await.ok();
    w.bill.observer().clear_faults();
    assert_eq!(outbox_state(&r, b).await, OutboxState::Intent);

    // Every read of a document takes 1.5 s; the retry reads three.
    let slow =
        json!({"path": sb_path(&w, "/invoice/paymentstatus"), "mode": "latency", "ms": 1500});
    w.bill.observer().add_fault(rule(slow));
    w.bill.observer().clear();
    let retry = r
        .engine
        .resolve_review(a, Resolution::CreditRetry { refund });
    let orders = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        r.engine.sync_now(SyncScope::OrdersOnly).await
    };
    let (retried, synced) = tokio::join!(retry, orders);
    synced.expect("orders job");
    let e = retried.unwrap_err();
    assert_eq!(
        e.code(),
        "engine.resolution_refused",
        "the credit's twin: {e}"
    );
    assert_eq!(outbox_state(&r, b).await, OutboxState::Confirmed);
    let log = w.bill.observer().log();
    let mention = format!("punte:{}", b.0);
    let sent_b = log
        .iter()
        .position(|l| l.method == "POST" && l.body.contains(&mention));
    let last_read = log
        .iter()
        .rposition(|l| l.path.ends_with("/invoice/paymentstatus"));
    assert!(
        sent_b.expect("B sent") < last_read.expect("reads"),
        "B's invoice waited for the retry's reads: {:?}",
        log.iter().map(|l| (&l.method, &l.path)).collect::<Vec<_>>()
    );
    r.engine.stop().await;
}
