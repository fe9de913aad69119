//! The documents a client posted to a billing simulator, read back from its request log: the
//! path each service issues invoices and credit documents on, every JSON body posted there, and
//! a document's lines in each service's own field names. Tests of the billing clients and of
//! the engine check what was sent with these, so both read SmartBill's, Oblio's and FGO's
//! bodies the same way.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::{ServiceKind, SimServer};

/// One posted line: product code, quantity, unit price and VAT rate, as the body says them.
pub type PostedLine = (String, Decimal, Decimal, Decimal);

/// The path (below the service's base) invoices and credit documents are posted to.
#[must_use]
pub fn issue_path(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::SmartBill => "/invoice/v2",
        ServiceKind::Oblio => "/docs/invoice",
        _ => "/factura/emitere",
    }
}

/// Every JSON body POSTed to `path` (below the service's base) on `sim`, oldest first.
///
/// # Panics
/// When a body posted there is not JSON (every billing document is).
#[must_use]
pub fn posted_bodies(sim: &SimServer, path: &str) -> Vec<Value> {
    let full = format!("{}{path}", sim.base_path());
    sim.observer()
        .log()
        .into_iter()
        .filter(|r| r.path == full && r.method == "POST")
        .map(|r| serde_json::from_str(&r.body).expect("JSON body"))
        .collect()
}

/// A number as the body writes it, text or number; anything else is zero.
fn number(x: &Value) -> Decimal {
    match x {
        Value::String(s) => s.parse().unwrap_or_default(),
        other => other.to_string().parse().unwrap_or_default(),
    }
}

/// The lines of a document body `kind`'s client posted, in the service's own field names; a
/// line without a quantity (a value discount) is left out. FGO's `PretTotal` is the line's
/// total, so its unit price is the total over the units.
///
/// # Panics
/// When the body has no list of lines.
#[must_use]
pub fn document_lines(kind: ServiceKind, body: &Value) -> Vec<PostedLine> {
    let (list, code, qty, price, rate) = match kind {
        ServiceKind::SmartBill => ("products", "code", "quantity", "price", "taxPercentage"),
        ServiceKind::Oblio => ("products", "code", "quantity", "price", "vatPercentage"),
        _ => (
            "Continut",
            "CodArticol",
            "NrProduse",
            "PretTotal",
            "CotaTVA",
        ),
    };
    body[list]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l.get(qty).is_some())
        .map(|l| {
            let q = number(&l[qty]);
            let p = if kind == ServiceKind::Fgo {
                number(&l[price]) / q.abs()
            } else {
                number(&l[price])
            };
            let c = l[code].as_str().unwrap_or_default().to_owned();
            (c, q, p, number(&l[rate]))
        })
        .collect()
}
