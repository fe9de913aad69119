//! Bench: write 20,000 quantities to the Shopify simulator with Standard limits (bucket 2000,
//! restore 100/s) and compare the time with what the rate limit allows. Run with
//! `cargo bench -p punte-shopify --bench write_quantities`. Exits non-zero if a request was
//! THROTTLED or the drained-bucket run takes more than 1.2× the limit's minimum.

use std::time::Instant;

use punte_core::product::InventoryItemId;
use punte_shopify::{
    Credentials, QuantityName, QuantityWrite, Secret, ShopifyClient, ShopifyConfig, WriteBatch,
};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};

const ITEMS: usize = 20_000;
const MUTATION_COST: f64 = 10.0;
const RESTORE: f64 = 100.0;

async fn control(http: &reqwest::Client, sim: &SimServer, path: &str, body: Value) -> Value {
    let url = format!("{}{path}", sim.control_url());
    let resp = http.post(url).json(&body).send().await.expect("control");
    resp.json().await.expect("json")
}

/// Writes every item once; returns (seconds, seconds the limit allows, requests, throttled).
async fn run(
    sim: &SimServer,
    http: &reqwest::Client,
    items: &[u64],
    location: u64,
    start_points: f64,
    round: i64,
) -> (f64, f64, u64, u64) {
    // As in a sync cycle, the client has read before it writes, so it knows the bucket: here a
    // one-point Shop query leaves `start_points` in it.
    let points = json!({"currently_available": start_points + 1.0});
    control(http, sim, "/shopify/options", points).await;
    let token = Credentials::StaticToken(Secret::new(sim.credentials().get("static_token")));
    let client = ShopifyClient::new(ShopifyConfig::new(sim.base_url(), token)).expect("config");
    client.shop().await.expect("shop");
    let before = client.stats();
    let writes = items
        .iter()
        .map(|&id| QuantityWrite {
            inventory_item_id: InventoryItemId(id),
            quantity: round + 1,
            change_from: Some(round),
        })
        .collect();
    let batch = WriteBatch {
        location_id: location,
        name: QuantityName::Available,
        reason: "correction".into(),
        reference_document_uri: Some("gid://punte/SyncRun/bench".into()),
        writes,
    };
    let started = Instant::now();
    let report = client.set_quantities(&batch).await;
    let secs = started.elapsed().as_secs_f64();
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.applied.len(), ITEMS, "every quantity written");
    let cost = f64::from(report.mutations) * MUTATION_COST;
    let allowed = ((cost - start_points) / RESTORE).max(0.0);
    let stats = client.stats();
    (
        secs,
        allowed,
        stats.requests - before.requests,
        stats.throttled,
    )
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = SimServer::start(ServiceKind::Shopify, SimOptions::default())
        .await
        .expect("sim");
    let http = reqwest::Client::new();
    let products: Vec<Value> = (0..ITEMS)
        .map(|i| json!({"title": format!("P{i}"), "variants": [{"title": "Default Title", "sku": format!("B-{i:05}"), "price": "1.00", "stock": 0}]}))
        .collect();
    control(&http, &sim, "/shopify/seed", json!({"products": products})).await;
    let state = reqwest::get(format!("{}/state", sim.control_url()))
        .await
        .expect("state")
        .json::<Value>()
        .await
        .expect("json");
    let items: Vec<u64> = state["items"]
        .as_object()
        .expect("items")
        .values()
        .filter_map(|i| i["id"].as_u64())
        .collect();
    let location = state["locations"][0]["id"].as_u64().expect("location");
    assert_eq!(items.len(), ITEMS);
    let mut failed = false;
    for (label, start, round) in [
        ("full bucket (1999 points)", 1999.0, 0),
        ("drained bucket (0 points)", 0.0, 1),
    ] {
        let (secs, allowed, requests, throttled) =
            run(&sim, &http, &items, location, start, round).await;
        let ratio = if allowed > 0.0 {
            secs / allowed
        } else {
            f64::NAN
        };
        println!(
            "{label}: {ITEMS} quantities in {requests} requests, {secs:.2} s; the limit allows {allowed:.2} s; ratio {ratio:.3}; THROTTLED {throttled}"
        );
        failed |= throttled > 0 || (allowed > 0.0 && ratio > 1.2);
    }
    if failed {
        eprintln!("FAILED: throttled, or slower than 1.2x the rate limit");
        std::process::exit(1);
    }
}
