//! Order import, step 2 of a cycle: orders changed since the stored cursor, merged with what
//! Punte already knows (its own Invoiced/Dispatched states win over Shopify's "open"; a Shopify
//! cancellation always wins) and written in one transaction, so reservations change atomically;
//! the Shopify bundle each line was sold in (`lineItemGroup`) is written with the lines.
//! The cursor moves only after the orders are committed: a crash re-imports, never skips.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use punte_core::credit_note::RefundFacts;
use punte_core::order::{Order, OrderId, OrderState};
use punte_core::product::ProductCode;
use punte_shopify::{OrderCursor, ShopifyOrder};
use punte_store::{Change, Finding, LineGroup};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::{EngineEvent, Phase};
use crate::history::{Marks, first_cursor, history_state};
use crate::kv;
use crate::payment::{self, Payment};
use crate::seen;
use crate::withheld;

/// How far each import reaches back before the cursor (Shopify's search index can lag).
const OVERLAP: Duration = Duration::from_secs(300);

/// What one import did.
#[derive(Debug, Default)]
pub(crate) struct Imported {
    pub orders: u64,
    /// Orders invoiced by Punte and now cancelled in Shopify: their invoice is reversed.
    pub to_reverse: Vec<OrderId>,
    /// Orders the auto-invoice setting says to invoice now.
    pub to_invoice: Vec<OrderId>,
    /// Codes of the lines the imported orders had or have (their R may have changed).
    pub touched: BTreeSet<ProductCode>,
    /// Findings the import raises (Shopify withholding customer data); the run publishes them.
    pub findings: Vec<Finding>,
}

struct Incoming {
    order: Order,
    payment: Payment,
    /// Shopify's `displayFinancialStatus`, for the history.
    status: Option<String>,
    /// Shopify's `displayFulfillmentStatus`.
    fulfillment: String,
    marks: Marks,
    /// Shopify's refunds of the order, stored by refund id (issue 16).
    refunds: Vec<RefundFacts>,
    /// The Shopify bundle each component line was sold in (issue 18).
    groups: Vec<LineGroup>,
}

/// The bundle groups of `o`'s lines, as the store keeps them.
fn groups_of(o: &ShopifyOrder) -> Vec<LineGroup> {
    o.lines
        .iter()
        .filter_map(|l| {
            let g = l.group.as_ref()?;
            Some(LineGroup {
                line: l.id,
                group_id: g.id,
                title: g.title.clone(),
                quantity: g.quantity,
                sku: g.variant_sku.clone(),
            })
        })
        .collect()
}

/// Imports the orders changed since the cursor.
pub(crate) async fn import_orders(ctx: &Ctx) -> Result<Imported, EngineError> {
    ctx.progress(Phase::ImportOrders, 0, 1);
    let client = ctx.shopify()?;
    let stored: Option<OrderCursor> = kv::get(ctx.store(), kv::ORDER_CURSOR).await?;
    let cursor = stored.unwrap_or_else(|| first_cursor(ctx.now()));
    let page = client.orders_changed(&cursor, OVERLAP).await?;
    let source = ctx.config.settings.code_source;
    let auto = ctx.config.settings.auto_invoice;
    let incoming: Vec<Incoming> = page
        .orders
        .iter()
        .map(|o| Incoming {
            order: o.to_core(source),
            payment: Payment::of(o.financial_status.as_deref()),
            status: o.financial_status.clone(),
            fulfillment: o.fulfillment_status.clone(),
            marks: Marks::of(o),
            refunds: o.refunds.clone(),
            groups: groups_of(o),
        })
        .collect();
    let now = ctx.now();
    let facts = payment::facts_of(&page.orders);
    let today = now
        .with_timezone(&punte_core::schedule::BUCHAREST)
        .date_naive();
    let read: Vec<(OrderId, bool)> = page
        .orders
        .iter()
        .map(|o| (o.id, !o.withheld.is_empty()))
        .collect();
    let denied = page.withheld.clone();
    let (imported, changes, rewind) = ctx
        .store()
        .call(move |s| {
            let connected_at = match kv::read(s, kv::CONNECTED_AT)? {
                Some(t) => t,
                None => {
                    kv::write(s, kv::CONNECTED_AT, &now, now)?;
                    now
                }
            };
            let mut out = Imported::default();
            let mut history = Vec::new();
            let mut changes = Vec::new();
            let mut touched: BTreeSet<ProductCode> = BTreeSet::new();
            let mut merged = Vec::with_capacity(incoming.len());
            let mut moved = Vec::with_capacity(incoming.len());
            let mut refunds_seen = Vec::new();
            let mut groups = HashMap::with_capacity(incoming.len());
            for Incoming {
                mut order,
                payment,
                status,
                fulfillment,
                marks,
                refunds,
                groups: sold_in,
            } in incoming
            {
                groups.insert(order.id, sold_in);
                if !refunds.is_empty() {
                    refunds_seen.push((order.id, refunds));
                }
                let old = s.order(order.id)?.map(|d| d.order);
                let cancelled = order.state == OrderState::Cancelled;
                if let Some(old) = &old {
                    touched.extend(old.lines.iter().filter_map(|l| l.code.clone()));
                    if !cancelled {
                        order.state = old.state;
                    } else if matches!(old.state, OrderState::Invoiced { .. }) {
                        out.to_reverse.push(order.id);
                    }
                }
                if old.is_none()
                    && let Some((state, reason)) = history_state(marks, order.state, connected_at)
                {
                    order.state = state;
                    history.push((order.id, reason.to_owned()));
                }
                // A payment refunded or voided before the invoice releases the order; a live
                // payment again brings it back (Shopify's own cancellation is final).
                if !cancelled
                    && !marks.test
                    && let Some((state, reason)) =
                        payment::state_for(order.state, payment, status.as_deref())
                {
                    order.state = state;
                    history.retain(|(id, _)| *id != order.id);
                    history.push((order.id, reason));
                }
                touched.extend(order.lines.iter().filter_map(|l| l.code.clone()));
                let from = old.as_ref().map(|o| o.state);
                if from != Some(order.state) {
                    changes.push((order.id, from, order.state));
                }
                let wanted = payment::auto_invoice(auto, payment, &fulfillment);
                if wanted && order.state == OrderState::Open {
                    out.to_invoice.push(order.id);
                }
                moved.push((old, order.clone()));
                merged.push(order);
            }
            seen::orders_moved(s, &moved, now)?;
            // Write-ahead: the storno work is recorded before the cancellation is committed.
            if !out.to_reverse.is_empty() {
                let mut pending: BTreeSet<OrderId> =
                    kv::read(s, kv::REVERSALS)?.unwrap_or_default();
                pending.extend(out.to_reverse.iter().copied());
                kv::write(s, kv::REVERSALS, &pending, now)?;
            }
            out.touched.clone_from(&touched);
            kv::add_dirty(s, touched, now)?;
            // Reasons are codes the window words in the merchant's language.
            let change = Change::new(now, "imported", "sync");
            let (past, current): (Vec<Order>, Vec<Order>) = merged
                .iter()
                .cloned()
                .partition(|o| history.iter().any(|(id, _)| *id == o.id));
            s.import_grouped_orders(&current, &groups, &change)?;
            for (id, reason) in &history {
                let one: Vec<Order> = past.iter().filter(|o| o.id == *id).cloned().collect();
                s.import_grouped_orders(&one, &groups, &Change::new(now, reason, "sync"))?;
            }
            // After the orders (a refund names its order); a refund already stored is kept.
            for (order, refunds) in &refunds_seen {
                s.record_refunds(*order, refunds, now)?;
            }
            // Cash on delivery: payment and fulfilment as seen, a collection intent when paid.
            s.note_payments(&facts, today, now)?;
            out.orders = merged.len() as u64;
            let seen = withheld::record(s, &read, &denied, now)?;
            out.findings.extend(seen.finding);
            Ok((out, changes, seen.rewind))
        })
        .await?;
    // Access to customer data came back: read again the orders that came without it.
    let cursor = if rewind {
        first_cursor(now)
    } else {
        page.cursor
    };
    kv::put(ctx.store(), kv::ORDER_CURSOR.into(), cursor, now).await?;
    for (order, from, to) in changes {
        ctx.emit(EngineEvent::OrderStateChanged { order, from, to });
    }
    ctx.progress(Phase::ImportOrders, 1, 1);
    Ok(imported)
}
