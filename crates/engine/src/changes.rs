//! What a scheduled (incremental) cycle reads instead of the whole shop: the variants Shopify
//! changed since the last cycle (new products, edited codes) and the inventory levels it changed
//! (hand edits: drift; sales; Punte's own writes), both asked by Shopify's `updated_at`. The
//! marks are Shopify's own times (its `updatedAt`s and its answers' `Date`), never the local
//! clock, so a wrong PC clock cannot skip a change. A full cycle reads everything and seeds both marks;
//! they advance only when a cycle's plan was carried out (see `settle`).
//!
//! Both are asked from a mark, inclusive (whole seconds). After a whole read a mark moves to
//! [`SEARCH_LAG`] before Shopify's time when that read began (its `Date`: `asked_at` for the
//! levels, `products_asked` for the variant read or the catalogue): every change of an older
//! second was searchable then, so it was in the read, and a second is re-read only while it is
//! that recent. Thousands of levels or variants sharing one second (a CSV import, a bulk edit)
//! are therefore read for one minute at most, not at every look until something newer
//! happens, and a change Shopify lists late, or made later in an already-read second, is still
//! in a later read. One allowance serves both marks: they ask the same search (`updated_at` in
//! `query:`) of the same shop, and no source gives either a lag of its own (crates/sim/README.md),
//! so a longer one for variants would only make a bulk import's variants cost more re-reads.
//!
//! Without a `Date` (a proxy stripping it) the fallbacks are kept as they were: the levels mark
//! is the newest change seen (only that second is read twice), and the variants mark is derived
//! from the levels mark less [`OVERLAP`]: every variant changed before the level mark a cycle
//! started with (less the allowance for Shopify's search catching up) was seen by that cycle's
//! variant read, which ran after it; after a full cycle, the level mark less the cycle's
//! duration bounds the start of its catalogue read. That duration is the PC's measure, not
//! Shopify's, and no benchmark runs this path, so its wider two minutes stay: they cost re-reads
//! only on a shop whose answers lack a `Date`, and a narrower margin there would be unmeasured.

use chrono::{DateTime, TimeDelta, Utc};
use punte_shopify::ShopifyClient;
use punte_store::Store;
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::cycle_read::Known;
use crate::error::EngineError;
use crate::events::Phase;
use crate::kv;

/// How late Shopify's search (`updated_at` in `query:`) may list a change after it happened,
/// for levels and variants alike: a mark never moves past this long before Shopify's time (its
/// `Date`) when a whole read began. Sources are silent (crates/sim/README.md, "Levels changed
/// since a time"); a minute is many times the seconds a replica or an index usually lags, and
/// costs a bulk edit's second one minute of re-reads, levels and variants both. It replaced a
/// minute for levels and two for variants (issue 19, branch s6-lag): the two minutes had no
/// source either, and kept a bulk import's 20,000 variants re-read (80 pages a look) for a
/// minute longer than its levels.
pub(crate) const SEARCH_LAG: TimeDelta = TimeDelta::seconds(60);

/// Without Shopify's `Date`: variants changed this long before the levels mark are asked again.
/// The levels mark is then a change's own time and a full cycle's duration the PC's measure, so
/// this is the margin for Shopify listing late and for that measure (see the module docs).
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

    /// The marks after a cycle that started with `self`, whose variant read began at Shopify's
    /// time `products_asked` and whose whole level read is `levels`, and took `took` (local
    /// clock) from its first read to its end.
    pub fn advance(
        self,
        levels: &LevelsRead,
        products_asked: Option<DateTime<Utc>>,
        full: bool,
        took: TimeDelta,
    ) -> Self {
        let products = match products_asked {
            Some(asked) => Some(asked - SEARCH_LAG),
            None if full => levels
                .newest
                .map(|t| t - took.max(TimeDelta::zero()) - OVERLAP),
            None => self.levels.map(|t| t - OVERLAP),
        };
        let settled = match levels.asked_at {
            Some(asked) => Some(asked - SEARCH_LAG),
            None => levels.newest,
        };
        Self {
            levels: self.levels.max(settled),
            products: self.products.max(products),
        }
    }
}

/// What a whole level read tells the marks: Shopify's time before its first page, and the
/// newest change it saw (both `None` when unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct LevelsRead {
    pub asked_at: Option<DateTime<Utc>>,
    pub newest: Option<DateTime<Utc>>,
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
    known.products_asked = shopify.shopify_time();
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

    /// A read that saw changes up to `newest` and no `Date` (the mark of before).
    fn saw(newest: Option<&str>) -> LevelsRead {
        LevelsRead {
            asked_at: None,
            newest: newest.map(at),
        }
    }

    #[test]
    fn marks_only_move_forward_and_never_past_what_was_read() {
        let m = Marks::default().advance(
            &saw(Some("2026-12-04T10:00:00Z")),
            None,
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
        let next = m.advance(
            &saw(Some("2026-12-04T10:15:00Z")),
            None,
            false,
            TimeDelta::zero(),
        );
        assert_eq!(next.levels, Some(at("2026-12-04T10:15:00Z")));
        assert_eq!(next.products, Some(at("2026-12-04T09:58:00Z")));
        // Nothing new: both stay. An older reading never moves a mark back.
        assert_eq!(
            next.advance(&saw(None), None, false, TimeDelta::zero())
                .levels,
            next.levels
        );
        let older = next.advance(
            &saw(Some("2026-12-01T00:00:00Z")),
            None,
            true,
            TimeDelta::zero(),
        );
        assert_eq!(older.levels, next.levels);
        assert_eq!(older.products, next.products);
    }

    #[test]
    fn a_second_is_asked_again_until_a_read_began_a_minute_after_it() {
        // 2,000 levels share 10:00:00; a read that began at 10:00:30 (Shopify's Date) saw them.
        let bulk = "2026-12-04T10:00:00Z";
        let read = |asked: &str| LevelsRead {
            asked_at: Some(at(asked)),
            newest: Some(at(bulk)),
        };
        let m = Marks {
            levels: Some(at("2026-12-04T09:00:00Z")),
            products: None,
        };
        let recent = m.advance(
            &read("2026-12-04T10:00:30Z"),
            None,
            false,
            TimeDelta::zero(),
        );
        assert!(
            recent.levels <= Some(at(bulk)),
            "a recent second is asked again (a late-listed change, or one later in it)"
        );
        // Once a whole read began more than a minute after it, that second is behind the mark.
        let old = recent.advance(
            &read("2026-12-04T10:01:01Z"),
            None,
            false,
            TimeDelta::zero(),
        );
        assert_eq!(old.levels, Some(at("2026-12-04T10:00:01Z")));
        // A change seen newer than the settled time stays in the next read.
        let busy = LevelsRead {
            asked_at: Some(at("2026-12-04T10:05:00Z")),
            newest: Some(at("2026-12-04T10:04:58Z")),
        };
        let next = old.advance(&busy, None, false, TimeDelta::zero());
        assert_eq!(next.levels, Some(at("2026-12-04T10:04:00Z")));
        // A stale Date (an answer long before the read) never moves the mark back.
        let stale = next.advance(
            &read("2026-12-04T10:00:10Z"),
            None,
            false,
            TimeDelta::zero(),
        );
        assert_eq!(stale.levels, next.levels);
    }

    #[test]
    fn the_variants_mark_is_the_search_lag_before_their_read_began() {
        let m = Marks {
            levels: Some(at("2026-12-04T10:00:00Z")),
            products: Some(at("2026-12-04T09:00:00Z")),
        };
        let asked = Some(at("2026-12-04T10:30:00Z"));
        let next = m.advance(&saw(None), asked, false, TimeDelta::zero());
        assert_eq!(next.products, Some(at("2026-12-04T10:29:00Z")));
        // Never back, whatever the Date says.
        let back = next.advance(
            &saw(None),
            Some(at("2026-12-04T10:00:00Z")),
            true,
            TimeDelta::zero(),
        );
        assert_eq!(back.products, next.products);
    }
}
