//! Sliding rate windows: "N calls in any S-second span", kept as the timestamps of the calls
//! still inside the span. A fixed window that resets would let a client send 2N calls across a
//! reset; the real services are at least this strict, so the simulators are too.

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

/// The calls (simulated time) seen in the last span of one limit.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Sliding {
    pub calls: VecDeque<DateTime<Utc>>,
}

impl Sliding {
    /// Drops calls that left the span ending at `now` (a call exactly `span` old is out).
    pub fn prune(&mut self, now: DateTime<Utc>, span: TimeDelta) {
        while self.calls.front().is_some_and(|t| *t <= now - span) {
            self.calls.pop_front();
        }
    }

    /// Records a call at `now` and tells whether it fits: at most `max` calls in the span ending
    /// now, this one included. A refused call still counts, as it does on the services.
    pub fn record(&mut self, now: DateTime<Utc>, max: usize, span: TimeDelta) -> bool {
        self.prune(now, span);
        self.calls.push_back(now);
        self.calls.len() <= max
    }

    /// Calls inside the span, as of the last [`Sliding::record`] or [`Sliding::prune`].
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// When the oldest call in the span leaves it (a slot frees up).
    pub fn frees_at(&self, span: TimeDelta) -> Option<DateTime<Utc>> {
        self.calls.front().map(|t| *t + span)
    }

    pub fn clear(&mut self) {
        self.calls.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_reset_at_a_window_boundary() {
        let t0 = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).expect("time");
        let span = TimeDelta::seconds(10);
        let mut w = Sliding::default();
        // 30 calls late in one "fixed" window …
        for i in 0..30 {
            assert!(w.record(t0 + TimeDelta::milliseconds(9_000 + i), 30, span));
        }
        // … and a burst just after where a fixed window would have reset: refused.
        assert!(!w.record(t0 + TimeDelta::milliseconds(10_100), 30, span));
        // Once the first calls are 10 s old, slots free up one by one.
        let mut w = Sliding::default();
        for i in 0..30 {
            w.record(t0 + TimeDelta::milliseconds(i * 100), 30, span);
        }
        assert!(w.record(t0 + TimeDelta::milliseconds(10_000), 30, span));
        assert!(!w.record(t0 + TimeDelta::milliseconds(10_050), 30, span));
        assert_eq!(w.frees_at(span), Some(t0 + TimeDelta::milliseconds(10_100)));
    }
}
