//! Which order state moves the lifecycle allows, for callers that move states directly (the
//! store) rather than through [`crate::order::Order::apply`].

use crate::order::OrderState;

impl OrderState {
    /// Whether the lifecycle allows moving from `self` to `to` (the same rules as
    /// [`crate::order::Order::apply`]): Open → Invoiced; any but Dispatched → Dispatched; any → Cancelled;
    /// nothing leaves Cancelled and nothing goes back to Open. Staying put is not a move.
    #[must_use]
    pub fn can_become(self, to: Self) -> bool {
        use OrderState::{Cancelled, Dispatched, Invoiced, Open};
        match (self, to) {
            (Cancelled, _) | (_, Open) => false,
            (Open, Invoiced { .. }) | (Open | Invoiced { .. }, Dispatched) => true,
            (_, Cancelled) => true,
            (Invoiced { .. } | Dispatched, Invoiced { .. }) | (Dispatched, Dispatched) => false,
        }
    }
}
