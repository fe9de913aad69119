//! One stock-sync cycle, in the order of `design/stock-model.md`: (1) read Shopify levels A₀,
//! (2) import orders, so R covers every order placed before the read, (3) read billing stock B,
//! (4) plan target = B − R − buffer, (5) write with `changeFromQuantity = A₀` (see `write`).
//! With the stock sync off (`EngineSettings::sync_stock`) steps 1–4 run, so the InStock walk
//! has its levels, and nothing is written nor settled; the run counts the writes held back.
//!
//! A full cycle (Sync now, the daily reconciliation, the first after a start) reads the whole
//! catalogue and every level at step 1. An incremental (scheduled) cycle reads the products and
//! the levels Shopify changed since the last cycle (`changes`: new products, hand edits), and at
//! step 1 also the codes whose R changed since the last cycle (dirty) and new products now due; a
//! code whose B moved
//! (seen only at step 3) is written against the level Punte last knew for it (read or written,
//! see `seen`) when no imported order moved it since: every order placed before that level was
//! known has been imported, and any later one makes the write come back stale, which re-reads,
//! re-imports and re-plans it. A code with order movement since is left dirty for the next
//! cycle's step 1 rather than read after the import.

use std::collections::{HashMap, HashSet};

use punte_core::matching::match_products;
use punte_core::plan::{BillingRead, PlanInput, PlanStatus, SyncPlan, plan_sync, share_rail};
use punte_core::product::{InventoryItemId, ProductCode};
use punte_store::RunId;

use crate::changes::changed_products;
use crate::clamped;
use crate::context::Ctx;
use crate::cycle_read::{
    LevelRead, catalogue, first_codes, held_new, known, read_billing, read_levels,
};
use crate::error::EngineError;
use crate::events::{Outcome, Phase, RunCounts, RunSummary};
use crate::findings::{Examined, publish, run_finding};
use crate::import::{Imported, import_orders};
use crate::in_stock::refresh_in_stock;
use crate::kit_sync::planned_stock;
use crate::mid_read::MidRead;
use crate::near;
use crate::notify::NotificationEvent;
use crate::paged::{self, Early, PagePlan, moved_codes, read_pages};
use crate::run::RunMeter;
use crate::seen;
use crate::settle::{Settle, settle};
use crate::write::{Written, write_plan};

/// How much a cycle looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Every product: catalogue, all levels (first cycle, daily reconciliation).
    Full,
    /// Only products whose B or R changed, and new ones.
    Incremental,
}

/// What to do with the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Write it unless a rail stops it.
    Apply,
    /// The merchant confirmed a large run: the share rail is passed.
    Confirmed,
    /// Dry run: read and plan, write nothing (not even the order import).
    Preview,
}

/// The result of a cycle.
pub(crate) struct CycleResult {
    pub plan: SyncPlan,
    pub outcome: Outcome,
    pub counts: RunCounts,
    pub imported: Imported,
    /// `inventorySetQuantities` calls.
    pub mutations: u64,
}

/// Runs one cycle. Errors from a service end the run as failed (the scheduler backs off).
/// An `automatic` incremental cycle (a look, the schedule) that finds nothing to do joins the
/// quiet row before it (`run`).
pub(crate) async fn stock_cycle(
    ctx: &Ctx,
    reach: Reach,
    mode: Mode,
    automatic: bool,
) -> Result<(CycleResult, RunSummary), EngineError> {
    let preview = mode == Mode::Preview;
    let shopify = ctx.shopify()?;
    let meter = RunMeter::start(ctx, &shopify, !preview).await?;
    match cycle_body(ctx, reach, mode, meter.run).await {
        Ok(r) => {
            let may_join = automatic && reach == Reach::Incremental;
            let summary = meter
                .finish(ctx, &shopify, &r.counts, &r.outcome, r.mutations, may_join)
                .await?;
            Ok((r, summary))
        }
        Err(e) => {
            let outcome = Outcome::Failed { error: e.info() };
            meter
                .finish(ctx, &shopify, &RunCounts::default(), &outcome, 0, false)
                .await?;
            Err(e)
        }
    }
}

async fn cycle_body(
    ctx: &Ctx,
    reach: Reach,
    mode: Mode,
    run: Option<RunId>,
) -> Result<CycleResult, EngineError> {
    if ctx.config.settings.locations.is_multi() {
        return crate::located::located_cycle(ctx, mode, run).await;
    }
    let preview = mode == Mode::Preview;
    let shopify = ctx.shopify()?;
    let billing = ctx.billing().await?;
    let started = ctx.now();
    let mut known = known(ctx).await?;
    let full = reach == Reach::Full || known.rows.is_empty() || known.marks.levels.is_none();
    if full {
        catalogue(ctx, &shopify, &mut known, preview).await?;
    } else {
        changed_products(ctx, &shopify, &mut known, preview).await?;
    }
    let held = held_new(ctx, &known);

    // Step 1: A₀, before the import: every level, or those Shopify changed since the last
    // cycle plus the codes Punte must re-check.
    let mut first = (!full).then(|| first_codes(&known, &held));
    let LevelRead {
        levels: read,
        marks: levels_read,
    } = read_levels(ctx, &shopify, &known, first.as_ref(), &held).await?;
    if let Some(first) = &mut first {
        first.extend(read.iter().map(|(_, c, _)| c.clone()));
    }
    // Step 2: orders, after the read; R is taken before B (an invoice in between can only
    // make the target too low for one cycle, never too high).
    let imported = if preview {
        Imported::default()
    } else {
        import_orders(ctx).await?
    };
    // New orders get their verdict now, not after the billing read (a paged one takes minutes).
    if imported.orders > 0 {
        refresh_in_stock(ctx).await?;
    }
    let mut extra = imported.findings.clone();
    if !preview {
        let pairs: Vec<(ProductCode, i64)> = read.iter().map(|(_, c, a)| (c.clone(), *a)).collect();
        let (before, at) = (std::mem::take(&mut known.seen), ctx.now());
        let drifts = ctx
            .store()
            .call(move |s| Ok((seen::observe(s, &pairs, &before, at)?, before)))
            .await?;
        known.seen = drifts.1;
        extra.extend(drifts.0.iter().map(seen::Drift::finding));
    }
    let mut reservations = ctx.store().call(|s| s.reservations()).await?;

    // Step 3: billing stock; page by page where the service answers in pages and this run
    // writes what changed, each page's changes written as soon as it is read (`paged`); the
    // orders changed meanwhile are imported while the read waits (`mid_read`).
    let mut mid = MidRead::new(ctx, !preview);
    let paged = !preview && mode == Mode::Apply && ctx.config.settings.sync_stock;
    let paged = first
        .as_ref()
        .filter(|_| paged && billing.stock_paging().page_size.is_some());
    let (products, early) = match paged {
        Some(first) => {
            let pp = PagePlan::new(ctx, &known, first, &read, &held);
            let services = (&shopify, billing.as_ref());
            read_pages(ctx, services, run, &pp, (&mut reservations, &mut mid)).await?
        }
        None => {
            let whole = read_billing(ctx, billing.as_ref(), run);
            let products = mid.during(ctx, (0, 1), whole).await?;
            mid.widen(ctx, &mut reservations).await?;
            (products, Early::default())
        }
    };
    let (mut imported, mut early) = (imported, early);
    let mid_touched = mid.finish(&mut imported, &mut extra);
    early
        .written
        .levels
        .retain(|(c, _)| !mid_touched.contains(c));
    // The plan's B: the billing read with each kit as what its components make (`kit_sync`).
    let planned = planned_stock(ctx, &products, &known.kits, &reservations);
    let variants: Vec<_> = known.rows.iter().map(|r| r.variant.clone()).collect();
    let catalog = match_products(ctx.config.settings.code_source, &variants, &planned);
    extra.extend(near::near_matches(&catalog));

    // The scope and each in-scope code's A₀.
    let mut levels: HashMap<InventoryItemId, i64> = read.iter().map(|(i, _, a)| (*i, *a)).collect();
    let read_codes: HashSet<&ProductCode> = read.iter().map(|(_, c, _)| c).collect();
    let stock: HashMap<&ProductCode, &rust_decimal::Decimal> =
        planned.iter().map(|p| (&p.code, &p.stock)).collect();
    let mut deferred = Vec::new();
    let scope: Option<HashSet<ProductCode>> = match &first {
        None if held.is_empty() => None,
        None => Some(
            catalog
                .matched
                .iter()
                .map(|m| m.code.clone())
                .filter(|c| !held.contains(c))
                .collect(),
        ),
        Some(first) => {
            let mut scope = first.clone();
            let moved = moved_codes(&catalog.matched, &known, &stock, &held, &read_codes);
            levels.extend(moved.levels);
            scope.extend(moved.scope);
            deferred = moved.deferred;
            // Codes a page already planned and wrote are out of the whole-run plan.
            scope.retain(|c| !early.handled.contains(c));
            Some(scope)
        }
    };
    let in_scope = scope.as_ref().map_or(catalog.matched.len(), HashSet::len);
    let in_scope = in_scope + early.handled.len();

    // Step 4: plan.
    ctx.progress(Phase::Plan, 0, 1);
    let mut plan = plan_sync(&PlanInput {
        catalog: &catalog,
        levels: &levels,
        reservations: &reservations,
        billing: &BillingRead::Read {
            products: products.len(),
        },
        previous_billing_products: known.previous_count,
        scope: scope.as_ref(),
        settings: &ctx.config.settings.plan,
    });
    // The rail counts the writes made page by page with the rest (see `paged`).
    if early.changes > 0 && !plan.writes.is_empty() && plan.status == PlanStatus::Ready {
        let changing = early.changes + plan.writes.len();
        plan.status = share_rail(changing, catalog.matched.len(), &ctx.config.settings.plan);
    }
    plan.findings.extend(early.findings);
    ctx.progress(Phase::Plan, 1, 1);
    let mut counts = RunCounts {
        orders_imported: imported.orders,
        products_in_scope: in_scope as u64,
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

    // Step 5: write, unless the stock sync is off or a rail stops the run.
    let mut written = Written::default();
    let sync_on = ctx.config.settings.sync_stock;
    let outcome = match &plan.status {
        // Nothing settles either: once the sync is on again, B and R are compared afresh.
        _ if !sync_on => {
            counts.products_not_synced = plan.writes.len() as u64;
            Outcome::Ok
        }
        status if let Some(held) = held_by_rail(ctx, status, mode, &mut extra) => held,
        _ => {
            written =
                write_plan(ctx, &shopify, &plan, &catalog, &planned, &reservations, run).await?;
            if written.unsent.is_empty() {
                Outcome::Ok
            } else {
                Outcome::Partial
            }
        }
    };
    paged::absorb(&mut written, early.written);
    let outcome = match outcome {
        Outcome::Ok if !written.unsent.is_empty() => Outcome::Partial,
        o => o,
    };
    counts.products_written = written.applied;
    counts.writes_failed = written.failed;
    counts.stale_retries = written.stale_rounds;
    counts.orders_imported += written.orders_imported;
    extra.extend(written.drifts.iter().map(seen::Drift::finding));
    extra.append(&mut written.findings);
    let handled: HashSet<ProductCode> = match &scope {
        Some(s) => s.clone(),
        None => catalog.matched.iter().map(|m| m.code.clone()).collect(),
    };
    let read_codes_owned: HashSet<ProductCode> = read.iter().map(|(_, c, _)| c.clone()).collect();
    let checked = sync_on && matches!(outcome, Outcome::Ok | Outcome::Partial);
    if !sync_on {
        let at = ctx.now();
        ctx.store().call(move |s| clamped::clear(s, at)).await?;
    } else if checked {
        let mut planned = clamped::planned(&plan, &handled);
        planned.extend(std::mem::take(&mut written.replanned));
        let (unsent, at) = (written.unsent.clone(), ctx.now());
        ctx.store()
            .call(move |s| clamped::record(s, &planned, &unsent, at))
            .await?;
    }
    let mut handled = handled;
    handled.extend(early.handled);
    let mut keep = written.unsent;
    keep.extend(deferred);
    keep.extend(mid_touched);
    settle(
        ctx,
        Settle {
            matched: catalog.matched.iter().map(|m| m.code.clone()).collect(),
            handled: handled.clone(),
            keep,
            held,
            touched: imported.touched.union(&written.touched).cloned().collect(),
            products,
            read,
            written: written.levels,
            checked,
            run,
            marks: known.marks.advance(
                &levels_read,
                known.products_asked,
                full,
                ctx.now() - started,
            ),
        },
    )
    .await?;
    let halted = matches!(plan.status, PlanStatus::Halted(_));
    let examined = Examined {
        catalogue: true,
        planned: Some(if halted { HashSet::new() } else { handled }),
        levels: read_codes_owned,
        billing: true,
        not_halted: !halted,
    };
    counts.findings = publish(ctx, &plan.findings, extra, Some(examined), run).await? as u64;
    refresh_in_stock(ctx).await?;
    Ok(CycleResult {
        plan,
        outcome,
        counts,
        imported,
        mutations: written.mutations,
    })
}

/// The outcome of a run that a safety rail stops before writing: halted (a finding and a
/// notification), or waiting for the merchant's confirmation unless `mode` brings it. `None`
/// when the plan may be written. Shared by the one-location and the per-location cycles.
pub(crate) fn held_by_rail(
    ctx: &Ctx,
    status: &PlanStatus,
    mode: Mode,
    extra: &mut Vec<punte_store::Finding>,
) -> Option<Outcome> {
    match status {
        PlanStatus::Halted(reason) => {
            let text = serde_json::to_string(reason).unwrap_or_default();
            extra.push(run_finding(
                "sync_halted",
                text.clone(),
                "Check the billing warehouse.",
                serde_json::to_value(reason).ok(),
            ));
            ctx.notify(NotificationEvent::SyncHalted {
                reason: text.clone(),
            });
            Some(Outcome::Halted { reason: text })
        }
        PlanStatus::NeedsConfirmation { changing, in_scope } if mode != Mode::Confirmed => {
            ctx.notify(NotificationEvent::ConfirmationNeeded {
                changing: *changing,
                in_scope: *in_scope,
            });
            Some(Outcome::AwaitingConfirmation {
                changing: *changing,
                in_scope: *in_scope,
            })
        }
        _ => None,
    }
}
