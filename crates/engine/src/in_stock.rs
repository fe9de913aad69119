//! InStock verdicts for the open orders, recomputed after every import and every stock sync:
//! `punte_core::instock::allocate_input` with Shopify's A per code as Punte last knew it (see
//! `seen`: the last read or written level, moved by the order changes imported since; for a
//! code last written as 0 instead of a negative target, that target, see `clamped`) over the
//! orders that reserve stock, read by the store straight into the compact input. It runs on
//! the store thread, so the async workers never wait on it.

use punte_core::instock::allocate_input;

use crate::clamped;
use crate::context::Ctx;
use crate::error::EngineError;

/// Recomputes and stores every verdict; returns how many orders were walked.
pub(crate) async fn refresh_in_stock(ctx: &Ctx) -> Result<usize, EngineError> {
    Ok(ctx
        .store()
        .call(|s| {
            let levels = clamped::in_stock_levels(s)?;
            let input = s.instock_input(&levels)?;
            let report = allocate_input(&input).into_report(&input);
            s.record_in_stock(&report)?;
            Ok(input.orders())
        })
        .await?)
}
