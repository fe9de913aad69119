//! InStock verdicts after an import, against the simulators: AvailableStock = A + R (Shopify's
//! A as read, not clamped; after a sync that wrote 0 for a negative target, that target), open
//! orders walked oldest first, an order that does not fit takes nothing (the article's rule, see
//! design/stock-model.md).

mod common;

use common::*;
use punte_core::order::OrderId;
use punte_engine::SyncScope;

async fn verdict(r: &Running, id: OrderId) -> Option<bool> {
    r.store
        .call(move |s| s.order(id))
        .await
        .expect("order")
        .expect("stored")
        .in_stock
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verdicts_follow_the_article_rule_after_import_and_after_sync() {
    let w = world(2, 0, 3, 1.0).await;
    let r = start(&w);
    let (a, b) = (code(0), code(1));
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    assert_eq!(available(&w, &a).await, 3);

    // Shopify takes each order from A: 3 → 1 → −1 → −2 for code 0 (oversold).
    let o1 = place_order(&w, &[(&a, 2)]).await;
    let o2 = place_order(&w, &[(&a, 2), (&b, 1)]).await;
    let o3 = place_order(&w, &[(&a, 1)]).await;
    assert_eq!(available(&w, &a).await, -2);

    // Import only: A is what Punte last knew (3) moved by the imported orders (−5), so
    // AvailableStock(code 0) = −2 + 5 = 3. o1 takes 2 (1 left); o2 needs 2: NotInStock and
    // takes nothing; o3 takes the last 1. Code 1 (2 + 1 = 3) is not what o2 lacks.
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    assert_eq!(verdict(&r, o1).await, Some(true));
    assert_eq!(verdict(&r, o2).await, Some(false));
    assert_eq!(verdict(&r, o3).await, Some(true));
    let detail = r
        .store
        .call(move |s| s.order(o2))
        .await
        .expect("order")
        .expect("stored")
        .in_stock_detail
        .expect("shortfall explained");
    assert!(detail.contains(&a) && !detail.contains(&b), "{detail}");

    // The stock sync writes max(0, B − R) = max(0, 3 − 5) = 0 for code 0, so Shopify's A is 0
    // and A + R would read 5, more than the 3 billing has. The walk takes the unclamped target
    // B − R = −2 as A instead, so AvailableStock = −2 + 5 = 3 = B: the oversold o2 stays
    // NotInStock, short of code 0 by 1 (o1 took 2 of the 3), and o1 and o3 keep their units.
    r.engine.sync_now(SyncScope::StockOnly).await.expect("sync");
    assert_eq!(available(&w, &a).await, 0);
    assert_eq!(verdict(&r, o1).await, Some(true));
    assert_eq!(verdict(&r, o2).await, Some(false), "oversold order");
    assert_eq!(verdict(&r, o3).await, Some(true));
    let detail = r
        .store
        .call(move |s| s.order(o2))
        .await
        .expect("order")
        .expect("stored")
        .in_stock_detail
        .expect("shortfall explained");
    // The explanation names the older order that took the units: the window words it as
    // "needs 2 × code 0; 3 available, order #… (older) took 2, 1 left" in either language.
    let explained: serde_json::Value = serde_json::from_str(&detail).expect("JSON");
    assert_eq!(explained["verdict"], "not_in_stock", "{detail}");
    let shortfalls = explained["shortfalls"].as_array().expect("shortfalls");
    assert_eq!(shortfalls.len(), 1, "{detail}");
    let s = &shortfalls[0];
    assert_eq!(
        (
            s["code"].as_str(),
            s["available"].as_i64(),
            s["needed"].as_i64(),
            s["left"].as_i64(),
            s["short_by"].as_i64()
        ),
        (Some(a.as_str()), Some(3), Some(2), Some(1), Some(1)),
        "AvailableStock is what billing has: {detail}"
    );
    let o1_name = r
        .store
        .call(move |s| s.order(o1))
        .await
        .expect("order")
        .expect("stored")
        .order
        .name;
    assert_eq!(s["takers"], serde_json::json!([o1_name]), "{detail}");
    assert_eq!(s["takers_total"], 1, "{detail}");

    // Dispatching o1 ends its reservation and clears its verdict at the next walk; with R = 3
    // the target is 3 − 3 = 0, no longer clamped, and o2 and o3 fit.
    r.engine.mark_dispatched(o1).await.expect("dispatch");
    r.engine.sync_now(SyncScope::StockOnly).await.expect("sync");
    assert_eq!(verdict(&r, o1).await, None);
    assert_eq!(verdict(&r, o2).await, Some(true));
    assert_eq!(verdict(&r, o3).await, Some(true));
    r.engine.stop().await;
}
