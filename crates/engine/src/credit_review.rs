//! The way out for a credit note in needs-review or failed (issue 16), on the same path as
//! invoices (`review::resolve`): the merchant names the refund and says "retry" (after fixing the
//! cause), "I issued it by hand" (its series and number: recorded, nothing is sent) or "no
//! credit note is needed" (closed with a note). A retry reads first, like a lost answer: a
//! credit the service shows is recorded, a document that could be it (same total) refuses the
//! retry and names it, reads that cannot tell refuse it too, and only when none is found does
//! the item go back to the credit outbox, which sends it exactly once. The reads run before the
//! outbox lock (every billing write waits on it) and the item is checked unchanged under it.
//! Every decision is written to the order's history.

use punte_billing::{Existing, InvoiceRef, SeriesMark};
use punte_core::credit_note::CreditDraft;
use punte_core::order::OrderId;
use punte_store::{Change, CreditDecision, CreditItem, CreditState, IssuedInvoice, StoreError};

use crate::context::Ctx;
use crate::credit_send::{self, confirm, lookup_for, mark_key};
use crate::error::EngineError;
use crate::invoicing::InvoiceOutcome;
use crate::kv;
use crate::review::Resolution;

fn refuse(order: OrderId, ro: &str, en: &str) -> EngineError {
    EngineError::ResolutionRefused {
        order,
        reason: format!("{ro} / {en}"),
    }
}

/// The credit item of `refund` on `order`, if it waits for the merchant: in review, or failed
/// (nothing sends a failed credit note again by itself).
async fn reviewed(ctx: &Ctx, order: OrderId, refund: u64) -> Result<CreditItem, EngineError> {
    let items = ctx.store().call(move |s| s.credits_of(order)).await?;
    items
        .into_iter()
        .find(|c| {
            c.refund_id == refund
                && matches!(c.state, CreditState::NeedsReview | CreditState::Failed)
        })
        .ok_or(EngineError::NotInReview(order))
}

fn draft_of(item: &CreditItem) -> Result<Option<CreditDraft>, EngineError> {
    item.draft
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| StoreError::BadValue(format!("credit draft: {e}")).into())
}

async fn decide(
    ctx: &Ctx,
    item: &CreditItem,
    decision: CreditDecision,
    reason: serde_json::Value,
) -> Result<(), EngineError> {
    let (id, change) = (
        item.id,
        Change::new(ctx.now(), &reason.to_string(), "merchant"),
    );
    ctx.store()
        .call(move |s| s.resolve_reviewed_credit(id, &decision, &change))
        .await?;
    Ok(())
}

/// Applies a credit `resolution` to `order`'s reviewed credit note.
pub(crate) async fn resolve(
    ctx: &Ctx,
    order: OrderId,
    resolution: Resolution,
) -> Result<InvoiceOutcome, EngineError> {
    let retried = match resolution {
        Resolution::CreditRetry { refund } => {
            // The reads run before the outbox lock, which every billing write waits on; under
            // it the item must still be as it was when they began.
            let seen = reviewed(ctx, order, refund).await?;
            let reading = read_first(ctx, &seen).await?;
            let _one_item = ctx.outbox.lock().await;
            let item = unchanged(ctx, &seen).await?;
            match reading {
                Reading::Found(draft, doc) => {
                    return confirm(ctx, &item, &draft, doc, false).await;
                }
                Reading::Absent => {
                    let reason = serde_json::json!({"code": "credit_retried_after_review", "refund": refund.to_string()});
                    decide(ctx, &item, CreditDecision::Retry, reason).await?;
                    item
                }
            }
        }
        Resolution::CreditByHand {
            refund,
            series,
            number,
        } => {
            let _one_item = ctx.outbox.lock().await;
            let item = reviewed(ctx, order, refund).await?;
            return by_hand(ctx, &item, series.trim(), number.trim()).await;
        }
        Resolution::CreditNotNeeded { refund, note } => {
            let _one_item = ctx.outbox.lock().await;
            let item = reviewed(ctx, order, refund).await?;
            let note = note.trim().to_owned();
            let reason = serde_json::json!({"code": "credit_not_needed", "refund": refund.to_string(), "note": note});
            decide(ctx, &item, CreditDecision::NotNeeded(note.clone()), reason).await?;
            return Ok(InvoiceOutcome::NotNeeded);
        }
        Resolution::Link { .. } | Resolution::IssueAnew | Resolution::CancelHandled { .. } => {
            return Err(EngineError::NotInReview(order));
        }
    };
    // Back in the credit outbox as an intent: sent once, under its own lock.
    let id = retried.id;
    let item = ctx
        .store()
        .call(move |s| s.credit(id))
        .await?
        .unwrap_or(retried);
    credit_send::process(ctx, item).await
}

/// What the reads before a retry found.
enum Reading {
    /// The credit exists: this document (recorded, nothing sent).
    Found(Box<CreditDraft>, InvoiceRef),
    /// No document could be it (or it was never sent): it may be sent.
    Absent,
}

/// `seen` read again under the outbox lock: moved meanwhile (another click, the other way
/// out), it is not retried on reads made before the move.
async fn unchanged(ctx: &Ctx, seen: &CreditItem) -> Result<CreditItem, EngineError> {
    let (id, order) = (seen.id, seen.order_id);
    match ctx.store().call(move |s| s.credit(id)).await? {
        Some(now) if now == *seen => Ok(now),
        Some(now) if matches!(now.state, CreditState::NeedsReview | CreditState::Failed) => {
            Err(refuse(
                order,
                "Nota de credit s-a schimbat cât timp Punte citea programul de facturare; \
                 priviți-o din nou, apoi alegeți.",
                "The credit note changed while Punte was reading the billing service; look at \
                 it again, then choose.",
            ))
        }
        _ => Err(EngineError::NotInReview(order)),
    }
}

/// Reads before a retry, without the outbox lock (a review or failed item is sent by nobody
/// else). A document that could be it, or reads that cannot tell, refuse the retry.
async fn read_first(ctx: &Ctx, item: &CreditItem) -> Result<Reading, EngineError> {
    let order = item.order_id;
    let Some(draft) = draft_of(item)? else {
        return Err(refuse(
            order,
            "Rambursarea nu are linii pe care Punte să le poată credita; emiteți nota de credit \
             manual (apoi „Am emis-o manual”) sau alegeți „Nu e nevoie de notă de credit”.",
            "The refund has no line Punte can credit; issue the credit note by hand (then \"I \
             issued it by hand\") or choose \"No credit note needed\".",
        ));
    };
    let id = item.id;
    let mark: Option<SeriesMark> = ctx
        .store()
        .call(move |s| kv::read(s, &mark_key(id)))
        .await?;
    let Some(mark) = mark else {
        // Sent without a mark (an older version): nothing tells where to look.
        if item.attempts > 0 {
            return Err(crate::review_unread::credit(
                order,
                "sent without a series mark",
            ));
        }
        // Never sent (no mark taken): nothing to look for.
        return Ok(Reading::Absent);
    };
    let lookup = lookup_for(ctx, item, &draft, mark).await?;
    let billing = ctx.billing().await?;
    ctx.billing_call();
    let candidates = match billing.find_credit(&lookup).await? {
        Existing::Absent => Vec::new(),
        Existing::Found { invoice } => return Ok(Reading::Found(Box::new(draft), invoice)),
        // Reads that cannot tell and name nothing to check: sending could make a second one.
        Existing::Unsure { candidates, reason } if candidates.is_empty() => {
            return Err(crate::review_unread::credit(order, &reason));
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
                    "Documentul {label} are totalul acestei note de credit; dacă e ea, alegeți \
                     „Am emis-o manual” cu numărul lui, altfel anulați-l în programul de \
                     facturare înainte de a reîncerca."
                ),
                &format!(
                    "Document {label} has this credit note's total; if it is this one, choose \
                     \"I issued it by hand\" with its number, otherwise cancel it in the billing \
                     service before retrying."
                ),
            ));
        }
    }
    Ok(Reading::Absent)
}

/// Records a credit note the merchant issued in the billing service; nothing is sent.
async fn by_hand(
    ctx: &Ctx,
    item: &CreditItem,
    series: &str,
    number: &str,
) -> Result<InvoiceOutcome, EngineError> {
    let order = item.order_id;
    let doc = IssuedInvoice {
        series: series.to_owned(),
        number: number.to_owned(),
        link: None,
    };
    let label = InvoiceRef::new(series, number).label();
    let (s2, n2, id) = (doc.series.clone(), doc.number.clone(), item.id);
    let taken = ctx
        .store()
        .call(move |s| {
            Ok(s.credit_number_taken(&s2, &n2, id)? || s.invoice_holder(&s2, &n2)?.is_some())
        })
        .await?;
    if taken {
        return Err(refuse(
            order,
            &format!("Documentul {label} este deja înregistrat în Punte pentru alt document."),
            &format!("Document {label} is already recorded in Punte for another document."),
        ));
    }
    let reason = serde_json::json!({"code": "credit_recorded_by_hand", "refund": item.refund_id.to_string(), "invoice": label});
    decide(ctx, item, CreditDecision::ByHand(doc), reason).await?;
    // A credit issued by hand may have put units back: their stock is read again.
    if let Some(draft) = draft_of(item)? {
        let codes: Vec<_> = draft.lines.iter().filter_map(|l| l.code.clone()).collect();
        let at = ctx.now();
        ctx.store()
            .call(move |s| kv::add_dirty(s, codes, at))
            .await?;
    }
    Ok(InvoiceOutcome::AlreadyIssued {
        series: series.to_owned(),
        number: number.to_owned(),
    })
}
