//! The simulated Oblio company: products with stock per (work station, management), series,
//! issued documents, issued tokens, the idempotency store, the two rate-limit windows and the
//! 3-per-second burst rule with its block.

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
    pub managements: Vec<String>,
    pub products: BTreeMap<String, Product>,
    /// series name → next number
    pub series: BTreeMap<String, u32>,
    pub docs: Vec<Doc>,
    pub tokens: HashMap<String, DateTime<Utc>>,
    /// idempotency key → (body fingerprint, answer)
    pub idempotency: HashMap<String, (String, serde_json::Value)>,
    /// "docs" (30 / 100 s) and "other" (30 / 10 s), sliding.
    pub windows: BTreeMap<String, Window>,
    /// Every call of the account in the last second: more than 3 blocks it for 10 minutes (the
    /// older docs' rule, kept because it is the stricter one).
    pub burst: crate::rate::Sliding,
    pub blocked_until: Option<DateTime<Utc>>,
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
            burst: crate::rate::Sliding::default(),
            blocked_until: None,
        }
    }
}

impl Default for OblioState {
    fn default() -> Self {
        Self::new()
    }
}
