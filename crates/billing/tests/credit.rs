//! Credit documents for Shopify refunds against each billing simulator (issue 16): one line of
//! three returned and restocked → one document for exactly that line at the invoice's price and
//! rate, stock back by that quantity; shipping only; a return without restock; a whole return
//! as the service's own storno; and a lost answer settled by reads, never a second document.

mod common;

use common::*;
use punte_billing::{BillingService, CreditLookup, Existing, InvoiceRef};
use punte_core::credit_note::CreditDraft;
use punte_core::invoice::{DraftLine, DraftLineKind, InvoiceDraft};
use punte_core::money::VatRate;
use punte_core::product::ProductCode;
use punte_sim::posted::{PostedLine, document_lines, issue_path, posted_bodies};
use punte_sim::{ServiceKind, SimServer};
use rust_decimal::Decimal;
use serde_json::json;

/// The invoice series each simulator's demo company has.
fn series(sim: &SimServer) -> &'static str {
    match sim.kind() {
        ServiceKind::Fgo => "PNT",
        _ => "FCT",
    }
}

/// Refund `refund` of `order`'s invoice: product lines (code, units, VAT-included unit price,
/// restocked) and shipping given back.
fn credit_of(
    sim: &SimServer,
    order: &InvoiceDraft,
    invoice: &InvoiceRef,
    refund: u64,
    lines: &[(&str, i64, &str, bool)],
    shipping: Option<&str>,
) -> CreditDraft {
    let mut out: Vec<DraftLine> = lines
        .iter()
        .map(|(code, n, price, restock)| DraftLine {
            kind: DraftLineKind::Product,
            name: format!("Produs {code}"),
            code: Some(ProductCode((*code).into())),
            quantity: -n,
            unit_price: d(price),
            vat_rate: VatRate(d("21")),
            warehouse: restock.then(|| warehouse_id(sim).to_owned()),
            line: None,
            vat_name: None,
        })
        .collect();
    if let Some(price) = shipping {
        out.push(DraftLine {
            kind: DraftLineKind::Shipping,
            name: "Transport".into(),
            code: None,
            quantity: -1,
            unit_price: d(price),
            vat_rate: VatRate(d("21")),
            warehouse: None,
            line: None,
            vat_name: None,
        });
    }
    CreditDraft {
        order_id: order.order_id,
        order_name: order.order_name.clone(),
        refund_id: refund,
        invoice_series: invoice.series.clone(),
        invoice_number: invoice.number.clone(),
        client: order.client.clone(),
        currency: order.currency.clone(),
        whole: false,
        use_stock: out.iter().any(|l| l.warehouse.is_some()),
        lines: out,
    }
}

async fn stock_of(bill: &dyn BillingService, sim: &SimServer, code: &str) -> Decimal {
    let got = bill
        .stock(warehouse_id(sim), Some(&[ProductCode(code.into())]))
        .await
        .unwrap();
    got.first().map_or(Decimal::ZERO, |p| p.stock)
}

/// The lines of the last document body posted to `path`, as (code, quantity, price, rate)
/// in the service's own field names; a value discount line is left out.
fn posted_lines(sim: &SimServer, path: &str) -> Vec<PostedLine> {
    let bodies = posted_bodies(sim, path);
    document_lines(sim.kind(), bodies.last().expect("a document was posted"))
}

async fn partial_refunds(kind: ServiceKind) {
    let sim = start(kind, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    let series = series(&sim);
    for code in ["PNT-A", "PNT-B", "PNT-C"] {
        receive(&sim, code, 5).await;
    }
    let wh = warehouse_id(&sim);
    let order = draft(
        5001,
        &[
            ("PNT-A", 1, "49.90"),
            ("PNT-B", 3, "30.00"),
            ("PNT-C", 1, "10.00"),
        ],
        Some(wh),
    );
    let invoice = bill.issue_invoice(&order, series).await.unwrap().invoice;
    assert_eq!(stock_of(bill.as_ref(), &sim, "PNT-B").await, d("2"));

    // One line of three returned and restocked: exactly that line, at the invoice's price and
    // rate, its units back in the warehouse, nothing else moved.
    let one = credit_of(
        &sim,
        &order,
        &invoice,
        9001,
        &[("PNT-B", 3, "30.00", true)],
        None,
    );
    let credit = bill.issue_credit(&one, series).await.unwrap().invoice;
    assert_ne!(credit, invoice, "a new document");
    assert_eq!(
        posted_lines(&sim, issue_path(sim.kind())),
        vec![("PNT-B".to_owned(), d("-3"), d("30.00"), d("21"))],
        "{kind:?}: one line, the returned one, at the invoice's price and rate"
    );
    assert_eq!(stock_of(bill.as_ref(), &sim, "PNT-B").await, d("5"));
    assert_eq!(stock_of(bill.as_ref(), &sim, "PNT-A").await, d("4"));
    assert_eq!(stock_of(bill.as_ref(), &sim, "PNT-C").await, d("4"));

    // Shipping only: one service line, no stock moves.
    let ship = credit_of(&sim, &order, &invoice, 9002, &[], Some("19.99"));
    let ship_doc = bill.issue_credit(&ship, series).await.unwrap().invoice;
    let lines = posted_lines(&sim, issue_path(sim.kind()));
    assert_eq!(lines.len(), 1, "{kind:?}: {lines:?}");
    assert_eq!((lines[0].1, lines[0].2), (d("-1"), d("19.99")));
    assert_eq!(stock_of(bill.as_ref(), &sim, "PNT-A").await, d("4"));

    // Returned but not restocked by Shopify: credited, stock untouched.
    let kept = credit_of(
        &sim,
        &order,
        &invoice,
        9003,
        &[("PNT-A", 1, "48.40", false)],
        None,
    );
    let kept_doc = bill.issue_credit(&kept, series).await.unwrap().invoice;
    assert_eq!(
        posted_lines(&sim, issue_path(sim.kind())),
        vec![("PNT-A".to_owned(), d("-1"), d("48.40"), d("21"))]
    );
    assert_eq!(stock_of(bill.as_ref(), &sim, "PNT-A").await, d("4"));

    // The answer to a credit is lost: reads find it, nothing is sent again.
    let mark = bill.series_mark(series).await.unwrap();
    let lost = credit_of(
        &sim,
        &order,
        &invoice,
        9004,
        &[("PNT-C", 1, "10.00", true)],
        None,
    );
    fault(
        &sim,
        issue_path(sim.kind()),
        json!({"mode": "drop_after_commit"}),
        Some(1),
    )
    .await;
    let posts = calls(&sim, issue_path(sim.kind())).len();
    let e = bill.issue_credit(&lost, series).await.unwrap_err();
    assert_eq!(e.code(), "billing.unknown_outcome", "{kind:?}: sent once");
    assert_eq!(
        calls(&sim, issue_path(sim.kind())).len(),
        posts + 1,
        "never sent twice"
    );
    let lookup = CreditLookup {
        refund_id: 9004,
        order_id: 5001,
        series: series.into(),
        mark,
        total: lost.total(),
        since: chrono::Utc::now() - chrono::TimeDelta::minutes(5),
        // Every document Punte already tied to this order (what the engine passes).
        known: vec![invoice.clone(), credit.clone(), ship_doc, kept_doc],
    };
    let from = logged(&sim);
    let found = bill.find_credit(&lookup).await.unwrap();
    assert_reads_only(&sim, from, &["/factura/getstatus"]);
    let Existing::Found { invoice: lost_doc } = found else {
        panic!("{kind:?}: {found:?}");
    };
    assert_eq!(
        stock_of(bill.as_ref(), &sim, "PNT-C").await,
        d("5"),
        "restocked once"
    );
    let mut known = lookup.known.clone();
    known.push(lost_doc);
    let never = CreditLookup {
        refund_id: 9999,
        total: d("-1234.56"),
        mark: bill.series_mark(series).await.unwrap(),
        known,
        ..lookup
    };
    assert_eq!(bill.find_credit(&never).await.unwrap(), Existing::Absent);
}

async fn whole_return(kind: ServiceKind) {
    let sim = start(kind, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    let series = series(&sim);
    receive(&sim, "PNT-A", 5).await;
    let order = draft(5101, &[("PNT-A", 2, "20.00")], Some(warehouse_id(&sim)));
    let invoice = bill.issue_invoice(&order, series).await.unwrap().invoice;
    assert_eq!(stock_of(bill.as_ref(), &sim, "PNT-A").await, d("3"));
    let mut all = credit_of(
        &sim,
        &order,
        &invoice,
        9101,
        &[("PNT-A", 2, "19.25", true)],
        Some("19.99"),
    );
    all.whole = true;
    let storno = bill.issue_credit(&all, series).await.unwrap().invoice;
    assert_ne!(storno.number, invoice.number);
    assert_eq!(
        stock_of(bill.as_ref(), &sim, "PNT-A").await,
        d("5"),
        "{kind:?}"
    );
    // Sent again (Oblio's idempotencyKey answers with the same document; SmartBill and FGO
    // refuse a second storno): never a second document, never stock back twice.
    match bill.issue_credit(&all, series).await {
        Ok(same) => assert_eq!(same.invoice, storno, "{kind:?}"),
        Err(e) => assert_eq!(e.code(), "billing.rejected", "{kind:?}: {e:?}"),
    }
    assert_eq!(
        stock_of(bill.as_ref(), &sim, "PNT-A").await,
        d("5"),
        "{kind:?}"
    );
}

#[tokio::test]
async fn smartbill_partial_refunds() {
    partial_refunds(ServiceKind::SmartBill).await;
}

#[tokio::test]
async fn oblio_partial_refunds() {
    partial_refunds(ServiceKind::Oblio).await;
}

#[tokio::test]
async fn fgo_partial_refunds() {
    partial_refunds(ServiceKind::Fgo).await;
}

#[tokio::test]
async fn smartbill_whole_return_is_its_storno() {
    whole_return(ServiceKind::SmartBill).await;
}

#[tokio::test]
async fn oblio_whole_return_is_its_storno() {
    whole_return(ServiceKind::Oblio).await;
}

#[tokio::test]
async fn fgo_whole_return_is_its_storno() {
    whole_return(ServiceKind::Fgo).await;
}

#[tokio::test]
async fn smartbill_cannot_restock_part_of_one_credit() {
    let sim = start(ServiceKind::SmartBill, 1.0).await;
    let bill = client_for(&sim, options(1.0));
    receive(&sim, "PNT-A", 5).await;
    receive(&sim, "PNT-B", 5).await;
    let order = draft(
        5201,
        &[("PNT-A", 1, "10"), ("PNT-B", 1, "10")],
        Some(WAREHOUSE),
    );
    let invoice = bill.issue_invoice(&order, "FCT").await.unwrap().invoice;
    let mixed = credit_of(
        &sim,
        &order,
        &invoice,
        9201,
        &[("PNT-A", 1, "8.50", true), ("PNT-B", 1, "10", false)],
        None,
    );
    let posts = calls(&sim, "/invoice/v2").len();
    let e = bill.issue_credit(&mixed, "FCT").await.unwrap_err();
    assert_eq!(e.code(), "billing.not_supported");
    assert_eq!(calls(&sim, "/invoice/v2").len(), posts, "nothing sent");
}
