//! Read endpoints: `GET /stocks` (date required, case-sensitive warehouse filter, per-warehouse
//! lists), `GET /series` (with the next number), `GET /tax` and `GET /invoice/paymentstatus`
//! (an invoice's total and what is paid, by series and number; the spec's 400 texts).

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::{Value, json};

use super::gate::envelope_error;
use super::model::SbState;
use crate::wire::number;

fn ok(extra: Value) -> Response {
    let mut body = json!({"errorText": "", "message": "", "number": "", "series": "", "url": ""});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    Json(body).into_response()
}

pub fn check_cif(st: &SbState, q: &BTreeMap<String, String>) -> Option<Response> {
    (q.get("cif") != Some(&st.cif)).then(|| {
        envelope_error(
            StatusCode::BAD_REQUEST,
            "Firma la care incercati sa va conectati nu mai este disponibila in Cloud.",
        )
    })
}

pub fn stocks(st: &SbState, q: &BTreeMap<String, String>) -> Response {
    let Some(raw) = q.get("date").filter(|d| !d.is_empty()) else {
        return envelope_error(
            StatusCode::BAD_REQUEST,
            "Data la care vreti sa aflati valoarea stocului trebuie specificata!",
        );
    };
    let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") else {
        return envelope_error(
            StatusCode::BAD_REQUEST,
            "Data trebuie sa fie de forma yyyy-MM-dd.",
        );
    };
    if let Some(w) = q.get("warehouseName")
        && !st.warehouses.contains_key(w)
    {
        return envelope_error(
            StatusCode::BAD_REQUEST,
            &format!("Gestiunea {w} nu a fost gasita pe server."),
        );
    }
    let mut list = Vec::new();
    for (wh, kind) in &st.warehouses {
        if q.get("warehouseName").is_some_and(|w| w != wh) {
            continue;
        }
        let products: Vec<Value> = st
            .products
            .iter()
            .filter(|((w, _), _)| w == wh)
            .filter(|((_, code), _)| q.get("productCode").is_none_or(|c| c == code))
            .filter(|(_, p)| {
                q.get("productName")
                    .is_none_or(|n| n.eq_ignore_ascii_case(&p.name))
            })
            .map(|((_, code), p)| {
                let quantity = st.stock(wh, code, Some(date));
                json!({"productName": p.name, "productCode": code, "measuringUnit": p.unit,
                    "quantity": number(quantity)})
            })
            .collect();
        if !products.is_empty() {
            list.push(json!({"warehouse": {"warehouseName": wh, "warehouseType": kind}, "products": products}));
        }
    }
    ok(json!({"list": list}))
}

pub fn series(st: &SbState, q: &BTreeMap<String, String>) -> Response {
    let list: Vec<Value> = st
        .series
        .iter()
        .filter(|s| q.get("type").is_none_or(|t| *t == s.kind))
        .map(|s| json!({"name": s.name, "nextNumber": s.next, "type": s.kind}))
        .collect();
    ok(json!({"list": list}))
}

pub fn payment_status(st: &SbState, q: &BTreeMap<String, String>) -> Response {
    let wanted = q.get("number").map(String::as_str).unwrap_or_default();
    if wanted.is_empty() {
        return envelope_error(
            StatusCode::BAD_REQUEST,
            "Numarul facturii trebuie specificat",
        );
    }
    let series = q.get("seriesname").map(String::as_str).unwrap_or_default();
    let Some(idx) = super::invoice::find(st, series, wanted) else {
        return envelope_error(StatusCode::BAD_REQUEST, "Factura nu a fost gasita");
    };
    let total = st.invoices[idx].total;
    let paid = crate::collects::paid(&st.collects, series, wanted);
    let unpaid = (total - paid).max(rust_decimal::Decimal::ZERO);
    ok(
        json!({"invoiceTotalAmount": number(total), "paidAmount": number(paid),
        "unpaidAmount": number(unpaid), "paid": unpaid.is_zero()}),
    )
}

pub fn tax(st: &SbState) -> Response {
    let taxes: Vec<Value> = st
        .taxes
        .iter()
        .map(|(n, p)| json!({"name": n, "percentage": p}))
        .collect();
    ok(json!({"taxes": taxes}))
}
