//! Invoicing through the outbox, exactly once. The intent (with the draft and the order's key) is
//! committed before any billing call; the series' next number is saved before the item is marked
//! sent; only then is the invoice issued. A lost answer, a timeout or a crash leaves the item
//! `sent`, and the next pass asks the service: found → confirmed, certainly absent → issued,
//! unknowable → needs-review (never re-issued blindly). Confirming moves the order to Invoiced in
//! the same transaction, which ends its reservation when stock was discharged. Before the first
//! send, `pre_issue` checks the buyer and the VAT rates and may hold the order in needs-review.
//! The billing calls themselves are in `invoice_send`; the draft is made in `invoice_draft`.

use punte_billing::model::order_key;
use punte_core::invoice::InvoiceDraft;
use punte_core::order::OrderId;
use punte_store::{InvoiceIntent, OutboxItem, OutboxState, StoreError};
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::{EngineError, ErrorInfo};
use crate::events::Phase;
use crate::invoice_draft::{DraftCtx, draft_now};
use crate::invoice_send::{resolve, review, send};
use crate::pre_issue::{self, Verdict};
use crate::withheld;

/// What happened to one order's invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum InvoiceOutcome {
    Issued {
        series: String,
        number: String,
    },
    /// The invoice already existed (issued earlier, or found after a lost answer).
    AlreadyIssued {
        series: String,
        number: String,
    },
    /// Whether an invoice exists is unknown; the merchant must look before retrying.
    NeedsReview {
        detail: String,
    },
    Failed {
        error: ErrorInfo,
    },
    /// The service is unreachable: the intent waits in the outbox and is sent later.
    Waiting {
        error: ErrorInfo,
    },
    /// The merchant said no document is needed (a credit note in review, closed with a note).
    NotNeeded,
}

/// Writes the intent for `order` (or finds its existing outbox item) and returns the item.
async fn enqueue(ctx: &Ctx, order: OrderId) -> Result<OutboxItem, EngineError> {
    let dctx = DraftCtx::of(ctx);
    let service = service_word(ctx);
    let at = ctx.now();
    ctx.store()
        .call(move |s| {
            let items = s.outbox_for_order(order)?;
            let keep = |st: OutboxState| st != OutboxState::Failed;
            if let Some(item) = items.iter().rev().find(|i| keep(i.state)) {
                return Ok(Ok(item.clone()));
            }
            let draft = match draft_now(s, &dctx, order)? {
                Ok(d) => d,
                Err(e) => return Ok(Err(e)),
            };
            let json =
                serde_json::to_string(&draft).map_err(|e| StoreError::BadValue(e.to_string()))?;
            if let Some(failed) = items.last() {
                // A failed attempt is retried under the same key, as a new intent.
                s.set_outbox_state(failed.id, OutboxState::Intent, None, at)?;
            } else {
                let intent = InvoiceIntent {
                    order_id: order,
                    idempotency_key: order_key(order.0),
                    service,
                    stock_discharge: draft.use_stock,
                    draft: json,
                };
                s.add_invoice_intent(&intent, at)?;
            }
            let items = s.outbox_for_order(order)?;
            Ok(items
                .last()
                .cloned()
                .ok_or(EngineError::OrderNotFound(order)))
        })
        .await?
}

fn service_word(ctx: &Ctx) -> String {
    match ctx.config.connections.billing {
        crate::config::BillingAccount::SmartBill { .. } => "smartbill",
        crate::config::BillingAccount::Oblio { .. } => "oblio",
        crate::config::BillingAccount::Fgo { .. } => "fgo",
    }
    .to_owned()
}

/// Invoices one order now (or reports why not). An order Shopify sent without its buyer
/// (protected customer data withheld) needs review: no billing call is made for it.
pub(crate) async fn issue(ctx: &Ctx, order: OrderId) -> Result<InvoiceOutcome, EngineError> {
    if let Some(detail) = withheld_buyer(ctx, order).await? {
        return Ok(InvoiceOutcome::NeedsReview { detail });
    }
    let item = enqueue(ctx, order).await?;
    process(ctx, item).await
}

/// Why `order` cannot be invoiced yet because Shopify withheld its buyer, if it is so.
async fn withheld_buyer(ctx: &Ctx, order: OrderId) -> Result<Option<String>, EngineError> {
    Ok(ctx
        .store()
        .call(move |s| withheld::reason(s, order))
        .await?)
}

/// Only writes the intents (auto-invoice on import); `drain` sends them. Orders without their
/// buyer are left for when Shopify sends it (the withheld-data finding says so).
pub(crate) async fn enqueue_all(ctx: &Ctx, orders: &[OrderId]) -> Result<(), EngineError> {
    for &o in orders {
        if withheld_buyer(ctx, o).await?.is_some() {
            continue;
        }
        match enqueue(ctx, o).await {
            Ok(_) | Err(EngineError::NotInvoiceable { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Sends every waiting intent and resolves every `sent` item, oldest first. Stops at the first
/// unreachable service (the rest wait) and returns that error.
pub(crate) async fn drain(ctx: &Ctx) -> Result<Vec<(OrderId, InvoiceOutcome)>, EngineError> {
    let pending = ctx.store().call(|s| s.pending_outbox(10_000)).await?;
    let todo: Vec<OutboxItem> = pending
        .into_iter()
        .filter(|i| i.state != OutboxState::NeedsReview)
        .collect();
    let total = todo.len() as u64;
    let mut out = Vec::new();
    for (n, item) in todo.into_iter().enumerate() {
        ctx.progress(Phase::Invoicing, n as u64, total);
        let order = item.intent.order_id;
        let outcome = process(ctx, item).await?;
        let waiting = matches!(outcome, InvoiceOutcome::Waiting { .. });
        out.push((order, outcome));
        if waiting {
            break;
        }
    }
    ctx.progress(Phase::Invoicing, total, total);
    Ok(out)
}

/// Moves one item forward as far as it safely can. One item at a time in the whole engine (the
/// invoice lane and a sync's drain share the lock); the item is read again under the lock, so
/// whoever comes second sees what the first did.
pub(crate) async fn process(ctx: &Ctx, item: OutboxItem) -> Result<InvoiceOutcome, EngineError> {
    let rates = pre_issue::rates_before_lock(ctx, &item).await?;
    let _one_item = ctx.outbox.lock().await;
    let (order, id) = (item.intent.order_id, item.id);
    let item = ctx
        .store()
        .call(move |s| s.outbox_for_order(order))
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .unwrap_or(item);
    let billing = ctx.billing().await?;
    let series = ctx.config.settings.invoice_series.clone();
    let draft: InvoiceDraft = serde_json::from_str(&item.intent.draft)
        .map_err(|e| StoreError::BadValue(format!("outbox draft: {e}")))?;
    if item.state == OutboxState::Intent
        && let Some(detail) = pre_issue::not_open(ctx, order).await?
    {
        return review(ctx, &item, detail).await;
    }
    match item.state {
        OutboxState::Intent => match pre_issue::check(ctx, &*billing, item.id, draft, rates).await?
        {
            Verdict::Pass(named) => {
                let (id, at) = (item.id, ctx.now());
                let json = serde_json::to_string(&named)
                    .map_err(|e| StoreError::BadValue(e.to_string()))?;
                let stock = named.use_stock;
                ctx.store()
                    .call(move |s| s.set_intent_draft(id, &json, stock, at))
                    .await?;
                send(ctx, &*billing, &item, &named, &series).await
            }
            Verdict::Hold(detail) => review(ctx, &item, detail).await,
            Verdict::Waiting(error) => Ok(InvoiceOutcome::Waiting { error }),
        },
        OutboxState::Sent => resolve(ctx, &*billing, &item, &draft, &series).await,
        OutboxState::Confirmed => Ok(match item.invoice {
            Some(i) => InvoiceOutcome::AlreadyIssued {
                series: i.series,
                number: i.number,
            },
            None => InvoiceOutcome::NeedsReview {
                detail: "confirmed without a number".into(),
            },
        }),
        OutboxState::NeedsReview => Ok(InvoiceOutcome::NeedsReview {
            detail: item.error.unwrap_or_default(),
        }),
        OutboxState::Failed => Ok(InvoiceOutcome::Failed {
            error: ErrorInfo {
                code: "engine.invoice_failed".into(),
                message: item.error.unwrap_or_default(),
            },
        }),
    }
}
