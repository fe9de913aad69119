//! Orders while the billing warehouse is read (issue 19). FGO lists 200 articles per 30 s, so a
//! look at 600 products holds the scheduler for 64 s of every 96 s (Oblio's 80 pages at
//! 20,000 products for about 33 s), and an orders look cannot run inside a look: an order
//! placed meanwhile waited for the read's end (FGO: p95 80 s). Now, while a cycle that applies
//! its plan waits for a billing page (or a whole read), the orders changed since the cursor are
//! imported every `Timing::orders_every` (10 s) after the last import: reservations recorded,
//! codes marked dirty, InStock verdicts refreshed, as an orders look does.
//!
//! The choice: the import runs in the look's own task, joined with the billing request it waits
//! for, not as a second job beside the look. The cycle stays the only writer of its plan and of
//! Shopify's levels; nothing shared needs a lock; the import's Shopify read overlaps FGO's
//! pacing wait, and a page that answers meanwhile is taken as soon as the import ends. It runs
//! only with looks on (looks off keep the fixed schedule of before, the xConnector baseline)
//! and never in a preview. A failed import is logged and ends imports for this read: the next
//! look's step 2 reads the same orders (the cursor moves only after a commit).
//!
//! The plan stays safe with orders imported after R was taken and before (or between) its
//! billing pages (`design/stock-model.md`: R before B, so a target can only be too low):
//! - R widens, never narrows: after a page read during which orders came, the plan uses, per
//!   code, the larger of R taken before the read and R now. A new order is in the target at
//!   once; an R that fell (a cancellation, a voided payment) keeps the lower target of R taken
//!   before B, as before.
//! - Every code such an import touched stays dirty whatever this look wrote, so the next look
//!   re-reads its level at step 1 and plans it with R and B taken in order.
//! - A write still carries `changeFromQuantity = A₀`, read before the order was placed: it comes
//!   back stale, is re-read, re-imported and re-planned with R as the store has it (`write`).
//! - A level written early (`paged`) is not recorded again at the end of the run for a code
//!   such an import touched, so the order's movement recorded after it (`seen`) is kept.

use std::collections::BTreeSet;
use std::future::Future;

use punte_core::product::ProductCode;
use punte_core::reservation::Reservations;
use punte_store::Finding;
use tokio::sync::Notify;
use tokio::time::{Instant, sleep_until};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::Phase;
use crate::import::{Imported, import_orders};
use crate::in_stock::refresh_in_stock;

/// The orders imported during one cycle's billing read.
pub(crate) struct MidRead {
    /// How often to import; `None`: not during this read.
    every: Option<std::time::Duration>,
    /// The last import (the cycle's own, at step 2, then each of these).
    last: Instant,
    /// What the imports did, for the run's counts, invoices and findings.
    imported: Imported,
    /// Orders came since R was last widened.
    fresh: bool,
}

impl MidRead {
    /// Right after the cycle's own import; `on` for a cycle that imports (not a preview).
    pub fn new(ctx: &Ctx, on: bool) -> Self {
        let on = on && ctx.config.settings.freshness.watch;
        Self {
            every: on.then_some(ctx.config.timing.orders_every),
            last: Instant::now(),
            imported: Imported::default(),
            fresh: false,
        }
    }

    /// Awaits `read`, importing orders meanwhile; `progress` is the billing read's, shown
    /// again after an import.
    pub async fn during<T>(
        &mut self,
        ctx: &Ctx,
        progress: (u64, u64),
        read: impl Future<Output = T>,
    ) -> T {
        let Some(every) = self.every else {
            return read.await;
        };
        let done = Notify::new();
        let read = async {
            let r = read.await;
            done.notify_one();
            r
        };
        let orders = async {
            loop {
                tokio::select! {
                    biased;
                    () = done.notified() => break,
                    () = sleep_until(self.last + every) => {
                        if !self.import(ctx).await {
                            break;
                        }
                        ctx.progress(Phase::ReadBilling, progress.0, progress.1);
                    }
                }
            }
        };
        tokio::join!(read, orders).0
    }

    /// One import; false when it failed (no more during this read).
    async fn import(&mut self, ctx: &Ctx) -> bool {
        self.last = Instant::now();
        let imported = match import_orders(ctx).await {
            Ok(i) => i,
            Err(e) => {
                tracing::warn!(error = %e, "orders not imported during the billing read");
                self.every = None;
                return false;
            }
        };
        if imported.orders > 0 {
            self.fresh = true;
            if let Err(e) = refresh_in_stock(ctx).await {
                tracing::warn!(error = %e, "InStock verdicts not refreshed during the read");
            }
        }
        let into = &mut self.imported;
        into.orders += imported.orders;
        into.to_reverse.extend(imported.to_reverse);
        into.to_invoice.extend(imported.to_invoice);
        into.touched.extend(imported.touched);
        into.findings.extend(imported.findings);
        true
    }

    /// After a read during which orders came: `r` becomes, per code, the larger of itself and R
    /// as the store has it now (see the module).
    pub async fn widen(&mut self, ctx: &Ctx, r: &mut Reservations) -> Result<(), EngineError> {
        if !std::mem::take(&mut self.fresh) {
            return Ok(());
        }
        let now = ctx.store().call(|s| s.reservations()).await?;
        let before = std::mem::take(r);
        let codes: BTreeSet<&ProductCode> = before
            .sorted()
            .into_iter()
            .chain(now.sorted())
            .map(|(c, _)| c)
            .collect();
        *r = codes
            .into_iter()
            .map(|c| (c.clone(), before.of(c).max(now.of(c))))
            .collect();
        Ok(())
    }

    /// Adds what these imports did to the cycle's import and findings; returns the codes they
    /// touched, which stay dirty for the next look.
    pub fn finish(self, into: &mut Imported, findings: &mut Vec<Finding>) -> BTreeSet<ProductCode> {
        let mine = self.imported;
        into.orders += mine.orders;
        into.to_reverse.extend(mine.to_reverse);
        into.to_invoice.extend(mine.to_invoice);
        findings.extend(mine.findings);
        mine.touched
    }
}
