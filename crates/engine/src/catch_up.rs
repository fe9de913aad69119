//! Why a run starts, decided from two clocks: the wall clock (the engine's [`crate::Clock`], what
//! schedules are written in) and the monotonic clock the scheduler's tick runs on. A suspended
//! computer stops the monotonic clock but not the wall clock, so a tick that sees much more wall
//! time than monotonic time since the last one has just woken up; jobs due then were missed while
//! asleep. Jobs due at the first tick after start were missed while Punte was closed. The status
//! bar words the reason (a code, not text). Pure: no clock is read here.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use punte_core::schedule::LastRuns;
use serde::{Deserialize, Serialize};

/// Why the last run started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunReason {
    /// On schedule.
    Scheduled,
    /// The first run on this profile (nothing ran before).
    FirstRun,
    /// A scheduled run fell due while Punte was closed: run at start.
    MissedWhileClosed,
    /// A scheduled run fell due while the computer slept: run on waking.
    MissedWhileAsleep,
    /// "Sync now" from the window or the tray.
    Manual,
}

/// One look of the scheduler at its clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    /// The engine clock's time.
    pub wall: DateTime<Utc>,
    /// Monotonic time since the scheduler started (stops while the computer sleeps).
    pub mono: Duration,
}

/// More wall time than monotonic time between two ticks than this is a sleep (or the clock was
/// set forward by that much, which misses runs the same way). Well above NTP's slews.
pub const SLEEP_GAP: TimeDelta = TimeDelta::seconds(60);

/// Whether the computer slept (or the clock jumped forward) between `previous` and `now`.
#[must_use]
pub fn woke_up(previous: Tick, now: Tick) -> bool {
    let wall = now.wall - previous.wall;
    let mono =
        TimeDelta::from_std(now.mono.saturating_sub(previous.mono)).unwrap_or(TimeDelta::MAX);
    wall - mono > SLEEP_GAP
}

/// Why the jobs found due at `now` run. `previous` is the scheduler's last tick (`None` at the
/// first tick after start); `last` the last runs as stored before this tick.
#[must_use]
pub fn reason(previous: Option<Tick>, now: Tick, last: &LastRuns) -> RunReason {
    if *last == LastRuns::default() {
        return RunReason::FirstRun;
    }
    match previous {
        None => RunReason::MissedWhileClosed,
        Some(p) if woke_up(p, now) => RunReason::MissedWhileAsleep,
        Some(_) => RunReason::Scheduled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Clock, ManualClock};

    fn at(clock: &ManualClock, mono_secs: u64) -> Tick {
        Tick {
            wall: clock.now(),
            mono: Duration::from_secs(mono_secs),
        }
    }

    fn ran_before(clock: &ManualClock) -> LastRuns {
        let t = clock.now() - TimeDelta::minutes(20);
        LastRuns {
            stock_sync: Some(t),
            order_import: Some(t),
            reconciliation: Some(t),
        }
    }

    fn clock() -> ManualClock {
        ManualClock::new("2026-12-01T08:00:00Z".parse().expect("a valid instant"))
    }

    #[test]
    fn a_never_synced_profile_runs_as_the_first_run() {
        let c = clock();
        assert_eq!(
            reason(None, at(&c, 0), &LastRuns::default()),
            RunReason::FirstRun
        );
    }

    #[test]
    fn due_at_the_first_tick_after_start_was_missed_while_closed() {
        let c = clock();
        assert_eq!(
            reason(None, at(&c, 0), &ran_before(&c)),
            RunReason::MissedWhileClosed
        );
    }

    #[test]
    fn wall_time_running_ahead_of_monotonic_time_is_a_wake_from_sleep() {
        let c = clock();
        let before = at(&c, 100);
        let last = ran_before(&c);
        // Suspended for three hours: the monotonic clock moved 5 s (one tick), the wall clock 3 h.
        c.advance(TimeDelta::hours(3));
        let after = at(&c, 105);
        assert!(woke_up(before, after));
        assert_eq!(
            reason(Some(before), after, &last),
            RunReason::MissedWhileAsleep
        );
    }

    #[test]
    fn a_long_job_between_ticks_is_not_a_sleep() {
        let c = clock();
        let before = at(&c, 100);
        let last = ran_before(&c);
        // A 10-minute reconciliation held the loop: both clocks moved together.
        c.advance(TimeDelta::minutes(10));
        let after = at(&c, 700);
        assert!(!woke_up(before, after));
        assert_eq!(reason(Some(before), after, &last), RunReason::Scheduled);
    }

    #[test]
    fn the_threshold_is_a_minute_of_difference() {
        let c = clock();
        let before = at(&c, 0);
        c.advance(TimeDelta::seconds(65));
        assert!(!woke_up(before, at(&c, 5)), "60 s exactly is not a sleep");
        c.advance(TimeDelta::seconds(1));
        assert!(woke_up(before, at(&c, 5)));
        // A wall clock set back (NTP step) is never a wake.
        c.advance(TimeDelta::hours(-2));
        assert!(!woke_up(before, at(&c, 5)));
    }
}
