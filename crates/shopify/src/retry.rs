//! When to try a request again and how long to wait: exponential backoff with jitter for 5xx,
//! timeouts and dropped connections, and the rule that a write is repeated after an ambiguous
//! failure only when it is idempotent.

use std::time::Duration;

/// Limits on retrying one request.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Tries in total for transient failures (5xx, timeouts, dropped connections).
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How many THROTTLED/429 answers one request waits out before giving up.
    pub max_throttle_waits: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
            max_throttle_waits: 10,
        }
    }
}

/// Whether a request may be sent again when it is unknown whether the first one took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Reads, and writes carrying an idempotency key Shopify deduplicates on.
    Safe,
    /// A write without such a key: after a timeout or a dropped answer it is not repeated.
    Unsafe,
}

impl RetryPolicy {
    /// The wait before try number `attempt + 1` (attempt counts from 1): the exponential delay,
    /// jittered into its upper half so parallel clients spread out, and never below `floor`
    /// (a server's Retry-After).
    #[must_use]
    pub fn backoff(&self, attempt: u32, floor: Option<Duration>) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.max_delay);
        let jittered = capped.mul_f64(0.5 + fastrand::f64() * 0.5);
        jittered.max(floor.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_the_floor() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let first = p.backoff(1, None);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = p.backoff(3, None);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            assert!(
                p.backoff(30, None) <= Duration::from_secs(1),
                "capped at max_delay"
            );
            assert!(p.backoff(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
        }
    }
}
