//! SmartBill client against the SmartBill simulator over loopback HTTP: every operation, stock
//! discharge and its errors, auth, faults (latency, 429, 5xx, dropped after commit, down), the
//! lost-answer lookup by reads in the series' own number format, the public view link, pacing
//! under the 30 / 10 s block, and the call window and block kept across a restart.

mod common;

use common::*;
use std::sync::{Arc, Mutex};

use punte_billing::limit::{CallJournal, CallWindow};
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
    let link = issued.invoice.link.clone().unwrap_or_default();
    assert!(
        link.contains("/documente/extern/"),
        "the public view link, not the editor's: {link}"
    );
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
    assert_eq!(
        bill.find_invoice(&lookup(&order, "FCT", mark, Vec::new()))
            .await
            .unwrap(),
        Existing::Found {
            invoice: InvoiceRef::new("FCT", "0001")
        },
        "the one invoice since the mark, with the order's total"
    );

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
async fn a_lost_answer_is_settled_by_reads_in_the_series_own_format() {
    let sim = start(ServiceKind::SmartBill, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 10).await;
    let a = draft(7, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    let b = draft(8, &[("PNT-A", 3, "10")], Some(WAREHOUSE));
    // "fac" numbers its invoices plainly ("1", "2", as the spec's "3744"), not "0001".
    let b_first = bill.issue_invoice(&b, "fac").await.unwrap().invoice;
    assert_eq!(b_first.number, "1");
    let mark = bill.series_mark("fac").await.unwrap();
    fault(
        &sim,
        "/invoice/v2",
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let e = bill.issue_invoice(&a, "fac").await.unwrap_err();
    assert_eq!(e.code(), "billing.unknown_outcome");
    assert_eq!(calls(&sim, "/invoice/v2").len(), 2, "never sent twice");
    let from = logged(&sim);
    let found = bill
        .find_invoice(&lookup(&a, "fac", mark.clone(), vec![b_first.clone()]))
        .await
        .unwrap();
    assert_reads_only(&sim, from, &[]);
    assert_eq!(
        found,
        Existing::Found {
            invoice: InvoiceRef::new("fac", "2")
        }
    );

    // Another order's invoice came in between and Punte does not know it: no read can tell.
    let mark = bill.series_mark("fac").await.unwrap();
    let c = draft(9, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    bill.issue_invoice(&c, "fac").await.unwrap();
    fault(
        &sim,
        "/invoice/v2",
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let d9 = draft(10, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    bill.issue_invoice(&d9, "fac").await.unwrap_err();
    let known = vec![b_first, InvoiceRef::new("fac", "2")];
    match bill
        .find_invoice(&lookup(&d9, "fac", mark, known))
        .await
        .unwrap()
    {
        Existing::Unsure { candidates, reason } => {
            assert_eq!(
                candidates,
                vec![InvoiceRef::new("fac", "3"), InvoiceRef::new("fac", "4")]
            );
            assert!(reason.contains("no order"), "{reason}");
        }
        other => panic!("two invoices with its total cannot be told apart: {other:?}"),
    }

    // Nothing happened in the series: certainly absent, and issuing is safe.
    let mark = bill.series_mark("FCT").await.unwrap();
    fault(&sim, "/invoice/v2", json!({"mode": "down"}), Some(1)).await;
    bill.issue_invoice(&a, "FCT").await.unwrap_err();
    assert_eq!(
        bill.find_invoice(&lookup(&a, "FCT", mark, Vec::new()))
            .await
            .unwrap(),
        Existing::Absent
    );
    fault(
        &sim,
        "/invoice/v2",
        json!({"mode": "rate_limited"}),
        Some(1),
    )
    .await;
    let ok = bill
        .issue_invoice(&a, "FCT")
        .await
        .expect("a 429 proves nothing ran: retried");
    assert_eq!(ok.invoice.number, "0001");
    let facts = bill
        .read_invoice(&ok.invoice)
        .await
        .unwrap()
        .expect("exists");
    assert_eq!(facts.total, Some(a.total()));
    assert_eq!(
        bill.read_invoice(&InvoiceRef::new("FCT", "0099"))
            .await
            .unwrap(),
        None
    );
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

/// The engine's journal, in memory: what a restart keeps.
#[derive(Default)]
struct Kept(Mutex<std::collections::HashMap<String, CallWindow>>);

impl CallJournal for Kept {
    fn load(&self, group: &str) -> Option<CallWindow> {
        self.0.lock().unwrap().get(group).cloned()
    }
    fn save(&self, group: &str, window: &CallWindow) {
        self.0
            .lock()
            .unwrap()
            .insert(group.to_owned(), window.clone());
    }
}

#[tokio::test]
async fn a_restart_keeps_the_call_window_and_a_block_stops_every_call() {
    // 10× simulated time: SmartBill's 30 / 10 s is 30 per real second here.
    let sim = start(ServiceKind::SmartBill, 10.0).await;
    let kept: Arc<dyn CallJournal> = Arc::new(Kept::default());
    let with_journal = || {
        let mut o = options(10.0);
        o.journal = Some(Arc::clone(&kept));
        connect(connection(&sim, None), o).unwrap()
    };
    let before = with_journal();
    for _ in 0..25 {
        before.series().await.unwrap();
    }
    drop(before);
    // The app restarts mid-run: the new client knows the 25 calls of the last second.
    let after = with_journal();
    for _ in 0..25 {
        after
            .series()
            .await
            .expect("paced across the restart, never blocked");
    }
    assert!(calls(&sim, "/series").iter().all(|c| c.1 == 200));

    // Someone else's burst on the same token blocks it for 10 (simulated) minutes.
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
    let e = after.vat_rates().await.unwrap_err();
    assert!(
        matches!(e, BillingError::Blocked { until: Some(_), .. }),
        "{e:?}"
    );
    let seen = logged(&sim);
    for _ in 0..5 {
        let e = after.series().await.unwrap_err();
        assert_eq!(e.code(), "billing.blocked");
    }
    let restarted = with_journal();
    let e = restarted.series().await.unwrap_err();
    let BillingError::Blocked {
        until: Some(until), ..
    } = e
    else {
        panic!("{e:?}");
    };
    assert!(until > chrono::Utc::now(), "it says until when");
    assert_eq!(
        logged(&sim),
        seen,
        "no call while blocked, not even after a restart"
    );
}
