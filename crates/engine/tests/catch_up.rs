//! Catch-up: a scheduled run missed while the computer slept (the engine's wall clock jumps while
//! its tick's monotonic clock does not) or while Punte was closed (due at the first tick after
//! start) starts at once, and the status says why. Real scheduler, real ticks, ManualClock.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use punte_engine::{Clock, EngineHandle, ManualClock, RunReason};

/// Waits (real time) until the engine's last sync is after `after`; returns it and the reason.
async fn next_run(
    engine: &EngineHandle,
    after: Option<DateTime<Utc>>,
) -> (DateTime<Utc>, RunReason) {
    for _ in 0..200 {
        let s = engine.status();
        if let Some(t) = s.last_sync.filter(|t| after.is_none_or(|a| *t > a)) {
            return (t, s.last_run_reason.expect("a run says why it ran"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no run after {after:?}: {:?}", engine.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_missed_while_asleep_or_closed_starts_at_once_and_says_why() {
    let w = world(2, 0, 10, 1.0).await;
    let mut cfg = config(&w, 1.0);
    cfg.timing.scheduled = true;
    // The fixed schedule is under test: no looks for changes (`freshness`) in between.
    cfg.settings.freshness.watch = false;
    let clock = Arc::new(ManualClock::new(
        "2026-12-01T08:00:00Z".parse().expect("time"),
    ));
    let store = memory_store();
    let r = start_with_clock(&w, cfg.clone(), store.clone(), clock.clone());

    let (_, why) = next_run(&r.engine, None).await;
    assert_eq!(why, RunReason::FirstRun);
    // The first run may hold several jobs (orders, stock, reconciliation); a command is served
    // only between runs, so a preview returns once the whole first run has ended.
    r.engine.preview_sync().await.expect("preview");
    let first = r.engine.status().last_sync.expect("the first run synced");

    // Awake, 4 minutes of wall time pass in small steps with the ticks (every 50 ms): neither the
    // order import (every 5 minutes) nor the stock sync (every 15) is due, so nothing runs.
    for _ in 0..8 {
        clock.advance(TimeDelta::seconds(30));
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    let idle = r.engine.status();
    assert_eq!(idle.last_sync, Some(first), "nothing was due: {idle:?}");
    assert_eq!(idle.last_run_reason, Some(RunReason::FirstRun));

    // The computer sleeps for 3 hours: the wall clock jumps, the tick's clock does not.
    clock.advance(TimeDelta::hours(3));
    let (woke, why) = next_run(&r.engine, Some(first)).await;
    assert_eq!(why, RunReason::MissedWhileAsleep);
    assert_eq!(woke, clock.now());
    r.engine.stop().await;

    // Closed overnight: the next start runs the missed sync at its first tick.
    clock.advance(TimeDelta::hours(10));
    let again = start_with_clock(&w, cfg, store, clock.clone());
    let (_, why) = next_run(&again.engine, Some(woke)).await;
    assert_eq!(why, RunReason::MissedWhileClosed);
    again.engine.stop().await;
}
