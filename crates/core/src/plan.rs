//! Stock-sync planning: from billing stock B, last-read Shopify levels A₀ and reservations R,
//! decide which `available` quantities to write (target = B − R − buffer, compare-and-set
//! against A₀) and which findings to show. The same plan is the dry-run preview. Safety rails
//! stop a run that would write from a broken billing read or change too much at once.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::product::{Catalog, InventoryItemId, ProductCode, ProductFinding};
use crate::reservation::Reservations;

/// How writes are sent to Shopify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum WriteMode {
    /// `changeFromQuantity = A₀`: a sale since the read makes the write fail as stale.
    #[default]
    CompareAndSet,
    /// Overwrite without the compare; only when the merchant asks for it.
    ForcedOverwrite,
}

/// Merchant settings that shape a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSettings {
    /// Units held back from Shopify for every product ...
    pub default_buffer: i64,
    /// ... unless the product has its own buffer.
    pub buffers: HashMap<ProductCode, i64>,
    /// A run changing more than this share (percent) of the products in scope waits for the
    /// merchant's confirmation ...
    pub confirm_share_percent: u32,
    /// ... provided it changes more than this many products (a tiny shop is not nagged).
    pub confirm_min_changes: usize,
    /// A billing read with fewer products than this share (percent) of the last run's is
    /// taken as broken, and nothing is written.
    pub min_billing_share_percent: u32,
    pub write_mode: WriteMode,
}

impl Default for PlanSettings {
    fn default() -> Self {
        Self {
            default_buffer: 0,
            buffers: HashMap::new(),
            confirm_share_percent: 30,
            confirm_min_changes: 5,
            min_billing_share_percent: 50,
            write_mode: WriteMode::CompareAndSet,
        }
    }
}

/// How the billing stock read went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum BillingRead {
    /// Read, with this many products in the warehouse.
    Read {
        products: usize,
    },
    Failed {
        reason: String,
    },
}

/// Everything a plan is made from. Nothing here is changed by planning.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    pub catalog: &'a Catalog,
    /// Shopify `available` per inventory item, as read at the start of the cycle (A₀).
    pub levels: &'a HashMap<InventoryItemId, i64>,
    pub reservations: &'a Reservations,
    pub billing: &'a BillingRead,
    /// Product count of the last successful billing read, if any.
    pub previous_billing_products: Option<usize>,
    /// Products due this cycle (see the schedule); `None` means all.
    pub scope: Option<&'a HashSet<ProductCode>>,
    pub settings: &'a PlanSettings,
}

/// One absolute write of Shopify's `available` quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuantityWrite {
    pub inventory_item_id: InventoryItemId,
    pub code: ProductCode,
    pub available: i64,
    /// `changeFromQuantity`: the A₀ the write expects, or `None` for a forced overwrite.
    pub expected_current: Option<i64>,
    /// The location written when several are mapped (see `locations`); `None`: the one
    /// location of the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<u64>,
}

/// Why a run writes nothing at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum HaltReason {
    BillingReadFailed { message: String },
    BillingEmpty,
    BillingShrank { products: usize, previously: usize },
}

/// Whether the writes may be applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PlanStatus {
    Ready,
    /// `changing` of the `in_scope` products in sync (every matched product, whatever this
    /// cycle's scope) would change.
    NeedsConfirmation {
        changing: usize,
        in_scope: usize,
    },
    Halted(HaltReason),
}

/// A finding from planning, shown in the plan preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanFinding {
    Product(ProductFinding),
    /// B − R − buffer is below zero: Shopify gets 0 and the merchant should look.
    TargetBelowZero {
        code: ProductCode,
        billing: i64,
        reserved: i64,
        buffer: i64,
        target: i64,
    },
    /// The product's Shopify level was not read this cycle; it is left alone.
    LevelNotRead {
        code: ProductCode,
    },
}

/// The plan: writes (sorted by code), findings and whether it may run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncPlan {
    pub status: PlanStatus,
    pub writes: Vec<QuantityWrite>,
    pub findings: Vec<PlanFinding>,
    /// Products in scope already at their target.
    pub unchanged: usize,
}

impl SyncPlan {
    /// What Shopify's levels become once every write succeeds (used by tests and the simulator).
    pub fn apply_to(&self, levels: &mut HashMap<InventoryItemId, i64>) {
        for w in &self.writes {
            levels.insert(w.inventory_item_id, w.available);
        }
    }
}

/// The quantity Shopify should show: B − R − buffer (may be negative; writes clamp at 0).
#[must_use]
pub fn target_available(billing: i64, reserved: i64, buffer: i64) -> i64 {
    billing.saturating_sub(reserved).saturating_sub(buffer)
}

/// Plans one sync. Deterministic, and idempotent: applying the writes and planning again with
/// the new levels yields no writes.
#[must_use]
pub fn plan_sync(input: &PlanInput<'_>) -> SyncPlan {
    let mut findings: Vec<PlanFinding> = input
        .catalog
        .findings
        .iter()
        .cloned()
        .map(PlanFinding::Product)
        .collect();
    if let Some(reason) = halt_reason(
        input.billing,
        input.previous_billing_products,
        input.settings,
    ) {
        return SyncPlan {
            status: PlanStatus::Halted(reason),
            writes: vec![],
            findings,
            unchanged: 0,
        };
    }
    let settings = input.settings;
    let mut writes = Vec::new();
    let mut in_scope = 0;
    let mut unchanged = 0;
    for product in &input.catalog.matched {
        if input.scope.is_some_and(|s| !s.contains(&product.code)) {
            continue;
        }
        in_scope += 1;
        let Some(&current) = input.levels.get(&product.inventory_item_id) else {
            findings.push(PlanFinding::LevelNotRead {
                code: product.code.clone(),
            });
            continue;
        };
        let reserved = input.reservations.of(&product.code);
        let buffer = settings
            .buffers
            .get(&product.code)
            .copied()
            .unwrap_or(settings.default_buffer);
        let target = target_available(product.billing_stock, reserved, buffer);
        if target < 0 {
            findings.push(PlanFinding::TargetBelowZero {
                code: product.code.clone(),
                billing: product.billing_stock,
                reserved,
                buffer,
                target,
            });
        }
        let available = target.max(0);
        if available == current {
            unchanged += 1;
        } else {
            writes.push(QuantityWrite {
                inventory_item_id: product.inventory_item_id,
                code: product.code.clone(),
                available,
                expected_current: match settings.write_mode {
                    WriteMode::CompareAndSet => Some(current),
                    WriteMode::ForcedOverwrite => None,
                },
                location_id: None,
            });
        }
    }
    // The share is of the products in sync, not of this cycle's scope: an incremental cycle's
    // scope is mostly the codes that moved, so against it every goods receipt of more than
    // `confirm_min_changes` lines would wait for the merchant (and stop the looks).
    let products = input.catalog.matched.len().max(in_scope);
    let status = share_rail(writes.len(), products, settings);
    SyncPlan {
        status,
        writes,
        findings,
        unchanged,
    }
}

/// The "changes too many" rail: `changing` writes among `products` in sync wait for the
/// merchant's confirmation when they are more than the set share and more than the set minimum.
/// Also used by the engine to count a run's writes made page by page with the rest.
#[must_use]
pub fn share_rail(changing: usize, products: usize, settings: &PlanSettings) -> PlanStatus {
    let over_share = changing * 100 > products * settings.confirm_share_percent as usize;
    if over_share && changing > settings.confirm_min_changes {
        PlanStatus::NeedsConfirmation {
            changing,
            in_scope: products,
        }
    } else {
        PlanStatus::Ready
    }
}

/// Why nothing may be written: a billing read that failed, came back empty or lost most of the
/// products since the last run.
pub(crate) fn halt_reason(
    billing: &BillingRead,
    previous_billing_products: Option<usize>,
    settings: &PlanSettings,
) -> Option<HaltReason> {
    match billing {
        BillingRead::Failed { reason } => Some(HaltReason::BillingReadFailed {
            message: reason.clone(),
        }),
        BillingRead::Read { products: 0 } => Some(HaltReason::BillingEmpty),
        BillingRead::Read { products } => {
            let previously = previous_billing_products?;
            let share = u64::from(settings.min_billing_share_percent);
            ((*products as u64) * 100 < (previously as u64) * share).then_some(
                HaltReason::BillingShrank {
                    products: *products,
                    previously,
                },
            )
        }
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "plan_model_tests.rs"]
mod model_tests;
