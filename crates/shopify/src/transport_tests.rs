//! A write without an idempotency key is never repeated after an ambiguous failure.

use punte_sim::{FaultRule, ServiceKind, SimOptions, SimServer};

use crate::ShopifyClient;
use crate::config::{Credentials, ShopifyConfig};
use crate::documents::SHOP;
use crate::retry::Replay;
use crate::secret::Secret;
use crate::transport::Operation;

#[tokio::test]
async fn an_unsafe_request_dropped_after_commit_is_not_retried() {
    let sim = SimServer::start(ServiceKind::Shopify, SimOptions::default())
        .await
        .expect("simulator");
    let token = Credentials::StaticToken(Secret::new(sim.credentials().get("static_token")));
    let client = ShopifyClient::new(ShopifyConfig::new(sim.base_url(), token)).expect("config");
    let path = "/admin/api/2026-07/graphql.json".to_owned();
    let rule = |fault| FaultRule {
        path: path.clone(),
        fault,
        times: Some(1),
    };
    let unsafe_op = Operation {
        replay: Replay::Unsafe,
        ..SHOP
    };
    sim.observer()
        .add_fault(rule(punte_sim::Fault::DropAfterCommit));
    let err = client
        .transport
        .execute::<serde_json::Value>(&unsafe_op, serde_json::json!({}))
        .await
        .expect_err("outcome unknown");
    assert_eq!(err.code(), "shopify.outcome_unknown");
    assert_eq!(sim.observer().log().len(), 1, "sent exactly once");
    // The same fault on a safe read is retried.
    sim.observer()
        .add_fault(rule(punte_sim::Fault::DropAfterCommit));
    client
        .transport
        .execute::<serde_json::Value>(&SHOP, serde_json::json!({}))
        .await
        .expect("retried");
    assert_eq!(sim.observer().log().len(), 3);
}
