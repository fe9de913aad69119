//! SmartBill collections [SB-SPEC]: `POST /payment` of type `Ramburs` tied to the invoice by
//! `invoicesList` (`useInvoiceDetails` takes the client from the invoice, so the client's CIF
//! always matches it; `value` is sent, the amount the courier paid out), and the read
//! `GET /invoice/paymentstatus` (`paidAmount`, `invoiceTotalAmount`). `isCash: false`: the
//! courier pays cash-on-delivery money into the bank account, not into the till.

use serde::Serialize;

use super::reply::{Context, PaymentStatus, parse};
use super::{SmartBill, recover};
use crate::collect::{Collected, Collection};
use crate::error::BillingError;
use crate::model::InvoiceRef;
use crate::wire::Num;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PaymentBody<'a> {
    company_vat_code: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    issue_date: String,
    value: Num,
    is_cash: bool,
    use_invoice_details: bool,
    observation: &'a str,
    invoices_list: [InvoiceItem<'a>; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct InvoiceItem<'a> {
    series_name: &'a str,
    number: &'a str,
}

impl SmartBill {
    pub(super) async fn collect(
        &self,
        invoice: &InvoiceRef,
        c: &Collection,
    ) -> Result<(), BillingError> {
        let body = PaymentBody {
            company_vat_code: &self.config.cif,
            kind: "Ramburs",
            issue_date: c.on.format("%Y-%m-%d").to_string(),
            value: Num(c.amount.round_dp(2)),
            is_cash: false,
            use_invoice_details: true,
            observation: &c.reference,
            invoices_list: [InvoiceItem {
                series_name: &invoice.series,
                number: &invoice.number,
            }],
        };
        let reply = self.post("record collection", "payment", &body).await?;
        let label = invoice.label();
        let cx = Context {
            invoice: &label,
            ..self.cx(&invoice.series, "")
        };
        parse::<serde_json::Value>(&reply, cx).map(|_| ())
    }

    pub(super) async fn paid_on(&self, invoice: &InvoiceRef) -> Result<Collected, BillingError> {
        let reads = recover::Reads::new(self);
        let status: PaymentStatus = reads.status(invoice).await?;
        Ok(Collected {
            total: status.invoice_total_amount.map(|t| t.0),
            paid: status.paid_amount.map(|p| p.0).unwrap_or_default(),
        })
    }
}
