//! The lines of one credit document, worked out from the invoice: which invoiced lines each
//! order line has (its units, its total after discount, how it looks), a refunded line's share
//! of that total so all its credits together come to it exactly, the shipping given back, and
//! whether a credit is the whole invoice (the service's storno). `credit_note` plans which
//! refunds get a credit; this module says what each credit's lines are.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::credit_note::{CreditDraft, CreditInput, CreditProblem};
use crate::invoice::{DraftLine, DraftLineKind, InvoiceDraft, split_evenly};
use crate::money::round_to_ban;
use crate::order::LineId;

/// One invoiced order line: its draft lines' quantity, total and look.
pub(crate) struct Invoiced<'a> {
    quantity: i64,
    total: Decimal,
    first: &'a DraftLine,
    /// Units gone before the invoice was drafted.
    pub(crate) reflected: i64,
}

/// The invoice's product and discount lines grouped by order line.
pub(crate) fn invoiced_lines<'a>(input: &CreditInput<'a>) -> BTreeMap<LineId, Invoiced<'a>> {
    let mut out: BTreeMap<LineId, Invoiced<'a>> = BTreeMap::new();
    for draft_line in &input.invoice.lines {
        let Some(id) = line_of(input, draft_line) else {
            continue;
        };
        let product = draft_line.kind == DraftLineKind::Product;
        let entry = out.entry(id).or_insert_with(|| Invoiced {
            quantity: 0,
            total: Decimal::ZERO,
            first: draft_line,
            reflected: 0,
        });
        if product {
            if entry.quantity == 0 {
                entry.first = draft_line;
            }
            entry.quantity += draft_line.quantity;
        }
        entry.total += draft_line.total();
    }
    for (id, inv) in &mut out {
        let ordered = input
            .order
            .lines
            .iter()
            .find(|l| l.id == *id)
            .map_or(inv.quantity, |l| l.quantity + l.refunded);
        inv.reflected = (ordered - inv.quantity).max(0);
    }
    out
}

/// The order line a draft line belongs to: its recorded line, or (drafts written before lines
/// were recorded) the one order line with its code. A discount line follows its product line.
fn line_of(input: &CreditInput<'_>, l: &DraftLine) -> Option<LineId> {
    if l.kind == DraftLineKind::Shipping {
        return None;
    }
    if let Some(id) = l.line {
        return Some(id);
    }
    let lines = &input.invoice.lines;
    let at = lines.iter().position(|x| std::ptr::eq(x, l))?;
    let product = lines[..=at]
        .iter()
        .rev()
        .find(|x| x.kind == DraftLineKind::Product)?;
    let code = product.code.as_ref()?;
    let mut same = input
        .order
        .lines
        .iter()
        .filter(|o| o.code.as_ref() == Some(code));
    match (same.next(), same.next()) {
        (Some(one), None) => Some(one.id),
        _ => None,
    }
}

pub(crate) fn shipping_lines(invoice: &InvoiceDraft) -> impl Iterator<Item = &DraftLine> {
    invoice
        .lines
        .iter()
        .filter(|l| l.kind == DraftLineKind::Shipping)
}

/// `n` more units of `line` credited (after the earlier credits and `this` credit's lines so
/// far): the share of the line's invoiced total that brings all
/// its credits to `(credited + n) / invoiced` of it, split into at most two unit prices.
pub(crate) fn credit_line(
    input: &CreditInput<'_>,
    invoiced: &BTreeMap<LineId, Invoiced<'_>>,
    credited: &[CreditDraft],
    this: &[DraftLine],
    line: LineId,
    n: i64,
    restocked: bool,
) -> Result<Vec<DraftLine>, CreditProblem> {
    let title = || {
        input
            .order
            .lines
            .iter()
            .find(|l| l.id == line)
            .map(|l| l.title.clone())
            .unwrap_or_default()
    };
    let Some(inv) = invoiced.get(&line).filter(|i| i.quantity > 0) else {
        return Err(CreditProblem::NotInvoiced { title: title() });
    };
    let earlier = credited
        .iter()
        .flat_map(|c| &c.lines)
        .chain(this)
        .filter(|l| l.kind == DraftLineKind::Product && l.line == Some(line));
    let (q_done, t_done) = earlier.fold((0, Decimal::ZERO), |(q, t), l| {
        (q - l.quantity, t - l.total())
    });
    if q_done + n > inv.quantity {
        return Err(CreditProblem::MoreThanInvoiced {
            title: title(),
            asked: n,
            left: inv.quantity - q_done,
        });
    }
    let share = if q_done + n == inv.quantity {
        inv.total
    } else {
        round_to_ban(inv.total * Decimal::from(q_done + n) / Decimal::from(inv.quantity))
    };
    let amount = share - t_done;
    let warehouse = inv
        .first
        .warehouse
        .as_ref()
        .filter(|_| restocked)
        .map(|w| input.restock_to.map_or_else(|| w.clone(), str::to_owned));
    Ok(split_evenly(amount, n)
        .into_iter()
        .map(|(k, price)| DraftLine {
            kind: DraftLineKind::Product,
            name: inv.first.name.clone(),
            code: inv.first.code.clone(),
            quantity: -k,
            unit_price: price,
            vat_rate: inv.first.vat_rate,
            warehouse: warehouse.clone(),
            line: Some(line),
            vat_name: inv.first.vat_name.clone(),
        })
        .collect())
}

pub(crate) fn shipping_line(
    invoice: &InvoiceDraft,
    credited: &[CreditDraft],
    amount: Decimal,
    invoiced: Decimal,
) -> Result<DraftLine, CreditProblem> {
    let done: Decimal = credited
        .iter()
        .flat_map(|c| &c.lines)
        .filter(|l| l.kind == DraftLineKind::Shipping)
        .map(|l| -l.total())
        .sum();
    let Some(first) = shipping_lines(invoice).next() else {
        return Err(CreditProblem::ShippingAboveInvoiced {
            asked: amount,
            left: Decimal::ZERO,
        });
    };
    if done + amount > invoiced {
        return Err(CreditProblem::ShippingAboveInvoiced {
            asked: amount,
            left: invoiced - done,
        });
    }
    Ok(DraftLine {
        kind: DraftLineKind::Shipping,
        name: first.name.clone(),
        code: None,
        quantity: -1,
        unit_price: round_to_ban(amount),
        vat_rate: first.vat_rate,
        warehouse: None,
        line: None,
        vat_name: first.vat_name.clone(),
    })
}

/// Every invoiced line and all shipping come back, each discharged line restocked into the
/// warehouse it left: nothing but the service's own storno of the invoice.
pub(crate) fn is_whole(
    input: &CreditInput<'_>,
    invoiced: &BTreeMap<LineId, Invoiced<'_>>,
    draft: &CreditDraft,
) -> bool {
    let all_units = invoiced
        .iter()
        .filter(|(_, i)| i.quantity > 0)
        .all(|(id, inv)| {
            let lines = draft
                .lines
                .iter()
                .filter(|l| l.kind == DraftLineKind::Product && l.line == Some(*id));
            let mut n = 0;
            for l in lines {
                n -= l.quantity;
                if l.warehouse != inv.first.warehouse {
                    return false;
                }
            }
            n == inv.quantity
        });
    all_units && draft.total() == -input.invoice.total()
}
