//! Kits and Shopify's bundle parents in the one-location cycle (issue 18), so that it agrees
//! with the per-location cycle (`located`, `core::locations_plan`):
//! - A kit's Shopify level is written as the least, over its recipe, of ⌊(B − R − buffer) /
//!   units per kit⌋, less the kit's own buffer; a component billing does not list counts as
//!   none (the kit is written 0 rather than left to sell what cannot be made). The levels of
//!   the kit and of its components are read at every step 1 (`cycle_read::first_codes`): the
//!   kit's target moves with any component's B or R, and a kit order imported at step 2
//!   reserves the components while Shopify leaves their levels alone, so the same cycle
//!   writes them against the A₀ read before the import (the order of `design/stock-model.md`);
//!   reading them only after the import would miss an order of a component placed in between.
//!   A kit order imported by an orders look marks the components for the next look's step 1
//!   (`kv::add_dirty`). Pages read early never write a kit (`paged`): its components may be on
//!   later pages.
//! - Shopify's bundle parents (variants that require components) are read with the catalogue
//!   and stored with their components (the Stock screen shows what they allow). The client
//!   reads a parent as not tracked, so no path ever writes it. A look sees a bundle created or
//!   changed since its mark among the changed variants and reads the parents changed since
//!   then in the same look ([`recognise_bundles`]); Shopify's sources do not say whether
//!   editing only a bundle's components moves the parent's `updated_at`, so the full cycle
//!   (every 15 minutes) still re-reads every parent.

use punte_core::bundles::{Kit, with_kits};
use punte_core::plan::PlanSettings;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use punte_core::product::{BillingProduct, Catalog, ProductCode, ShopifyVariant, VariantId};
use punte_core::reservation::Reservations;
use punte_shopify::ShopifyClient;
use punte_store::BundleParent;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::context::Ctx;
use crate::error::EngineError;

/// [`with_kit_stock`] with the cycle's plan settings.
pub(crate) fn planned_stock(
    ctx: &Ctx,
    products: &[BillingProduct],
    kits: &[Kit],
    reservations: &Reservations,
) -> Vec<BillingProduct> {
    with_kit_stock(products, kits, reservations, &ctx.config.settings.plan)
}

/// The billing products the plan matches against: the billing read, with each kit as the
/// product its components make (a billing article with a kit's code gives way to the recipe).
pub(crate) fn with_kit_stock(
    products: &[BillingProduct],
    kits: &[Kit],
    reservations: &Reservations,
    settings: &PlanSettings,
) -> Vec<BillingProduct> {
    if kits.is_empty() {
        return products.to_vec();
    }
    let buffer_of = |c: &ProductCode| {
        settings
            .buffers
            .get(c)
            .copied()
            .unwrap_or(settings.default_buffer)
    };
    let (mut out, missing) = with_kits(products.to_vec(), kits, reservations, buffer_of);
    for m in missing {
        let title = kits
            .iter()
            .find(|k| k.code == m.kit)
            .map(|k| k.title.clone())
            .unwrap_or_default();
        if !out.iter().any(|p| p.code == m.kit) {
            out.push(BillingProduct {
                code: m.kit,
                name: title,
                stock: Decimal::ZERO,
                vat_rate: None,
            });
        }
    }
    out
}

/// Reads the shop's bundle parents and stores them with their components (full cycles). A
/// parent whose components did not all come back is left out (shown as a plain row).
pub(crate) async fn record_bundle_parents(
    ctx: &Ctx,
    shopify: &ShopifyClient,
) -> Result<(), EngineError> {
    let parents = stored_form(shopify.bundle_parents().await?);
    ctx.store()
        .call(move |s| s.record_bundles(&parents))
        .await?;
    Ok(())
}

/// A look's bundles: when a variant Shopify changed since `since` may be a bundle parent (it
/// reads as not tracked, as parents do) or was one, the parents changed since `since` are read
/// (one request for up to 250) and the changed variants' recipes replaced: a new or edited
/// bundle gets its components, a variant no longer a parent loses its recipe. Nothing is read
/// when no changed variant can be a parent.
pub(crate) async fn recognise_bundles(
    ctx: &Ctx,
    shopify: &ShopifyClient,
    since: DateTime<Utc>,
    changed: &[ShopifyVariant],
) -> Result<(), EngineError> {
    if changed.is_empty() {
        return Ok(());
    }
    let stored: HashSet<VariantId> = ctx
        .store()
        .call(|s| Ok(s.bundles()?.into_iter().map(|b| b.variant_id).collect()))
        .await?;
    let candidates: Vec<VariantId> = changed
        .iter()
        .filter(|v| !v.tracked || stored.contains(&v.variant_id))
        .map(|v| v.variant_id)
        .collect();
    if candidates.is_empty() {
        return Ok(());
    }
    let parents = stored_form(shopify.bundle_parents_changed_since(since).await?);
    ctx.store()
        .call(move |s| s.update_bundles(&candidates, &parents))
        .await?;
    Ok(())
}

/// The parents as stored: one whose components did not all come back is left out.
fn stored_form(read: Vec<punte_shopify::BundleParent>) -> Vec<BundleParent> {
    read.into_iter()
        .filter(|p| p.complete && !p.components.is_empty())
        .map(|p| BundleParent {
            variant_id: p.variant_id,
            components: p.components,
        })
        .collect()
}

/// A stale write's re-plan runs after a new import: the kits' B again from the reservations now
/// (an order of a kit or of a component changes what the kits allow). `None` without kits.
pub(crate) fn restocked(
    catalog: &Catalog,
    products: &[BillingProduct],
    kits: &[Kit],
    reservations: &Reservations,
    settings: &PlanSettings,
) -> Option<Catalog> {
    if kits.is_empty() {
        return None;
    }
    let now = with_kit_stock(products, kits, reservations, settings);
    let mut out = catalog.clone();
    for m in &mut out.matched {
        if !kits.iter().any(|k| k.code == m.code) {
            continue;
        }
        if let Some(p) = now.iter().find(|p| p.code == m.code) {
            m.billing_stock = p.stock.floor().to_i64().unwrap_or(0);
        }
    }
    Some(out)
}
