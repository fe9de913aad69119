//! Orders between FGO's pages (issue 19): FGO lists 200 articles per 30 s, so a look reading a
//! warehouse of several pages holds the scheduler for minutes; an order placed meanwhile must
//! still be reserved and given its InStock verdict before that read ends, and the levels the
//! look then writes must leave its units out (never sell them twice). Real scheduler, FGO and
//! Shopify simulators on loopback, time 5 times faster in both (the client paces a list call at
//! 6.4 s); not timed: the order is checked against the simulator's count of list answers.

mod common;

use std::time::{Duration, Instant};

use common::*;
use punte_core::product::ProductCode;
use serde_json::json;

const SCALE: f64 = 5.0;
/// 3 pages of 200: the second page holds codes 200–399, the last 400–449.
const PRODUCTS: usize = 450;

/// `/articol/list` calls FGO answered (each a page of the warehouse).
fn pages_answered(w: &World) -> usize {
    w.bill
        .observer()
        .log()
        .into_iter()
        .filter(|l| l.path.contains("articol/list") && l.status == 200)
        .count()
}

/// Every level Punte wrote for `code`, oldest first.
async fn written(r: &Running, code: &str) -> Vec<i64> {
    let code = ProductCode::from(code);
    let page = r
        .store
        .call(move |s| s.audit_page(Some(&code), None, 100))
        .await
        .expect("audit");
    page.items.iter().rev().map(|e| e.change.after).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_placed_during_a_paged_read_is_reserved_before_it_ends_and_never_oversold() {
    let w = world_of(&FGO, PRODUCTS, 10, SCALE).await;
    // Shopify at 10 as well: the first run has nothing to write (no confirmation).
    for i in 0..PRODUCTS {
        post(
            &w.shop,
            "/shopify/levels",
            json!({"sku": code(i), "quantity": 10}),
        )
        .await;
    }
    let (mut cfg, secret) = billing_config(&w, &FGO, SCALE);
    cfg.timing.scheduled = true;
    cfg.timing.orders_every = Duration::from_secs(1);
    let r = start_billing_with(&w, cfg, &secret, memory_store());

    // The first (full) run reads the 3 pages; the first look starts 10 s after it and reads
    // them again, one list call per 6.4 s. Wait for the look's first page.
    let t = Instant::now();
    while pages_answered(&w) < 4 {
        assert!(
            t.elapsed() < Duration::from_secs(90),
            "no look: {:?}",
            r.engine.status()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(r.engine.status().last_sync.is_some(), "the first run ended");
    let seen_at = r.engine.status().last_sync;
    // An order on a code of the second page and one of the last, and a receipt on both, so
    // the look writes them: 15 in FGO, 3 reserved, 12 to write.
    let (x, y) = (code(300), code(420));
    let order = place_order(&w, &[(&x, 3), (&y, 3)]).await;
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": FGO.warehouse, "lines": [
            {"code": x, "name": "Produs", "quantity": 5},
            {"code": y, "name": "Produs", "quantity": 5}]}),
    )
    .await;
    assert_eq!(pages_answered(&w), 4, "placed between the look's pages");

    // Reserved with its verdict while the look still waits for its last page (the count is
    // read after the order: it bounds the count at the moment of the verdict).
    loop {
        let row = r.store.call(move |s| s.order(order)).await.expect("order");
        let done = row.is_some_and(|o| o.in_stock.is_some());
        let pages = pages_answered(&w);
        assert!(
            pages < 6,
            "the order waited for the look's billing read to end ({pages} pages answered)"
        );
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        (reserved(&r.store, &x).await, reserved(&r.store, &y).await),
        (3, 3)
    );
    assert_eq!(
        r.engine.status().last_sync,
        seen_at,
        "the look is still in progress"
    );

    // The look ends; what it wrote for both codes leaves the order's 3 out: 15 − 3.
    let t = Instant::now();
    while r.engine.status().last_sync == seen_at {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the look did not end"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for c in [&x, &y] {
        let levels = written(&r, c).await;
        assert_eq!(levels, vec![12], "{c}: written by the look, B − R");
        assert_eq!(available(&w, c).await, 12, "{c} in Shopify");
    }
    r.engine.stop().await;
}
