//! What the spec says of an invoice's `client` and `products[]` before anything is issued (its
//! "Client" and "Produse, TVA si discounturi" error tables, booleans as `true`/`false` or
//! `1`/`0`), and the total a document comes to, with VAT, as `paymentstatus` reports it.

use rust_decimal::Decimal;
use serde_json::Value;

/// A boolean field as the spec's format rules allow it: `true`/`false` or `1`/`0`.
pub fn flag(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_u64() == Some(1),
        _ => false,
    }
}

pub fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The spec's checks on `client` and `products[]` (its "Client" and "Produse, TVA si
/// discounturi" error tables), in the order a document is read.
pub fn check_lines(body: &Value, products: &[Value]) -> Result<(), String> {
    let client = body.get("client").filter(|c| c.is_object());
    if client.and_then(|c| text(c, "country")).is_none() {
        return Err("tara trebuie specificata".into());
    }
    if client.and_then(|c| text(c, "name")).is_none() {
        return Err("Client invalid!".into());
    }
    if products.is_empty() {
        return Err(
            "invoiceProducts trebuie specificat si trebuie sa contina cel putin un element".into(),
        );
    }
    for p in products {
        if text(p, "name").is_none() {
            return Err("name trebuie specificat pentru fiecare produs".into());
        }
        if text(p, "measuringUnitName").is_none() {
            return Err("measuringUnitName trebuie specificat pentru fiecare produs".into());
        }
        let name = text(p, "name").unwrap_or_default();
        if flag(p, "isDiscount") {
            let kind = p.get("discountType").and_then(Value::as_u64).unwrap_or(2);
            if kind == 1 && p.get("discountValue").is_none() {
                return Err(
                    "discountValue trebuie specificat pentru fiecare produs de tip discount".into(),
                );
            }
            if kind == 2 && p.get("discountPercentage").is_none() {
                return Err("Trebuie sa introduceti valoarea procentului!".into());
            }
        } else if p.get("taxPercentage").is_none() {
            return Err(format!(
                "Trebuie sa setezi o cota tva pentru produsul {name}"
            ));
        }
    }
    if products.iter().all(|p| flag(p, "isDiscount")) {
        return Err(
            "Nu poti sa emiti un document care contine doar un discount. Trebuie sa ai \
                    si produse / servicii adaugate."
                .into(),
        );
    }
    Ok(())
}

/// The document's total with VAT, as `paymentstatus` reports it: each line's price × quantity
/// (VAT added when `isTaxIncluded` is false), a value discount's (negative) `discountValue`,
/// a percentage discount on the `numberOfItems` lines above it; rounded to bani.
pub fn total_of(products: &[Value]) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    let mut amounts: Vec<Decimal> = Vec::new();
    for p in products {
        let tax = p.get("taxPercentage").map(decimal).unwrap_or_default();
        let gross = |net: Decimal| {
            if flag(p, "isTaxIncluded") {
                net
            } else {
                net * (hundred + tax) / hundred
            }
        };
        let amount = if flag(p, "isDiscount") {
            match p.get("discountType").and_then(Value::as_u64).unwrap_or(2) {
                1 => gross(p.get("discountValue").map(decimal).unwrap_or_default()),
                _ => {
                    let items = p.get("numberOfItems").and_then(Value::as_u64).unwrap_or(1);
                    let above: Decimal = amounts
                        .iter()
                        .rev()
                        .take(usize::try_from(items).unwrap_or(usize::MAX))
                        .sum();
                    let pct = p.get("discountPercentage").map(decimal).unwrap_or_default();
                    -(above * pct / hundred)
                }
            }
        } else {
            let q = p.get("quantity").map(decimal).unwrap_or_default();
            let price = p.get("price").map(decimal).unwrap_or_default();
            gross(q * price)
        };
        amounts.push(amount);
    }
    amounts.iter().copied().sum::<Decimal>().round_dp(2)
}

/// A JSON number as a decimal read from its text, not converted from `f64` (integers beyond
/// 2^53 stay exact; sums of lines are decimal sums).
pub fn decimal(v: &Value) -> Decimal {
    match v {
        Value::Number(_) => crate::wire::decimal(v).unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}
