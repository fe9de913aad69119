//! Credit documents for Shopify refunds of an invoiced order: one per refund, for exactly the
//! units and shipping it gave back, at the invoice's own price (after its discount) and VAT
//! rate per line, restocked where the invoice discharged them (or the merchant's warehouse)
//! only when Shopify restocked them.
//!
//! Which units of a refund the invoice still carries is counted, not timed: a line's units gone
//! before the invoice was drafted (ordered − invoiced) are the first ones Shopify's refunds
//! removed, so a refund made before invoicing — already left out of the invoice — never gets
//! a credit note, and one made after always does, whatever the import's lag. Shipping is
//! counted the same way in money. Each credit takes its share of a line so that all credits of
//! a line together come to the invoiced total exactly. What cannot be expressed as a credit of
//! invoiced lines (money given back with no line or shipping, more units than invoiced) is
//! returned as a problem for the merchant, never guessed. Each credit's lines are worked out in
//! `credit_lines`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::credit_lines::{credit_line, invoiced_lines, is_whole, shipping_line, shipping_lines};
use crate::invoice::{DraftLine, InvoiceDraft};
use crate::money::Currency;
use crate::order::{LineId, Order, OrderId};

/// Units of one order line a refund gave back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundedUnits {
    pub line: LineId,
    pub quantity: i64,
    /// Shopify put them back in stock (restock type RETURN or CANCEL).
    pub restocked: bool,
}

/// One Shopify refund, as the credit planner needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundFacts {
    pub id: u64,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<RefundedUnits>,
    /// Shipping given back, VAT included (as the invoice's shipping line counts it).
    pub shipping: Decimal,
    /// Money Shopify returned with this refund.
    pub amount: Decimal,
}

/// The credit document for one refund: negative quantities, positive VAT-included prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditDraft {
    pub order_id: OrderId,
    pub order_name: String,
    pub refund_id: u64,
    /// The invoice it corrects.
    pub invoice_series: String,
    pub invoice_number: String,
    pub client: Client,
    pub currency: Currency,
    /// The whole invoice comes back at once, each line restocked where it was discharged: the
    /// service's own storno of the invoice says exactly this.
    pub whole: bool,
    /// Some line re-enters stock (its `warehouse`).
    pub use_stock: bool,
    pub lines: Vec<DraftLine>,
}

impl CreditDraft {
    /// The credit's total, VAT included (negative).
    #[must_use]
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(DraftLine::total).sum()
    }

    /// The credit as an invoice draft (same client, currency and lines), for the services whose
    /// credit document is an invoice with negative quantities.
    #[must_use]
    pub fn as_invoice(&self) -> InvoiceDraft {
        InvoiceDraft {
            order_id: self.order_id,
            order_name: self.order_name.clone(),
            client: self.client.clone(),
            currency: self.currency.clone(),
            use_stock: self.use_stock,
            lines: self.lines.clone(),
        }
    }

    /// "FCT 0007", the invoice it corrects.
    #[must_use]
    pub fn invoice_label(&self) -> String {
        format!("{} {}", self.invoice_series, self.invoice_number)
    }

    /// The key under which the service de-duplicates this credit (≤ 36 characters).
    #[must_use]
    pub fn key(&self) -> String {
        credit_key(self.refund_id)
    }
}

/// The de-duplication key of the credit for Shopify refund `refund_id`.
#[must_use]
pub fn credit_key(refund_id: u64) -> String {
    format!("punte-credit-{refund_id}")
}

/// Why a refund cannot be turned into a credit of the invoice's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CreditProblem {
    /// Money given back with no line and no shipping (a goodwill or price refund): which lines
    /// and VAT rates it reduces is the merchant's call.
    MoneyOnly { amount: Decimal },
    /// More units of a line than the invoice still carries.
    MoreThanInvoiced {
        title: String,
        asked: i64,
        left: i64,
    },
    /// A refunded line the invoice does not show.
    NotInvoiced { title: String },
    /// More shipping than the invoice still carries.
    ShippingAboveInvoiced { asked: Decimal, left: Decimal },
}

/// What to do about one refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "plan", rename_all = "snake_case")]
pub enum CreditPlan {
    Issue(Box<CreditDraft>),
    Review {
        refund_id: u64,
        problem: CreditProblem,
    },
}

/// Everything the planner reads.
#[derive(Debug, Clone, Copy)]
pub struct CreditInput<'a> {
    /// The invoice's draft, as issued.
    pub invoice: &'a InvoiceDraft,
    pub invoice_series: &'a str,
    pub invoice_number: &'a str,
    /// The order as Punte has it (its lines' ordered quantities).
    pub order: &'a Order,
    /// The order's shipping now, VAT included, after Shopify's refunds.
    pub current_shipping: Decimal,
    /// Every refund of the order, in any order.
    pub refunds: &'a [RefundFacts],
    /// Credits already issued or on their way for this invoice.
    pub earlier: &'a [CreditDraft],
    /// Refunds that already have a credit (or a review): planned once only.
    pub planned: &'a BTreeSet<u64>,
    /// The merchant's warehouse for returned goods; `None`: where the invoice discharged them.
    pub restock_to: Option<&'a str>,
}

/// Plans the credits of the refunds not planned yet, oldest first.
#[must_use]
pub fn plan_credits(input: &CreditInput<'_>) -> Vec<CreditPlan> {
    let invoiced = invoiced_lines(input);
    let shipping_invoiced: Decimal = shipping_lines(input.invoice).map(DraftLine::total).sum();
    let mut refunds: Vec<&RefundFacts> = input.refunds.iter().collect();
    refunds.sort_by_key(|r| (r.created_at, r.id));
    let refunded_shipping: Decimal = refunds.iter().map(|r| r.shipping).sum();
    let mut ship_skip =
        (input.current_shipping + refunded_shipping - shipping_invoiced).max(Decimal::ZERO);
    let mut unit_skip: BTreeMap<LineId, i64> =
        invoiced.iter().map(|(l, i)| (*l, i.reflected)).collect();
    let mut credited: Vec<CreditDraft> = input.earlier.to_vec();
    let mut out = Vec::new();
    for refund in refunds {
        // What of this refund the invoice still carries (the rest was never invoiced).
        let mut units: BTreeMap<(LineId, bool), i64> = BTreeMap::new();
        let mut problem = None;
        for item in &refund.lines {
            let skip = unit_skip.entry(item.line).or_insert_with(|| {
                // A line the invoice does not show was never invoiced (gone before, or added
                // after): none of its units is on the invoice.
                input
                    .order
                    .lines
                    .iter()
                    .find(|l| l.id == item.line)
                    .map_or(i64::MAX, |l| l.quantity + l.refunded)
            });
            let skipped = item.quantity.min(*skip);
            *skip -= skipped;
            if item.quantity > skipped {
                *units.entry((item.line, item.restocked)).or_default() += item.quantity - skipped;
            }
        }
        let skipped_ship = refund.shipping.min(ship_skip);
        ship_skip -= skipped_ship;
        let shipping = refund.shipping - skipped_ship;
        if input.planned.contains(&refund.id) {
            continue;
        }
        let mut lines = Vec::new();
        for ((line, restocked), n) in units {
            match credit_line(input, &invoiced, &credited, &lines, line, n, restocked) {
                Ok(mut l) => lines.append(&mut l),
                Err(p) => problem = problem.or(Some(p)),
            }
        }
        if shipping > Decimal::ZERO {
            match shipping_line(input.invoice, &credited, shipping, shipping_invoiced) {
                Ok(l) => lines.push(l),
                Err(p) => problem = problem.or(Some(p)),
            }
        }
        if problem.is_none()
            && lines.is_empty()
            && refund.lines.is_empty()
            && refund.shipping.is_zero()
            && refund.amount > Decimal::ZERO
        {
            problem = Some(CreditProblem::MoneyOnly {
                amount: refund.amount,
            });
        }
        if let Some(problem) = problem {
            out.push(CreditPlan::Review {
                refund_id: refund.id,
                problem,
            });
            continue;
        }
        if lines.is_empty() {
            continue;
        }
        let mut draft = CreditDraft {
            order_id: input.order.id,
            order_name: input.order.name.clone(),
            refund_id: refund.id,
            invoice_series: input.invoice_series.to_owned(),
            invoice_number: input.invoice_number.to_owned(),
            client: input.invoice.client.clone(),
            currency: input.invoice.currency.clone(),
            whole: false,
            use_stock: lines.iter().any(|l| l.warehouse.is_some()),
            lines,
        };
        draft.whole = credited.is_empty() && is_whole(input, &invoiced, &draft);
        credited.push(draft.clone());
        out.push(CreditPlan::Issue(Box::new(draft)));
    }
    out
}

#[cfg(test)]
#[path = "credit_note_tests.rs"]
mod tests;
