//! A stock cycle when several Shopify locations are mapped (issue 18). Same order as the
//! one-location cycle (`cycle`): (1) every mapped location's levels A₀, (2) orders imported,
//! then where Shopify assigned the lines of orders not placed yet (their fulfillment orders),
//! (3) each mapped warehouse's stock, (4) per (location, product) its part of its warehouse's
//! B − R − buffer, R counting only the orders assigned to that location, (5) compare-and-set
//! writes, one batch per location. These cycles always read everything (no changed-since
//! marks per location yet); a stale write is left to the next cycle, which reads again.
//! Unmapped locations are never read nor written.

use std::collections::{BTreeMap, HashMap};

use punte_core::locations_plan::{LocatedPlanInput, plan_locations};
use punte_core::matching::match_products;
use punte_core::plan::{BillingRead, QuantityWrite as Planned};
use punte_core::product::{BillingProduct, InventoryItemId, ProductCode};
use punte_shopify::{QuantityName, QuantityWrite, ShopifyClient, WriteBatch};
use punte_store::RunId;
use rust_decimal::prelude::ToPrimitive;

use crate::context::Ctx;
use crate::cycle::{CycleResult, Mode, held_by_rail};
use crate::cycle_read::{catalogue, known};
use crate::error::EngineError;
use crate::events::{Outcome, Phase, RunCounts};
use crate::findings::{publish, run_finding};
use crate::import::{Imported, import_orders};
use crate::in_stock::refresh_in_stock;
use crate::kv;
use crate::write::{REASON, audit};
use crate::write_findings::write_findings;

/// Orders whose fulfillment orders are read per cycle (the rest wait for the next one).
const PLACEMENTS_PER_CYCLE: usize = 200;

pub(crate) async fn located_cycle(
    ctx: &Ctx,
    mode: Mode,
    run: Option<RunId>,
) -> Result<CycleResult, EngineError> {
    let preview = mode == Mode::Preview;
    let shopify = ctx.shopify()?;
    let billing = ctx.billing().await?;
    let mapping = ctx.config.settings.locations.clone();
    let mut known = known(ctx).await?;
    catalogue(ctx, &shopify, &mut known, preview).await?;

    // Step 1: A₀ at every mapped location.
    let mut levels: HashMap<(u64, InventoryItemId), i64> = HashMap::new();
    for (n, link) in mapping.links.iter().enumerate() {
        ctx.progress(Phase::ReadLevels, n as u64, mapping.links.len() as u64);
        for l in shopify.levels_at(link.location_id).await? {
            levels.insert((link.location_id, l.inventory_item_id), l.available);
        }
    }

    // Step 2: orders, then where their lines were assigned.
    let imported = if preview {
        Imported::default()
    } else {
        let imported = import_orders(ctx).await?;
        place_orders(ctx, &shopify).await?;
        imported
    };
    let default_location = mapping.default_location(ctx.config.connections.location_id);
    let (reserved, kits) = ctx
        .store()
        .call(move |s| Ok((s.reservations_by_location(default_location)?, s.kits()?)))
        .await?;

    // Step 3: each mapped warehouse's stock.
    ctx.progress(Phase::ReadBilling, 0, 1);
    let mut per_warehouse: Vec<(String, Vec<BillingProduct>)> = Vec::new();
    for w in mapping.warehouses() {
        ctx.billing_call();
        match billing.stock(w, None).await {
            Ok(p) => per_warehouse.push((w.to_owned(), p)),
            Err(e) => {
                let f = run_finding(
                    "billing_read_failed",
                    format!("{w}: {e}"),
                    "Punte retries by itself.",
                    Some(serde_json::json!({"error": e.code(), "warehouse": w})),
                );
                publish(ctx, &[], vec![f], None, run).await?;
                return Err(e.into());
            }
        }
    }
    ctx.progress(Phase::ReadBilling, 1, 1);
    let products = summed(&per_warehouse);
    let whole: HashMap<String, HashMap<ProductCode, i64>> = per_warehouse
        .iter()
        .map(|(w, ps)| {
            let m = ps
                .iter()
                .map(|p| (p.code.clone(), p.stock.floor().to_i64().unwrap_or(0)))
                .collect();
            (w.clone(), m)
        })
        .collect();
    let variants: Vec<_> = known.rows.iter().map(|r| r.variant.clone()).collect();
    let catalog = match_products(ctx.config.settings.code_source, &variants, &products);

    // Step 4: plan.
    ctx.progress(Phase::Plan, 0, 1);
    let plan = plan_locations(&LocatedPlanInput {
        catalog: &catalog,
        locations: &mapping,
        billing: &whole,
        levels: &levels,
        reserved: &reserved,
        kits: &kits,
        billing_read: &BillingRead::Read {
            products: products.len(),
        },
        previous_billing_products: known.previous_count,
        scope: None,
        settings: &ctx.config.settings.plan,
    });
    ctx.progress(Phase::Plan, 1, 1);
    let mut counts = RunCounts {
        orders_imported: imported.orders,
        products_in_scope: catalog.matched.len() as u64,
        ..RunCounts::default()
    };
    if preview {
        return Ok(CycleResult {
            plan,
            outcome: Outcome::Ok,
            counts,
            imported,
            mutations: 0,
        });
    }
    let at = ctx.now();
    let (stock, sum) = (per_warehouse.clone(), products.clone());
    ctx.store()
        .call(move |s| {
            s.record_warehouse_stock(&stock, at)?;
            s.record_billing_stock(&sum, run, at)?;
            kv::write(s, kv::BILLING_COUNT, &sum.len(), at)?;
            Ok(())
        })
        .await?;

    // Step 5: write.
    let mut extra = imported.findings.clone();
    let (mut mutations, mut applied, mut failed) = (0u64, 0u64, 0u64);
    let outcome = match &plan.status {
        _ if !ctx.config.settings.sync_stock => {
            counts.products_not_synced = plan.writes.len() as u64;
            Outcome::Ok
        }
        status if let Some(held) = held_by_rail(ctx, status, mode, &mut extra) => held,
        _ => {
            let code_of: HashMap<InventoryItemId, ProductCode> = catalog
                .matched
                .iter()
                .map(|m| (m.inventory_item_id, m.code.clone()))
                .collect();
            let mut by_location: BTreeMap<u64, Vec<&Planned>> = BTreeMap::new();
            for w in &plan.writes {
                let loc = w.location_id.unwrap_or(default_location);
                by_location.entry(loc).or_default().push(w);
            }
            let mut left = false;
            for (loc, writes) in by_location {
                let batch = WriteBatch {
                    location_id: loc,
                    name: QuantityName::Available,
                    reason: "correction".into(),
                    reference_document_uri: run.map(|r| format!("gid://punte/SyncRun/{}", r.0)),
                    writes: writes
                        .iter()
                        .map(|w| QuantityWrite {
                            inventory_item_id: w.inventory_item_id,
                            quantity: w.available,
                            change_from: w.expected_current,
                        })
                        .collect(),
                };
                let report = shopify.set_quantities(&batch).await;
                mutations += u64::from(report.mutations);
                applied += report.applied.len() as u64;
                failed += report.rejected.len() as u64;
                left |= !report.stale.is_empty() || !report.rejected.is_empty();
                extra.extend(write_findings(&report.rejected, &report.clamped, &code_of));
                audit(ctx, &report.applied, &code_of, REASON, Some(loc), run).await?;
                if let Some(e) = report.error {
                    return Err(e.into());
                }
            }
            if left { Outcome::Partial } else { Outcome::Ok }
        }
    };
    counts.products_written = applied;
    counts.writes_failed = failed;
    counts.findings = publish(ctx, &plan.findings, extra, None, run).await? as u64;
    refresh_in_stock(ctx).await?;
    Ok(CycleResult {
        plan,
        outcome,
        counts,
        imported,
        mutations,
    })
}

/// Reads and stores where Shopify assigned the lines of reserving orders not placed yet.
async fn place_orders(ctx: &Ctx, shopify: &ShopifyClient) -> Result<(), EngineError> {
    let orders = ctx
        .store()
        .call(|s| s.unplaced_orders(PLACEMENTS_PER_CYCLE))
        .await?;
    for order in orders {
        let rows: Vec<_> = shopify
            .line_placements(order)
            .await?
            .into_iter()
            .map(|p| (p.line, p.location_id, p.units))
            .collect();
        if rows.is_empty() {
            continue;
        }
        ctx.store()
            .call(move |s| s.record_line_locations(order, &rows))
            .await?;
    }
    Ok(())
}

/// Stock per code over every mapped warehouse (what the Stock screen's billing column shows
/// and what the catalogue is matched against).
fn summed(per_warehouse: &[(String, Vec<BillingProduct>)]) -> Vec<BillingProduct> {
    let mut out: Vec<BillingProduct> = Vec::new();
    let mut at: HashMap<ProductCode, usize> = HashMap::new();
    for (_, products) in per_warehouse {
        for p in products {
            match at.get(&p.code) {
                Some(&i) => out[i].stock += p.stock,
                None => {
                    at.insert(p.code.clone(), out.len());
                    out.push(p.clone());
                }
            }
        }
    }
    out
}
