//! The billing side behind one `BillingService` trait: SmartBill Cloud, Oblio and FGO clients for
//! warehouse stock reads and invoices issued with stock discharge.
//!
//! [`connect`] picks the implementation by the connection's [`ServiceKind`] and hands back an
//! `Arc<dyn BillingService>`. Every client paces itself below the service's limits
//! ([`limit`]), retries only what is safe to repeat ([`http`]), and reports failures as one
//! [`BillingError`] with a stable code and Romanian/English messages.
//!
//! Exactly-once invoicing: an issue whose answer is lost is never sent again to find out whether
//! it happened. The engine takes a [`SeriesMark`] before issuing; after a lost answer it asks
//! [`BillingService::find_invoice`], which only reads (each service's `recover` module, built on
//! a read-only handle): Oblio lists the series' invoices and matches the order's `punte:<id>`
//! mention; SmartBill and FGO read the invoices numbered since the mark (their APIs show no
//! order reference) and answer `Unsure` when no read can tell whose an invoice is. The
//! services' own duplicate checks (`idempotencyKey`, `VerificareDuplicat`) stay on as a second
//! guard, never as the way to learn.

pub mod endpoint;
pub mod error;
pub mod fgo;
pub mod http;
pub mod limit;
pub mod model;
pub mod oblio;
mod recover;
mod secret;
pub mod smartbill;
pub mod wire;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use punte_core::invoice::InvoiceDraft;
use punte_core::product::{BillingProduct, ProductCode};

pub use error::{BillingError, Lang};
pub use http::Options;
pub use model::{
    Existing, InvoiceFacts, InvoiceLookup, InvoiceRef, IssuedInvoice, SeriesInfo, SeriesMark,
    VatRateInfo, Warehouse,
};
pub use secret::Secret;

/// A boxed future, so the trait stays dyn-compatible.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BillingError>> + Send + 'a>>;

/// Which billing service a connection speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceKind {
    SmartBill,
    Oblio,
    Fgo,
}

/// Everything needed to reach one billing account. Secrets stay inside [`Secret`].
#[derive(Debug, Clone)]
pub enum Connection {
    SmartBill(smartbill::Config),
    Oblio(oblio::Config),
    Fgo(fgo::Config),
}

impl Connection {
    #[must_use]
    pub fn kind(&self) -> ServiceKind {
        match self {
            Self::SmartBill(_) => ServiceKind::SmartBill,
            Self::Oblio(_) => ServiceKind::Oblio,
            Self::Fgo(_) => ServiceKind::Fgo,
        }
    }
}

/// The client for `connection`, chosen by its kind.
pub fn connect(
    connection: Connection,
    options: Options,
) -> Result<Arc<dyn BillingService>, BillingError> {
    Ok(match connection {
        Connection::SmartBill(c) => Arc::new(smartbill::SmartBill::new(c, options)?),
        Connection::Oblio(c) => Arc::new(oblio::Oblio::new(c, options)?),
        Connection::Fgo(c) => Arc::new(fgo::Fgo::new(c, options)?),
    })
}

/// One billing account. All methods are safe to call concurrently; each client paces itself.
pub trait BillingService: Send + Sync {
    fn kind(&self) -> ServiceKind;

    /// Checks credentials and company with one cheap read.
    fn test_connection(&self) -> BoxFuture<'_, ()>;

    /// The name of the company the credentials open, where the service's API tells it (Oblio's
    /// `nomenclature/companies`); `None` where it does not (SmartBill v1 and FGO have no such
    /// read: billing-apis.md).
    fn company_name(&self) -> BoxFuture<'_, Option<String>> {
        Box::pin(async { Ok(None) })
    }

    fn warehouses(&self) -> BoxFuture<'_, Vec<Warehouse>>;

    fn series(&self) -> BoxFuture<'_, Vec<SeriesInfo>>;

    fn vat_rates(&self) -> BoxFuture<'_, Vec<VatRateInfo>>;

    /// Stock in `warehouse` (a [`Warehouse::id`]) for every product, or only for `codes`.
    fn stock<'a>(
        &'a self,
        warehouse: &'a str,
        codes: Option<&'a [ProductCode]>,
    ) -> BoxFuture<'a, Vec<BillingProduct>>;

    /// Issues `draft` in `series`; stock is discharged when `draft.use_stock` (from each product
    /// line's warehouse). A lost answer on SmartBill ends as [`BillingError::UnknownOutcome`].
    fn issue_invoice<'a>(
        &'a self,
        draft: &'a InvoiceDraft,
        series: &'a str,
    ) -> BoxFuture<'a, IssuedInvoice>;

    /// The series' next number now, to keep before issuing.
    fn series_mark<'a>(&'a self, series: &'a str) -> BoxFuture<'a, SeriesMark>;

    /// Whether the invoice of `lookup`'s order exists, learned by reads only (never by sending
    /// the invoice again). `Unsure` when no read can tell.
    fn find_invoice<'a>(&'a self, lookup: &'a InvoiceLookup) -> BoxFuture<'a, Existing>;

    /// One invoice by series and number, read (for the merchant's "link it"); `None` when the
    /// service says it does not exist.
    fn read_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, Option<InvoiceFacts>>;

    /// Storno: a new document reversing `invoice` (stock returns where it was discharged).
    fn reverse_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, InvoiceRef>;

    /// Cancels `invoice`; cancelling an already cancelled invoice succeeds.
    fn cancel_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, ()>;
}
