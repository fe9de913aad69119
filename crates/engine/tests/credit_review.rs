//! The way out for a credit note in needs-review (issue 16), against the SmartBill simulator:
//! "retry" reads first and sends the credit exactly once when no document could be it, and
//! refuses (naming the document) when one could; "I issued it by hand" records the number and
//! sends nothing; "no credit note needed" closes it with a note in the order's history. And the
//! restock warehouse the merchant picks is where a credit puts Shopify's restocked units back.

mod common;

use common::*;
use punte_core::credit_note::CreditDraft;
use punte_core::order::OrderId;
use punte_engine::{InvoiceOutcome, Resolution, SyncScope};
use punte_sim::FaultRule;
use punte_store::{CreditItem, CreditState};
use rust_decimal::Decimal;
use serde_json::{Value, json};

async fn refund(w: &World, order: OrderId, lines: &[(u64, i64, &str)]) {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(id, q, kind)| json!({"line_item_id": id, "quantity": q, "restock_type": kind}))
        .collect();
    let path = format!("/shopify/orders/{}/refund", order.0);
    post(&w.shop, &path, json!({"lines": lines, "shipping": false})).await;
}

async fn credits(r: &Running, order: OrderId) -> Vec<CreditItem> {
    r.store
        .call(move |s| s.credits_of(order))
        .await
        .expect("credits")
}

/// A document typed straight into SmartBill in series FCT: `quantity` × `price` (VAT included).
async fn manual_document(w: &World, quantity: i64, price: Decimal) -> String {
    let c = w.bill.credentials();
    let body = json!({"companyVatCode": c.get("cif"), "seriesName": "FCT",
        "client": {"name": "Client la ghiseu", "country": "Romania"},
        "products": [{"name": "Serviciu", "measuringUnitName": "buc", "quantity": quantity,
            "price": price.to_string().parse::<f64>().unwrap(), "isTaxIncluded": true,
            "taxPercentage": 21, "isService": true}]});
    let r = http()
        .post(format!("{}/invoice/v2", w.bill.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .json(&body)
        .send()
        .await
        .expect("manual document");
    let v: Value = r.json().await.expect("json");
    v["number"].as_str().expect("issued").to_owned()
}

/// The refund's credit as a crash would leave it: sent with its series mark at 0002 (right
/// after the invoice), the answer never heard. Returns the credit item and its total.
async fn credit_in_flight(w: &World, r: &Running, order: OrderId) -> (CreditItem, Decimal) {
    // Every credit post fails before SmartBill does anything: the credit is planned, not made.
    let full = format!(
        "{}/invoice/v2",
        reqwest::Url::parse(&w.bill.base_url()).unwrap().path()
    );
    let rule: FaultRule =
        serde_json::from_value(json!({"path": full, "mode": "down"})).expect("rule");
    w.bill
        .observer()
        .add_fault_when_body_contains("punte-credit", rule);
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    w.bill.observer().clear_faults();
    let item = credits(r, order).await.remove(0);
    assert!(
        matches!(item.state, CreditState::Intent | CreditState::Sent),
        "{item:?}"
    );
    let id = item.id;
    r.store
        .call(move |s| {
            s.set_setting(
                &format!("engine.credit_mark.{id}"),
                &json!({"series": "FCT", "next_number": "2"}),
                chrono::Utc::now(),
            )?;
            if item.state == CreditState::Intent {
                s.set_credit_state(id, CreditState::Sent, None, chrono::Utc::now())?;
            }
            Ok(())
        })
        .await
        .expect("in flight");
    let draft: CreditDraft = serde_json::from_str(item.draft.as_deref().unwrap()).unwrap();
    (credits(r, order).await.remove(0), draft.total())
}

fn history_codes(detail: &punte_store::OrderDetail) -> Vec<String> {
    detail
        .history
        .iter()
        .filter(|h| h.source == "merchant")
        .filter_map(|h| serde_json::from_str::<Value>(&h.reason).ok())
        .filter_map(|v| v["code"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credit_in_review_is_retried_once_after_reads_find_none() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    let (order, ids) = invoiced(&w, &r, &[(&code(0), 3)]).await;
    refund(&w, order, &[(ids[0], 1, "RETURN")]).await;
    let (item, _) = credit_in_flight(&w, &r, order).await;
    // Meanwhile a hand-made invoice with another total landed in the series: no read can tell
    // it is not the credit.
    manual_document(&w, 1, Decimal::new(7, 0)).await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    assert_eq!(credits(&r, order).await[0].state, CreditState::NeedsReview);
    assert_eq!(invoices(&w).await.len(), 2);

    let retry = Resolution::CreditRetry {
        refund: item.refund_id,
    };
    let out = r
        .engine
        .resolve_review(order, retry.clone())
        .await
        .expect("read: none has the credit's total");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert_eq!(invoices(&w).await.len(), 3, "exactly one credit document");
    assert_eq!(billing_stock(&w, &code(0)).await, 8, "10 − 3 + 1");
    assert_eq!(credits(&r, order).await[0].state, CreditState::Confirmed);
    let e = r.engine.resolve_review(order, retry).await.unwrap_err();
    assert_eq!(e.code(), "engine.not_in_review");
    r.engine.sync_now(SyncScope::All).await.expect("again");
    assert_eq!(invoices(&w).await.len(), 3, "never a second one");
    let detail = r
        .store
        .call(move |s| s.order(order))
        .await
        .unwrap()
        .unwrap();
    assert!(
        history_codes(&detail).contains(&"credit_retried_after_review".to_owned()),
        "{:?}",
        detail.history
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credit_that_may_exist_is_not_retried_but_recorded_by_hand() {
    let w = world(1, 0, 10, 1.0).await;
    let r = start(&w);
    let (order, ids) = invoiced(&w, &r, &[(&code(0), 3)]).await;
    refund(&w, order, &[(ids[0], 1, "RETURN")]).await;
    let (item, total) = credit_in_flight(&w, &r, order).await;
    // The lost credit (or one just like it) and another document since the mark.
    let twin = manual_document(&w, -1, -total).await;
    manual_document(&w, 1, Decimal::new(7, 0)).await;
    r.engine.sync_now(SyncScope::OrdersOnly).await.ok();
    assert_eq!(credits(&r, order).await[0].state, CreditState::NeedsReview);
    let before = invoices(&w).await.len();

    let refund_id = item.refund_id;
    let e = r
        .engine
        .resolve_review(order, Resolution::CreditRetry { refund: refund_id })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "engine.resolution_refused");
    assert!(e.to_string().contains(&format!("FCT {twin}")), "{e}");
    assert_eq!(invoices(&w).await.len(), before, "nothing sent");
    assert_eq!(credits(&r, order).await[0].state, CreditState::NeedsReview);

    // The invoice's own number is not this credit.
    let on_invoice = Resolution::CreditByHand {
        refund: refund_id,
        series: "FCT".into(),
        number: "0001".into(),
    };
    let e = r
        .engine
        .resolve_review(order, on_invoice)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "engine.resolution_refused");
    let by_hand = Resolution::CreditByHand {
        refund: refund_id,
        series: " FCT ".into(),
        number: twin.clone(),
    };
    let out = r
        .engine
        .resolve_review(order, by_hand)
        .await
        .expect("recorded");
    assert!(
        matches!(&out, InvoiceOutcome::AlreadyIssued { number, .. } if *number == twin),
        "{out:?}"
    );
    let c = credits(&r, order).await.remove(0);
    assert_eq!(c.state, CreditState::Confirmed);
    assert_eq!(
        c.document.map(|d| format!("{} {}", d.series, d.number)),
        Some(format!("FCT {twin}"))
    );
    assert_eq!(invoices(&w).await.len(), before, "no call made");
    let detail = r
        .store
        .call(move |s| s.order(order))
        .await
        .unwrap()
        .unwrap();
    assert!(history_codes(&detail).contains(&"credit_recorded_by_hand".to_owned()));
    r.engine.stop().await;
}

/// SmartBill cannot restock some lines of one credit and not others (`billing.not_supported`):
/// a retry goes through the outbox and stops again with the reason; "no credit note needed"
/// closes it with the merchant's note, and the order leaves "refund without credit note".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credit_nobody_needs_is_closed_with_a_note() {
    let w = world(2, 0, 10, 1.0).await;
    let r = start(&w);
    let (order, ids) = invoiced(&w, &r, &[(&code(0), 1), (&code(1), 1)]).await;
    refund(
        &w,
        order,
        &[(ids[0], 1, "RETURN"), (ids[1], 1, "NO_RESTOCK")],
    )
    .await;
    r.engine.sync_now(SyncScope::All).await.ok();
    let item = credits(&r, order).await.remove(0);
    assert_eq!(item.state, CreditState::NeedsReview, "{item:?}");
    assert_eq!(invoices(&w).await.len(), 1);
    let refund_id = item.refund_id;
    let out = r
        .engine
        .resolve_review(order, Resolution::CreditRetry { refund: refund_id })
        .await
        .expect("retried");
    assert!(matches!(out, InvoiceOutcome::NeedsReview { .. }), "{out:?}");
    assert_eq!(
        invoices(&w).await.len(),
        1,
        "still nothing SmartBill can take"
    );

    let note = "Corectat de contabil în SmartBill";
    let closed = Resolution::CreditNotNeeded {
        refund: refund_id,
        note: note.into(),
    };
    let out = r
        .engine
        .resolve_review(order, closed)
        .await
        .expect("closed");
    assert_eq!(out, InvoiceOutcome::NotNeeded);
    assert_eq!(credits(&r, order).await[0].state, CreditState::NotNeeded);
    let detail = r
        .store
        .call(move |s| s.order(order))
        .await
        .unwrap()
        .unwrap();
    assert!(
        detail
            .history
            .iter()
            .any(|h| h.source == "merchant" && h.reason.contains(note)),
        "{:?}",
        detail.history
    );
    let page = r
        .store
        .call(|s| {
            s.orders_page(&punte_store::OrderQuery {
                status: punte_store::StatusFilter::RefundWithoutCredit,
                in_stock: None,
                search: None,
                newest_first: true,
                after: None,
                limit: 10,
                efactura: None,
                unpaid_before: None,
                unpaid_era: punte_store::CodEra::SinceConnection,
            })
        })
        .await
        .expect("page");
    assert!(page.items.is_empty(), "no longer a refund without credit");
    r.engine.sync_now(SyncScope::All).await.expect("again");
    assert_eq!(invoices(&w).await.len(), 1, "nothing sent later either");
    r.engine.stop().await;
}

/// With a restock warehouse chosen in the settings, the credit puts the returned units there,
/// not back where the invoice discharged them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credit_restocks_into_the_warehouse_the_merchant_picked() {
    const RETURNS: &str = "Depozit retururi";
    let w = world(1, 0, 10, 1.0).await;
    let returns = json!([{"code": code(0), "name": "Produs 0", "unit": "buc",
        "price": "121.00", "vat_percent": 21, "stock": "0"}]);
    post(
        &w.bill,
        "/billing/seed",
        json!({"articles": returns, "warehouse": RETURNS}),
    )
    .await;
    let mut config = config(&w, 1.0);
    config.settings.credit_restock_warehouse = Some(RETURNS.to_owned());
    let r = start_with(&w, config, memory_store());
    let (order, ids) = invoiced(&w, &r, &[(&code(0), 3)]).await;
    assert_eq!(billing_stock(&w, &code(0)).await, 7);
    refund(&w, order, &[(ids[0], 2, "RETURN")]).await;
    r.engine.sync_now(SyncScope::All).await.expect("credit");
    assert_eq!(credits(&r, order).await[0].state, CreditState::Confirmed);
    assert_eq!(
        billing_stock_in(&w, RETURNS, &code(0)).await,
        2,
        "restocked there"
    );
    assert_eq!(billing_stock(&w, &code(0)).await, 7, "not in the invoice's");
    r.engine.stop().await;
}
