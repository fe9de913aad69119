//! The way out of needs-review: the merchant says "the invoice exists: link it" (with its
//! series and number) or "it does not: issue it", and the engine checks either against the
//! billing service by reading before it accepts: a linked invoice must exist, not be
//! cancelled, not belong to another order (in Punte or by its `punte:<id>` mention) and carry
//! the order's total; issuing again needs the lost-answer lookup to find no invoice of the
//! order and no candidate with its total. An order held by the pre-issue checks (never sent)
//! is drafted again and checked again instead. The decision is written to the order's history
//! with the merchant as its source. A credit note in review takes the same path
//! (`credit_review`): retry, issued by hand, or not needed; so does a Shopify cancellation in
//! review (`cancel_review`): handled in the billing service.

use punte_billing::{Existing, InvoiceRef, SeriesMark};
use punte_core::invoice::InvoiceDraft;
use punte_core::order::OrderId;
use punte_store::{Change, OutboxItem, OutboxState, StoreError};
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::invoice_draft::redraft_held;
use crate::invoice_send::{confirm_as, lookup_for};
use crate::invoicing::{InvoiceOutcome, process};
use crate::kv;
use crate::pre_issue;
use crate::{cancel_review, credit_review};

/// What the merchant decided about an invoice in review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "resolution", rename_all = "snake_case")]
pub enum Resolution {
    /// The invoice exists in the billing service: tie it to the order.
    Link { series: String, number: String },
    /// It does not exist: issue it now.
    IssueAnew,
    /// A credit note in review (issue 16): read again, then send it if none is found.
    CreditRetry { refund: u64 },
    /// The refund's credit note was issued by hand in the billing service: record it.
    CreditByHand {
        refund: u64,
        series: String,
        number: String,
    },
    /// No credit note is needed for this refund: close it with the merchant's note.
    CreditNotNeeded { refund: u64, note: String },
    /// A Shopify cancellation in review (after a partial credit note, or a lost storno
    /// answer) was handled in the billing service: note it, send nothing.
    CancelHandled { note: String },
}

impl Resolution {
    /// Whether it decides about a credit note rather than the invoice.
    #[must_use]
    pub fn is_credit(&self) -> bool {
        !matches!(
            self,
            Self::Link { .. } | Self::IssueAnew | Self::CancelHandled { .. }
        )
    }
}

fn refuse(order: OrderId, ro: &str, en: &str) -> EngineError {
    EngineError::ResolutionRefused {
        order,
        reason: format!("{ro} / {en}"),
    }
}

async fn reviewed(ctx: &Ctx, order: OrderId) -> Result<OutboxItem, EngineError> {
    let items = ctx.store().call(move |s| s.outbox_for_order(order)).await?;
    items
        .into_iter()
        .rev()
        .find(|i| i.state == OutboxState::NeedsReview)
        .ok_or(EngineError::NotInReview(order))
}

fn draft_of(item: &OutboxItem) -> Result<InvoiceDraft, EngineError> {
    serde_json::from_str(&item.intent.draft)
        .map_err(|e| StoreError::BadValue(format!("outbox draft: {e}")).into())
}

/// Applies the merchant's `resolution` to `order`'s reviewed invoice, once the billing service
/// confirms it by reading.
pub(crate) async fn resolve(
    ctx: &Ctx,
    order: OrderId,
    resolution: Resolution,
) -> Result<InvoiceOutcome, EngineError> {
    if resolution.is_credit() {
        return credit_review::resolve(ctx, order, resolution).await;
    }
    if let Resolution::CancelHandled { note } = resolution {
        let _one_item = ctx.outbox.lock().await;
        return cancel_review::handled(ctx, order, note).await;
    }
    let checked = {
        let _one_item = ctx.outbox.lock().await;
        let item = reviewed(ctx, order).await?;
        let held = pre_issue::was_held(ctx, item.id).await?;
        match resolution {
            Resolution::Link { series, number } => {
                let invoice = InvoiceRef::new(series.trim(), number.trim());
                return link(ctx, &item, invoice).await;
            }
            // Held by the pre-issue checks, never sent: nothing to look for; drafted again
            // from the order as the merchant fixed it, and checked again.
            Resolution::IssueAnew if held => retry_held(ctx, &item).await?,
            Resolution::IssueAnew => check_absent(ctx, &item).await?,
            _ => return Err(EngineError::NotInReview(order)),
        }
    };
    process(ctx, checked).await
}

async fn link(
    ctx: &Ctx,
    item: &OutboxItem,
    invoice: InvoiceRef,
) -> Result<InvoiceOutcome, EngineError> {
    let order = item.intent.order_id;
    let label = invoice.label();
    let (series, number) = (invoice.series.clone(), invoice.number.clone());
    let holder = ctx
        .store()
        .call(move |s| s.invoice_holder(&series, &number))
        .await?;
    if let Some(other) = holder.filter(|o| *o != order) {
        return Err(refuse(
            order,
            &format!("Factura {label} este deja legată de comanda {}.", other.0),
            &format!("Invoice {label} is already tied to order {}.", other.0),
        ));
    }
    let billing = ctx.billing().await?;
    ctx.billing_call();
    let Some(facts) = billing.read_invoice(&invoice).await? else {
        return Err(refuse(
            order,
            &format!("Factura {label} nu există în programul de facturare."),
            &format!("Invoice {label} does not exist in the billing service."),
        ));
    };
    if let Some(other) = facts.order_id.filter(|o| *o != order.0) {
        return Err(refuse(
            order,
            &format!("Factura {label} este a comenzii {other} (mențiunea de pe factură)."),
            &format!("Invoice {label} names order {other} (its mention)."),
        ));
    }
    if facts.cancelled {
        return Err(refuse(
            order,
            &format!("Factura {label} este anulată."),
            &format!("Invoice {label} is cancelled."),
        ));
    }
    let total = draft_of(item)?.total();
    if let Some(t) = facts.total.filter(|t| *t != total) {
        return Err(refuse(
            order,
            &format!("Factura {label} are totalul {t}, comanda {total}."),
            &format!("Invoice {label} totals {t}; the order totals {total}."),
        ));
    }
    // A reason with parameters is a JSON object with its code (the window words it).
    let reason = match facts.total {
        Some(t) => {
            serde_json::json!({"code": "invoice_linked_after_review_total", "invoice": label, "total": t.to_string()})
        }
        None => serde_json::json!({"code": "invoice_linked_after_review", "invoice": label}),
    };
    let change = Change::new(ctx.now(), &reason.to_string(), "merchant");
    let found = InvoiceRef {
        link: facts.invoice.link.or(invoice.link),
        ..invoice
    };
    confirm_as(ctx, item, found, false, change).await
}

/// A held item drafted anew and back to an intent, in one transaction (history: retried after
/// the checks); an order no longer invoiceable stays held.
async fn retry_held(ctx: &Ctx, item: &OutboxItem) -> Result<OutboxItem, EngineError> {
    let id = item.id;
    let change = Change::new(ctx.now(), "invoice_retried_after_check", "merchant");
    redraft_held(ctx, item, change).await?;
    let items = ctx
        .store()
        .call({
            let order = item.intent.order_id;
            move |s| s.outbox_for_order(order)
        })
        .await?;
    Ok(items
        .into_iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| item.clone()))
}

/// Checks by reading that `item`'s invoice does not exist, then makes it an intent again.
async fn check_absent(ctx: &Ctx, item: &OutboxItem) -> Result<OutboxItem, EngineError> {
    let order = item.intent.order_id;
    let draft = draft_of(item)?;
    let series = ctx.config.settings.invoice_series.clone();
    let id = item.id;
    let saved: Option<SeriesMark> = ctx
        .store()
        .call(move |s| kv::read(s, &kv::mark_key(id)))
        .await?;
    // Ever marked sent (the mark is saved with that move, and each one counts an attempt).
    let sent = saved.is_some() || item.attempts > 0;
    let mark = saved.unwrap_or_else(|| SeriesMark {
        series: series.clone(),
        next_number: None,
    });
    let lookup = lookup_for(ctx, item, &draft, &series, mark).await?;
    let billing = ctx.billing().await?;
    ctx.billing_call();
    let candidates = match billing.find_invoice(&lookup).await? {
        Existing::Absent => Vec::new(),
        Existing::Found { invoice } => {
            let label = invoice.label();
            return Err(refuse(
                order,
                &format!("Factura comenzii există: {label}. Legați-o în loc să emiteți alta."),
                &format!(
                    "The order's invoice exists: {label}. Link it instead of issuing another."
                ),
            ));
        }
        // Sent once, and reads that cannot tell name nothing to check: issuing could double it.
        Existing::Unsure { candidates, reason } if sent && candidates.is_empty() => {
            return Err(crate::review_unread::invoice(order, &reason));
        }
        Existing::Unsure { candidates, .. } => candidates,
    };
    for candidate in candidates {
        ctx.billing_call();
        let Some(facts) = billing.read_invoice(&candidate).await? else {
            continue;
        };
        if !facts.cancelled && facts.total == Some(draft.total()) {
            let label = candidate.label();
            return Err(refuse(
                order,
                &format!(
                    "Factura {label} are totalul acestei comenzi; dacă e a ei, legați-o, altfel \
                     anulați-o în programul de facturare înainte de a emite."
                ),
                &format!(
                    "Invoice {label} has this order's total; if it is this order's, link it, \
                     otherwise cancel it in the billing service before issuing."
                ),
            ));
        }
    }
    let change = Change::new(ctx.now(), "invoice_issued_after_review", "merchant");
    ctx.store()
        .call(move |s| s.retry_reviewed_invoice(id, &change))
        .await?;
    let mut again = item.clone();
    again.state = OutboxState::Intent;
    again.error = None;
    Ok(again)
}
