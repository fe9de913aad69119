//! SmartBill control routes under `/_sim/billing`: seed articles, receive goods into a warehouse
//! (NIR), adjust stock by hand, and empty a warehouse (a count to zero: its products stay
//! listed at 0); plus the demo company's seed.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use super::SmartBill;
use super::model::{Movement, SbState};
use crate::demo::{self, Article, WAREHOUSE};

pub fn seed_demo(st: &mut SbState, today: NaiveDate) {
    let opening = today - chrono::TimeDelta::days(30);
    st.warehouses.insert(WAREHOUSE.into(), "en gros".into());
    st.warehouses.insert("Magazin".into(), "en detail".into());
    seed_articles(st, &demo::articles(), WAREHOUSE, opening);
}

fn seed_articles(st: &mut SbState, articles: &[Article], warehouse: &str, date: NaiveDate) {
    for a in articles {
        let m = Movement {
            date,
            warehouse: warehouse.into(),
            code: a.code.clone(),
            quantity: a.stock,
            reason: "sold initial".into(),
        };
        st.movement(m, &a.name, &a.unit);
    }
}

pub fn routes() -> Router<SmartBill> {
    Router::new()
        .route("/_sim/billing/seed", post(seed))
        .route("/_sim/billing/receive", post(receive))
        .route("/_sim/billing/adjust", post(adjust))
        .route("/_sim/billing/empty", post(empty))
        .route("/_sim/billing/taxes", post(taxes))
}

#[derive(Deserialize)]
struct Taxes {
    /// (name, percent) pairs, as `GET /tax` will list them.
    taxes: Vec<(String, u32)>,
}

/// The company's VAT rates as the merchant set them in SmartBill (its `GET /tax` list).
async fn taxes(State(sim): State<SmartBill>, Json(b): Json<Taxes>) -> Json<Value> {
    let mut st = sim.lock();
    st.taxes = b.taxes;
    Json(json!({"taxes": st.taxes.len()}))
}

#[derive(Deserialize)]
struct Seed {
    articles: Vec<Article>,
    warehouse: Option<String>,
}

async fn seed(State(sim): State<SmartBill>, Json(b): Json<Seed>) -> Json<Value> {
    let today = sim.clock.now().date_naive();
    let mut st = sim.lock();
    let wh = b.warehouse.unwrap_or_else(|| WAREHOUSE.into());
    seed_articles(&mut st, &b.articles, &wh, today);
    Json(json!({"articles": st.products.len()}))
}

#[derive(Deserialize)]
struct Line {
    code: String,
    name: Option<String>,
    unit: Option<String>,
    quantity: Decimal,
}

#[derive(Deserialize)]
struct Receipt {
    warehouse: String,
    lines: Vec<Line>,
}

/// NIR: goods received into `warehouse` (adds stock, creating unknown articles).
async fn receive(State(sim): State<SmartBill>, Json(b): Json<Receipt>) -> Json<Value> {
    apply(&sim, b, "NIR")
}

/// Inventory adjustment: `quantity` is a signed delta.
async fn adjust(State(sim): State<SmartBill>, Json(b): Json<Receipt>) -> Json<Value> {
    apply(&sim, b, "ajustare")
}

#[derive(Deserialize)]
struct Emptied {
    warehouse: String,
}

/// Every product in `warehouse` brought to 0 by an adjustment (an inventory count); the
/// warehouse and its products stay, so `/stocks` lists them with `quantity: 0`.
async fn empty(State(sim): State<SmartBill>, Json(b): Json<Emptied>) -> Json<Value> {
    let today = sim.clock.now().date_naive();
    let mut st = sim.lock();
    let held: Vec<(String, Decimal)> = st
        .products
        .keys()
        .filter(|(w, _)| *w == b.warehouse)
        .map(|(w, code)| (code.clone(), st.stock(w, code, None)))
        .filter(|(_, q)| !q.is_zero())
        .collect();
    for (code, quantity) in &held {
        let m = Movement {
            date: today,
            warehouse: b.warehouse.clone(),
            code: code.clone(),
            quantity: -*quantity,
            reason: "inventar".into(),
        };
        st.movements.push(m);
    }
    Json(json!({"emptied": held.len()}))
}

fn apply(sim: &SmartBill, b: Receipt, reason: &str) -> Json<Value> {
    let today = sim.clock.now().date_naive();
    let mut st = sim.lock();
    let mut after = Vec::new();
    for l in b.lines {
        let name = l.name.clone().unwrap_or_else(|| l.code.clone());
        let unit = l.unit.clone().unwrap_or_else(|| "buc".into());
        let m = Movement {
            date: today,
            warehouse: b.warehouse.clone(),
            code: l.code.clone(),
            quantity: l.quantity,
            reason: reason.into(),
        };
        st.movement(m, &name, &unit);
        after.push(json!({"code": l.code, "stock": crate::wire::number(st.stock(&b.warehouse, &l.code, None))}));
    }
    Json(json!({"stock": after}))
}
