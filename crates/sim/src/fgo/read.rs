//! FGO's reads of the account: `/factura/print` (the PDF link of an invoice) and
//! `/factura/getstatus` (its value, what is paid and each collection's sum and date), hashed by the number like every invoice
//! operation, answering "Factura nu exista." for an unknown series and number; and
//! `POST /nomenclator/serii`, the account's document series (authenticated, so not among the
//! public nomenclatures; a public TS FGO client lists it, and FGO's v7 page tells integrators
//! to define series in Setari → Serii documente).

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::fail;
use super::invoice::{doc, find};
use super::model::FgoState;
use crate::wire::number;

const MISSING: &str = "Factura nu exista.";

pub fn print(st: &FgoState, v: &Value) -> Response {
    let Some(idx) = find(st, v) else {
        return fail(MISSING);
    };
    let i = &st.invoices[idx];
    Json(json!({"Success": true, "Message": "", "Factura": doc(&i.series, &i.number)}))
        .into_response()
}

pub fn status(st: &FgoState, v: &Value) -> Response {
    let Some(idx) = find(st, v) else {
        return fail(MISSING);
    };
    let i = &st.invoices[idx];
    let value = format!("{:.2}", i.total);
    let paid = crate::collects::paid(&st.collects, &i.series, &i.number);
    let collects: Vec<Value> = st
        .collects
        .iter()
        .filter(|c| c.series == i.series && c.number == i.number)
        .map(|c| json!({"SumaIncasata": number(c.value), "DataIncasare": c.date, "Valuta": "RON"}))
        .collect();
    Json(
        json!({"Success": true, "Message": "", "Factura": {"Numar": i.number, "Serie": i.series,
        "Valoare": value, "ValoareAchitata": format!("{paid:.2}"), "Anulata": i.cancelled,
        "Incasari": collects}}),
    )
    .into_response()
}

pub fn series(st: &FgoState) -> Response {
    let list: Vec<Value> = st
        .series
        .iter()
        .map(|(name, next)| json!({"Serie": name, "TipDocument": "Factura", "UrmatorulNumar": number((*next).into())}))
        .collect();
    Json(json!({"Success": true, "Message": "", "Serii": list})).into_response()
}
