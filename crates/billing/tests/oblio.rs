//! Oblio client against the Oblio simulator over loopback HTTP: every operation, replays under
//! the idempotencyKey, refusals shown verbatim, work points, one token per account for its
//! lifetime, lost answers settled by reading the document list (never by sending again), wrong
//! secret, and faults.

mod common;

use std::time::Duration;

use common::*;
use punte_billing::{BillingError, Existing, InvoiceRef, connect};
use punte_core::product::ProductCode;
use punte_sim::ServiceKind;
use punte_sim::oblio::model::SECOND_WORK_STATION;
use serde_json::json;

#[tokio::test]
async fn reads_issue_replay_storno_cancel() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 5).await;
    receive(&sim, "PNT-B", 2).await;
    bill.test_connection().await.unwrap();
    let ids: Vec<String> = bill
        .warehouses()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(
        ids,
        vec![
            WAREHOUSE.to_owned(),
            format!("{SECOND_WORK_STATION} / {WAREHOUSE}")
        ],
        "one warehouse per (work point, management)"
    );
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
    let asked = lookup(&order, "FCT", mark, Vec::new());
    assert_eq!(bill.find_invoice(&asked).await.unwrap(), Existing::Absent);
    let first = bill.issue_invoice(&order, "FCT").await.unwrap();
    let again = bill.issue_invoice(&order, "FCT").await.unwrap();
    assert_eq!(
        first.invoice, again.invoice,
        "the idempotencyKey returns the same invoice"
    );
    assert!(!first.already_existed, "issued now");
    assert!(again.already_existed, "the replay is reported as such");
    let found = bill.find_invoice(&asked).await.unwrap();
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
async fn refusals_are_shown_in_oblios_words() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 1).await;
    let e = bill
        .issue_invoice(&draft(1, &[("PNT-A", 4, "10")], Some(WAREHOUSE)), "FCT")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        BillingError::Rejected {
            service: "Oblio",
            text: format!(
                "Stoc insuficient pentru produsul Produs PNT-A in gestiunea {WAREHOUSE} (disponibil 1)"
            )
        },
        "Oblio documents no error texts: its own words, not a guess from them"
    );
    let e = bill
        .issue_invoice(&draft(3, &[("PNT-A", 1, "1")], None), "ZZ")
        .await
        .unwrap_err();
    assert!(
        e.message(punte_billing::Lang::Ro)
            .ends_with("Seria ZZ nu exista"),
        "{e}"
    );
    let e = bill
        .cancel_invoice(&InvoiceRef::new("FCT", "9999"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "billing.invoice_not_found", "read from the list");
    // HTML in a service's text: script content dropped, the text kept.
    let mut hostile = draft(4, &[("PNT-NOPE", 1, "1")], Some(WAREHOUSE));
    hostile.lines[0].name = "<script>alert(1)</script><b>Eroare</b>".into();
    let e = bill.issue_invoice(&hostile, "FCT").await.unwrap_err();
    let BillingError::Rejected { text, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(
        text,
        &format!("Produsul Eroare nu exista in gestiunea {WAREHOUSE}")
    );
    for lang in [punte_billing::Lang::Ro, punte_billing::Lang::En] {
        let shown = e.message(lang);
        assert!(!shown.contains("alert") && !shown.contains('<'), "{shown}");
    }
}

#[tokio::test]
async fn a_warehouse_is_a_work_point_and_a_management() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive_at(&sim, "Sediu", "PNT-A", 5).await;
    receive_at(&sim, SECOND_WORK_STATION, "PNT-A", 7).await;
    let cluj = format!("{SECOND_WORK_STATION} / {WAREHOUSE}");
    let code = [ProductCode("PNT-A".into())];
    assert_eq!(
        bill.stock(&cluj, Some(&code)).await.unwrap()[0].stock,
        d("7")
    );
    assert_eq!(bill.stock(WAREHOUSE, None).await.unwrap()[0].stock, d("5"));
    bill.issue_invoice(&draft(11, &[("PNT-A", 2, "10")], Some(&cluj)), "FCT")
        .await
        .unwrap();
    let sent: serde_json::Value =
        serde_json::from_str(&sim.observer().log().last().unwrap().body).unwrap();
    assert_eq!(sent["workStation"], SECOND_WORK_STATION);
    assert_eq!(sent["products"][0]["management"], WAREHOUSE);
    assert_eq!(
        bill.stock(&cluj, Some(&code)).await.unwrap()[0].stock,
        d("5"),
        "discharged from the chosen work point"
    );
    assert_eq!(
        bill.stock(WAREHOUSE, Some(&code)).await.unwrap()[0].stock,
        d("5"),
        "Sediu's management of the same name is untouched"
    );
}

#[tokio::test]
async fn a_lost_answer_is_found_by_reading_the_list_never_by_sending_again() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 10).await;
    let a = draft(4001, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    let b = draft(4002, &[("PNT-A", 2, "10")], Some(WAREHOUSE));
    let never = draft(4003, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    let mark = bill.series_mark("FCT").await.unwrap();
    fault(
        &sim,
        "/docs/invoice",
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let e = bill.issue_invoice(&a, "FCT").await.unwrap_err();
    assert_eq!(
        e.code(),
        "billing.unknown_outcome",
        "sent once, not replayed"
    );
    let b_issued = bill.issue_invoice(&b, "FCT").await.unwrap().invoice;
    let from = logged(&sim);
    let found = bill
        .find_invoice(&lookup(&a, "FCT", mark.clone(), vec![b_issued.clone()]))
        .await
        .unwrap();
    assert_reads_only(&sim, from, &[]);
    match found {
        Existing::Found { invoice } => {
            assert_eq!(invoice.number, "0001", "A's own invoice, not B's later one");
            assert_ne!(invoice.number, b_issued.number);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        bill.find_invoice(&lookup(&never, "FCT", mark, Vec::new()))
            .await
            .unwrap(),
        Existing::Absent,
        "no document names the order: it does not exist"
    );
    let docs = state(&sim).await["docs"].as_array().unwrap().len();
    assert_eq!(docs, 2, "one invoice per order");
    let facts = bill
        .read_invoice(&InvoiceRef::new("FCT", "0001"))
        .await
        .unwrap()
        .expect("listed");
    assert_eq!(facts.order_id, Some(4001));
    assert_eq!(facts.total, Some(a.total()));
}

#[tokio::test]
async fn one_token_per_account_for_its_lifetime() {
    // 600× simulated time: the 3600 s token lives 6 s.
    let sim = start(ServiceKind::Oblio, 600.0).await;
    let first = client_for(&sim, options(600.0));
    let second = client_for(&sim, options(600.0));
    first.series().await.unwrap();
    second.series().await.unwrap();
    first.vat_rates().await.unwrap();
    assert_eq!(
        calls(&sim, "/authorize/token").len(),
        1,
        "a second client of the same account reuses the token"
    );
    tokio::time::sleep(Duration::from_millis(6500)).await;
    sim.observer().clear();
    second.series().await.expect("renewed before it ran out");
    first.series().await.unwrap();
    let statuses: Vec<u16> = calls(&sim, "/nomenclature/series")
        .iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(
        statuses,
        vec![200, 200],
        "no 401 when renewing ahead of expiry"
    );
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
async fn issue_is_sent_once_through_drops_5xx_and_429_reads_fail_clearly() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 10).await;
    let order = draft(3001, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    bill.series().await.unwrap(); // token fetched outside the faults
    for mode in [
        json!({"mode": "drop_after_commit"}),
        json!({"mode": "server_error", "status": 503}),
    ] {
        fault(&sim, "/docs/invoice", mode, Some(1)).await;
        let e = bill.issue_invoice(&order, "FCT").await.unwrap_err();
        assert_eq!(e.code(), "billing.unknown_outcome");
    }
    assert_eq!(calls(&sim, "/docs/invoice").len(), 2, "never sent twice");
    fault(
        &sim,
        "/docs/invoice",
        json!({"mode": "rate_limited"}),
        Some(1),
    )
    .await;
    let other = draft(3002, &[("PNT-A", 1, "10")], Some(WAREHOUSE));
    assert_eq!(
        bill.issue_invoice(&other, "FCT")
            .await
            .unwrap()
            .invoice
            .number,
        "0002",
        "a 429 proves nothing ran: retried"
    );
    assert_eq!(state(&sim).await["docs"].as_array().unwrap().len(), 2);
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
async fn twenty_calls_are_not_paced_at_three_a_second() {
    // The current docs allow 30 requests in 10 s; paced at the older 3 per second, these 20
    // calls (and the token) would need more than 6 s.
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    let started = std::time::Instant::now();
    let (a, b, c) = tokio::join!(
        async {
            for _ in 0..9 {
                bill.series().await.expect("series");
            }
        },
        async {
            for _ in 0..9 {
                bill.vat_rates().await.expect("vat rates");
            }
        },
        async { bill.warehouses().await.expect("warehouses") }
    );
    let _ = (a, b, c);
    let refused = sim
        .observer()
        .log()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    assert_eq!(refused, 0);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "not paced at 3 per second: {:?}",
        started.elapsed()
    );
}
