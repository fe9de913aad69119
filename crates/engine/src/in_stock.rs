//! InStock verdicts for the open orders, recomputed after every import, stock sync, invoice and
//! dispatch: `punte_core::instock::allocate_input` with Shopify's A per code as Punte last knew
//! it (see `seen`: the last read or written level, moved by the order changes imported since;
//! for a code last written as 0 instead of a negative target, that target, see `clamped`) over
//! the orders that reserve stock, kept in memory between refreshes (`instock_memory`: only the
//! orders changed since are read, only the verdicts that changed are written). It runs on the
//! store thread, so the async workers never wait on it.

use std::sync::Arc;

use crate::context::Ctx;
use crate::error::EngineError;
use crate::instock_memory::InStockMemory;

/// Brings every verdict up to date; returns how many orders were walked.
pub(crate) async fn refresh_in_stock(ctx: &Ctx) -> Result<usize, EngineError> {
    let memory = Arc::clone(&ctx.instock);
    Ok(ctx
        .store()
        .call(move |s| {
            let mut m = memory.lock().unwrap_or_else(|poisoned| {
                // A refresh panicked half-way: start again from the store.
                let mut m = poisoned.into_inner();
                *m = InStockMemory::default();
                m
            });
            memory.clear_poison();
            Ok(m.refresh_known_levels(s)?.orders)
        })
        .await?)
}

/// InStock after the merchant's own changes (an invoice with discharge or a dispatched order
/// frees what it held for the orders after it); cheap, since only the changed orders are read.
/// A failure is logged: the next import or sync refreshes anyway.
pub(crate) async fn refresh_after_command(ctx: &Ctx) {
    if let Err(e) = refresh_in_stock(ctx).await {
        tracing::warn!(error = %e, "InStock verdicts not refreshed; the next sync does it");
    }
}
