//! What the billing trait speaks in: warehouses, series, VAT rates, issued invoices and the
//! answer to "is there already an invoice for this order?". Stock comes back as the core's
//! `BillingProduct`, invoices go out from the core's `InvoiceDraft`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A warehouse (gestiune). `id` is what invoices name to discharge from it: the name for
/// SmartBill and Oblio, the `CodGestiune` for FGO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warehouse {
    pub id: String,
    pub name: String,
}

/// An invoice series and, where the service tells, the number the next invoice will get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesInfo {
    pub name: String,
    pub next_number: Option<String>,
}

/// A VAT rate as the billing service names it ("Normala", 21).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRateInfo {
    pub name: String,
    pub percent: Decimal,
}

/// An issued document: series and number exactly as the service returned them (zero padding is
/// kept, FGO hashes it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvoiceRef {
    pub series: String,
    pub number: String,
    pub link: Option<String>,
}

impl InvoiceRef {
    #[must_use]
    pub fn new(series: impl Into<String>, number: impl Into<String>) -> Self {
        Self {
            series: series.into(),
            number: number.into(),
            link: None,
        }
    }

    /// "FCT 0007", for messages.
    #[must_use]
    pub fn label(&self) -> String {
        format!("{} {}", self.series, self.number)
    }
}

/// The result of issuing: the invoice, and whether the service said it already existed (a
/// replay under Oblio's `idempotencyKey` or FGO's duplicate check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedInvoice {
    pub invoice: InvoiceRef,
    pub already_existed: bool,
}

/// The series' next number, read just before issuing, so a lost answer can be resolved later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesMark {
    pub series: String,
    pub next_number: Option<String>,
}

/// Whether the invoice for an order exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Existing {
    /// It exists (and this is it).
    Found { invoice: InvoiceRef },
    /// It certainly does not exist: issuing now cannot duplicate it.
    Absent,
    /// Something was issued in the series since the mark, and the API cannot show whose it is:
    /// a person must look (the engine marks the order needs-review).
    Unsure { candidates: Vec<InvoiceRef> },
}

/// The mention written on every invoice, so a person (and SmartBill's lookup) can tie it to the
/// order: "Comanda Shopify #1001 (punte:5550001)".
#[must_use]
pub fn order_mention(order_name: &str, order_id: u64) -> String {
    format!("Comanda Shopify {order_name} (punte:{order_id})")
}

/// The key under which a service de-duplicates the invoice of an order (≤ 36 characters, FGO's
/// `IdExtern` limit).
#[must_use]
pub fn order_key(order_id: u64) -> String {
    format!("punte-order-{order_id}")
}
