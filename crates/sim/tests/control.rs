//! Conformance of the control API: fault modes, request log and counts, state dump, clock.

mod common;

use common::{client, control, control_get, gql, start};
use punte_sim::ServiceKind;
use serde_json::{Value, json};

const GQL_PATH: &str = "/admin/api/2026-07/graphql.json";

#[tokio::test]
async fn log_counts_and_state_dump() {
    let sim = start(ServiceKind::Shopify, true).await;
    let q = "{ shop { name } }";
    gql(&sim, q, json!({})).await;
    gql(&sim, q, json!({})).await;
    let counts = control_get(&sim, "/counts").await;
    assert_eq!(counts[format!("POST {GQL_PATH}")], 2);
    let log = control_get(&sim, "/log").await;
    assert_eq!(log[0]["graphql"], q, "the log keeps the GraphQL document");
    assert_eq!(log[0]["status"], 200);
    let state = control_get(&sim, "/state").await;
    assert_eq!(state["orders"].as_object().unwrap().len(), 60);
    assert!(state["levels"].as_array().unwrap().len() > 500);
}

#[tokio::test]
async fn faults_throttle_fail_delay_and_drop() {
    let sim = start(ServiceKind::Shopify, true).await;
    let q = "{ shop { name } }";
    control(
        &sim,
        "/faults",
        json!({"path": GQL_PATH, "mode": "rate_limited", "times": 1}),
    )
    .await;
    let (status, body) = gql(&sim, q, json!({})).await;
    assert_eq!(status, 429);
    assert_eq!(body["errors"][0]["extensions"]["code"], "THROTTLED");
    assert_eq!(
        gql(&sim, q, json!({})).await.0,
        200,
        "the fault was for one request only"
    );

    control(
        &sim,
        "/faults",
        json!({"path": "*", "mode": "server_error", "status": 503, "times": 1}),
    )
    .await;
    let url = format!("{}{GQL_PATH}", sim.base_url());
    let token = sim.credentials().get("static_token").to_owned();
    let resp = client()
        .post(&url)
        .header("X-Shopify-Access-Token", &token)
        .json(&json!({"query": q}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 503);

    control(
        &sim,
        "/faults",
        json!({"path": GQL_PATH, "mode": "latency", "ms": 300, "times": 1}),
    )
    .await;
    let t = std::time::Instant::now();
    assert_eq!(gql(&sim, q, json!({})).await.0, 200);
    assert!(
        t.elapsed() >= std::time::Duration::from_millis(300),
        "latency was injected"
    );

    control(&sim, "/faults", json!({"path": GQL_PATH, "mode": "down"})).await;
    let send = client()
        .post(&url)
        .header("X-Shopify-Access-Token", &token)
        .json(&json!({"query": q}))
        .send()
        .await;
    let failed = match send {
        Err(_) => true,
        Ok(r) => r.bytes().await.is_err(),
    };
    assert!(failed, "a service that is down gives no answer");
    let faults = control_get(&sim, "/faults").await;
    assert_eq!(
        faults.as_array().unwrap().len(),
        1,
        "'down' stays until cleared"
    );
    client()
        .delete(format!("{}/faults", sim.control_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(gql(&sim, q, json!({})).await.0, 200);
}

#[tokio::test]
async fn dropped_connection_after_commit_still_applies_the_write() {
    let sim = start(ServiceKind::SmartBill, true).await;
    control(
        &sim,
        "/faults",
        json!({"path": "/SBORO/api/invoice", "mode": "drop_after_commit", "times": 1}),
    )
    .await;
    let c = sim.credentials();
    let body = json!({"companyVatCode": c.get("cif"), "seriesName": "FCT", "client": {"name": "A", "country": "Romania"},
        "products": [{"name": "Transport", "isService": true, "measuringUnitName": "buc", "quantity": 1, "price": 20, "taxPercentage": 21}]});
    let send = client()
        .post(format!("{}/invoice", sim.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .json(&body)
        .send()
        .await;
    let answered = match send {
        Ok(r) => r.json::<Value>().await.is_ok(),
        Err(_) => false,
    };
    assert!(!answered, "the client sees the connection drop");
    let state = control_get(&sim, "/state").await;
    assert_eq!(
        state["invoices"].as_array().unwrap().len(),
        1,
        "yet the invoice was issued"
    );
    let log = control_get(&sim, "/log").await;
    assert_eq!(log[0]["path"], "/SBORO/api/invoice");
}
