//! Invoices: `POST /invoice` and `/invoice/v2` (stock discharge with `useStock` +
//! `warehouseName`, the real HTML-laden stock errors), `POST /invoice/reverse` (storno),
//! `PUT /invoice/cancel` and `DELETE /invoice` (last in series only).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::gate::envelope_error;
use super::lines::{check_lines, decimal, flag, text, total_of};
use super::model::{Invoice, Movement, SbState};

/// Maximum product lines on one document (more → HTTP 410).
const MAX_LINES: usize = 400;

fn bad(text: &str) -> Response {
    envelope_error(StatusCode::BAD_REQUEST, text)
}

fn date_of(v: &Value, key: &str, today: NaiveDate) -> NaiveDate {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .unwrap_or(today)
}

/// Issues an invoice; `v2` selects the longer response.
pub fn create(st: &mut SbState, body: &Value, today: NaiveDate, v2: bool) -> Response {
    if body.get("companyVatCode").and_then(Value::as_str) != Some(st.cif.as_str()) {
        return bad("Firma la care incercati sa va conectati nu mai este disponibila in Cloud.");
    }
    let series_name = body
        .get("seriesName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(series_idx) = st
        .series
        .iter()
        .position(|s| s.name == series_name && s.kind == "f")
    else {
        return bad("Seria nu a fost gasita! Folositi o serie creata in contul de cloud.");
    };
    let products = body
        .get("products")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Err(text) = check_lines(body, &products) {
        return bad(&text);
    }
    if products.len() > MAX_LINES {
        return envelope_error(
            StatusCode::GONE,
            "Numarul maxim acceptat de 400 intrari pe document a fost depasit.",
        );
    }
    let issue = date_of(body, "issueDate", today);
    let number = st.series[series_idx].number(st.series[series_idx].next);
    let use_stock = flag(body, "useStock");
    let mut discharges: Vec<(String, String, Decimal)> = Vec::new();
    for p in &products {
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        if !use_stock || flag(p, "isService") || flag(p, "isDiscount") {
            continue;
        }
        let Some(wh) = p.get("warehouseName").and_then(Value::as_str) else {
            return bad(&format!(
                "Gestiunea predatoare nu este setata pentru produsul {name}."
            ));
        };
        if !st.warehouses.contains_key(wh) {
            return bad(&format!(
                "Gestiunea predatoare {wh} a produsului {name} nu a fost gasita."
            ));
        }
        let code = p.get("code").and_then(Value::as_str).unwrap_or_default();
        let Some(known) = st.products.get(&(wh.to_owned(), code.to_owned())) else {
            return bad(&format!(
                "Nu ai facut nicio achizitie pentru produsul <b>{name}</b>.<br/>Pentru a putea \
                 descarca din stoc, adauga mai intai o intrare (NIR) pentru acest produs."
            ));
        };
        let unit = p
            .get("measuringUnitName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if unit != known.unit {
            return bad(&format!(
                "Unitatea de masura {unit} a produsului {name} nu are factor de conversie setat.\
                 <div id=\"moreErrorDetails\" style=\"display:none\"><p>Unitatea de masura din \
                 document trebuie sa fie aceeasi cu cea din stoc ({}), sau sa aiba un factor de \
                 conversie definit.</p></div>",
                known.unit
            ));
        }
        let quantity = decimal(p.get("quantity").unwrap_or(&Value::Null));
        let already: Decimal = discharges
            .iter()
            .filter(|d| d.0 == wh && d.1 == code)
            .map(|d| d.2)
            .sum();
        if quantity + already > st.stock(wh, code, Some(issue)) {
            return bad(&format!(
                "Cantitate stoc insuficienta la <b>factura {series_name} {number} din {}</b> \
                 pentru produsul <b>{name}</b>.<br/>Stoc disponibil: {} {}.",
                issue.format("%d.%m.%Y"),
                st.stock(wh, code, Some(issue)),
                known.unit
            ));
        }
        discharges.push((wh.to_owned(), code.to_owned(), quantity));
    }
    for (wh, code, q) in &discharges {
        let m = Movement {
            date: issue,
            warehouse: wh.clone(),
            code: code.clone(),
            quantity: -*q,
            reason: format!("factura {series_name} {number}"),
        };
        st.movements.push(m);
    }
    st.series[series_idx].next += 1;
    st.next_document_id += 1;
    let id = st.next_document_id;
    st.invoices.push(Invoice {
        series: series_name.into(),
        number: number.clone(),
        issue_date: issue,
        cancelled: false,
        reversed_by: None,
        storno_of: None,
        discharges,
        total: total_of(&products),
        document_id: id,
        body: body.clone(),
    });
    let mut out =
        json!({"errorText": "", "message": "", "number": number, "series": series_name, "url": ""});
    if v2 {
        links(&mut out, id);
    }
    Json(out).into_response()
}

/// `documentId`, the editor link (`documentUrl`, needs a SmartBill login) and the public PDF
/// link (`documentViewUrl`, for the customer), as the spec's v2 answer has them.
fn links(out: &mut Value, id: u64) {
    out["documentId"] = json!(id);
    out["documentUrl"] = json!(format!(
        "https://cloud.smartbill.ro/documente/editare/factura/{id}/"
    ));
    let public = crate::wire::fresh_hex(&format!("view{id}"));
    out["documentViewUrl"] = json!(format!(
        "https://cloud.smartbill.ro/documente/extern/pf/factura/{}?srvid=2",
        &public[..16]
    ));
}

/// The spec's "not found" text for a document operation (HTTP 400).
fn not_found(series: &str, number: &str) -> Response {
    bad(&format!(
        "Factura cu seria si numarul {series}{number} nu a fost gasita!"
    ))
}

pub fn find(st: &SbState, series: &str, number: &str) -> Option<usize> {
    st.invoices
        .iter()
        .position(|i| i.series == series && i.number == number)
}

/// Returns the stock an invoice discharged (cancel, delete, storno).
fn restock(st: &mut SbState, idx: usize, date: NaiveDate, why: &str) {
    let moves: Vec<_> = st.invoices[idx].discharges.clone();
    for (wh, code, q) in moves {
        st.movements.push(Movement {
            date,
            warehouse: wh,
            code,
            quantity: q,
            reason: why.into(),
        });
    }
}

pub fn reverse(st: &mut SbState, body: &Value, today: NaiveDate) -> Response {
    if body.get("companyVatCode").and_then(Value::as_str) != Some(st.cif.as_str()) {
        return bad("Firma la care incercati sa va conectati nu mai este disponibila in Cloud.");
    }
    let Some(number) = text(body, "number").map(str::to_owned) else {
        return bad("Numarul facturii trebuie specificat in parametrul 'number'!");
    };
    let Some(series) = text(body, "seriesName").map(str::to_owned) else {
        return bad("Seria facturii trebuie specificata in parametrul 'seriesname'!");
    };
    let Some(idx) = find(st, &series, &number) else {
        return not_found(&series, &number);
    };
    let inv = &st.invoices[idx];
    if inv.cancelled {
        return bad(&format!("Factura {series}{number} este anulata."));
    }
    if inv.storno_of.is_some() {
        return bad(&format!(
            "Factura {series}{number} este de tip storno. Nu se poate storna."
        ));
    }
    if inv.reversed_by.is_some() {
        return bad("Factura este deja stornata.");
    }
    let date = date_of(body, "issueDate", today);
    if date < inv.issue_date {
        return bad(
            "Data emiterii facturii storno nu poate fi anterioara datei emiterii facturii stornate.",
        );
    }
    let Some(s_idx) = st.series.iter().position(|s| s.name == series) else {
        return bad("Seria nu a fost gasita! Folositi o serie creata in contul de cloud.");
    };
    let new_number = st.series[s_idx].number(st.series[s_idx].next);
    st.series[s_idx].next += 1;
    let total = -st.invoices[idx].total;
    st.next_document_id += 1;
    let id = st.next_document_id;
    restock(st, idx, date, &format!("storno {series} {new_number}"));
    st.invoices[idx].reversed_by = Some(new_number.clone());
    st.invoices.push(Invoice {
        series: series.clone(),
        number: new_number.clone(),
        issue_date: date,
        cancelled: false,
        reversed_by: None,
        storno_of: Some(number),
        discharges: Vec::new(),
        total,
        document_id: id,
        body: body.clone(),
    });
    let mut out =
        json!({"errorText": "", "message": "", "number": new_number, "series": series, "url": ""});
    links(&mut out, id);
    Json(out).into_response()
}

/// The spec's refusal of a document operation whose query lacks `number` or `seriesname`.
pub fn missing_param(series: &str, number: &str) -> Option<Response> {
    if number.is_empty() {
        return Some(bad(
            "Numarul facturii trebuie specificat in url in parametrul 'number'!",
        ));
    }
    if series.is_empty() {
        return Some(bad(
            "Seria facturii trebuie specificata in url in parametrul 'seriesname'!",
        ));
    }
    None
}

pub fn cancel(st: &mut SbState, series: &str, number: &str, today: NaiveDate) -> Response {
    if let Some(r) = missing_param(series, number) {
        return r;
    }
    let Some(idx) = find(st, series, number) else {
        return not_found(series, number);
    };
    if st.invoices[idx].cancelled {
        let msg = format!("Factura {series}{number} este deja anulata.");
        return Json(json!({"errorText": "", "message": msg, "number": number, "series": series}))
            .into_response();
    }
    st.invoices[idx].cancelled = true;
    restock(st, idx, today, &format!("anulare {series} {number}"));
    let msg = format!("Factura cu seria si numarul {series}{number} a fost anulata cu succes.");
    Json(json!({"errorText": "", "message": msg, "number": number, "series": series}))
        .into_response()
}

pub fn delete(st: &mut SbState, series: &str, number: &str, today: NaiveDate) -> Response {
    if let Some(r) = missing_param(series, number) {
        return r;
    }
    let Some(idx) = find(st, series, number) else {
        return not_found(series, number);
    };
    let last = st.invoices.iter().rposition(|i| i.series == series);
    if last != Some(idx) {
        let text = format!(
            "Nu poti sterge documentul cu seria si numarul {series} {number}, deoarece nu este ultimul din serie!"
        );
        return envelope_error(StatusCode::FORBIDDEN, &text);
    }
    if !st.invoices[idx].cancelled {
        restock(st, idx, today, &format!("stergere {series} {number}"));
    }
    st.invoices.remove(idx);
    if let Some(s) = st.series.iter_mut().find(|s| s.name == series) {
        s.next = s.next.saturating_sub(1).max(1);
    }
    let msg = format!("Factura cu seria si numarul {series}{number} a fost stearsa cu succes.");
    Json(json!({"errorText": "", "message": msg, "number": "", "series": ""})).into_response()
}
