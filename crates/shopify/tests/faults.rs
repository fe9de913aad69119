//! Every fault mode of the simulator: latency (within and beyond the timeout), THROTTLED with
//! HTTP 200 and 429, a bare 429 with Retry-After, 5xx, a write dropped after commit (replayed
//! with the same idempotency key), and the service down.

mod common;

use std::time::{Duration, Instant};

use common::{client, config, control, fault, grant, primary_location, requests, seed, sim};
use punte_shopify::{QuantityName, QuantityWrite, ShopifyClient, WriteBatch};
use serde_json::json;

#[tokio::test]
async fn latency_within_the_timeout_is_waited_out() {
    let sim = sim(false).await;
    let c = client(&sim);
    fault(&sim, json!({"mode": "latency", "ms": 300}), Some(1)).await;
    let started = Instant::now();
    c.shop().await.expect("slow answer");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(c.stats().retries, 0);
}

#[tokio::test]
async fn latency_beyond_the_timeout_is_retried() {
    let sim = sim(false).await;
    let mut cfg = config(&sim, grant(&sim));
    cfg.request_timeout = Duration::from_millis(400);
    let c = ShopifyClient::new(cfg).expect("config");
    fault(&sim, json!({"mode": "latency", "ms": 1500}), Some(1)).await;
    c.shop().await.expect("answered on the second try");
    assert_eq!(c.stats().retries, 1);
}

#[tokio::test]
async fn bare_429_waits_for_retry_after() {
    let sim = sim(false).await;
    let c = client(&sim);
    fault(&sim, json!({"mode": "rate_limited"}), Some(1)).await;
    let started = Instant::now();
    c.shop().await.expect("answered after the wait");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After: 2.0 honoured"
    );
    assert_eq!((c.stats().throttled, c.stats().requests), (1, 2));
}

async fn throttled_then_answered(status: u16) {
    let sim = sim(false).await;
    control(
        &sim,
        "/shopify/options",
        json!({"currently_available": 0.0, "throttle_status": status}),
    )
    .await;
    let c = client(&sim);
    let started = Instant::now();
    c.locations()
        .await
        .expect("answered after waiting for the bucket");
    let graphql = requests(&sim, "/graphql.json").await;
    assert_eq!(graphql.len(), 2, "one THROTTLED answer, then the real one");
    assert_eq!(graphql[0].0, u64::from(status));
    assert_eq!(c.stats().throttled, 1);
    // The answer said how much was missing (Locations requests 25 points, the bucket had 0:
    // (25 + 1) / 100 = 0.26 s, less what the bucket refilled while the request travelled); the
    // client waited about that long, not more.
    let waited = started.elapsed().as_secs_f64();
    assert!((0.1..3.0).contains(&waited), "waited {waited:.3} s");
}

#[tokio::test]
async fn throttled_with_http_200_waits_as_told() {
    throttled_then_answered(200).await;
}

#[tokio::test]
async fn throttled_with_http_429_waits_as_told() {
    throttled_then_answered(429).await;
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let sim = sim(false).await;
    let c = client(&sim);
    fault(
        &sim,
        json!({"mode": "server_error", "status": 500}),
        Some(2),
    )
    .await;
    c.shop().await.expect("third try answers");
    assert_eq!(c.stats().retries, 2);
    fault(&sim, json!({"mode": "server_error", "status": 503}), None).await;
    let err = c.shop().await.expect_err("always 503");
    assert_eq!(err.code(), "shopify.server_error");
    assert_eq!(
        requests(&sim, "/graphql.json").await.len(),
        3 + 4,
        "max_attempts = 4"
    );
}

#[tokio::test]
async fn service_down_is_retried_then_reported() {
    let sim = sim(false).await;
    let c = client(&sim);
    c.shop().await.expect("up");
    fault(&sim, json!({"mode": "down"}), Some(2)).await;
    c.shop().await.expect("back after two drops");
    fault(&sim, json!({"mode": "down"}), None).await;
    let err = c.shop().await.expect_err("down");
    assert_eq!(err.code(), "shopify.unreachable");
    assert!(err.message_ro().contains("nu poate fi contactat"));
}

async fn write_all(
    replay_reexecutes: bool,
) -> (punte_sim::SimServer, punte_shopify::WriteReport, Vec<i64>) {
    let sim = sim(false).await;
    seed(&sim, 5, 10).await;
    control(
        &sim,
        "/shopify/options",
        json!({"replay_reexecutes": replay_reexecutes}),
    )
    .await;
    let c = client(&sim);
    let loc = primary_location(&c).await;
    let levels = c.levels_at(loc).await.expect("levels");
    let writes = levels
        .iter()
        .map(|l| QuantityWrite {
            inventory_item_id: l.inventory_item_id,
            quantity: 3,
            change_from: Some(l.available),
        })
        .collect();
    let batch = WriteBatch {
        location_id: loc,
        name: QuantityName::Available,
        reason: "correction".into(),
        reference_document_uri: None,
        writes,
    };
    fault(&sim, json!({"mode": "drop_after_commit"}), Some(1)).await;
    let report = c.set_quantities(&batch).await;
    let after = c
        .levels_at(loc)
        .await
        .expect("levels")
        .iter()
        .map(|l| l.available)
        .collect();
    (sim, report, after)
}

#[tokio::test]
async fn write_dropped_after_commit_is_replayed_with_the_same_key() {
    let (sim, report, after) = write_all(false).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(
        report.applied.len(),
        5,
        "the replay answers from Shopify's idempotency cache"
    );
    assert_eq!(after, vec![3; 5]);
    let writes: Vec<_> = requests(&sim, "/graphql.json")
        .await
        .into_iter()
        .filter(|r| r.1.contains("inventorySetQuantities"))
        .collect();
    assert_eq!(writes.len(), 2);
    assert_eq!(writes[0].1, writes[1].1, "same body, same idempotency key");
}

#[tokio::test]
async fn a_replay_that_re_executes_is_reported_stale_not_applied() {
    // Seen live: a replayed key ran again and failed its compare. The client must not claim
    // success; the rows come back stale so the engine re-reads them.
    let (_sim, report, after) = write_all(true).await;
    assert_eq!(report.applied.len(), 0);
    assert_eq!(report.stale.len(), 5);
    assert_eq!(after, vec![3; 5], "the first (dropped) attempt did write");
}
