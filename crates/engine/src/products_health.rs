//! The products health check on the connected shop (issue 15), before the first sync writes
//! anything: the whole Shopify catalogue and the billing warehouse's stock, read and never
//! stored or written, sorted by core's `health_check` with the same matching rules as the sync.

use punte_core::health::{HealthReport, health_check};

use crate::context::Ctx;
use crate::error::EngineError;

/// Reads both sides and sorts them into the six groups.
pub(crate) async fn products_health(ctx: &Ctx) -> Result<HealthReport, EngineError> {
    let shopify = ctx.shopify()?;
    let variants = shopify.catalogue().await?;
    let billing = ctx.billing().await?;
    ctx.billing_call();
    let products = billing
        .stock(&ctx.config.connections.warehouse, None)
        .await?;
    Ok(health_check(
        ctx.config.settings.code_source,
        &variants,
        &products,
    ))
}
