//! Page by page (issue 19): on Oblio and FGO, whose warehouse comes in pages, an incremental
//! cycle writes a page's changes as soon as that page is read. Deterministic, not timed: the
//! simulator refuses the last page (a 500 until cleared), so the cycle fails at its end; the
//! receipt on the first page must be in Shopify all the same, and the simulator's log must show
//! that the last page was never answered. A page changing more than the rail's share of its
//! products writes nothing early (the whole-run rail decides at the end of the read).

mod common;

use common::*;
use punte_engine::SyncScope;
use punte_sim::ServiceKind;
use punte_sim::{Fault, FaultRule};
use serde_json::{Value, json};

/// (service, products, text of the last page's request, time scale). Oblio: 250 a page by
/// offset; FGO: 200 a page, `NrPagina` from 1, 1 list per 30 s (hence the faster clock).
fn case(kind: ServiceKind) -> (Billing, usize, &'static str, f64) {
    match kind {
        ServiceKind::Oblio => (OBLIO, 600, "offset=500", 1.0),
        _ => (FGO, 450, "\"NrPagina\":3", 30.0),
    }
}

/// A connected shop of `n` products at 10 in both, followed by one confirmed full run.
async fn connected(b: &Billing, n: usize, scale: f64) -> (World, Running) {
    let w = world_of(b, n, 10, scale).await;
    let r = start_billing(&w, b, scale, memory_store());
    let first = r.engine.sync_now(SyncScope::Full).await.expect("first run");
    if first.counts.products_written == 0 {
        // Every level moves from 0 to 10: the "changes too many" rail asks first.
        r.engine.apply_confirmed().await.expect("confirmed");
    }
    assert_eq!(available(&w, &code(0)).await, 10);
    (w, r)
}

async fn receive(w: &World, b: &Billing, codes: &[String]) {
    let lines: Vec<Value> = codes
        .iter()
        .map(|c| json!({"code": c, "name": "Produs", "quantity": 5}))
        .collect();
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": b.warehouse, "lines": lines}),
    )
    .await;
}

/// The billing simulator's answers to requests naming `needle` (query or body), by status.
fn answers(w: &World, needle: &str) -> Vec<u16> {
    w.bill
        .observer()
        .log()
        .into_iter()
        .filter(|l| {
            l.query.as_deref().unwrap_or_default().contains(needle) || l.body.contains(needle)
        })
        .map(|l| l.status)
        .collect()
}

async fn a_receipt_on_an_early_page_is_written_before_the_last_page(kind: ServiceKind) {
    let (b, n, last_page, scale) = case(kind);
    let (w, r) = connected(&b, n, scale).await;
    w.bill.observer().clear();
    w.bill.observer().add_fault_when_body_contains(
        last_page,
        FaultRule {
            path: "*".into(),
            fault: Fault::ServerError { status: 500 },
            times: None,
        },
    );
    receive(&w, &b, &[code(1)]).await;
    let run = r.engine.sync_now(SyncScope::StockOnly).await;
    assert!(run.is_err(), "the last page fails the read: {run:?}");
    let tried = answers(&w, last_page);
    assert!(
        !tried.is_empty() && tried.iter().all(|s| *s == 500),
        "the last page was asked and never answered: {tried:?}"
    );
    assert_eq!(
        available(&w, &code(1)).await,
        15,
        "the first page's receipt is written before the last page is read"
    );
    assert_eq!(available(&w, &code(2)).await, 10, "nothing else moved");

    // The read works again: nothing is written twice, no drift, and a receipt on the last page
    // (written by the whole-run path at the end of the read) follows too.
    w.bill.observer().clear_faults();
    receive(&w, &b, &[code(n - 1)]).await;
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("run");
    assert_eq!(run.counts.products_written, 1, "{run:?}");
    assert_eq!(available(&w, &code(n - 1)).await, 15);
    assert_eq!(available(&w, &code(1)).await, 15);
    let findings = r
        .store
        .call(|s| s.open_findings(1000))
        .await
        .expect("findings");
    assert!(
        findings.iter().all(|f| f.finding.kind != "shopify_drift"),
        "Punte's own page writes are not drift: {findings:?}"
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oblio_writes_a_page_before_the_last_is_read() {
    a_receipt_on_an_early_page_is_written_before_the_last_page(ServiceKind::Oblio).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fgo_writes_a_page_before_the_last_is_read() {
    a_receipt_on_an_early_page_is_written_before_the_last_page(ServiceKind::Fgo).await;
}

/// 100 of the first page's 250 products change (more than 30 %): too many for that page to be
/// written on its own, so nothing is written before the whole read, which then fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_changing_too_much_waits_for_the_whole_read() {
    let (b, n, last_page, scale) = case(ServiceKind::Oblio);
    let (w, r) = connected(&b, n, scale).await;
    w.bill.observer().add_fault_when_body_contains(
        last_page,
        FaultRule {
            path: "*".into(),
            fault: Fault::ServerError { status: 500 },
            times: None,
        },
    );
    let codes: Vec<String> = (0..100).map(code).collect();
    receive(&w, &b, &codes).await;
    let run = r.engine.sync_now(SyncScope::StockOnly).await;
    assert!(run.is_err(), "{run:?}");
    assert_eq!(available(&w, &code(0)).await, 10, "nothing written early");
    assert_eq!(available(&w, &code(99)).await, 10, "nothing written early");
    // With the whole read, 100 of 600 is within the rail: all are written.
    w.bill.observer().clear_faults();
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("run");
    assert_eq!(run.counts.products_written, 100, "{run:?}");
    assert_eq!(available(&w, &code(99)).await, 15);
    r.engine.stop().await;
}
