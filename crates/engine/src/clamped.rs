//! The targets Punte could not write: where B − R − buffer is below zero Shopify gets 0, so
//! A + R reads R, more than billing has, and every open order would look InStock. For the
//! InStock walk such a code's level is the unclamped target (moved by the orders imported since,
//! like any known level), so A + R is again what billing has (design/stock-model.md: "after a
//! sync AvailableStock equals B"). A code's entry lives until a plan covers it with a target
//! at or above zero, or its write does not go through.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use punte_core::plan::{PlanFinding, SyncPlan};
use punte_core::product::ProductCode;
use punte_store::{Store, StoreError};

use crate::{kv, seen};

/// Code text → the last planned target, when it was below zero (and 0 was written instead).
pub(crate) type Clamped = BTreeMap<String, i64>;

/// Per planned code: `Some(target)` when it was below zero, `None` when it was not.
pub(crate) type Planned = HashMap<ProductCode, Option<i64>>;

/// What a plan decided for the codes in `scope` (those whose level it did not know are left
/// out: it decided nothing for them).
pub(crate) fn planned(plan: &SyncPlan, scope: &HashSet<ProductCode>) -> Planned {
    let mut out: Planned = scope.iter().map(|c| (c.clone(), None)).collect();
    for f in &plan.findings {
        match f {
            PlanFinding::LevelNotRead { code } => {
                out.remove(code);
            }
            PlanFinding::TargetBelowZero { code, target, .. } if scope.contains(code) => {
                out.insert(code.clone(), Some(*target));
            }
            _ => {}
        }
    }
    out
}

/// Records what the applied plan decided; codes whose write did not go through (`unsent`)
/// lose their entry, since Shopify keeps its own level for them.
pub(crate) fn record(
    s: &Store,
    planned: &Planned,
    unsent: &[ProductCode],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut clamped = load(s)?;
    let before = clamped.clone();
    for (code, target) in planned {
        match target {
            Some(t) => clamped.insert(code.0.clone(), *t),
            None => clamped.remove(code.as_str()),
        };
    }
    for code in unsent {
        clamped.remove(code.as_str());
    }
    if clamped == before {
        return Ok(());
    }
    kv::write(s, kv::CLAMPED_TARGETS, &clamped, at)
}

/// Forgets every entry (the stock sync is off: Shopify's levels are its own).
pub(crate) fn clear(s: &Store, at: DateTime<Utc>) -> Result<(), StoreError> {
    if load(s)?.is_empty() {
        return Ok(());
    }
    kv::write(s, kv::CLAMPED_TARGETS, &Clamped::new(), at)
}

pub(crate) fn load(s: &Store) -> Result<Clamped, StoreError> {
    Ok(kv::read(s, kv::CLAMPED_TARGETS)?.unwrap_or_default())
}

/// Shopify's A per code for the InStock walk: the level Punte last knew, moved by the orders
/// imported since (`seen`), lowered by the target a zero write hid. After a clamped write A
/// is 0, so the level is the target itself, and A + R = B − buffer.
pub(crate) fn in_stock_levels(s: &Store) -> Result<HashMap<ProductCode, i64>, StoreError> {
    let clamped = load(s)?;
    Ok(seen::load(s)?
        .into_iter()
        .map(|(code, seen)| {
            let hidden = clamped.get(&code).copied().unwrap_or(0).min(0);
            (ProductCode(code), seen.estimate() + hidden)
        })
        .collect())
}
