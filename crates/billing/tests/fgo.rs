//! FGO client against the FGO simulator over loopback HTTP: the SHA-1 hash, every operation,
//! the account's series, countries as FGO codes, `InfoStoc`, the discount's sign, lost answers
//! settled by reads (never by sending again), refusals verbatim, wrong key, storno never
//! repeated blindly, and pacing that never meets FGO's limits.

mod common;

use common::*;
use punte_billing::fgo::hash;
use punte_billing::{BillingError, Existing, InvoiceRef, connect};
use punte_core::product::ProductCode;
use punte_sim::ServiceKind;
use serde_json::{Value, json};

/// Simulated time 10× faster: FGO's 1/5 s and 1/30 s spacing take 0.5 s and 3 s here.
const SCALE: f64 = 10.0;

#[tokio::test]
async fn reads_issue_duplicate_storno_cancel_with_the_docs_hash() {
    let sim = start(ServiceKind::Fgo, SCALE).await;
    let bill = client_for(&sim, options(SCALE));
    receive(&sim, "PNT-A", 5).await;
    receive(&sim, "PNT-B", 2).await;
    bill.test_connection().await.unwrap();
    assert_eq!(bill.warehouses().await.unwrap()[0].id, "G1");
    let series: Vec<String> = bill
        .series()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        series,
        vec!["BV", "PNT"],
        "the account's own series, downloaded (none is \"FCT\")"
    );
    assert_eq!(bill.vat_rates().await.unwrap().len(), 3);
    assert_eq!(bill.stock("G1", None).await.unwrap().len(), 2);
    let b = bill
        .stock("G1", Some(&[ProductCode("PNT-B".into())]))
        .await
        .unwrap();
    assert_eq!((b.len(), b[0].stock), (1, d("2")));

    let order = draft(4001, &[("PNT-A", 2, "49.90")], Some("G1"));
    let first = bill.issue_invoice(&order, "PNT").await.unwrap();
    assert_eq!(
        (first.invoice.number.as_str(), first.already_existed),
        ("001", false)
    );
    let sent: Value = serde_json::from_str(&sim.observer().log().last().unwrap().body).unwrap();
    assert_eq!(
        sent["Hash"],
        hash(&["2864518", "1234567890", "Ion Popescu"])
    );
    assert_eq!(sent["Continut"][0]["PretTotal"], json!(99.8));
    assert_eq!(sent["Continut"][0]["CodGestiune"], "G1");
    assert_eq!(
        sent["Client"]["Tara"], "RO",
        "a /nomenclator/tara value, not the name"
    );
    assert_eq!(
        (
            sent["Continut"][1]["NrProduse"].clone(),
            sent["Continut"][1]["PretTotal"].clone()
        ),
        (json!(-1), json!(1.5)),
        "the discount: one negative unit, a positive total"
    );
    let stock_after: Vec<_> = first
        .stock_after
        .iter()
        .map(|p| (p.code.as_str(), p.stock))
        .collect();
    assert_eq!(
        stock_after,
        vec![("PNT-A", d("3"))],
        "InfoStoc, read inside Factura"
    );
    let facts = bill
        .read_invoice(&first.invoice)
        .await
        .unwrap()
        .expect("exists");
    assert_eq!(
        facts.total,
        Some(order.total()),
        "the discount lowered the value"
    );
    let again = bill.issue_invoice(&order, "PNT").await.unwrap();
    assert!(
        again.already_existed,
        "VerificareDuplicat returns the first invoice"
    );
    assert_eq!(again.invoice.number, "001");
    let mark = bill.series_mark("PNT").await.unwrap();
    let found = bill
        .find_invoice(&lookup(&order, "PNT", mark, Vec::new()))
        .await
        .unwrap();
    assert!(
        matches!(&found, Existing::Found { invoice } if invoice.label() == first.invoice.label()),
        "{found:?}"
    );
    let a = bill
        .stock("G1", Some(&[ProductCode("PNT-A".into())]))
        .await
        .unwrap();
    assert_eq!(a[0].stock, d("3"), "discharged once");

    let storno = bill.reverse_invoice(&first.invoice).await.unwrap();
    assert_eq!(storno.number, "002");
    let plain = bill
        .issue_invoice(&draft(4002, &[("PNT-B", 1, "5")], None), "PNT")
        .await
        .unwrap();
    bill.cancel_invoice(&plain.invoice).await.unwrap();
    bill.cancel_invoice(&plain.invoice)
        .await
        .expect("already cancelled is success");
    let refused = sim
        .observer()
        .log()
        .iter()
        .filter(|r| r.body.contains("depasit"))
        .count();
    assert_eq!(refused, 0, "pacing kept every call inside FGO's limits");
}

#[tokio::test]
async fn stock_errors_and_wrong_key() {
    let sim = start(ServiceKind::Fgo, SCALE).await;
    let bill = client_for(&sim, options(SCALE));
    receive(&sim, "PNT-A", 1).await;
    let e = bill
        .issue_invoice(&draft(1, &[("PNT-A", 3, "10")], Some("G1")), "PNT")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        BillingError::Rejected {
            service: "FGO",
            text: "Stoc insuficient pentru articolul PNT-A in gestiunea G1 (disponibil 1).".into()
        },
        "an undocumented text is FGO's own words"
    );
    let e = bill
        .issue_invoice(&draft(2, &[("PNT-X", 1, "10")], Some("G1")), "PNT")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "billing.rejected");
    let e = bill
        .issue_invoice(&draft(3, &[("PNT-A", 1, "10")], Some("G9")), "PNT")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        BillingError::WarehouseUnknown {
            warehouse: "G9".into()
        }
    );
    let e = bill
        .issue_invoice(&draft(4, &[("PNT-A", 1, "10")], None), "ZZ")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        BillingError::SeriesUnknown {
            series: "ZZ".into()
        }
    );
    let bad = connect(connection(&sim, Some("0000000000")), options(SCALE)).unwrap();
    assert_eq!(
        bad.test_connection().await.unwrap_err().code(),
        "billing.auth_failed"
    );
}

#[tokio::test]
async fn a_lost_answer_is_settled_by_reads_and_storno_is_never_repeated() {
    let sim = start(ServiceKind::Fgo, SCALE).await;
    let bill = client_for(&sim, options(SCALE));
    receive(&sim, "PNT-A", 10).await;
    let earlier = bill
        .issue_invoice(&draft(5000, &[("PNT-A", 2, "10")], Some("G1")), "PNT")
        .await
        .unwrap()
        .invoice;
    let order = draft(5001, &[("PNT-A", 1, "10")], Some("G1"));
    let mark = bill.series_mark("PNT").await.unwrap();
    fault(
        &sim,
        "/factura/emitere",
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let e = bill.issue_invoice(&order, "PNT").await.unwrap_err();
    assert_eq!(
        e.code(),
        "billing.unknown_outcome",
        "sent once, not replayed"
    );
    assert_eq!(calls(&sim, "/factura/emitere").len(), 2);
    let from = logged(&sim);
    let found = bill
        .find_invoice(&lookup(&order, "PNT", mark.clone(), vec![earlier.clone()]))
        .await
        .unwrap();
    assert_reads_only(&sim, from, &["/factura/getstatus"]);
    assert_eq!(
        found,
        Existing::Found {
            invoice: InvoiceRef::new("PNT", "002")
        }
    );
    // Nothing was issued after the last known invoice: absent.
    let never = draft(5003, &[("PNT-A", 1, "10")], Some("G1"));
    let known = vec![earlier.clone(), InvoiceRef::new("PNT", "002")];
    assert_eq!(
        bill.find_invoice(&lookup(&never, "PNT", mark, known))
            .await
            .unwrap(),
        Existing::Absent
    );
    assert_eq!(state(&sim).await["invoices"].as_array().unwrap().len(), 2);
    fault(
        &sim,
        "/factura/stornare",
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let e = bill.reverse_invoice(&earlier).await.unwrap_err();
    assert_eq!(e.code(), "billing.unknown_outcome");
    assert_eq!(
        calls(&sim, "/factura/stornare").len(),
        1,
        "storno is never sent twice"
    );
    fault(&sim, "*", json!({"mode": "down"}), None).await;
    assert_eq!(
        bill.warehouses().await.unwrap_err().code(),
        "billing.unavailable"
    );
}

#[tokio::test]
async fn issue_is_sent_once_through_latency_5xx_and_drops_a_429_is_waited_out() {
    let sim = start(ServiceKind::Fgo, SCALE).await;
    let bill = client_for(&sim, options(SCALE));
    receive(&sim, "PNT-A", 10).await;
    let emit = "/factura/emitere";
    let orders: Vec<_> = (0..4)
        .map(|i| draft(6001 + i, &[("PNT-A", 1, "10")], Some("G1")))
        .collect();
    fault(&sim, emit, json!({"mode": "rate_limited"}), Some(1)).await;
    bill.issue_invoice(&orders[0], "PNT")
        .await
        .expect("a 429 is waited out");
    for (i, mode) in [
        json!({"mode": "latency", "ms": 2500}),
        json!({"mode": "server_error", "status": 503}),
        json!({"mode": "drop_after_commit"}),
    ]
    .into_iter()
    .enumerate()
    {
        fault(&sim, emit, mode.clone(), Some(1)).await;
        let e = bill.issue_invoice(&orders[i + 1], "PNT").await.unwrap_err();
        assert_eq!(e.code(), "billing.unknown_outcome", "{mode}");
    }
    let invoices = state(&sim).await["invoices"].as_array().unwrap().len();
    assert_eq!(invoices, 2, "the 429'd one and the dropped one; none twice");
    fault(&sim, "*", json!({"mode": "down"}), None).await;
    assert_eq!(
        bill.stock("G1", None).await.unwrap_err().code(),
        "billing.unavailable"
    );
}

#[tokio::test]
async fn a_foreign_client_gets_its_countrys_fgo_code() {
    use punte_core::client::Client;
    let sim = start(ServiceKind::Fgo, SCALE).await;
    let bill = client_for(&sim, options(SCALE));
    let mut order = draft(7101, &[("PNT-S", 1, "10")], None);
    if let Client::Person { address, .. } = &mut order.client {
        address.country = "Republica Moldova".into();
        address.county = "Chisinau".into();
    }
    bill.issue_invoice(&order, "PNT").await.unwrap();
    let sent: Value = serde_json::from_str(&sim.observer().log().last().unwrap().body).unwrap();
    assert_eq!(sent["Client"]["Tara"], "MD");
}

#[tokio::test]
async fn shopify_provinces_are_sent_as_fgo_counties() {
    use punte_core::client::Client;
    let sim = start(ServiceKind::Fgo, SCALE).await;
    let bill = client_for(&sim, options(SCALE));
    for (i, (province, county)) in [("București", "Bucuresti"), ("CJ", "Cluj")]
        .into_iter()
        .enumerate()
    {
        let mut order = draft(7001 + i as u64, &[("PNT-S", 1, "10")], None);
        if let Client::Person { address, .. } = &mut order.client {
            address.county = province.into();
        }
        bill.issue_invoice(&order, "PNT")
            .await
            .unwrap_or_else(|e| panic!("{province}: {e}"));
        let sent: Value = serde_json::from_str(&sim.observer().log().last().unwrap().body).unwrap();
        assert_eq!(sent["Client"]["Judet"], county, "{province}");
    }
}

#[tokio::test]
async fn vat_rates_come_from_the_public_tva_nomenclature() {
    let sim = start(ServiceKind::Fgo, SCALE).await;
    let bill = client_for(&sim, options(SCALE));
    let rates = bill.vat_rates().await.unwrap();
    let read: Vec<_> = rates.iter().map(|r| (r.name.as_str(), r.percent)).collect();
    assert_eq!(
        read,
        vec![("21%", d("21")), ("11%", d("11")), ("0%", d("0"))]
    );
    let log = sim.observer().log();
    let call = log.last().unwrap();
    assert_eq!(call.method, "GET");
    assert!(call.path.ends_with("/nomenclator/tva"), "{}", call.path);
    assert!(
        !call.body.contains("Hash"),
        "the nomenclature is public: no credentials sent"
    );
    // The wrong key does not matter to a public list.
    let wrong = connect(connection(&sim, Some("wrong")), options(SCALE)).unwrap();
    assert_eq!(wrong.vat_rates().await.unwrap().len(), 3);
}
