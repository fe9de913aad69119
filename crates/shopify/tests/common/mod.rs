//! Shared by the integration tests: a Shopify simulator on loopback, clients for its two auth
//! paths, and calls to its control API (seeding, faults, clock, log).
#![allow(dead_code)]

use std::time::Duration;

use punte_shopify::retry::RetryPolicy;
use punte_shopify::{Credentials, Secret, ShopifyClient, ShopifyConfig};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};

pub async fn sim(demo: bool) -> SimServer {
    sim_with(SimOptions {
        demo,
        ..SimOptions::default()
    })
    .await
}

pub async fn sim_with(options: SimOptions) -> SimServer {
    SimServer::start(ServiceKind::Shopify, options)
        .await
        .expect("simulator starts on loopback")
}

/// Short waits so fault tests stay fast; the shape of the policy is what is tested.
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        max_throttle_waits: 5,
    }
}

pub fn config(sim: &SimServer, credentials: Credentials) -> ShopifyConfig {
    let mut c = ShopifyConfig::new(sim.base_url(), credentials);
    c.retry = quick_retry();
    c.request_timeout = Duration::from_secs(5);
    c
}

pub fn grant(sim: &SimServer) -> Credentials {
    let creds = sim.credentials();
    Credentials::ClientCredentials {
        client_id: creds.get("client_id").to_owned(),
        client_secret: Secret::new(creds.get("client_secret")),
    }
}

pub fn static_token(sim: &SimServer) -> Credentials {
    Credentials::StaticToken(Secret::new(sim.credentials().get("static_token")))
}

/// A client using the client-credentials grant.
pub fn client(sim: &SimServer) -> ShopifyClient {
    ShopifyClient::new(config(sim, grant(sim))).expect("valid config")
}

/// A plain client for the control API. reqwest is built without a bundled crypto provider, so
/// the process-wide one (ring) must be installed before any reqwest client is built.
fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

pub async fn control(sim: &SimServer, path: &str, body: Value) -> Value {
    let resp = http()
        .post(format!("{}{path}", sim.control_url()))
        .json(&body)
        .send()
        .await
        .expect("control request");
    assert!(
        resp.status().is_success(),
        "control {path}: {}",
        resp.status()
    );
    resp.json().await.expect("JSON")
}

pub async fn control_get(sim: &SimServer, path: &str) -> Value {
    let resp = http()
        .get(format!("{}{path}", sim.control_url()))
        .send()
        .await
        .expect("control request");
    resp.json().await.expect("JSON")
}

/// Injects a fault on the GraphQL endpoint for the next `times` requests.
pub async fn fault(sim: &SimServer, fault: Value, times: Option<u32>) {
    let mut rule = fault;
    rule["path"] = json!("/admin/api/2026-07/graphql.json");
    rule["times"] = json!(times);
    control(sim, "/faults", rule).await;
}

/// Seeds `n` products of one variant each, SKU `P-00000`…, with `stock` at the primary location.
pub async fn seed(sim: &SimServer, n: usize, stock: i64) {
    let products: Vec<Value> = (0..n)
        .map(|i| {
            json!({"title": format!("Produs {i}"), "variants": [{"title": "Default Title",
                "sku": format!("P-{i:05}"), "barcode": format!("59400000{i:05}"),
                "price": "49.90", "stock": stock}]})
        })
        .collect();
    control(sim, "/shopify/seed", json!({"products": products})).await;
}

/// The simulator's request log entries for `path_suffix`, as (status, body).
pub async fn requests(sim: &SimServer, path_suffix: &str) -> Vec<(u64, String)> {
    let log = control_get(sim, "/log").await;
    log.as_array()
        .expect("log is a list")
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with(path_suffix)))
        .map(|r| {
            let status = r["status"].as_u64().unwrap_or_default();
            (status, r["body"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

/// The primary location's numeric id.
pub async fn primary_location(client: &ShopifyClient) -> u64 {
    let locations = client.locations().await.expect("locations");
    locations
        .iter()
        .find(|l| l.primary)
        .expect("a primary location")
        .id
}
