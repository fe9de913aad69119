//! Conformance: schema validation, search by sku/barcode, cursor pagination, cost and throttle.

mod common;

use common::{control, gql, start};
use punte_sim::ServiceKind;
use serde_json::{Value, json};

#[tokio::test]
async fn invalid_documents_are_rejected_with_shopify_error_shape() {
    let sim = start(ServiceKind::Shopify, false).await;
    let (status, body) = gql(&sim, "{ shop { name nonsenseField } }", json!({})).await;
    assert_eq!(status, 200);
    assert!(
        body.get("data").is_none(),
        "an invalid document runs nothing: {body}"
    );
    let err = &body["errors"][0];
    assert_eq!(
        err["message"],
        "Field 'nonsenseField' doesn't exist on type 'Shop'"
    );
    assert_eq!(err["extensions"]["code"], "undefinedField");
    assert_eq!(err["locations"][0]["line"], 1);

    let (_, body) = gql(
        &sim,
        "{ products(first: \"ten\") { nodes { id } } }",
        json!({}),
    )
    .await;
    assert!(
        body.get("data").is_none(),
        "a String where Int is expected is refused: {body}"
    );
    assert_eq!(
        body["errors"][0]["message"],
        "Argument 'first' on Field 'products' has an invalid value (\"ten\"). Expected type 'Int'."
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "argumentLiteralsIncompatible"
    );

    let removed = r#"mutation { inventorySetQuantities(input: {name: "available", reason: "correction",
        ignoreCompareQuantity: true, quantities: []}) @idempotent(key: "k1") { userErrors { code } } }"#;
    let (_, body) = gql(&sim, removed, json!({})).await;
    let msg = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("ignoreCompareQuantity"),
        "removed 2026-04 field is refused: {body}"
    );
}

#[tokio::test]
async fn removed_field_in_variables_is_refused_too() {
    let sim = start(ServiceKind::Shopify, false).await;
    let doc = r#"mutation S($input: InventorySetQuantitiesInput!) {
        inventorySetQuantities(input: $input) @idempotent(key: "k2") { userErrors { code } } }"#;
    let input = json!({"name": "available", "reason": "correction", "ignoreCompareQuantity": true,
        "quantities": []});
    let (_, body) = gql(&sim, doc, json!({"input": input})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "INVALID_VARIABLE",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("ignoreCompareQuantity")
    );
    assert!(body.get("data").is_none_or(Value::is_null));
}

#[tokio::test]
async fn search_by_sku_and_barcode_and_cursor_pagination() {
    let sim = start(ServiceKind::Shopify, true).await;
    let q = "query V($q: String!) { productVariants(first: 5, query: $q) { nodes { sku barcode inventoryItem { id tracked duplicateSkuCount } } } }";
    let (_, body) = gql(&sim, q, json!({"q": "sku:'PNT-TRI-0001-M'"})).await;
    let nodes = body["data"]["productVariants"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(nodes.len(), 1, "{body}");
    let barcode = nodes[0]["barcode"].as_str().unwrap().to_owned();
    assert!(barcode.starts_with("594") && barcode.len() == 13);
    let (_, body) = gql(&sim, q, json!({"q": format!("barcode:{barcode}")})).await;
    assert_eq!(
        body["data"]["productVariants"]["nodes"][0]["sku"],
        "PNT-TRI-0001-M"
    );

    let (_, body) = gql(
        &sim,
        q,
        json!({"q": format!("sku:{}", punte_sim::demo::DUPLICATE_SKU)}),
    )
    .await;
    let dup = body["data"]["productVariants"]["nodes"].as_array().unwrap();
    assert_eq!(dup.len(), 2, "the demo's duplicate SKU is found twice");
    assert_eq!(dup[0]["inventoryItem"]["duplicateSkuCount"], 1);

    let page = "query P($after: String) { products(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }";
    let (_, first) = gql(&sim, page, json!({})).await;
    let p1 = &first["data"]["products"];
    assert_eq!(p1["nodes"].as_array().unwrap().len(), 250);
    assert_eq!(p1["pageInfo"]["hasNextPage"], true);
    let (_, second) = gql(&sim, page, json!({"after": p1["pageInfo"]["endCursor"]})).await;
    let p2 = &second["data"]["products"];
    assert_eq!(
        p2["nodes"].as_array().unwrap().len(),
        50,
        "300 demo products in two pages"
    );
    assert_eq!(p2["pageInfo"]["hasNextPage"], false);
    assert_ne!(p1["nodes"][249]["id"], p2["nodes"][0]["id"]);

    let (_, too_big) = gql(&sim, "{ products(first: 251) { nodes { id } } }", json!({})).await;
    assert!(
        too_big["errors"][0]["message"].as_str().is_some(),
        "first > 250 is refused: {too_big}"
    );
}

#[tokio::test]
async fn cost_is_reported_and_throttle_answers_throttled() {
    let sim = start(ServiceKind::Shopify, true).await;
    let q = "{ products(first: 10) { nodes { id title } } }";
    let (_, body) = gql(&sim, q, json!({})).await;
    let cost = &body["extensions"]["cost"];
    // 2 + ⌊2·ln 10⌋ × 1 (see cost_calc.rs for the sources).
    assert_eq!(cost["requestedQueryCost"], 6);
    assert_eq!(cost["throttleStatus"]["maximumAvailable"], 2000.0);
    assert_eq!(cost["throttleStatus"]["restoreRate"], 100.0);

    control(
        &sim,
        "/shopify/options",
        json!({"currently_available": 5.0, "restore_rate": 0.0}),
    )
    .await;
    let (status, body) = gql(&sim, q, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "THROTTLED",
        "{body}"
    );
    assert!(body["extensions"]["cost"]["actualQueryCost"].is_null());
    control(&sim, "/shopify/options", json!({"throttle_status": 429})).await;
    assert_eq!(
        gql(&sim, q, json!({})).await.0,
        429,
        "THROTTLED can also come as HTTP 429"
    );

    // 2 + 11 × (1 + 2 + 11 × (1 + 1 + 1 + 2 + 11 × 2)) = 3,302 > 1,000.
    let (_, body) = gql(
        &sim,
        "{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { variant { product {
            variants(first: 250) { nodes { inventoryItem { id } } } } } } } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "MAX_COST_EXCEEDED",
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["cost"], 3302, "{body}");
}

/// The bucket is charged the requested cost and refunded down to the actual one: a page of 250
/// asked for and 1 returned leaves the bucket 3 points lower, not 13.
#[tokio::test]
async fn the_difference_between_requested_and_actual_is_refunded() {
    let sim = start(ServiceKind::Shopify, true).await;
    control(&sim, "/shopify/options", json!({"restore_rate": 0.0})).await;
    let (_, first) = gql(
        &sim,
        "{ productVariants(first: 1) { nodes { sku } } }",
        json!({}),
    )
    .await;
    let sku = first["data"]["productVariants"]["nodes"][0]["sku"].clone();
    let before = first["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
        .as_u64()
        .expect("bucket");
    let q = "query V($q: String) { productVariants(first: 250, query: $q) { nodes { id }
        pageInfo { hasNextPage endCursor } } }";
    let search = format!("sku:'{}'", sku.as_str().expect("a demo sku"));
    let (_, body) = gql(&sim, q, json!({"q": search})).await;
    let cost = &body["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 13, "{body}");
    let returned = body["data"]["productVariants"]["nodes"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(returned, 1, "{body}");
    assert_eq!(cost["actualQueryCost"], 3, "2 + ⌊2·ln 2⌋ × 1");
    assert_eq!(cost["throttleStatus"]["currentlyAvailable"], before - 3);
}

/// Cursors are keyset (last id and sort value), as Shopify's are: an order updated while a
/// client pages through `sortKey: UPDATED_AT` moves to the end of the list, and the next page
/// still starts right after where the cursor was, not after the order's new place.
#[tokio::test]
async fn keyset_cursors_survive_orders_changing_while_paging() {
    let sim = start(ServiceKind::Shopify, false).await;
    control(
        &sim,
        "/shopify/seed",
        json!({"products": [{"title": "Cana", "variants": [{"title": "Default Title",
            "sku": "K-1", "price": "10.00", "stock": 100}]}]}),
    )
    .await;
    let mut ids = Vec::new();
    for _ in 0..9 {
        control(&sim, "/clock", json!({"advance_seconds": 60})).await;
        let o = control(
            &sim,
            "/shopify/orders",
            json!({"lines": [{"sku": "K-1", "quantity": 1}]}),
        )
        .await;
        ids.push(o["id"].as_str().expect("gid").to_owned());
    }
    let q = "query O($after: String) { orders(first: 3, after: $after, sortKey: UPDATED_AT) {
        nodes { id } pageInfo { hasNextPage endCursor } } }";
    let page = |body: &Value| -> (Vec<String>, Value, bool) {
        let o = &body["data"]["orders"];
        let nodes = o["nodes"].as_array().expect("nodes").iter();
        let ids = nodes.map(|n| n["id"].as_str().unwrap_or_default().to_owned());
        (
            ids.collect(),
            o["pageInfo"]["endCursor"].clone(),
            o["pageInfo"]["hasNextPage"] == true,
        )
    };
    let (_, body) = gql(&sim, q, json!({})).await;
    let (first, cursor, more) = page(&body);
    assert_eq!(first, ids[0..3], "{body}");
    assert!(more);
    // The order the cursor points at, and one further on, change meanwhile.
    control(&sim, "/clock", json!({"advance_seconds": 60})).await;
    for gid in [&ids[2], &ids[4]] {
        let n = gid.rsplit('/').next().expect("numeric id");
        control(&sim, &format!("/shopify/orders/{n}/fulfil"), json!({})).await;
    }
    let mut seen = first.clone();
    let mut after = cursor;
    loop {
        let (_, body) = gql(&sim, q, json!({"after": after})).await;
        assert!(body.get("errors").is_none(), "{body}");
        let (ids_here, cursor, more) = page(&body);
        assert!(!ids_here.is_empty(), "a page came back empty: {body}");
        seen.extend(ids_here);
        if !more {
            break;
        }
        after = cursor;
    }
    // Every order after the cursor came, the changed ones at their new place (the changed
    // order at the cursor, already delivered, comes again: a client de-duplicates by id).
    let expected: Vec<String> = [0, 1, 2, 3, 5, 6, 7, 8, 2, 4]
        .iter()
        .map(|&i| ids[i].clone())
        .collect();
    assert_eq!(seen, expected);
}
