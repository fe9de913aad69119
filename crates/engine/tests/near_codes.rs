//! Codes that look the same and are not (issue 20, item 7): a trailing space in Shopify, or a
//! letter written as base + combining mark (NFD) against billing's precomposed one (NFC). Each
//! side alone is a finding whose code reads like the other's; Punte adds one finding that names
//! the difference.

mod common;

use common::*;
use punte_engine::SyncScope;
use serde_json::{Value, json};

async fn near(r: &Running) -> Vec<(String, Value)> {
    r.store
        .call(|s| s.open_findings(1000))
        .await
        .expect("findings")
        .into_iter()
        .filter(|f| f.finding.kind == "code_near_match")
        .map(|f| {
            let detail = serde_json::from_str(f.finding.detail.as_deref().unwrap_or("{}"));
            (f.finding.key, detail.expect("JSON detail"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_alike_codes_are_one_finding_naming_the_difference() {
    let w = world(1, 0, 10, 1.0).await;
    let nfd = "A\u{306}LA-1"; // "ĂLA-1" typed as A + combining breve
    post(
        &w.shop,
        "/shopify/seed",
        json!({"products": [
            {"title": "Spațiu", "variants": [{"title": "Default Title", "sku": "PT-1 ", "price": "1.00", "stock": 0}]},
            {"title": "Breve", "variants": [{"title": "Default Title", "sku": nfd, "price": "1.00", "stock": 0}]}
        ]}),
    )
    .await;
    post(
        &w.bill,
        "/billing/seed",
        json!({"warehouse": WAREHOUSE, "articles": [
            {"code": "PT-1", "name": "Spațiu", "unit": "buc", "price": "1.00", "vat_percent": 21, "stock": "2"},
            {"code": "ĂLA-1", "name": "Breve", "unit": "buc", "price": "1.00", "vat_percent": 21, "stock": "2"}
        ]}),
    )
    .await;
    let r = start(&w);
    r.engine.sync_now(SyncScope::All).await.expect("sync");
    let found = near(&r).await;
    assert_eq!(found.len(), 2, "{found:?}");
    let space = found
        .iter()
        .find(|(k, _)| k == "code_near_match:PT-1")
        .expect("space");
    assert_eq!(space.1["shopify"]["trailing_spaces"], 1, "{space:?}");
    let form = found
        .iter()
        .find(|(k, _)| k == "code_near_match:ĂLA-1")
        .expect("form");
    assert_eq!(
        (
            form.1["shopify"]["form"].as_str(),
            form.1["billing"]["form"].as_str()
        ),
        (Some("NFD"), Some("NFC")),
        "{form:?}"
    );

    r.engine.stop().await;
}
