//! One stock-sync cycle, in the order of `design/stock-model.md`: (1) read Shopify levels A₀ for
//! the products in scope, (2) import orders, so R covers every order placed before the read,
//! (3) take billing stock B, (4) plan target = B − R − buffer, (5) write with
//! `changeFromQuantity = A₀` (see `write`). The billing read is taken first only to choose the
//! scope of an incremental cycle (codes whose B changed, plus codes whose R changed since the
//! last cycle, plus new products); the A₀-before-import order, which is what keeps a sale from
//! being counted twice, is kept. A full cycle reads everything.

use std::collections::{BTreeSet, HashMap, HashSet};

use punte_core::matching::match_products;
use punte_core::plan::{BillingRead, PlanInput, PlanStatus, SyncPlan, plan_sync};
use punte_core::product::{BillingProduct, Catalog, InventoryItemId, ProductCode};
use punte_store::{RunId, ShopifyLevel};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::{Outcome, Phase, RunCounts, RunSummary};
use crate::findings::{publish, run_finding};
use crate::import::{Imported, import_orders};
use crate::kv;
use crate::notify::NotificationEvent;
use crate::run::RunMeter;
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

struct Known {
    variants: Vec<punte_core::product::ShopifyVariant>,
    billing: HashMap<ProductCode, rust_decimal::Decimal>,
    dirty: BTreeSet<ProductCode>,
    levels: HashSet<InventoryItemId>,
    previous_count: Option<usize>,
}

async fn known(ctx: &Ctx) -> Result<Known, EngineError> {
    Ok(ctx
        .store()
        .call(|s| {
            Ok(Known {
                variants: s.products()?.into_iter().map(|p| p.variant).collect(),
                billing: s
                    .billing_stock()?
                    .into_iter()
                    .map(|r| (r.product.code, r.product.stock))
                    .collect(),
                dirty: kv::read(s, kv::DIRTY_CODES)?.unwrap_or_default(),
                levels: s
                    .shopify_levels()?
                    .into_iter()
                    .map(|l| l.inventory_item_id)
                    .collect(),
                previous_count: kv::read(s, kv::BILLING_COUNT)?,
            })
        })
        .await?)
}

/// Codes an incremental cycle must look at.
fn incremental_scope(
    known: &Known,
    billing: &[BillingProduct],
    catalog: &Catalog,
) -> HashSet<ProductCode> {
    let mut scope: HashSet<ProductCode> = billing
        .iter()
        .filter(|p| known.billing.get(&p.code) != Some(&p.stock))
        .map(|p| p.code.clone())
        .collect();
    scope.extend(known.dirty.iter().cloned());
    scope.extend(
        catalog
            .matched
            .iter()
            .filter(|m| !known.levels.contains(&m.inventory_item_id))
            .map(|m| m.code.clone()),
    );
    scope
}

/// Runs one cycle. Errors from a service end the run as failed (the scheduler backs off).
pub(crate) async fn stock_cycle(
    ctx: &Ctx,
    reach: Reach,
    mode: Mode,
) -> Result<(CycleResult, RunSummary), EngineError> {
    let preview = mode == Mode::Preview;
    let shopify = ctx.shopify()?;
    let meter = RunMeter::start(ctx, &shopify, !preview).await?;
    match cycle_body(ctx, reach, mode, meter.run).await {
        Ok(r) => {
            let summary = meter
                .finish(ctx, &shopify, &r.counts, &r.outcome, r.mutations)
                .await?;
            Ok((r, summary))
        }
        Err(e) => {
            let outcome = Outcome::Failed { error: e.info() };
            meter
                .finish(ctx, &shopify, &RunCounts::default(), &outcome, 0)
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
    let preview = mode == Mode::Preview;
    let settings = &ctx.config.settings;
    let conn = &ctx.config.connections;
    let shopify = ctx.shopify()?;
    let billing = ctx.billing()?;
    let known = known(ctx).await?;
    let full = reach == Reach::Full || known.variants.is_empty();

    let variants = if full {
        ctx.progress(Phase::ReadCatalogue, 0, 1);
        let v = shopify.catalogue().await?;
        if !preview {
            let (v2, source, at, loc) =
                (v.clone(), settings.code_source, ctx.now(), conn.location_id);
            ctx.store()
                .call(move |s| s.upsert_variants(&v2, source, Some(loc), at))
                .await?;
        }
        ctx.progress(Phase::ReadCatalogue, 1, 1);
        v
    } else {
        known.variants.clone()
    };

    ctx.progress(Phase::ReadBilling, 0, 1);
    ctx.billing_call();
    let products = match billing.stock(&conn.warehouse, None).await {
        Ok(p) => p,
        Err(e) => {
            let f = run_finding(
                "billing_read_failed",
                e.to_string(),
                "Punte retries by itself.",
            );
            publish(ctx, &[], vec![f], run).await?;
            return Err(e.into());
        }
    };
    ctx.progress(Phase::ReadBilling, 1, 1);
    let catalog = match_products(settings.code_source, &variants, &products);
    let scope = (!full).then(|| incremental_scope(&known, &products, &catalog));
    let in_scope: Vec<InventoryItemId> = catalog
        .matched
        .iter()
        .filter(|m| scope.as_ref().is_none_or(|s| s.contains(&m.code)))
        .map(|m| m.inventory_item_id)
        .collect();

    // Step 1: A₀, before the import.
    ctx.progress(Phase::ReadLevels, 0, in_scope.len() as u64);
    let levels = if full {
        shopify.levels_at(conn.location_id).await?
    } else if in_scope.is_empty() {
        Vec::new()
    } else {
        shopify.levels_of(conn.location_id, &in_scope).await?
    };
    ctx.progress(
        Phase::ReadLevels,
        in_scope.len() as u64,
        in_scope.len() as u64,
    );
    let levels: HashMap<InventoryItemId, i64> = levels
        .iter()
        .map(|l| (l.inventory_item_id, l.available))
        .collect();

    // Step 2: orders, after the read.
    let imported = if preview {
        Imported::default()
    } else {
        import_orders(ctx).await?
    };
    let reservations = ctx.store().call(|s| s.reservations()).await?;

    ctx.progress(Phase::Plan, 0, 1);
    let read = BillingRead::Read {
        products: products.len(),
    };
    let plan = plan_sync(&PlanInput {
        catalog: &catalog,
        levels: &levels,
        reservations: &reservations,
        billing: &read,
        previous_billing_products: known.previous_count,
        scope: scope.as_ref(),
        settings: &settings.plan,
    });
    ctx.progress(Phase::Plan, 1, 1);
    let mut counts = RunCounts {
        orders_imported: imported.orders,
        products_in_scope: in_scope.len() as u64,
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

    let mut extra = Vec::new();
    let mut written = Written::default();
    let outcome = match &plan.status {
        PlanStatus::Halted(reason) => {
            let text = serde_json::to_string(reason).unwrap_or_default();
            extra.push(run_finding(
                "sync_halted",
                text.clone(),
                "Check the billing warehouse.",
            ));
            ctx.notify(NotificationEvent::SyncHalted {
                reason: text.clone(),
            });
            Outcome::Halted { reason: text }
        }
        PlanStatus::NeedsConfirmation { changing, in_scope } if mode != Mode::Confirmed => {
            ctx.notify(NotificationEvent::ConfirmationNeeded {
                changing: *changing,
                in_scope: *in_scope,
            });
            Outcome::AwaitingConfirmation {
                changing: *changing,
                in_scope: *in_scope,
            }
        }
        _ => {
            written = write_plan(ctx, &shopify, &plan, &catalog, &products, run).await?;
            if written.unsent.is_empty() {
                Outcome::Ok
            } else {
                Outcome::Partial
            }
        }
    };
    counts.products_written = written.applied;
    counts.stale_retries = written.stale_rounds;
    counts.orders_imported += written.orders_imported;
    let checked = matches!(outcome, Outcome::Ok | Outcome::Partial);
    settle(
        ctx,
        &catalog,
        products,
        scope,
        &levels,
        written.unsent,
        checked,
        run,
    )
    .await?;
    counts.findings = publish(ctx, &plan.findings, extra, run).await? as u64;
    Ok(CycleResult {
        plan,
        outcome,
        counts,
        imported,
        mutations: written.mutations,
    })
}

/// After a run: keep B and A₀ as the base of the next incremental cycle, and clear the dirty
/// codes this cycle settled (codes whose write did not go out stay dirty).
#[allow(clippy::too_many_arguments)]
async fn settle(
    ctx: &Ctx,
    catalog: &Catalog,
    products: Vec<BillingProduct>,
    scope: Option<HashSet<ProductCode>>,
    levels: &HashMap<InventoryItemId, i64>,
    unsent: Vec<ProductCode>,
    checked: bool,
    run: Option<RunId>,
) -> Result<(), EngineError> {
    let at = ctx.now();
    let location_id = ctx.config.connections.location_id;
    let matched: HashSet<ProductCode> = catalog.matched.iter().map(|m| m.code.clone()).collect();
    let read: Vec<ShopifyLevel> = levels
        .iter()
        .map(|(id, a)| ShopifyLevel {
            inventory_item_id: *id,
            location_id,
            available: *a,
            read_at: at,
        })
        .collect();
    let count = products.len();
    ctx.store()
        .call(move |s| {
            if !checked {
                return Ok(());
            }
            // Levels first: a crash here only makes the next cycle look again.
            s.record_shopify_levels(&read)?;
            s.record_billing_stock(&products, run, at)?;
            kv::write(s, kv::BILLING_COUNT, &count, at)?;
            let dirty: BTreeSet<ProductCode> = kv::read(s, kv::DIRTY_CODES)?.unwrap_or_default();
            let left: BTreeSet<ProductCode> = dirty
                .into_iter()
                .filter(|c| matched.contains(c) && scope.as_ref().is_some_and(|s| !s.contains(c)))
                .chain(unsent)
                .collect();
            kv::write(s, kv::DIRTY_CODES, &left, at)
        })
        .await?;
    Ok(())
}
