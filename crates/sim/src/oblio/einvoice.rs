//! Oblio's e-Factura (SPV) as its API shows it [OB-DOC]: `POST /api/docs/einvoice` (`cif`,
//! `seriesName`, `number`) uploads a document and answers `data{text, sent, code}`; the list's
//! `withEinvoiceStatus=1` adds `einvoice` and `einvoiceStatus{text, sent, code}` to each row.
//! Codes: -1 not sent, 0 in processing, 1 sent and validated, 2 errors. ANAF's verdict comes
//! from outside the API, so the control route `/_sim/oblio/einvoice` plays ANAF: it moves a
//! document in processing to validated (1) or to errors (2, with ANAF's message).
//!
//! Where the docs are silent (see crates/sim/README.md, "e-Factura"), the safer behaviour is
//! modelled: a document already in processing or validated, or cancelled, is not uploaded
//! again (400); one with errors may be uploaded again (after the merchant corrected it); the
//! upload counts in the document group's window (30 / 100 s), the stricter of the two.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::{Value, json};

use super::docs::find_doc;
use super::model::OblioState;
use super::{Oblio, Q, admit, fail, merged, success};

/// A document's SPV state (absent from the state's map: never sent, code -1).
#[derive(Clone, Debug, Serialize)]
pub struct EInvoice {
    pub code: i8,
    pub text: String,
}

const NOT_SENT: &str = "Factura nu a fost trimisa in SPV";
const PROCESSING: &str = "Factura este in curs de procesare in SPV";
const VALIDATED: &str = "Factura a fost validata de ANAF";

/// `einvoiceStatus` of the document with id `id`.
pub fn status_of(st: &OblioState, id: u64) -> Value {
    let (code, text) = st
        .einvoice
        .get(&id)
        .map_or((-1, NOT_SENT.to_owned()), |e| (e.code, e.text.clone()));
    json!({"text": text, "sent": if code >= 0 { 1 } else { 0 }, "code": code})
}

/// `POST /api/docs/einvoice`.
pub async fn send(
    State(sim): State<Oblio>,
    headers: HeaderMap,
    Query(q): Q,
    body: Bytes,
) -> Response {
    if let Some(r) = admit(&sim, &headers, true) {
        return r;
    }
    let v = merged(&headers, &body, &q);
    let get = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default();
    let mut st = sim.lock();
    if get("cif") != st.cif {
        return fail(
            StatusCode::BAD_REQUEST,
            "Nu aveti acces la firma cu acest cif",
        );
    }
    let Some(idx) = find_doc(&st, get("seriesName"), get("number")) else {
        return fail(StatusCode::BAD_REQUEST, "Documentul nu a fost gasit");
    };
    let doc = &st.docs[idx];
    if doc.cancelled {
        return fail(StatusCode::BAD_REQUEST, "Factura este anulata");
    }
    let id = doc.id;
    match st.einvoice.get(&id).map(|e| e.code) {
        Some(0) => return fail(StatusCode::BAD_REQUEST, PROCESSING),
        Some(1) => {
            return fail(
                StatusCode::BAD_REQUEST,
                "Factura a fost deja trimisa in SPV",
            );
        }
        _ => {}
    }
    st.einvoice.insert(
        id,
        EInvoice {
            code: 0,
            text: PROCESSING.into(),
        },
    );
    success("Factura a fost trimisa in SPV", status_of(&st, id))
}

/// Control: ANAF's verdict on a document in processing, `{seriesName, number, code: 1|2,
/// text}`. 409 when the document is not in processing (ANAF judges only what it received).
pub async fn verdict(State(sim): State<Oblio>, Json(v): Json<Value>) -> Response {
    let get = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default();
    let code = v.get("code").and_then(Value::as_i64).unwrap_or(-9);
    let mut st = sim.lock();
    let Some(idx) = find_doc(&st, get("seriesName"), get("number")) else {
        return fail(StatusCode::NOT_FOUND, "no such document");
    };
    let id = st.docs[idx].id;
    if st.einvoice.get(&id).map(|e| e.code) != Some(0) {
        return fail(StatusCode::CONFLICT, "the document is not in processing");
    }
    let text = match code {
        1 => VALIDATED.to_owned(),
        2 => get("text").to_owned(),
        _ => return fail(StatusCode::BAD_REQUEST, "code must be 1 or 2"),
    };
    st.einvoice.insert(
        id,
        EInvoice {
            code: i8::try_from(code).unwrap_or(2),
            text,
        },
    );
    success("ok", status_of(&st, id))
}
