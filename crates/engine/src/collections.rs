//! Cash-on-delivery collections through an outbox, exactly once. Shopify marking a COD order
//! paid (seen by the import) or the merchant marking it paid writes an intent; once the order's
//! invoice is confirmed and no credit note of it is in flight, the item is marked `sent` (with
//! the invoice and the amount: its total less its confirmed credit notes) before the billing
//! call, and confirmed after its answer. A lost answer, a timeout or a crash leaves it `sent`,
//! and the next pass reads what the invoice shows paid: covered → confirmed, nothing paid and
//! the grace after the send over → sent again (certainly absent; before it, a slow service may
//! still commit the lost call, so nothing is decided), anything else → needs-review with the
//! reason. A refusal is read too: an invoice the merchant already collected by hand is
//! confirmed, not collected twice.
//!
//! An order paid before it is invoiced keeps its intent until the invoice is confirmed, then
//! the collection is recorded on it. Issuing the invoice "as paid" (SmartBill `payment`, Oblio
//! `collect` in the issue body) would tie two writes to one call whose lost answer is settled by
//! a search that cannot see the collection; two outbox items, each settled by its own read, are
//! the safer way for the merchant.

use chrono::{DateTime, Utc};
use punte_billing::{BillingError, BillingService, Collection, InvoiceRef};
use punte_core::order::OrderId;
use punte_core::schedule::BUCHAREST;
use punte_store::{CollectionItem, CollectionSource, CollectionState};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::collect_target::{Target, grace, planned_credits, target};
use crate::context::Ctx;
use crate::error::{EngineError, ErrorInfo};
use crate::notify::NotificationEvent;

/// What happened to one order's collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum CollectionOutcome {
    Recorded {
        invoice: String,
    },
    /// Already on the invoice (recorded earlier, found after a lost answer, or by hand).
    AlreadyRecorded {
        invoice: String,
    },
    /// The order has no confirmed invoice yet: the collection follows the invoice.
    WaitingForInvoice,
    /// A credit note of the order is still being issued: the amount follows it.
    WaitingForCredit,
    /// The service could not be asked now; the intent waits in the outbox.
    Waiting {
        error: ErrorInfo,
    },
    NeedsReview {
        detail: String,
    },
    /// A lost answer is not settled yet: the invoice is read again after `until` (Bucharest
    /// time), when a slow service would have committed the call; nothing is sent before.
    Unsettled {
        until: String,
    },
}

/// The merchant marks `order` paid: writes the intent (once) and records it now if it can.
pub(crate) async fn mark_paid(ctx: &Ctx, order: OrderId) -> Result<CollectionOutcome, EngineError> {
    let (today, at) = (today(ctx), ctx.now());
    let item = ctx
        .store()
        .call(move |s| {
            if s.order(order)?.is_none() {
                return Ok(Err(EngineError::OrderNotFound(order)));
            }
            Ok(Ok(s.add_collection_intent(
                order,
                CollectionSource::Merchant,
                today,
                at,
            )?))
        })
        .await??;
    process(ctx, item).await
}

/// Moves every pending collection forward, oldest first; stops at the first one the service
/// cannot be asked about now (the rest wait).
pub(crate) async fn drain(ctx: &Ctx) -> Result<Vec<(OrderId, CollectionOutcome)>, EngineError> {
    let pending = ctx.store().call(|s| s.pending_collections()).await?;
    let mut out = Vec::new();
    for item in pending.into_iter().filter(|i| i.invoice.is_some()) {
        let order = item.order_id;
        let outcome = process(ctx, item).await?;
        let waiting = matches!(outcome, CollectionOutcome::Waiting { .. });
        out.push((order, outcome));
        if waiting {
            break;
        }
    }
    Ok(out)
}

fn today(ctx: &Ctx) -> chrono::NaiveDate {
    ctx.now().with_timezone(&BUCHAREST).date_naive()
}

/// One item, as far as it safely goes (under the outbox lock, read again under it).
async fn process(ctx: &Ctx, item: CollectionItem) -> Result<CollectionOutcome, EngineError> {
    let _one_item = ctx.outbox.lock().await;
    let order = item.order_id;
    let Some(item) = ctx.store().call(move |s| s.collection(order)).await? else {
        return Err(EngineError::OrderNotFound(order));
    };
    let label = |i: &punte_store::IssuedInvoice| format!("{} {}", i.series, i.number);
    match item.state {
        CollectionState::Confirmed => {
            let invoice = item.sent_for.as_ref().map(label).unwrap_or_default();
            return Ok(CollectionOutcome::AlreadyRecorded { invoice });
        }
        CollectionState::NeedsReview => {
            let detail = item.error.unwrap_or_default();
            return Ok(CollectionOutcome::NeedsReview { detail });
        }
        _ => {}
    }
    let billing = ctx.billing().await?;
    match item.state {
        CollectionState::Sent => settle(ctx, &*billing, &item).await,
        _ => send(ctx, &*billing, &item).await,
    }
}

async fn send(
    ctx: &Ctx,
    billing: &dyn BillingService,
    item: &CollectionItem,
) -> Result<CollectionOutcome, EngineError> {
    let order = item.order_id;
    let credits = planned_credits(ctx, order).await?;
    let (invoice, amount) = match target(item, &credits)? {
        Target::NoInvoice => return Ok(CollectionOutcome::WaitingForInvoice),
        Target::CreditPending => return Ok(CollectionOutcome::WaitingForCredit),
        Target::Collect(invoice, amount) if amount <= Decimal::ZERO => {
            let note = Some("nothing left to collect: credit notes cover the invoice");
            return confirm(ctx, order, &invoice, false, note).await;
        }
        Target::Collect(invoice, amount) => (invoice, amount),
    };
    let at = ctx.now();
    let (issued, text) = (
        punte_store::IssuedInvoice {
            series: invoice.series.clone(),
            number: invoice.number.clone(),
            link: None,
        },
        amount.to_string(),
    );
    ctx.store()
        .call(move |s| s.collection_sent(order, &issued, &text, at))
        .await?;
    let collection = Collection {
        amount,
        on: item.collected_on,
        reference: format!("Shopify {}", order.0),
    };
    ctx.billing_call();
    match billing.record_collection(&invoice, &collection).await {
        Ok(()) => confirm(ctx, order, &invoice, true, None).await,
        // Whatever went wrong, the invoice is read before anything else is decided.
        Err(e) => settle_after(ctx, billing, order, (&invoice, amount, at), Some(e)).await,
    }
}

/// A `sent` item: read what the invoice shows paid.
async fn settle(
    ctx: &Ctx,
    billing: &dyn BillingService,
    item: &CollectionItem,
) -> Result<CollectionOutcome, EngineError> {
    let sent = item
        .sent_for
        .as_ref()
        .map(|i| InvoiceRef::new(&i.series, &i.number));
    let amount = item
        .amount
        .as_deref()
        .and_then(|a| a.parse::<Decimal>().ok());
    let (Some(invoice), Some(amount)) = (sent, amount) else {
        let detail = "Încasare trimisă fără factură sau sumă; verificați în programul de \
                      facturare. / Collection sent without an invoice or amount; check in the \
                      billing service."
            .to_owned();
        return review(ctx, item.order_id, detail).await;
    };
    let sent = (&invoice, amount, item.updated_at);
    settle_after(ctx, billing, item.order_id, sent, None).await
}

/// Reads the invoice's paid amount after a send (`error`: how the send ended, if it failed)
/// or on a later pass, and decides. `sent`: the invoice, the amount and when it was marked sent.
async fn settle_after(
    ctx: &Ctx,
    billing: &dyn BillingService,
    order: OrderId,
    sent: (&InvoiceRef, Decimal, DateTime<Utc>),
    error: Option<BillingError>,
) -> Result<CollectionOutcome, EngineError> {
    let (invoice, amount, sent_at) = sent;
    ctx.billing_call();
    let paid = match billing.collected(invoice).await {
        Ok(p) => p,
        Err(BillingError::InvoiceNotFound { .. }) => {
            let detail = format!(
                "Factura {0} nu mai există în programul de facturare; încasarea nu a fost \
                 înregistrată. / Invoice {0} no longer exists in the billing service; the \
                 collection was not recorded.",
                invoice.label()
            );
            return review(ctx, order, detail).await;
        }
        // Cannot be known now: the item stays sent and is read again on the next pass.
        Err(e) => {
            let e = error.unwrap_or(e);
            return Ok(CollectionOutcome::Waiting {
                error: EngineError::from(e).info(),
            });
        }
    };
    if paid.covers(amount) {
        let note = error
            .as_ref()
            .map(|_| "found on the invoice after the call");
        return confirm(ctx, order, invoice, false, note).await;
    }
    if !paid.paid.is_zero() {
        let detail = format!(
            "Pe factura {0} figurează încasat {1} din {amount}: nu se poate ști dacă \
             încasarea Punte a ajuns. Verificați în programul de facturare. / Invoice {0} \
             shows {1} of {amount} collected: whether Punte's collection landed cannot be \
             known. Check in the billing service.",
            invoice.label(),
            paid.paid
        );
        return review(ctx, order, detail).await;
    }
    // Nothing on the invoice: the collection did not land, or not yet.
    match error {
        // A later pass, too soon: a slow service may still commit the lost call.
        None if ctx.now() < sent_at + grace(ctx) => {
            let until = (sent_at + grace(ctx)).with_timezone(&BUCHAREST);
            Ok(CollectionOutcome::Unsettled {
                until: until.format("%Y-%m-%d %H:%M").to_string(),
            })
        }
        // A later pass after the grace: it certainly did not land; send it again, once.
        None => {
            let at = ctx.now();
            let item = ctx
                .store()
                .call(move |s| {
                    s.set_collection_state(order, CollectionState::Intent, None, at)?;
                    s.collection(order)
                })
                .await?;
            match item {
                Some(item) => Box::pin(send(ctx, billing, &item)).await,
                None => Err(EngineError::OrderNotFound(order)),
            }
        }
        // Just lost or refused for now: the item stays sent; the next pass reads again.
        Some(e)
            if e.is_transient()
                || is_unknown(&e)
                || matches!(e, BillingError::Unavailable { .. }) =>
        {
            Ok(CollectionOutcome::Waiting {
                error: EngineError::from(e).info(),
            })
        }
        Some(e) => {
            let text = EngineError::from(e).info().message;
            let detail = format!(
                "Încasarea pe factura {0} a fost refuzată: {text} / The collection on invoice \
                 {0} was refused: {text}",
                invoice.label()
            );
            review(ctx, order, detail).await
        }
    }
}

fn is_unknown(e: &BillingError) -> bool {
    matches!(e, BillingError::UnknownOutcome { .. })
}

async fn confirm(
    ctx: &Ctx,
    order: OrderId,
    invoice: &InvoiceRef,
    fresh: bool,
    note: Option<&'static str>,
) -> Result<CollectionOutcome, EngineError> {
    let at = ctx.now();
    ctx.store()
        .call(move |s| s.set_collection_state(order, CollectionState::Confirmed, note, at))
        .await?;
    let invoice = invoice.label();
    Ok(if fresh {
        CollectionOutcome::Recorded { invoice }
    } else {
        CollectionOutcome::AlreadyRecorded { invoice }
    })
}

async fn review(
    ctx: &Ctx,
    order: OrderId,
    detail: String,
) -> Result<CollectionOutcome, EngineError> {
    let (at, text) = (ctx.now(), detail.clone());
    ctx.store()
        .call(move |s| s.set_collection_state(order, CollectionState::NeedsReview, Some(&text), at))
        .await?;
    ctx.notify(NotificationEvent::CollectionNeedsReview {
        order,
        detail: detail.clone(),
    });
    Ok(CollectionOutcome::NeedsReview { detail })
}
