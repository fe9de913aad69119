//! The billing side of one outbox item: take and save a series mark, mark the item sent, issue;
//! settle a `sent` item by asking the service; confirm (order Invoiced in the same
//! transaction), send to review, or fail with a notification. See `invoicing` for the outbox.

use punte_billing::{BillingError, BillingService, Existing, InvoiceRef, SeriesMark};
use punte_core::invoice::InvoiceDraft;
use punte_core::order::OrderState;
use punte_store::{Change, IssuedInvoice, OutboxItem, OutboxState};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::EngineEvent;
use crate::invoicing::InvoiceOutcome;
use crate::kv;
use crate::notify::NotificationEvent;

/// Takes a series mark, saves it, marks the item sent (first time), then issues.
pub(crate) async fn send(
    ctx: &Ctx,
    billing: &dyn BillingService,
    item: &OutboxItem,
    draft: &InvoiceDraft,
    series: &str,
) -> Result<InvoiceOutcome, EngineError> {
    ctx.billing_call();
    let mark = match billing.series_mark(series).await {
        Ok(m) => m,
        Err(e) if e.is_transient() || matches!(e, BillingError::Unavailable { .. }) => {
            return Ok(InvoiceOutcome::Waiting {
                error: EngineError::from(e).info(),
            });
        }
        Err(e) => return fail(ctx, item, e).await,
    };
    let (id, first, at) = (item.id, item.state == OutboxState::Intent, ctx.now());
    let saved = mark.clone();
    ctx.store()
        .call(move |s| {
            kv::write(s, &kv::mark_key(id), &saved, at)?;
            if first {
                s.set_outbox_state(id, OutboxState::Sent, None, at)?;
            }
            Ok(())
        })
        .await?;
    ctx.billing_call();
    match billing.issue_invoice(draft, series).await {
        Ok(issued) => confirm(ctx, item, issued.invoice, !issued.already_existed).await,
        Err(e @ BillingError::UnknownOutcome { .. }) => {
            // Ask at once; an answer that cannot be had now is asked again on the next pass.
            ctx.billing_call();
            match billing.find_invoice(draft, series, &mark).await {
                Ok(Existing::Found { invoice }) => confirm(ctx, item, invoice, false).await,
                Ok(Existing::Unsure { candidates }) => review(ctx, item, unsure(&candidates)).await,
                Ok(Existing::Absent) | Err(_) => Ok(InvoiceOutcome::Waiting {
                    error: EngineError::from(e).info(),
                }),
            }
        }
        Err(e) if e.is_transient() || matches!(e, BillingError::Unavailable { .. }) => {
            // The client proves an unsafe write never ran before reporting this: retry later.
            let at = ctx.now();
            let msg = e.to_string();
            ctx.store()
                .call(move |s| {
                    s.set_outbox_state(id, OutboxState::Failed, Some(&msg), at)?;
                    s.set_outbox_state(id, OutboxState::Intent, None, at)
                })
                .await?;
            Ok(InvoiceOutcome::Waiting {
                error: EngineError::from(e).info(),
            })
        }
        Err(e) => fail(ctx, item, e).await,
    }
}

/// Settles a `sent` item by asking the service whether the invoice exists.
pub(crate) async fn resolve(
    ctx: &Ctx,
    billing: &dyn BillingService,
    item: &OutboxItem,
    draft: &InvoiceDraft,
    series: &str,
) -> Result<InvoiceOutcome, EngineError> {
    let id = item.id;
    let mark: Option<SeriesMark> = ctx
        .store()
        .call(move |s| kv::read(s, &kv::mark_key(id)))
        .await?;
    let Some(mark) = mark else {
        return review(ctx, item, "sent without a series mark".into()).await;
    };
    ctx.billing_call();
    match billing.find_invoice(draft, series, &mark).await {
        Ok(Existing::Found { invoice }) => confirm(ctx, item, invoice, false).await,
        Ok(Existing::Absent) => send(ctx, billing, item, draft, series).await,
        Ok(Existing::Unsure { candidates }) => review(ctx, item, unsure(&candidates)).await,
        Err(e) => Ok(InvoiceOutcome::Waiting {
            error: EngineError::from(e).info(),
        }),
    }
}

fn unsure(candidates: &[InvoiceRef]) -> String {
    let list: Vec<String> = candidates.iter().map(InvoiceRef::label).collect();
    format!(
        "the billing answer was lost; check invoices {} in the billing service",
        list.join(", ")
    )
}

async fn confirm(
    ctx: &Ctx,
    item: &OutboxItem,
    invoice: InvoiceRef,
    fresh: bool,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, order) = (item.id, item.intent.order_id);
    let label = invoice.label();
    let issued = IssuedInvoice {
        series: invoice.series.clone(),
        number: invoice.number.clone(),
        link: invoice.link,
    };
    // A reason with parameters is a JSON object with its code (the window words it).
    let reason = serde_json::json!({"code": "invoice_issued", "invoice": label}).to_string();
    let change = Change::new(ctx.now(), &reason, "outbox");
    ctx.store()
        .call(move |s| s.confirm_invoice(id, &issued, &change))
        .await?;
    let to = OrderState::Invoiced {
        stock_discharged: item.intent.stock_discharge,
    };
    ctx.emit(EngineEvent::OrderStateChanged {
        order,
        from: Some(OrderState::Open),
        to,
    });
    let (series, number) = (invoice.series, invoice.number);
    Ok(if fresh {
        InvoiceOutcome::Issued { series, number }
    } else {
        InvoiceOutcome::AlreadyIssued { series, number }
    })
}

async fn review(
    ctx: &Ctx,
    item: &OutboxItem,
    detail: String,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, at, text) = (item.id, ctx.now(), detail.clone());
    ctx.store()
        .call(move |s| s.set_outbox_state(id, OutboxState::NeedsReview, Some(&text), at))
        .await?;
    let order = item.intent.order_id;
    ctx.notify(NotificationEvent::InvoiceNeedsReview {
        order,
        detail: detail.clone(),
    });
    Ok(InvoiceOutcome::NeedsReview { detail })
}

async fn fail(
    ctx: &Ctx,
    item: &OutboxItem,
    e: BillingError,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, at, msg) = (item.id, ctx.now(), e.to_string());
    ctx.store()
        .call(move |s| s.set_outbox_state(id, OutboxState::Failed, Some(&msg), at))
        .await?;
    let error = EngineError::from(e).info();
    ctx.notify(NotificationEvent::InvoiceFailed {
        order: item.intent.order_id,
        code: error.code.clone(),
        message: error.message.clone(),
    });
    Ok(InvoiceOutcome::Failed { error })
}
