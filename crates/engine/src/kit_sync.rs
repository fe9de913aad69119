//! Kits and Shopify's bundle parents in the one-location cycle (issue 18), so that it agrees
//! with the per-location cycle (`located`, `core::locations_plan`):
//! - A kit's Shopify level is written as the least, over its recipe, of ⌊(B − R − buffer) /
//!   units per kit⌋, less the kit's own buffer; a component billing does not list counts as
//!   none (the kit is written 0 rather than left to sell what cannot be made). The kit's level
//!   is read at every step 1 (its target moves with any component's B or R), and orders of a
//!   kit mark its components for the next step 1 (`kv::add_dirty`). Pages read early never
//!   write a kit (`paged`): its components may be on later pages.
//! - Shopify's bundle parents (variants that require components) are read with the catalogue
//!   and stored with their components (the Stock screen shows what they allow). The client
//!   reads a parent as not tracked, so no path ever writes it.

use punte_core::bundles::{Kit, with_kits};
use punte_core::plan::PlanSettings;
use punte_core::product::{BillingProduct, Catalog, ProductCode};
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
    let parents: Vec<BundleParent> = shopify
        .bundle_parents()
        .await?
        .into_iter()
        .filter(|p| p.complete && !p.components.is_empty())
        .map(|p| BundleParent {
            variant_id: p.variant_id,
            components: p.components,
        })
        .collect();
    ctx.store()
        .call(move |s| s.record_bundles(&parents))
        .await?;
    Ok(())
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
