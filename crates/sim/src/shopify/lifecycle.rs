//! Order lifecycle after placement, following Shopify's inventory model: fulfilment lowers
//! committed (and so on_hand); cancelling with restock returns committed to available; refunds
//! restock per restock type; edits commit or release the difference.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::model::{LineItem, ShopState};
use super::ops::{OpError, OrderLine, commit, find_variant, order_mut, shift};

/// Fulfils everything still unfulfilled: committed falls, and with it on_hand.
pub fn fulfil(st: &mut ShopState, id: u64, now: DateTime<Utc>) -> Result<(), OpError> {
    let o = order_mut(st, id)?;
    if o.cancelled_at.is_some() {
        return Err(OpError::Invalid("order is cancelled".into()));
    }
    let loc = o.location_id;
    let moves: Vec<_> = o
        .lines
        .iter()
        .map(|l| (l.variant_id, l.unfulfilled()))
        .collect();
    for l in &mut o.lines {
        l.fulfilled += l.unfulfilled();
    }
    o.updated_at = now;
    for (v, n) in moves {
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
    o.financial_status = "REFUNDED".into();
    let loc = o.location_id;
    let moves: Vec<_> = o
        .lines
        .iter()
        .map(|l| (l.variant_id, l.unfulfilled()))
        .collect();
    for l in &mut o.lines {
        l.removed += l.unfulfilled();
    }
    o.refunded_amount = super::orders::subtotal(o) + o.shipping;
    for (v, n) in moves {
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
    let o = order_mut(st, id)?;
    let loc = o.location_id;
    let mut moves = Vec::new();
    let mut amount = Decimal::ZERO;
    for r in lines {
        let l = o
            .lines
            .iter_mut()
            .find(|l| l.id == r.line_item_id)
            .ok_or_else(|| OpError::NotFound("line item", r.line_item_id.to_string()))?;
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
        l.removed += r.quantity;
        amount += l.unit_price * Decimal::from(r.quantity);
        moves.push((l.variant_id, d_comm, d_avail));
    }
    o.refunded_amount += amount;
    let all = o.lines.iter().all(|l| l.current_quantity() == 0);
    o.financial_status = if all {
        "REFUNDED"
    } else {
        "PARTIALLY_REFUNDED"
    }
    .into();
    o.updated_at = now;
    for (v, c, a) in moves {
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
        let v = &st.variants[&vid];
        let (sku, price, title) = (v.sku.clone(), v.price, v.title.clone());
        let line_id = st.id();
        let line = LineItem {
            id: line_id,
            variant_id: Some(vid),
            sku,
            title,
            quantity: l.quantity,
            removed: 0,
            fulfilled: 0,
            unit_price: price,
        };
        order_mut(st, id)?.lines.push(line);
        commit(st, vid, loc, l.quantity, now);
    }
    for &(line_id, quantity) in set {
        let o = order_mut(st, id)?;
        let l = o
            .lines
            .iter_mut()
            .find(|l| l.id == line_id)
            .ok_or_else(|| OpError::NotFound("line item", line_id.to_string()))?;
        let delta = quantity - l.current_quantity();
        if quantity < l.fulfilled {
            return Err(OpError::Invalid(
                "cannot go below the fulfilled quantity".into(),
            ));
        }
        if delta > 0 {
            l.quantity += delta
        } else {
            l.removed -= delta
        }
        let v = l.variant_id;
        shift(st, v, loc, delta, -delta, now);
    }
    order_mut(st, id)?.updated_at = now;
    Ok(())
}
