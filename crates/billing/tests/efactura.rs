//! e-Factura (SPV) state per service against the simulators: Oblio reads `einvoiceStatus` from
//! its document list and uploads through `docs/einvoice` (not sent → in processing → accepted,
//! or rejected with ANAF's message); SmartBill and FGO show no SPV state in their APIs, so the
//! answer is "sent by <service>" with the document's link, and no request is made for it.

mod common;

use common::*;
use punte_billing::InvoiceRef;
use punte_core::efactura::SpvState;
use punte_sim::{ServiceKind, SimServer};
use serde_json::{Value, json};

/// Plays ANAF in the Oblio simulator: its verdict on a document in processing.
async fn anaf_verdict(sim: &SimServer, invoice: &InvoiceRef, code: i64, text: &str) -> u16 {
    let body = json!({"seriesName": invoice.series, "number": invoice.number, "code": code,
        "text": text});
    reqwest::Client::new()
        .post(format!("{}/oblio/einvoice", sim.control_url()))
        .json(&body)
        .send()
        .await
        .expect("control call")
        .status()
        .as_u16()
}

#[tokio::test]
async fn oblio_invoice_goes_not_sent_to_in_progress_to_accepted() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 5).await;
    let order = draft(3001, &[("PNT-A", 1, "49.90")], Some(WAREHOUSE));
    let inv = bill.issue_invoice(&order, "FCT").await.unwrap().invoice;

    let from = logged(&sim);
    assert_eq!(bill.efactura_state(&inv).await.unwrap(), SpvState::NotSent);
    assert_reads_only(&sim, from, &[]);

    assert_eq!(
        bill.send_efactura(&inv).await.unwrap(),
        SpvState::InProgress
    );
    assert_eq!(
        bill.efactura_state(&inv).await.unwrap(),
        SpvState::InProgress
    );
    let again = bill.send_efactura(&inv).await;
    assert!(
        again.is_err(),
        "a document in processing is not uploaded twice"
    );

    assert_eq!(anaf_verdict(&sim, &inv, 1, "").await, 200);
    assert_eq!(bill.efactura_state(&inv).await.unwrap(), SpvState::Accepted);
    assert_eq!(calls(&sim, "/docs/einvoice").len(), 2);
}

#[tokio::test]
async fn oblio_rejection_carries_anafs_reason() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 5).await;
    let order = draft(3002, &[("PNT-A", 1, "49.90")], Some(WAREHOUSE));
    let inv = bill.issue_invoice(&order, "FCT").await.unwrap().invoice;
    assert_eq!(
        anaf_verdict(&sim, &inv, 2, "x").await,
        409,
        "ANAF judges only what it received"
    );
    bill.send_efactura(&inv).await.unwrap();
    let reason = "E: [BR-RO-110] CUI cumparator invalid";
    assert_eq!(anaf_verdict(&sim, &inv, 2, reason).await, 200);
    assert_eq!(
        bill.efactura_state(&inv).await.unwrap(),
        SpvState::Rejected {
            reason: reason.into()
        }
    );
    let listed: Value = state(&sim).await;
    assert!(listed.to_string().contains("BR-RO-110"));
}

#[tokio::test]
async fn oblio_unknown_invoice_is_an_error_not_a_state() {
    let sim = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    let missing = InvoiceRef::new("FCT", "0999");
    assert!(bill.efactura_state(&missing).await.is_err());
}

async fn sent_by_service(kind: ServiceKind, name: &str) {
    let sim = start(kind, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 5).await;
    let series = if kind == ServiceKind::Fgo {
        "PNT"
    } else {
        "FCT"
    };
    let order = draft(3003, &[("PNT-A", 1, "49.90")], Some(warehouse_id(&sim)));
    let inv = bill.issue_invoice(&order, series).await.unwrap().invoice;
    let from = logged(&sim);
    let expected = SpvState::SentByService {
        service: name.into(),
        link: inv.link.clone(),
    };
    assert_eq!(bill.efactura_state(&inv).await.unwrap(), expected);
    assert_eq!(bill.send_efactura(&inv).await.unwrap(), expected);
    assert_eq!(
        logged(&sim),
        from,
        "nothing to ask: the API shows no SPV state"
    );
}

#[tokio::test]
async fn smartbill_shows_sent_by_smartbill_with_the_link() {
    sent_by_service(ServiceKind::SmartBill, "SmartBill").await;
}

#[tokio::test]
async fn fgo_shows_sent_by_fgo_with_the_link() {
    sent_by_service(ServiceKind::Fgo, "FGO").await;
}
