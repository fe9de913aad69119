//! Reservations R(p): the summed current quantities of the lines of orders that still reserve
//! stock (open, or invoiced without discharge). Kept per product code because that is the key
//! shared by Shopify and billing.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::order::Order;
use crate::product::ProductCode;

/// Reserved quantity per product code. Codes with nothing reserved are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservations {
    by_code: HashMap<ProductCode, i64>,
}

impl Reservations {
    /// Sums what every reserving order holds, per code.
    pub fn from_orders<'a>(orders: impl IntoIterator<Item = &'a Order>) -> Self {
        let mut by_code: HashMap<ProductCode, i64> = HashMap::new();
        for order in orders {
            for (code, quantity) in order.reserved_lines() {
                match by_code.get_mut(code) {
                    Some(total) => *total = total.saturating_add(quantity),
                    None => {
                        by_code.insert(code.clone(), quantity);
                    }
                }
            }
        }
        Self { by_code }
    }

    /// R(p) for `code`; zero when nothing is reserved.
    #[must_use]
    pub fn of(&self, code: &ProductCode) -> i64 {
        self.by_code.get(code).copied().unwrap_or(0)
    }

    /// Every (code, reserved) pair, sorted by code so that output is deterministic.
    #[must_use]
    pub fn sorted(&self) -> Vec<(&ProductCode, i64)> {
        let mut all: Vec<_> = self.by_code.iter().map(|(c, q)| (c, *q)).collect();
        all.sort_unstable();
        all
    }
}

impl FromIterator<(ProductCode, i64)> for Reservations {
    fn from_iter<I: IntoIterator<Item = (ProductCode, i64)>>(iter: I) -> Self {
        let mut by_code: HashMap<ProductCode, i64> = HashMap::new();
        for (code, quantity) in iter {
            let total = by_code.entry(code).or_insert(0);
            *total = total.saturating_add(quantity);
        }
        by_code.retain(|_, q| *q != 0);
        Self { by_code }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::OrderState;
    use crate::testkit::order;
    use rstest::rstest;

    #[rstest]
    #[case::one_open_order(vec![(OrderState::Open, vec![("A", 2)])], vec![("A", 2)])]
    #[case::sums_across_orders(
        vec![(OrderState::Open, vec![("A", 2)]), (OrderState::Open, vec![("A", 3), ("B", 1)])],
        vec![("A", 5), ("B", 1)])]
    #[case::sums_repeated_code_in_one_order(vec![(OrderState::Open, vec![("A", 2), ("A", 1)])], vec![("A", 3)])]
    #[case::discharged_invoice_excluded(
        vec![(OrderState::Invoiced { stock_discharged: true }, vec![("A", 2)]), (OrderState::Open, vec![("A", 1)])],
        vec![("A", 1)])]
    #[case::undischarged_invoice_included(
        vec![(OrderState::Invoiced { stock_discharged: false }, vec![("A", 2)])], vec![("A", 2)])]
    #[case::dispatched_and_cancelled_excluded(
        vec![(OrderState::Dispatched, vec![("A", 2)]), (OrderState::Cancelled, vec![("B", 4)])], vec![])]
    #[case::zero_quantity_lines_ignored(vec![(OrderState::Open, vec![("A", 0)])], vec![])]
    fn sums_reserving_lines(
        #[case] orders: Vec<(OrderState, Vec<(&str, i64)>)>,
        #[case] expected: Vec<(&str, i64)>,
    ) {
        let orders: Vec<Order> = orders
            .into_iter()
            .enumerate()
            .map(|(i, (state, lines))| {
                let mut o = order(i as u64, i as i64, &lines);
                o.state = state;
                o
            })
            .collect();
        let r = Reservations::from_orders(&orders);
        let got: Vec<(&str, i64)> = r
            .sorted()
            .into_iter()
            .map(|(c, q)| (c.as_str(), q))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(r.of(&ProductCode::from("missing")), 0);
    }
}
