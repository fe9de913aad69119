//! Stock commands: `stock_overview` (A, B, R and the target per variant, from the store: works
//! offline; per mapped location and for kits and bundles see `stock_located`), `preview_sync`
//! (the engine plans, writes nothing) and `apply_sync`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use punte_core::plan::{SyncPlan, target_available};
use punte_core::schedule::{NewProductPolicy, new_product_eligible_at};
use punte_engine::RunSummary;
use punte_engine::SyncScope;
use punte_store::{AuditEntry, FindingRow, ShopifyLevel};
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use tauri::State;

use super::stock_located::{BundleCell, LocationCell, kit_stock, location_cells, shopify_bundles};
use super::{engine_error, store_error};
use crate::backend::Backend;
use crate::{Arg, CommandError};

/// One Shopify variant with its stock on both sides (see ui/BACKEND-CONTRACT.md).
#[derive(Debug, Serialize)]
pub struct StockRow {
    pub code: Option<String>,
    pub title: String,
    pub variant_id: u64,
    pub inventory_item_id: u64,
    pub tracked: bool,
    pub shopify_available: Option<i64>,
    pub billing_stock: Option<i64>,
    pub reserved: i64,
    pub buffer: i64,
    pub target: Option<i64>,
    pub status: &'static str,
    pub read_at: Option<DateTime<Utc>>,
    /// A new product the "next day after HH:MM" rule holds back: when it joins the sync.
    pub held_until: Option<DateTime<Utc>>,
    /// Per mapped location (only when two or more are mapped).
    pub locations: Vec<LocationCell>,
    /// A kit or a Shopify bundle parent: what its components allow.
    pub bundle: Option<BundleCell>,
}

#[tauri::command]
pub async fn stock_overview(backend: State<'_, Backend>) -> Result<Vec<StockRow>, CommandError> {
    let running = backend.running().await?;
    let location = running.location_id;
    let plan = running.settings.plan.clone();
    let policy = running.settings.schedule.new_products;
    let mapping = running.settings.locations.clone();
    let default_location = mapping.default_location(location);
    let multi = mapping.is_multi();
    let (located, kits, bundles) = running
        .store
        .call(move |s| {
            let by = if multi {
                s.reservations_by_location(default_location)?
            } else {
                HashMap::new()
            };
            Ok((by, s.kits()?, s.bundles()?))
        })
        .await
        .map_err(store_error)?;
    let (products, levels, billing, reserved, written, seeded, findings) = running
        .store
        .call(|s| {
            let seeded = s
                .setting(punte_engine::CATALOGUE_SEEDED_SETTING)?
                .and_then(|v| serde_json::from_value::<DateTime<Utc>>(v).ok());
            Ok((
                s.products()?,
                s.shopify_levels()?,
                s.billing_stock()?,
                s.reservations()?,
                s.audit_page(None, None, RECENT_WRITES)?.items,
                seeded,
                s.open_findings(usize::MAX >> 1)?,
            ))
        })
        .await
        .map_err(store_error)?;
    let failed = failed_writes(&findings, &written);
    let all_levels = levels.clone();
    let mut levels: HashMap<u64, ShopifyLevel> = levels
        .into_iter()
        .filter(|l| l.location_id == location)
        .map(|l| (l.inventory_item_id.0, l))
        .collect();
    follow_writes(&mut levels, &written);
    let now = Utc::now();
    // Whole units, rounded down, as the planner counts them.
    let billing: HashMap<String, i64> = billing
        .into_iter()
        .map(|b| {
            let units = b.product.stock.floor().to_i64().unwrap_or(0);
            (b.product.code.0, units)
        })
        .collect();
    let buffer_of = |c: &punte_core::product::ProductCode| {
        plan.buffers.get(c).copied().unwrap_or(plan.default_buffer)
    };
    let made = kit_stock(&kits, &billing, &reserved, buffer_of);
    let mut rows: Vec<StockRow> = products
        .into_iter()
        .map(|p| {
            let level = levels.get(&p.variant.inventory_item_id.0);
            let kit = p
                .code
                .as_ref()
                .and_then(|c| kits.iter().find(|k| k.code == *c));
            let b = match kit {
                Some(k) => made.get(&k.code.0).copied().flatten(),
                None => p.code.as_ref().and_then(|c| billing.get(&c.0).copied()),
            };
            let r = p.code.as_ref().map_or(0, |c| reserved.of(c));
            let buffer = p
                .code
                .as_ref()
                .and_then(|c| plan.buffers.get(c).copied())
                .unwrap_or(plan.default_buffer);
            let target = b.map(|b| target_available(b, r, buffer));
            let a = level.map(|l| l.available);
            let held_until = held_until(p.first_seen, seeded, policy, now);
            let write_failed = p.code.as_ref().is_some_and(|c| failed.contains(&c.0));
            let status = match held_until {
                _ if write_failed => "write_failed",
                Some(_) if p.variant.tracked && p.code.is_some() => "held",
                _ => status(p.variant.tracked, p.code.is_some(), a, target),
            };
            let item = p.variant.inventory_item_id.0;
            let locations = location_cells(&mapping, &all_levels, &located, item, p.code.as_ref());
            StockRow {
                status,
                held_until,
                code: p.code.map(|c| c.0),
                title: display_title(p.variant.title),
                variant_id: p.variant.variant_id.0,
                inventory_item_id: p.variant.inventory_item_id.0,
                tracked: p.variant.tracked,
                shopify_available: a,
                billing_stock: b,
                reserved: r,
                buffer,
                target,
                read_at: level.map(|l| l.read_at),
                locations,
                bundle: kit.map(|k| BundleCell {
                    kind: "kit",
                    available: b,
                    components: k.components.clone(),
                }),
            }
        })
        .collect();
    shopify_bundles(&mut rows, &bundles);
    Ok(rows)
}

/// When a product first seen at `first_seen` joins the stock sync, if the new-products rule
/// still holds it at `now`: only products first seen after the shop's first catalogue read
/// (`seeded`) are new.
fn held_until(
    first_seen: DateTime<Utc>,
    seeded: Option<DateTime<Utc>>,
    policy: NewProductPolicy,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    seeded
        .filter(|t| first_seen > *t)
        .map(|_| new_product_eligible_at(first_seen, policy))
        .filter(|at| *at > now)
}

/// Shopify names a product without options "<product> - Default Title"; the merchant never
/// typed that, so the overview shows the product name alone.
fn display_title(title: String) -> String {
    match title.strip_suffix(" - Default Title") {
        Some(product) => product.to_owned(),
        None => title,
    }
}

/// How many of Punte's latest Shopify writes the overview looks at.
const RECENT_WRITES: usize = 2000;

/// A level is stored as read *before* the run wrote it (A₀), so a product Punte has just written
/// would show the old number until the next read. Where Punte's latest write to an item started
/// from that very reading (or came after it), show what was written instead.
fn follow_writes(levels: &mut HashMap<u64, ShopifyLevel>, newest_first: &[AuditEntry]) {
    let mut seen = HashSet::new();
    for entry in newest_first {
        let change = &entry.change;
        let Some(item) = change.inventory_item_id else {
            continue;
        };
        if !seen.insert(item.0) {
            continue;
        }
        if let Some(level) = levels.get_mut(&item.0)
            && (change.at > level.read_at || change.before == Some(level.available))
        {
            level.available = change.after;
            level.read_at = level.read_at.max(change.at);
        }
    }
}

/// Codes whose latest stock write Shopify refused: an open `write_failed` finding seen after
/// Punte's last successful write of that code.
fn failed_writes(findings: &[FindingRow], newest_first: &[AuditEntry]) -> HashSet<String> {
    findings
        .iter()
        .filter(|f| f.finding.kind == "write_failed")
        .filter_map(|f| {
            let code = f.finding.code.as_ref()?;
            let written = newest_first
                .iter()
                .find(|e| e.change.code == *code)
                .map(|e| e.change.at);
            written
                .is_none_or(|at| f.last_seen > at)
                .then(|| code.0.clone())
        })
        .collect()
}

/// The status cell: only a label for what the numbers already say (writes clamp at zero); a
/// new product held by the schedule is "held" (with `held_until`) instead.
fn status(tracked: bool, has_code: bool, a: Option<i64>, target: Option<i64>) -> &'static str {
    match (tracked, has_code, target) {
        (false, _, _) => "untracked",
        (_, false, _) | (_, _, None) => "finding",
        (_, _, Some(t)) if t < 0 => "below_zero",
        (_, _, Some(t)) if a == Some(t) => "in_sync",
        _ => "will_change",
    }
}

#[tauri::command]
pub async fn preview_sync(backend: State<'_, Backend>) -> Result<SyncPlan, CommandError> {
    let running = backend.running().await?;
    running.engine.preview_sync().await.map_err(engine_error)
}

/// `false`: run a full stock cycle now (what the preview showed: whole catalogue, every
/// level); `true`: apply the run held for confirmation.
#[tauri::command]
pub async fn apply_sync(
    backend: State<'_, Backend>,
    confirmed: Arg<bool>,
) -> Result<RunSummary, CommandError> {
    let confirmed = confirmed.get("confirmed")?;
    let running = backend.running().await?;
    running.acted();
    let result = if confirmed {
        running.engine.apply_confirmed().await
    } else {
        running.engine.sync_now(SyncScope::Full).await
    };
    result.map_err(engine_error)
}

#[cfg(test)]
#[path = "stock_tests.rs"]
mod tests;
