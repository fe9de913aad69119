//! The simulated SmartBill company: warehouses (gestiuni) with stock kept as dated movements (so
//! `/stocks?date=` answers as of that day), invoice series, VAT rates, issued invoices and the
//! per-token rate-limit window.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// One stock movement (NIR, adjustment, invoice discharge or its reversal).
#[derive(Clone, Debug, Serialize)]
pub struct Movement {
    pub date: NaiveDate,
    pub warehouse: String,
    pub code: String,
    pub quantity: Decimal,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct StockProduct {
    pub name: String,
    pub unit: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Series {
    pub name: String,
    pub kind: String,
    pub next: u32,
    /// Digits of a number, zero-padded ("0007"); 0 writes it plain ("3744"), as the spec's
    /// examples do. A series' format is set in SmartBill Cloud, not through the API.
    pub digits: usize,
}

impl Series {
    /// The number `n` written in this series' format.
    #[must_use]
    pub fn number(&self, n: u32) -> String {
        format!("{n:0width$}", width = self.digits)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Invoice {
    pub series: String,
    pub number: String,
    pub issue_date: NaiveDate,
    pub cancelled: bool,
    pub reversed_by: Option<String>,
    pub storno_of: Option<String>,
    /// (warehouse, code, quantity) discharged by this document.
    pub discharges: Vec<(String, String, Decimal)>,
    /// Total with VAT (`invoiceTotalAmount` of `GET /invoice/paymentstatus`).
    pub total: Decimal,
    pub document_id: u64,
    pub body: serde_json::Value,
}

/// The per-token limit: calls in the last 10 s (sliding) and the block after exceeding it.
/// `started` and `count` mirror the sliding window (oldest call in it, calls in it).
#[derive(Clone, Debug, Serialize)]
pub struct RateWindow {
    pub started: DateTime<Utc>,
    pub count: u32,
    pub blocked_until: Option<DateTime<Utc>>,
    pub calls: crate::rate::Sliding,
    /// Blocks imposed on this token so far (a test counter: the state dump shows it).
    pub blocks: u32,
}

#[derive(Debug, Serialize)]
pub struct SbState {
    pub email: String,
    pub token: String,
    pub cif: String,
    /// warehouse name → type ("en gros" / "en detail")
    pub warehouses: BTreeMap<String, String>,
    /// (warehouse, code) → product as known in that warehouse
    #[serde(serialize_with = "products_as_list")]
    pub products: BTreeMap<(String, String), StockProduct>,
    pub movements: Vec<Movement>,
    pub series: Vec<Series>,
    pub taxes: Vec<(String, u32)>,
    pub invoices: Vec<Invoice>,
    /// Collections recorded on invoices by `POST /payment` with `invoicesList`.
    pub collects: Vec<crate::collects::Collect>,
    pub rate: Option<RateWindow>,
    pub next_document_id: u64,
}

fn products_as_list<S: serde::Serializer>(
    products: &BTreeMap<(String, String), StockProduct>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(products.len()))?;
    for ((warehouse, code), p) in products {
        let row = serde_json::json!({"warehouse": warehouse, "code": code, "name": p.name, "unit": p.unit});
        seq.serialize_element(&row)?;
    }
    seq.end()
}

impl SbState {
    pub fn new() -> Self {
        Self {
            email: "demo@punte.ro".into(),
            token: "001|punte-sim-smartbill-token".into(),
            cif: "RO12345678".into(),
            warehouses: BTreeMap::new(),
            products: BTreeMap::new(),
            movements: Vec::new(),
            series: vec![
                Series {
                    name: "FCT".into(),
                    kind: "f".into(),
                    next: 1,
                    digits: 4,
                },
                Series {
                    name: "fac".into(),
                    kind: "f".into(),
                    next: 1,
                    digits: 0,
                },
                Series {
                    name: "PRF".into(),
                    kind: "p".into(),
                    next: 1,
                    digits: 4,
                },
            ],
            taxes: vec![
                ("Normala".into(), 21),
                ("Redusa".into(), 11),
                ("Taxare inversa".into(), 0),
            ],
            invoices: Vec::new(),
            collects: Vec::new(),
            rate: None,
            next_document_id: 20000,
        }
    }

    /// Stock of `code` in `warehouse` as of the end of `date` (None = now).
    pub fn stock(&self, warehouse: &str, code: &str, date: Option<NaiveDate>) -> Decimal {
        self.movements
            .iter()
            .filter(|m| m.warehouse == warehouse && m.code == code)
            .filter(|m| date.is_none_or(|d| m.date <= d))
            .map(|m| m.quantity)
            .sum()
    }

    /// Records a movement, creating the product in the warehouse if new.
    pub fn movement(&mut self, m: Movement, name: &str, unit: &str) {
        self.warehouses
            .entry(m.warehouse.clone())
            .or_insert_with(|| "en gros".into());
        let key = (m.warehouse.clone(), m.code.clone());
        self.products.entry(key).or_insert_with(|| StockProduct {
            name: name.into(),
            unit: unit.into(),
        });
        self.movements.push(m);
    }
}

impl Default for SbState {
    fn default() -> Self {
        Self::new()
    }
}
