//! Issue 20 items 1 and 10. One article with a billing stock of 10¹² used to make Shopify refuse
//! every product's write, run after run: it is written as Shopify's maximum with a finding, and
//! a row Shopify refuses outright never stops the others (the run is Partial, the refusal is a
//! finding). A write whose answer was lost but which Shopify applied is settled by the re-read:
//! an audit row, and counted as written.

mod common;

use common::*;
use punte_engine::{Outcome, SyncScope};
use punte_sim::{Fault, FaultRule};
use serde_json::json;

async fn open_findings(r: &Running) -> Vec<punte_store::FindingRow> {
    r.store
        .call(|s| s.open_findings(1000))
        .await
        .expect("findings")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_billing_stock_is_clamped_and_a_refused_row_does_not_stop_the_others() {
    let w = world(3, 5, 7, 1.0).await;
    let huge = 1_000_000_000_000_i64;
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": code(1), "quantity": huge - 7}]}),
    )
    .await;
    let mut cfg = config(&w, 1.0);
    cfg.settings.plan.confirm_share_percent = 100;
    let r = start_with(&w, cfg, memory_store());

    let run = r.engine.sync_now(SyncScope::Full).await.expect("sync");
    assert_eq!(run.outcome, Outcome::Ok, "{run:?}");
    assert_eq!(run.counts.products_written, 3, "{run:?}");
    assert_eq!(available(&w, &code(0)).await, 7);
    assert_eq!(
        available(&w, &code(1)).await,
        1_000_000_000,
        "Shopify's maximum"
    );
    assert_eq!(available(&w, &code(2)).await, 7);
    let findings = open_findings(&r).await;
    let key = format!("quantity_too_high:{}", code(1));
    let f = findings
        .iter()
        .find(|f| f.finding.key == key)
        .unwrap_or_else(|| panic!("{key} in {findings:?}"));
    assert!(f.finding.message.contains("1000000000000"), "{f:?}");

    // Shopify refuses one product's write outright, naming no row: the others still go.
    let levels = w.client.levels_at(w.location).await.expect("levels");
    let refused = levels
        .iter()
        .find(|l| l.sku.as_deref() == Some(code(2).as_str()))
        .expect("level")
        .inventory_item_id;
    post(
        &w.shop,
        "/shopify/options",
        json!({"refuse_inventory_item": refused.0}),
    )
    .await;
    let lines: Vec<_> = [0, 2]
        .iter()
        .map(|&i| json!({"code": code(i), "quantity": 1}))
        .collect();
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": lines}),
    )
    .await;
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("sync");
    assert_eq!(run.outcome, Outcome::Partial, "{run:?}");
    assert_eq!(run.counts.writes_failed, 1, "{run:?}");
    assert_eq!(
        available(&w, &code(0)).await,
        8,
        "the other product was written"
    );
    assert_eq!(available(&w, &code(2)).await, 7, "the refused one was not");
    let key = format!("write_failed:{}", code(2));
    assert!(
        open_findings(&r).await.iter().any(|f| f.finding.key == key),
        "a finding says which write failed"
    );

    // Once Shopify takes it again, the next cycle writes it (it stayed dirty).
    post(
        &w.shop,
        "/shopify/options",
        json!({"refuse_inventory_item": 0}),
    )
    .await;
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("sync");
    assert_eq!(run.outcome, Outcome::Ok, "{run:?}");
    assert_eq!(available(&w, &code(2)).await, 8);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_applied_but_whose_answer_was_lost_is_audited_and_counted() {
    let w = world(1, 29, 29, 1.0).await;
    let mut cfg = config(&w, 1.0);
    cfg.settings.plan.confirm_share_percent = 100;
    let r = start_with(&w, cfg, memory_store());
    r.engine.sync_now(SyncScope::Full).await.expect("in step");
    post(
        &w.bill,
        "/billing/receive",
        json!({"warehouse": WAREHOUSE, "lines": [{"code": code(0), "quantity": 2}]}),
    )
    .await;
    // The write is applied (29 → 31) and its answer lost; the replay under the same key runs
    // again (as seen live) and fails its compare, since the level is 31 now.
    post(
        &w.shop,
        "/shopify/options",
        json!({"replay_reexecutes": true}),
    )
    .await;
    w.shop.observer().add_fault_when_body_contains(
        "SetQuantities",
        FaultRule {
            path: "/admin/api/2026-07/graphql.json".into(),
            fault: Fault::DropAfterCommit,
            times: Some(1),
        },
    );
    let run = r.engine.sync_now(SyncScope::StockOnly).await.expect("sync");
    assert_eq!(available(&w, &code(0)).await, 31);
    assert_eq!(run.outcome, Outcome::Ok, "{run:?}");
    assert_eq!(
        run.counts.products_written, 1,
        "the settled write counts: {run:?}"
    );
    let audit = r
        .store
        .call(|s| s.audit_page(None, None, 10))
        .await
        .expect("audit")
        .items;
    let last = audit.first().expect("an audit row for 29 → 31");
    assert_eq!((last.change.before, last.change.after), (Some(29), 31));
    assert_eq!(last.change.reason, "target_settled", "{last:?}");
    let drift = open_findings(&r).await;
    assert!(
        drift.iter().all(|f| !f.finding.kind.contains("drift")),
        "Punte's own write is not a drift: {drift:?}"
    );
    r.engine.stop().await;
}
