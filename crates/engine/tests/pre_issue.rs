//! The checks before an invoice is issued, end to end on each billing simulator (SmartBill,
//! Oblio, FGO): a line whose VAT rate disagrees with the billing service (21 % in the order,
//! 19 % there) stops the order in needs-review with both rates and no document, and the order
//! goes through once the merchant makes the rates agree in the billing service and retries; a
//! company whose CUI has a wrong control digit stops, the same company with its right CUI is
//! issued; a Bucharest address without a sector stops, one with its sector is issued.

mod common;

use common::*;
use punte_core::order::OrderId;
use punte_engine::{InvoiceOutcome, NotificationEvent, Resolution, SyncScope};
use punte_sim::ServiceKind;
use punte_store::OutboxState;
use serde_json::{Value, json};

/// Simulated time runs this much faster (FGO paces its article reads).
const SCALE: f64 = 20.0;

/// The documents the billing simulator holds.
async fn documents(w: &World, b: &Billing) -> Vec<Value> {
    let st = get(&w.bill, "/state").await;
    let key = match b.kind {
        ServiceKind::Oblio => "docs",
        _ => "invoices",
    };
    st[key].as_array().cloned().unwrap_or_default()
}

/// Places a Shopify order for one unit of `sku` with `extra` fields (company, address), and
/// imports it.
async fn order(w: &World, r: &Running, sku: &str, extra: Value) -> OrderId {
    let mut body = json!({"lines": [{"sku": sku, "quantity": 1}], "first_name": "Ana",
        "last_name": "Pop", "email": "ana@example.ro", "city": "Cluj-Napoca"});
    if let (Some(b), Value::Object(more)) = (body.as_object_mut(), extra) {
        b.extend(more);
    }
    let v = post(&w.shop, "/shopify/orders", body).await;
    let id = OrderId(v["numericId"].as_u64().expect("order id"));
    r.engine.sync_now(SyncScope::All).await.expect("import");
    id
}

/// The rate of `sku` in the billing service becomes `percent`: SmartBill shows no product
/// rate, so there the company's standard rate changes (its `GET /tax` list).
async fn billing_rate(w: &World, b: &Billing, sku: &str, percent: u32) {
    match b.kind {
        ServiceKind::SmartBill => {
            let taxes = json!([["Normala", percent], ["Redusa", 11], ["Taxare inversa", 0]]);
            post(&w.bill, "/billing/taxes", json!({"taxes": taxes})).await;
        }
        _ => {
            let line = json!({"code": sku, "quantity": 0, "vat": percent});
            post(
                &w.bill,
                "/billing/receive",
                json!({"warehouse": b.warehouse, "lines": [line]}),
            )
            .await;
        }
    }
}

fn held(out: &InvoiceOutcome) -> &str {
    match out {
        InvoiceOutcome::NeedsReview { detail } => detail,
        other => panic!("expected needs-review, got {other:?}"),
    }
}

async fn vat_mismatch_then_agreement(b: Billing) {
    let w = world_of(&b, 3, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    let sku = code(0);
    billing_rate(&w, &b, &sku, 19).await;

    let o = order(&w, &r, &sku, json!({})).await;
    let out = r.engine.issue_invoice(o).await.expect("invoice");
    let detail = held(&out);
    assert!(
        detail.contains("21 %") && detail.contains("19 %"),
        "both rates shown: {detail}"
    );
    assert!(detail.contains(" / "), "Romanian / English: {detail}");
    assert_eq!(outbox_state(&r, o).await, OutboxState::NeedsReview);
    assert!(documents(&w, &b).await.is_empty(), "nothing issued");
    let reviews = r
        .notes
        .events()
        .into_iter()
        .filter(|e| matches!(e, NotificationEvent::InvoiceNeedsReview { .. }))
        .count();
    assert_eq!(reviews, 1, "one notification");

    // Retrying before anything changed holds it again, still without a document.
    let again = r.engine.resolve_review(o, Resolution::IssueAnew).await;
    assert!(
        matches!(&again, Ok(InvoiceOutcome::NeedsReview { .. })),
        "{again:?}"
    );
    assert!(documents(&w, &b).await.is_empty());

    // The merchant fixes the rate in the billing service and retries.
    billing_rate(&w, &b, &sku, 21).await;
    let out = r
        .engine
        .resolve_review(o, Resolution::IssueAnew)
        .await
        .expect("retry");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert_eq!(documents(&w, &b).await.len(), 1);
    assert_eq!(outbox_state(&r, o).await, OutboxState::Confirmed);
    r.engine.stop().await;
}

async fn buyer_checks(b: Billing) {
    let w = world_of(&b, 3, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    let sku = code(1);

    let bad = order(
        &w,
        &r,
        &sku,
        json!({"company": "Firma SRL, CUI RO37311091"}),
    )
    .await;
    let detail = held(&r.engine.issue_invoice(bad).await.expect("bad CUI")).to_owned();
    assert!(
        detail.contains("RO37311091") && detail.contains("CUI"),
        "names the field: {detail}"
    );
    assert!(documents(&w, &b).await.is_empty(), "nothing issued");

    let good = order(
        &w,
        &r,
        &sku,
        json!({"company": "Firma SRL, CUI RO37311090"}),
    )
    .await;
    let out = r.engine.issue_invoice(good).await.expect("good CUI");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    let docs = documents(&w, &b).await;
    assert_eq!(docs.len(), 1);
    // FGO's simulated invoice keeps no client (its API reads none back).
    assert!(
        b.kind == ServiceKind::Fgo || docs[0].to_string().contains("37311090"),
        "the company's CUI is on the invoice: {}",
        docs[0]
    );

    let bucharest = json!({"city": "București", "province": "București",
        "address1": "Str. Lungă 1"});
    let no_sector = order(&w, &r, &sku, bucharest).await;
    let detail = held(&r.engine.issue_invoice(no_sector).await.expect("sector")).to_owned();
    assert!(detail.contains("Sector"), "names the fix: {detail}");
    assert_eq!(documents(&w, &b).await.len(), 1, "still one document");

    let with_sector = json!({"city": "București", "province": "București",
        "address1": "Str. Lungă 1, Sector 2"});
    let fine = order(&w, &r, &sku, with_sector).await;
    let out = r.engine.issue_invoice(fine).await.expect("with sector");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    assert_eq!(documents(&w, &b).await.len(), 2);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_vat_mismatch_stops_until_the_rates_agree() {
    vat_mismatch_then_agreement(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_vat_mismatch_stops_until_the_rates_agree() {
    vat_mismatch_then_agreement(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_vat_mismatch_stops_until_the_rates_agree() {
    vat_mismatch_then_agreement(FGO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_bad_cui_and_sectorless_bucharest_stop() {
    buyer_checks(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_bad_cui_and_sectorless_bucharest_stop() {
    buyer_checks(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_bad_cui_and_sectorless_bucharest_stop() {
    buyer_checks(FGO).await;
}

/// A company that is not a VAT payer in SmartBill (no rates at `GET /tax`): an order sold
/// without VAT is issued with no VAT line; one that carries 21 % is held, naming the regime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_vat_exempt_company_issues_only_without_vat() {
    let b = SMARTBILL;
    let w = world_of(&b, 3, 10, SCALE).await;
    let r = start_billing(&w, &b, SCALE, memory_store());
    post(&w.bill, "/billing/taxes", json!({"taxes": []})).await;
    let sku = code(2);

    let taxed = order(&w, &r, &sku, json!({"free_shipping": true})).await;
    let detail = held(&r.engine.issue_invoice(taxed).await.expect("taxed")).to_owned();
    assert!(
        detail.contains("21 %") && detail.contains("scutit"),
        "names the regime: {detail}"
    );

    let body = json!({"lines": [{"sku": sku, "quantity": 1, "vat_percent": "0"}],
        "free_shipping": true, "city": "Cluj-Napoca"});
    let v = post(&w.shop, "/shopify/orders", body).await;
    let exempt = OrderId(v["numericId"].as_u64().expect("order id"));
    r.engine.sync_now(SyncScope::All).await.expect("import");
    let out = r.engine.issue_invoice(exempt).await.expect("exempt");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    let docs = documents(&w, &b).await;
    assert_eq!(docs.len(), 1, "{docs:?}");
    r.engine.stop().await;
}

/// The rates are read before the first invoice and kept for a day; a read that fails after
/// that keeps the last known rates, and an order held on them says the read failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smartbill_failed_vat_read_keeps_the_last_rates_and_says_so() {
    let b = SMARTBILL;
    let w = world_of(&b, 3, 10, SCALE).await;
    let clock = std::sync::Arc::new(punte_engine::ManualClock::new(chrono::Utc::now()));
    let (cfg, _) = billing_config(&w, &b, SCALE);
    let r = start_with_clock(&w, cfg, memory_store(), clock.clone());
    let sku = code(0);

    let first = order(&w, &r, &sku, json!({})).await;
    let out = r.engine.issue_invoice(first).await.expect("first");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");

    clock.advance(chrono::TimeDelta::hours(25));
    let fault = json!({"path": "/SBORO/api/tax", "mode": "server_error", "status": 500});
    post(&w.bill, "/faults", fault).await;
    let body = json!({"lines": [{"sku": sku, "quantity": 1, "vat_percent": "19"}],
        "city": "Cluj-Napoca"});
    let v = post(&w.shop, "/shopify/orders", body).await;
    let old_rate = OrderId(v["numericId"].as_u64().expect("order id"));
    r.engine.sync_now(SyncScope::All).await.expect("import");
    let detail = held(&r.engine.issue_invoice(old_rate).await.expect("held")).to_owned();
    assert!(detail.contains("19 %"), "{detail}");
    assert!(
        detail.contains("the last read failed") && detail.contains("ultima citire a eșuat"),
        "says the rates may be old: {detail}"
    );
    delete(&w.bill, "/faults").await;
    r.engine.stop().await;
}
