//! Control API on the Shopify simulator: refunds, edits, drift, token expiry, replay mode, and
//! the billing-side NIR on SmartBill, all observed through the real wire APIs.

mod common;

use common::{client, control, gql, start};
use punte_sim::{ServiceKind, SimServer};
use serde_json::{Value, json};

const LEVEL: &str = r#"query L($q: String!) { inventoryItems(first: 1, query: $q) { nodes { id
  inventoryLevels(first: 1) { nodes { quantities(names: ["available", "committed", "on_hand"]) { name quantity } } } } } }"#;

async fn quantities(sim: &SimServer, sku: &str) -> (i64, i64, i64) {
    let (_, body) = gql(sim, LEVEL, json!({"q": format!("sku:{sku}")})).await;
    let q =
        &body["data"]["inventoryItems"]["nodes"][0]["inventoryLevels"]["nodes"][0]["quantities"];
    let get = |i: usize| q[i]["quantity"].as_i64().expect("quantity");
    (get(0), get(1), get(2))
}

#[tokio::test]
async fn refund_edit_and_drift_move_the_right_quantities() {
    let sim = start(ServiceKind::Shopify, true).await;
    let sku = "PNT-LUM-0001-100g";
    let (a0, c0, h0) = quantities(&sim, sku).await;
    // Paid by card: the refunds below give money back.
    let order = control(
        &sim,
        "/shopify/orders",
        json!({"lines": [{"sku": sku, "quantity": 3}], "payment": "card"}),
    )
    .await;
    let id = order["numericId"].as_u64().unwrap();
    let line = order["lineItems"][0]["numericId"].as_u64().unwrap();

    let edit = json!({"set_quantity": [[line, 2]]});
    control(&sim, &format!("/shopify/orders/{id}/edit"), edit).await;
    assert_eq!(
        quantities(&sim, sku).await,
        (a0 - 2, c0 + 2, h0),
        "edit released one unit"
    );

    let refund =
        json!({"lines": [{"line_item_id": line, "quantity": 1, "restock_type": "CANCEL"}]});
    control(&sim, &format!("/shopify/orders/{id}/refund"), refund).await;
    assert_eq!(
        quantities(&sim, sku).await,
        (a0 - 1, c0 + 1, h0),
        "CANCEL restock releases committed"
    );

    control(&sim, &format!("/shopify/orders/{id}/fulfil"), json!({})).await;
    let refund =
        json!({"lines": [{"line_item_id": line, "quantity": 1, "restock_type": "RETURN"}]});
    control(&sim, &format!("/shopify/orders/{id}/refund"), refund).await;
    assert_eq!(
        quantities(&sim, sku).await,
        (a0, c0, h0),
        "RETURN brings the unit back on hand"
    );

    let (_, body) = gql(&sim, "query O($id: ID!) { order(id: $id) { displayFinancialStatus currentTotalPriceSet { shopMoney { amount } } } }",
        json!({"id": order["id"]})).await;
    assert_eq!(body["data"]["order"]["displayFinancialStatus"], "REFUNDED");

    control(&sim, "/shopify/levels", json!({"sku": sku, "quantity": 99})).await;
    assert_eq!(
        quantities(&sim, sku).await.0,
        99,
        "drift sets available by hand"
    );
}

#[tokio::test]
async fn expired_tokens_and_replay_mode() {
    let sim = start(ServiceKind::Shopify, true).await;
    let c = sim.credentials();
    let grant = json!({"grant_type": "client_credentials", "client_id": c.get("client_id"), "client_secret": c.get("client_secret")});
    let url = format!("{}/admin/oauth/access_token", sim.base_url());
    let body: Value = client()
        .post(&url)
        .json(&grant)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = body["access_token"].as_str().unwrap().to_owned();
    control(&sim, "/shopify/tokens/expire", json!({})).await;
    assert_eq!(
        common::gql_with(&sim, &token, "{ shop { name } }", json!({}))
            .await
            .0,
        401
    );

    control(&sim, "/shopify/options", json!({"replay_reexecutes": true})).await;
    let (_, body) = gql(&sim, LEVEL, json!({"q": "sku:PNT-SAP-0001-U"})).await;
    let item = body["data"]["inventoryItems"]["nodes"][0]["id"].clone();
    let (_, locs) = gql(&sim, "{ locations(first: 1) { nodes { id } } }", json!({})).await;
    let loc = locs["data"]["locations"]["nodes"][0]["id"].clone();
    let (available, ..) = quantities(&sim, "PNT-SAP-0001-U").await;
    let set = r#"mutation S($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) @idempotent(key: "same") { userErrors { code } } }"#;
    let input = json!({"name": "available", "reason": "correction", "quantities": [{"inventoryItemId": item, "locationId": loc, "quantity": available + 1, "changeFromQuantity": available}]});
    let (_, first) = gql(&sim, set, json!({"input": input})).await;
    assert_eq!(
        first["data"]["inventorySetQuantities"]["userErrors"],
        json!([])
    );
    let (_, replay) = gql(&sim, set, json!({"input": input})).await;
    assert_eq!(
        replay["data"]["inventorySetQuantities"]["userErrors"][0]["code"],
        "CHANGE_FROM_QUANTITY_STALE",
        "in re-execute mode a replay meets a fresh CAS failure, as seen live"
    );
}

#[tokio::test]
async fn nir_receipt_raises_billing_stock() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let body = json!({"warehouse": "Depozit central", "lines": [{"code": "PNT-NEW-0001", "name": "Produs nou", "quantity": 12}]});
    let out = control(&sim, "/billing/receive", body).await;
    assert_eq!(out["stock"][0]["stock"], 12);
    let c = sim.credentials();
    let q = [
        ("cif", c.get("cif")),
        ("date", "2099-12-31"),
        ("productCode", "PNT-NEW-0001"),
    ];
    let resp = client()
        .get(format!("{}/stocks", sim.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .query(&q)
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["list"][0]["products"][0]["quantity"], 12);
    let q = [
        ("cif", c.get("cif")),
        ("date", "2000-01-01"),
        ("productCode", "PNT-NEW-0001"),
    ];
    let resp = client()
        .get(format!("{}/stocks", sim.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .query(&q)
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["list"][0]["products"][0]["quantity"], 0,
        "stock as of a date before the NIR"
    );
}

/// Every payment and fulfilment status the control API can put an order in, read back through
/// `displayFinancialStatus`, `displayFulfillmentStatus` and `paymentGatewayNames`.
#[tokio::test]
async fn payment_and_fulfilment_statuses() {
    let sim = start(ServiceKind::Shopify, true).await;
    let sku = "PNT-LUM-0001-100g";
    let status = |id: u64| {
        let sim = &sim;
        async move {
            let q = "query O($id: ID!) { order(id: $id) { displayFinancialStatus
                displayFulfillmentStatus paymentGatewayNames } }";
            let (_, body) = gql(sim, q, json!({"id": format!("gid://shopify/Order/{id}")})).await;
            let o = &body["data"]["order"];
            (
                o["displayFinancialStatus"]
                    .as_str()
                    .unwrap_or("?")
                    .to_owned(),
                o["displayFulfillmentStatus"]
                    .as_str()
                    .unwrap_or("?")
                    .to_owned(),
                o["paymentGatewayNames"][0]
                    .as_str()
                    .unwrap_or("?")
                    .to_owned(),
            )
        }
    };
    let place = |extra: Value| {
        let sim = &sim;
        async move {
            let mut body = json!({"lines": [{"sku": sku, "quantity": 1}]});
            body.as_object_mut()
                .expect("object")
                .extend(extra.as_object().cloned().unwrap_or_default());
            let o = control(sim, "/shopify/orders", body).await;
            (
                o["numericId"].as_u64().expect("id"),
                o["lineItems"][0]["numericId"].as_u64().expect("line"),
            )
        }
    };
    // Cash on delivery is the default: PENDING until marked paid.
    let (cod, _) = place(json!({})).await;
    assert_eq!(
        status(cod).await,
        (
            "PENDING".into(),
            "UNFULFILLED".into(),
            "Cash on Delivery (COD)".into()
        )
    );
    control(&sim, &format!("/shopify/orders/{cod}/fulfil"), json!({})).await;
    control(&sim, &format!("/shopify/orders/{cod}/pay"), json!({})).await;
    assert_eq!(status(cod).await.0, "PAID");
    assert_eq!(status(cod).await.1, "FULFILLED");
    // Card payments are captured at checkout, or authorized and captured later.
    let (card, _) = place(json!({"payment": "card"})).await;
    assert_eq!(status(card).await.0, "PAID");
    let (auth, _) = place(json!({"payment": "card_authorized"})).await;
    assert_eq!(status(auth).await.0, "AUTHORIZED");
    // Cancelling voids an unpaid payment and refunds a paid one.
    control(
        &sim,
        &format!("/shopify/orders/{auth}/cancel"),
        json!({"restock": true}),
    )
    .await;
    assert_eq!(status(auth).await.0, "VOIDED");
    control(
        &sim,
        &format!("/shopify/orders/{card}/cancel"),
        json!({"restock": true}),
    )
    .await;
    assert_eq!(status(card).await.0, "REFUNDED");
    // A refund changes the status only of money received.
    let (unpaid, line) = place(json!({})).await;
    let refund =
        json!({"lines": [{"line_item_id": line, "quantity": 1, "restock_type": "CANCEL"}]});
    control(&sim, &format!("/shopify/orders/{unpaid}/refund"), refund).await;
    assert_eq!(
        (status(unpaid).await.0, status(unpaid).await.1),
        ("PENDING".into(), "RESTOCKED".into())
    );
    // Held fulfilment, and any status a payment provider may set.
    let (held, _) = place(json!({"financial_status": "PARTIALLY_PAID"})).await;
    control(&sim, &format!("/shopify/orders/{held}/hold"), json!({})).await;
    assert_eq!(
        status(held).await,
        (
            "PARTIALLY_PAID".into(),
            "ON_HOLD".into(),
            "Cash on Delivery (COD)".into()
        )
    );
    for s in ["EXPIRED", "VOIDED", "PARTIALLY_REFUNDED"] {
        control(
            &sim,
            &format!("/shopify/orders/{held}/payment"),
            json!({"status": s}),
        )
        .await;
        assert_eq!(status(held).await.0, s);
    }
    let bad = client()
        .post(format!(
            "{}/shopify/orders/{held}/payment",
            sim.control_url()
        ))
        .json(&json!({"status": "MAYBE"}))
        .send()
        .await
        .expect("control");
    assert_eq!(bad.status(), 400);
}
