//! Planning when several locations are mapped: per product and location, the level to write is
//! that location's part of its warehouse's B − R − buffer (see [`warehouse_targets`]), compared
//! with the location's own A₀; a kit's is the least its components allow at that location. The
//! rails (a broken billing read halts, a large run waits for confirmation) are those of
//! [`plan_sync`](crate::plan::plan_sync), counted over (product, location) pairs.

use std::collections::{HashMap, HashSet};

use crate::bundles::{Kit, bundle_availability};
use crate::locations::{LocationSettings, warehouse_targets};
use crate::plan::{
    BillingRead, PlanFinding, PlanSettings, PlanStatus, QuantityWrite, SyncPlan, WriteMode,
    halt_reason,
};
use crate::product::{Catalog, InventoryItemId, ProductCode};
use crate::reservation::Reservations;

/// Everything a per-location plan is made from.
#[derive(Debug, Clone, Copy)]
pub struct LocatedPlanInput<'a> {
    /// Variants matched against every code any mapped warehouse has (kits included).
    pub catalog: &'a Catalog,
    pub locations: &'a LocationSettings,
    /// Whole-unit billing stock per warehouse and code; a code a warehouse lacks has 0 there.
    pub billing: &'a HashMap<String, HashMap<ProductCode, i64>>,
    /// Shopify `available` per (location, inventory item), read at step 1 (A₀). An item with no
    /// level at a location is not stocked there and is left alone.
    pub levels: &'a HashMap<(u64, InventoryItemId), i64>,
    /// What the orders assigned to each location hold (kits already counted as components).
    pub reserved: &'a HashMap<u64, Reservations>,
    pub kits: &'a [Kit],
    pub billing_read: &'a BillingRead,
    pub previous_billing_products: Option<usize>,
    pub scope: Option<&'a HashSet<ProductCode>>,
    pub settings: &'a PlanSettings,
}

/// The level each (location, code) should have: every mapped location's part of its
/// warehouse, then the kits. Returns the targets and the warehouses whose total is below zero.
#[must_use]
pub fn located_targets(
    input: &LocatedPlanInput<'_>,
) -> (HashMap<(u64, ProductCode), i64>, Vec<PlanFinding>) {
    let settings = input.settings;
    let buffer_of = |code: &ProductCode| {
        settings
            .buffers
            .get(code)
            .copied()
            .unwrap_or(settings.default_buffer)
    };
    let empty = HashMap::new();
    let mut targets = HashMap::new();
    let mut findings = Vec::new();
    let kit_codes: HashSet<&ProductCode> = input.kits.iter().map(|k| &k.code).collect();
    let products = input
        .catalog
        .matched
        .iter()
        .map(|m| &m.code)
        .chain(
            input
                .kits
                .iter()
                .flat_map(|k| k.components.iter().map(|c| &c.code)),
        )
        .filter(|c| !kit_codes.contains(c))
        .collect::<HashSet<_>>();
    for w in input.locations.warehouses() {
        let sharers = input.locations.sharers(w);
        let shares: Vec<u32> = sharers.iter().map(|l| l.share_percent).collect();
        let stock = input.billing.get(w).unwrap_or(&empty);
        for code in &products {
            let b = stock.get(*code).copied().unwrap_or(0);
            let held: Vec<i64> = sharers
                .iter()
                .map(|l| input.reserved.get(&l.location_id).map_or(0, |r| r.of(code)))
                .collect();
            let buffer = buffer_of(code);
            let t = warehouse_targets(b, &shares, input.locations.split, &held, buffer);
            if t.total < 0 && input.catalog.matched.iter().any(|m| &m.code == *code) {
                findings.push(PlanFinding::TargetBelowZero {
                    code: (*code).clone(),
                    billing: b,
                    reserved: held.iter().sum(),
                    buffer,
                    target: t.total,
                });
            }
            for (l, target) in sharers.iter().zip(t.targets) {
                targets.insert((l.location_id, (*code).clone()), target);
            }
        }
    }
    for kit in input.kits {
        for l in &input.locations.links {
            let n = bundle_availability(&kit.components, |c| {
                Some(
                    targets
                        .get(&(l.location_id, c.clone()))
                        .copied()
                        .unwrap_or(0),
                )
            })
            .unwrap_or(0);
            let n = (n - buffer_of(&kit.code)).max(0);
            targets.insert((l.location_id, kit.code.clone()), n);
        }
    }
    (targets, findings)
}

/// Plans the writes of every mapped location. Deterministic and idempotent, as `plan_sync`.
#[must_use]
pub fn plan_locations(input: &LocatedPlanInput<'_>) -> SyncPlan {
    let mut findings: Vec<PlanFinding> = input
        .catalog
        .findings
        .iter()
        .cloned()
        .map(PlanFinding::Product)
        .collect();
    let settings = input.settings;
    if let Some(reason) = halt_reason(
        input.billing_read,
        input.previous_billing_products,
        settings,
    ) {
        return SyncPlan {
            status: PlanStatus::Halted(reason),
            writes: vec![],
            findings,
            unchanged: 0,
        };
    }
    let (targets, below) = located_targets(input);
    let in_scope_code = |c: &ProductCode| input.scope.is_none_or(|s| s.contains(c));
    findings.extend(below.into_iter().filter(|f| match f {
        PlanFinding::TargetBelowZero { code, .. } => in_scope_code(code),
        _ => true,
    }));
    let (mut writes, mut in_scope, mut unchanged) = (Vec::new(), 0usize, 0usize);
    for product in &input.catalog.matched {
        if !in_scope_code(&product.code) {
            continue;
        }
        let mut stocked = false;
        for l in &input.locations.links {
            let Some(&current) = input
                .levels
                .get(&(l.location_id, product.inventory_item_id))
            else {
                continue;
            };
            stocked = true;
            in_scope += 1;
            let key = (l.location_id, product.code.clone());
            let available = targets.get(&key).copied().unwrap_or(0).max(0);
            if available == current {
                unchanged += 1;
                continue;
            }
            writes.push(QuantityWrite {
                inventory_item_id: product.inventory_item_id,
                code: product.code.clone(),
                available,
                expected_current: match settings.write_mode {
                    WriteMode::CompareAndSet => Some(current),
                    WriteMode::ForcedOverwrite => None,
                },
                location_id: Some(l.location_id),
            });
        }
        if !stocked {
            findings.push(PlanFinding::LevelNotRead {
                code: product.code.clone(),
            });
        }
    }
    let changing = writes.len();
    let over_share = changing * 100 > in_scope * settings.confirm_share_percent as usize;
    let status = if over_share && changing > settings.confirm_min_changes {
        PlanStatus::NeedsConfirmation { changing, in_scope }
    } else {
        PlanStatus::Ready
    };
    SyncPlan {
        status,
        writes,
        findings,
        unchanged,
    }
}

#[cfg(test)]
#[path = "locations_plan_tests.rs"]
mod tests;
