//! The knobs every billing client shares: how long one exchange may take, how often and how long
//! to retry, how far to sleep through a service's block, the simulated clock's scale, and where
//! pacing windows are kept across restarts. Defaults suit the real services.

use std::sync::Arc;
use std::time::Duration;

use crate::limit::CallJournal;

/// Knobs shared by every client.
#[derive(Clone)]
pub struct Options {
    /// Limit for one HTTP exchange, body included.
    pub timeout: Duration,
    /// Attempts per operation (first try included) for failures that allow a retry.
    pub max_attempts: u32,
    /// Longest `Retry-After` worth sleeping through; a longer block is reported instead.
    pub max_wait: Duration,
    /// First backoff step; doubles per attempt, capped at 8 steps, with jitter.
    pub backoff: Duration,
    /// Simulated seconds per real second of the service (1.0 for real services; tests set it to
    /// the simulator's time scale so pacing and token lifetimes follow the simulated clock).
    pub time_scale: f64,
    /// Where pacing windows and service blocks are kept across restarts; `None` keeps them in
    /// memory only.
    pub journal: Option<Arc<dyn CallJournal>>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("timeout", &self.timeout)
            .field("max_attempts", &self.max_attempts)
            .field("max_wait", &self.max_wait)
            .field("backoff", &self.backoff)
            .field("time_scale", &self.time_scale)
            .field("journal", &self.journal.is_some())
            .finish()
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_attempts: 4,
            max_wait: Duration::from_secs(60),
            backoff: Duration::from_millis(250),
            time_scale: 1.0,
            journal: None,
        }
    }
}
