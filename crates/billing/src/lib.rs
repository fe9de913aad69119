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

pub mod collect;
pub mod endpoint;
pub mod error;
pub mod fgo;
pub mod http;
pub mod limit;
pub mod model;
pub mod oblio;
pub mod options;
mod recover;
mod secret;
pub mod smartbill;
pub mod wire;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use punte_core::credit_note::CreditDraft;
use punte_core::efactura::SpvState;
use punte_core::invoice::InvoiceDraft;
use punte_core::money::VatRate;
use punte_core::product::{BillingProduct, ProductCode};

pub use collect::{Collected, Collection};
pub use error::{BillingError, Lang};
pub use model::{
    CompanyVatInfo, CreditLookup, Existing, InvoiceFacts, InvoiceLookup, InvoiceRef, IssuedInvoice,
    SeriesInfo, SeriesMark, StockPage, StockPaging, VatRateInfo, Warehouse,
};
pub use options::Options;
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

    /// The company's VAT rates and whether it pays VAT. By default judged from the rates (no
    /// positive rate: not a payer); a service that tells otherwise overrides it.
    fn company_vat(&self) -> BoxFuture<'_, CompanyVatInfo> {
        Box::pin(async move {
            let rates = self.vat_rates().await?;
            let payer = (!rates.is_empty()).then(|| {
                rates
                    .iter()
                    .any(|r| r.percent.is_sign_positive() && !r.percent.is_zero())
            });
            Ok(CompanyVatInfo { rates, payer })
        })
    }

    /// The VAT rate each of `codes` has in the billing nomenclature, where the service shows it
    /// (Oblio's products carry `vatPercentage`, FGO's articles `CotaTVA`), read now for the
    /// pre-issue VAT check; a code the service does not list, or lists without a rate, is
    /// absent. One product at a time (FGO `articol/get`, Oblio `nomenclature/products?code=`):
    /// a handful of single reads, never the whole warehouse (FGO's `articol/list` sweep is
    /// minutes to an hour and its limit belongs to the stock sync). SmartBill overrides it: its
    /// stock read shows no product VAT.
    fn product_vat_rates<'a>(
        &'a self,
        warehouse: &'a str,
        codes: &'a [ProductCode],
    ) -> BoxFuture<'a, HashMap<ProductCode, VatRate>> {
        Box::pin(async move {
            let mut rates = HashMap::new();
            for code in codes {
                let one = self
                    .stock(warehouse, Some(std::slice::from_ref(code)))
                    .await?;
                rates.extend(
                    one.into_iter()
                        .filter_map(|p| p.vat_rate.map(|v| (p.code, v))),
                );
            }
            Ok(rates)
        })
    }

    /// Stock in `warehouse` (a [`Warehouse::id`]) for every product, or only for `codes`.
    fn stock<'a>(
        &'a self,
        warehouse: &'a str,
        codes: Option<&'a [ProductCode]>,
    ) -> BoxFuture<'a, Vec<BillingProduct>>;

    /// How this service's stock is read (one call or pages) and under which limit.
    fn stock_paging(&self) -> StockPaging;

    /// Page `page` (from 0) of the stock in `warehouse`, as [`BillingService::stock`] reads it
    /// page by page; a service that answers the whole warehouse in one call has only page 0.
    fn stock_page<'a>(&'a self, warehouse: &'a str, page: u64) -> BoxFuture<'a, StockPage>;

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

    /// Issues the credit document of one refund in `series`: the service's storno of the whole
    /// invoice when `credit.whole`, otherwise a document of the credited lines (negative
    /// quantities at the invoice's prices) that names the invoice; a line with a `warehouse`
    /// re-enters stock there, one without does not. Sent once: a lost answer ends as
    /// [`BillingError::UnknownOutcome`], settled by [`BillingService::find_credit`].
    fn issue_credit<'a>(
        &'a self,
        credit: &'a CreditDraft,
        series: &'a str,
    ) -> BoxFuture<'a, IssuedInvoice>;

    /// Whether the credit document of `lookup`'s refund exists, learned by reads only. By
    /// default found as an invoice is, by number since the mark and its (negative) total: for
    /// services that show no reference on a document (SmartBill, FGO); Oblio overrides it with
    /// its `punte-credit:<id>` mention.
    fn find_credit<'a>(&'a self, lookup: &'a CreditLookup) -> BoxFuture<'a, Existing> {
        Box::pin(async move {
            let by_number = lookup.by_number();
            self.find_invoice(&by_number).await
        })
    }

    /// The invoice's e-Factura (SPV) state, by reads only. The default is for services whose
    /// public API shows no SPV state (SmartBill's OpenAPI spec 2026-08 has no e-Factura
    /// endpoint; FGO's `factura/getstatus` answers only amounts and collections): the service
    /// sends the invoice itself (its own e-Factura setting) and the merchant checks there, so
    /// the answer is "sent by <service>" with the document's link, and no call is made.
    fn efactura_state<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, SpvState> {
        let state = sent_by(self.kind(), invoice);
        Box::pin(async move { Ok(state) })
    }

    /// Records `collection` on `invoice` (cash on delivery paid out by the courier). Sent once:
    /// a lost answer ends as [`BillingError::UnknownOutcome`] or a transient error, settled by
    /// [`BillingService::collected`], never by sending again.
    fn record_collection<'a>(
        &'a self,
        invoice: &'a InvoiceRef,
        collection: &'a Collection,
    ) -> BoxFuture<'a, ()>;

    /// What is paid on `invoice`, by one read. [`BillingError::InvoiceNotFound`] when the
    /// service says it does not exist.
    fn collected<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, Collected>;

    /// Asks the service to upload `invoice` to SPV where its API can (Oblio) and answers the
    /// state after it; elsewhere the same as [`Self::efactura_state`], with no call.
    fn send_efactura<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, SpvState> {
        self.efactura_state(invoice)
    }
}

/// "Sent by <service>", for services whose API shows no SPV state.
#[must_use]
pub fn sent_by(kind: ServiceKind, invoice: &InvoiceRef) -> SpvState {
    let service = match kind {
        ServiceKind::SmartBill => "SmartBill",
        ServiceKind::Oblio => "Oblio",
        ServiceKind::Fgo => "FGO",
    };
    SpvState::SentByService {
        service: service.into(),
        link: invoice.link.clone(),
    }
}
