//! What the engine tells the shell while it works: progress for the bars, run results, order
//! state changes, status and findings. Every event serialises as `{"type": …, …}` so the shell
//! forwards it to the UI unchanged; one batched event per run or import, never one per row.

use chrono::{DateTime, Utc};
use punte_core::order::{OrderId, OrderState};
use serde::{Deserialize, Serialize};

pub use crate::catch_up::RunReason;
use crate::error::ErrorInfo;

/// A step of a job, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    ReadCatalogue,
    ReadBilling,
    ReadLevels,
    ImportOrders,
    Plan,
    WriteLevels,
    Invoicing,
    Reversals,
}

/// Counters of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCounts {
    pub orders_imported: u64,
    pub products_in_scope: u64,
    pub products_written: u64,
    /// Writes Shopify refused (the others went through); each is a `write_failed` finding and
    /// is tried again next cycle. The run is then Partial.
    #[serde(default)]
    pub writes_failed: u64,
    pub stale_retries: u64,
    pub findings: u64,
    pub invoices_issued: u64,
    /// Writes the plan wanted and did not send because the stock sync is off ("Sync warehouse
    /// stock" unticked): Shopify's levels were read, not changed.
    #[serde(default)]
    pub products_not_synced: u64,
}

/// API calls of one run (HTTP requests for Shopify; operations for billing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiCalls {
    pub shopify: u64,
    /// Of which answered THROTTLED and repeated after the wait (Shopify's cost bucket).
    pub shopify_throttled: u64,
    /// Of which `inventorySetQuantities` mutations.
    pub shopify_writes: u64,
    pub billing: u64,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    /// Some writes were not done (they wait for the next run).
    Partial,
    /// Nothing written: the billing read looked broken.
    Halted {
        reason: String,
    },
    /// The run changes more than the set share; `apply_confirmed` applies it.
    AwaitingConfirmation {
        changing: usize,
        in_scope: usize,
    },
    Failed {
        error: ErrorInfo,
    },
}

impl Outcome {
    /// The word stored in `sync_runs.outcome`.
    #[must_use]
    pub fn word(&self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Partial => "partial",
            Self::Halted { .. } => "halted",
            Self::AwaitingConfirmation { .. } => "awaiting_confirmation",
            Self::Failed { .. } => "failed",
        }
    }
}

/// What a finished run reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    pub run_id: Option<i64>,
    pub counts: RunCounts,
    pub calls: ApiCalls,
    pub outcome: Outcome,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
}

impl RunSummary {
    /// One summary for two runs done one after the other (`earlier`, then `self`): counters and
    /// calls add up, the outcome is this run's, the time span covers both.
    #[must_use]
    pub fn after(mut self, earlier: &RunSummary) -> RunSummary {
        let (c, e) = (&mut self.counts, &earlier.counts);
        c.orders_imported += e.orders_imported;
        c.invoices_issued += e.invoices_issued;
        c.findings += e.findings;
        c.products_written += e.products_written;
        c.stale_retries += e.stale_retries;
        let (k, e) = (&mut self.calls, &earlier.calls);
        k.shopify += e.shopify;
        k.shopify_throttled += e.shopify_throttled;
        k.shopify_writes += e.shopify_writes;
        k.billing += e.billing;
        self.started_at = self.started_at.min(earlier.started_at);
        self
    }
}

/// Whether the scheduler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Running,
    Paused,
    Stopped,
}

/// The engine's state for the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub state: RunState,
    /// `None` while every service answers.
    pub offline_since: Option<DateTime<Utc>>,
    pub last_sync: Option<DateTime<Utc>>,
    pub next_sync: Option<DateTime<Utc>>,
    /// A stock run waits for confirmation.
    pub awaiting_confirmation: bool,
    pub last_error: Option<ErrorInfo>,
    /// Why the last run started (the status bar words the code: on time, first run, missed
    /// while closed, missed while asleep, by hand).
    #[serde(default)]
    pub last_run_reason: Option<RunReason>,
    /// How often Punte looks for changes and what share of the billing limit that uses
    /// (`None` until the first look, or with looks off).
    #[serde(default)]
    pub freshness: Option<crate::freshness::FreshnessStatus>,
}

impl Default for Status {
    fn default() -> Self {
        Self {
            state: RunState::Running,
            offline_since: None,
            last_sync: None,
            next_sync: None,
            awaiting_confirmation: false,
            last_error: None,
            last_run_reason: None,
            freshness: None,
        }
    }
}

/// Everything the engine emits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EngineEvent {
    Progress {
        phase: Phase,
        done: u64,
        total: u64,
    },
    RunFinished(RunSummary),
    OrderStateChanged {
        order: OrderId,
        from: Option<OrderState>,
        to: OrderState,
    },
    Status(Status),
    /// Open findings changed; `new` were not seen before.
    FindingsChanged {
        open: usize,
        new: usize,
    },
}
