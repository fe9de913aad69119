//! A scalable simulation clock, so token expiry, rate-limit windows and the 10-minute SmartBill block
//! can be tested in seconds: simulated time runs `scale` times faster than the wall clock.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

/// Shared handle to the simulated clock. Cloning shares the same timeline.
#[derive(Clone, Debug)]
pub struct SimClock {
    inner: Arc<Mutex<Timeline>>,
}

#[derive(Debug)]
struct Timeline {
    /// Simulated instant at `anchor`.
    sim_at_anchor: DateTime<Utc>,
    anchor: Instant,
    scale: f64,
}

impl SimClock {
    /// A clock starting at the current wall time and running `scale` times real speed.
    pub fn new(scale: f64) -> Self {
        Self::starting_at(Utc::now(), scale)
    }

    /// A clock starting at `start` and running `scale` times real speed.
    pub fn starting_at(start: DateTime<Utc>, scale: f64) -> Self {
        let timeline = Timeline {
            sim_at_anchor: start,
            anchor: Instant::now(),
            scale,
        };
        Self {
            inner: Arc::new(Mutex::new(timeline)),
        }
    }

    /// The current simulated time.
    pub fn now(&self) -> DateTime<Utc> {
        let t = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        t.now()
    }

    /// Changes the speed from now on, keeping simulated time continuous.
    pub fn set_scale(&self, scale: f64) {
        let mut t = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        t.sim_at_anchor = t.now();
        t.anchor = Instant::now();
        t.scale = scale.max(0.0);
    }

    /// The current speed factor.
    pub fn scale(&self) -> f64 {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .scale
    }

    /// Jumps simulated time forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut t = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        t.sim_at_anchor += TimeDelta::from_std(by).unwrap_or(TimeDelta::MAX);
    }
}

impl Timeline {
    fn now(&self) -> DateTime<Utc> {
        let real = self.anchor.elapsed().as_secs_f64() * self.scale;
        let micros = (real * 1_000_000.0) as i64;
        self.sim_at_anchor + TimeDelta::microseconds(micros)
    }
}

/// Seconds between two simulated instants, as a float (for leaky buckets).
pub fn seconds_between(earlier: DateTime<Utc>, later: DateTime<Utc>) -> f64 {
    (later - earlier).num_microseconds().unwrap_or(i64::MAX) as f64 / 1_000_000.0
}
