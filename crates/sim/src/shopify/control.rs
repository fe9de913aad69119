//! Shopify-specific control routes under `/_sim/shopify`: seed a catalogue, place, edit, fulfil,
//! refund and cancel orders, drift a level by hand, expire tokens and tune throttling.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::Shopify;
use super::catalog::gid;
use super::model::{Location, ShopState};
use super::ops::{self, NewOrder, OpError, OrderLine, RefundLine};
use super::payment;
use crate::demo::SeedProduct;

pub fn add_default_location(st: &mut ShopState) {
    let id = st.id();
    let loc = Location {
        id,
        name: "Depozit central".into(),
        active: true,
        primary: true,
        city: "Chiajna".into(),
    };
    st.locations.push(loc);
}

#[derive(Deserialize)]
struct NewLocation {
    name: String,
    #[serde(default)]
    city: Option<String>,
}

/// Adds an active location (a second warehouse, a shop) where every tracked item is stocked at
/// 0, as Shopify's "stock this product at the new location" does.
async fn add_location(State(sim): State<Shopify>, Json(body): Json<NewLocation>) -> Response {
    let now = sim.clock.now();
    let mut st = sim.lock();
    let id = st.id();
    st.locations.push(Location {
        id,
        name: body.name,
        active: true,
        primary: false,
        city: body.city.unwrap_or_else(|| "Cluj-Napoca".into()),
    });
    let tracked: Vec<u64> = st
        .items
        .values()
        .filter(|i| i.tracked)
        .map(|i| i.id)
        .collect();
    for item in tracked {
        let q = super::model::Quantities {
            updated_at: Some(now),
            ..Default::default()
        };
        st.levels.entry((item, id)).or_insert(q);
    }
    answer(Ok(json!({"id": id})))
}

pub fn routes() -> Router<Shopify> {
    let p = "/_sim/shopify";
    Router::new()
        .route(&format!("{p}/seed"), post(seed))
        .route(&format!("{p}/locations"), post(add_location))
        .route(&format!("{p}/orders"), post(place))
        .route(&format!("{p}/orders/{{id}}/fulfil"), post(fulfil))
        .route(&format!("{p}/orders/{{id}}/cancel"), post(cancel))
        .route(&format!("{p}/orders/{{id}}/refund"), post(refund))
        .route(&format!("{p}/orders/{{id}}/edit"), post(edit))
        .route(&format!("{p}/orders/{{id}}/pay"), post(pay))
        .route(&format!("{p}/orders/{{id}}/payment"), post(payment))
        .route(&format!("{p}/orders/{{id}}/hold"), post(hold))
        .route(&format!("{p}/levels"), post(drift))
        .route(&format!("{p}/tokens/expire"), post(expire_tokens))
        .route(&format!("{p}/options"), post(options))
}

pub(super) fn answer(r: Result<serde_json::Value, OpError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e @ OpError::NotFound(..)) => {
            (StatusCode::NOT_FOUND, Json(json!({"error": e.to_string()}))).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": e.to_string()})),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
struct Seed {
    products: Vec<SeedProduct>,
}

async fn seed(State(sim): State<Shopify>, Json(body): Json<Seed>) -> Response {
    let now = sim.clock.now();
    let mut st = sim.lock();
    ops::seed(&mut st, &body.products, now);
    answer(Ok(
        json!({"products": st.products.len(), "variants": st.variants.len()}),
    ))
}

async fn place(State(sim): State<Shopify>, Json(body): Json<NewOrder>) -> Response {
    let now = sim.clock.now();
    let mut st = sim.lock();
    answer(ops::place_order(&mut st, body, now).map(|id| {
        let o = &st.orders[&id];
        let lines: Vec<_> = o.lines.iter().map(|l| json!({"id": gid("LineItem", l.id), "numericId": l.id, "sku": l.sku})).collect();
        json!({"id": gid("Order", id), "numericId": id, "name": format!("#{}", o.number), "lineItems": lines})
    }))
}

async fn fulfil(State(sim): State<Shopify>, Path(id): Path<u64>) -> Response {
    let now = sim.clock.now();
    answer(ops::fulfil(&mut sim.lock(), id, now).map(|()| json!({"ok": true})))
}

#[derive(Deserialize)]
struct Cancel {
    #[serde(default)]
    restock: bool,
    reason: Option<String>,
}

async fn cancel(
    State(sim): State<Shopify>,
    Path(id): Path<u64>,
    Json(b): Json<Cancel>,
) -> Response {
    let now = sim.clock.now();
    let reason = b.reason.unwrap_or_else(|| "customer".into());
    answer(ops::cancel(&mut sim.lock(), id, b.restock, &reason, now).map(|()| json!({"ok": true})))
}

#[derive(Deserialize)]
struct Refund {
    #[serde(default)]
    lines: Vec<RefundLine>,
    /// Give back the order's whole remaining shipping too.
    #[serde(default)]
    shipping: bool,
}

async fn refund(
    State(sim): State<Shopify>,
    Path(id): Path<u64>,
    Json(b): Json<Refund>,
) -> Response {
    let now = sim.clock.now();
    let done = ops::refund_with(&mut sim.lock(), id, &b.lines, b.shipping, now);
    answer(done.map(|()| json!({"ok": true})))
}

#[derive(Deserialize)]
struct Edit {
    #[serde(default)]
    add: Vec<OrderLine>,
    /// Pairs of (line item numeric id, new quantity).
    #[serde(default)]
    set_quantity: Vec<(u64, i64)>,
}

async fn edit(State(sim): State<Shopify>, Path(id): Path<u64>, Json(b): Json<Edit>) -> Response {
    let now = sim.clock.now();
    answer(
        ops::edit(&mut sim.lock(), id, &b.add, &b.set_quantity, now).map(|()| json!({"ok": true})),
    )
}

/// "Mark as paid": a cash-on-delivery order once the courier pays out (or a capture).
async fn pay(State(sim): State<Shopify>, Path(id): Path<u64>) -> Response {
    let now = sim.clock.now();
    answer(payment::mark_paid(&mut sim.lock(), id, now).map(|()| json!({"ok": true})))
}

#[derive(Deserialize)]
struct Payment {
    status: String,
}

/// Any financial status, as a payment provider sets it (VOIDED, EXPIRED, PARTIALLY_PAID…).
async fn payment(
    State(sim): State<Shopify>,
    Path(id): Path<u64>,
    Json(b): Json<Payment>,
) -> Response {
    let now = sim.clock.now();
    answer(payment::set_status(&mut sim.lock(), id, &b.status, now).map(|()| json!({"ok": true})))
}

#[derive(Deserialize)]
struct Hold {
    #[serde(default = "yes")]
    on_hold: bool,
}

fn yes() -> bool {
    true
}

async fn hold(State(sim): State<Shopify>, Path(id): Path<u64>, Json(b): Json<Hold>) -> Response {
    let now = sim.clock.now();
    answer(payment::hold(&mut sim.lock(), id, b.on_hold, now).map(|()| json!({"ok": true})))
}

#[derive(Deserialize)]
struct Drift {
    sku: Option<String>,
    inventory_item_id: Option<u64>,
    location_id: Option<u64>,
    name: Option<String>,
    quantity: i64,
    /// `updated_at` searches list this change only this many (simulated) seconds later.
    listed_after_seconds: Option<i64>,
}

async fn drift(State(sim): State<Shopify>, Json(b): Json<Drift>) -> Response {
    let now = sim.clock.now();
    let mut st = sim.lock();
    let item = b.inventory_item_id.or_else(|| {
        st.variants
            .values()
            .find(|v| v.sku.is_some() && v.sku == b.sku)
            .map(|v| v.inventory_item_id)
    });
    let loc = b.location_id.or(st.primary_location());
    let Some(key) = item.zip(loc).filter(|k| st.levels.contains_key(k)) else {
        return answer(Err(OpError::NotFound(
            "inventory level",
            format!("{:?}", b.sku),
        )));
    };
    let name = b.name.unwrap_or_else(|| "available".into());
    match b.listed_after_seconds {
        Some(late) => st
            .listed_late
            .insert(key, now + chrono::TimeDelta::seconds(late)),
        None => st.listed_late.remove(&key),
    };
    let level = st.levels.entry(key).or_default();
    level.set(&name, b.quantity);
    level.updated_at = Some(now);
    let out = json!({"inventoryItemId": gid("InventoryItem", key.0), "available": level.available, "on_hand": level.on_hand()});
    answer(Ok(out))
}

async fn expire_tokens(State(sim): State<Shopify>) -> Response {
    let now = sim.clock.now();
    let mut st = sim.lock();
    for exp in st.tokens.values_mut() {
        *exp = now;
    }
    answer(Ok(json!({"expired": st.tokens.len()})))
}

#[derive(Deserialize)]
struct Options {
    replay_reexecutes: Option<bool>,
    /// The next N writes answer IDEMPOTENCY_CONCURRENT_REQUEST.
    idempotency_in_progress: Option<u32>,
    bucket_maximum: Option<f64>,
    restore_rate: Option<f64>,
    currently_available: Option<f64>,
    /// 200 or 429 for THROTTLED answers.
    throttle_status: Option<u16>,
    /// The single-query cost limit (Shopify: 1000).
    max_query_cost: Option<u64>,
    /// False: answer as an app without protected customer data (names, addresses, emails,
    /// phones withheld, the rest of the answer kept).
    protected_customer_data: Option<bool>,
    /// Refuse any write naming this inventory item, as a whole, without naming the row (0
    /// clears it).
    refuse_inventory_item: Option<u64>,
    /// The access scopes the app was granted at installation (e.g. without `write_inventory`).
    scopes: Option<Vec<String>>,
    /// The plan's public name ("Basic", "Grow", "Advanced", "Plus", "Development", …).
    plan: Option<String>,
}

async fn options(State(sim): State<Shopify>, Json(b): Json<Options>) -> Response {
    let mut st = sim.lock();
    if let Some(r) = b.replay_reexecutes {
        st.replay_reexecutes = r;
    }
    if let Some(n) = b.idempotency_in_progress {
        st.in_progress = n;
    }
    if let Some(m) = b.bucket_maximum {
        st.bucket.maximum = m;
        st.bucket.available = st.bucket.available.min(m);
    }
    if let Some(r) = b.restore_rate {
        st.bucket.restore_rate = r;
    }
    if let Some(code) = b
        .throttle_status
        .and_then(|c| axum::http::StatusCode::from_u16(c).ok())
    {
        st.throttle_status = code;
    }
    if let Some(a) = b.currently_available {
        st.bucket.available = a;
    }
    if let Some(m) = b.max_query_cost {
        st.max_query_cost = m;
    }
    if let Some(p) = b.protected_customer_data {
        st.protected_customer_data = p;
    }
    if let Some(i) = b.refuse_inventory_item {
        st.refuse_item = (i != 0).then_some(i);
    }
    if let Some(scopes) = b.scopes {
        st.creds.scope = scopes.join(",");
    }
    if let Some(plan) = b.plan {
        st.plan = plan;
    }
    answer(Ok(
        json!({"replay_reexecutes": st.replay_reexecutes, "bucket": st.bucket,
            "scopes": st.creds.scope, "plan": st.plan}),
    ))
}
