//! What a cash-on-delivery collection is for, decided before it is sent: the invoice and the
//! amount the courier paid (the invoice's total less its confirmed credit notes, so a line
//! refused at the door and refunded is not collected; a refund not planned yet is planned
//! first, and a credit note in flight, in review or failed makes it wait), and how long a lost
//! answer stays unsettled before a read of "nothing paid" may count as absent.

use chrono::TimeDelta;
use punte_billing::InvoiceRef;
use punte_core::credit_note::CreditDraft;
use punte_core::invoice::InvoiceDraft;
use punte_core::order::OrderId;
use punte_store::{CollectionItem, CreditItem, CreditState, StoreError};
use rust_decimal::Decimal;

use crate::context::Ctx;
use crate::error::EngineError;

/// Where an intent's collection stands before sending.
pub(crate) enum Target {
    /// The order has no confirmed invoice yet.
    NoInvoice,
    /// A credit note of the order is not settled yet: the amount is not known.
    CreditPending,
    /// Collect `amount` on the invoice: its total less its confirmed credit notes (a line
    /// refused at the door and refunded is not paid to the courier).
    Collect(InvoiceRef, Decimal),
}

/// The invoice and amount of an intent: the order's confirmed invoice, its draft's total plus
/// the (negative) totals of the confirmed credit notes on that invoice.
pub(crate) fn target(item: &CollectionItem, credits: &[CreditItem]) -> Result<Target, EngineError> {
    let (Some(inv), Some(draft)) = (&item.invoice, &item.draft) else {
        return Ok(Target::NoInvoice);
    };
    let bad = |e: serde_json::Error| StoreError::BadValue(format!("outbox draft: {e}"));
    let draft: InvoiceDraft = serde_json::from_str(draft).map_err(bad)?;
    let mut amount = draft.total();
    for c in credits {
        match c.state {
            // A failed credit note is not a document yet: the merchant retries or settles it.
            CreditState::Intent
            | CreditState::Sent
            | CreditState::NeedsReview
            | CreditState::Failed => {
                return Ok(Target::CreditPending);
            }
            CreditState::Confirmed => {}
            CreditState::NotNeeded => continue,
        }
        let Some(json) = &c.draft else { continue };
        let credit: CreditDraft = serde_json::from_str(json).map_err(bad)?;
        if credit.invoice_series == inv.series && credit.invoice_number == inv.number {
            amount += credit.total();
        }
    }
    let invoice = InvoiceRef {
        series: inv.series.clone(),
        number: inv.number.clone(),
        link: inv.link.clone(),
    };
    Ok(Target::Collect(invoice, amount))
}

/// The order's credit items, after planning every refund Punte imported but did not plan yet
/// (the orders job plans them; an orders look only imports): a refund with no credit item
/// would otherwise count as nothing refunded, and the whole invoice would be collected.
pub(crate) async fn planned_credits(
    ctx: &Ctx,
    order: OrderId,
) -> Result<Vec<CreditItem>, EngineError> {
    crate::credits::plan_all(ctx).await?;
    Ok(ctx.store().call(move |s| s.credits_of(order)).await?)
}

/// How long after a collection was marked sent a read of "nothing paid" may count as absent.
/// None of the three collection endpoints takes a key the service de-duplicates by, so a call
/// whose answer was lost may still be committed late by a slow service: the grace is longer
/// than everything the HTTP client spends on one write (its timeout per exchange, times the
/// attempts, plus throttling waits of at most a minute each), with a wide margin for a slow
/// service's queue. A read before it decides nothing; the item stays `sent`.
pub(crate) fn grace(ctx: &Ctx) -> TimeDelta {
    let per_call = ctx.config.connections.request_timeout + std::time::Duration::from_secs(60);
    TimeDelta::from_std(per_call * 4).unwrap_or(TimeDelta::MAX) + TimeDelta::minutes(15)
}

#[cfg(test)]
#[path = "collect_target_tests.rs"]
mod tests;
