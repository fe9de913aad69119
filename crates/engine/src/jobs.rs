//! The jobs the scheduler and the commands run: the orders job (import, auto-invoice intents,
//! outbox, reversals, stale-order check) and the stock jobs, each ending with one summary.

use std::collections::BTreeSet;

use punte_core::order::OrderId;

use crate::context::Ctx;
use crate::credit_send::credit_refunds;
use crate::cycle::{Mode, Reach, stock_cycle};
use crate::error::EngineError;
use crate::events::{Outcome, RunCounts, RunSummary};
use crate::findings::publish;
use crate::import::import_orders;
use crate::in_stock::refresh_in_stock;
use crate::invoicing::{InvoiceOutcome, drain, enqueue_all};
use crate::kv;
use crate::lifecycle::{process_reversals, stale_open_orders};
use crate::notify::NotificationEvent;
use crate::run::RunMeter;

/// What `sync_now` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncScope {
    /// The forced sync of Sync now (window and tray): the orders job, then a full stock cycle
    /// (whole catalogue, every level), so new products and hand edits are seen at once. Its
    /// summary counts the work of both.
    All,
    /// An incremental stock cycle (it imports orders too: the stock rule needs them).
    StockOnly,
    /// Import orders, send waiting invoices, reverse invoices of cancelled orders.
    OrdersOnly,
    /// A full reconciliation: whole catalogue and every level.
    Full,
}

/// Import, invoice what is due, reverse what was cancelled.
pub(crate) async fn orders_job(ctx: &Ctx) -> Result<RunSummary, EngineError> {
    let shopify = ctx.shopify()?;
    let meter = RunMeter::start(ctx, &shopify, true).await?;
    let result = orders_body(ctx).await;
    let (counts, outcome) = match &result {
        Ok(c) => (*c, Outcome::Ok),
        Err(e) => (RunCounts::default(), Outcome::Failed { error: e.info() }),
    };
    let summary = meter
        .finish(ctx, &shopify, &counts, &outcome, 0, false)
        .await?;
    result.map(|_| summary)
}

async fn orders_body(ctx: &Ctx) -> Result<RunCounts, EngineError> {
    let imported = import_orders(ctx).await?;
    if !imported.findings.is_empty() {
        publish(ctx, &[], imported.findings.clone(), None, None).await?;
    }
    refresh_in_stock(ctx).await?;
    enqueue_all(ctx, &imported.to_invoice).await?;
    let sent = drain(ctx).await?;
    let issued = sent
        .iter()
        .filter(|(_, o)| matches!(o, InvoiceOutcome::Issued { .. }))
        .count() as u64;
    let waiting = sent.iter().find_map(|(_, o)| match o {
        InvoiceOutcome::Waiting { error } => Some(error.clone()),
        _ => None,
    });
    // Refunds of invoiced orders → their credit documents (issue 16).
    let credited = credit_refunds(ctx).await?;
    let waiting = waiting.or_else(|| {
        credited.iter().find_map(|(_, o)| match o {
            InvoiceOutcome::Waiting { error } => Some(error.clone()),
            _ => None,
        })
    });
    // Collections wait for their invoice; an outage leaves them in the outbox.
    let collected = crate::collections::drain(ctx).await?;
    for (order, outcome) in &collected {
        tracing::info!(order = order.0, ?outcome, "cash-on-delivery collection");
    }
    process_reversals(ctx).await?;
    if let Err(e) = crate::efactura::follow_efactura(ctx).await {
        // e-Factura follow-up never fails the orders job; the next job tries again.
        tracing::warn!(error = %e, "e-Factura follow-up failed");
    }
    let stale: Vec<OrderId> = stale_open_orders(ctx).await?;
    let at = ctx.now();
    // One notification per order: those already notified (and still stale) are left out.
    let fresh = ctx
        .store()
        .call(move |s| {
            let told: BTreeSet<OrderId> = kv::read(s, kv::STALE_NOTIFIED)?.unwrap_or_default();
            let fresh: Vec<OrderId> = stale
                .iter()
                .copied()
                .filter(|o| !told.contains(o))
                .collect();
            let now: BTreeSet<OrderId> = stale.into_iter().collect();
            if now != told {
                kv::write(s, kv::STALE_NOTIFIED, &now, at)?;
            }
            Ok(fresh)
        })
        .await?;
    if !fresh.is_empty() {
        ctx.notify(NotificationEvent::StaleOpenOrders { orders: fresh });
    }
    crate::cod_unpaid::notify_unpaid_cod(ctx).await?;
    if let Some(error) = waiting {
        // Surface the outage so the scheduler backs off; the intents are safe in the outbox.
        return Err(EngineError::Billing(
            punte_billing::BillingError::Unavailable {
                service: "billing",
                detail: error.message,
            },
        ));
    }
    Ok(RunCounts {
        orders_imported: imported.orders,
        invoices_issued: issued,
        ..RunCounts::default()
    })
}

/// An orders look (issue 19): between two looks at the billing warehouse, the orders Shopify
/// changed since the cursor are imported (their reservations recorded, their codes marked for
/// the next look) and the InStock verdicts refreshed, so an order does not wait for the
/// warehouse's sweep (Oblio's 80 pages, FGO's 1 page / 32 s). One Shopify read when nothing
/// changed, and then no History row; invoices wait in the outbox as after a stock cycle.
pub(crate) async fn orders_look(ctx: &Ctx) -> Result<Option<RunSummary>, EngineError> {
    let shopify = ctx.shopify()?;
    let mut meter = RunMeter::start(ctx, &shopify, false).await?;
    let result = orders_look_body(ctx).await;
    let (counts, outcome) = match &result {
        Ok(c) if *c == RunCounts::default() => return Ok(None),
        Ok(c) => (*c, Outcome::Ok),
        Err(e) => (RunCounts::default(), Outcome::Failed { error: e.info() }),
    };
    meter.record(ctx).await?;
    let summary = meter
        .finish(ctx, &shopify, &counts, &outcome, 0, false)
        .await?;
    result.map(|_| Some(summary))
}

async fn orders_look_body(ctx: &Ctx) -> Result<RunCounts, EngineError> {
    let imported = import_orders(ctx).await?;
    let findings = if imported.findings.is_empty() {
        0
    } else {
        publish(ctx, &[], imported.findings.clone(), None, None).await?
    };
    if imported.orders > 0 {
        refresh_in_stock(ctx).await?;
        enqueue_all(ctx, &imported.to_invoice).await?;
    }
    Ok(RunCounts {
        orders_imported: imported.orders,
        findings: findings as u64,
        ..RunCounts::default()
    })
}

/// A stock cycle that applies its plan; `automatic` when the scheduler started it.
pub(crate) async fn stock_job(
    ctx: &Ctx,
    reach: Reach,
    mode: Mode,
    automatic: bool,
) -> Result<RunSummary, EngineError> {
    let (result, summary) = stock_cycle(ctx, reach, mode, automatic).await?;
    // Orders the cycle imported that the auto-invoice setting wants: their intents wait in
    // the outbox for the next orders job.
    enqueue_all(ctx, &result.imported.to_invoice).await?;
    Ok(summary)
}
