//! The scheduler's looks (issue 19): when the next one wakes, a billing look (an incremental
//! stock cycle, when the billing budget allows one) and, while that budget makes it wait, an
//! orders look every `Timing::orders_every`. Split from `scheduler` to keep each file short;
//! the look itself imports orders while its billing read waits (`mid_read`).

use std::sync::atomic::Ordering;

use chrono::TimeDelta;

use super::Scheduler;
use crate::catch_up::RunReason;
use crate::cycle::{Mode, Reach};
use crate::freshness;
use crate::jobs::orders_look;

impl Scheduler {
    /// When the next look (billing or orders) is due, once a look has run: the earlier of the
    /// billing budget's next look and an orders look `Timing::orders_every` after the last
    /// import.
    pub(super) fn wake(&self) -> Option<tokio::time::Instant> {
        let next = self.next_look.filter(|_| self.look_timer)?;
        let orders = self
            .last_orders
            .map(|t| t + self.ctx.config.timing.orders_every);
        Some(orders.map_or(next, |o| o.min(next)))
    }

    /// A look for changes (`freshness`), when the merchant has looks on, no backoff waits and
    /// the billing budget allows one: an incremental stock cycle, which imports the orders
    /// changed since the cursor and writes only the codes whose target moved. It counts as the
    /// stock sync, not as the orders job: a look imports orders but never drains the outbox,
    /// issues credit notes, collections or reversals, so the orders job keeps its own interval
    /// beside the looks. While the budget makes the billing look wait, an orders look runs every `Timing::orders_every`
    /// (and the look itself imports them while its billing read waits, `mid_read`).
    pub(super) async fn look(&mut self) {
        let settings = self.ctx.config.settings.freshness;
        let mono = tokio::time::Instant::now();
        if !settings.watch || self.looks_held || self.retry_at.is_some_and(|t| self.ctx.now() < t) {
            return;
        }
        if self.next_look.is_some_and(|t| mono < t) {
            let every = self.ctx.config.timing.orders_every;
            if self.last_orders.is_none_or(|t| mono >= t + every) {
                self.orders_look(mono).await;
            }
            return;
        }
        let Ok(billing) = self.ctx.billing().await else {
            return;
        };
        let products = self.ctx.billing_products.load(Ordering::Relaxed);
        let (every, freshness) =
            freshness::look_every(billing.kind(), &billing.stock_paging(), products, settings);
        self.next_look = Some(mono + every);
        self.set_status(|s| {
            s.last_run_reason = Some(RunReason::Scheduled);
            s.freshness = Some(freshness);
        });
        let now = self.ctx.now();
        self.last_orders = Some(mono);
        self.look_timer = true;
        let ok = self
            .stock(Reach::Incremental, Mode::Apply, true)
            .await
            .is_ok();
        // The warehouse's size is known after the first read: show the cadence it allows.
        let products = self.ctx.billing_products.load(Ordering::Relaxed);
        let (every, freshness) =
            freshness::look_every(billing.kind(), &billing.stock_paging(), products, settings);
        self.next_look = Some(mono + every);
        let next = TimeDelta::from_std(every)
            .ok()
            .filter(|_| ok)
            .map(|d| now + d);
        self.set_status(|s| {
            s.freshness = Some(freshness);
            s.next_sync = s.next_sync.min(next).or(next);
        });
    }

    /// The orders changed since the cursor, between two billing looks (`jobs::orders_look`).
    pub(super) async fn orders_look(&mut self, mono: tokio::time::Instant) {
        self.last_orders = Some(mono);
        self.look_timer = true;
        let now = self.ctx.now();
        let r = orders_look(&self.ctx).await;
        // Nothing came and nothing was wrong: no status change and no write (every 10 s).
        if !matches!(r, Ok(None)) || self.failures > 0 {
            self.after(&r, now).await;
        }
    }
}
