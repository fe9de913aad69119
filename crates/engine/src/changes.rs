//! What a scheduled (incremental) cycle reads instead of the whole shop: the variants Shopify
//! changed since the last cycle (new products, edited codes) and the inventory levels it changed
//! (hand edits: drift; sales; Punte's own writes), both asked by Shopify's `updated_at`. The
//! marks are Shopify's own times (the newest level `updatedAt` seen), never the local clock, so
//! a wrong PC clock cannot skip a change. A full cycle reads everything and seeds both marks;
//! they advance only when a cycle's plan was carried out (see `settle`).
//!
//! Levels are asked from the newest change seen, inclusive (whole seconds), so only the last
//! second's changes are read twice. Variants carry no time Punte reads, so their mark is derived
//! from the levels mark: every variant changed before the level mark a cycle started with (less
//! [`OVERLAP`] for Shopify's search catching up) was seen by that cycle's variant read, which
//! ran after it; after a full cycle, the level mark less the cycle's duration bounds the start
//! of its catalogue read.

use chrono::{DateTime, TimeDelta, Utc};
use punte_shopify::ShopifyClient;
use punte_store::Store;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::cycle_read::Known;
use crate::error::EngineError;
use crate::events::Phase;
use crate::kv;

/// Variants changed this long before the mark are asked again: Shopify's search may list a
/// change a little after it happened.
pub(crate) const OVERLAP: TimeDelta = TimeDelta::minutes(2);

/// Where the next incremental cycle starts reading, in Shopify's time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Marks {
    /// Newest level `updatedAt` seen at the synced location.
    pub levels: Option<DateTime<Utc>>,
    /// Every variant changed before this is in the store.
    pub products: Option<DateTime<Utc>>,
}

impl Marks {
    pub fn load(s: &Store) -> Result<Self, punte_store::StoreError> {
        Ok(kv::read(s, kv::CHANGE_MARKS)?.unwrap_or_default())
    }

    /// The marks after a cycle that started with `self`, saw level changes up to
    /// `newest_level` and took `took` (local clock) from its first read to its end.
    pub fn advance(self, newest_level: Option<DateTime<Utc>>, full: bool, took: TimeDelta) -> Self {
        let products = if full {
            newest_level.map(|t| t - took.max(TimeDelta::zero()) - OVERLAP)
        } else {
            self.levels.map(|t| t - OVERLAP)
        };
        Self {
            levels: self.levels.max(newest_level),
            products: self.products.max(products),
        }
    }
}

/// Reads the variants Shopify changed since the products mark and stores them (a preview
/// keeps them in memory only), so new products and edited codes join this cycle, and a bundle
/// created or changed since is known with its components (`kit_sync`). Nothing is
/// read without a mark (the cycle is then full).
pub(crate) async fn changed_products(
    ctx: &Ctx,
    shopify: &ShopifyClient,
    known: &mut Known,
    preview: bool,
) -> Result<(), EngineError> {
    let Some(since) = known.marks.products else {
        return Ok(());
    };
    ctx.progress(Phase::ReadCatalogue, 0, 1);
    let variants = shopify.variants_changed_since(since).await?;
    if !preview {
        crate::kit_sync::recognise_bundles(ctx, shopify, since, &variants).await?;
    }
    if !variants.is_empty() {
        let (source, at) = (ctx.config.settings.code_source, ctx.now());
        if preview {
            crate::cycle_read::add_unstored(known, variants, source, at);
        } else {
            let loc = ctx.config.connections.location_id;
            known.rows = ctx
                .store()
                .call(move |s| {
                    s.upsert_variants(&variants, source, Some(loc), at)?;
                    s.products()
                })
                .await?;
        }
    }
    ctx.progress(Phase::ReadCatalogue, 1, 1);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("time").to_utc()
    }

    #[test]
    fn marks_only_move_forward_and_never_past_what_was_read() {
        let m = Marks::default().advance(
            Some(at("2026-12-04T10:00:00Z")),
            true,
            TimeDelta::seconds(30),
        );
        assert_eq!(m.levels, Some(at("2026-12-04T10:00:00Z")));
        assert_eq!(
            m.products,
            Some(at("2026-12-04T09:57:30Z")),
            "before the catalogue read"
        );
        // An incremental cycle asks variants from the level mark it started with.
        let next = m.advance(Some(at("2026-12-04T10:15:00Z")), false, TimeDelta::zero());
        assert_eq!(next.levels, Some(at("2026-12-04T10:15:00Z")));
        assert_eq!(next.products, Some(at("2026-12-04T09:58:00Z")));
        // Nothing new: both stay. An older reading never moves a mark back.
        assert_eq!(
            next.advance(None, false, TimeDelta::zero()).levels,
            next.levels
        );
        let older = next.advance(Some(at("2026-12-01T00:00:00Z")), true, TimeDelta::zero());
        assert_eq!(older.levels, next.levels);
        assert_eq!(older.products, next.products);
    }
}
