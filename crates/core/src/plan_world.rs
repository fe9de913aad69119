//! The world the planner tests plan in: products P00000.. with a billing stock, a Shopify level
//! and a reservation each, the billing read and the settings, planned with or without the
//! previous read's product count and a scope.

use std::collections::{HashMap, HashSet};

use crate::plan::{BillingRead, PlanInput, PlanSettings, SyncPlan, plan_sync};
use crate::product::{Catalog, InventoryItemId, MatchedProduct, ProductCode, VariantId};
use crate::reservation::Reservations;

pub(super) fn product(i: u64, billing_stock: i64) -> MatchedProduct {
    MatchedProduct {
        code: ProductCode(format!("P{i:05}")),
        variant_id: VariantId(i),
        inventory_item_id: InventoryItemId(i),
        billing_name: format!("Product {i}"),
        billing_stock,
    }
}

/// Products, their Shopify levels and reservations, the billing read and the settings: what
/// one plan is made from.
pub(super) struct World {
    pub(super) catalog: Catalog,
    pub(super) levels: HashMap<InventoryItemId, i64>,
    pub(super) reservations: Reservations,
    pub(super) billing: BillingRead,
    pub(super) settings: PlanSettings,
}

impl World {
    /// Products P00000.. with (billing, reserved, shopify level) each.
    pub(super) fn new(rows: &[(i64, i64, i64)]) -> Self {
        let matched: Vec<MatchedProduct> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| product(i as u64, r.0))
            .collect();
        let reservations = matched
            .iter()
            .zip(rows)
            .map(|(p, r)| (p.code.clone(), r.1))
            .collect();
        let levels = matched
            .iter()
            .zip(rows)
            .map(|(p, r)| (p.inventory_item_id, r.2))
            .collect();
        let billing = BillingRead::Read {
            products: rows.len(),
        };
        let catalog = Catalog {
            matched,
            findings: vec![],
        };
        Self {
            catalog,
            levels,
            reservations,
            billing,
            settings: PlanSettings::default(),
        }
    }

    pub(super) fn plan(&self) -> SyncPlan {
        self.plan_with(None, None)
    }

    pub(super) fn plan_with(
        &self,
        previous: Option<usize>,
        scope: Option<&HashSet<ProductCode>>,
    ) -> SyncPlan {
        plan_sync(&PlanInput {
            catalog: &self.catalog,
            levels: &self.levels,
            reservations: &self.reservations,
            billing: &self.billing,
            previous_billing_products: previous,
            scope,
            settings: &self.settings,
        })
    }
}
