//! Oblio client against the Oblio simulator over loopback HTTP: every operation, idempotent
//! issue and storno (replays and lost answers never make a second invoice), stock errors, the
//! token's renewal before expiry and after a 401, wrong secret, and faults.

mod common;

use std::time::Duration;

use common::*;
use punte_billing::{BillingError, Existing, InvoiceRef, connect};
use punte_core::product::ProductCode;
use punte_sim::ServiceKind;
use serde_json::json;

#[tokio::test]
async fn reads_issue_replay_storno_cancel() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 5).await;
    receive(&sim, "PNT-B", 2).await;
    bill.test_connection().await.unwrap();
    assert_eq!(bill.warehouses().await.unwrap()[0].id, WAREHOUSE);
    assert_eq!(
        bill.series().await.unwrap()[0].next_number.as_deref(),
        Some("0001")
    );
    assert!(
        bill.vat_rates()
            .await
            .unwrap()
            .iter()
            .any(|v| v.percent == d("11"))
    );
    assert_eq!(bill.stock(WAREHOUSE, None).await.unwrap().len(), 2);
    let b = bill
        .stock(WAREHOUSE, Some(&[ProductCode("PNT-B".into())]))
        .await
        .unwrap();
    assert_eq!((b.len(), b[0].stock), (1, d("2")));

    let order = draft(2001, &[("PNT-A", 2, "49.90")], Some(WAREHOUSE));
    let mark = bill.series_mark("FCT").await.unwrap();
    assert_eq!(
        bill.find_invoice(&order, "FCT", &mark).await.unwrap(),
        Existing::Absent
    );
    let first = bill.issue_invoice(&order, "FCT").await.unwrap();
    let again = bill.issue_invoice(&order, "FCT").await.unwrap();
    assert_eq!(
        first.invoice, again.invoice,
        "the idempotencyKey returns the same invoice"
    );
    assert!(!first.already_existed, "issued now");
    assert!(again.already_existed, "the replay is reported as such");
    let found = bill.find_invoice(&order, "FCT", &mark).await.unwrap();
    assert_eq!(
        found,
        Existing::Found {
            invoice: first.invoice.clone()
        }
    );
    let a = bill
        .stock(WAREHOUSE, Some(&[ProductCode("PNT-A".into())]))
        .await
        .unwrap();
    assert_eq!(a[0].stock, d("3"), "discharged once, not three times");
    assert_eq!(state(&sim).await["docs"].as_array().unwrap().len(), 1);

    let storno = bill.reverse_invoice(&first.invoice).await.unwrap();
    assert_eq!(storno.number, "0002");
    let a = bill
        .stock(WAREHOUSE, Some(&[ProductCode("PNT-A".into())]))
        .await
        .unwrap();
    assert_eq!(a[0].stock, d("5"));
    let plain = bill
        .issue_invoice(&draft(2002, &[("PNT-B", 1, "5")], None), "FCT")
        .await
        .unwrap();
    bill.cancel_invoice(&plain.invoice).await.unwrap();
    bill.cancel_invoice(&plain.invoice)
        .await
        .expect("already cancelled is success");
    let e = bill
        .cancel_invoice(&InvoiceRef::new("FCT", "9999"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "billing.invoice_not_found");
}

#[tokio::test]
async fn stock_errors_name_product_and_warehouse() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 1).await;
    let e = bill
        .issue_invoice(&draft(1, &[("PNT-A", 4, "10")], Some(WAREHOUSE)), "FCT")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        BillingError::InsufficientStock {
            product: "Produs PNT-A".into(),
            warehouse: WAREHOUSE.into()
        }
    );
    let e = bill
        .issue_invoice(&draft(2, &[("PNT-X", 1, "10")], Some(WAREHOUSE)), "FCT")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "billing.product_unknown");
    let e = bill
        .issue_invoice(&draft(3, &[("PNT-A", 1, "1")], None), "ZZ")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        BillingError::SeriesUnknown {
            series: "ZZ".into()
        }
    );
}

#[tokio::test]
async fn token_is_renewed_before_expiry_and_after_a_401() {
    // 600× simulated time: the 3600 s token lives 6 s.
    let sim = start(ServiceKind::Oblio, 600.0).await;
    let aware = client_for(&sim, options(600.0));
    let unaware = client_for(&sim, options(1.0));
    aware.series().await.unwrap();
    unaware.series().await.unwrap();
    tokio::time::sleep(Duration::from_millis(6500)).await;
    sim.observer().clear();
    aware.series().await.expect("renewed before it ran out");
    let statuses: Vec<u16> = calls(&sim, "/nomenclature/series")
        .iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(statuses, vec![200], "no 401 when renewing ahead of expiry");
    assert_eq!(calls(&sim, "/authorize/token").len(), 1);
    sim.observer().clear();
    unaware.series().await.expect("renewed once after the 401");
    let statuses: Vec<u16> = calls(&sim, "/nomenclature/series")
        .iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(statuses, vec![401, 200]);
    assert_eq!(calls(&sim, "/authorize/token").len(), 1);
}

#[tokio::test]
async fn wrong_secret_is_reported() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bad = connect(connection(&sim, Some("wrong")), options(1.0)).unwrap();
    let e = bad.test_connection().await.unwrap_err();
    assert_eq!(e.code(), "billing.auth_failed");
    assert!(
        e.message(punte_billing::Lang::Ro)
            .contains("Oblio nu a acceptat")
    );
}

#[tokio::test]
async fn idempotent_issue_survives_drops_5xx_429_and_down_reads_fail_clearly() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 10).await;
    let order = draft(3001, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    bill.series().await.unwrap(); // token fetched outside the faults
    fault(
        &sim,
        "/docs/invoice",
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let issued = bill
        .issue_invoice(&order, "FCT")
        .await
        .expect("replayed under its key");
    assert_eq!(issued.invoice.number, "0001");
    let other = draft(3002, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    fault(
        &sim,
        "/docs/invoice",
        json!({"mode": "server_error", "status": 503}),
        Some(1),
    )
    .await;
    fault(
        &sim,
        "/docs/invoice",
        json!({"mode": "rate_limited"}),
        Some(1),
    )
    .await;
    assert_eq!(
        bill.issue_invoice(&other, "FCT")
            .await
            .unwrap()
            .invoice
            .number,
        "0002"
    );
    assert_eq!(
        state(&sim).await["docs"].as_array().unwrap().len(),
        2,
        "one invoice per order"
    );
    let a = bill
        .stock(WAREHOUSE, Some(&[ProductCode("PNT-A".into())]))
        .await
        .unwrap();
    assert_eq!(a[0].stock, d("8"));
    fault(
        &sim,
        "/nomenclature/products",
        json!({"mode": "latency", "ms": 2500}),
        Some(1),
    )
    .await;
    bill.stock(WAREHOUSE, None)
        .await
        .expect("a slow read is retried");
    fault(&sim, "*", json!({"mode": "down"}), None).await;
    assert_eq!(
        bill.stock(WAREHOUSE, None).await.unwrap_err().code(),
        "billing.unavailable"
    );
}

#[tokio::test]
async fn never_more_than_three_calls_a_second() {
    // The simulator blocks the account for 10 minutes on a fourth call within one second.
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    let (a, b, c) = tokio::join!(
        async {
            for _ in 0..3 {
                bill.series().await.expect("series");
            }
        },
        async {
            for _ in 0..3 {
                bill.vat_rates().await.expect("vat rates");
            }
        },
        async { bill.warehouses().await.expect("warehouses") }
    );
    let _ = (a, b, c);
    let st = state(&sim).await;
    assert!(
        st.get("blocked_until").is_some(),
        "the simulator reports its block"
    );
    assert!(st["blocked_until"].is_null(), "never blocked");
}
