//! Helpers shared by the conformance tests: starting a simulator and calling it over real HTTP.
#![allow(dead_code)]

use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};

pub async fn start(kind: ServiceKind, demo: bool) -> SimServer {
    let options = SimOptions {
        demo,
        ..SimOptions::default()
    };
    SimServer::start(kind, options)
        .await
        .expect("simulator starts on loopback")
}

pub async fn start_with(kind: ServiceKind, options: SimOptions) -> SimServer {
    SimServer::start(kind, options)
        .await
        .expect("simulator starts on loopback")
}

pub fn client() -> reqwest::Client {
    // Needed when the workspace unifies reqwest with `rustls-no-provider` (see Cargo.toml).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// POSTs a GraphQL request with the static token; returns (status, body).
pub async fn gql(sim: &SimServer, query: &str, variables: Value) -> (u16, Value) {
    gql_with(sim, sim.credentials().get("static_token"), query, variables).await
}

pub async fn gql_with(sim: &SimServer, token: &str, query: &str, variables: Value) -> (u16, Value) {
    let url = format!("{}/admin/api/2026-07/graphql.json", sim.base_url());
    let resp = client()
        .post(url)
        .header("X-Shopify-Access-Token", token)
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .expect("request reaches the simulator");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("JSON body"))
}

/// POSTs JSON to the control API path `path` (after `/_sim`).
pub async fn control(sim: &SimServer, path: &str, body: Value) -> Value {
    let resp = client()
        .post(format!("{}{path}", sim.control_url()))
        .json(&body)
        .send()
        .await
        .expect("control request");
    assert!(
        resp.status().is_success(),
        "control {path} failed: {}",
        resp.status()
    );
    resp.json().await.expect("JSON body")
}

pub async fn control_get(sim: &SimServer, path: &str) -> Value {
    let resp = client()
        .get(format!("{}{path}", sim.control_url()))
        .send()
        .await
        .expect("control");
    resp.json().await.expect("JSON body")
}
