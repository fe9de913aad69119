//! `POST /payment` tied to invoices by `invoicesList` [SB-SPEC] (`createPayment`): the type is
//! one of the spec's list (case does not matter, extra spaces do: "Tipul documentului nu a fost
//! gasit pe server!"); `value` or `useInvoiceDetails` is required ("Valoarea incasarii trebuie
//! specificata."), and so is `client` unless `useInvoiceDetails`; an unknown invoice answers
//! "Factura nu a fost gasita!", a cancelled one "Factura X este anulata, nu o puteti incasa...",
//! one fully paid or reversed "Factura este incasata sau stornata in totalitate." (the spec's
//! error table). Other types than `Chitanta` and `Bon` make no numbered document, so the answer
//! carries empty `number`/`series`. Paying more than is unpaid is not documented: accepted.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::gate::envelope_error;
use super::model::SbState;
use crate::collects::{Collect, paid};

const TYPES: [&str; 11] = [
    "Card",
    "Card online",
    "Chitanta",
    "Bon",
    "Ordin plata",
    "CEC",
    "Bilet ordin",
    "Mandat postal",
    "Extras de cont",
    "Ramburs",
    "Alta incasare",
];

fn bad(text: &str) -> Response {
    envelope_error(StatusCode::BAD_REQUEST, text)
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The invoices a payment names (`invoicesList` is one object or a list).
fn named(body: &Value) -> Vec<(String, String)> {
    let list = match body.get("invoicesList") {
        Some(Value::Array(a)) => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => Vec::new(),
    };
    list.iter()
        .map(|i| {
            (
                str_of(i, "seriesName").to_owned(),
                str_of(i, "number").to_owned(),
            )
        })
        .collect()
}

pub fn create(st: &mut SbState, body: &Value, today: NaiveDate) -> Response {
    if str_of(body, "companyVatCode") != st.cif {
        return bad("Firma la care incercati sa va conectati nu mai este disponibila in Cloud.");
    }
    let kind = str_of(body, "type");
    if kind.is_empty() {
        return bad("Tipul incasarii trebuie specificat.");
    }
    let Some(kind) = TYPES.iter().find(|t| t.eq_ignore_ascii_case(kind)) else {
        return bad("Tipul documentului nu a fost gasit pe server!");
    };
    let details = body
        .get("useInvoiceDetails")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if !details && body.get("client").is_none() {
        return bad(
            "Datele clientului trebuie specificate. Ele se preiau din factura doar in cazul in \
             care usePaymentDetails = true.",
        );
    }
    let value = body.get("value").and_then(crate::wire::decimal);
    if value.is_none() && !details {
        return bad("Valoarea incasarii trebuie specificata.");
    }
    let invoices = named(body);
    let mut unpaid = Vec::new();
    for (series, number) in &invoices {
        let Some(idx) = super::invoice::find(st, series, number) else {
            return bad("Factura nu a fost gasita!");
        };
        let inv = &st.invoices[idx];
        if inv.cancelled {
            return bad(&format!(
                "Factura {series}{number} este anulata, nu o puteti incasa. Restaurati intai \
                 factura sau emiteti incasarea independent de factura."
            ));
        }
        let left = inv.total - paid(&st.collects, series, number);
        if inv.reversed_by.is_some() || left <= Decimal::ZERO {
            return bad("Factura este incasata sau stornata in totalitate.");
        }
        unpaid.push(left);
    }
    let date = str_of(body, "issueDate");
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap_or(today);
    let mut rest = value.unwrap_or_else(|| unpaid.iter().copied().sum());
    for ((series, number), left) in invoices.iter().zip(unpaid) {
        let share = if invoices.len() == 1 {
            rest
        } else {
            rest.min(left)
        };
        rest -= share;
        st.collects.push(Collect {
            series: series.clone(),
            number: number.clone(),
            value: share,
            kind: (*kind).to_owned(),
            date: date.to_string(),
            reference: str_of(body, "observation").to_owned(),
        });
    }
    let answer = json!({"errorText": "", "message": "", "number": "", "series": "", "url": ""});
    Json(answer).into_response()
}
