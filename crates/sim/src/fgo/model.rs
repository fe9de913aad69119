//! The simulated FGO account: articles with stock per gestiune (warehouse code), series
//! registers, issued invoices (numbers are zero-padded strings), and per-group call times for
//! the rate limits.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Article {
    pub name: String,
    pub unit: String,
    pub price: Decimal,
    pub vat: u32,
    pub barcode: Option<String>,
    /// gestiune code → stock
    pub stock: BTreeMap<String, Decimal>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Invoice {
    pub series: String,
    pub number: String,
    pub external_id: Option<String>,
    pub cancelled: bool,
    pub storno_of: Option<String>,
    pub reversed: bool,
    /// (gestiune, article code, quantity) discharged.
    pub discharges: Vec<(String, String, Decimal)>,
    /// Total with VAT (`Valoare` of `/factura/getstatus`).
    pub total: Decimal,
}

#[derive(Debug, Serialize)]
pub struct FgoState {
    pub cod_unic: String,
    pub key: String,
    /// gestiune code → name
    pub warehouses: BTreeMap<String, String>,
    pub articles: BTreeMap<String, Article>,
    /// series → next number
    pub series: BTreeMap<String, u32>,
    pub invoices: Vec<Invoice>,
    /// rate-limit group → last admitted call
    pub last_call: BTreeMap<String, DateTime<Utc>>,
    /// rate-limit group → calls refused for coming too soon (a test counter: FGO answers these
    /// with HTTP 200 `Success:false`, so the status counts do not show them).
    pub refused_calls: BTreeMap<String, u64>,
    /// Collections recorded by `/factura/incasare`.
    pub collects: Vec<crate::collects::Collect>,
}

impl FgoState {
    /// The docs' own test credentials, so their hash test vector holds here.
    pub fn new() -> Self {
        Self {
            cod_unic: "2864518".into(),
            key: "1234567890".into(),
            warehouses: BTreeMap::from([("G1".into(), crate::demo::WAREHOUSE.into())]),
            articles: BTreeMap::new(),
            // "PNT" and the docs' own example series "BV"; neither is "FCT".
            series: BTreeMap::from([("PNT".into(), 1), ("BV".into(), 1)]),
            invoices: Vec::new(),
            last_call: BTreeMap::new(),
            refused_calls: BTreeMap::new(),
            collects: Vec::new(),
        }
    }
}

impl Default for FgoState {
    fn default() -> Self {
        Self::new()
    }
}

/// FGO's request hash: uppercase hex SHA-1 of the UTF-8 concatenation, no separators.
pub fn hash(parts: &[&str]) -> String {
    use sha1::{Digest, Sha1};
    let digest = Sha1::digest(parts.concat().as_bytes());
    digest.iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn docs_test_vector() {
        assert_eq!(
            super::hash(&["2864518", "1234567890", "Ionescu Popescu"]),
            "8C3A7726804C121C6933F7D68494B439463996E2"
        );
    }
}
