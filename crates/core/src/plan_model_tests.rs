//! Model-based stock conservation: random sequences of real-world events move billing stock B
//! and Shopify's available A the way the services themselves do (not the way the planner
//! computes them), then a sync (plan + apply) runs. After every sync, for every tracked,
//! matched product whose target is not negative, B = A + R + buffer, with R taken from the
//! orders' own lifecycle (`Reservations::from_orders`).

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::order::{Order, OrderEvent};
use crate::product::{MatchedProduct, VariantId};
use crate::testkit::order;

const PRODUCTS: usize = 3;

#[derive(Debug, Clone)]
enum Event {
    /// A customer orders `q` of a product: Shopify lowers A at once.
    Placed {
        product: usize,
        q: i64,
    },
    /// An invoice for an order; with discharge billing lowers B.
    Invoiced {
        order: usize,
        discharge: bool,
    },
    /// The merchant marks an order dispatched (R ends; billing discharged by hand or not).
    Dispatched {
        order: usize,
        hand_discharge: bool,
    },
    /// Cancelled in Shopify, with or without restocking A.
    Cancelled {
        order: usize,
        restock: bool,
    },
    /// A goods receipt (NIR) raises B.
    Nir {
        product: usize,
        q: i64,
    },
    Sync,
}

fn arb_event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (0..PRODUCTS, 1i64..4).prop_map(|(product, q)| Event::Placed { product, q }),
        (0usize..16, any::<bool>())
            .prop_map(|(order, discharge)| Event::Invoiced { order, discharge }),
        (0usize..16, any::<bool>()).prop_map(|(order, hand_discharge)| Event::Dispatched {
            order,
            hand_discharge
        }),
        (0usize..16, any::<bool>())
            .prop_map(|(order, restock)| Event::Cancelled { order, restock }),
        (0..PRODUCTS, 1i64..10).prop_map(|(product, q)| Event::Nir { product, q }),
        Just(Event::Sync),
    ]
}

fn code(p: usize) -> ProductCode {
    ProductCode(format!("P{p:05}"))
}

/// The outside world: what billing and Shopify hold, and Punte's imported orders.
struct Model {
    billing: Vec<i64>,
    shopify: HashMap<InventoryItemId, i64>,
    orders: Vec<Order>,
    buffers: Vec<i64>,
}

impl Model {
    fn quantities(&self, order: usize) -> Vec<(usize, i64)> {
        let lines = &self.orders[order].lines;
        let product = |l: &crate::order::OrderLine| {
            (0..PRODUCTS).find(|p| l.code.as_ref() == Some(&code(*p)))
        };
        lines
            .iter()
            .filter_map(|l| product(l).map(|p| (p, l.quantity)))
            .collect()
    }

    fn event(&mut self, event: &Event) -> Result<(), TestCaseError> {
        let known = |i: usize| (!self.orders.is_empty()).then(|| i % self.orders.len());
        match *event {
            Event::Placed { product, q } => {
                let id = self.orders.len() as u64 + 1;
                let minute = id as i64;
                self.orders
                    .push(order(id, minute, &[(code(product).as_str(), q)]));
                *self
                    .shopify
                    .get_mut(&InventoryItemId(product as u64))
                    .unwrap() -= q;
            }
            Event::Invoiced { order, discharge } => {
                let Some(i) = known(order) else { return Ok(()) };
                let event = OrderEvent::Invoiced {
                    stock_discharged: discharge,
                };
                if self.orders[i].apply(event).is_ok() && discharge {
                    for (p, q) in self.quantities(i) {
                        self.billing[p] -= q;
                    }
                }
            }
            Event::Dispatched {
                order,
                hand_discharge,
            } => {
                let Some(i) = known(order) else { return Ok(()) };
                let reserved = self.orders[i].reserves_stock();
                if self.orders[i].apply(OrderEvent::MarkedDispatched).is_ok() && reserved {
                    // Dispatch gives the quantity back to A at the next sync unless billing
                    // was discharged another way; both are legitimate worlds.
                    if hand_discharge {
                        for (p, q) in self.quantities(i) {
                            self.billing[p] -= q;
                        }
                    }
                }
            }
            Event::Cancelled { order, restock } => {
                let Some(i) = known(order) else { return Ok(()) };
                if self.orders[i].apply(OrderEvent::Cancelled).is_ok() && restock {
                    for (p, q) in self.quantities(i) {
                        *self.shopify.get_mut(&InventoryItemId(p as u64)).unwrap() += q;
                    }
                }
            }
            Event::Nir { product, q } => self.billing[product] += q,
            Event::Sync => self.sync()?,
        }
        Ok(())
    }

    fn sync(&mut self) -> Result<(), TestCaseError> {
        let reservations = Reservations::from_orders(&self.orders);
        let matched = (0..PRODUCTS)
            .map(|p| MatchedProduct {
                code: code(p),
                variant_id: VariantId(p as u64),
                inventory_item_id: InventoryItemId(p as u64),
                billing_name: String::new(),
                billing_stock: self.billing[p],
            })
            .collect();
        let catalog = Catalog {
            matched,
            findings: vec![],
        };
        let mut settings = PlanSettings {
            confirm_share_percent: 100,
            ..PlanSettings::default()
        };
        for p in 0..PRODUCTS {
            settings.buffers.insert(code(p), self.buffers[p]);
        }
        let plan = plan_sync(&PlanInput {
            catalog: &catalog,
            levels: &self.shopify,
            reservations: &reservations,
            billing: &BillingRead::Read { products: PRODUCTS },
            previous_billing_products: None,
            scope: None,
            settings: &settings,
        });
        prop_assert_eq!(&plan.status, &PlanStatus::Ready);
        plan.apply_to(&mut self.shopify);
        for p in 0..PRODUCTS {
            let (b, a, r) = (
                self.billing[p],
                self.shopify[&InventoryItemId(p as u64)],
                reservations.of(&code(p)),
            );
            // R from the model's own bookkeeping must agree with the orders' lifecycle.
            let open: i64 = (0..self.orders.len())
                .filter(|&i| self.orders[i].reserves_stock())
                .flat_map(|i| self.quantities(i))
                .filter(|&(q_p, _)| q_p == p)
                .map(|(_, q)| q)
                .sum();
            prop_assert_eq!(r, open);
            if b - r - self.buffers[p] >= 0 {
                prop_assert_eq!(b, a + r + self.buffers[p], "B = A + R + buffer for P{}", p);
            } else {
                prop_assert_eq!(a, 0, "a negative target is written as 0");
            }
        }
        Ok(())
    }
}

proptest! {
    #[test]
    fn stock_is_conserved_through_random_event_sequences(
        start in prop::collection::vec(0i64..20, PRODUCTS),
        buffers in prop::collection::vec(0i64..3, PRODUCTS),
        events in prop::collection::vec(arb_event(), 1..60),
    ) {
        // T0: Shopify shows what billing holds less the buffer (a first sync would write it).
        let shopify = (0..PRODUCTS)
            .map(|p| (InventoryItemId(p as u64), (start[p] - buffers[p]).max(0)))
            .collect();
        let mut model = Model { billing: start, shopify, orders: Vec::new(), buffers };
        for event in &events {
            model.event(event)?;
        }
        model.event(&Event::Sync)?;
    }
}
