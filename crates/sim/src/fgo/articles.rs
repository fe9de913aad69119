//! `/articol/list` (pages by `NrPagina`/`NrArticole`, at most 200), `/articol/get` and
//! `/articol/gestiune`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::fail;
use super::model::{Article, FgoState};
use crate::wire::number;

fn article_json(code: &str, a: &Article) -> Value {
    let stock: Decimal = a.stock.values().copied().sum();
    json!({"Nume": a.name, "PretUnitar": number(a.price), "UM": a.unit, "CodConta": code,
        "CotaTva": a.vat, "Stoc": number(stock), "CodBare": a.barcode, "UltimaUtilizare": null})
}

pub fn list(st: &FgoState, v: &Value) -> Response {
    let page = v.get("NrPagina").and_then(Value::as_u64).unwrap_or(1);
    let size = v.get("NrArticole").and_then(Value::as_u64).unwrap_or(200);
    if page == 0 || size == 0 || size > 200 {
        return fail("NrPagina trebuie sa fie cel putin 1, iar NrArticole intre 1 si 200.");
    }
    let skip = ((page - 1) * size) as usize;
    let items: Vec<Value> = st
        .articles
        .iter()
        .skip(skip)
        .take(size as usize)
        .map(|(c, a)| article_json(c, a))
        .collect();
    Json(
        json!({"Success": true, "Message": "", "Result": {"Total": st.articles.len(),
        "NrPagina": page, "NrArticole": size, "List": items}}),
    )
    .into_response()
}

pub fn get(st: &FgoState, v: &Value) -> Response {
    let code = v
        .get("CodArticol")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match st.articles.get(code) {
        Some(a) => Json(json!({"Success": true, "Message": "", "Result": article_json(code, a)}))
            .into_response(),
        None => fail(&format!("Articolul cu codul {code} nu a fost gasit.")),
    }
}

pub fn warehouses(st: &FgoState) -> Response {
    let list: Vec<Value> = st
        .warehouses
        .iter()
        .map(|(c, n)| json!({"CodGestiune": c, "Nume": n}))
        .collect();
    Json(json!({"Success": true, "Message": "", "Result": {"List": list}})).into_response()
}
