//! FGO collections [FGO-V7] (section 3.4 of billing-apis.md): `POST /factura/incasare` with
//! `NumarFactura`, `SerieFactura`, `TipIncasare`, `SumaIncasata` ("XXXX.XX") and
//! `DataIncasare` ("yyyy-mm-dd hh:mm:ss"), hashed by `NumarFactura` (Premium / Enterprise
//! plans only: a plan without it answers `Success:false`, shown to the merchant); the read is
//! `/factura/getstatus`'s `ValoareAchitata`. FGO's collection types are Banca / Retur Casa /
//! Bon / Chitanta: cash on delivery reaches the bank account from the courier, so "Banca".

use serde::Serialize;

use super::Fgo;
use super::body::{Auth, DocBody};
use super::reply::parse;
use crate::collect::{Collected, Collection, money};
use crate::error::BillingError;
use crate::http::Repeat;
use crate::model::InvoiceRef;

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct IncasareBody<'a> {
    #[serde(flatten)]
    auth: Auth<'a>,
    numar_factura: &'a str,
    serie_factura: &'a str,
    tip_incasare: &'static str,
    suma_incasata: String,
    data_incasare: String,
}

impl Fgo {
    pub(super) async fn collect(
        &self,
        invoice: &InvoiceRef,
        c: &Collection,
    ) -> Result<(), BillingError> {
        let body = IncasareBody {
            auth: self.auth(&invoice.number),
            numar_factura: &invoice.number,
            serie_factura: &invoice.series,
            tip_incasare: "Banca",
            suma_incasata: money(c.amount),
            data_incasare: format!("{} 12:00:00", c.on.format("%Y-%m-%d")),
        };
        let reply = self
            .post(
                "record collection",
                "factura/incasare",
                Repeat::Unsafe,
                &self.invoices,
                &body,
            )
            .await?;
        parse::<serde_json::Value>(&reply, &invoice.label()).map(|_| ())
    }

    pub(super) async fn paid_on(&self, invoice: &InvoiceRef) -> Result<Collected, BillingError> {
        let body = DocBody {
            auth: self.auth(&invoice.number),
            numar: &invoice.number,
            serie: &invoice.series,
        };
        let reply = self
            .post(
                "read collections",
                "factura/getstatus",
                Repeat::Safe,
                &self.invoices,
                &body,
            )
            .await?;
        let answer = parse::<serde_json::Value>(&reply, &invoice.label())?;
        let doc = answer.factura.ok_or(BillingError::InvoiceNotFound {
            invoice: invoice.label(),
        })?;
        Ok(Collected {
            total: doc.valoare.map(|v| v.0),
            paid: doc.valoare_achitata.map(|v| v.0).unwrap_or_default(),
        })
    }
}
