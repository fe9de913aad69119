//! After a cycle's writes: keep B, the levels read and the levels written as the base of the
//! next incremental cycle, and clear the dirty codes this cycle settled. Codes whose write did
//! not go out, codes deferred to the next step 1, codes an import in this cycle touched after
//! their level was read (unless written) and new products held by the schedule stay dirty.
//! Nothing is kept when the run was halted or awaits confirmation (the marks of the
//! changed-since reads stay too, so the next cycle reads the same changes again).

use std::collections::{BTreeSet, HashSet};

use punte_core::product::{BillingProduct, InventoryItemId, ProductCode};
use punte_store::{RunId, ShopifyLevel};

use crate::changes::Marks;
use crate::context::Ctx;
use crate::error::EngineError;
use crate::kv;
use crate::seen;

/// What a cycle hands to [`settle`].
pub(crate) struct Settle {
    /// Codes matched between Shopify and billing.
    pub matched: HashSet<ProductCode>,
    /// Codes this cycle planned.
    pub handled: HashSet<ProductCode>,
    /// Codes that stay dirty whatever happened (unsent, deferred).
    pub keep: Vec<ProductCode>,
    /// New products the schedule holds back.
    pub held: HashSet<ProductCode>,
    /// Codes this cycle's imports touched after step 1 read the levels: their R may have
    /// moved after A₀, so they stay dirty unless Punte wrote them (compare-and-set passed).
    pub touched: BTreeSet<ProductCode>,
    pub products: Vec<BillingProduct>,
    /// Step 1 levels (item, code, A₀).
    pub read: Vec<(InventoryItemId, ProductCode, i64)>,
    /// Levels Punte wrote.
    pub written: Vec<(ProductCode, i64)>,
    /// The plan was carried out (fully or partly).
    pub checked: bool,
    pub run: Option<RunId>,
    /// Where the next incremental cycle's changed-since reads start.
    pub marks: Marks,
}

pub(crate) async fn settle(ctx: &Ctx, x: Settle) -> Result<(), EngineError> {
    let at = ctx.now();
    let location_id = ctx.config.connections.location_id;
    ctx.store()
        .call(move |s| {
            // Levels Punte wrote are known even when the run stops later.
            seen::wrote(s, &x.written, at)?;
            if !x.checked {
                return Ok(());
            }
            let levels: Vec<ShopifyLevel> = x
                .read
                .iter()
                .map(|(id, _, a)| ShopifyLevel {
                    inventory_item_id: *id,
                    location_id,
                    available: *a,
                    read_at: at,
                })
                .collect();
            // Levels first: a crash here only makes the next cycle look again.
            s.record_shopify_levels(&levels)?;
            s.record_billing_stock(&x.products, x.run, at)?;
            kv::write(s, kv::BILLING_COUNT, &x.products.len(), at)?;
            kv::write(s, kv::CHANGE_MARKS, &x.marks, at)?;
            let dirty: BTreeSet<ProductCode> = kv::read(s, kv::DIRTY_CODES)?.unwrap_or_default();
            let wrote: HashSet<&ProductCode> = x.written.iter().map(|(c, _)| c).collect();
            let settled = |c: &ProductCode| {
                x.handled.contains(c) && (!x.touched.contains(c) || wrote.contains(c))
            };
            let left: BTreeSet<ProductCode> = dirty
                .into_iter()
                .filter(|c| x.matched.contains(c) && !settled(c))
                .chain(x.keep)
                .chain(x.held.into_iter().filter(|c| x.matched.contains(c)))
                .collect();
            kv::write(s, kv::DIRTY_CODES, &left, at)
        })
        .await?;
    Ok(())
}
