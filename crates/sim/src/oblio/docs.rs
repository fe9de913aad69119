//! `POST /api/docs/invoice` (stock discharge with `useStock` + per-line `management` in the
//! document's `workStation`, `idempotencyKey`, storno through a filled `referenceDocument`:
//! the whole invoice without `products`, its lines at negative quantities with them — the
//! partial storno, restocking a line only with `useStock` and its `management`),
//! cancel and delete (last in series). `number` fields are read as JSON strings or integers
//! (the docs' own storno and cancel examples send integers). A document's lines are read in
//! `doc_lines`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::doc_lines::{check_partial, lines, stornos_of};
use super::model::{Discharge, Doc, OblioState};
use super::{fail, success};

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A document number as sent: `"0053"` or `53`.
pub fn number_of(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(t)) => t.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

pub fn flag(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => s == "1",
        _ => false,
    }
}

pub fn link(series: &str, number: &str) -> String {
    format!("https://www.oblio.eu/utils/show_file/?ic=sim&id={series}{number}&it=1")
}

/// The index of `series` `number`, the number matched as a number when both are digits
/// (`53` finds "0053").
pub fn find_doc(st: &OblioState, series: &str, number: &str) -> Option<usize> {
    let same = |a: &str, b: &str| match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    };
    st.docs
        .iter()
        .position(|d| d.series == series && same(&d.number, number))
}

/// A `referenceDocument` that names a document; `{}` (the docs' own example of a plain
/// invoice sends one) or one without type, series or number is no reference at all.
fn reference(v: &Value) -> Option<&Value> {
    v.get("referenceDocument").filter(|r| {
        !s(r, "type").is_empty()
            || !s(r, "seriesName").is_empty()
            || !number_of(r, "number").is_empty()
    })
}

pub fn issue(st: &mut OblioState, v: &Value, today: &str) -> Response {
    let key = v
        .get("idempotencyKey")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let fingerprint = serde_json::to_string(v).unwrap_or_default();
    if let Some((fp, answer)) = key.as_ref().and_then(|k| st.idempotency.get(k)) {
        if *fp != fingerprint {
            return fail(
                StatusCode::BAD_REQUEST,
                "idempotencyKey a fost folosit pentru alt document",
            );
        }
        return success("Success", answer.clone());
    }
    let r = create(st, v, today);
    if let (Ok(data), Some(k)) = (&r, key) {
        st.idempotency.insert(k, (fingerprint, data.clone()));
    }
    match r {
        Ok(data) => success("Success", data),
        Err(msg) => fail(StatusCode::BAD_REQUEST, &msg),
    }
}

fn create(st: &mut OblioState, v: &Value, today: &str) -> Result<Value, String> {
    if s(v, "cif") != st.cif {
        return Err("Nu aveti acces la firma cu acest cif".into());
    }
    let series = s(v, "seriesName").to_owned();
    let Some(next) = st.series.get(&series).copied() else {
        return Err(format!("Seria {series} nu exista"));
    };
    let mut storno_of = None;
    let mut client_name = v
        .pointer("/client/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let partial = v
        .get("products")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    let (discharges, total, items) = match reference(v) {
        Some(r) => {
            let idx = find_doc(st, s(r, "seriesName"), &number_of(r, "number"));
            let Some(idx) = idx.filter(|_| s(r, "type") == "Factura") else {
                return Err("Documentul de referinta nu a fost gasit".into());
            };
            if st.docs[idx].reversed || st.docs[idx].cancelled {
                return Err("Factura de referinta este deja stornata sau anulata".into());
            }
            if st.docs[idx].storno_of.is_some() {
                return Err("Documentul de referinta este o stornare".into());
            }
            client_name.clone_from(&st.docs[idx].client_name);
            storno_of = Some(st.docs[idx].number.clone());
            if partial {
                let (discharges, total, items) = lines(st, v, true)?;
                check_partial(st, idx, &items)?;
                (discharges, total, items)
            } else {
                if stornos_of(st, idx).next().is_some() {
                    return Err(
                        "Factura de referinta are deja stornari partiale; stornati restul pe produse"
                            .into(),
                    );
                }
                let back = st.docs[idx]
                    .discharges
                    .iter()
                    .map(|d| Discharge {
                        quantity: -d.quantity,
                        ..d.clone()
                    })
                    .collect();
                let items = st.docs[idx]
                    .items
                    .iter()
                    .map(|(c, q)| (c.clone(), -*q))
                    .collect();
                st.docs[idx].reversed = true;
                (back, -st.docs[idx].total, items)
            }
        }
        None => lines(st, v, false)?,
    };
    for d in &discharges {
        if let Some(p) = st.products.get_mut(&d.code) {
            p.add(&d.work_station, &d.management, -d.quantity);
        }
    }
    let number = format!("{next:04}");
    st.series.insert(series.clone(), next + 1);
    st.next_doc_id += 1;
    st.docs.push(Doc {
        id: st.next_doc_id,
        series: series.clone(),
        number: number.clone(),
        issue_date: today.to_owned(),
        client_name,
        mentions: s(v, "mentions").into(),
        total,
        use_stock: flag(v, "useStock"),
        cancelled: false,
        storno_of,
        reversed: false,
        discharges,
        items,
    });
    Ok(json!({"seriesName": series, "number": number, "link": link(&series, &number)}))
}

fn restock(st: &mut OblioState, idx: usize) {
    for d in st.docs[idx].discharges.clone() {
        if let Some(p) = st.products.get_mut(&d.code) {
            p.add(&d.work_station, &d.management, d.quantity);
        }
    }
}

fn doc_in(st: &OblioState, v: &Value) -> Option<usize> {
    find_doc(st, s(v, "seriesName"), &number_of(v, "number")).filter(|_| s(v, "cif") == st.cif)
}

pub fn cancel(st: &mut OblioState, v: &Value) -> Response {
    let Some(idx) = doc_in(st, v) else {
        return fail(StatusCode::BAD_REQUEST, "Documentul nu a fost gasit");
    };
    if st.docs[idx].cancelled {
        return fail(StatusCode::BAD_REQUEST, "Documentul este deja anulat");
    }
    st.docs[idx].cancelled = true;
    restock(st, idx);
    let d = &st.docs[idx];
    success(
        "Documentul a fost anulat.",
        json!({"documentType": "Factura", "seriesName": d.series,
        "number": d.number, "link": link(&d.series, &d.number)}),
    )
}

pub fn delete(st: &mut OblioState, v: &Value) -> Response {
    let Some(idx) = doc_in(st, v) else {
        return fail(StatusCode::BAD_REQUEST, "Documentul nu a fost gasit");
    };
    let series = st.docs[idx].series.clone();
    if st.docs.iter().rposition(|d| d.series == series) != Some(idx) {
        return fail(
            StatusCode::BAD_REQUEST,
            "Poate fi sters doar ultimul document din serie",
        );
    }
    if !st.docs[idx].cancelled {
        restock(st, idx);
    }
    let d = st.docs.remove(idx);
    if let Some(n) = st.series.get_mut(&series) {
        *n = n.saturating_sub(1).max(1);
    }
    success(
        "Documentul a fost sters.",
        json!({"documentType": "Factura", "seriesName": d.series, "number": d.number}),
    )
}
