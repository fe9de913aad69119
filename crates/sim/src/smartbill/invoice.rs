//! Invoices: `POST /invoice` and `/invoice/v2` (stock discharge with `useStock` +
//! `warehouseName`, the real HTML-laden stock errors); storno, cancel and delete are in
//! `invoice_undo`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::gate::envelope_error;
use super::lines::{check_lines, decimal, flag, total_of};
use super::model::{Invoice, Movement, SbState};

/// Maximum product lines on one document (more → HTTP 410).
const MAX_LINES: usize = 400;

pub(super) fn bad(text: &str) -> Response {
    envelope_error(StatusCode::BAD_REQUEST, text)
}

pub(super) fn date_of(v: &Value, key: &str, today: NaiveDate) -> NaiveDate {
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
pub(super) fn links(out: &mut Value, id: u64) {
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

pub fn find(st: &SbState, series: &str, number: &str) -> Option<usize> {
    st.invoices
        .iter()
        .position(|i| i.series == series && i.number == number)
}
