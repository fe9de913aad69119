//! Cash-on-delivery orders unpaid after the merchant's N days (issue 17): after each orders
//! job, the orders that crossed the line since the last look are notified, once each. The set
//! told is kept (pruned to the orders still unpaid) in a settings row, as the stale open
//! orders are, so a restart or a crash does not tell the merchant again.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use punte_core::order::OrderId;

use crate::context::Ctx;
use crate::error::EngineError;
use crate::kv;
use crate::notify::NotificationEvent;

/// Cash-on-delivery orders already notified unpaid (one notification per order).
pub(crate) const COD_UNPAID_NOTIFIED: &str = "engine.cod_unpaid_notified";

/// Notifies the cash-on-delivery orders newly unpaid after N days; returns them.
pub(crate) async fn notify_unpaid_cod(ctx: &Ctx) -> Result<Vec<OrderId>, EngineError> {
    let days = ctx.config.settings.cod_unpaid_days;
    let at = ctx.now();
    let before = at - TimeDelta::days(i64::from(days));
    let fresh = ctx
        .store()
        .call(move |s| {
            let unpaid = s.unpaid_cash_on_delivery(before)?;
            let told: BTreeSet<OrderId> = kv::read(s, COD_UNPAID_NOTIFIED)?.unwrap_or_default();
            let fresh: Vec<OrderId> = unpaid
                .iter()
                .copied()
                .filter(|o| !told.contains(o))
                .collect();
            let now: BTreeSet<OrderId> = unpaid.into_iter().collect();
            if now != told {
                kv::write(s, COD_UNPAID_NOTIFIED, &now, at)?;
            }
            Ok(fresh)
        })
        .await?;
    if !fresh.is_empty() {
        ctx.notify(NotificationEvent::CodUnpaid {
            orders: fresh.clone(),
            days,
        });
    }
    Ok(fresh)
}
