//! Undoing an invoice: `POST /invoice/reverse` (storno, a new document of the series at
//! negative value), `PUT /invoice/cancel` and `DELETE /invoice` (the last of its series only),
//! each putting back the stock the invoice discharged, with the spec's refusals word for word.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::{Value, json};

use super::gate::envelope_error;
use super::invoice::{bad, date_of, find, links};
use super::lines::text;
use super::model::{Invoice, Movement, SbState};

/// The spec's "not found" text for a document operation (HTTP 400).
fn not_found(series: &str, number: &str) -> Response {
    bad(&format!(
        "Factura cu seria si numarul {series}{number} nu a fost gasita!"
    ))
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
