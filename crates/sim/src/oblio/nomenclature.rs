//! `GET /api/nomenclature/{companies,vat_rates,series,management,products}`; products carry
//! `stock[]` per (workStation, management), prices as strings, pages of 250 by `offset`; the
//! `management` and `workStation` filters. Also the NIR / adjustment control route.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use super::model::{OblioState, Product, WORK_STATION};
use super::{Oblio, fail, success};
use crate::wire::number;

const PAGE: usize = 250;

pub fn answer(st: &OblioState, what: &str, q: &BTreeMap<String, String>) -> Response {
    if what != "companies" && q.get("cif") != Some(&st.cif) {
        return fail(
            StatusCode::BAD_REQUEST,
            "Parametrul cif lipseste sau nu aveti acces la firma",
        );
    }
    match what {
        "companies" => success(
            "Success",
            json!([{"cif": st.cif, "company": "PUNTE DEMO SRL", "userTypeAccess": "admin"}]),
        ),
        "vat_rates" => success(
            "Success",
            json!([{"name": "Normala", "percent": 21, "default": true},
            {"name": "Redusa", "percent": 11, "default": false}, {"name": "SFDD", "percent": 0, "default": false}]),
        ),
        "series" => {
            let list: Vec<Value> = st
                .series
                .iter()
                .map(|(n, next)| {
                    json!({"type": "Factura", "name": n,
                "start": "0001", "next": format!("{next:04}"), "default": true})
                })
                .collect();
            success("Success", json!(list))
        }
        "management" => {
            let list: Vec<Value> = st
                .managements
                .iter()
                .map(|(ws, m)| {
                    json!({"management": m,
                "workStation": ws, "managementType": "Cantitativ Valorica"})
                })
                .collect();
            success("Success", json!(list))
        }
        "products" => products(st, q),
        _ => fail(StatusCode::NOT_FOUND, "Nomenclatorul nu exista"),
    }
}

fn price(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

fn products(st: &OblioState, q: &BTreeMap<String, String>) -> Response {
    let offset: usize = match q.get("offset").map(|o| o.parse::<usize>()) {
        None => 0,
        Some(Ok(o)) if o % PAGE == 0 => o,
        Some(_) => {
            return fail(
                StatusCode::BAD_REQUEST,
                "offset trebuie sa fie multiplu de 250",
            );
        }
    };
    let management = q.get("management").map(String::as_str);
    let ws = q.get("workStation").map(String::as_str);
    let list: Vec<Value> = st
        .products
        .iter()
        .filter(|(code, p)| {
            q.get("code").is_none_or(|c| c == *code)
                && q.get("name").is_none_or(|n| p.name.contains(n.as_str()))
        })
        .filter(|(_, p)| {
            p.stock.iter().any(|s| {
                management.is_none_or(|m| s.management == m)
                    && ws.is_none_or(|w| s.work_station == w)
            })
        })
        .skip(offset)
        .take(PAGE)
        .map(|(code, p)| product_json(code, p, management, ws))
        .collect();
    success("Success", json!(list))
}

fn product_json(code: &str, p: &Product, management: Option<&str>, ws: Option<&str>) -> Value {
    let mut v = json!({"name": p.name, "code": code, "description": "", "measuringUnit": p.unit,
        "productType": "Marfa", "active": true});
    let line = |w: &str, m: &str, q: Decimal| {
        json!({"workStation": w, "management": m,
        "quantity": number(q), "price": price(p.price), "currency": "RON", "vatName": "Normala",
        "vatPercentage": p.vat, "vatIncluded": true})
    };
    let rows: Vec<Value> = p
        .stock
        .iter()
        .filter(|s| {
            management.is_none_or(|m| s.management == m) && ws.is_none_or(|w| s.work_station == w)
        })
        .map(|s| line(&s.work_station, &s.management, s.quantity))
        .collect();
    match (management, rows.as_slice()) {
        // Filtered by management: listed flat, "like services" (the docs' wording), when one
        // (work point, management) row remains.
        (Some(_), [one]) => {
            if let (Some(obj), Value::Object(flat)) = (v.as_object_mut(), one.clone()) {
                obj.extend(flat);
            }
        }
        _ => v["stock"] = json!(rows),
    }
    v
}

#[derive(Deserialize)]
pub struct Line {
    code: String,
    name: Option<String>,
    unit: Option<String>,
    quantity: Decimal,
    /// The product's VAT rate in the nomenclature (`vatPercentage`), changed when given: the
    /// merchant editing the product in Oblio.
    vat: Option<u32>,
}

#[derive(Deserialize)]
pub struct Receipt {
    warehouse: String,
    /// The work point (default "Sediu").
    work_station: Option<String>,
    lines: Vec<Line>,
}

/// Control: receive goods (NIR) or adjust — `quantity` is a signed change in `warehouse` of
/// `work_station`.
pub async fn receive(State(sim): State<Oblio>, Json(b): Json<Receipt>) -> Json<Value> {
    let mut st = sim.lock();
    let ws = b.work_station.unwrap_or_else(|| WORK_STATION.into());
    if !st.has_management(&ws, &b.warehouse) {
        st.managements.push((ws.clone(), b.warehouse.clone()));
    }
    let mut out = Vec::new();
    for l in b.lines {
        let p = st
            .products
            .entry(l.code.clone())
            .or_insert_with(|| Product {
                name: l.name.clone().unwrap_or_else(|| l.code.clone()),
                unit: l.unit.clone().unwrap_or_else(|| "buc".into()),
                price: Decimal::ZERO,
                vat: 21,
                stock: Vec::new(),
            });
        if let Some(vat) = l.vat {
            p.vat = vat;
        }
        let now = p.add(&ws, &b.warehouse, l.quantity);
        out.push(json!({"code": l.code, "stock": number(now)}));
    }
    Json(json!({"stock": out}))
}
