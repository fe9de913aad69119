//! SmartBill client against the SmartBill simulator over loopback HTTP: every operation, stock
//! discharge and its errors, auth, faults (latency, 429, 5xx, dropped after commit, down), the
//! lost-answer lookup by series number, and pacing under the 30 / 10 s block.

mod common;

use common::*;
use punte_billing::{BillingError, Existing, InvoiceRef, connect};
use punte_core::product::ProductCode;
use punte_sim::ServiceKind;
use serde_json::json;

#[tokio::test]
async fn reads_issue_storno_cancel() {
    let sim = start(ServiceKind::SmartBill, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 5).await;
    receive(&sim, "PNT-B", 2).await;
    bill.test_connection().await.expect("credentials are right");
    let wh = bill.warehouses().await.unwrap();
    assert!(wh.iter().any(|w| w.id == WAREHOUSE), "{wh:?}");
    let series = bill.series().await.unwrap();
    assert_eq!(series[0].name, "FCT");
    let vat = bill.vat_rates().await.unwrap();
    assert!(
        vat.iter()
            .any(|v| v.name == "Normala" && v.percent == d("21"))
    );
    let all = bill.stock(WAREHOUSE, None).await.unwrap();
    assert_eq!(all.len(), 2);
    let some = bill
        .stock(WAREHOUSE, Some(&[ProductCode("PNT-B".into())]))
        .await
        .unwrap();
    assert_eq!((some.len(), some[0].stock), (1, d("2")));

    let mark = bill.series_mark("FCT").await.unwrap();
    let order = draft(1001, &[("PNT-A", 2, "49.90")], Some(WAREHOUSE));
    let issued = bill.issue_invoice(&order, "FCT").await.unwrap();
    assert_eq!(issued.invoice.label(), "FCT 0001");
    let left = bill
        .stock(WAREHOUSE, Some(&[ProductCode("PNT-A".into())]))
        .await
        .unwrap();
    assert_eq!(left[0].stock, d("3"), "two units discharged");
    let body = &state(&sim).await["invoices"][0]["body"];
    assert_eq!(
        body["products"][0]["price"],
        json!(49.9),
        "exact decimal on the wire"
    );
    assert_eq!(body["products"][1]["discountValue"], json!(-1.5));
    assert_eq!(body["mentions"], "Comanda Shopify #1001 (punte:1001)");
    assert!(matches!(
        bill.find_invoice(&order, "FCT", &mark).await.unwrap(),
        Existing::Unsure { candidates } if candidates == vec![InvoiceRef::new("FCT", "0001")]
    ));

    let storno = bill.reverse_invoice(&issued.invoice).await.unwrap();
    assert_eq!(storno.label(), "FCT 0002");
    let back = bill
        .stock(WAREHOUSE, Some(&[ProductCode("PNT-A".into())]))
        .await
        .unwrap();
    assert_eq!(back[0].stock, d("5"), "storno returns the stock");

    let plain = draft(1002, &[("PNT-B", 1, "10")], None);
    let second = bill.issue_invoice(&plain, "FCT").await.unwrap();
    let b = bill
        .stock(WAREHOUSE, Some(&[ProductCode("PNT-B".into())]))
        .await
        .unwrap();
    assert_eq!(b[0].stock, d("2"), "no discharge without a warehouse");
    bill.cancel_invoice(&second.invoice).await.unwrap();
    bill.cancel_invoice(&second.invoice)
        .await
        .expect("cancelling twice is fine");
    let missing = InvoiceRef::new("FCT", "9999");
    assert!(matches!(
        bill.cancel_invoice(&missing).await,
        Err(BillingError::InvoiceNotFound { .. })
    ));
}

#[tokio::test]
async fn stock_errors_are_typed_and_plain() {
    let sim = start(ServiceKind::SmartBill, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 1).await;
    let short = draft(1, &[("PNT-A", 3, "10")], Some(WAREHOUSE));
    let e = bill.issue_invoice(&short, "FCT").await.unwrap_err();
    assert_eq!(
        e,
        BillingError::InsufficientStock {
            product: "Produs PNT-A".into(),
            warehouse: WAREHOUSE.into()
        }
    );
    let unknown = draft(2, &[("PNT-NOPE", 1, "10")], Some(WAREHOUSE));
    let e = bill.issue_invoice(&unknown, "FCT").await.unwrap_err();
    assert_eq!(e.code(), "billing.product_unknown");
    assert!(
        !e.to_string().contains('<'),
        "no HTML reaches the merchant: {e}"
    );
    let e = bill.issue_invoice(&short, "NOPE").await.unwrap_err();
    assert_eq!(
        e,
        BillingError::SeriesUnknown {
            series: "NOPE".into()
        }
    );
    let e = bill.stock("Nicaieri", None).await.unwrap_err();
    assert_eq!(e.code(), "billing.warehouse_unknown");
}

#[tokio::test]
async fn wrong_token_and_insecure_url_are_refused() {
    let sim = start(ServiceKind::SmartBill, 1.0).await;
    let bad = connect(connection(&sim, Some("001|wrong")), options(1.0)).unwrap();
    assert_eq!(
        bad.test_connection().await.unwrap_err().code(),
        "billing.auth_failed"
    );
    let mut conn = connection(&sim, None);
    if let punte_billing::Connection::SmartBill(c) = &mut conn {
        c.base_url = "http://ws.smartbill.ro/SBORO/api".into();
    }
    assert!(matches!(
        connect(conn, options(1.0)).err(),
        Some(BillingError::InsecureUrl { .. })
    ));
}

#[tokio::test]
async fn reads_retry_through_latency_429_5xx_and_report_down() {
    let sim = start(ServiceKind::SmartBill, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    fault(
        &sim,
        "/tax",
        json!({"mode": "latency", "ms": 2500}),
        Some(1),
    )
    .await;
    let t = std::time::Instant::now();
    bill.vat_rates().await.expect("a timed-out read is retried");
    assert!(
        t.elapsed().as_millis() >= 1500,
        "the first try ran into the timeout"
    );
    fault(&sim, "/tax", json!({"mode": "rate_limited"}), Some(1)).await;
    bill.vat_rates()
        .await
        .expect("a 429 read waits Retry-After and retries");
    fault(
        &sim,
        "/tax",
        json!({"mode": "server_error", "status": 502}),
        Some(2),
    )
    .await;
    bill.vat_rates().await.expect("5xx reads are retried");
    let statuses: Vec<u16> = calls(&sim, "/tax").into_iter().map(|c| c.1).collect();
    // The timed-out try is not logged: the simulator drops it when the client hangs up.
    assert_eq!(statuses, vec![200, 429, 200, 502, 502, 200]);
    fault(&sim, "/tax", json!({"mode": "down"}), None).await;
    let e = bill.vat_rates().await.unwrap_err();
    assert_eq!(e.code(), "billing.unavailable", "{e:?}");
}

#[tokio::test]
async fn a_lost_invoice_answer_is_never_repeated_and_is_resolved_by_series() {
    let sim = start(ServiceKind::SmartBill, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 10).await;
    let draft = draft(7, &[("PNT-A", 1, "10")], Some(WAREHOUSE));

    let mark = bill.series_mark("FCT").await.unwrap();
    fault(
        &sim,
        "/invoice/v2",
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let e = bill.issue_invoice(&draft, "FCT").await.unwrap_err();
    assert_eq!(e.code(), "billing.unknown_outcome");
    assert_eq!(calls(&sim, "/invoice/v2").len(), 1, "never sent twice");
    let found = bill.find_invoice(&draft, "FCT", &mark).await.unwrap();
    assert_eq!(
        found,
        Existing::Unsure {
            candidates: vec![InvoiceRef::new("FCT", "0001")]
        }
    );

    let mark = bill.series_mark("FCT").await.unwrap();
    fault(&sim, "/invoice/v2", json!({"mode": "down"}), Some(1)).await;
    assert_eq!(
        bill.issue_invoice(&draft, "FCT").await.unwrap_err().code(),
        "billing.unknown_outcome"
    );
    assert_eq!(
        bill.find_invoice(&draft, "FCT", &mark).await.unwrap(),
        Existing::Absent
    );

    fault(
        &sim,
        "/invoice/v2",
        json!({"mode": "server_error", "status": 500}),
        Some(1),
    )
    .await;
    assert_eq!(
        bill.issue_invoice(&draft, "FCT").await.unwrap_err().code(),
        "billing.unknown_outcome"
    );
    fault(
        &sim,
        "/invoice/v2",
        json!({"mode": "rate_limited"}),
        Some(1),
    )
    .await;
    let ok = bill
        .issue_invoice(&draft, "FCT")
        .await
        .expect("a 429 proves nothing ran: retried");
    assert_eq!(ok.invoice.number, "0002");
}

#[tokio::test]
async fn pacing_never_trips_the_block_and_a_block_is_reported_with_its_end() {
    // 10× simulated time: the 30 / 10 s window lasts 1 s of real time.
    let sim = start(ServiceKind::SmartBill, 10.0).await;
    let bill = client_for(&sim, options(10.0));
    let started = std::time::Instant::now();
    for _ in 0..70 {
        bill.series().await.expect("paced reads are never refused");
    }
    let took = started.elapsed();
    assert!(calls(&sim, "/series").iter().all(|c| c.1 == 200));
    assert!(
        took.as_secs_f64() >= 2.0,
        "70 calls need at least 3 windows: {took:?}"
    );
    eprintln!("smartbill: 70 paced reads in {took:?} (limit allows 30 per 1.0 s here)");

    // Someone else's burst on the same token triggers the 10-minute block.
    let raw = reqwest::Client::new();
    let c = sim.credentials();
    for _ in 0..31 {
        let url = format!("{}/tax?cif={}", sim.base_url(), c.get("cif"));
        let _ = raw
            .get(url)
            .basic_auth(c.get("email"), Some(c.get("token")))
            .send()
            .await;
    }
    match bill.vat_rates().await {
        Err(BillingError::Blocked { until: Some(t), .. }) => assert!(t > chrono::Utc::now()),
        other => panic!("expected a block with its end, got {other:?}"),
    }
}
