//! An order's payment and fulfilment-hold states, as Shopify's `OrderDisplayFinancialStatus`
//! and `OrderDisplayFulfillmentStatus` describe them (vendored 2026-07 schema). Most Romanian
//! orders are cash on delivery: a manual payment method, PENDING until the merchant marks the
//! order paid when the courier pays out. Cancelling voids an unpaid order's payment and refunds
//! a paid one; a refund changes the status only of money actually received.

use chrono::{DateTime, Utc};

use super::model::ShopState;
use super::ops::{OpError, order_mut};

/// Every `OrderDisplayFinancialStatus` value.
pub const FINANCIAL_STATUSES: [&str; 8] = [
    "AUTHORIZED",
    "EXPIRED",
    "PAID",
    "PARTIALLY_PAID",
    "PARTIALLY_REFUNDED",
    "PENDING",
    "REFUNDED",
    "VOIDED",
];

/// Shopify's name of the manual payment method a Romanian shop uses for cash on delivery.
pub const COD_GATEWAY: &str = "Cash on Delivery (COD)";

/// The financial status and gateway of a new order: `payment` is "cod" (the default: PENDING),
/// "card" (captured: PAID) or "card_authorized" (AUTHORIZED, captured later); an explicit
/// `status` overrides it.
pub fn initial(payment: Option<&str>, status: Option<&str>) -> Result<(String, String), OpError> {
    let (mut fin, gateway) = match payment.unwrap_or("cod") {
        "cod" => ("PENDING", COD_GATEWAY),
        "card" => ("PAID", "shopify_payments"),
        "card_authorized" => ("AUTHORIZED", "shopify_payments"),
        "bank_transfer" => ("PENDING", "Bank Deposit"),
        other => return Err(OpError::Invalid(format!("unknown payment {other}"))),
    };
    if let Some(s) = status {
        fin = checked(s)?;
    }
    Ok((fin.to_owned(), gateway.to_owned()))
}

fn checked(status: &str) -> Result<&'static str, OpError> {
    FINANCIAL_STATUSES
        .iter()
        .find(|s| s.eq_ignore_ascii_case(status))
        .copied()
        .ok_or_else(|| OpError::Invalid(format!("unknown financial status {status}")))
}

/// "Mark as paid" (a cash-on-delivery order once the courier pays out) or capturing an
/// authorized payment: PAID. A cancelled, refunded or voided order cannot be.
pub fn mark_paid(st: &mut ShopState, id: u64, now: DateTime<Utc>) -> Result<(), OpError> {
    let o = order_mut(st, id)?;
    match o.financial_status.as_str() {
        "PENDING" | "AUTHORIZED" | "PARTIALLY_PAID" | "EXPIRED" if o.cancelled_at.is_none() => {
            o.financial_status = "PAID".into();
            o.updated_at = now;
            Ok(())
        }
        other => Err(OpError::Invalid(format!(
            "an order {other} cannot be marked paid"
        ))),
    }
}

/// Sets any financial status (a payment provider's doing: an authorization expiring, a void,
/// a partial capture).
pub fn set_status(
    st: &mut ShopState,
    id: u64,
    status: &str,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let status = checked(status)?;
    let o = order_mut(st, id)?;
    o.financial_status = status.into();
    o.updated_at = now;
    Ok(())
}

/// Holds (or releases) the order's unfulfilled items: ON_HOLD while nothing is fulfilled.
pub fn hold(st: &mut ShopState, id: u64, on: bool, now: DateTime<Utc>) -> Result<(), OpError> {
    let o = order_mut(st, id)?;
    o.on_hold = on;
    o.updated_at = now;
    Ok(())
}

/// The financial status after a cancellation: an unpaid payment is voided, a paid one refunded.
pub fn after_cancel(status: &str) -> &'static str {
    match status {
        "PENDING" | "AUTHORIZED" | "EXPIRED" | "VOIDED" => "VOIDED",
        _ => "REFUNDED",
    }
}

/// The financial status after a refund of lines: only money received can be refunded, so an
/// unpaid (cash-on-delivery) order keeps its status.
pub fn after_refund(status: &str, everything: bool) -> String {
    match status {
        "PAID" | "PARTIALLY_REFUNDED" | "PARTIALLY_PAID" if everything => "REFUNDED".into(),
        "PAID" | "PARTIALLY_REFUNDED" | "PARTIALLY_PAID" => "PARTIALLY_REFUNDED".into(),
        other => other.to_owned(),
    }
}
