//! The simulated Oblio company: products with stock per (work station, management), series,
//! issued documents, issued tokens, the idempotency store and the two rate-limit windows.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

pub const WORK_STATION: &str = "Sediu";

#[derive(Clone, Debug, Serialize)]
pub struct Product {
    pub name: String,
    pub unit: String,
    pub price: Decimal,
    pub vat: u32,
    /// management name → quantity (all under [`WORK_STATION`]).
    pub stock: BTreeMap<String, Decimal>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Doc {
    pub series: String,
    pub number: String,
    pub cancelled: bool,
    pub storno_of: Option<String>,
    pub reversed: bool,
    /// (management, code, quantity) discharged.
    pub discharges: Vec<(String, String, Decimal)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Window {
    pub started: DateTime<Utc>,
    pub count: u32,
}

#[derive(Debug, Serialize)]
pub struct OblioState {
    pub email: String,
    pub secret: String,
    pub cif: String,
    pub managements: Vec<String>,
    pub products: BTreeMap<String, Product>,
    /// series name → next number
    pub series: BTreeMap<String, u32>,
    pub docs: Vec<Doc>,
    pub tokens: HashMap<String, DateTime<Utc>>,
    /// idempotency key → (body fingerprint, answer)
    pub idempotency: HashMap<String, (String, serde_json::Value)>,
    /// "docs" (30 / 100 s) and "other" (30 / 10 s)
    pub windows: BTreeMap<String, Window>,
}

impl OblioState {
    pub fn new() -> Self {
        Self {
            email: "demo@punte.ro".into(),
            secret: "punte-sim-oblio-secret".into(),
            cif: "RO37311090".into(),
            managements: vec![crate::demo::WAREHOUSE.into()],
            products: BTreeMap::new(),
            series: BTreeMap::from([("FCT".into(), 1)]),
            docs: Vec::new(),
            tokens: HashMap::new(),
            idempotency: HashMap::new(),
            windows: BTreeMap::new(),
        }
    }
}

impl Default for OblioState {
    fn default() -> Self {
        Self::new()
    }
}
