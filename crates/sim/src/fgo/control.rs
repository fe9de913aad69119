//! FGO control routes under `/_sim/billing`: receive goods into a gestiune (NIR) and adjust stock.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Fgo;
use super::model::Article;

pub fn routes() -> Router<Fgo> {
    Router::new()
        .route("/_sim/billing/receive", post(apply))
        .route("/_sim/billing/adjust", post(apply))
}

#[derive(Deserialize)]
struct Line {
    code: String,
    name: Option<String>,
    unit: Option<String>,
    /// Signed change of stock.
    quantity: Decimal,
    /// The article's VAT rate (`CotaTVA`), changed when given: the merchant editing the
    /// article in FGO.
    vat: Option<u32>,
}

#[derive(Deserialize)]
struct Receipt {
    /// Gestiune code (e.g. `G1`) or name.
    warehouse: String,
    lines: Vec<Line>,
}

async fn apply(State(sim): State<Fgo>, Json(b): Json<Receipt>) -> Json<Value> {
    let mut st = sim.lock();
    let code = st
        .warehouses
        .iter()
        .find(|(c, n)| **c == b.warehouse || **n == b.warehouse)
        .map_or_else(|| b.warehouse.clone(), |(c, _)| c.clone());
    st.warehouses
        .entry(code.clone())
        .or_insert_with(|| b.warehouse.clone());
    let mut out = Vec::new();
    for l in b.lines {
        let article = st
            .articles
            .entry(l.code.clone())
            .or_insert_with(|| Article {
                name: l.name.clone().unwrap_or_else(|| l.code.clone()),
                unit: l.unit.clone().unwrap_or_else(|| "buc".into()),
                price: Decimal::ZERO,
                vat: 21,
                barcode: None,
                stock: Default::default(),
            });
        if let Some(vat) = l.vat {
            article.vat = vat;
        }
        let s = article.stock.entry(code.clone()).or_default();
        *s += l.quantity;
        out.push(json!({"code": l.code, "stock": crate::wire::number(*s)}));
    }
    Json(json!({"stock": out}))
}
