//! Oblio collections [OB-DOC] `#docs_collect`: `PUT docs/invoice/collect` with `collect{type:
//! "Ramburs", documentNumber, value, issueDate}` (a type other than `Chitanta` needs its
//! `documentNumber`: the order's name), and the read `GET docs/invoice`, whose `collects[]`
//! lists what is recorded on the invoice. The collect is a document call (30 / 100 s).

use serde::Deserialize;

use super::Oblio;
use super::reply::data;
use crate::collect::{Collected, Collection};
use crate::endpoint::join;
use crate::error::BillingError;
use crate::http::Repeat;
use crate::model::InvoiceRef;
use crate::wire::WireDecimal;

#[derive(Debug, Deserialize)]
struct Viewed {
    #[serde(default)]
    collects: Vec<OneCollect>,
}

#[derive(Debug, Deserialize)]
struct OneCollect {
    #[serde(default)]
    value: WireDecimal,
}

/// Oblio answers an unknown document with a message, not a typed status.
fn not_found(e: BillingError, invoice: &InvoiceRef) -> BillingError {
    match &e {
        BillingError::Rejected { text, .. } if text.to_lowercase().contains("nu a fost gasit") => {
            BillingError::InvoiceNotFound {
                invoice: invoice.label(),
            }
        }
        _ => e,
    }
}

impl Oblio {
    pub(super) async fn collect(
        &self,
        invoice: &InvoiceRef,
        c: &Collection,
    ) -> Result<(), BillingError> {
        let url = join(&self.base, "docs/invoice/collect");
        let body = serde_json::json!({"cif": self.config.cif, "seriesName": invoice.series,
            "number": invoice.number, "collect": {"type": "Ramburs",
            "documentNumber": c.reference, "value": crate::collect::money(c.amount),
            "issueDate": c.on.format("%Y-%m-%d").to_string()}});
        let build =
            |cl: &reqwest::Client, token: &str| cl.put(url.clone()).bearer_auth(token).json(&body);
        let reply = self
            .authed("record collection", Repeat::Unsafe, true, &build)
            .await?;
        data::<serde_json::Value>(&reply)
            .map(|_| ())
            .map_err(|e| not_found(e, invoice))
    }

    pub(super) async fn paid_on(&self, invoice: &InvoiceRef) -> Result<Collected, BillingError> {
        let q = [
            ("seriesName", invoice.series.clone()),
            ("number", invoice.number.clone()),
        ];
        let viewed: Viewed = self
            .read("read collections", "docs/invoice", &q)
            .await
            .map_err(|e| not_found(e, invoice))?;
        Ok(Collected {
            total: None,
            paid: viewed.collects.iter().map(|c| c.value.0).sum(),
        })
    }
}
