//! The billing side of one outbox item: take and save a series mark, mark the item sent, issue;
//! settle a `sent` item by asking the service — by reads only ([`lookup_for`] says what
//! identifies the order's invoice: its `punte:<id>`, its total, the invoices of the series
//! already tied to other orders); confirm (order Invoiced in the same transaction), send to
//! review, or fail with a notification. See `invoicing` for the outbox.

use punte_billing::{
    BillingError, BillingService, Existing, InvoiceLookup, InvoiceRef, SeriesMark,
};
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
            // Ask at once, by reads; an answer that cannot be had now is asked again on the
            // next pass (the item stays sent).
            let lookup = lookup_for(ctx, item, draft, series, mark).await?;
            ctx.billing_call();
            match billing.find_invoice(&lookup).await {
                Ok(Existing::Found { invoice }) => confirm(ctx, item, invoice, false).await,
                Ok(Existing::Unsure { candidates, reason }) => {
                    review(ctx, item, unsure(&candidates, &reason)).await
                }
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
        return review(
            ctx,
            item,
            "Trimisă fără reperul seriei; verificați în programul de facturare. / Sent without \
             a series mark; check in the billing service."
                .into(),
        )
        .await;
    };
    let lookup = lookup_for(ctx, item, draft, series, mark).await?;
    ctx.billing_call();
    match billing.find_invoice(&lookup).await {
        Ok(Existing::Found { invoice }) => confirm(ctx, item, invoice, false).await,
        Ok(Existing::Absent) => send(ctx, billing, item, draft, series).await,
        Ok(Existing::Unsure { candidates, reason }) => {
            review(ctx, item, unsure(&candidates, &reason)).await
        }
        Err(e) => Ok(InvoiceOutcome::Waiting {
            error: EngineError::from(e).info(),
        }),
    }
}

/// What identifies `item`'s invoice in `series`: its order, its total, when it was intended,
/// the mark taken before sending, and the invoices of the series Punte holds for other orders.
pub(crate) async fn lookup_for(
    ctx: &Ctx,
    item: &OutboxItem,
    draft: &InvoiceDraft,
    series: &str,
    mark: SeriesMark,
) -> Result<InvoiceLookup, EngineError> {
    let (order, wanted) = (item.intent.order_id, series.to_owned());
    let known = ctx
        .store()
        .call(move |s| s.invoices_in_series(&wanted, order))
        .await?;
    Ok(InvoiceLookup {
        order_id: order.0,
        series: series.to_owned(),
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

/// The review text after a lost answer no read could settle (Romanian / English).
fn unsure(candidates: &[InvoiceRef], reason: &str) -> String {
    let list: Vec<String> = candidates.iter().map(InvoiceRef::label).collect();
    let list = if list.is_empty() {
        "-".to_owned()
    } else {
        list.join(", ")
    };
    format!(
        "Răspunsul la emitere s-a pierdut și nu se poate ști dacă factura există (facturi de \
         verificat: {list}). Alegeți: „Factura există: leag-o” sau „Nu există: emite-o”. / The \
         answer to the invoice was lost and no read can tell whether it exists ({reason}; \
         invoices to check: {list}). Choose \"The invoice exists: link it\" or \"It does not: \
         issue it\"."
    )
}

async fn confirm(
    ctx: &Ctx,
    item: &OutboxItem,
    invoice: InvoiceRef,
    fresh: bool,
) -> Result<InvoiceOutcome, EngineError> {
    let label = invoice.label();
    // A reason with parameters is a JSON object with its code (the window words it).
    let reason = serde_json::json!({"code": "invoice_issued", "invoice": label}).to_string();
    let change = Change::new(ctx.now(), &reason, "outbox");
    confirm_as(ctx, item, invoice, fresh, change).await
}

/// Confirms `invoice` for `item` (order Invoiced in the same transaction), recorded as `change`.
pub(crate) async fn confirm_as(
    ctx: &Ctx,
    item: &OutboxItem,
    invoice: InvoiceRef,
    fresh: bool,
    change: Change,
) -> Result<InvoiceOutcome, EngineError> {
    let (id, order) = (item.id, item.intent.order_id);
    let issued = IssuedInvoice {
        series: invoice.series.clone(),
        number: invoice.number.clone(),
        link: invoice.link,
    };
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

pub(crate) async fn review(
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
