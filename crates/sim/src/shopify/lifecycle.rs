//! Order lifecycle after placement, following Shopify's inventory model: fulfilment lowers
//! committed (and so on_hand); cancelling with restock returns committed to available; refunds
//! restock per restock type; edits commit or release the difference.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::model::{Order, Refund, RefundedLine, ShopState};
use super::ops::{OpError, OrderLine, commit, find_variant, order_mut, shift};
use super::order_money;

/// Fulfils everything still unfulfilled: committed falls, and with it on_hand.
pub fn fulfil(st: &mut ShopState, id: u64, now: DateTime<Utc>) -> Result<(), OpError> {
    let o = order_mut(st, id)?;
    if o.cancelled_at.is_some() {
        return Err(OpError::Invalid("order is cancelled".into()));
    }
    let moves: Vec<_> = o
        .lines
        .iter()
        .map(|l| (l.variant_id, l.location_id, l.unfulfilled()))
        .collect();
    for l in &mut o.lines {
        l.fulfilled += l.unfulfilled();
    }
    o.updated_at = now;
    for (v, loc, n) in moves {
        shift(st, v, loc, -n, 0, now);
    }
    Ok(())
}

/// Cancels: unfulfilled units leave committed, and return to available when `restock`.
pub fn cancel(
    st: &mut ShopState,
    id: u64,
    restock: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let o = order_mut(st, id)?;
    if o.cancelled_at.is_some() {
        return Err(OpError::Invalid("order is already cancelled".into()));
    }
    o.cancelled_at = Some(now);
    o.closed_at = Some(now);
    o.cancel_reason = Some(reason.to_uppercase());
    o.updated_at = now;
    o.financial_status = super::payment::after_cancel(&o.financial_status).into();
    let moves: Vec<_> = o
        .lines
        .iter()
        .map(|l| (l.variant_id, l.location_id, l.unfulfilled()))
        .collect();
    let restock_type = if restock { "CANCEL" } else { "NO_RESTOCK" };
    let refund_id = st.id();
    let ids: Vec<u64> = moves.iter().map(|_| st.id()).collect();
    let o = order_mut(st, id)?;
    let before = order_money::totals(o, true).total;
    for (idx, (_, _, n)) in moves.iter().enumerate().filter(|(_, (_, _, n))| *n > 0) {
        let gone = order_money::remove_units(o, idx, *n, restock_type, ids[idx]);
        push_refund(o, refund_id, gone, now);
    }
    let (price, tax) = (
        order_money::current_shipping(o),
        order_money::shipping_tax(o, true),
    );
    if !price.is_zero() {
        refund_shipping(o, refund_id, price, tax, now);
    }
    o.shipping_refunded = true;
    let amount = before - order_money::totals(o, true).total;
    settle(o, refund_id, amount);
    for (v, loc, n) in moves {
        shift(st, v, loc, -n, if restock { n } else { 0 }, now);
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct RefundLine {
    pub line_item_id: u64,
    pub quantity: i64,
    /// CANCEL (unfulfilled units back to available), RETURN (fulfilled units back), NO_RESTOCK.
    pub restock_type: String,
}

pub fn refund(
    st: &mut ShopState,
    id: u64,
    lines: &[RefundLine],
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    refund_with(st, id, lines, false, now)
}

/// A refund of `lines` and, with `shipping`, of the order's whole remaining shipping (Shopify's
/// `refundCreate` takes `shipping: {fullRefund: true}` or an amount; the simulator gives back
/// all of it, recorded as the refund's one `refundShippingLines` node).
pub fn refund_with(
    st: &mut ShopState,
    id: u64,
    lines: &[RefundLine],
    shipping: bool,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let o = order_mut(st, id)?;
    if lines.is_empty() && !shipping {
        return Err(OpError::Invalid("a refund needs lines or shipping".into()));
    }
    if shipping && (o.shipping_refunded || order_money::current_shipping(o).is_zero()) {
        return Err(OpError::Invalid("no shipping left to refund".into()));
    }
    // All or nothing: check every line (units of one line summed) before anything changes.
    for r in lines {
        let asked: i64 = lines
            .iter()
            .filter(|x| x.line_item_id == r.line_item_id)
            .map(|x| x.quantity)
            .sum();
        let line = o.lines.iter().find(|l| l.id == r.line_item_id);
        let line =
            line.ok_or_else(|| OpError::NotFound("line item", r.line_item_id.to_string()))?;
        if r.quantity <= 0 || asked > line.current_quantity() {
            return Err(OpError::Invalid(format!(
                "cannot refund {} of line {}",
                r.quantity, line.id
            )));
        }
        if !["CANCEL", "RETURN", "NO_RESTOCK"].contains(&r.restock_type.as_str()) {
            return Err(OpError::Invalid(format!(
                "unknown restock_type {}",
                r.restock_type
            )));
        }
    }
    let refund_id = st.id();
    let ids: Vec<u64> = lines.iter().map(|_| st.id()).collect();
    let o = order_mut(st, id)?;
    let before = order_money::totals(o, true).total;
    let mut moves = Vec::new();
    for (r, &line_id) in lines.iter().zip(&ids) {
        let idx = o
            .lines
            .iter()
            .position(|l| l.id == r.line_item_id)
            .ok_or_else(|| OpError::NotFound("line item", r.line_item_id.to_string()))?;
        let l = &mut o.lines[idx];
        if r.quantity <= 0 || r.quantity > l.current_quantity() {
            return Err(OpError::Invalid(format!(
                "cannot refund {} of line {}",
                r.quantity, l.id
            )));
        }
        let (d_comm, d_avail) = match r.restock_type.as_str() {
            "CANCEL" => (
                -r.quantity.min(l.unfulfilled()),
                r.quantity.min(l.unfulfilled()),
            ),
            "RETURN" => {
                l.fulfilled -= r.quantity.min(l.fulfilled);
                (0, r.quantity)
            }
            "NO_RESTOCK" => (-r.quantity.min(l.unfulfilled()), 0),
            other => return Err(OpError::Invalid(format!("unknown restock_type {other}"))),
        };
        moves.push((l.variant_id, l.location_id, d_comm, d_avail));
        let gone = order_money::remove_units(o, idx, r.quantity, &r.restock_type, line_id);
        push_refund(o, refund_id, gone, now);
    }
    if shipping {
        let (price, tax) = (
            order_money::current_shipping(o),
            order_money::shipping_tax(o, true),
        );
        refund_shipping(o, refund_id, price, tax, now);
    }
    let amount = before - order_money::totals(o, true).total;
    settle(o, refund_id, amount);
    let all = o.lines.iter().all(|l| l.current_quantity() == 0);
    o.financial_status = super::payment::after_refund(&o.financial_status, all);
    o.updated_at = now;
    for (v, loc, c, a) in moves {
        shift(st, v, loc, c, a, now);
    }
    Ok(())
}

/// Order edit: add lines (committing stock) or change a line's quantity.
pub fn edit(
    st: &mut ShopState,
    id: u64,
    add: &[OrderLine],
    set: &[(u64, i64)],
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let loc = order_mut(st, id)?.location_id;
    for l in add {
        let vid = find_variant(st, l)?;
        let title = st.variants[&vid].title.clone();
        let line = l.item(st, title, loc)?;
        commit(st, vid, line.location_id, l.quantity, now);
        order_mut(st, id)?.lines.push(line);
    }
    for &(line_id, quantity) in set {
        let refund_id = st.id();
        let removal_id = st.id();
        let o = order_mut(st, id)?;
        let idx = o
            .lines
            .iter()
            .position(|l| l.id == line_id)
            .ok_or_else(|| OpError::NotFound("line item", line_id.to_string()))?;
        let l = &mut o.lines[idx];
        let delta = quantity - l.current_quantity();
        if quantity < l.fulfilled {
            return Err(OpError::Invalid(
                "cannot go below the fulfilled quantity".into(),
            ));
        }
        let (v, line_loc) = (l.variant_id, l.location_id);
        if delta > 0 {
            l.quantity += delta;
        } else if delta < 0 {
            // Shopify records an edit's removed units as refund line items with no money moved
            // (the balance is settled separately), restocked as CANCEL.
            let gone = order_money::remove_units(o, idx, -delta, "CANCEL", removal_id);
            push_refund(o, refund_id, gone, now);
        }
        shift(st, v, line_loc, delta, -delta, now);
    }
    order_mut(st, id)?.updated_at = now;
    Ok(())
}

/// Adds a refunded line to refund `refund_id`, creating the refund on its first line.
fn push_refund(o: &mut Order, refund_id: u64, line: RefundedLine, now: DateTime<Utc>) {
    match o.refunds.iter_mut().find(|r| r.id == refund_id) {
        Some(r) => r.lines.push(line),
        None => o.refunds.push(Refund {
            id: refund_id,
            created_at: now,
            lines: vec![line],
            amount: Decimal::ZERO,
            shipping: None,
        }),
    }
}

/// Gives back the order's remaining shipping (`price` on its price basis, `tax` its VAT) with
/// refund `refund_id`, creating the refund when it has no line.
fn refund_shipping(
    o: &mut Order,
    refund_id: u64,
    price: Decimal,
    tax: Decimal,
    now: DateTime<Utc>,
) {
    o.shipping_refunded = true;
    let shipping = Some((price, tax));
    match o.refunds.iter_mut().find(|r| r.id == refund_id) {
        Some(r) => r.shipping = shipping,
        None => o.refunds.push(Refund {
            id: refund_id,
            created_at: now,
            lines: Vec::new(),
            amount: Decimal::ZERO,
            shipping,
        }),
    }
}

/// Records the money a refund gave back (creating an empty refund for shipping only).
fn settle(o: &mut Order, refund_id: u64, amount: Decimal) {
    o.refunded_amount += amount;
    if let Some(r) = o.refunds.iter_mut().find(|r| r.id == refund_id) {
        r.amount = amount;
    }
}
