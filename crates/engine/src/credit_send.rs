//! Sending the credit outbox, exactly once, as invoices are sent (`invoice_send`): the series
//! mark is saved and the item marked sent before `issue_credit`; a lost answer, a timeout or a
//! crash leaves it sent, and the next pass asks the service by reads only (`find_credit`):
//! found → confirmed, certainly absent → sent, unknowable → needs-review. What the service's
//! API cannot express (`billing.not_supported`) waits for the merchant with the reason. A
//! confirmed credit that restocked marks its codes dirty, so Shopify's level follows in the
//! next stock cycle.

use punte_billing::{BillingError, BillingService, CreditLookup, Existing, InvoiceRef, SeriesMark};
use punte_core::credit_note::CreditDraft;
use punte_core::order::OrderId;
use punte_store::{CreditItem, CreditState, IssuedInvoice, StoreError};

use crate::context::Ctx;
use crate::credits::plan_all;
use crate::error::EngineError;
use crate::invoicing::InvoiceOutcome;
use crate::kv;
use crate::notify::NotificationEvent;

/// Where the series mark taken before sending credit item `id` is kept.
pub(crate) fn mark_key(id: i64) -> String {
    format!("engine.credit_mark.{id}")
}

/// Plans the refunds not planned yet, then sends every waiting credit and settles every sent
/// one, oldest first. Stops at the first unreachable service (the rest wait).
pub(crate) async fn credit_refunds(
    ctx: &Ctx,
) -> Result<Vec<(OrderId, InvoiceOutcome)>, EngineError> {
    plan_all(ctx).await?;
    let todo = ctx.store().call(|s| s.pending_credits()).await?;
    let mut out = Vec::new();
    for item in todo {
        let order = item.order_id;
        let outcome = process(ctx, item).await?;
        let waiting = matches!(outcome, InvoiceOutcome::Waiting { .. });
        out.push((order, outcome));
        if waiting {
            break;
        }
    }
    Ok(out)
}

/// Moves one credit item forward as far as it safely can, under the engine's one-item lock
/// (shared with invoices), reading it again under the lock.
pub(crate) async fn process(ctx: &Ctx, item: CreditItem) -> Result<InvoiceOutcome, EngineError> {
    let _one_item = ctx.outbox.lock().await;
    let id = item.id;
    let item = ctx
        .store()
        .call(move |s| s.credit(id))
        .await?
        .unwrap_or(item);
    let Some(json) = item.draft.as_deref() else {
        return Ok(InvoiceOutcome::NeedsReview {
            detail: item.error.unwrap_or_default(),
        });
    };
    let draft: CreditDraft = serde_json::from_str(json)
        .map_err(|e| StoreError::BadValue(format!("credit draft: {e}")))?;
    match item.state {
        CreditState::Intent => {
            let billing = ctx.billing().await?;
            send(ctx, &*billing, &item, &draft).await
        }
        CreditState::Sent => {
            let billing = ctx.billing().await?;
            resolve(ctx, &*billing, &item, &draft).await
        }
        CreditState::Confirmed => Ok(match item.document {
            Some(d) => InvoiceOutcome::AlreadyIssued {
                series: d.series,
                number: d.number,
            },
            None => InvoiceOutcome::NeedsReview {
                detail: "confirmed without a number".into(),
            },
        }),
        _ => Ok(InvoiceOutcome::NeedsReview {
            detail: item.error.unwrap_or_default(),
        }),
    }
}

async fn send(
    ctx: &Ctx,
    billing: &dyn BillingService,
    item: &CreditItem,
    draft: &CreditDraft,
) -> Result<InvoiceOutcome, EngineError> {
    let series = draft.invoice_series.as_str();
    ctx.billing_call();
    let mark = match billing.series_mark(series).await {
        Ok(m) => m,
        Err(e) if e.is_transient() || matches!(e, BillingError::Unavailable { .. }) => {
            return Ok(waiting(e));
        }
        Err(e) => return fail(ctx, item, e).await,
    };
    let (id, first, at) = (item.id, item.state == CreditState::Intent, ctx.now());
    let saved = mark.clone();
    ctx.store()
        .call(move |s| {
            kv::write(s, &mark_key(id), &saved, at)?;
            if first {
                s.set_credit_state(id, CreditState::Sent, None, at)?;
            }
            Ok(())
        })
        .await?;
    ctx.billing_call();
    match billing.issue_credit(draft, series).await {
        Ok(issued) => confirm(ctx, item, draft, issued.invoice, !issued.already_existed).await,
        Err(e @ BillingError::UnknownOutcome { .. }) => {
            let lookup = lookup_for(ctx, item, draft, mark).await?;
            ctx.billing_call();
            match billing.find_credit(&lookup).await {
                Ok(Existing::Found { invoice }) => confirm(ctx, item, draft, invoice, false).await,
                Ok(Existing::Unsure { candidates, reason }) => {
                    review(ctx, item, unsure(&candidates, &reason)).await
                }
                Ok(Existing::Absent) | Err(_) => Ok(waiting(e)),
            }
        }
        Err(e) if e.is_transient() || matches!(e, BillingError::Unavailable { .. }) => {
            // The client proves an unsafe write never ran before reporting this: send later.
            let at = ctx.now();
            ctx.store()
                .call(move |s| s.set_credit_state(id, CreditState::Intent, None, at))
                .await?;
            Ok(waiting(e))
        }
        Err(e @ BillingError::NotSupported { .. }) => {
            let info = EngineError::from(e).info();
            review(ctx, item, info.message).await
        }
        Err(e) => fail(ctx, item, e).await,
    }
}

/// Settles a `sent` item by asking the service whether its credit exists.
async fn resolve(
    ctx: &Ctx,
    billing: &dyn BillingService,
    item: &CreditItem,
    draft: &CreditDraft,
) -> Result<InvoiceOutcome, EngineError> {
    let id = item.id;
    let mark: Option<SeriesMark> = ctx
        .store()
        .call(move |s| kv::read(s, &mark_key(id)))
        .await?;
    let Some(mark) = mark else {
        let text = "Nota de credit a fost trimisă fără reperul seriei; verificați în programul \
                    de facturare. / The credit note was sent without a series mark; check in \
                    the billing service.";
        return review(ctx, item, text.into()).await;
    };
    let lookup = lookup_for(ctx, item, draft, mark).await?;
    ctx.billing_call();
    match billing.find_credit(&lookup).await {
        Ok(Existing::Found { invoice }) => confirm(ctx, item, draft, invoice, false).await,
        Ok(Existing::Absent) => send(ctx, billing, item, draft).await,
        Ok(Existing::Unsure { candidates, reason }) => {
            review(ctx, item, unsure(&candidates, &reason)).await
        }
        Err(e) => Ok(waiting(e)),
    }
}

/// What identifies the credit: its refund, its total, when it was planned, the mark taken
/// before sending, and every document of the series Punte already holds (invoices and credits).
pub(crate) async fn lookup_for(
    ctx: &Ctx,
    item: &CreditItem,
    draft: &CreditDraft,
    mark: SeriesMark,
) -> Result<CreditLookup, EngineError> {
    let series = draft.invoice_series.clone();
    let wanted = series.clone();
    let known = ctx
        .store()
        .call(move |s| {
            // Order 0 is no Shopify order: every invoice of the series counts.
            let mut all = s.invoices_in_series(&wanted, OrderId(0))?;
            all.extend(s.credits_in_series(&wanted)?);
            Ok(all)
        })
        .await?;
    Ok(CreditLookup {
        refund_id: item.refund_id,
        order_id: item.order_id.0,
        series,
        mark,
        total: draft.total(),
        since: item.created_at,
        known: known
            .into_iter()
            .map(|i| InvoiceRef {
                series: i.series,
                number: i.number,
                link: i.link,
            })
            .collect(),
    })
}

fn waiting(e: BillingError) -> InvoiceOutcome {
    InvoiceOutcome::Waiting {
        error: EngineError::from(e).info(),
    }
}

fn unsure(candidates: &[InvoiceRef], reason: &str) -> String {
    let list: Vec<String> = candidates.iter().map(InvoiceRef::label).collect();
    let list = if list.is_empty() {
        "-".to_owned()
    } else {
        list.join(", ")
    };
    format!(
        "Răspunsul la nota de credit s-a pierdut și nu se poate ști dacă există (documente de \
         verificat: {list}). / The answer to the credit note was lost and no read can tell \
         whether it exists ({reason}; documents to check: {list})."
    )
}

/// Records the credit document; a restocking credit marks its codes for the next stock cycle.
pub(crate) async fn confirm(
    ctx: &Ctx,
    item: &CreditItem,
    draft: &CreditDraft,
    doc: InvoiceRef,
    fresh: bool,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, at) = (item.id, ctx.now());
    let issued = IssuedInvoice {
        series: doc.series.clone(),
        number: doc.number.clone(),
        link: doc.link,
    };
    let codes: Vec<_> = draft
        .lines
        .iter()
        .filter(|l| l.warehouse.is_some())
        .filter_map(|l| l.code.clone())
        .collect();
    ctx.store()
        .call(move |s| {
            s.confirm_credit(id, &issued, at)?;
            kv::add_dirty(s, codes, at)
        })
        .await?;
    let (series, number) = (doc.series, doc.number);
    Ok(if fresh {
        InvoiceOutcome::Issued { series, number }
    } else {
        InvoiceOutcome::AlreadyIssued { series, number }
    })
}

async fn review(
    ctx: &Ctx,
    item: &CreditItem,
    detail: String,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, at, text) = (item.id, ctx.now(), detail.clone());
    ctx.store()
        .call(move |s| s.set_credit_state(id, CreditState::NeedsReview, Some(&text), at))
        .await?;
    ctx.notify(NotificationEvent::InvoiceNeedsReview {
        order: item.order_id,
        detail: detail.clone(),
    });
    Ok(InvoiceOutcome::NeedsReview { detail })
}

async fn fail(
    ctx: &Ctx,
    item: &CreditItem,
    e: BillingError,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, at, msg) = (item.id, ctx.now(), e.to_string());
    ctx.store()
        .call(move |s| s.set_credit_state(id, CreditState::Failed, Some(&msg), at))
        .await?;
    let error = EngineError::from(e).info();
    ctx.notify(NotificationEvent::InvoiceFailed {
        order: item.order_id,
        code: error.code.clone(),
        message: error.message.clone(),
    });
    Ok(InvoiceOutcome::Failed { error })
}
