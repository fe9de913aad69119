//! The shop's order history at the first connection. Without a stored cursor, the first import
//! would read every order the shop ever had and treat it as open, reserving stock that was
//! invoiced and shipped long ago. Instead the cursor is seeded [`HISTORY_DAYS`] back (what a
//! Shopify app without `read_all_orders` can see anyway), and an order Punte sees for the first
//! time that was closed, or fulfilled (paid or not), before the connection is stored as
//! Dispatched: it never reserves, is not invoiced, and is not in the unpaid cash-on-delivery
//! list (it has its own). Test orders never reserve, whenever they come.

use chrono::{DateTime, TimeDelta, Utc};
use punte_core::order::OrderState;
use punte_shopify::{OrderCursor, ShopifyOrder};
use punte_store::HANDLED_BEFORE_CONNECTION;

/// How far back the first import reaches.
pub(crate) const HISTORY_DAYS: i64 = 60;

/// The cursor of the very first import.
pub(crate) fn first_cursor(now: DateTime<Utc>) -> OrderCursor {
    OrderCursor {
        updated_at: Some(now - TimeDelta::days(HISTORY_DAYS)),
        seen: Vec::new(),
    }
}

/// What marks an order as history, read from Shopify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marks {
    pub created_at: DateTime<Utc>,
    pub test: bool,
    pub closed: bool,
    pub fulfilled: bool,
}

impl Marks {
    pub fn of(o: &ShopifyOrder) -> Self {
        Self {
            created_at: o.created_at,
            test: o.test,
            closed: o.closed_at.is_some(),
            fulfilled: o.fulfillment_status == "FULFILLED",
        }
    }
}

/// The state a new (never imported) order takes instead of Shopify's, with the reason's code
/// (the window words it); `None` keeps Shopify's (open or cancelled).
pub(crate) fn history_state(
    m: Marks,
    state: OrderState,
    connected_at: DateTime<Utc>,
) -> Option<(OrderState, &'static str)> {
    if state == OrderState::Cancelled {
        return None;
    }
    if m.test {
        return Some((OrderState::Cancelled, "imported_test_order"));
    }
    let handled = m.closed || m.fulfilled;
    // Closed, or fulfilled (whatever the payment), before Punte was connected.
    (m.created_at < connected_at && handled)
        .then_some((OrderState::Dispatched, HANDLED_BEFORE_CONNECTION))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(days_ago: i64, closed: bool, fulfilled: bool, test: bool) -> Marks {
        let now = DateTime::from_timestamp(1_790_000_000, 0).expect("time");
        Marks {
            created_at: now - TimeDelta::days(days_ago),
            test,
            closed,
            fulfilled,
        }
    }

    #[test]
    fn history_is_not_reserved_but_open_work_is() {
        let connected = DateTime::from_timestamp(1_790_000_000, 0).expect("time");
        let open = OrderState::Open;
        let state = |m| history_state(m, open, connected).map(|(s, _)| s);
        // Before the connection: closed, or fulfilled (paid or cash on delivery still pending),
        // is history.
        assert_eq!(
            state(marks(10, true, false, false)),
            Some(OrderState::Dispatched)
        );
        assert_eq!(
            state(marks(10, false, true, false)),
            Some(OrderState::Dispatched)
        );
        // Unfulfilled: not shipped yet, it reserves.
        assert_eq!(state(marks(10, false, false, false)), None);
        // After the connection everything is Punte's normal work.
        assert_eq!(state(marks(-1, true, true, false)), None);
        // Test orders never reserve; cancellations stay cancellations.
        assert_eq!(
            state(marks(-1, false, false, true)),
            Some(OrderState::Cancelled)
        );
        let m = marks(10, true, true, false);
        assert_eq!(history_state(m, OrderState::Cancelled, connected), None);
    }
}
