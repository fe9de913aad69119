//! Conformance: Shopify client-credentials tokens, static tokens, 401 shape and token expiry.

mod common;

use common::{client, gql_with, start, start_with};
use punte_sim::{ServiceKind, SimOptions};
use serde_json::{Value, json};

const SHOP: &str = "{ shop { name currencyCode } }";
const INVALID: &str =
    "[API] Invalid API key or access token (unrecognized login or wrong password)";

#[tokio::test]
async fn client_credentials_grant_accepts_form_and_json_and_rejects_bad_secret() {
    let sim = start(ServiceKind::Shopify, false).await;
    let c = sim.credentials();
    let url = format!("{}/admin/oauth/access_token", sim.base_url());
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", c.get("client_id")),
        ("client_secret", c.get("client_secret")),
    ];
    let resp = client().post(&url).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert!(
        token.starts_with("shpat_"),
        "client-credentials tokens look like shpat_: {token}"
    );
    assert_eq!(body["expires_in"], 86399);
    assert!(body["scope"].as_str().unwrap().contains("write_inventory"));

    let json_body = json!({"grant_type": "client_credentials", "client_id": c.get("client_id"), "client_secret": c.get("client_secret")});
    let resp = client().post(&url).json(&json_body).send().await.unwrap();
    assert_eq!(
        resp.status(),
        200,
        "JSON body is accepted too, as Shopify's own library sends it"
    );

    let bad = json!({"grant_type": "client_credentials", "client_id": c.get("client_id"), "client_secret": "nope"});
    let resp = client().post(&url).json(&bad).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": "invalid_client", "error_description": "Client authentication failed"})
    );

    let (status, body) = gql_with(&sim, &token, SHOP, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["shop"]["currencyCode"], "RON");
}

#[tokio::test]
async fn missing_or_unknown_token_gets_401_with_shopify_body() {
    let sim = start(ServiceKind::Shopify, false).await;
    let (status, body) = gql_with(&sim, "shpat_unknown", SHOP, json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(body, json!({"errors": INVALID}));
    let url = format!("{}/admin/api/2026-07/graphql.json", sim.base_url());
    let resp = client()
        .post(url)
        .json(&json!({"query": SHOP}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401, "no header at all is also 401");
}

#[tokio::test]
async fn tokens_expire_on_the_scaled_clock() {
    let options = SimOptions {
        shopify_token_ttl: 3600,
        ..SimOptions::default()
    };
    let sim = start_with(ServiceKind::Shopify, options).await;
    let c = sim.credentials();
    let url = format!("{}/admin/oauth/access_token", sim.base_url());
    let grant = json!({"grant_type": "client_credentials", "client_id": c.get("client_id"), "client_secret": c.get("client_secret")});
    let body: Value = client()
        .post(&url)
        .json(&grant)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["expires_in"], 3600,
        "expires_in follows the configured lifetime"
    );
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(gql_with(&sim, &token, SHOP, json!({})).await.0, 200);
    sim.clock().advance(std::time::Duration::from_secs(3601));
    let (status, body) = gql_with(&sim, &token, SHOP, json!({})).await;
    assert_eq!(status, 401, "an expired token is refused: {body}");
    let static_token = c.get("static_token").to_owned();
    assert_eq!(
        gql_with(&sim, &static_token, SHOP, json!({})).await.0,
        200,
        "static shpat_ tokens never expire"
    );
}
