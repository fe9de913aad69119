//! The simulated Oblio company: work points (`workStation`, "Sediu" first) each with its
//! managements, products with stock per (work point, management), series, issued documents
//! (with what the list and view endpoints show), issued tokens, the idempotency store and the
//! two sliding rate windows.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// The work point the docs name as `workStation`'s default.
pub const WORK_STATION: &str = "Sediu";
/// A second work point of the demo company, with a management of the same name as Sediu's, so
/// a client that sends only the management name discharges the wrong stock.
pub const SECOND_WORK_STATION: &str = "Punct de lucru Cluj";

/// Stock of one product in one (work point, management).
#[derive(Clone, Debug, Serialize)]
pub struct Stock {
    pub work_station: String,
    pub management: String,
    pub quantity: Decimal,
}

#[derive(Clone, Debug, Serialize)]
pub struct Product {
    pub name: String,
    pub unit: String,
    pub price: Decimal,
    pub vat: u32,
    pub stock: Vec<Stock>,
}

impl Product {
    pub fn quantity(&self, ws: &str, m: &str) -> Option<Decimal> {
        self.stock
            .iter()
            .find(|s| s.work_station == ws && s.management == m)
            .map(|s| s.quantity)
    }

    /// Adds `delta` in (ws, m), creating the row.
    pub fn add(&mut self, ws: &str, m: &str, delta: Decimal) -> Decimal {
        let at = self
            .stock
            .iter()
            .position(|s| s.work_station == ws && s.management == m);
        let row = match at {
            Some(i) => &mut self.stock[i],
            None => {
                self.stock.push(Stock {
                    work_station: ws.to_owned(),
                    management: m.to_owned(),
                    quantity: Decimal::ZERO,
                });
                self.stock.last_mut().expect("just pushed")
            }
        };
        row.quantity += delta;
        row.quantity
    }
}

/// Stock taken by a document: (work point, management, code, quantity).
#[derive(Clone, Debug, Serialize)]
pub struct Discharge {
    pub work_station: String,
    pub management: String,
    pub code: String,
    pub quantity: Decimal,
}

#[derive(Clone, Debug, Serialize)]
pub struct Doc {
    pub id: u64,
    pub series: String,
    pub number: String,
    pub issue_date: String,
    pub client_name: String,
    pub mentions: String,
    /// Total with VAT, 4 decimals as the list shows it ("51.2700").
    pub total: Decimal,
    pub use_stock: bool,
    pub cancelled: bool,
    pub storno_of: Option<String>,
    pub reversed: bool,
    pub discharges: Vec<Discharge>,
    /// (product code, quantity) of each product line, negative on a storno.
    pub items: Vec<(String, Decimal)>,
}

/// One rate group's sliding window; `started`/`count` mirror it (oldest call, calls in it).
#[derive(Clone, Debug, Serialize)]
pub struct Window {
    pub started: DateTime<Utc>,
    pub count: u32,
    pub calls: crate::rate::Sliding,
}

#[derive(Debug, Serialize)]
pub struct OblioState {
    pub email: String,
    pub secret: String,
    pub cif: String,
    /// (workStation, management) pairs, as `nomenclature/management` lists them.
    pub managements: Vec<(String, String)>,
    pub products: BTreeMap<String, Product>,
    /// series name → next number
    pub series: BTreeMap<String, u32>,
    pub docs: Vec<Doc>,
    pub next_doc_id: u64,
    pub tokens: HashMap<String, DateTime<Utc>>,
    /// idempotency key → (body fingerprint, answer)
    pub idempotency: HashMap<String, (String, serde_json::Value)>,
    /// "docs" (30 / 100 s) and "other" (30 / 10 s), sliding.
    pub windows: BTreeMap<String, Window>,
    /// document id → its e-Factura state (absent: not sent).
    pub einvoice: BTreeMap<u64, super::einvoice::EInvoice>,
    /// Collections recorded by `PUT docs/invoice/collect` (series and number as the doc has them).
    pub collects: Vec<crate::collects::Collect>,
}

impl OblioState {
    pub fn new() -> Self {
        Self {
            email: "demo@punte.ro".into(),
            secret: "punte-sim-oblio-secret".into(),
            cif: "RO37311090".into(),
            managements: vec![
                (WORK_STATION.into(), crate::demo::WAREHOUSE.into()),
                (SECOND_WORK_STATION.into(), crate::demo::WAREHOUSE.into()),
            ],
            products: BTreeMap::new(),
            series: BTreeMap::from([("FCT".into(), 1)]),
            docs: Vec::new(),
            next_doc_id: 3_000_000,
            tokens: HashMap::new(),
            idempotency: HashMap::new(),
            windows: BTreeMap::new(),
            einvoice: BTreeMap::new(),
            collects: Vec::new(),
        }
    }

    pub fn has_management(&self, ws: &str, m: &str) -> bool {
        self.managements.iter().any(|(w, x)| w == ws && x == m)
    }
}

impl Default for OblioState {
    fn default() -> Self {
        Self::new()
    }
}
