//! After a lost answer, SmartBill is asked only through reads ([`Reads`] holds nothing but GET
//! calls): the series' next number against the mark taken before sending, then each invoice
//! numbered since, by `GET /invoice/paymentstatus`. SmartBill's v1 API shows no order reference
//! on an invoice, so an invoice is this order's only when it is the one invoice since the mark
//! that Punte has not tied to another order and its total is the draft's; anything less certain
//! is `Unsure`, with the candidates, for the merchant. Numbers are written in the series' own
//! format, learned from invoices Punte already holds (plain "3744" or zero-padded "0007").

use super::SmartBill;
use super::reply::{PaymentStatus, parse};
use crate::error::BillingError;
use crate::model::{Existing, InvoiceFacts, InvoiceLookup, InvoiceRef, known_width, series_number};

/// More invoices than this since the mark: a person looks (the reads would take minutes).
const MAX_CANDIDATES: u64 = 20;
/// Padded width tried when no invoice of the series is known yet (the API docs' "0007").
const USUAL_WIDTH: usize = 4;

/// The only SmartBill calls recovery may make.
pub(super) struct Reads<'a> {
    sb: &'a SmartBill,
}

impl<'a> Reads<'a> {
    pub(super) fn new(sb: &'a SmartBill) -> Self {
        Self { sb }
    }

    async fn next_number(&self, series: &str) -> Result<Option<u64>, BillingError> {
        let all = self.sb.read_series().await?;
        Ok(all
            .into_iter()
            .find(|s| s.name == series)
            .and_then(|s| s.next_number)
            .and_then(|n| n.parse().ok()))
    }

    /// The invoice `series` `number` (exactly as written), or `None` when SmartBill says it
    /// does not exist.
    pub(super) async fn invoice(
        &self,
        invoice: &InvoiceRef,
    ) -> Result<Option<InvoiceFacts>, BillingError> {
        match self.status(invoice).await {
            Ok(status) => Ok(Some(InvoiceFacts {
                invoice: invoice.clone(),
                total: status.invoice_total_amount.map(|t| t.0),
                order_id: None,
                cancelled: false,
            })),
            Err(BillingError::InvoiceNotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl Reads<'_> {
    /// `GET /invoice/paymentstatus` of `invoice`: its total and what is paid on it.
    pub(super) async fn status(&self, invoice: &InvoiceRef) -> Result<PaymentStatus, BillingError> {
        let q = [
            ("seriesname", invoice.series.as_str()),
            ("number", invoice.number.as_str()),
        ];
        let reply = self
            .sb
            .get("read invoice", "invoice/paymentstatus", &q)
            .await?;
        let label = invoice.label();
        let cx = super::Context {
            invoice: &label,
            ..self.sb.cx(&invoice.series, "")
        };
        parse::<PaymentStatus>(&reply, cx)
    }
}

/// The ways `n` may be written in `series`, most likely first.
fn forms(lookup: &InvoiceLookup, n: u64) -> Vec<String> {
    match known_width(&lookup.known, &lookup.series) {
        Some(width) => vec![series_number(n, width)],
        None => {
            let mut all = vec![series_number(n, 0), series_number(n, USUAL_WIDTH)];
            all.dedup();
            all
        }
    }
}

/// Whether `lookup`'s invoice exists, by reads only.
pub(super) async fn find(
    reads: &Reads<'_>,
    lookup: &InvoiceLookup,
) -> Result<Existing, BillingError> {
    let series = lookup.series.as_str();
    let before = lookup
        .mark
        .next_number
        .as_deref()
        .and_then(|n| n.parse::<u64>().ok());
    let after = reads.next_number(series).await?;
    let (before, after) = match (before, after) {
        (Some(b), Some(a)) => (b, a),
        _ => {
            return Ok(Existing::Unsure {
                candidates: Vec::new(),
                reason: format!("SmartBill did not give series {series}'s next number"),
            });
        }
    };
    if after <= before {
        return Ok(Existing::Absent);
    }
    if after - before > MAX_CANDIDATES {
        return Ok(Existing::Unsure {
            candidates: Vec::new(),
            reason: format!(
                "{} invoices were issued in series {series} since this one was sent",
                after - before
            ),
        });
    }
    let mut unexplained = Vec::new();
    for n in before..after {
        let names = forms(lookup, n);
        if lookup
            .known
            .iter()
            .any(|k| k.series == series && names.contains(&k.number))
        {
            continue;
        }
        for number in names {
            let candidate = InvoiceRef::new(series, number);
            if let Some(facts) = reads.invoice(&candidate).await? {
                unexplained.push(facts);
                break;
            }
        }
    }
    Ok(crate::recover::judge(
        super::reply::SERVICE,
        lookup,
        unexplained,
    ))
}
