//! The invoice lane: invoicing the merchant asks for from the window (one order, a bulk
//! selection, a needs-review resolution, a collection marked paid) runs on its own task, beside the scheduler, so it never
//! waits behind a sync in progress; it shares only the outbox lock with a sync's drain, which
//! is held per invoice. Once the billing service answers with a block, the rest of a bulk run
//! is not sent: those orders wait in the outbox and each answer says until when.

use std::sync::Arc;

use punte_core::order::OrderId;
use tokio::sync::{mpsc, oneshot};

use crate::collections::{CollectionOutcome, mark_paid};
use crate::context::Ctx;
use crate::error::EngineError;
use crate::in_stock::refresh_after_command;
use crate::invoicing::{InvoiceOutcome, enqueue_all, issue};
use crate::review::{Resolution, resolve};

pub(crate) type Outcomes = Vec<(OrderId, Result<InvoiceOutcome, EngineError>)>;

/// What the handle asks the lane to do.
pub(crate) enum LaneCommand {
    Invoice(Vec<OrderId>, oneshot::Sender<Outcomes>),
    Resolve(
        OrderId,
        Resolution,
        oneshot::Sender<Result<InvoiceOutcome, EngineError>>,
    ),
    /// The merchant marks a cash-on-delivery order paid (issue 17).
    Collect(
        OrderId,
        oneshot::Sender<Result<CollectionOutcome, EngineError>>,
    ),
}

/// Serves the lane until every handle is gone.
pub(crate) async fn run(ctx: Arc<Ctx>, mut commands: mpsc::Receiver<LaneCommand>) {
    while let Some(command) = commands.recv().await {
        match command {
            LaneCommand::Invoice(orders, reply) => {
                let out = invoice_all(&ctx, orders).await;
                if out.iter().any(|(_, r)| r.is_ok()) {
                    refresh_after_command(&ctx).await;
                }
                let _ = reply.send(out);
            }
            LaneCommand::Resolve(order, resolution, reply) => {
                let out = resolve(&ctx, order, resolution).await;
                if out.is_ok() {
                    refresh_after_command(&ctx).await;
                }
                let _ = reply.send(out);
            }
            LaneCommand::Collect(order, reply) => {
                let _ = reply.send(mark_paid(&ctx, order).await);
            }
        }
    }
}

/// Invoices `orders` one after the other; after a block, the rest only get their intents.
async fn invoice_all(ctx: &Ctx, orders: Vec<OrderId>) -> Outcomes {
    let mut out = Vec::with_capacity(orders.len());
    let mut blocked = None;
    for order in orders {
        if let Some(error) = &blocked {
            let queued = enqueue_all(ctx, &[order]).await;
            let outcome = queued.map(|()| InvoiceOutcome::Waiting {
                error: crate::error::ErrorInfo::clone(error),
            });
            out.push((order, outcome));
            continue;
        }
        let outcome = issue(ctx, order).await;
        if let Ok(InvoiceOutcome::Waiting { error }) = &outcome
            && error.code == "billing.blocked"
        {
            blocked = Some(error.clone());
        }
        out.push((order, outcome));
    }
    out
}
