//! `POST /api/docs/invoice` (stock discharge with `useStock` + per-line `management`,
//! `idempotencyKey`, storno through `referenceDocument`), cancel and delete (last in series).

use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::model::{Doc, OblioState};
use super::{fail, success};
use crate::wire::decimal;

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn flag(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => s == "1",
        _ => false,
    }
}

fn link(series: &str, number: &str) -> String {
    format!("https://www.oblio.eu/utils/show_file/?ic=sim&id={series}{number}&it=1")
}

pub fn issue(st: &mut OblioState, v: &Value) -> Response {
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
    let r = create(st, v);
    if let (Ok(data), Some(k)) = (&r, key) {
        st.idempotency.insert(k, (fingerprint, data.clone()));
    }
    match r {
        Ok(data) => success("Success", data),
        Err(msg) => fail(StatusCode::BAD_REQUEST, &msg),
    }
}

fn create(st: &mut OblioState, v: &Value) -> Result<Value, String> {
    if s(v, "cif") != st.cif {
        return Err("Nu aveti acces la firma cu acest cif".into());
    }
    let series = s(v, "seriesName").to_owned();
    let Some(next) = st.series.get(&series).copied() else {
        return Err(format!("Seria {series} nu exista"));
    };
    let reference = v.get("referenceDocument");
    let mut discharges = Vec::new();
    let mut storno_of = None;
    if let Some(r) = reference {
        let idx = st
            .docs
            .iter()
            .position(|d| d.series == s(r, "seriesName") && d.number == s(r, "number"));
        let Some(idx) = idx.filter(|_| s(r, "type") == "Factura") else {
            return Err("Documentul de referinta nu a fost gasit".into());
        };
        if st.docs[idx].reversed || st.docs[idx].cancelled {
            return Err("Factura de referinta este deja stornata sau anulata".into());
        }
        for (m, code, q) in st.docs[idx].discharges.clone() {
            discharges.push((m, code, -q));
        }
        st.docs[idx].reversed = true;
        storno_of = Some(st.docs[idx].number.clone());
    } else {
        if v.pointer("/client/name")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err("Numele clientului este obligatoriu".into());
        }
        let products = v
            .get("products")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if products.is_empty() {
            return Err("Documentul trebuie sa contina cel putin un produs".into());
        }
        let use_stock = flag(v, "useStock");
        for p in &products {
            let name = s(p, "name");
            let Some(m) = p
                .get("management")
                .and_then(Value::as_str)
                .filter(|_| use_stock)
            else {
                continue;
            };
            if !st.managements.iter().any(|x| x == m) {
                return Err(format!("Gestiunea {m} nu exista"));
            }
            let code = s(p, "code");
            let have = st.products.get(code).and_then(|x| x.stock.get(m)).copied();
            let Some(have) = have else {
                return Err(format!("Produsul {name} nu exista in gestiunea {m}"));
            };
            let qty = p.get("quantity").and_then(decimal).unwrap_or(Decimal::ONE);
            let taken: Decimal = discharges
                .iter()
                .filter(|d| d.0 == m && d.1 == code)
                .map(|d| d.2)
                .sum();
            if qty + taken > have {
                return Err(format!(
                    "Stoc insuficient pentru produsul {name} in gestiunea {m} (disponibil {have})"
                ));
            }
            discharges.push((m.to_owned(), code.to_owned(), qty));
        }
    }
    for (m, code, q) in &discharges {
        if let Some(p) = st.products.get_mut(code) {
            *p.stock.entry(m.clone()).or_default() -= *q;
        }
    }
    let number = format!("{next:04}");
    st.series.insert(series.clone(), next + 1);
    st.docs.push(Doc {
        series: series.clone(),
        number: number.clone(),
        cancelled: false,
        storno_of,
        reversed: false,
        discharges,
    });
    Ok(json!({"seriesName": series, "number": number, "link": link(&series, &number)}))
}

fn find(st: &OblioState, v: &Value) -> Option<usize> {
    st.docs
        .iter()
        .position(|d| d.series == s(v, "seriesName") && d.number == s(v, "number"))
}

fn restock(st: &mut OblioState, idx: usize) {
    for (m, code, q) in st.docs[idx].discharges.clone() {
        if let Some(p) = st.products.get_mut(&code) {
            *p.stock.entry(m).or_default() += q;
        }
    }
}

pub fn cancel(st: &mut OblioState, v: &Value) -> Response {
    let Some(idx) = find(st, v).filter(|_| s(v, "cif") == st.cif) else {
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
    let Some(idx) = find(st, v).filter(|_| s(v, "cif") == st.cif) else {
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
