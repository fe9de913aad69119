//! After a lost answer, Oblio is asked only through reads ([`Reads`] holds nothing but GETs of
//! `docs/invoice/list`): the series' documents issued since the intent, newest first, are
//! searched for the order's `punte:<id>` mention, which every invoice Punte sends carries. The
//! list is Oblio's own record, so no match means no invoice.

use chrono::{Days, Utc};
use chrono_tz::Europe::Bucharest;

use super::Oblio;
use super::reply::Listed;
use crate::error::BillingError;
use crate::model::{Existing, InvoiceFacts, InvoiceLookup, InvoiceRef, mentioned_order};

/// Documents per list page (Oblio's maximum).
pub(super) const LIST_PAGE: usize = 100;
/// Pages read before giving up to a person (1,000 invoices since the intent).
const MAX_PAGES: usize = 10;

/// The only Oblio calls recovery may make.
pub(super) struct Reads<'a> {
    oblio: &'a Oblio,
}

fn facts(row: &Listed) -> InvoiceFacts {
    InvoiceFacts {
        invoice: InvoiceRef {
            series: row.series.clone(),
            number: row.number.clone(),
            link: row.link.clone(),
        },
        total: row.total.map(|t| t.0),
        order_id: row.mentions.as_deref().and_then(mentioned_order),
        cancelled: row.canceled == "1",
    }
}

impl<'a> Reads<'a> {
    pub(super) fn new(oblio: &'a Oblio) -> Self {
        Self { oblio }
    }

    async fn page(
        &self,
        series: &str,
        since: Option<String>,
        offset: usize,
    ) -> Result<Vec<Listed>, BillingError> {
        self.oblio.list_docs(series, None, since, offset).await
    }

    /// The invoice `series` `number`, or `None` when Oblio lists no such document.
    pub(super) async fn invoice(
        &self,
        invoice: &InvoiceRef,
    ) -> Result<Option<InvoiceFacts>, BillingError> {
        let rows = self
            .oblio
            .list_docs(&invoice.series, Some(&invoice.number), None, 0)
            .await?;
        Ok(rows
            .iter()
            .find(|r| same_number(&r.number, &invoice.number))
            .map(facts))
    }
}

fn same_number(a: &str, b: &str) -> bool {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Whether `lookup`'s invoice exists, by reads only.
pub(super) async fn find(
    reads: &Reads<'_>,
    lookup: &InvoiceLookup,
) -> Result<Existing, BillingError> {
    // Oblio dates documents in Romanian time; a day of margin covers clocks and midnight.
    let since = (lookup.since.with_timezone(&Bucharest).date_naive() - Days::new(1))
        .format("%Y-%m-%d")
        .to_string();
    let mut cancelled = Vec::new();
    for page in 0..MAX_PAGES {
        let rows = reads
            .page(&lookup.series, Some(since.clone()), page * LIST_PAGE)
            .await?;
        for row in rows.iter().map(facts) {
            if row.order_id != Some(lookup.order_id) {
                continue;
            }
            if !row.cancelled {
                return Ok(Existing::Found {
                    invoice: row.invoice,
                });
            }
            cancelled.push(row.invoice);
        }
        if rows.len() < LIST_PAGE {
            return Ok(if cancelled.is_empty() {
                Existing::Absent
            } else {
                Existing::Unsure {
                    reason: "Oblio lists this order's invoice as cancelled".into(),
                    candidates: cancelled,
                }
            });
        }
    }
    Ok(Existing::Unsure {
        candidates: cancelled,
        reason: format!(
            "more than {} invoices in series {} since {}; the list was not read to the end",
            MAX_PAGES * LIST_PAGE,
            lookup.series,
            Utc::now().date_naive()
        ),
    })
}
