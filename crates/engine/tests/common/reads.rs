//! Reading both sides in the end-to-end tests, and placing an order: the state and the
//! reservation Punte's store has, the latest outbox item's state, Shopify `available` at the
//! synced location, SmartBill's stock in a warehouse and its invoices (from the simulator).

use punte_core::order::OrderId;
use punte_store::{OutboxState, StoreHandle};
use serde_json::{Value, json};

use super::{Running, WAREHOUSE, World, get, http, post};

/// The state Punte has for `order`.
pub async fn state_of(store: &StoreHandle, order: OrderId) -> punte_core::order::OrderState {
    store
        .call(move |s| s.order(order))
        .await
        .expect("order")
        .expect("stored")
        .order
        .state
}

/// Shopify `available` of `sku` at the synced location.
pub async fn available(w: &World, sku: &str) -> i64 {
    let levels = w.client.levels_at(w.location).await.expect("levels");
    levels
        .iter()
        .find(|l| l.sku.as_deref() == Some(sku))
        .map(|l| l.available)
        .expect("level of sku")
}

/// The state of the order's latest outbox item.
pub async fn outbox_state(r: &Running, order: OrderId) -> OutboxState {
    let items = r
        .store
        .call(move |s| s.outbox_for_order(order))
        .await
        .expect("outbox");
    items.last().expect("an outbox item").state
}

/// Billing stock of `code` in the default warehouse (from the simulator's state).
pub async fn billing_stock(w: &World, code: &str) -> i64 {
    billing_stock_in(w, WAREHOUSE, code).await
}

/// SmartBill stock of `code` in `warehouse` (from the simulator's state).
pub async fn billing_stock_in(w: &World, warehouse: &str, code: &str) -> i64 {
    let c = w.bill.credentials();
    let r = http()
        .get(format!("{}/stocks", w.bill.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .query(&[
            ("cif", c.get("cif")),
            ("date", &chrono::Utc::now().format("%Y-%m-%d").to_string()),
            ("warehouseName", warehouse),
            ("productCode", code),
        ])
        .send()
        .await
        .expect("stocks");
    let v: Value = r.json().await.expect("json");
    let q = &v["list"][0]["products"][0]["quantity"];
    q.as_f64()
        .or_else(|| q.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0.0) as i64
}

/// Places a Shopify order for (sku, quantity) lines; returns its id.
pub async fn place_order(w: &World, lines: &[(&str, i64)]) -> OrderId {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(s, q)| json!({"sku": s, "quantity": q}))
        .collect();
    let body = json!({"lines": lines, "first_name": "Ana", "last_name": "Pop",
        "email": "ana@example.ro", "city": "Cluj-Napoca"});
    let v = post(&w.shop, "/shopify/orders", body).await;
    OrderId(v["numericId"].as_u64().expect("order id"))
}

/// R(p) as the store has it.
pub async fn reserved(store: &StoreHandle, sku: &str) -> i64 {
    let code = punte_core::product::ProductCode::from(sku);
    store
        .call(move |s| s.reservation_of(&code))
        .await
        .expect("reservation")
}

/// The simulator's invoices (SmartBill state).
pub async fn invoices(w: &World) -> Vec<Value> {
    let st = get(&w.bill, "/state").await;
    st["invoices"].as_array().cloned().unwrap_or_default()
}
