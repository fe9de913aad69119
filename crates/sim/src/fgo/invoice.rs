//! `/factura/emitere` (client checked by [`super::client`]; lines discharge stock from
//! `CodGestiune`; `VerificareDuplicat` + `IdExtern` return the existing invoice; `InfoStoc`
//! inside `Factura`, where FGO's public PHP SDK reads it), `/factura/stornare`, `/anulare` and
//! `/stergere`. A line's value is `PretTotal` (VAT included) signed by `NrProduse`: a discount
//! is `NrProduse` -1 with a positive `PretTotal`; a negative `PretTotal` is refused (with a
//! negative `NrProduse` its sign would be ambiguous).

use axum::Json;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::fail;
use super::model::{FgoState, Invoice};
use crate::wire::{decimal, number};

fn link(series: &str, number: &str) -> String {
    format!("https://testapp.fgo.ro/factura/{series}{number}.pdf")
}

pub fn doc(series: &str, number: &str) -> Value {
    json!({"Numar": number, "Serie": series, "Link": link(series, number), "LinkPlata": ""})
}

pub fn issue(st: &mut FgoState, v: &Value) -> Response {
    for field in ["Valuta", "TipFactura", "Serie"] {
        if v.get(field)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return fail(&format!("Parametrul {field} este obligatoriu."));
        }
    }
    let series = v["Serie"].as_str().unwrap_or_default().to_owned();
    let Some(next) = st.series.get(&series).copied() else {
        return fail(&format!(
            "Registrul pentru seria {series} nu este definit sau a expirat."
        ));
    };
    if let Err(msg) = super::client::check(v) {
        return fail(&msg);
    }
    let external = v.get("IdExtern").and_then(Value::as_str).map(str::to_owned);
    if v.get("VerificareDuplicat").and_then(Value::as_bool) == Some(true)
        && let Some(id) = &external
        && let Some(prev) = st
            .invoices
            .iter()
            .find(|i| i.external_id.as_ref() == Some(id))
    {
        let msg = format!(
            "Factura {}{} exista deja salvata.",
            prev.series, prev.number
        );
        let body =
            json!({"Success": false, "Message": msg, "Factura": doc(&prev.series, &prev.number)});
        return Json(body).into_response();
    }
    let lines = v
        .get("Continut")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if lines.is_empty() {
        return fail("Factura trebuie sa contina cel putin un articol (Continut).");
    }
    let mut discharges: Vec<(String, String, Decimal)> = Vec::new();
    let mut total = Decimal::ZERO;
    for (i, l) in lines.iter().enumerate() {
        let qty = l.get("NrProduse").and_then(decimal).unwrap_or_default();
        if qty.is_zero() {
            return fail(&format!(
                "Parametrul Continut[{i}][NrProduse] trebuie sa fie diferit de 0."
            ));
        }
        if l.get("UM")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return fail(&format!("Parametrul Continut[{i}][UM] este obligatoriu."));
        }
        let vat_is_int = l.get("CotaTVA").is_some_and(|c| c.is_i64() || c.is_u64());
        if !vat_is_int {
            return fail(&format!(
                "Valoarea parametrului Continut[{i}][CotaTVA] nu este valida."
            ));
        }
        if l.get("PretUnitar").is_some() == l.get("PretTotal").is_some() {
            return fail(&format!(
                "Transmiteti fie Continut[{i}][PretUnitar], fie Continut[{i}][PretTotal]."
            ));
        }
        let vat = l.get("CotaTVA").and_then(decimal).unwrap_or_default();
        match (
            l.get("PretTotal").and_then(decimal),
            l.get("PretUnitar").and_then(decimal),
        ) {
            (Some(t), _) if t < Decimal::ZERO => {
                return fail(&format!(
                    "Valoarea parametrului Continut[{i}][PretTotal] nu este valida."
                ));
            }
            (Some(t), _) => total += if qty < Decimal::ZERO { -t } else { t },
            // Classic calculation: a net unit price, VAT added.
            (None, Some(u)) => {
                total += u * qty * (Decimal::ONE_HUNDRED + vat) / Decimal::ONE_HUNDRED;
            }
            (None, None) => {}
        }
        let Some(wh) = l.get("CodGestiune").and_then(Value::as_str) else {
            continue;
        };
        if !st.warehouses.contains_key(wh) {
            return fail(&format!(
                "Valoarea {wh} asociata parametrului Continut[{i}][CodGestiune] nu a fost identificata."
            ));
        }
        let code = l
            .get("CodArticol")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(article) = st.articles.get(code) else {
            return fail(&format!(
                "Articolul cu codul {code} nu a fost gasit in gestiunea {wh}."
            ));
        };
        let have = article.stock.get(wh).copied().unwrap_or_default();
        let taken: Decimal = discharges
            .iter()
            .filter(|d| d.0 == wh && d.1 == code)
            .map(|d| d.2)
            .sum();
        if qty > Decimal::ZERO && qty + taken > have {
            return fail(&format!(
                "Stoc insuficient pentru articolul {code} in gestiunea {wh} (disponibil {have})."
            ));
        }
        discharges.push((wh.to_owned(), code.to_owned(), qty));
    }
    let mut info = Vec::new();
    for (wh, code, qty) in &discharges {
        if let Some(a) = st.articles.get_mut(code) {
            *a.stock.entry(wh.clone()).or_default() -= *qty;
            let total: Decimal = a.stock.values().copied().sum();
            info.push(json!({"CodConta": code, "Nume": a.name, "Stoc": number(total)}));
        }
    }
    let numar = format!("{next:03}");
    st.series.insert(series.clone(), next + 1);
    st.invoices.push(Invoice {
        series: series.clone(),
        number: numar.clone(),
        external_id: external,
        cancelled: false,
        storno_of: None,
        reversed: false,
        discharges,
        total: total.round_dp(2),
    });
    let mut factura = doc(&series, &numar);
    if !info.is_empty() {
        factura["InfoStoc"] = json!(info);
    }
    Json(json!({"Success": true, "Message": "", "Factura": factura})).into_response()
}

pub fn find(st: &FgoState, v: &Value) -> Option<usize> {
    let (series, number) = (
        v.get("Serie").and_then(Value::as_str)?,
        v.get("Numar").and_then(Value::as_str)?,
    );
    st.invoices
        .iter()
        .position(|i| i.series == series && i.number == number)
}

fn restock(st: &mut FgoState, idx: usize) {
    for (wh, code, qty) in st.invoices[idx].discharges.clone() {
        if let Some(a) = st.articles.get_mut(&code) {
            *a.stock.entry(wh).or_default() += qty;
        }
    }
}

pub fn storno(st: &mut FgoState, v: &Value) -> Response {
    let Some(idx) = find(st, v) else {
        return fail("Factura nu a fost gasita.");
    };
    let inv = &st.invoices[idx];
    if inv.cancelled || inv.reversed || inv.storno_of.is_some() {
        return fail("Factura nu poate fi stornata (este anulata, stornata sau este o stornare).");
    }
    let series = v
        .get("SerieStorno")
        .and_then(Value::as_str)
        .unwrap_or(&inv.series)
        .to_owned();
    let Some(next) = st.series.get(&series).copied() else {
        return fail(&format!(
            "Registrul pentru seria {series} nu este definit sau a expirat."
        ));
    };
    let numar = format!("{next:03}");
    st.series.insert(series.clone(), next + 1);
    restock(st, idx);
    st.invoices[idx].reversed = true;
    let of = st.invoices[idx].number.clone();
    let total = -st.invoices[idx].total;
    st.invoices.push(Invoice {
        series: series.clone(),
        number: numar.clone(),
        external_id: None,
        cancelled: false,
        storno_of: Some(of),
        reversed: false,
        discharges: Vec::new(),
        total,
    });
    Json(json!({"Success": true, "Message": "", "Factura": doc(&series, &numar)})).into_response()
}

pub fn cancel(st: &mut FgoState, v: &Value) -> Response {
    let Some(idx) = find(st, v) else {
        return fail("Factura nu a fost gasita.");
    };
    if st.invoices[idx].cancelled {
        return fail("Factura este deja anulata.");
    }
    st.invoices[idx].cancelled = true;
    restock(st, idx);
    Json(json!({"Success": true, "Message": "Factura a fost anulata."})).into_response()
}

pub fn delete(st: &mut FgoState, v: &Value) -> Response {
    let Some(idx) = find(st, v) else {
        return fail("Factura nu a fost gasita.");
    };
    let series = st.invoices[idx].series.clone();
    if st.invoices.iter().rposition(|i| i.series == series) != Some(idx) {
        return fail("Factura nu poate fi stearsa deoarece nu este ultima din serie.");
    }
    if !st.invoices[idx].cancelled {
        restock(st, idx);
    }
    st.invoices.remove(idx);
    if let Some(n) = st.series.get_mut(&series) {
        *n = n.saturating_sub(1).max(1);
    }
    Json(json!({"Success": true, "Message": "Factura a fost stearsa"})).into_response()
}
