//! Reading documents back: `GET /api/docs/invoice` (one document by series and number, with its
//! collects) and `GET /api/docs/invoice/list` (filters `seriesName`, `number`, `id`,
//! `canceled`, `issuedAfter`, `issuedBefore`, `orderBy`/`orderDir`, `withEinvoiceStatus`, pages of at most 100 by
//! `limitPerPage` and `offset`), numbers and flags as strings the way the docs show them.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::docs::{find_doc, link};
use super::model::{Doc, OblioState};
use super::{fail, success};

const MAX_PAGE: usize = 100;

fn row(d: &Doc) -> Value {
    json!({"id": d.id.to_string(), "draft": "0", "canceled": if d.cancelled { "1" } else { "0" },
        "seriesName": d.series, "number": d.number, "issueDate": d.issue_date,
        "dueDate": d.issue_date, "precision": "2", "currency": "RON", "exchangeRate": "1.0000",
        "total": format!("{:.4}", d.total), "mentions": d.mentions,
        "useStock": if d.use_stock { "1" } else { "0" }, "type": "Factura",
        "link": link(&d.series, &d.number),
        "client": {"name": d.client_name, "cif": "", "vatPayer": "0"}})
}

/// `GET /api/docs/invoice?cif&seriesName&number`.
pub fn view(st: &OblioState, q: &BTreeMap<String, String>) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    let Some(idx) = find_doc(st, get("seriesName"), get("number")) else {
        return fail(StatusCode::BAD_REQUEST, "Documentul nu a fost gasit");
    };
    let d = &st.docs[idx];
    let collects: Vec<Value> = st
        .collects
        .iter()
        .filter(|c| c.series == d.series && c.number == d.number)
        .map(|c| {
            json!({"issueDate": c.date, "type": c.kind, "number": c.reference,
            "value": crate::wire::number(c.value)})
        })
        .collect();
    success(
        "Success",
        json!({"documentType": "Factura", "seriesName": d.series, "number": d.number,
            "link": link(&d.series, &d.number), "collects": collects}),
    )
}

/// `GET /api/docs/invoice/list`.
pub fn list(st: &OblioState, q: &BTreeMap<String, String>) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let limit = match get("limitPerPage").map(str::parse::<usize>) {
        None => MAX_PAGE,
        Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => n,
        Some(_) => {
            return fail(
                StatusCode::BAD_REQUEST,
                "limitPerPage trebuie sa fie intre 1 si 100",
            );
        }
    };
    let offset = match get("offset").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return fail(StatusCode::BAD_REQUEST, "offset invalid"),
    };
    let canceled = get("canceled")
        .and_then(|c| c.parse::<i8>().ok())
        .unwrap_or(-1);
    let mut docs: Vec<&Doc> = st
        .docs
        .iter()
        .filter(|d| get("seriesName").is_none_or(|s| d.series == s))
        .filter(|d| {
            get("number")
                .is_none_or(|n| find_doc(st, &d.series, n).is_some_and(|i| st.docs[i].id == d.id))
        })
        .filter(|d| get("id").is_none_or(|i| d.id.to_string() == i))
        .filter(|d| canceled < 0 || d.cancelled == (canceled == 1))
        .filter(|d| get("issuedAfter").is_none_or(|a| d.issue_date.as_str() >= a))
        .filter(|d| get("issuedBefore").is_none_or(|b| d.issue_date.as_str() <= b))
        .collect();
    match get("orderBy").unwrap_or("id") {
        "issueDate" => docs.sort_by(|a, b| a.issue_date.cmp(&b.issue_date).then(a.id.cmp(&b.id))),
        "number" => docs.sort_by(|a, b| (&a.series, &a.number).cmp(&(&b.series, &b.number))),
        _ => docs.sort_by_key(|d| d.id),
    }
    if get("orderDir").is_some_and(|d| d.eq_ignore_ascii_case("desc")) {
        docs.reverse();
    }
    let with_spv = get("withEinvoiceStatus") == Some("1");
    let page: Vec<Value> = docs
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|d| {
            let mut r = row(d);
            if with_spv {
                let status = super::einvoice::status_of(st, d.id);
                r["einvoice"] = json!(if status["code"] == json!(-1) {
                    "0"
                } else {
                    "1"
                });
                r["einvoiceStatus"] = status;
            }
            r
        })
        .collect();
    success("Success", json!(page))
}
