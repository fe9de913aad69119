//! e-Factura (SPV) follow-up after each orders job: invoices Punte confirmed in the last
//! [`TRACK_DAYS`] days are tracked; up to [`READS_PER_RUN`] of those a read may change (not
//! accepted, not "sent by the service") and not read in the last [`RECHECK`] are read through
//! the billing client, which paces every call within the service's persisted call windows
//! (Oblio: one list read, or one upload for an invoice still not sent; SmartBill and FGO make
//! no call). A rejection, and an invoice close to its five-working-day deadline, are each
//! notified once. A failed read stops this run's reads and never fails the orders job.

use chrono::{Days, TimeDelta};
use punte_core::efactura::{Countdown, SpvState};
use punte_core::schedule::BUCHAREST;
use punte_store::EfacturaNotice;

use crate::context::Ctx;
use crate::error::EngineError;
use crate::notify::NotificationEvent;

/// Invoices confirmed this recently are tracked (older ones are past any deadline).
pub(crate) const TRACK_DAYS: u64 = 30;
/// Reads per orders job: well under Oblio's 30 calls / 10 s, leaving room for invoicing.
pub(crate) const READS_PER_RUN: usize = 8;
/// An invoice is not read again sooner than this.
pub(crate) const RECHECK: TimeDelta = TimeDelta::minutes(10);

/// Tracks new invoices, reads what is due, notifies rejections and near deadlines.
pub(crate) async fn follow_efactura(ctx: &Ctx) -> Result<(), EngineError> {
    let now = ctx.now();
    let today = now.with_timezone(&BUCHAREST).date_naive();
    let since = now - TimeDelta::days(TRACK_DAYS as i64);
    ctx.store()
        .call(move |s| {
            for inv in s.untracked_invoices(since, 500)? {
                let issued = inv.confirmed_at.with_timezone(&BUCHAREST).date_naive();
                s.track_efactura(&inv, issued, now)?;
            }
            Ok(())
        })
        .await?;
    let issued_since = today - Days::new(TRACK_DAYS);
    let due = ctx
        .store()
        .call(move |s| s.efactura_due(issued_since, now - RECHECK, READS_PER_RUN))
        .await?;
    if !due.is_empty() {
        let billing = ctx.billing().await?;
        for row in due {
            let invoice = punte_billing::InvoiceRef {
                series: row.series.clone(),
                number: row.number.clone(),
                link: row.link.clone(),
            };
            ctx.billing_call();
            // Read first: the service may have sent it by itself (its own e-Factura setting);
            // upload only what it still shows as not sent.
            let read = match billing.efactura_state(&invoice).await {
                Ok(SpvState::NotSent) => billing.send_efactura(&invoice).await,
                other => other,
            };
            let order = row.order_id;
            let state = match read {
                Ok(state) => state,
                Err(e) if e.is_transient() => {
                    tracing::warn!(order = order.0, error = %e, "e-Factura read failed");
                    break;
                }
                Err(e) => {
                    // Refused for this invoice only: keep its state, read it again later, and
                    // let the others be read (one bad invoice must not starve the rest).
                    tracing::warn!(order = order.0, error = %e, "e-Factura read refused");
                    row.state.clone()
                }
            };
            ctx.store()
                .call(move |s| s.set_efactura_state(order, &state, now))
                .await?;
        }
    }
    notify_once(ctx, today).await
}

/// Each rejection and each near deadline, once per invoice.
async fn notify_once(ctx: &Ctx, today: chrono::NaiveDate) -> Result<(), EngineError> {
    let events = ctx
        .store()
        .call(move |s| {
            let mut out = Vec::new();
            for row in s.efactura_awaiting()? {
                let invoice = format!("{} {}", row.series, row.number);
                if let SpvState::Rejected { reason } = &row.state
                    && s.mark_efactura_notified(row.order_id, EfacturaNotice::Rejected)?
                {
                    out.push(NotificationEvent::EfacturaRejected {
                        order: row.order_id,
                        invoice: invoice.clone(),
                        reason: reason.clone(),
                    });
                }
                let countdown = Countdown::new(row.issued_on, today);
                if countdown.is_close()
                    && s.mark_efactura_notified(row.order_id, EfacturaNotice::Deadline)?
                {
                    out.push(NotificationEvent::EfacturaDeadline {
                        order: row.order_id,
                        invoice,
                        deadline: countdown.deadline,
                        working_days_left: countdown.working_days_left,
                    });
                }
            }
            Ok(out)
        })
        .await?;
    for e in events {
        ctx.notify(e);
    }
    Ok(())
}
