//! After a lost answer, FGO is asked only through reads ([`Reads`] holds nothing but
//! `/factura/getstatus`, hashed by the number): FGO's API lists no invoices and shows no order
//! reference, and it has no series counter to read, so the invoices numbered after the last one
//! Punte holds in the series are read one by one until a number does not exist. An invoice is
//! this order's only when it is the one such invoice Punte has not tied to another order and
//! its value is the draft's total; anything less certain is `Unsure` for the merchant. Numbers
//! are written in the series' own format (FGO's "001"), learned from known invoices or, for a
//! series Punte has not used yet, from its first invoice.

use super::Fgo;
use super::body::DocBody;
use super::reply::parse;
use crate::error::BillingError;
use crate::http::Repeat;
use crate::model::{Existing, InvoiceFacts, InvoiceLookup, InvoiceRef, known_width, series_number};

/// Numbers read past the last known one before a person is asked instead.
const MAX_PROBES: u64 = 30;
/// Widths tried for a series Punte has no number of: the docs' "001", plain, four digits.
const WIDTHS: [usize; 3] = [3, 0, 4];

/// The only FGO calls recovery may make.
pub(super) struct Reads<'a> {
    fgo: &'a Fgo,
}

impl<'a> Reads<'a> {
    pub(super) fn new(fgo: &'a Fgo) -> Self {
        Self { fgo }
    }

    /// The invoice `series` `number` (exactly as written), or `None` when FGO says it does not
    /// exist.
    pub(super) async fn invoice(
        &self,
        invoice: &InvoiceRef,
    ) -> Result<Option<InvoiceFacts>, BillingError> {
        let body = DocBody {
            auth: self.fgo.auth(&invoice.number),
            numar: &invoice.number,
            serie: &invoice.series,
        };
        let reply = self
            .fgo
            .post(
                "read invoice",
                "factura/getstatus",
                Repeat::Safe,
                &self.fgo.invoices,
                &body,
            )
            .await?;
        match parse::<serde_json::Value>(&reply, &invoice.label()) {
            Ok(answer) => Ok(answer.factura.map(|doc| InvoiceFacts {
                invoice: doc.invoice_ref(),
                total: doc.valoare.map(|v| v.0),
                order_id: None,
                cancelled: doc.anulata.unwrap_or(false),
            })),
            Err(BillingError::InvoiceNotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The number `n` of `series` if it exists, in the first of `widths` that finds it.
    async fn numbered(
        &self,
        series: &str,
        n: u64,
        widths: &[usize],
    ) -> Result<Option<(usize, InvoiceFacts)>, BillingError> {
        for &w in widths {
            let candidate = InvoiceRef::new(series, series_number(n, w));
            if let Some(facts) = self.invoice(&candidate).await? {
                return Ok(Some((w, facts)));
            }
        }
        Ok(None)
    }
}

/// Whether `lookup`'s invoice exists, by reads only.
pub(super) async fn find(
    reads: &Reads<'_>,
    lookup: &InvoiceLookup,
) -> Result<Existing, BillingError> {
    let series = lookup.series.as_str();
    let last_known = lookup
        .known
        .iter()
        .filter(|k| k.series == series)
        .filter_map(|k| k.number.parse::<u64>().ok())
        .max();
    let mut widths: Vec<usize> = match known_width(&lookup.known, series) {
        Some(w) => vec![w],
        None => WIDTHS.to_vec(),
    };
    let mut unexplained = Vec::new();
    let first = last_known.map_or(1, |n| n + 1);
    for n in first..first + MAX_PROBES {
        let Some((width, facts)) = reads.numbered(series, n, &widths).await? else {
            return Ok(crate::recover::judge(
                super::reply::SERVICE,
                lookup,
                unexplained,
            ));
        };
        widths = vec![width];
        let known = lookup
            .known
            .iter()
            .any(|k| k.series == series && k.number == facts.invoice.number);
        if !known {
            unexplained.push(facts);
        }
    }
    Ok(Existing::Unsure {
        candidates: unexplained.into_iter().map(|f| f.invoice).collect(),
        reason: format!(
            "more than {MAX_PROBES} invoices follow, in series {series}, the last one Punte knows"
        ),
    })
}
