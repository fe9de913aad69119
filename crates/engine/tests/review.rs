//! Lost invoice answers end to end (SmartBill simulator, real loopback HTTP): settled by reads
//! to the order's own invoice (never "the next number", never a second invoice), the order
//! Invoiced so its stock is not counted twice; and the merchant's way out of needs-review —
//! "the invoice exists: link it" / "it does not: issue it" — each checked against the service
//! by reading before it is accepted, and written to the order's history.

mod common;

use common::*;
use punte_core::invoice::InvoiceDraft;
use punte_core::order::{OrderId, OrderState};
use punte_engine::{InvoiceOutcome, Resolution, SyncScope};
use punte_store::OutboxState;
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// An invoice issued straight in SmartBill (by hand, or by an app killed before it heard the
/// answer: then it carries `order`'s mention), in series FCT.
async fn manual_invoice(w: &World, price: &str, order: Option<u64>) -> String {
    let c = w.bill.credentials();
    let mentions = order.map_or_else(String::new, |o| format!("Comanda Shopify (punte:{o})"));
    let body = json!({"companyVatCode": c.get("cif"), "seriesName": "FCT", "mentions": mentions,
        "client": {"name": "Client la ghiseu", "country": "Romania"},
        "products": [{"name": "Serviciu", "measuringUnitName": "buc", "quantity": 1,
            "price": price.parse::<f64>().unwrap(), "isTaxIncluded": true, "taxPercentage": 21,
            "isService": true}]});
    let r = http()
        .post(format!("{}/invoice/v2", w.bill.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .json(&body)
        .send()
        .await
        .expect("manual invoice");
    let v: Value = r.json().await.expect("json");
    v["number"].as_str().expect("issued").to_owned()
}

async fn drop_next_invoice(w: &World) {
    post(
        &w.bill,
        "/faults",
        json!({"path": "/SBORO/api/invoice/v2", "mode": "drop_after_commit", "times": 1}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_finds_the_orders_own_invoice_and_ends_its_reservation() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let a = place_order(&w, &[(&code(0), 2)]).await;
    let b = place_order(&w, &[(&code(1), 1)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    assert_eq!(reserved(&r.store, &code(0)).await, 2);
    drop_next_invoice(&w).await;
    let out = r.engine.issue_invoice(a).await.expect("engine");
    match &out {
        InvoiceOutcome::AlreadyIssued { number, .. } => assert_eq!(number, "0001"),
        other => panic!("the lost answer is found by reading: {other:?}"),
    }
    assert_eq!(
        state_of(&r.store, a).await,
        OrderState::Invoiced {
            stock_discharged: true
        },
        "not left Open: its stock is not counted twice"
    );
    assert_eq!(reserved(&r.store, &code(0)).await, 0);
    assert_eq!(billing_stock(&w, &code(0)).await, 8);
    let out = r.engine.issue_invoice(b).await.expect("engine");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert_eq!(invoices(&w).await.len(), 2, "one invoice per order");
}

/// Leaves `order`'s invoice as a crash would, in flight: the intent sent, its series mark
/// taken at `next`, no answer. Returns the draft's total.
async fn sent_without_answer(r: &Running, w: &World, order: OrderId, next: u64) -> Decimal {
    delete(&w.bill, "/faults").await;
    post(&w.bill, "/faults", json!({"path": "*", "mode": "down"})).await;
    let out = r.engine.issue_invoice(order).await.expect("engine");
    assert!(matches!(out, InvoiceOutcome::Waiting { .. }), "{out:?}");
    delete(&w.bill, "/faults").await;
    let item = r
        .store
        .call(move |s| s.outbox_for_order(order))
        .await
        .unwrap()[0]
        .clone();
    let draft: InvoiceDraft = serde_json::from_str(&item.intent.draft).unwrap();
    let mark = json!({"series": "FCT", "next_number": next.to_string()});
    let id = item.id;
    r.store
        .call(move |s| {
            s.set_setting(
                &format!("engine.invoice_mark.{id}"),
                &mark,
                chrono::Utc::now(),
            )?;
            s.set_outbox_state(id, OutboxState::Sent, None, chrono::Utc::now())
        })
        .await
        .unwrap();
    draft.total()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn needs_review_has_a_way_out_checked_by_reading() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let a = place_order(&w, &[(&code(0), 1)]).await;
    let b = place_order(&w, &[(&code(1), 1)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");

    // A was in flight when the app died; SmartBill issued it as 0001. Before the app came
    // back, the merchant issued 0002 by hand, with the same total. SmartBill shows no order on
    // an invoice, so no read can tell which is A's.
    let total = sent_without_answer(&r, &w, a, 1).await;
    let price = total.to_string();
    manual_invoice(&w, &price, Some(a.0)).await;
    manual_invoice(&w, &price, None).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("drain");
    let items = r.store.call(move |s| s.outbox_for_order(a)).await.unwrap();
    let item = items.last().unwrap();
    assert_eq!(item.state, OutboxState::NeedsReview);
    assert_eq!(state_of(&r.store, a).await, OrderState::Open);
    let detail = item.error.clone().unwrap_or_default();
    assert!(
        detail.contains("FCT 0001") && detail.contains("FCT 0002"),
        "{detail}"
    );

    // "It does not exist: issue it" is refused: an invoice with the order's total exists.
    let e = r
        .engine
        .resolve_review(a, Resolution::IssueAnew)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "engine.resolution_refused");
    assert!(e.to_string().contains("FCT 0001"), "{e}");
    // "Link it" to an invoice that does not exist, or to B's, is refused.
    let missing = Resolution::Link {
        series: "FCT".into(),
        number: "0099".into(),
    };
    let e = r.engine.resolve_review(a, missing).await.unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");
    let b_out = r.engine.issue_invoice(b).await.expect("B");
    let InvoiceOutcome::Issued {
        number: b_number, ..
    } = b_out
    else {
        panic!("{b_out:?}");
    };
    let to_b = Resolution::Link {
        series: "FCT".into(),
        number: b_number,
    };
    let e = r.engine.resolve_review(a, to_b).await.unwrap_err();
    assert!(e.to_string().contains("already tied"), "{e}");
    // The right one is accepted: A is Invoiced, its reservation ends, the history says who.
    let right = Resolution::Link {
        series: "FCT".into(),
        number: "0001".into(),
    };
    let out = r.engine.resolve_review(a, right).await.expect("linked");
    assert!(
        matches!(out, InvoiceOutcome::AlreadyIssued { .. }),
        "{out:?}"
    );
    assert_eq!(
        state_of(&r.store, a).await,
        OrderState::Invoiced {
            stock_discharged: true
        }
    );
    assert_eq!(reserved(&r.store, &code(0)).await, 0);
    let detail = r.store.call(move |s| s.order(a)).await.unwrap().unwrap();
    let last = detail.history.last().expect("history");
    assert_eq!(last.source, "merchant");
    let reason: serde_json::Value = serde_json::from_str(&last.reason).expect("a coded reason");
    assert!(
        reason["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("invoice_linked_after_review"))
            && reason["invoice"] == "FCT 0001",
        "{}",
        last.reason
    );
    assert_eq!(
        invoices(&w).await.len(),
        3,
        "A's, the hand-made one, B's: nothing doubled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_does_not_exist_issue_it_after_a_check() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let a = place_order(&w, &[(&code(0), 1)]).await;
    r.engine.sync_now(SyncScope::All).await.expect("import");
    // A was in flight when the app died, but SmartBill never got it; meanwhile a hand-made
    // invoice with another total landed in the series. No read can tell it is not A's.
    sent_without_answer(&r, &w, a, 1).await;
    manual_invoice(&w, "7", None).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("drain");
    let items = r.store.call(move |s| s.outbox_for_order(a)).await.unwrap();
    assert_eq!(items.last().unwrap().state, OutboxState::NeedsReview);
    assert_eq!(
        r.engine
            .resolve_review(OrderId(a.0 + 1), Resolution::IssueAnew)
            .await
            .unwrap_err()
            .code(),
        "engine.not_in_review"
    );
    let out = r
        .engine
        .resolve_review(a, Resolution::IssueAnew)
        .await
        .expect("checked: none has the order's total");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert_eq!(billing_stock(&w, &code(0)).await, 9);
    let detail = r.store.call(move |s| s.order(a)).await.unwrap().unwrap();
    assert!(
        detail
            .history
            .iter()
            .any(|h| h.source == "merchant" && h.reason == "invoice_issued_after_review"),
        "{:?}",
        detail.history
    );
}
