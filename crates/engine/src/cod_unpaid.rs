//! Cash-on-delivery orders unpaid after the merchant's N days (issue 17): after each orders
//! job, the orders that crossed the line since the last look are notified, once each. The set
//! told is kept (pruned to the orders still unpaid) in a settings row, as the stale open
//! orders are, so a restart or a crash does not tell the merchant again. Orders the first
//! import found handled before Punte was connected are not told one by one (a real shop
//! brings hundreds, most collected the old way): their count is told once, and the Orders
//! filter "from before Punte" lists them.

use std::collections::BTreeSet;

use chrono::TimeDelta;
use punte_core::order::OrderId;
use punte_store::CodEra;

use crate::context::Ctx;
use crate::error::EngineError;
use crate::kv;
use crate::notify::NotificationEvent;

/// Cash-on-delivery orders already notified unpaid (one notification per order).
pub(crate) const COD_UNPAID_NOTIFIED: &str = "engine.cod_unpaid_notified";
/// Whether the count of unpaid orders from before the connection was told (once).
pub(crate) const COD_UNPAID_BEFORE_TOLD: &str = "engine.cod_unpaid_before_connection_told";

/// Notifies the cash-on-delivery orders newly unpaid after N days; returns them.
pub(crate) async fn notify_unpaid_cod(ctx: &Ctx) -> Result<Vec<OrderId>, EngineError> {
    let days = ctx.config.settings.cod_unpaid_days;
    let at = ctx.now();
    let before = at - TimeDelta::days(i64::from(days));
    let (fresh, earlier) = ctx
        .store()
        .call(move |s| {
            let unpaid = s.unpaid_cash_on_delivery(before, CodEra::SinceConnection)?;
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
            let mut earlier = None;
            if kv::read::<bool>(s, COD_UNPAID_BEFORE_TOLD)? != Some(true) {
                let count = s.count_unpaid_cod(before, CodEra::BeforeConnection)?;
                if count > 0 {
                    kv::write(s, COD_UNPAID_BEFORE_TOLD, &true, at)?;
                    earlier = Some(count);
                }
            }
            Ok((fresh, earlier))
        })
        .await?;
    if let Some(count) = earlier {
        ctx.notify(NotificationEvent::CodUnpaidBeforeConnection { count, days });
    }
    if !fresh.is_empty() {
        ctx.notify(NotificationEvent::CodUnpaid {
            orders: fresh.clone(),
            days,
        });
    }
    Ok(fresh)
}
