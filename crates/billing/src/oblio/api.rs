//! `BillingService` for Oblio: the trait's operations mapped onto the client's calls, kept apart
//! from the wire details so each file stays readable.

use punte_core::credit_note::CreditDraft;
use punte_core::efactura::SpvState;
use punte_core::invoice::InvoiceDraft;
use punte_core::product::{BillingProduct, ProductCode};

use super::*;
use crate::model::{
    CreditLookup, Existing, InvoiceFacts, InvoiceLookup, InvoiceRef, IssuedInvoice, SeriesInfo,
    SeriesMark, StockPage, StockPaging, VatRateInfo, Warehouse,
};
use crate::{BillingService, BoxFuture, Collected, Collection, ServiceKind};

impl BillingService for Oblio {
    fn kind(&self) -> ServiceKind {
        ServiceKind::Oblio
    }

    fn test_connection(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let companies: Vec<Company> = self.nomenclature("companies", &[]).await?;
            if companies.iter().any(|c| c.cif == self.config.cif) {
                Ok(())
            } else {
                Err(BillingError::CompanyNotFound {
                    service: SERVICE,
                    company: self.config.cif.clone(),
                })
            }
        })
    }

    fn company_name(&self) -> BoxFuture<'_, Option<String>> {
        Box::pin(async move {
            let companies: Vec<Company> = self.nomenclature("companies", &[]).await?;
            Ok(companies
                .into_iter()
                .find(|c| c.cif == self.config.cif)
                .and_then(|c| c.company))
        })
    }

    /// One per (work point, management): the id names both (see [`super::warehouse_parts`]).
    fn warehouses(&self) -> BoxFuture<'_, Vec<Warehouse>> {
        Box::pin(self.read_warehouses())
    }

    fn series(&self) -> BoxFuture<'_, Vec<SeriesInfo>> {
        Box::pin(self.read_series())
    }

    fn vat_rates(&self) -> BoxFuture<'_, Vec<VatRateInfo>> {
        Box::pin(async move {
            let list: Vec<Vat> = self.nomenclature("vat_rates", &[]).await?;
            Ok(list
                .into_iter()
                .map(|v| VatRateInfo {
                    name: v.name,
                    percent: v.percent.0,
                })
                .collect())
        })
    }

    fn stock<'a>(
        &'a self,
        warehouse: &'a str,
        codes: Option<&'a [ProductCode]>,
    ) -> BoxFuture<'a, Vec<BillingProduct>> {
        Box::pin(self.stock_of(warehouse, codes))
    }

    /// `nomenclature/products` is an "other" call: 30 / 10 s documented.
    fn stock_paging(&self) -> StockPaging {
        StockPaging {
            page_size: Some(250),
            limit: Rate::new(30, Duration::from_secs(10)),
            paced: OTHER_RATE,
        }
    }

    fn stock_page<'a>(&'a self, warehouse: &'a str, page: u64) -> BoxFuture<'a, StockPage> {
        Box::pin(self.stock_page_of(warehouse, page))
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
            let all = self.read_series().await?;
            match all.into_iter().find(|s| s.name == series) {
                Some(s) => Ok(SeriesMark {
                    series: series.to_owned(),
                    next_number: s.next_number,
                }),
                None => Err(BillingError::SeriesUnknown {
                    series: series.to_owned(),
                }),
            }
        })
    }

    fn find_invoice<'a>(&'a self, lookup: &'a InvoiceLookup) -> BoxFuture<'a, Existing> {
        Box::pin(async move { recover::find(&recover::Reads::new(self), lookup).await })
    }

    fn read_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, Option<InvoiceFacts>> {
        Box::pin(async move { recover::Reads::new(self).invoice(invoice).await })
    }

    fn reverse_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, InvoiceRef> {
        Box::pin(async move {
            let body = body::storno(&self.config.cif, invoice);
            self.post_doc("storno invoice", &body).await
        })
    }

    fn cancel_invoice<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, ()> {
        Box::pin(self.cancel(invoice))
    }

    fn issue_credit<'a>(
        &'a self,
        credit: &'a CreditDraft,
        series: &'a str,
    ) -> BoxFuture<'a, IssuedInvoice> {
        Box::pin(self.credit(credit, series))
    }

    fn find_credit<'a>(&'a self, lookup: &'a CreditLookup) -> BoxFuture<'a, Existing> {
        Box::pin(async move { recover::find_credit(&recover::Reads::new(self), lookup).await })
    }

    fn efactura_state<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, SpvState> {
        Box::pin(self.read_efactura(invoice))
    }

    fn send_efactura<'a>(&'a self, invoice: &'a InvoiceRef) -> BoxFuture<'a, SpvState> {
        Box::pin(self.upload_efactura(invoice))
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
