//! `PUT /api/docs/invoice/collect` [OB-DOC] `#docs_collect`: `cif`, `seriesName`, `number` and
//! `collect{type, seriesName, documentNumber, value, issueDate, mentions}`; `type` is one of
//! the docs' list, `seriesName` is needed for a `Chitanta` and `documentNumber` for any other
//! type, `value` defaults to what is left to collect; the answer is the document with all its
//! `collects`. Where the docs are silent (an unknown document, a cancelled or reversed one, one
//! already collected in full) the simulator refuses, the safest reading: Oblio's view answers an
//! unknown document "Documentul nu a fost gasit", the others get plain texts of ours.

use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::docs::{find_doc, link};
use super::model::OblioState;
use super::{fail, success};
use crate::collects::{Collect, paid};

const TYPES: [&str; 11] = [
    "Chitanta",
    "Bon fiscal",
    "Bon fiscal card",
    "Alta incasare numerar",
    "Ordin de plata",
    "Mandat postal",
    "Card",
    "CEC",
    "Bilet ordin",
    "Alta incasare banca",
    "Ramburs",
];

fn bad(text: &str) -> Response {
    fail(StatusCode::BAD_REQUEST, text)
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A string or a number, as text (Oblio takes both for numbers).
fn any_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

pub fn collect(st: &mut OblioState, v: &Value, today: &str) -> Response {
    if text(v, "cif") != st.cif {
        return bad("Nu aveti acces la firma cu acest cif");
    }
    let Some(idx) = find_doc(st, text(v, "seriesName"), &any_text(v.get("number"))) else {
        return bad("Documentul nu a fost gasit");
    };
    let Some(c) = v.get("collect").filter(|c| c.is_object()) else {
        return bad("Parametrul collect este obligatoriu");
    };
    let kind = text(c, "type");
    if !TYPES.contains(&kind) {
        return bad("Tipul incasarii nu este valid");
    }
    if kind == "Chitanta" && text(c, "seriesName").is_empty() {
        return bad("Seria chitantei este obligatorie");
    }
    if kind != "Chitanta" && any_text(c.get("documentNumber")).is_empty() {
        return bad("Numarul documentului de incasare este obligatoriu");
    }
    let d = &st.docs[idx];
    if d.cancelled || d.reversed {
        return bad("Factura este anulata sau stornata si nu poate fi incasata");
    }
    let (series, number) = (d.series.clone(), d.number.clone());
    let left = d.total - paid(&st.collects, &series, &number);
    if left <= Decimal::ZERO {
        return bad("Factura este deja incasata integral");
    }
    let value = c
        .get("value")
        .and_then(crate::wire::decimal)
        .unwrap_or(left);
    let date = Some(text(c, "issueDate"))
        .filter(|d| !d.is_empty())
        .unwrap_or(today);
    st.collects.push(Collect {
        series: series.clone(),
        number: number.clone(),
        value,
        kind: kind.to_owned(),
        date: date.to_owned(),
        reference: any_text(c.get("documentNumber")),
    });
    let collects: Vec<Value> = st
        .collects
        .iter()
        .filter(|c| c.series == series && c.number == number)
        .map(|c| {
            json!({"issueDate": c.date, "type": c.kind, "number": c.reference,
            "value": crate::wire::number(c.value)})
        })
        .collect();
    success(
        "",
        json!({"documentType": "Factura", "seriesName": series, "number": number,
            "link": link(&series, &number), "collects": collects}),
    )
}
