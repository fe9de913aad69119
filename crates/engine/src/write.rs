//! Step 5 of a cycle: compare-and-set writes. A write that comes back
//! `CHANGE_FROM_QUANTITY_STALE` means Shopify's level moved since A₀ was read (a sale, a manual
//! edit): that product is re-read, orders are imported again, it is re-planned and written with
//! the new A₀, against the plan's B and its R moved only by that import (an invoice confirmed
//! meanwhile lowered B, which is not read again, and R together: R must not fall alone).
//! Nothing is ever written without the compare unless the plan says so. Every applied write is
//! audited with before/after and the run.

use std::collections::{HashMap, HashSet};

use punte_core::plan::plan_sync;
use punte_core::plan::{BillingRead, PlanInput, PlanSettings, QuantityWrite as Planned, SyncPlan};
use punte_core::product::{BillingProduct, Catalog, InventoryItemId, ProductCode};
use punte_core::reservation::Reservations;
use punte_shopify::{QuantityName, QuantityWrite, ShopifyClient, WriteBatch};
use punte_store::{Finding, RunId, StockChange};

use crate::clamped;
use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::Phase;
use crate::import::import_orders;
use crate::kit_sync::restocked;
use crate::seen::{self, Drift};
use crate::write_findings::write_findings;

/// Re-read/re-plan rounds for stale writes before leaving them to the next cycle.
const MAX_STALE_ROUNDS: u64 = 3;

/// What the writes did.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub applied: u64,
    pub stale_rounds: u64,
    /// Codes not written (rejected, or still stale); they stay dirty for the next cycle.
    pub unsent: Vec<ProductCode>,
    pub orders_imported: u64,
    pub mutations: u64,
    /// (code, level) of every applied write.
    pub levels: Vec<(ProductCode, i64)>,
    /// Stale items whose re-read level no imported order explains.
    pub drifts: Vec<Drift>,
    /// Codes the re-imports touched.
    pub touched: std::collections::BTreeSet<ProductCode>,
    /// What the re-plans of stale codes decided (see `clamped`).
    pub replanned: clamped::Planned,
    /// Writes Shopify refused (each also a finding); their codes are in `unsent`.
    pub failed: u64,
    /// Rejected writes and quantities clamped to Shopify's maximum, as findings.
    pub findings: Vec<Finding>,
}

fn to_wire(w: &Planned) -> QuantityWrite {
    QuantityWrite {
        inventory_item_id: w.inventory_item_id,
        quantity: w.available,
        change_from: w.expected_current,
    }
}

/// Writes `plan`, re-planning stale items.
pub(crate) async fn write_plan(
    ctx: &Ctx,
    shopify: &ShopifyClient,
    plan: &SyncPlan,
    catalog: &Catalog,
    products: &[BillingProduct],
    reservations: &Reservations,
    run: Option<RunId>,
) -> Result<Written, EngineError> {
    let location_id = ctx.config.connections.location_id;
    let code_of: HashMap<InventoryItemId, ProductCode> = catalog
        .matched
        .iter()
        .map(|m| (m.inventory_item_id, m.code.clone()))
        .collect();
    let mut out = Written::default();
    let mut writes = plan.writes.clone();
    let total = writes.len() as u64;
    // R as the plan took it (before B was read), moved only by what the re-imports change.
    let mut reserved = reservations.clone();
    for round in 0..=MAX_STALE_ROUNDS {
        if writes.is_empty() {
            break;
        }
        ctx.progress(Phase::WriteLevels, out.applied, total);
        let batch = WriteBatch {
            location_id,
            name: QuantityName::Available,
            reason: "correction".into(),
            reference_document_uri: run.map(|r| format!("gid://punte/SyncRun/{}", r.0)),
            writes: writes.iter().map(to_wire).collect(),
        };
        let report = shopify.set_quantities(&batch).await;
        out.mutations += u64::from(report.mutations);
        out.applied += report.applied.len() as u64;
        out.levels.extend(
            report
                .applied
                .iter()
                .filter_map(|w| Some((code_of.get(&w.inventory_item_id)?.clone(), w.quantity))),
        );
        audit(ctx, &report.applied, &code_of, REASON, None, run).await?;
        let code = |w: &QuantityWrite| code_of.get(&w.inventory_item_id).cloned();
        out.unsent
            .extend(report.rejected.iter().filter_map(|r| code(&r.write)));
        out.failed += report.rejected.len() as u64;
        out.findings
            .extend(write_findings(&report.rejected, &report.clamped, &code_of));
        if let Some(e) = report.error {
            return Err(e.into());
        }
        if report.stale.is_empty() {
            break;
        }
        if round == MAX_STALE_ROUNDS {
            out.unsent.extend(report.stale.iter().filter_map(code));
            break;
        }
        out.stale_rounds += 1;
        let items: Vec<InventoryItemId> =
            report.stale.iter().map(|w| w.inventory_item_id).collect();
        let scope: HashSet<ProductCode> = report.stale.iter().filter_map(code).collect();
        // Re-read first, then import: the same order as the cycle itself.
        let before = ctx.store().call(|s| seen::load(s)).await?;
        let reread = shopify.levels_of(location_id, &items).await?;
        // A write whose answer was lost and whose replay came back stale may have been applied
        // by the lost attempt: the re-read showing exactly what was sent settles it as written.
        let settled: Vec<QuantityWrite> = report
            .stale
            .iter()
            .filter(|w| report.answer_lost.contains(&w.inventory_item_id))
            .filter(|w| {
                reread.iter().any(|l| {
                    l.inventory_item_id == w.inventory_item_id && l.available == w.quantity
                })
            })
            .copied()
            .collect();
        if !settled.is_empty() {
            audit(ctx, &settled, &code_of, SETTLED, None, run).await?;
            out.applied += settled.len() as u64;
            out.levels.extend(
                settled
                    .iter()
                    .filter_map(|w| Some((code_of.get(&w.inventory_item_id)?.clone(), w.quantity))),
            );
        }
        // A settled write is Punte's own, not a drift.
        let pairs: Vec<(ProductCode, i64)> = reread
            .iter()
            .filter(|l| {
                !settled
                    .iter()
                    .any(|w| w.inventory_item_id == l.inventory_item_id)
            })
            .filter_map(|l| Some((code_of.get(&l.inventory_item_id)?.clone(), l.available)))
            .collect();
        // B is not read again: an invoice confirmed since the plan (the invoice lane) lowered
        // B and R together, so R must not fall with it. The re-plan takes the plan's R moved
        // by what this import changes, measured with no invoice confirmed in between.
        let (again, kits) = {
            let _no_invoice = ctx.outbox.lock().await;
            let before = ctx.store().call(|s| s.reservations()).await?;
            let again = import_orders(ctx).await?;
            let (after, kits) = ctx
                .store()
                .call(|s| Ok((s.reservations()?, s.kits()?)))
                .await?;
            reserved = moved(&reserved, &before, &after);
            (again, kits)
        };
        out.orders_imported += again.orders;
        out.touched.extend(again.touched);
        let at = ctx.now();
        let drifts = ctx
            .store()
            .call(move |s| seen::observe(s, &pairs, &before, at))
            .await?;
        out.drifts.extend(drifts);
        let levels: HashMap<InventoryItemId, i64> = reread
            .into_iter()
            .map(|l| (l.inventory_item_id, l.available))
            .collect();
        let settings = PlanSettings {
            confirm_share_percent: 100,
            ..ctx.config.settings.plan.clone()
        };
        let kits_now = restocked(catalog, products, &kits, &reserved, &settings);
        let replan = plan_sync(&PlanInput {
            catalog: kits_now.as_ref().unwrap_or(catalog),
            levels: &levels,
            reservations: &reserved,
            billing: &BillingRead::Read {
                products: products.len(),
            },
            previous_billing_products: None,
            scope: Some(&scope),
            settings: &settings,
        });
        out.replanned.extend(clamped::planned(&replan, &scope));
        writes = replan.writes;
    }
    ctx.progress(Phase::WriteLevels, out.applied, total);
    Ok(out)
}

/// `base` moved by what changed from `before` to `after` (per code; zeros left out).
fn moved(base: &Reservations, before: &Reservations, after: &Reservations) -> Reservations {
    let mut by_code: HashMap<ProductCode, i64> = HashMap::new();
    let sides = [(base, 1), (after, 1), (before, -1)];
    for (side, sign) in sides {
        for (code, q) in side.sorted() {
            *by_code.entry(code.clone()).or_default() += sign * q;
        }
    }
    by_code.into_iter().filter(|(_, q)| *q != 0).collect()
}

/// The audit reason of a write, and of one settled by a re-read after its answer was lost.
/// Codes the window words ("billing − reserved − buffer", and the same settled by a re-read).
pub(crate) const REASON: &str = "target";
const SETTLED: &str = "target_settled";

/// Records every applied write in the audit trail with before/after and the run; `location`
/// is the Shopify location written when several are mapped (`None`: the one location).
pub(crate) async fn audit(
    ctx: &Ctx,
    applied: &[QuantityWrite],
    code_of: &HashMap<InventoryItemId, ProductCode>,
    reason: &str,
    location: Option<u64>,
    run: Option<RunId>,
) -> Result<(), EngineError> {
    if applied.is_empty() {
        return Ok(());
    }
    let at = ctx.now();
    let changes: Vec<StockChange> = applied
        .iter()
        .filter_map(|w| {
            Some(StockChange {
                at,
                code: code_of.get(&w.inventory_item_id)?.clone(),
                inventory_item_id: Some(w.inventory_item_id),
                before: w.change_from,
                after: w.quantity,
                reason: reason.into(),
                source: "sync".into(),
                run,
            })
        })
        .collect();
    ctx.store()
        .call(move |s| match location {
            Some(location) => s.record_stock_changes_at(&changes, location),
            None => s.record_stock_changes(&changes),
        })
        .await?;
    Ok(())
}
