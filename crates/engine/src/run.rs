//! A run's bookkeeping: the `sync_runs` row, API calls counted from the clients' own counters
//! (Shopify HTTP requests, billing operations), and the `RunFinished` event.
//!
//! Quiet looks (issue 19): a look runs every 10–60 s, so a shop where nothing happens would
//! fill History with ~180 identical rows an hour. An automatic run that imported nothing,
//! wrote nothing and ended as the one before it (ok, the same findings) joins that row: the
//! row's end moves, its calls add up and `detail` counts the looks (`{"outcome":"ok",
//! "quiet_looks":N}`). Anything else starts a new row; so does a run after it.

use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use punte_shopify::{ShopifyClient, Stats};
use punte_store::{RunEnd, RunId, Store, StoreError};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::{ApiCalls, EngineEvent, Outcome, RunCounts, RunSummary};

/// Counters at the start of a run.
pub(crate) struct RunMeter {
    pub run: Option<RunId>,
    started: DateTime<Utc>,
    shopify: Stats,
    billing: u64,
}

impl RunMeter {
    /// Starts measuring; with `record`, a `sync_runs` row is opened.
    pub async fn start(
        ctx: &Ctx,
        shopify: &ShopifyClient,
        record: bool,
    ) -> Result<Self, EngineError> {
        let started = ctx.now();
        let run = if record {
            Some(ctx.store().call(move |s| s.start_run(started)).await?)
        } else {
            None
        };
        Ok(Self {
            run,
            started,
            shopify: shopify.stats(),
            billing: ctx.billing_calls.load(Ordering::Relaxed),
        })
    }

    /// Opens the row of a run started without one, dated from its start: an orders look
    /// (`jobs::orders_look`) records a row only when it found something.
    pub async fn record(&mut self, ctx: &Ctx) -> Result<(), EngineError> {
        let started = self.started;
        self.run = Some(ctx.store().call(move |s| s.start_run(started)).await?);
        Ok(())
    }

    /// Closes the run (row and event) and returns its summary. With `may_join` (a run the
    /// scheduler started), a quiet one (see the module) joins the row before it when that one
    /// is a quiet stretch with the same findings.
    pub async fn finish(
        &self,
        ctx: &Ctx,
        shopify: &ShopifyClient,
        counts: &RunCounts,
        outcome: &Outcome,
        writes: u64,
        may_join: bool,
    ) -> Result<RunSummary, EngineError> {
        let quiet = may_join
            && *outcome == Outcome::Ok
            && writes == 0
            && RunCounts {
                products_in_scope: 0,
                findings: 0,
                ..*counts
            } == RunCounts::default();
        let finished = ctx.now();
        let calls = ApiCalls {
            shopify: shopify.stats().requests - self.shopify.requests,
            shopify_throttled: shopify.stats().throttled - self.shopify.throttled,
            shopify_writes: writes,
            billing: ctx.billing_calls.load(Ordering::Relaxed) - self.billing,
        };
        let mut summary = RunSummary {
            run_id: self.run.map(|r| r.0),
            counts: *counts,
            calls,
            outcome: outcome.clone(),
            started_at: self.started,
            finished_at: finished,
        };
        if let Some(run) = self.run {
            let end = RunEnd {
                outcome: outcome.word().to_owned(),
                orders_imported: counts.orders_imported,
                products_read: counts.products_in_scope,
                products_written: counts.products_written,
                findings: counts.findings,
                shopify_calls: calls.shopify,
                billing_calls: calls.billing,
                detail: serde_json::to_string(outcome).ok(),
            };
            let kept = ctx
                .store()
                .call(move |s| {
                    if quiet {
                        return fold_quiet(s, run, finished, end);
                    }
                    s.finish_run(run, finished, &end)?;
                    Ok(run)
                })
                .await?;
            summary.run_id = Some(kept.0);
            ctx.emit(EngineEvent::RunFinished(summary.clone()));
        }
        Ok(summary)
    }
}

/// Finishes a quiet run: folded into the row before it when that row is a quiet stretch with
/// the same findings, else the first of a stretch. Returns the row that holds it.
fn fold_quiet(
    s: &mut Store,
    run: RunId,
    at: DateTime<Utc>,
    mut end: RunEnd,
) -> Result<RunId, StoreError> {
    let looks = |e: &RunEnd| {
        let detail: serde_json::Value = serde_json::from_str(e.detail.as_deref()?).ok()?;
        detail.get(QUIET_LOOKS)?.as_u64()
    };
    let stretch = s.run_before(run)?.and_then(|p| {
        let prev = p.end?;
        let n = looks(&prev)
            .filter(|_| prev.outcome == end.outcome && prev.findings == end.findings)?;
        Some((p.id, prev, n))
    });
    let with_looks =
        |n: u64| Some(serde_json::json!({"outcome": "ok", QUIET_LOOKS: n}).to_string());
    if let Some((into, prev, n)) = stretch {
        let joined = RunEnd {
            products_read: prev.products_read + end.products_read,
            shopify_calls: prev.shopify_calls + end.shopify_calls,
            billing_calls: prev.billing_calls + end.billing_calls,
            detail: with_looks(n + 1),
            ..end.clone()
        };
        if s.fold_run(run, into, at, &joined)? {
            return Ok(into);
        }
    }
    end.detail = with_looks(1);
    s.finish_run(run, at, &end)?;
    Ok(run)
}

/// The count of looks a quiet row holds, in its `detail`.
const QUIET_LOOKS: &str = "quiet_looks";
