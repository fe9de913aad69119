//! `Engine::start` and the `EngineHandle` the shell keeps: every method sends a command to the
//! scheduler task and awaits its answer; `status()` reads the last published status without
//! waiting. Dropping the handle aborts the task (a job cut short is safe: every write is
//! transactional and invoices go through the outbox).

use std::sync::Arc;

use punte_core::order::OrderId;
use punte_core::plan::SyncPlan;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::collections::CollectionOutcome;
use crate::config::EngineConfig;
use crate::context::{Ctx, EngineDeps};
use crate::error::EngineError;
use crate::events::{EngineEvent, RunState, RunSummary, Status};
use crate::invoicing::InvoiceOutcome;
use crate::jobs::SyncScope;
use crate::lane::{self, LaneCommand};
use crate::review::Resolution;
use crate::scheduler::{Command, Scheduler};

/// Entry point.
pub struct Engine;

impl Engine {
    /// Starts the scheduler task on the current tokio runtime (call it from inside one, e.g.
    /// `tauri::async_runtime::spawn` or `block_on`). Nothing is sent to any service until the
    /// first tick or command.
    #[must_use]
    pub fn start(config: EngineConfig, deps: EngineDeps) -> EngineHandle {
        let (tx, rx) = mpsc::channel(64);
        let (status_tx, status_rx) = watch::channel(Status::default());
        let events = deps.events.clone();
        let stop_timeout = config.timing.stop_timeout;
        let ctx = Arc::new(Ctx::new(deps, config));
        let (lane_tx, lane_rx) = mpsc::channel(64);
        let lane_task = tokio::spawn(lane::run(Arc::clone(&ctx), lane_rx));
        let task = tokio::spawn(Scheduler::new(ctx, rx, status_tx).run());
        EngineHandle {
            commands: tx,
            lane: lane_tx,
            status: status_rx,
            events,
            task: Some(task),
            lane_task: Some(lane_task),
            stop_timeout,
        }
    }
}

/// The running engine. Methods wait until the scheduler has done the work.
pub struct EngineHandle {
    commands: mpsc::Sender<Command>,
    /// The invoice lane: invoicing from the window never waits behind a sync.
    lane: mpsc::Sender<LaneCommand>,
    status: watch::Receiver<Status>,
    events: broadcast::Sender<EngineEvent>,
    task: Option<JoinHandle<()>>,
    lane_task: Option<JoinHandle<()>>,
    stop_timeout: std::time::Duration,
}

impl EngineHandle {
    async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Command,
    ) -> Result<T, EngineError> {
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(make(tx))
            .await
            .map_err(|_| EngineError::Stopped)?;
        rx.await.map_err(|_| EngineError::Stopped)
    }

    /// Runs `scope` now (after the job in progress, if any) and returns its summary.
    ///
    /// # Errors
    /// The job's error (it also goes into the status and the backoff), or `engine.stopped`.
    pub async fn sync_now(&self, scope: SyncScope) -> Result<RunSummary, EngineError> {
        self.ask(|r| Command::SyncNow(scope, r)).await?
    }

    /// Dry run: reads and plans, writes nothing (no import either), returns the plan.
    ///
    /// # Errors
    /// A service or store error.
    pub async fn preview_sync(&self) -> Result<SyncPlan, EngineError> {
        self.ask(Command::Preview).await?
    }

    /// The products health check: both catalogues read, sorted into six groups, nothing
    /// written (issue 15: shown before the first sync).
    ///
    /// # Errors
    /// A service or secret error.
    pub async fn products_health(&self) -> Result<punte_core::health::HealthReport, EngineError> {
        self.ask(Command::Health).await?
    }

    /// Applies a stock run held by the "changes more than N%" rail (re-read and re-planned first).
    ///
    /// # Errors
    /// `engine.nothing_to_confirm` when no run waits.
    pub async fn apply_confirmed(&self) -> Result<RunSummary, EngineError> {
        self.ask(Command::ApplyConfirmed).await?
    }

    /// Invoices one order through the outbox (at most one invoice, whatever happens).
    ///
    /// # Errors
    /// Why the order cannot be invoiced, or a store error; service outages are an outcome.
    pub async fn issue_invoice(&self, order: OrderId) -> Result<InvoiceOutcome, EngineError> {
        let mut all = self.issue_invoices(vec![order]).await?;
        all.pop().map_or(Err(EngineError::Stopped), |(_, r)| r)
    }

    /// Invoices several orders, one after the other (the billing limits are per account), on
    /// the invoice lane: a sync in progress does not hold them up. Once the service answers
    /// with a block, the rest wait in the outbox, each answer saying until when.
    ///
    /// # Errors
    /// `engine.stopped` only; each order has its own result.
    pub async fn issue_invoices(
        &self,
        orders: Vec<OrderId>,
    ) -> Result<Vec<(OrderId, Result<InvoiceOutcome, EngineError>)>, EngineError> {
        let (tx, rx) = oneshot::channel();
        self.lane
            .send(LaneCommand::Invoice(orders, tx))
            .await
            .map_err(|_| EngineError::Stopped)?;
        rx.await.map_err(|_| EngineError::Stopped)
    }

    /// The merchant's way out of needs-review for `order`: link the invoice that exists, or
    /// issue it because it does not; either is checked against the billing service by reading
    /// before it is accepted, and written to the order's history.
    ///
    /// # Errors
    /// `engine.not_in_review`, `engine.resolution_refused` (with the reason), a billing error
    /// (the service could not be read), or `engine.stopped`.
    pub async fn resolve_review(
        &self,
        order: OrderId,
        resolution: Resolution,
    ) -> Result<InvoiceOutcome, EngineError> {
        let (tx, rx) = oneshot::channel();
        self.lane
            .send(LaneCommand::Resolve(order, resolution, tx))
            .await
            .map_err(|_| EngineError::Stopped)?;
        rx.await.map_err(|_| EngineError::Stopped)?
    }

    /// The merchant marks `order` paid (cash on delivery collected): the collection is recorded
    /// once on its invoice through the collection outbox, or waits for the invoice.
    ///
    /// # Errors
    /// Unknown order, a billing or store failure, or `engine.stopped`.
    pub async fn mark_collected(&self, order: OrderId) -> Result<CollectionOutcome, EngineError> {
        let (tx, rx) = oneshot::channel();
        self.lane
            .send(LaneCommand::Collect(order, tx))
            .await
            .map_err(|_| EngineError::Stopped)?;
        rx.await.map_err(|_| EngineError::Stopped)?
    }

    /// Marks one order Dispatched: its reservation ends and Shopify gets the quantity back at the
    /// next cycle (billing must be discharged another way; the UI says so).
    ///
    /// # Errors
    /// Unknown order, an order that cannot be dispatched (cancelled, already dispatched).
    pub async fn mark_dispatched(&self, order: OrderId) -> Result<(), EngineError> {
        let mut all = self.mark_dispatched_all(vec![order]).await?;
        all.pop().map_or(Err(EngineError::Stopped), |(_, r)| r)
    }

    /// Marks several orders Dispatched.
    ///
    /// # Errors
    /// `engine.stopped` only; each order has its own result.
    pub async fn mark_dispatched_all(
        &self,
        orders: Vec<OrderId>,
    ) -> Result<Vec<(OrderId, Result<(), EngineError>)>, EngineError> {
        self.ask(|r| Command::Dispatch(orders, r)).await
    }

    /// Stops the scheduled jobs (commands still work).
    pub async fn pause(&self) {
        let _ = self.commands.send(Command::Pause).await;
    }

    pub async fn resume(&self) {
        let _ = self.commands.send(Command::Resume).await;
    }

    /// The latest status, without waiting.
    #[must_use]
    pub fn status(&self) -> Status {
        self.status.borrow().clone()
    }

    /// A new receiver of the engine's events.
    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.events.subscribe()
    }

    /// Stops after the job in progress; aborts it if that takes longer than the stop timeout.
    pub async fn stop(mut self) {
        if let Some(lane) = self.lane_task.take() {
            lane.abort();
        }
        let _ = self.commands.send(Command::Stop).await;
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(self.stop_timeout, &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }

    /// Whether the scheduler task has ended.
    #[must_use]
    pub fn is_stopped(&self) -> bool {
        self.status.borrow().state == RunState::Stopped
            || self.task.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Drop for EngineHandle {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        if let Some(lane) = self.lane_task.take() {
            lane.abort();
        }
    }
}
