//! Credit documents for Shopify refunds of invoiced orders (issue 16), planned into the credit
//! outbox: for each invoiced order with a refund not planned yet, the core's `plan_credits`
//! (from the invoice's own draft, the order, its refunds and the credits already planned)
//! gives one credit per refund, a review with the reason, or nothing (the refund came before
//! the invoice: `not_needed`). Only an order Punte invoiced and that is still Invoiced is
//! planned: a Shopify cancellation of an invoiced order is the whole reversal of `lifecycle`,
//! and a cancellation before invoicing needs no document at all. Sending is `credit_send`.

use std::collections::BTreeSet;

use punte_core::credit_note::{
    CreditDraft, CreditInput, CreditPlan, CreditProblem, credit_key, plan_credits,
};
use punte_core::invoice::InvoiceDraft;
use punte_core::order::{Order, OrderId};
use punte_store::{CreditIntent, CreditState, OutboxState, Store, StoreError};
use rust_decimal::Decimal;

use crate::context::Ctx;
use crate::error::EngineError;

/// Plans the credits of every refund not planned yet; returns how many items it wrote.
pub(crate) async fn plan_all(ctx: &Ctx) -> Result<usize, EngineError> {
    let restock_to = ctx.config.settings.credit_restock_warehouse.clone();
    let at = ctx.now();
    Ok(ctx
        .store()
        .call(move |s| {
            let mut written = 0;
            for order in s.orders_with_unplanned_refunds()? {
                for intent in plan_order(s, order, restock_to.as_deref())? {
                    s.add_credit_intent(&intent, at)?;
                    written += 1;
                }
            }
            Ok(written)
        })
        .await?)
}

/// The planner's decisions for one order's unplanned refunds (none while its invoice is not
/// confirmed).
fn plan_order(
    s: &Store,
    order: OrderId,
    restock_to: Option<&str>,
) -> Result<Vec<CreditIntent>, StoreError> {
    let Some(detail) = s.order(order)? else {
        return Ok(Vec::new());
    };
    let items = s.outbox_for_order(order)?;
    let Some((item, issued)) = items
        .iter()
        .filter(|i| i.state == OutboxState::Confirmed)
        .find_map(|i| i.invoice.as_ref().map(|n| (i, n)))
    else {
        return Ok(Vec::new());
    };
    let invoice: InvoiceDraft = serde_json::from_str(&item.intent.draft)
        .map_err(|e| StoreError::BadValue(format!("outbox draft: {e}")))?;
    let refunds = s.refunds_of(order)?;
    let credits = s.credits_of(order)?;
    let planned: BTreeSet<u64> = credits.iter().map(|c| c.refund_id).collect();
    let earlier: Vec<CreditDraft> = credits
        .iter()
        .filter_map(|c| c.draft.as_deref())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| StoreError::BadValue(format!("credit draft: {e}")))?;
    let input = CreditInput {
        invoice: &invoice,
        invoice_series: &issued.series,
        invoice_number: &issued.number,
        order: &detail.order,
        current_shipping: current_shipping(&detail.order),
        refunds: &refunds,
        earlier: &earlier,
        planned: &planned,
        restock_to,
    };
    let mut out = Vec::new();
    for plan in plan_credits(&input) {
        let (refund_id, state, draft, error) = match plan {
            CreditPlan::Issue(d) => {
                let json =
                    serde_json::to_string(&d).map_err(|e| StoreError::BadValue(e.to_string()))?;
                (d.refund_id, CreditState::Intent, Some(json), None)
            }
            CreditPlan::Review { refund_id, problem } => (
                refund_id,
                CreditState::NeedsReview,
                None,
                Some(problem_text(&problem)),
            ),
        };
        out.push(CreditIntent {
            refund_id,
            order_id: order,
            idempotency_key: credit_key(refund_id),
            state,
            draft,
            error,
        });
    }
    // The rest gave back nothing the invoice carries: recorded, so they are planned once.
    for r in refunds.iter().filter(|r| !planned.contains(&r.id)) {
        if !out.iter().any(|i| i.refund_id == r.id) {
            out.push(CreditIntent {
                refund_id: r.id,
                order_id: order,
                idempotency_key: credit_key(r.id),
                state: CreditState::NotNeeded,
                draft: None,
                error: None,
            });
        }
    }
    Ok(out)
}

/// The order's shipping now, VAT included (as the invoice's shipping line counts it).
fn current_shipping(order: &Order) -> Decimal {
    order
        .shipping
        .iter()
        .map(|s| {
            let net = s.price - s.discount;
            if order.taxes_included {
                net
            } else {
                net + s.tax
            }
        })
        .sum()
}

/// Why a refund waits for the merchant, in Romanian and English.
pub(crate) fn problem_text(p: &CreditProblem) -> String {
    match p {
        CreditProblem::MoneyOnly { amount } => format!(
            "Rambursare de {amount} fără produse sau transport: alegeți dvs. liniile și cota TVA \
             ale notei de credit. / A refund of {amount} with no line or shipping: which lines \
             and VAT rate it reduces is yours to choose."
        ),
        CreditProblem::MoreThanInvoiced { title, asked, left } => format!(
            "„{title}”: se returnează {asked} buc., factura mai are {left}. / \"{title}\": \
             {asked} returned, the invoice still carries {left}."
        ),
        CreditProblem::NotInvoiced { title } => {
            format!("„{title}” nu apare pe factură. / \"{title}\" is not on the invoice.")
        }
        CreditProblem::ShippingAboveInvoiced { asked, left } => format!(
            "Transport rambursat {asked}, pe factură a rămas {left}. / Shipping refunded \
             {asked}, the invoice still carries {left}."
        ),
    }
}
