//! `POST /factura/incasare` [FGO-V7] (billing-apis.md 3.4; public clients send the same
//! fields): `NumarFactura`, `SerieFactura`, `TipIncasare` (the `tipincasare` nomenclature:
//! Banca / Retur Casa / Bon / Chitanta), `SumaIncasata` and `DataIncasare` (`yyyy-mm-dd
//! hh:mm:ss`), hashed by `NumarFactura`. FGO's docs give no error texts for this call: an
//! unknown invoice answers "Factura nu exista." as the other invoice calls do, and a cancelled
//! invoice or one already paid in full is refused (the safest reading; our texts).

use axum::Json;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::fail;
use super::model::FgoState;
use crate::collects::{Collect, paid};

const TYPES: [&str; 4] = ["Banca", "Retur Casa", "Bon", "Chitanta"];

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

pub fn collect(st: &mut FgoState, v: &Value) -> Response {
    let (series, number) = (text(v, "SerieFactura"), text(v, "NumarFactura"));
    let Some(idx) = st
        .invoices
        .iter()
        .position(|i| i.series == series && i.number == number)
    else {
        return fail("Factura nu exista.");
    };
    let kind = text(v, "TipIncasare");
    if !TYPES.contains(&kind) {
        return fail(&format!("Tipul de incasare {kind} nu este valid."));
    }
    let sum = v.get("SumaIncasata").and_then(crate::wire::decimal);
    let Some(sum) = sum.filter(|s| *s > Decimal::ZERO) else {
        return fail("SumaIncasata trebuie sa fie un numar pozitiv (XXXX.XX).");
    };
    let date = text(v, "DataIncasare");
    if NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M:%S").is_err() {
        return fail("DataIncasare trebuie sa fie de forma yyyy-mm-dd hh:mm:ss.");
    }
    let inv = &st.invoices[idx];
    if inv.cancelled || inv.reversed {
        return fail("Factura este anulata sau stornata.");
    }
    if inv.total - paid(&st.collects, series, number) <= Decimal::ZERO {
        return fail("Factura este deja incasata.");
    }
    st.collects.push(Collect {
        series: series.to_owned(),
        number: number.to_owned(),
        value: sum,
        kind: kind.to_owned(),
        date: date.to_owned(),
        reference: String::new(),
    });
    Json(json!({"Success": true, "Message": ""})).into_response()
}
