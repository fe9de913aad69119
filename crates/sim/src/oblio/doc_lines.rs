//! What a posted Oblio document's products say: what each line discharges from which management
//! of the `workStation` (refused when the management or the stock is not there), the document's
//! total with VAT after its discount lines, and its product lines; and the partial storno's
//! check that it reverses no more of a product than the invoice still carries.

use rust_decimal::Decimal;
use serde_json::Value;

use super::docs::{flag, s};
use super::model::{Discharge, Doc, OblioState, WORK_STATION};
use crate::wire::decimal;

/// A document's discharges, total with VAT and product lines' (code, quantity).
pub(super) type Lines = (Vec<Discharge>, Decimal, Vec<(String, Decimal)>);

/// The documents that partially reverse document `idx`.
pub(super) fn stornos_of(st: &OblioState, idx: usize) -> impl Iterator<Item = &Doc> {
    let (series, number) = (&st.docs[idx].series, &st.docs[idx].number);
    st.docs.iter().filter(move |d| {
        &d.series == series && d.storno_of.as_ref() == Some(number) && !d.cancelled
    })
}

/// A partial storno reverses no more of a product than the invoice still carries (its
/// quantity less the earlier partial stornos), and only products the invoice has.
pub(super) fn check_partial(
    st: &OblioState,
    idx: usize,
    items: &[(String, Decimal)],
) -> Result<(), String> {
    for (code, q) in items {
        if *q >= Decimal::ZERO {
            return Err(format!(
                "Cantitatea produsului {code} trebuie sa fie negativa la stornare"
            ));
        }
        if code.is_empty() {
            // A service (shipping) line is credited by value.
            continue;
        }
        let sum =
            |d: &Doc| -> Decimal { d.items.iter().filter(|i| &i.0 == code).map(|i| i.1).sum() };
        let invoiced = sum(&st.docs[idx]);
        let gone: Decimal = stornos_of(st, idx).map(sum).sum();
        let asked: Decimal = items.iter().filter(|i| &i.0 == code).map(|i| i.1).sum();
        if invoiced + gone + asked < Decimal::ZERO {
            return Err(format!(
                "Cantitatea stornata pentru produsul {code} depaseste cantitatea facturata"
            ));
        }
    }
    Ok(())
}

/// The products of a new invoice (or, `storno`, of a partial storno, whose client is the
/// referenced invoice's): what they discharge (from the document's `workStation`, default
/// "Sediu"; a negative quantity puts it back), the document's total with VAT and the product
/// lines' (code, quantity).
pub(super) fn lines(st: &OblioState, v: &Value, storno: bool) -> Result<Lines, String> {
    if !storno
        && v.pointer("/client/name")
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
    let ws = Some(s(v, "workStation"))
        .filter(|w| !w.is_empty())
        .unwrap_or(WORK_STATION);
    let use_stock = flag(v, "useStock");
    let mut discharges: Vec<Discharge> = Vec::new();
    let mut amounts: Vec<Decimal> = Vec::new();
    let mut items = Vec::new();
    for p in &products {
        let name = s(p, "name");
        if let Some(off) = p.get("discount").and_then(decimal) {
            let above = amounts.last().copied().unwrap_or_default();
            let cut = if s(p, "discountType") == "procentual" {
                above * off / Decimal::ONE_HUNDRED
            } else {
                off
            };
            amounts.push(-cut);
            continue;
        }
        let qty = p.get("quantity").and_then(decimal).unwrap_or(Decimal::ONE);
        let price = p.get("price").and_then(decimal).unwrap_or_default();
        let vat = p.get("vatPercentage").and_then(decimal).unwrap_or_default();
        let included = p.get("vatIncluded").is_none() || flag(p, "vatIncluded");
        let net = price * qty;
        amounts.push(if included {
            net
        } else {
            net * (Decimal::ONE_HUNDRED + vat) / Decimal::ONE_HUNDRED
        });
        items.push((s(p, "code").to_owned(), qty));
        let Some(m) = p
            .get("management")
            .and_then(Value::as_str)
            .filter(|_| use_stock)
        else {
            continue;
        };
        if !st.has_management(ws, m) {
            return Err(format!("Gestiunea {m} nu exista in punctul de lucru {ws}"));
        }
        let code = s(p, "code");
        let have = st.products.get(code).and_then(|x| x.quantity(ws, m));
        let Some(have) = have else {
            return Err(format!("Produsul {name} nu exista in gestiunea {m}"));
        };
        let taken: Decimal = discharges
            .iter()
            .filter(|d| d.management == m && d.code == code)
            .map(|d| d.quantity)
            .sum();
        if qty > Decimal::ZERO && qty + taken > have {
            return Err(format!(
                "Stoc insuficient pentru produsul {name} in gestiunea {m} (disponibil {have})"
            ));
        }
        discharges.push(Discharge {
            work_station: ws.to_owned(),
            management: m.to_owned(),
            code: code.to_owned(),
            quantity: qty,
        });
    }
    let total = amounts.iter().copied().sum::<Decimal>().round_dp(2);
    Ok((discharges, total, items))
}
