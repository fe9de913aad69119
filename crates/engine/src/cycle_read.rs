//! The reads of a cycle before the plan: what the store knows, the catalogue (full cycles), the
//! new-products rule, the codes whose level step 1 reads, the level read itself (every level, or
//! the levels Shopify changed since the last cycle plus the codes Punte must re-check) and the
//! billing read. Kept apart from `cycle` so the order of the steps reads plainly there.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use punte_billing::BillingService;
use punte_core::bundles::Kit;
use punte_core::product::{
    BillingProduct, CodeSource, InventoryItemId, ProductCode, ShopifyVariant,
};
use punte_core::schedule::new_product_in_scope;
use punte_shopify::ShopifyClient;
use punte_store::{ProductRow, RunId};
use rust_decimal::Decimal;

use crate::changes::{LevelsRead, Marks};
use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::Phase;
use crate::findings::{publish, run_finding};
use crate::kv;
use crate::seen::{self, SeenLevels};

/// What the store knows at the start of a cycle.
pub(crate) struct Known {
    pub rows: Vec<ProductRow>,
    pub billing: HashMap<ProductCode, Decimal>,
    pub dirty: BTreeSet<ProductCode>,
    pub seen: SeenLevels,
    pub previous_count: Option<usize>,
    /// When the first catalogue was read (`None` before it).
    pub seeded_at: Option<DateTime<Utc>>,
    /// Where the changed-since reads start (see `changes`).
    pub marks: Marks,
    /// The merchant's kits (`kit_sync`).
    pub kits: Vec<Kit>,
    /// Shopify's time before this cycle's variant read began (see `changes`).
    pub products_asked: Option<DateTime<Utc>>,
}

pub(crate) async fn known(ctx: &Ctx) -> Result<Known, EngineError> {
    Ok(ctx
        .store()
        .call(|s| {
            Ok(Known {
                rows: s.products()?,
                billing: s
                    .billing_stock()?
                    .into_iter()
                    .map(|r| (r.product.code, r.product.stock))
                    .collect(),
                dirty: kv::read(s, kv::DIRTY_CODES)?.unwrap_or_default(),
                seen: seen::load(s)?,
                previous_count: kv::read(s, kv::BILLING_COUNT)?,
                seeded_at: kv::read(s, kv::CATALOGUE_SEEDED)?,
                marks: Marks::load(s)?,
                kits: s.kits()?,
                products_asked: None,
            })
        })
        .await?)
}

/// Full cycles read the whole catalogue (and store it, with the bundle parents, unless
/// previewing); the rows come back with their `first_seen`. The first catalogue ever read marks
/// when the shop was connected.
pub(crate) async fn catalogue(
    ctx: &Ctx,
    shopify: &ShopifyClient,
    known: &mut Known,
    preview: bool,
) -> Result<(), EngineError> {
    ctx.progress(Phase::ReadCatalogue, 0, 1);
    known.products_asked = shopify.shopify_time();
    let variants = shopify.catalogue().await?;
    let (source, at) = (ctx.config.settings.code_source, ctx.now());
    if preview {
        add_unstored(known, variants, source, at);
    } else {
        let loc = ctx.config.connections.location_id;
        let seeded = known.seeded_at;
        let (rows, seeded) = ctx
            .store()
            .call(move |s| {
                s.upsert_variants(&variants, source, Some(loc), at)?;
                if seeded.is_none() {
                    kv::write(s, kv::CATALOGUE_SEEDED, &at, at)?;
                }
                Ok((s.products()?, seeded.unwrap_or(at)))
            })
            .await?;
        known.rows = rows;
        known.seeded_at = Some(seeded);
        crate::kit_sync::record_bundle_parents(ctx, shopify).await?;
    }
    ctx.progress(Phase::ReadCatalogue, 1, 1);
    Ok(())
}

/// A preview's catalogue: variants the store does not have join `known` in memory only.
pub(crate) fn add_unstored(
    known: &mut Known,
    variants: Vec<ShopifyVariant>,
    source: CodeSource,
    at: DateTime<Utc>,
) {
    let old: HashSet<_> = known.rows.iter().map(|r| r.variant.variant_id).collect();
    known.rows.extend(
        variants
            .into_iter()
            .filter(|v| !old.contains(&v.variant_id))
            .map(|v| ProductRow {
                code: v.code(source),
                variant: v,
                location_id: None,
                first_seen: at,
                last_seen: at,
            }),
    );
}

/// Codes of products first seen after the shop was connected that the new-products rule
/// (ScheduleSettings::new_products) does not let into the sync yet.
pub(crate) fn held_new(ctx: &Ctx, known: &Known) -> HashSet<ProductCode> {
    let Some(seeded) = known.seeded_at else {
        return HashSet::new();
    };
    let (policy, now) = (ctx.config.settings.schedule.new_products, ctx.now());
    known
        .rows
        .iter()
        .filter(|r| r.first_seen > seeded && !new_product_in_scope(r.first_seen, policy, now))
        .filter_map(|r| r.code.clone())
        .collect()
}

/// Step 1's codes in an incremental cycle: codes whose R changed (dirty), new products now
/// due that were never read, and the kits with their components (`kit_sync`: a kit order
/// imported at step 2 moves the components' R, not their Shopify level); held products are
/// left out.
pub(crate) fn first_codes(known: &Known, held: &HashSet<ProductCode>) -> HashSet<ProductCode> {
    let seeded = known.seeded_at;
    let fresh = known
        .rows
        .iter()
        .filter(|r| seeded.is_some_and(|t| r.first_seen > t) && r.variant.tracked)
        .filter_map(|r| r.code.clone())
        .filter(|c| !known.seen.contains_key(c.as_str()));
    let kits = known.kits.iter().flat_map(|k| {
        std::iter::once(k.code.clone()).chain(k.components.iter().map(|c| c.code.clone()))
    });
    known
        .dirty
        .iter()
        .cloned()
        .chain(fresh)
        .chain(kits)
        .filter(|c| !held.contains(c))
        .collect()
}

/// Step 1's reading: (item, code, A₀) per level read, and what the read tells the marks.
#[derive(Default)]
pub(crate) struct LevelRead {
    pub levels: Vec<(InventoryItemId, ProductCode, i64)>,
    pub marks: LevelsRead,
}

/// Step 1: Shopify's `available` A₀. A full cycle (`codes` = `None`) reads every level; an
/// incremental one reads the levels Shopify changed since the levels mark (drift, sales, new
/// stock) and then those of `codes` not among them. Held new products are left out.
pub(crate) async fn read_levels(
    ctx: &Ctx,
    shopify: &ShopifyClient,
    known: &Known,
    codes: Option<&HashSet<ProductCode>>,
    held: &HashSet<ProductCode>,
) -> Result<LevelRead, EngineError> {
    let location = ctx.config.connections.location_id;
    let code_of: HashMap<InventoryItemId, &ProductCode> = known
        .rows
        .iter()
        .filter_map(|r| Some((r.variant.inventory_item_id, r.code.as_ref()?)))
        .collect();
    let mut read = LevelRead::default();
    let mut levels = Vec::new();
    match codes {
        None => {
            ctx.progress(Phase::ReadLevels, 0, known.rows.len() as u64);
            let all = shopify.levels_since(location, None).await?;
            read.marks = LevelsRead {
                asked_at: all.asked_at,
                newest: all.newest,
            };
            levels = all.levels;
        }
        Some(codes) => {
            ctx.progress(Phase::ReadLevels, 0, codes.len() as u64);
            if let Some(mark) = known.marks.levels {
                let changed = shopify.levels_since(location, Some(mark)).await?;
                read.marks = LevelsRead {
                    asked_at: changed.asked_at,
                    newest: changed.newest,
                };
                levels = changed.levels;
                levels.retain(|l| {
                    code_of
                        .get(&l.inventory_item_id)
                        .is_some_and(|c| !held.contains(*c))
                });
            }
            let have: HashSet<InventoryItemId> =
                levels.iter().map(|l| l.inventory_item_id).collect();
            let items: Vec<InventoryItemId> = code_of
                .iter()
                .filter(|(i, c)| codes.contains(**c) && !have.contains(*i))
                .map(|(i, _)| *i)
                .collect();
            if !items.is_empty() {
                levels.extend(shopify.levels_of(location, &items).await?);
            }
        }
    }
    let n = levels.len() as u64;
    ctx.progress(Phase::ReadLevels, n, n);
    read.levels = levels
        .into_iter()
        .filter_map(|l| {
            let code = code_of.get(&l.inventory_item_id)?;
            Some((l.inventory_item_id, (*code).clone(), l.available))
        })
        .collect();
    Ok(read)
}

/// Step 3: billing stock B. A failed read is a finding and ends the run (nothing is written).
pub(crate) async fn read_billing(
    ctx: &Ctx,
    billing: &dyn BillingService,
    run: Option<RunId>,
) -> Result<Vec<BillingProduct>, EngineError> {
    ctx.progress(Phase::ReadBilling, 0, 1);
    ctx.billing_call();
    match billing.stock(&ctx.config.connections.warehouse, None).await {
        Ok(p) => {
            ctx.billing_products
                .store(p.len(), std::sync::atomic::Ordering::Relaxed);
            ctx.progress(Phase::ReadBilling, 1, 1);
            Ok(p)
        }
        Err(e) => Err(billing_read_failed(ctx, e, run).await),
    }
}

/// A failed billing read: a finding, and the error that ends the run (nothing more is written).
pub(crate) async fn billing_read_failed(
    ctx: &Ctx,
    e: punte_billing::BillingError,
    run: Option<RunId>,
) -> EngineError {
    let f = run_finding(
        "billing_read_failed",
        e.to_string(),
        "Punte retries by itself.",
        Some(serde_json::json!({"error": e.code()})),
    );
    match publish(ctx, &[], vec![f], None, run).await {
        Ok(_) => e.into(),
        Err(stored) => stored,
    }
}
