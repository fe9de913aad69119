//! Step 3 page by page (issue 19): Oblio and FGO answer the warehouse in pages (250 products at
//! 3 calls/s, 200 at 1 call/30 s), so a look that wrote only after its whole read kept a
//! receipt waiting for the rest of the warehouse (Oblio, 20,000 products: p95 66 s; FGO: one
//! whole read of 53 minutes). An incremental cycle that applies its plan now plans and writes
//! each page's changed codes as soon as that page is read, exactly as the whole run would
//! (same scope rule, compare-and-set against the same A₀, reservations subtracted), and leaves
//! the rest to the whole-run path at the end of the read.
//!
//! The rails need the whole read, so a page is written early only when nothing the whole run
//! would stop can be at stake (the choice, and why):
//! - Halt rails (a billing read that came back empty or lost most of its products) judge the
//!   whole read's count; the last page is therefore never written early, and a read that ends
//!   short halts the rest as before. A page written early was a page of a read still going on;
//!   its products' stock is as good as any read's.
//! - "Changes too many" (more than the set share of the products in sync): a page whose own
//!   changes exceed the share of its products stops early writes for the rest of the run (a
//!   wrong warehouse or a broken list shows on its first page), and so does a page that would
//!   take the run's early writes past the share of the products in sync at the last whole read.
//!   Early writes therefore never exceed what the whole-run rail lets through unconfirmed, and
//!   at the end the whole run's rail counts them with the rest (`share_rail`): if the total is
//!   too many, the rest waits for the merchant as before.
//!
//! Once early writes stop, the remaining pages are only read; their codes go to the whole-run
//! plan. A run that fails after a page was written keeps that page's writes (audited, with their
//! levels known to `seen` and `clamped` at once), as a run that fails after its writes does.

use std::collections::{HashMap, HashSet};

use punte_billing::{BillingService, ServiceKind};
use punte_core::matching::match_products;
use punte_core::plan::{BillingRead, PlanFinding, PlanInput, PlanStatus, plan_sync, share_rail};
use punte_core::product::{
    BillingProduct, InventoryItemId, MatchedProduct, ProductCode, ShopifyVariant,
};
use punte_core::reservation::Reservations;
use punte_shopify::ShopifyClient;
use punte_store::RunId;
use rust_decimal::Decimal;

use crate::clamped;
use crate::context::Ctx;
use crate::cycle_read::{Known, billing_read_failed};
use crate::error::EngineError;
use crate::events::Phase;
use crate::mid_read::MidRead;
use crate::seen;
use crate::write::{Written, write_plan};

/// Codes whose billing stock moved since the last read, sorted out for the plan.
#[derive(Default)]
pub(crate) struct Moved {
    /// A₀ of the codes that join the scope: the level Punte last knew.
    pub levels: HashMap<InventoryItemId, i64>,
    pub scope: HashSet<ProductCode>,
    /// Codes with order movement since their level was known: left for the next step 1.
    pub deferred: Vec<ProductCode>,
}

/// Among `matched`, the codes whose billing stock moved since the last read and that step 1 did
/// not read (nor held back): a code whose level Punte knows with no imported order movement
/// since joins the scope with that level as A₀; the others are deferred (see `cycle`).
pub(crate) fn moved_codes(
    matched: &[MatchedProduct],
    known: &Known,
    stock: &HashMap<&ProductCode, &Decimal>,
    held: &HashSet<ProductCode>,
    read_codes: &HashSet<&ProductCode>,
) -> Moved {
    let mut out = Moved::default();
    for m in matched {
        let moved = known.billing.get(&m.code) != stock.get(&m.code).copied();
        if !moved || held.contains(&m.code) || read_codes.contains(&m.code) {
            continue;
        }
        match known.seen.get(m.code.as_str()) {
            Some(s) if s.down == 0 && s.up == 0 => {
                out.levels.insert(m.inventory_item_id, s.available);
                out.scope.insert(m.code.clone());
            }
            _ => out.deferred.push(m.code.clone()),
        }
    }
    out
}

/// What a page's plan is made from: the cycle's state after step 2.
pub(crate) struct PagePlan<'a> {
    pub known: &'a Known,
    /// Step 1's codes (dirty, changed in Shopify, new), the levels read for them (A₀) and
    /// their codes.
    pub first: &'a HashSet<ProductCode>,
    pub levels: HashMap<InventoryItemId, i64>,
    pub read_codes: HashSet<&'a ProductCode>,
    pub held: &'a HashSet<ProductCode>,
    /// The shop's variants by code.
    pub variants: HashMap<&'a str, Vec<&'a ShopifyVariant>>,
}

impl<'a> PagePlan<'a> {
    pub fn new(
        ctx: &Ctx,
        known: &'a Known,
        first: &'a HashSet<ProductCode>,
        read: &'a [(InventoryItemId, ProductCode, i64)],
        held: &'a HashSet<ProductCode>,
    ) -> Self {
        let source = ctx.config.settings.code_source;
        let mut variants: HashMap<&str, Vec<&ShopifyVariant>> = HashMap::new();
        // A kit is planned with the whole run (its components may be on later pages).
        let kit = |c: &str| known.kits.iter().any(|k| k.code.as_str() == c);
        for r in &known.rows {
            if let Some(c) = r.variant.code_str(source).filter(|c| !kit(c)) {
                variants.entry(c).or_default().push(&r.variant);
            }
        }
        Self {
            known,
            first,
            levels: read.iter().map(|(i, _, a)| (*i, *a)).collect(),
            read_codes: read.iter().map(|(_, c, _)| c).collect(),
            held,
            variants,
        }
    }

    /// Products in sync at the last whole read (matched codes with a billing stock then).
    fn in_sync(&self) -> usize {
        self.variants
            .keys()
            .filter(|c| self.known.billing.contains_key(**c))
            .count()
    }
}

/// What the pages written early did; their codes are out of the whole-run plan.
#[derive(Default)]
pub(crate) struct Early {
    pub written: Written,
    /// Codes planned early (written, at target already, or unsent).
    pub handled: HashSet<ProductCode>,
    /// The per-code plan findings of those pages (below zero, level not read).
    pub findings: Vec<PlanFinding>,
    /// Writes planned early, for the whole run's rail.
    pub changes: usize,
}

/// Step 3 page by page: every page of the warehouse (joined as the service's whole read joins
/// them), each written early while `plan` is given and the rails allow (see the module), with
/// `r` widened by the orders `mid` imports while a page is awaited (`mid_read`).
pub(crate) async fn read_pages(
    ctx: &Ctx,
    (shopify, billing): (&ShopifyClient, &dyn BillingService),
    run: Option<RunId>,
    plan: &PagePlan<'_>,
    (r, mid): (&mut Reservations, &mut MidRead),
) -> Result<(Vec<BillingProduct>, Early), EngineError> {
    let warehouse = ctx.config.connections.warehouse.clone();
    let size = billing
        .stock_paging()
        .page_size
        .unwrap_or(usize::MAX)
        .max(1);
    let pages = (ctx
        .billing_products
        .load(std::sync::atomic::Ordering::Relaxed)
        / size) as u64
        + 1;
    // Oblio's whole read keeps a code's first listing; FGO's keeps every article (a code listed
    // twice is a duplicate finding). The pages are joined the same way.
    let first_listing = billing.kind() == ServiceKind::Oblio;
    let in_sync = plan.in_sync();
    let mut products: Vec<BillingProduct> = Vec::new();
    let mut listed: HashSet<ProductCode> = HashSet::new();
    let mut early = Early::default();
    let mut writing = true;
    for page in 0.. {
        let shown = (page, pages.max(page + 1));
        ctx.progress(Phase::ReadBilling, shown.0, shown.1);
        ctx.billing_call();
        let read = match mid
            .during(ctx, shown, billing.stock_page(&warehouse, page))
            .await
        {
            Ok(p) => p,
            Err(e) => return Err(billing_read_failed(ctx, e, run).await),
        };
        mid.widen(ctx, r).await?;
        let fresh: Vec<BillingProduct> = read
            .products
            .into_iter()
            .filter(|p| !(first_listing && listed.contains(&p.code)))
            .collect();
        if writing && !read.last {
            // A code listed on an earlier page is a duplicate (or already handled): not early.
            let new: Vec<BillingProduct> = fresh
                .iter()
                .filter(|p| !listed.contains(&p.code))
                .cloned()
                .collect();
            let page = (new.as_slice(), &*r);
            writing = write_page(ctx, shopify, plan, page, in_sync, run, &mut early).await?;
        }
        listed.extend(fresh.iter().map(|p| p.code.clone()));
        products.extend(fresh);
        if read.last {
            break;
        }
    }
    ctx.billing_products
        .store(products.len(), std::sync::atomic::Ordering::Relaxed);
    ctx.progress(Phase::ReadBilling, 1, 1);
    Ok((products, early))
}

/// Plans and writes one page's codes when the rails allow; false stops early writes.
async fn write_page(
    ctx: &Ctx,
    shopify: &ShopifyClient,
    pp: &PagePlan<'_>,
    (page, reservations): (&[BillingProduct], &Reservations),
    in_sync: usize,
    run: Option<RunId>,
    early: &mut Early,
) -> Result<bool, EngineError> {
    let variants: Vec<ShopifyVariant> = page
        .iter()
        .filter_map(|p| pp.variants.get(p.code.as_str()))
        .flatten()
        .map(|v| (*v).clone())
        .collect();
    let catalog = match_products(ctx.config.settings.code_source, &variants, page);
    let stock: HashMap<&ProductCode, &Decimal> = page.iter().map(|p| (&p.code, &p.stock)).collect();
    let moved = moved_codes(&catalog.matched, pp.known, &stock, pp.held, &pp.read_codes);
    let mut levels = moved.levels;
    levels.extend(catalog.matched.iter().filter_map(|m| {
        let a = pp.levels.get(&m.inventory_item_id)?;
        Some((m.inventory_item_id, *a))
    }));
    let mut scope = moved.scope;
    scope.extend(
        catalog
            .matched
            .iter()
            .filter(|m| pp.first.contains(&m.code))
            .map(|m| m.code.clone()),
    );
    let settings = &ctx.config.settings.plan;
    let plan = plan_sync(&PlanInput {
        catalog: &catalog,
        levels: &levels,
        reservations,
        billing: &BillingRead::Read {
            products: page.len(),
        },
        previous_billing_products: None,
        scope: Some(&scope),
        settings,
    });
    // The page's own share (its products in sync), then the run's early writes with it.
    let total = early.changes + plan.writes.len();
    if plan.status != PlanStatus::Ready || share_rail(total, in_sync, settings) != PlanStatus::Ready
    {
        return Ok(false);
    }
    let mut written = if plan.writes.is_empty() {
        Written::default()
    } else {
        write_plan(ctx, shopify, &plan, &catalog, page, reservations, run).await?
    };
    let mut planned = clamped::planned(&plan, &scope);
    planned.extend(std::mem::take(&mut written.replanned));
    let (levels, unsent, at) = (written.levels.clone(), written.unsent.clone(), ctx.now());
    ctx.store()
        .call(move |s| {
            seen::wrote(s, &levels, at)?;
            clamped::record(s, &planned, &unsent, at)
        })
        .await?;
    early.changes = total;
    early.findings.extend(plan.findings.into_iter().filter(|f| {
        matches!(
            f,
            PlanFinding::TargetBelowZero { .. } | PlanFinding::LevelNotRead { .. }
        )
    }));
    early.handled.extend(scope);
    absorb(&mut early.written, written);
    Ok(true)
}

/// Adds a page's writes to the run's.
pub(crate) fn absorb(into: &mut Written, w: Written) {
    into.applied += w.applied;
    into.stale_rounds += w.stale_rounds;
    into.unsent.extend(w.unsent);
    into.orders_imported += w.orders_imported;
    into.mutations += w.mutations;
    into.levels.extend(w.levels);
    into.drifts.extend(w.drifts);
    into.touched.extend(w.touched);
    into.replanned.extend(w.replanned);
    into.failed += w.failed;
    into.findings.extend(w.findings);
}
