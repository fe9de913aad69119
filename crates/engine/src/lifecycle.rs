//! Order lifecycle work besides invoicing: marking Dispatched (ends the reservation; the next
//! cycle gives the quantity back to Shopify), reversing or cancelling the invoice of an order
//! cancelled in Shopify (storno returns discharged stock to billing), and spotting orders open
//! too long that still hold stock.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use punte_billing::{BillingError, InvoiceRef};
use punte_core::order::{OrderEvent, OrderId, OrderState};
use punte_store::{Change, CreditState, OrderQuery, OutboxState, StatusFilter, StoreError};

use crate::config::OnCancel;
use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::{EngineEvent, Phase};
use crate::kv;
use crate::notify::NotificationEvent;

/// Marks `order` Dispatched: its reservation ends, its codes are re-checked next cycle.
pub(crate) async fn mark_dispatched(ctx: &Ctx, order: OrderId) -> Result<(), EngineError> {
    let at = ctx.now();
    let from = ctx
        .store()
        .call(move |s| {
            let Some(detail) = s.order(order)? else {
                return Ok(Err(EngineError::OrderNotFound(order)));
            };
            let mut o = detail.order;
            let from = o.state;
            if from == OrderState::Dispatched {
                return Ok(Err(EngineError::AlreadyDispatched(order)));
            }
            if let Err(e) = o.apply(OrderEvent::MarkedDispatched) {
                let reason = e.to_string();
                return Ok(Err(EngineError::NotDispatchable { order, reason }));
            }
            kv::add_dirty(s, o.lines.iter().filter_map(|l| l.code.clone()), at)?;
            s.set_order_state(
                order,
                OrderState::Dispatched,
                &Change::new(at, "marked_dispatched", "merchant"),
            )?;
            Ok(Ok(from))
        })
        .await??;
    ctx.emit(EngineEvent::OrderStateChanged {
        order,
        from: Some(from),
        to: OrderState::Dispatched,
    });
    Ok(())
}

/// Where the storno of one cancelled order is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub(crate) enum Reversal {
    /// The request is out; a crash here leaves the outcome unknown.
    Sent,
    Done {
        document: Option<InvoiceRef>,
    },
    NeedsReview,
    /// The merchant handled it in the billing service (`cancel_review`); nothing is sent.
    Handled,
}

pub(crate) fn reversal_key(order: OrderId) -> String {
    format!("engine.reversal.{}", order.0)
}

/// Reverses (or cancels) the invoices of orders cancelled in Shopify, per the setting.
pub(crate) async fn process_reversals(ctx: &Ctx) -> Result<(), EngineError> {
    let pending: BTreeSet<OrderId> = kv::get(ctx.store(), kv::REVERSALS)
        .await?
        .unwrap_or_default();
    let policy = ctx.config.settings.on_cancel;
    let total = pending.len() as u64;
    for (n, order) in pending.into_iter().enumerate() {
        ctx.progress(Phase::Reversals, n as u64, total);
        let key = reversal_key(order);
        let k2 = key.clone();
        let (state, invoice, credited) = ctx
            .store()
            .call(move |s| {
                let state: Option<Reversal> = kv::read(s, &k2)?;
                let invoice = s
                    .outbox_for_order(order)?
                    .into_iter()
                    .find(|i| i.state == OutboxState::Confirmed)
                    .and_then(|i| i.invoice);
                // A credit note already given (or possibly given) for part of the invoice.
                let credited = s
                    .credits_of(order)?
                    .iter()
                    .any(|c| !matches!(c.state, CreditState::NotNeeded | CreditState::Failed));
                Ok((state, invoice, credited))
            })
            .await?;
        let done = match (state, invoice, policy) {
            (_, None, _)
            | (Some(Reversal::Done { .. } | Reversal::NeedsReview | Reversal::Handled), _, _) => {
                None
            }
            (_, Some(_), OnCancel::Nothing) => None,
            // A whole storno after a partial credit note would credit those lines twice.
            (_, Some(_), _) if credited => {
                let detail = "the order was cancelled after a credit note for part of its \
                              invoice; a whole storno would credit those lines twice: credit \
                              the rest in billing"
                    .to_owned();
                ctx.notify(NotificationEvent::InvoiceNeedsReview { order, detail });
                Some(Reversal::NeedsReview)
            }
            (Some(Reversal::Sent), Some(_), OnCancel::Reverse) => {
                let detail = "a storno was sent but its answer was lost; check billing".to_owned();
                ctx.notify(NotificationEvent::InvoiceNeedsReview { order, detail });
                Some(Reversal::NeedsReview)
            }
            (_, Some(inv), _) => {
                kv::put(ctx.store(), key.clone(), Reversal::Sent, ctx.now()).await?;
                match reverse(ctx, policy, &InvoiceRef::new(inv.series, inv.number)).await {
                    Ok(document) => Some(Reversal::Done { document }),
                    Err(BillingError::UnknownOutcome { .. }) => {
                        let detail = "the storno answer was lost; check billing".to_owned();
                        ctx.notify(NotificationEvent::InvoiceNeedsReview { order, detail });
                        Some(Reversal::NeedsReview)
                    }
                    Err(e) => {
                        // Proven not done (or refused): forget the mark, retry next pass.
                        let at = ctx.now();
                        ctx.store().call(move |s| forget(s, &key, at)).await?;
                        return Err(e.into());
                    }
                }
            }
        };
        let at = ctx.now();
        let k3 = reversal_key(order);
        ctx.store()
            .call(move |s| {
                if let Some(state) = done {
                    kv::write(s, &k3, &state, at)?;
                }
                let mut p: BTreeSet<OrderId> = kv::read(s, kv::REVERSALS)?.unwrap_or_default();
                p.remove(&order);
                kv::write(s, kv::REVERSALS, &p, at)
            })
            .await?;
    }
    Ok(())
}

fn forget(
    s: &punte_store::Store,
    key: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    s.set_setting(key, &serde_json::Value::Null, at)
}

async fn reverse(
    ctx: &Ctx,
    policy: OnCancel,
    invoice: &InvoiceRef,
) -> Result<Option<InvoiceRef>, BillingError> {
    let billing = ctx.billing().await.map_err(|e| BillingError::Unavailable {
        service: "billing",
        detail: e.to_string(),
    })?;
    ctx.billing_call();
    match policy {
        OnCancel::CancelInvoice => billing.cancel_invoice(invoice).await.map(|()| None),
        _ => billing.reverse_invoice(invoice).await.map(Some),
    }
}

/// Orders still holding stock that were created more than the set days ago.
pub(crate) async fn stale_open_orders(ctx: &Ctx) -> Result<Vec<OrderId>, EngineError> {
    let days = i64::from(ctx.config.settings.stale_open_days);
    let before = ctx.now() - TimeDelta::days(days);
    let page = ctx
        .store()
        .call(|s| s.orders_page(&OrderQuery::new(StatusFilter::Reserving, 200)))
        .await?;
    Ok(page
        .items
        .into_iter()
        .filter(|o| o.created_at < before)
        .map(|o| o.id)
        .collect())
}
