//! `BillingService` for SmartBill: the trait's operations mapped onto the client's calls, kept apart
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

impl BillingService for SmartBill {
    fn kind(&self) -> ServiceKind {
        ServiceKind::SmartBill
    }

    fn test_connection(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move { self.read_series().await.map(|_| ()) })
    }

    /// V1 has no warehouse list: the names come from today's stock report (a warehouse that
    /// never held stock does not appear).
    fn warehouses(&self) -> BoxFuture<'_, Vec<Warehouse>> {
        Box::pin(async move {
            let list = self.stock_list(None, None).await?;
            Ok(list
                .list
                .into_iter()
                .map(|w| Warehouse {
                    id: w.warehouse.name.clone(),
                    name: w.warehouse.name,
                })
                .collect())
        })
    }

    fn series(&self) -> BoxFuture<'_, Vec<SeriesInfo>> {
        Box::pin(self.read_series())
    }

    fn vat_rates(&self) -> BoxFuture<'_, Vec<VatRateInfo>> {
        Box::pin(async move {
            let reply = self.get("list VAT rates", "tax", &[]).await?;
            let taxes: Taxes = parse(&reply, self.cx("", ""))?;
            Ok(taxes
                .taxes
                .into_iter()
                .map(|t| VatRateInfo {
                    name: t.name,
                    percent: t.percentage.0,
                })
                .collect())
        })
    }

    /// A company that is not a VAT payer has no rates in SmartBill: an empty list means exempt
    /// (SmartBill's own WooCommerce plugin reads it so).
    fn company_vat(&self) -> BoxFuture<'_, CompanyVatInfo> {
        Box::pin(async move {
            let rates = self.vat_rates().await?;
            let payer = Some(
                rates
                    .iter()
                    .any(|r| r.percent > rust_decimal::Decimal::ZERO),
            );
            Ok(CompanyVatInfo { rates, payer })
        })
    }

    /// SmartBill's stock read (`GET /stocks`) shows no product VAT (its OpenAPI spec
    /// 2026-08): nothing to compare, so no call.
    fn product_vat_rates<'a>(
        &'a self,
        _warehouse: &'a str,
        _codes: &'a [ProductCode],
    ) -> BoxFuture<'a, std::collections::HashMap<ProductCode, punte_core::money::VatRate>> {
        Box::pin(async { Ok(std::collections::HashMap::new()) })
    }

    fn stock<'a>(
        &'a self,
        warehouse: &'a str,
        codes: Option<&'a [ProductCode]>,
    ) -> BoxFuture<'a, Vec<BillingProduct>> {
        Box::pin(self.stock_of(warehouse, codes))
    }

    /// `/stocks` answers the whole warehouse in one call; 30 calls / 10 s per token.
    fn stock_paging(&self) -> StockPaging {
        StockPaging {
            page_size: None,
            limit: Rate::new(30, Duration::from_secs(10)),
            paced: RATE,
        }
    }

    fn stock_page<'a>(&'a self, warehouse: &'a str, page: u64) -> BoxFuture<'a, StockPage> {
        Box::pin(async move {
            let products = match page {
                0 => self.stock_of(warehouse, None).await?,
                _ => Vec::new(),
            };
            Ok(StockPage {
                products,
                last: true,
            })
        })
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
            let found = all.into_iter().find(|s| s.name == series);
            let Some(found) = found else {
                return Err(BillingError::SeriesUnknown {
                    series: series.to_owned(),
                });
            };
            Ok(SeriesMark {
                series: series.to_owned(),
                next_number: found.next_number,
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
        Box::pin(self.reverse(invoice))
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
