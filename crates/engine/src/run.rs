//! A run's bookkeeping: the `sync_runs` row, API calls counted from the clients' own counters
//! (Shopify HTTP requests, billing operations), and the `RunFinished` event.

use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use punte_shopify::{ShopifyClient, Stats};
use punte_store::{RunEnd, RunId};

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

    /// Closes the run (row and event) and returns its summary.
    pub async fn finish(
        &self,
        ctx: &Ctx,
        shopify: &ShopifyClient,
        counts: &RunCounts,
        outcome: &Outcome,
        writes: u64,
    ) -> Result<RunSummary, EngineError> {
        let finished = ctx.now();
        let calls = ApiCalls {
            shopify: shopify.stats().requests - self.shopify.requests,
            shopify_throttled: shopify.stats().throttled - self.shopify.throttled,
            shopify_writes: writes,
            billing: ctx.billing_calls.load(Ordering::Relaxed) - self.billing,
        };
        let summary = RunSummary {
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
            ctx.store()
                .call(move |s| s.finish_run(run, finished, &end))
                .await?;
            ctx.emit(EngineEvent::RunFinished(summary.clone()));
        }
        Ok(summary)
    }
}
