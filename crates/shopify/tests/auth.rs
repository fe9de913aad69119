//! Authentication against the simulator: the client-credentials token is cached, renewed before
//! `expires_in` runs out, renewed once after a 401; a wrong secret or token is reported as
//! `shopify.auth_failed` without hammering the service.

mod common;

use std::time::Duration;

use common::{client, config, control, requests, sim, sim_with, static_token};
use punte_shopify::{Credentials, Secret, ShopifyClient};
use punte_sim::SimOptions;

#[tokio::test]
async fn token_is_granted_once_and_reused() {
    let sim = sim(false).await;
    let c = client(&sim);
    c.shop().await.expect("first call");
    c.locations().await.expect("second call");
    assert_eq!(
        requests(&sim, "/oauth/access_token").await.len(),
        1,
        "token cached"
    );
    assert_eq!(requests(&sim, "/graphql.json").await.len(), 2);
}

#[tokio::test]
async fn token_is_renewed_before_it_expires() {
    let sim = sim_with(SimOptions {
        shopify_token_ttl: 2,
        ..SimOptions::default()
    })
    .await;
    let c = client(&sim);
    c.shop().await.expect("first call");
    // Renewal is due at 90% of the 2 s lifetime; the token itself is still valid at 1.9 s.
    tokio::time::sleep(Duration::from_millis(1900)).await;
    c.shop().await.expect("second call");
    let graphql = requests(&sim, "/graphql.json").await;
    assert!(
        graphql.iter().all(|(s, _)| *s == 200),
        "no 401 was needed: {graphql:?}"
    );
    assert_eq!(requests(&sim, "/oauth/access_token").await.len(), 2);
}

#[tokio::test]
async fn expired_token_is_renewed_once_on_401() {
    let sim = sim(false).await;
    let c = client(&sim);
    c.shop().await.expect("first call");
    control(&sim, "/shopify/tokens/expire", serde_json::json!({})).await;
    c.shop().await.expect("renewed after the 401");
    let statuses: Vec<u64> = requests(&sim, "/graphql.json")
        .await
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(statuses, vec![200, 401, 200]);
    assert_eq!(requests(&sim, "/oauth/access_token").await.len(), 2);
}

#[tokio::test]
async fn token_expired_by_simulated_time_is_renewed() {
    // 86399 simulated seconds pass in about 1.7 real seconds; the client believes a day.
    let sim = sim_with(SimOptions {
        time_scale: 50_000.0,
        ..SimOptions::default()
    })
    .await;
    let c = client(&sim);
    c.shop().await.expect("first call");
    tokio::time::sleep(Duration::from_millis(2000)).await;
    c.shop().await.expect("renewed after the 401");
    let statuses: Vec<u64> = requests(&sim, "/graphql.json")
        .await
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(statuses, vec![200, 401, 200]);
}

#[tokio::test]
async fn wrong_secret_is_reported_without_retrying() {
    let sim = sim(false).await;
    let creds = Credentials::ClientCredentials {
        client_id: sim.credentials().get("client_id").to_owned(),
        client_secret: Secret::new("wrong"),
    };
    let c = ShopifyClient::new(config(&sim, creds)).expect("valid config");
    let err = c.shop().await.expect_err("bad secret");
    assert_eq!(err.code(), "shopify.auth_failed");
    assert!(err.message_en().contains("invalid_client"), "{err}");
    assert!(
        err.message_ro().contains("Verificați"),
        "{}",
        err.message_ro()
    );
    assert_eq!(requests(&sim, "/oauth/access_token").await.len(), 1);
    assert!(requests(&sim, "/graphql.json").await.is_empty());
}

#[tokio::test]
async fn static_token_works_and_a_wrong_one_is_reported() {
    let sim = sim(false).await;
    let good = ShopifyClient::new(config(&sim, static_token(&sim))).expect("config");
    assert_eq!(
        good.shop().await.expect("shop").domain,
        "punte-demo.myshopify.com"
    );
    let bad = Credentials::StaticToken(Secret::new("shpat_revoked"));
    let bad = ShopifyClient::new(config(&sim, bad)).expect("config");
    let err = bad.shop().await.expect_err("revoked token");
    assert_eq!(err.code(), "shopify.auth_failed");
    assert!(err.message_en().contains("Invalid API key"), "{err}");
    assert!(requests(&sim, "/oauth/access_token").await.is_empty());
    // One request with the good token, one with the bad one: a static token is not retried.
    assert_eq!(requests(&sim, "/graphql.json").await.len(), 2);
}

#[tokio::test]
async fn debug_output_of_a_client_holds_no_secret() {
    let sim = sim(false).await;
    let cfg = config(&sim, common::grant(&sim));
    let shown = format!("{cfg:?} {:?}", client(&sim));
    assert!(
        !shown.contains(sim.credentials().get("client_secret")),
        "{shown}"
    );
}
