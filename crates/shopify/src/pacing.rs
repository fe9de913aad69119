//! Cost-aware pacing. Shopify's GraphQL limit is a leaky bucket (Standard: 2000 points, refilled
//! at 100/s) reported in `extensions.cost.throttleStatus` on every answer. The pacer keeps the
//! last report, refills it with the clock, and makes a request wait until the bucket holds its
//! cost, so that requests are not THROTTLED in the first place.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// Points kept in hand beyond a request's cost: `currentlyAvailable` is rounded down, and
/// the server may have charged someone else meanwhile.
const MARGIN: f64 = 1.0;

/// `extensions.cost` of an answer. Shopify sends the bucket figures as floats (`2000.0`) and
/// `currentlyAvailable` often as an integer, so all are read as f64.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    pub requested_query_cost: Option<f64>,
    pub actual_query_cost: Option<f64>,
    pub throttle_status: Option<ThrottleStatus>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ThrottleStatus {
    pub maximum_available: f64,
    pub currently_available: f64,
    pub restore_rate: f64,
}

impl ThrottleStatus {
    /// How long until the bucket holds `cost` points: Shopify's own advice after THROTTLED,
    /// `(requested − currentlyAvailable) / restoreRate`.
    #[must_use]
    pub fn wait_for(&self, cost: f64) -> Duration {
        let missing =
            (cost.min(self.maximum_available) + MARGIN - self.currently_available).max(0.0);
        if self.restore_rate <= 0.0 {
            return Duration::from_secs(1);
        }
        Duration::from_secs_f64(missing / self.restore_rate)
    }
}

/// The client's estimate of the bucket, shared by every request of one client.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    view: Mutex<Option<View>>,
}

#[derive(Debug, Clone, Copy)]
struct View {
    status: ThrottleStatus,
    at: Instant,
}

impl Pacer {
    /// Takes `cost` points from the estimate and returns how long to wait before sending.
    /// Before the first answer the bucket is unknown, and the request goes at once.
    pub(crate) fn reserve(&self, cost: f64) -> Duration {
        let mut view = self.view.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(v) = view.as_mut() else {
            return Duration::ZERO;
        };
        let now = Instant::now();
        let s = &mut v.status;
        let refilled = now.duration_since(v.at).as_secs_f64() * s.restore_rate;
        s.currently_available = (s.currently_available + refilled).min(s.maximum_available);
        v.at = now;
        let wait = s.wait_for(cost);
        // The request will be charged once it goes; a parallel caller then waits behind it.
        s.currently_available -= cost;
        wait
    }

    /// Replaces the estimate with what the server just reported.
    pub(crate) fn observe(&self, status: ThrottleStatus) {
        let mut view = self.view.lock().unwrap_or_else(PoisonError::into_inner);
        *view = Some(View {
            status,
            at: Instant::now(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(available: f64) -> ThrottleStatus {
        ThrottleStatus {
            maximum_available: 2000.0,
            currently_available: available,
            restore_rate: 100.0,
        }
    }

    #[test]
    fn waits_only_when_the_bucket_lacks_the_cost() {
        let pacer = Pacer::default();
        assert_eq!(pacer.reserve(1000.0), Duration::ZERO, "unknown bucket: go");
        pacer.observe(status(1500.0));
        assert_eq!(pacer.reserve(752.0), Duration::ZERO);
        // 748 left; the next 752 needs 5 more points (with the margin) = 50 ms at 100/s.
        let wait = pacer.reserve(752.0);
        assert!(
            wait >= Duration::from_millis(45) && wait <= Duration::from_millis(55),
            "{wait:?}"
        );
    }

    #[test]
    fn throttled_wait_follows_shopifys_formula() {
        let s = ThrottleStatus {
            maximum_available: 1000.0,
            currently_available: 666.0,
            restore_rate: 50.0,
        };
        let w = s.wait_for(752.0).as_secs_f64();
        assert!((w - (752.0 + MARGIN - 666.0) / 50.0).abs() < 1e-9, "{w}");
        assert_eq!(status(2000.0).wait_for(10.0), Duration::ZERO);
    }
}
