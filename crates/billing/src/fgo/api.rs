//! `BillingService` for Fgo: the trait's operations mapped onto the client's calls, kept apart
//! from the wire details so each file stays readable.

use punte_core::credit_note::CreditDraft;
use punte_core::invoice::InvoiceDraft;
use punte_core::product::{BillingProduct, ProductCode};

use super::*;
use crate::model::{
    CompanyVatInfo, Existing, InvoiceFacts, InvoiceLookup, InvoiceRef, IssuedInvoice, SeriesInfo,
    SeriesMark, StockPage, StockPaging, VatRateInfo, Warehouse,
};
use crate::{BillingService, BoxFuture, Collected, Collection, ServiceKind};

impl BillingService for Fgo {
    fn kind(&self) -> ServiceKind {
        ServiceKind::Fgo
    }

    fn test_connection(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move { self.warehouses().await.map(|_| ()) })
    }

    fn warehouses(&self) -> BoxFuture<'_, Vec<Warehouse>> {
        Box::pin(async move {
            let body = self.auth("");
            let reply = self
                .post(
                    "list warehouses",
                    "articol/gestiune",
                    Repeat::Safe,
                    &self.articles,
                    &body,
                )
                .await?;
            let page = parse::<Page<Gestiune>>(&reply, "")?
                .result
                .ok_or_else(|| missing("Result"))?;
            Ok(page
                .list
                .into_iter()
                .map(|g| Warehouse {
                    id: g.cod_gestiune,
                    name: g.nume,
                })
                .collect())
        })
    }

    /// The account's series (`POST /nomenclator/serii`); when FGO does not answer with a list
    /// (an account or version without it), the series configured in Punte.
    fn series(&self) -> BoxFuture<'_, Vec<SeriesInfo>> {
        Box::pin(async move {
            match self.read_series().await {
                Ok(list) => Ok(list),
                Err(e @ (BillingError::AuthFailed { .. } | BillingError::Blocked { .. })) => Err(e),
                Err(e @ BillingError::Unavailable { .. }) => Err(e),
                Err(e) => {
                    tracing::warn!(service = SERVICE, error = %e, "series list not offered");
                    Ok(self
                        .config
                        .series
                        .iter()
                        .map(|s| SeriesInfo {
                            name: s.clone(),
                            next_number: None,
                        })
                        .collect())
                }
            }
        })
    }

    fn vat_rates(&self) -> BoxFuture<'_, Vec<VatRateInfo>> {
        Box::pin(self.read_vat_rates())
    }

    /// FGO's VAT list is its public nomenclature (`/nomenclator/tva`), the same for every
    /// company: it cannot tell whether this one pays VAT (Punte's setting says).
    fn company_vat(&self) -> BoxFuture<'_, CompanyVatInfo> {
        Box::pin(async move {
            Ok(CompanyVatInfo {
                rates: self.read_vat_rates().await?,
                payer: None,
            })
        })
    }

    fn stock<'a>(
        &'a self,
        _warehouse: &'a str,
        codes: Option<&'a [ProductCode]>,
    ) -> BoxFuture<'a, Vec<BillingProduct>> {
        Box::pin(self.stock_of(codes))
    }

    /// `/articol/list`: 200 articles a page, 1 call / 30 s documented (since 01.07.2023).
    fn stock_paging(&self) -> StockPaging {
        StockPaging {
            page_size: Some(PAGE as usize),
            limit: Rate::new(1, Duration::from_secs(30)),
            paced: LIST_RATE,
        }
    }

    fn stock_page<'a>(&'a self, _warehouse: &'a str, page: u64) -> BoxFuture<'a, StockPage> {
        Box::pin(self.stock_page_of(page))
    }

    fn issue_invoice<'a>(
        &'a self,
        draft: &'a InvoiceDraft,
        series: &'a str,
    ) -> BoxFuture<'a, IssuedInvoice> {
        Box::pin(self.issue(draft, series))
    }

    fn series_mark<'a>(&'a self, series: &'a str) -> BoxFuture<'a, SeriesMark> {
        Box::pin(async move {
            Ok(SeriesMark {
                series: series.to_owned(),
                next_number: None,
            })
        })
    }

    fn find_invoice<'a>(&'a self, lookup: &'a InvoiceLookup) -> BoxFuture<'a, Existing> {
        Box::pin(async move { recover::find(&recover::Reads::new(self), lookup).await })
    }

    fn read_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, Option<InvoiceFacts>> {
        Box::pin(async move { recover::Reads::new(self).invoice(invoice).await })
    }

    fn reverse_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, InvoiceRef> {
        Box::pin(self.storno(invoice))
    }

    fn cancel_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            match self
                .doc_op("cancel invoice", "factura/anulare", Repeat::Safe, invoice)
                .await
            {
                Ok(_) => Ok(()),
                Err(BillingError::Rejected { text, .. })
                    if text.to_lowercase().contains("deja anulata") =>
                {
                    Ok(())
                }
                Err(e) => Err(e),
            }
        })
    }

    fn issue_credit<'a>(
        &'a self,
        credit: &'a CreditDraft,
        series: &'a str,
    ) -> BoxFuture<'a, IssuedInvoice> {
        Box::pin(self.credit(credit, series))
    }

    fn record_collection<'a>(
        &'a self,
        invoice: &'a InvoiceRef,
        collection: &'a Collection,
    ) -> BoxFuture<'a, ()> {
        Box::pin(self.collect(invoice, collection))
    }

    fn collected<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, Collected> {
        Box::pin(self.paid_on(invoice))
    }
}
