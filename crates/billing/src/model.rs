//! What the billing trait speaks in: warehouses, series, VAT rates, issued invoices and the
//! answer to "is there already an invoice for this order?". Stock comes back as the core's
//! `BillingProduct`, invoices go out from the core's `InvoiceDraft`.

use chrono::{DateTime, Utc};
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

/// The result of issuing: the invoice, whether the service said it already existed (a replay
/// under Oblio's `idempotencyKey` or FGO's duplicate check), and the stock the service says is
/// left of the discharged articles (FGO's `InfoStoc`; empty elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedInvoice {
    pub invoice: InvoiceRef,
    pub already_existed: bool,
    #[serde(default)]
    pub stock_after: Vec<punte_core::product::BillingProduct>,
}

impl IssuedInvoice {
    /// A document this call created: not one the service already had, and no stock read back.
    #[must_use]
    pub fn created(invoice: InvoiceRef) -> Self {
        Self {
            invoice,
            already_existed: false,
            stock_after: Vec::new(),
        }
    }
}

/// The series' next number, read just before issuing, so a lost answer can be resolved later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesMark {
    pub series: String,
    pub next_number: Option<String>,
}

/// What identifies an order's invoice after its answer was lost, for a lookup that only reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLookup {
    /// Punte's order id: the `punte:<id>` mention and the order key carry it.
    pub order_id: u64,
    pub series: String,
    /// The series' next number, read before the invoice was sent.
    pub mark: SeriesMark,
    /// The draft's total, VAT included (what the service reports as the invoice's value).
    pub total: Decimal,
    /// When the intent was written: the invoice cannot be older.
    pub since: DateTime<Utc>,
    /// Invoices of this series Punte already tied to other orders: never this order's.
    pub known: Vec<InvoiceRef>,
}

/// One invoice as a read shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceFacts {
    pub invoice: InvoiceRef,
    /// Total with VAT, when the service tells.
    pub total: Option<Decimal>,
    /// The Punte order the invoice names (its `punte:<id>` mention), when the service shows it.
    pub order_id: Option<u64>,
    pub cancelled: bool,
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
    /// a person must look (the engine marks the order needs-review). `reason` says why.
    Unsure {
        candidates: Vec<InvoiceRef>,
        reason: String,
    },
}

/// What identifies a credit document after its answer was lost, for a lookup that only reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditLookup {
    /// The Shopify refund it is for: the `punte-credit:<id>` mention and the key carry it.
    pub refund_id: u64,
    pub order_id: u64,
    pub series: String,
    /// The series' next number, read before the credit was sent.
    pub mark: SeriesMark,
    /// The credit's total, VAT included (negative).
    pub total: Decimal,
    /// When the intent was written: the document cannot be older.
    pub since: DateTime<Utc>,
    /// Documents of this series Punte already tied to invoices or other credits.
    pub known: Vec<InvoiceRef>,
}

impl CreditLookup {
    /// The same question asked the way invoice recovery asks it (by number and total), for
    /// services whose documents show no reference.
    #[must_use]
    pub fn by_number(&self) -> InvoiceLookup {
        InvoiceLookup {
            order_id: self.order_id,
            series: self.series.clone(),
            mark: self.mark.clone(),
            total: self.total,
            since: self.since,
            known: self.known.clone(),
        }
    }
}

/// The company's VAT as the service tells it: its rates and whether it pays VAT at all
/// (`None`: the service does not say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyVatInfo {
    pub rates: Vec<VatRateInfo>,
    pub payer: Option<bool>,
}

/// The mention written on every credit document, so a person (and Oblio's lookup) can tie it
/// to the refund: "Storno factura FCT 0007, comanda Shopify #1001 (punte-credit:9001)".
#[must_use]
pub fn credit_mention(invoice: &str, order_name: &str, refund_id: u64) -> String {
    format!("Storno factura {invoice}, comanda Shopify {order_name} (punte-credit:{refund_id})")
}

/// The refund id a credit mention names, if any.
#[must_use]
pub fn mentioned_credit(text: &str) -> Option<u64> {
    mentioned_id(text, "(punte-credit:")
}

/// The digits between `opening` ("(punte:") and the `)` that closes it, as a number.
fn mentioned_id(text: &str, opening: &str) -> Option<u64> {
    let at = text.find(opening)? + opening.len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    text[at + digits.len()..]
        .starts_with(')')
        .then(|| digits.parse().ok())
        .flatten()
}

/// The mention written on every invoice, so a person (and SmartBill's lookup) can tie it to the
/// order: "Comanda Shopify #1001 (punte:5550001)".
#[must_use]
pub fn order_mention(order_name: &str, order_id: u64) -> String {
    format!("Comanda Shopify {order_name} (punte:{order_id})")
}

/// The order id a mention names ("… (punte:5550001)"), if any.
#[must_use]
pub fn mentioned_order(text: &str) -> Option<u64> {
    mentioned_id(text, "(punte:")
}

/// A number as the series writes it: `width` digits with leading zeros (0 = no padding).
#[must_use]
pub fn series_number(n: u64, width: usize) -> String {
    format!("{n:0width$}")
}

/// The width of a series' numbers as seen on `known` invoices ("0007" → 4, "3744" → 0), if any
/// is zero-padded; `None` when no known number tells.
#[must_use]
pub fn known_width(known: &[InvoiceRef], series: &str) -> Option<usize> {
    let mut widths = known
        .iter()
        .filter(|i| i.series == series && i.number.bytes().all(|b| b.is_ascii_digit()))
        .map(|i| {
            if i.number.starts_with('0') && i.number.len() > 1 {
                i.number.len()
            } else {
                0
            }
        });
    let first = widths.next()?;
    Some(widths.fold(first, usize::max))
}

/// The key under which a service de-duplicates the invoice of an order (≤ 36 characters, FGO's
/// `IdExtern` limit).
#[must_use]
pub fn order_key(order_id: u64) -> String {
    format!("punte-order-{order_id}")
}

/// How a service's warehouse stock is read, for the engine's freshness budget: in one call or
/// in pages, the documented limit those calls fall under (what a merchant's share is a share
/// of), and how fast the client lets them go.
#[derive(Debug, Clone, PartialEq)]
pub struct StockPaging {
    /// Products per page; `None` when one call answers the whole warehouse.
    pub page_size: Option<usize>,
    /// The service's documented limit for these calls.
    pub limit: crate::limit::Rate,
    /// The client's own pacing of these calls (at or below the limit, with a margin).
    pub paced: crate::limit::Rate,
}

/// One page of a warehouse's stock; `last` when no page follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockPage {
    pub products: Vec<punte_core::product::BillingProduct>,
    pub last: bool,
}
