//! The one scheduler task: a command channel (sync now, pause, resume, stop and the merchant's
//! actions), a tick with `MissedTickBehavior::Skip` that runs what the core's schedule says is
//! due, and exponential backoff with jitter after a failure, reset on success. Jobs run one at a
//! time, so two syncs never overlap; the status ("offline since T", last and next sync) is
//! published on every change. The looks are in `scheduler_looks.rs`, what follows a job (backoff,
//! offline status) in `scheduler_after.rs`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use punte_core::health::HealthReport;
use punte_core::order::OrderId;
use punte_core::plan::SyncPlan;
use punte_core::schedule::{Job, LastRuns, due};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{MissedTickBehavior, interval};

use crate::catch_up::{self, RunReason, Tick};
use crate::context::Ctx;
use crate::cycle::{Mode, Reach, stock_cycle};
use crate::error::EngineError;
use crate::events::{EngineEvent, RunState, RunSummary, Status};
use crate::freshness;
use crate::in_stock::refresh_after_command;
use crate::jobs::{SyncScope, orders_job, stock_job};
use crate::kv;
use crate::lifecycle::mark_dispatched;
use crate::products_health::products_health;
use crate::store_health;

#[path = "scheduler_after.rs"]
mod after;
#[path = "scheduler_looks.rs"]
mod looks;

pub(crate) type Reply<T> = oneshot::Sender<Result<T, EngineError>>;

/// What the handle asks the scheduler to do.
pub(crate) enum Command {
    SyncNow(SyncScope, Reply<RunSummary>),
    Preview(Reply<SyncPlan>),
    Health(Reply<HealthReport>),
    ApplyConfirmed(Reply<RunSummary>),
    Dispatch(
        Vec<OrderId>,
        oneshot::Sender<Vec<(OrderId, Result<(), EngineError>)>>,
    ),
    Pause,
    Resume,
    Stop,
}

pub(crate) struct Scheduler {
    pub ctx: Arc<Ctx>,
    pub commands: mpsc::Receiver<Command>,
    pub status: watch::Sender<Status>,
    last: LastRuns,
    failures: u32,
    retry_at: Option<DateTime<Utc>>,
    full_done: bool,
    /// The last tick's clocks, to tell a wake from sleep (`catch_up`).
    last_tick: Option<Tick>,
    /// The database's full integrity check has ended and been reported (`store_health`).
    integrity_reported: bool,
    /// The next look may start at this instant (`freshness`).
    next_look: Option<tokio::time::Instant>,
    /// A look ran: the next one starts when it is due, not at the next tick (which would add
    /// up to a tick to every receipt's wait). Cleared when the timer fires.
    look_timer: bool,
    /// When the orders were last imported by a look: an orders look follows
    /// `Timing::orders_every` after it while the billing look is not due.
    last_orders: Option<tokio::time::Instant>,
    /// The last stock run was halted or waits for the merchant's confirmation: looks stop
    /// (the fixed schedule goes on) so a held run is not repeated and notified every few seconds.
    looks_held: bool,
}

impl Scheduler {
    pub fn new(
        ctx: Arc<Ctx>,
        commands: mpsc::Receiver<Command>,
        status: watch::Sender<Status>,
    ) -> Self {
        Self {
            ctx,
            commands,
            status,
            last: LastRuns::default(),
            failures: 0,
            retry_at: None,
            full_done: false,
            last_tick: None,
            integrity_reported: false,
            next_look: None,
            look_timer: false,
            last_orders: None,
            looks_held: false,
        }
    }

    pub async fn run(mut self) {
        self.last = kv::get(self.ctx.store(), kv::LAST_RUNS)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let timing = self.ctx.config.timing;
        let mut tick = interval(timing.tick);
        tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let started = tokio::time::Instant::now();
        loop {
            let wake = self.wake();
            tokio::select! {
                cmd = self.commands.recv() => match cmd {
                    None | Some(Command::Stop) => break,
                    Some(c) => self.command(c).await,
                },
                _ = tick.tick() => {
                    self.store_health().await;
                    let now = Tick { wall: self.ctx.now(), mono: started.elapsed() };
                    let previous = self.last_tick.replace(now);
                    if timing.scheduled && self.status.borrow().state == RunState::Running
                        && !self.run_due(previous, now).await
                    {
                        self.look().await;
                    }
                }
                () = tokio::time::sleep_until(wake.unwrap_or(started)), if wake.is_some() => {
                    self.look_timer = false;
                    if timing.scheduled && self.status.borrow().state == RunState::Running {
                        self.look().await;
                    }
                }
            }
        }
        self.set_status(|s| s.state = RunState::Stopped);
    }

    async fn command(&mut self, cmd: Command) {
        match cmd {
            Command::SyncNow(scope, reply) => {
                self.set_status(|s| s.last_run_reason = Some(RunReason::Manual));
                let r = self.sync(scope).await;
                let _ = reply.send(r);
            }
            Command::Preview(reply) => {
                // What Sync now would write: the whole catalogue and every level.
                let r = stock_cycle(&self.ctx, Reach::Full, Mode::Preview, false).await;
                let _ = reply.send(r.map(|(c, _)| c.plan));
            }
            Command::Health(reply) => {
                let _ = reply.send(products_health(&self.ctx).await);
            }
            Command::ApplyConfirmed(reply) => {
                let r = if self.status.borrow().awaiting_confirmation {
                    self.stock(Reach::Full, Mode::Confirmed, false).await
                } else {
                    Err(EngineError::NothingToConfirm)
                };
                let _ = reply.send(r);
            }
            Command::Dispatch(orders, reply) => {
                let mut out = Vec::new();
                for o in orders {
                    out.push((o, mark_dispatched(&self.ctx, o).await));
                }
                if out.iter().any(|(_, r)| r.is_ok()) {
                    refresh_after_command(&self.ctx).await;
                }
                let _ = reply.send(out);
            }
            Command::Pause => self.set_status(|s| s.state = RunState::Paused),
            Command::Resume => self.set_status(|s| s.state = RunState::Running),
            Command::Stop => {}
        }
    }

    async fn sync(&mut self, scope: SyncScope) -> Result<RunSummary, EngineError> {
        match scope {
            SyncScope::OrdersOnly => self.orders().await,
            SyncScope::StockOnly => self.stock(Reach::Incremental, Mode::Apply, false).await,
            SyncScope::Full => self.stock(Reach::Full, Mode::Apply, false).await,
            SyncScope::All => {
                let orders = self.orders().await?;
                let stock = self.stock(Reach::Full, Mode::Apply, false).await?;
                Ok(stock.after(&orders))
            }
        }
    }

    async fn orders(&mut self) -> Result<RunSummary, EngineError> {
        let now = self.ctx.now();
        // The job imports too: the next orders look waits a look's interval after it.
        self.last_orders = Some(tokio::time::Instant::now());
        let r = orders_job(&self.ctx).await;
        if r.is_ok() {
            self.last.order_import = Some(now);
        }
        self.after(&r, now).await;
        r
    }

    /// A stock run; `automatic` when a look or the schedule starts it (see `run`).
    async fn stock(
        &mut self,
        reach: Reach,
        mode: Mode,
        automatic: bool,
    ) -> Result<RunSummary, EngineError> {
        let now = self.ctx.now();
        let reach = if self.full_done { reach } else { Reach::Full };
        let r = stock_job(&self.ctx, reach, mode, automatic).await;
        // Whatever ran it, the next look waits at least a look's interval.
        let soonest = tokio::time::Instant::now() + freshness::LOOK;
        self.next_look = self.next_look.max(Some(soonest));
        if let Ok(summary) = &r {
            self.last.stock_sync = Some(now);
            if reach == Reach::Full {
                self.full_done = true;
                self.last.reconciliation = Some(now);
            }
            let waiting = matches!(
                summary.outcome,
                crate::events::Outcome::AwaitingConfirmation { .. }
            );
            self.looks_held =
                waiting || matches!(summary.outcome, crate::events::Outcome::Halted { .. });
            self.set_status(|s| {
                s.last_sync = Some(now);
                s.awaiting_confirmation = waiting;
            });
        }
        self.after(&r, now).await;
        r
    }

    /// Runs the jobs due at `tick`; the status says why (on time, or catching up on a run missed
    /// while Punte was closed or the computer slept). True when a job ran or a backoff waits.
    async fn run_due(&mut self, previous: Option<Tick>, tick: Tick) -> bool {
        let now = tick.wall;
        if self.retry_at.is_some_and(|t| now < t) {
            return true;
        }
        let jobs = due(&self.ctx.config.settings.schedule, &self.last, now);
        if jobs.is_empty() {
            return false;
        }
        let why = catch_up::reason(previous, tick, &self.last);
        if why != RunReason::Scheduled {
            tracing::info!(?why, ?jobs, "catch-up run");
        }
        self.set_status(|s| s.last_run_reason = Some(why));
        for job in jobs {
            let r = match job {
                Job::OrderImport => self.orders().await.map(|_| ()),
                Job::StockSync => self
                    .stock(Reach::Incremental, Mode::Apply, true)
                    .await
                    .map(|_| ()),
                // The first stock sync after a start is a full one; it is this tick's
                // reconciliation too (a second full read moments later would cost a whole
                // catalogue read and race with what changes in between).
                Job::Reconciliation if self.last.reconciliation.is_some_and(|t| t >= now) => Ok(()),
                Job::Reconciliation => self.stock(Reach::Full, Mode::Apply, true).await.map(|_| ()),
            };
            if r.is_err() {
                break;
            }
        }
        true
    }

    /// Once the database's full check has ended: a damaged file pauses the automatic sync.
    async fn store_health(&mut self) {
        if self.integrity_reported {
            return;
        }
        let Some(damaged) = store_health::ended(&self.ctx).await else {
            return;
        };
        self.integrity_reported = true;
        if let Some(error) = damaged {
            self.set_status(|s| {
                s.state = RunState::Paused;
                s.last_error = Some(error);
            });
        }
    }

    fn set_status(&self, change: impl FnOnce(&mut Status)) {
        let mut changed = false;
        self.status.send_if_modified(|s| {
            let before = s.clone();
            change(s);
            changed = *s != before;
            changed
        });
        if changed {
            self.ctx
                .emit(EngineEvent::Status(self.status.borrow().clone()));
        }
    }
}
