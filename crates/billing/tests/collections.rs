//! Cash-on-delivery collections against each billing simulator (issue 17): an invoice shows
//! nothing paid, one collection makes it paid in full (the amount read back is the invoice's
//! total), a second is refused by the service (never counted twice), a collection on an
//! unknown invoice is refused as not found, and a lost answer leaves the collection recorded
//! exactly once, learned by the read.

mod common;

use chrono::NaiveDate;
use common::*;
use punte_billing::{BillingError, BillingService, Collection, InvoiceRef};
use punte_sim::{ServiceKind, SimServer};
use rust_decimal::Decimal;
use serde_json::json;

fn series(sim: &SimServer) -> &'static str {
    match sim.kind() {
        ServiceKind::Fgo => "PNT",
        _ => "FCT",
    }
}

/// The path a collection is sent to (after the base path).
fn collect_path(sim: &SimServer) -> &'static str {
    match sim.kind() {
        ServiceKind::SmartBill => "/payment",
        ServiceKind::Oblio => "/docs/invoice/collect",
        _ => "/factura/incasare",
    }
}

fn cod(amount: Decimal) -> Collection {
    Collection {
        amount,
        on: NaiveDate::from_ymd_opt(2026, 12, 4).expect("date"),
        reference: "Shopify 7001".into(),
    }
}

async fn issued(sim: &SimServer, bill: &dyn BillingService, id: u64) -> (InvoiceRef, Decimal) {
    receive(sim, "PNT-A", 10).await;
    let order = draft(id, &[("PNT-A", 2, "60.50")], Some(warehouse_id(sim)));
    let total = order.total();
    let inv = bill
        .issue_invoice(&order, series(sim))
        .await
        .expect("invoice issued")
        .invoice;
    (inv, total)
}

async fn collected_once(kind: ServiceKind) {
    let sim = start(kind, 60.0).await;
    let bill = client_for(&sim, options(60.0));
    let (inv, total) = issued(&sim, &*bill, 7001).await;
    let before = bill.collected(&inv).await.expect("read");
    assert_eq!(before.paid, Decimal::ZERO, "{kind:?}: nothing paid yet");
    assert!(!before.covers(total));

    bill.record_collection(&inv, &cod(total))
        .await
        .expect("collection recorded");
    let after = bill.collected(&inv).await.expect("read");
    assert_eq!(after.paid, total, "{kind:?}: paid in full");
    assert!(after.covers(total));
    if let Some(t) = after.total {
        assert_eq!(t, total, "{kind:?}: the invoice's total");
    }

    let again = bill.record_collection(&inv, &cod(total)).await;
    assert!(
        matches!(again, Err(BillingError::Rejected { .. })),
        "{kind:?}: a second collection on a paid invoice is refused: {again:?}"
    );
    assert_eq!(bill.collected(&inv).await.expect("read").paid, total);
    let st = state(&sim).await;
    let rows = st["collects"].as_array().expect("collects");
    assert_eq!(rows.len(), 1, "{kind:?}: {rows:?}");

    let unknown = InvoiceRef::new(series(&sim), "9999");
    let refused = bill.record_collection(&unknown, &cod(total)).await;
    assert!(
        matches!(
            refused,
            Err(BillingError::InvoiceNotFound { .. } | BillingError::Rejected { .. })
        ),
        "{kind:?}: {refused:?}"
    );
    let read = bill.collected(&unknown).await;
    assert!(
        matches!(read, Err(BillingError::InvoiceNotFound { .. })),
        "{kind:?}: {read:?}"
    );
}

/// The answer to the collection is lost after the service recorded it: the read tells.
async fn lost_answer_is_read(kind: ServiceKind) {
    let sim = start(kind, 60.0).await;
    let bill = client_for(&sim, options(60.0));
    let (inv, total) = issued(&sim, &*bill, 7002).await;
    fault(
        &sim,
        collect_path(&sim),
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let lost = bill.record_collection(&inv, &cod(total)).await;
    assert!(lost.is_err(), "{kind:?}: the answer was lost: {lost:?}");
    let read = bill.collected(&inv).await.expect("read");
    assert!(read.covers(total), "{kind:?}: recorded once: {read:?}");
    let sent = calls(&sim, collect_path(&sim));
    assert_eq!(sent.len(), 1, "{kind:?}: never sent again: {sent:?}");
}

#[tokio::test]
async fn smartbill_collection_is_recorded_once() {
    collected_once(ServiceKind::SmartBill).await;
    lost_answer_is_read(ServiceKind::SmartBill).await;
}

#[tokio::test]
async fn oblio_collection_is_recorded_once() {
    collected_once(ServiceKind::Oblio).await;
    lost_answer_is_read(ServiceKind::Oblio).await;
}

#[tokio::test]
async fn fgo_collection_is_recorded_once() {
    collected_once(ServiceKind::Fgo).await;
    lost_answer_is_read(ServiceKind::Fgo).await;
}
