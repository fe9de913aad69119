//! What the engine is told at start: where each service is (base URLs, so tests and the demo
//! point at the simulators), the non-secret account details, and the merchant's settings.
//! Credentials are not here: they come from the `SecretStore` when a client is built.

use std::time::Duration;

use punte_core::invoice::InvoiceSettings;
use punte_core::locations::LocationSettings;
use punte_core::plan::PlanSettings;
use punte_core::product::CodeSource;
use punte_core::schedule::ScheduleSettings;
use serde::{Deserialize, Serialize};

use crate::freshness::FreshnessSettings;

/// Which billing service, and its account details (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BillingAccount {
    /// Secret: the API token.
    SmartBill { email: String, cif: String },
    /// Secret: the API secret.
    Oblio { email: String, cif: String },
    /// Secret: the private key. FGO does not list series, so they are given here.
    Fgo {
        cod_unic: String,
        platform_url: String,
        series: Vec<String>,
    },
}

/// How the engine reaches the two services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Connections {
    /// `https://shop.myshopify.com` (or the simulator's loopback URL).
    pub shopify_url: String,
    /// Dev Dashboard app: the client id (the secret is the client secret). `None`: the secret is
    /// a legacy `shpat_` token.
    pub shopify_client_id: Option<String>,
    pub billing_url: String,
    pub billing: BillingAccount,
    /// Shopify location mapped to the billing warehouse.
    pub location_id: u64,
    /// Billing warehouse (gestiune) id: its name for SmartBill/Oblio, its code for FGO.
    pub warehouse: String,
    /// Simulated seconds per real second (1.0 for real services).
    pub time_scale: f64,
    /// Limit for one HTTP exchange.
    pub request_timeout: Duration,
}

/// When invoices are issued without the merchant clicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoInvoice {
    #[default]
    Never,
    OnImport,
    WhenPaid,
    WhenFulfilled,
}

/// What happens to the invoice of an order cancelled in Shopify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnCancel {
    /// Storno: a reversing invoice; discharged stock returns to the warehouse.
    #[default]
    Reverse,
    /// Cancel the invoice (allowed only while it is not sent to e-Factura).
    CancelInvoice,
    /// Leave the invoice; the merchant handles it.
    Nothing,
}

/// The merchant's settings the engine acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineSettings {
    pub code_source: CodeSource,
    pub plan: PlanSettings,
    pub invoice: InvoiceSettings,
    /// Discharge stock on invoices ("Use stock"); the warehouse is `Connections::warehouse`.
    pub use_stock: bool,
    pub invoice_series: String,
    pub auto_invoice: AutoInvoice,
    pub on_cancel: OnCancel,
    pub schedule: ScheduleSettings,
    /// Orders open longer than this still holding stock are reported.
    pub stale_open_days: u32,
    /// Write billing − reserved − buffer to Shopify ("Sync warehouse stock"). Off, the engine
    /// still imports orders and reads Shopify's levels for InStock, and writes no level.
    /// Absent from a saved config: on.
    #[serde(default = "on")]
    pub sync_stock: bool,
    /// Shopify locations ↔ billing warehouses (issue 18). Two or more links: stock is written
    /// per location and invoices discharge from each line's location's warehouse; otherwise
    /// the one location and warehouse of `Connections`.
    #[serde(default)]
    pub locations: LocationSettings,
    /// Looks for changes every few seconds within a share of the billing limit (`freshness`).
    #[serde(default)]
    pub freshness: FreshnessSettings,
    /// Where a credit note puts back the units Shopify restocked (issue 16); `None`: the
    /// warehouse the invoice discharged them from.
    #[serde(default)]
    pub credit_restock_warehouse: Option<String>,
    /// Cash-on-delivery orders fulfilled this many days ago and still unpaid are listed on
    /// Orders (issue 17; 1 to 90, absent from a saved config: 10).
    #[serde(default = "cod_unpaid_days")]
    pub cod_unpaid_days: u32,
}

/// The default of [`EngineSettings::cod_unpaid_days`].
#[must_use]
pub fn cod_unpaid_days() -> u32 {
    10
}

fn on() -> bool {
    true
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            code_source: CodeSource::Sku,
            plan: PlanSettings::default(),
            invoice: InvoiceSettings::default(),
            use_stock: true,
            invoice_series: "FCT".to_owned(),
            auto_invoice: AutoInvoice::Never,
            on_cancel: OnCancel::Reverse,
            schedule: ScheduleSettings::default(),
            stale_open_days: 14,
            sync_stock: true,
            locations: LocationSettings::default(),
            freshness: FreshnessSettings::default(),
            credit_restock_warehouse: None,
            cod_unpaid_days: cod_unpaid_days(),
        }
    }
}

/// Scheduler knobs (real time, not the merchant's schedule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// How often the scheduler looks at the clock.
    pub tick: Duration,
    /// First backoff step after a failure; doubles per failure, with jitter.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Longest wait for a clean stop.
    pub stop_timeout: Duration,
    /// Run the scheduled jobs at all (tests drive the engine with `sync_now` only).
    pub scheduled: bool,
    /// How often the changed orders are imported between billing looks and while a billing
    /// read is in progress (`mid_read`); [`crate::freshness::LOOK`] (tests shorten it).
    #[serde(default = "orders_every")]
    pub orders_every: Duration,
}

fn orders_every() -> Duration {
    crate::freshness::LOOK
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            tick: Duration::from_secs(5),
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(30 * 60),
            stop_timeout: Duration::from_secs(10),
            scheduled: true,
            orders_every: orders_every(),
        }
    }
}

/// Everything `Engine::start` needs besides its dependencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineConfig {
    pub connections: Connections,
    pub settings: EngineSettings,
    pub timing: Timing,
}
