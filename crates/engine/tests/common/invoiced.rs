//! An order taken as far as the returns and cancellation tests start from: placed in Shopify
//! (Ana Pop, Cluj-Napoca), imported, invoiced (the billing service's first number) and fulfilled.

use punte_core::order::OrderId;
use punte_engine::{InvoiceOutcome, SyncScope};
use serde_json::{Value, json};

use super::{Running, World, post};

/// Places, imports, invoices and fulfils an order of `lines` (SKU, quantity) after a first full
/// cycle; returns it and its Shopify line ids, in the order given.
pub async fn invoiced(w: &World, r: &Running, lines: &[(&str, i64)]) -> (OrderId, Vec<u64>) {
    r.engine.sync_now(SyncScope::Full).await.expect("T0");
    let lines: Vec<Value> = lines
        .iter()
        .map(|(s, q)| json!({"sku": s, "quantity": q}))
        .collect();
    let body = json!({"lines": lines, "first_name": "Ana", "last_name": "Pop",
        "email": "ana@example.ro", "city": "Cluj-Napoca"});
    let v = post(&w.shop, "/shopify/orders", body).await;
    let order = OrderId(v["numericId"].as_u64().expect("order id"));
    let ids = v["lineItems"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["numericId"].as_u64().expect("line id"))
        .collect();
    r.engine.sync_now(SyncScope::All).await.expect("import");
    let out = r.engine.issue_invoice(order).await.expect("invoice");
    assert!(matches!(out, InvoiceOutcome::Issued { .. }), "{out:?}");
    let path = format!("/shopify/orders/{}/fulfil", order.0);
    post(&w.shop, &path, json!({})).await;
    (order, ids)
}
