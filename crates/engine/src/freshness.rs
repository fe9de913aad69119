//! Seconds, not quarter-hours: how often Punte looks for changes. A look is an incremental
//! stock cycle (`cycle`): the levels and products Shopify changed since the last one, the orders
//! changed since the order cursor, the billing warehouse, and a write of only the codes whose
//! target moved. The scheduler starts one every [`LOOK`] at most, and no sooner than the billing
//! service's documented limit allows for a whole read of the warehouse within the merchant's
//! share of it ([`cadence`], a pure function), as soon as it is due (a timer, not the next
//! tick); in between, an orders look imports the changed orders every [`LOOK`]: SmartBill answers the whole warehouse in one
//! call, so it is read every [`TARGET_SWEEP`]; Oblio and FGO answer in pages, read by the
//! client at its own pacing. The stock-sync schedule (15 minutes) stays as the safety net when
//! looks are off or failing, the daily reconciliation as the full check.
//!
//! FGO lists articles at 1 call / 30 s, 200 a page: 20,000 products take 100 pages, 53 minutes
//! at the client's pacing. Each page's changes are written as soon as it is read (`paged`), so
//! a change in FGO reaches Shopify when its page is next read: within one sweep (53 minutes at
//! 20,000 products, about 27 on average); nothing in FGO's API tells which articles changed
//! sooner (`articolemodificate` answers once per 30 minutes and says nothing about stock
//! movements). Punte uses the whole of that list limit by default: it calls `/articol/list` for
//! nothing else. Orders do not wait for that read: while a look waits for a page, the changed
//! orders are imported every [`LOOK`] (`mid_read`), so an order is reserved with its verdict
//! within about 10 s at any warehouse size (600 products, 3 pages: p50 5.0 / p95 9.0 s, before
//! 46.3 / 80.2 s; docs/PERFORMANCE.md, "FGO orders between pages").

use std::time::Duration;

use punte_billing::{ServiceKind, StockPaging};
use serde::{Deserialize, Serialize};

/// How often a look runs (Shopify changes and orders; billing pages as the budget allows).
pub const LOOK: Duration = Duration::from_secs(10);

/// The fastest a warehouse is re-read: a receipt then reaches Shopify in well under a minute,
/// and reading faster would cost calls for little.
pub const TARGET_SWEEP: Duration = Duration::from_secs(20);

/// The merchant's freshness settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshnessSettings {
    /// Look for changes every few seconds; off, only the stock-sync schedule runs.
    pub watch: bool,
    /// The share of the billing service's documented stock-read limit looks may use, in
    /// percent (1–100); `None`: the service's default ([`default_share`]).
    pub share_percent: Option<u8>,
}

impl Default for FreshnessSettings {
    fn default() -> Self {
        Self {
            watch: true,
            share_percent: None,
        }
    }
}

/// Half of SmartBill's limit (invoicing and the merchant's other tools share the token); 60 %
/// of Oblio's 30 calls / 10 s, whose documents (invoices) count in a limit of their own (30 /
/// 100 s): at 20,000 products a sweep every 44 s instead of 53 s, so a receipt's wait for its
/// page stays well under a minute, and 12 calls every 10 s stay free for the merchant's other
/// tools (a look's read itself runs at the client's pacing, 27 / 11 s, whatever the share);
/// all of FGO's `/articol/list`, which Punte calls for stock only.
#[must_use]
pub fn default_share(kind: ServiceKind) -> u8 {
    match kind {
        ServiceKind::SmartBill => 50,
        ServiceKind::Oblio => 60,
        ServiceKind::Fgo => 100,
    }
}

/// The freshness a service's limit allows, and its cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cadence {
    /// Pages in the warehouse (1 for a service that answers it whole).
    pub pages: u64,
    /// Stock pages read per second, on average.
    pub pages_per_second: f64,
    /// Every product's stock is re-read within this.
    pub sweep: Duration,
    /// Share of the documented limit used (0–1).
    pub used: f64,
}

impl Cadence {
    /// Billing stock calls per hour.
    #[must_use]
    pub fn calls_per_hour(&self) -> f64 {
        self.pages_per_second * 3600.0
    }
}

/// Calls per second a rate allows.
fn per_second(r: punte_billing::limit::Rate) -> f64 {
    f64::from(r.max) / r.window.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// How fast to read a warehouse of `products` (unknown before the first read: one page) within
/// `share_percent` of the documented limit, never faster than the client's own pacing nor than
/// a sweep per [`TARGET_SWEEP`].
#[must_use]
pub fn cadence(paging: &StockPaging, products: Option<usize>, share_percent: u8) -> Cadence {
    let pages = paging
        .page_size
        .map_or(1, |size| products.unwrap_or(0).div_ceil(size.max(1)).max(1))
        as u64;
    let share = f64::from(share_percent.clamp(1, 100)) / 100.0;
    let allowed = (share * per_second(paging.limit)).min(per_second(paging.paced));
    let wanted = pages as f64 / TARGET_SWEEP.as_secs_f64();
    let rate = allowed.min(wanted);
    Cadence {
        pages,
        pages_per_second: rate,
        sweep: Duration::from_secs_f64(pages as f64 / rate),
        used: rate / per_second(paging.limit),
    }
}

/// What the status bar and settings show about freshness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshnessStatus {
    /// "smartbill", "oblio" or "fgo".
    pub service: String,
    /// The share of the stock-read limit looks may use, percent.
    pub share_percent: u8,
    /// The share they do use, per mille (less when the warehouse is small).
    pub used_permille: u32,
    /// The documented limit: `limit_calls` per `limit_seconds`.
    pub limit_calls: u32,
    pub limit_seconds: u32,
    /// Billing stock calls per hour.
    pub calls_per_hour: u32,
    /// Seconds between looks.
    pub look_seconds: u32,
    /// Every product's billing stock is re-read within this many seconds.
    pub sweep_seconds: u32,
    /// Products in the warehouse at the last whole read.
    pub products: Option<u64>,
}

impl FreshnessStatus {
    pub fn of(
        kind: ServiceKind,
        paging: &StockPaging,
        c: &Cadence,
        share_percent: u8,
        products: Option<usize>,
    ) -> Self {
        let service = match kind {
            ServiceKind::SmartBill => "smartbill",
            ServiceKind::Oblio => "oblio",
            ServiceKind::Fgo => "fgo",
        };
        Self {
            service: service.into(),
            share_percent,
            used_permille: (c.used * 1000.0).round() as u32,
            limit_calls: paging.limit.max,
            limit_seconds: paging.limit.window.as_secs() as u32,
            calls_per_hour: c.calls_per_hour().round() as u32,
            look_seconds: LOOK.as_secs() as u32,
            sweep_seconds: c.sweep.as_secs_f64().max(LOOK.as_secs_f64()).ceil() as u32,
            products: products.map(|n| n as u64),
        }
    }
}

/// How long after a look starts the next may start, and what the merchant sees of it, for the
/// billing service answering `paging` with `products` in its warehouse (0: not read yet).
pub(crate) fn look_every(
    kind: ServiceKind,
    paging: &StockPaging,
    products: usize,
    settings: FreshnessSettings,
) -> (Duration, FreshnessStatus) {
    let products = (products > 0).then_some(products);
    let share = settings
        .share_percent
        .unwrap_or_else(|| default_share(kind))
        .clamp(1, 100);
    let c = cadence(paging, products, share);
    let status = FreshnessStatus::of(kind, paging, &c, share, products);
    (c.sweep.max(LOOK), status)
}

#[cfg(test)]
#[path = "freshness_tests.rs"]
mod tests;
