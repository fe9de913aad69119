//! Conformance: inventorySetQuantities (idempotency, changeFromQuantity CAS) and the order
//! inventory model (committed on order, on_hand down on fulfilment, restock on cancel).

mod common;

use common::{control, gql, start};
use punte_sim::ServiceKind;
use serde_json::{Value, json};

const SET: &str = r#"mutation S($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason changes(quantityNames: ["available", "on_hand"]) { name delta quantityAfterChange } }
    userErrors { code field message } } }"#;

const LEVEL: &str = r#"query L($sku: String!) { productVariants(first: 1, query: $sku) { nodes {
  inventoryItem { id inventoryLevels(first: 5) { nodes { location { id name } quantities(names: ["available", "committed", "on_hand"]) { name quantity } } } } } } }"#;

/// (item id, location id, available, committed, on_hand) at the primary location.
async fn level(sim: &punte_sim::SimServer, sku: &str) -> (String, String, i64, i64, i64) {
    let (_, body) = gql(sim, LEVEL, json!({"sku": format!("sku:{sku}")})).await;
    let item = &body["data"]["productVariants"]["nodes"][0]["inventoryItem"];
    let lvl = &item["inventoryLevels"]["nodes"][0];
    let q = |n: &str| {
        lvl["quantities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == n)
            .unwrap()["quantity"]
            .as_i64()
            .unwrap()
    };
    (
        item["id"].as_str().unwrap().into(),
        lvl["location"]["id"].as_str().unwrap().into(),
        q("available"),
        q("committed"),
        q("on_hand"),
    )
}

fn input(item: &str, loc: &str, quantity: i64, from: Value) -> Value {
    json!({"name": "available", "reason": "correction", "referenceDocumentUri": "gid://punte/SyncRun/1",
        "quantities": [{"inventoryItemId": item, "locationId": loc, "quantity": quantity, "changeFromQuantity": from}]})
}

#[tokio::test]
async fn set_quantities_with_cas_and_idempotency() {
    let sim = start(ServiceKind::Shopify, true).await;
    let sku = "PNT-MIE-0002-500g";
    let (item, loc, avail, _, on_hand) = level(&sim, sku).await;

    let stale = input(&item, &loc, 7, json!(avail + 1));
    let (_, body) = gql(&sim, SET, json!({"input": stale, "key": "k-stale"})).await;
    let e = &body["data"]["inventorySetQuantities"]["userErrors"][0];
    assert_eq!(e["code"], "CHANGE_FROM_QUANTITY_STALE", "{body}");
    assert_eq!(
        e["field"],
        json!(["input", "quantities", "0", "changeFromQuantity"])
    );
    assert_eq!(
        level(&sim, sku).await.2,
        avail,
        "a stale CAS changes nothing"
    );

    let good = input(&item, &loc, avail + 5, json!(avail));
    let (_, body) = gql(&sim, SET, json!({"input": good, "key": "k-good"})).await;
    let group = &body["data"]["inventorySetQuantities"]["inventoryAdjustmentGroup"];
    assert_eq!(
        group["changes"][0],
        json!({"name": "available", "delta": 5, "quantityAfterChange": avail + 5})
    );
    assert_eq!(group["changes"][1]["quantityAfterChange"], on_hand + 5);

    // By default a replay re-executes, as seen live: it meets a fresh CAS failure.
    let (_, replay) = gql(&sim, SET, json!({"input": good, "key": "k-good"})).await;
    assert_eq!(
        replay["data"]["inventorySetQuantities"]["userErrors"][0]["code"],
        "CHANGE_FROM_QUANTITY_STALE",
        "{replay}"
    );
    assert_eq!(
        level(&sim, sku).await.2,
        avail + 5,
        "the replay did not apply twice"
    );
    // The documented behaviour (answer from the cache) stays available as an option.
    control(
        &sim,
        "/shopify/options",
        json!({"replay_reexecutes": false}),
    )
    .await;
    let good = input(&item, &loc, avail + 6, json!(avail + 5));
    let (_, body) = gql(&sim, SET, json!({"input": good, "key": "k-cached"})).await;
    let (_, replay) = gql(&sim, SET, json!({"input": good, "key": "k-cached"})).await;
    assert_eq!(
        replay["data"], body["data"],
        "same key and parameters replay the first answer"
    );
    assert_eq!(level(&sim, sku).await.2, avail + 6, "applied once");

    let other = input(&item, &loc, 1, json!(null));
    let (_, body) = gql(&sim, SET, json!({"input": other, "key": "k-good"})).await;
    assert_eq!(
        body["data"]["inventorySetQuantities"]["userErrors"][0]["code"],
        "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
    );
}

#[tokio::test]
async fn directive_and_change_from_quantity_are_mandatory() {
    let sim = start(ServiceKind::Shopify, true).await;
    let (item, loc, ..) = level(&sim, "PNT-MIE-0002-500g").await;
    let no_directive = SET
        .replace("@idempotent(key: $key)", "")
        .replace(", $key: String!", "");
    let (_, body) = gql(
        &sim,
        &no_directive,
        json!({"input": input(&item, &loc, 1, json!(null))}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["message"],
        "The @idempotent directive is required for this mutation but was not provided."
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");

    let on_operation = SET
        .replace("@idempotent(key: $key)", "")
        .replace("mutation S(", "mutation S @idempotent(key: \"k\") (");
    let on_operation = on_operation.replace("S @idempotent(key: \"k\") (", "S(");
    let on_operation = on_operation.replacen(") {", ") @idempotent(key: \"k\") {", 1);
    let (_, body) = gql(
        &sim,
        &on_operation,
        json!({"input": input(&item, &loc, 1, json!(null)), "key": "k"}),
    )
    .await;
    assert!(
        body.get("data").is_none(),
        "@idempotent belongs on the field, not the operation: {body}"
    );
    let messages: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"'@idempotent' can't be applied to mutations (allowed: fields)"),
        "{messages:?}"
    );

    let mut missing = input(&item, &loc, 1, json!(null));
    missing["quantities"][0]
        .as_object_mut()
        .unwrap()
        .remove("changeFromQuantity");
    let (_, body) = gql(&sim, SET, json!({"input": missing, "key": "k3"})).await;
    assert_eq!(
        body["errors"][0]["message"],
        "InventoryQuantityInput must include the following argument: changeFromQuantity.",
        "{body}"
    );

    let (_, body) = gql(
        &sim,
        SET,
        json!({"input": input(&item, &loc, 1, json!(null)), "key": ""}),
    )
    .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("empty"),
        "{body}"
    );
}

#[tokio::test]
async fn orders_commit_fulfil_and_restock_like_shopify() {
    let sim = start(ServiceKind::Shopify, true).await;
    let sku = "PNT-CEA-0004-100g";
    let (_, _, a0, c0, h0) = level(&sim, sku).await;
    let order = control(
        &sim,
        "/shopify/orders",
        json!({"lines": [{"sku": sku, "quantity": 2}]}),
    )
    .await;
    let id = order["numericId"].as_u64().unwrap();
    assert_eq!(
        level(&sim, sku).await,
        (
            level(&sim, sku).await.0,
            level(&sim, sku).await.1,
            a0 - 2,
            c0 + 2,
            h0
        )
    );
    control(&sim, &format!("/shopify/orders/{id}/fulfil"), json!({})).await;
    let (_, _, a1, c1, h1) = level(&sim, sku).await;
    assert_eq!(
        (a1, c1, h1),
        (a0 - 2, c0, h0 - 2),
        "fulfilment lowers committed and on_hand"
    );

    let order = control(
        &sim,
        "/shopify/orders",
        json!({"lines": [{"sku": sku, "quantity": 1}]}),
    )
    .await;
    let id = order["numericId"].as_u64().unwrap();
    control(
        &sim,
        &format!("/shopify/orders/{id}/cancel"),
        json!({"restock": true}),
    )
    .await;
    let (_, _, a2, c2, h2) = level(&sim, sku).await;
    assert_eq!(
        (a2, c2, h2),
        (a1, c1, h1),
        "cancel with restock returns the units"
    );
}

#[tokio::test]
async fn orders_filter_by_updated_at_and_paginate() {
    let sim = start(ServiceKind::Shopify, true).await;
    let q = r#"query O($q: String, $after: String) { orders(first: 10, after: $after, query: $q, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { id name updatedAt displayFinancialStatus displayFulfillmentStatus currentTotalPriceSet { shopMoney { amount currencyCode } }
        currentTotalTaxSet { shopMoney { amount } } taxesIncluded
        lineItems(first: 5) { nodes { sku currentQuantity unfulfilledQuantity originalUnitPriceSet { shopMoney { amount } } } }
        fulfillmentOrders(first: 1) { nodes { assignedLocation { location { name } } } } } } }"#;
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let (_, body) = gql(&sim, q, json!({"after": after})).await;
        let page = &body["data"]["orders"];
        assert!(page["nodes"].is_array(), "{body}");
        seen.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len(), 60, "the demo has 60 orders");
    let stamps: Vec<&str> = seen
        .iter()
        .map(|o| o["updatedAt"].as_str().unwrap())
        .collect();
    assert!(
        stamps.windows(2).all(|w| w[0] <= w[1]),
        "sorted by UPDATED_AT"
    );
    let pivot = stamps[40];
    let (_, body) = gql(&sim, q, json!({"q": format!("updated_at:>'{pivot}'")})).await;
    let newer = body["data"]["orders"]["nodes"].as_array().unwrap();
    assert!(
        !newer.is_empty() && newer.len() <= 10,
        "only orders updated after the pivot: {}",
        newer.len()
    );
    // On 2026-07 `>` on a whole-second time still answers the rest of that second (see the
    // README, "Levels changed since a time"): never an order from before the pivot's second.
    assert!(
        newer
            .iter()
            .all(|o| o["updatedAt"].as_str().unwrap() >= pivot)
    );
    assert!(
        seen.iter()
            .any(|o| o["displayFinancialStatus"] == "PARTIALLY_REFUNDED")
    );
    assert!(
        seen.iter()
            .any(|o| o["displayFulfillmentStatus"] == "FULFILLED")
    );
    assert_eq!(
        seen[0]["currentTotalPriceSet"]["shopMoney"]["currencyCode"],
        "RON"
    );
    assert_eq!(
        seen[0]["fulfillmentOrders"]["nodes"][0]["assignedLocation"]["location"]["name"],
        "Depozit central"
    );
}
