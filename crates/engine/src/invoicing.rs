//! Invoicing through the outbox, exactly once. The intent (with the draft and the order's key) is
//! committed before any billing call; the series' next number is saved before the item is marked
//! sent; only then is the invoice issued. A lost answer, a timeout or a crash leaves the item
//! `sent`, and the next pass asks the service: found → confirmed, certainly absent → issued,
//! unknowable → needs-review (never re-issued blindly). Confirming moves the order to Invoiced in
//! the same transaction, which ends its reservation when stock was discharged. Before the first
//! send, `pre_issue` checks the buyer and the VAT rates and may hold the order in needs-review.
//! The billing calls themselves are in `invoice_send`.

use std::collections::HashMap;

use punte_billing::model::order_key;
use punte_core::invoice::{InvoiceDraft, InvoiceError, draft_invoice_from};
use punte_core::order::{OrderId, OrderState};
use punte_core::spv_check::unchecked_client;
use punte_store::{Change, InvoiceIntent, OutboxItem, OutboxState, Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::discharge::discharge_of;
use crate::error::{EngineError, ErrorInfo};
use crate::events::Phase;
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

/// The draft of `order` as it stands now. A customer whose CUI has a wrong control digit still
/// gets a draft, with the CUI as typed: the pre-issue check holds it for the merchant.
fn draft_now(
    s: &Store,
    ctx: &DraftCtx,
    order: OrderId,
) -> Result<Result<InvoiceDraft, EngineError>, StoreError> {
    let Some(detail) = s.order(order)? else {
        return Ok(Err(EngineError::OrderNotFound(order)));
    };
    if detail.order.state != OrderState::Open {
        let reason = format!("it is {:?}", detail.order.state);
        return Ok(Err(EngineError::NotInvoiceable { order, reason }));
    }
    let settings = &ctx.settings;
    let (discharge, warehouse) =
        discharge_of(s, order, &settings.locations, ctx.location, &ctx.warehouse)?;
    let mut inv = settings.invoice.clone();
    inv.discharge_from = settings.use_stock.then_some(warehouse);
    let names: HashMap<_, _> = if inv.use_warehouse_name {
        s.billing_stock()?
            .into_iter()
            .map(|r| (r.product.code, r.product.name))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(
        match draft_invoice_from(&detail.order, &inv, &names, &discharge) {
            Ok(d) => Ok(d),
            Err(InvoiceError::Client(_)) => {
                let mut as_person = detail.order.clone();
                as_person.customer.cui = None;
                draft_invoice_from(&as_person, &inv, &names, &discharge)
                    .map(|mut d| {
                        d.client = unchecked_client(&detail.order.customer);
                        d
                    })
                    .map_err(|e| EngineError::NotInvoiceable {
                        order,
                        reason: e.to_string(),
                    })
            }
            Err(e) => Err(EngineError::NotInvoiceable {
                order,
                reason: e.to_string(),
            }),
        },
    )
}

/// What drafting needs from the engine's configuration, to take onto the store thread.
pub(crate) struct DraftCtx {
    settings: crate::config::EngineSettings,
    warehouse: String,
    location: u64,
}

impl DraftCtx {
    pub(crate) fn of(ctx: &Ctx) -> Self {
        Self {
            settings: ctx.config.settings.clone(),
            warehouse: ctx.config.connections.warehouse.clone(),
            location: ctx.config.connections.location_id,
        }
    }
}

/// The merchant retries `item`, held by the pre-issue checks: drafts its order again from what
/// it is now (the merchant fixed it) and, only if that succeeds, moves the item back to an
/// intent with the new draft in one transaction (history: `change`). An order that can no
/// longer be invoiced (cancelled meanwhile) leaves the item in needs-review, untouched.
pub(crate) async fn redraft_held(
    ctx: &Ctx,
    item: &OutboxItem,
    change: Change,
) -> Result<(), EngineError> {
    let dctx = DraftCtx::of(ctx);
    let (id, order) = (item.id, item.intent.order_id);
    ctx.store()
        .call(move |s| {
            let draft = match draft_now(s, &dctx, order)? {
                Ok(d) => d,
                Err(e) => return Ok(Err(e)),
            };
            let json =
                serde_json::to_string(&draft).map_err(|e| StoreError::BadValue(e.to_string()))?;
            s.retry_held_invoice(id, &json, draft.use_stock, &change)?;
            Ok(Ok(()))
        })
        .await?
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
