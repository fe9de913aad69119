//! After every scheduler job: backoff with jitter after a failure (reset on success), the
//! "offline since" status and its notifications, the last runs saved and the next sync shown.
//! Split from `scheduler` to keep each file short.

use chrono::{DateTime, TimeDelta, Utc};

use super::Scheduler;
use crate::error::EngineError;
use crate::kv;
use crate::notify::NotificationEvent;
use punte_core::schedule::next_wakeup;

impl Scheduler {
    /// Backoff, offline status and notifications after a job.
    pub(super) async fn after<T>(&mut self, r: &Result<T, EngineError>, started: DateTime<Utc>) {
        let now = self.ctx.now();
        match r {
            Ok(_) => {
                self.failures = 0;
                self.retry_at = None;
                if self.status.borrow().offline_since.is_some() {
                    self.ctx.notify(NotificationEvent::BackOnline);
                }
                self.set_status(|s| {
                    s.offline_since = None;
                    s.last_error = None;
                });
            }
            Err(e) => {
                self.failures = self.failures.saturating_add(1);
                let wait = backoff(&self.ctx.config.timing, self.failures);
                self.retry_at = Some(now + wait);
                let info = e.info();
                if e.is_transient() {
                    if self.status.borrow().offline_since.is_none() {
                        let service = info.code.split('.').next().unwrap_or_default();
                        self.ctx.notify(NotificationEvent::Offline {
                            service: service.to_owned(),
                            code: info.code.clone(),
                        });
                    }
                    self.set_status(|s| {
                        s.offline_since = s.offline_since.or(Some(started));
                        s.last_error = Some(info);
                    });
                } else {
                    self.ctx.notify(NotificationEvent::SyncFailed {
                        code: info.code.clone(),
                        message: info.message.clone(),
                    });
                    self.set_status(|s| s.last_error = Some(info));
                }
            }
        }
        let _ = kv::put(self.ctx.store(), kv::LAST_RUNS.into(), self.last, now).await;
        let next = next_wakeup(&self.ctx.config.settings.schedule, &self.last, now);
        let next = self.retry_at.map_or(next, |t| t.max(next.min(t)));
        self.set_status(|s| s.next_sync = Some(next));
    }
}

/// base × 2^(n−1), capped, times a random factor in [0.5, 1) so many clients spread out.
fn backoff(timing: &crate::config::Timing, failures: u32) -> TimeDelta {
    let exp = timing
        .backoff_base
        .saturating_mul(1 << failures.saturating_sub(1).min(16));
    let capped = exp.min(timing.backoff_max);
    let jittered = capped.mul_f64(0.5 + fastrand::f64() * 0.5);
    TimeDelta::from_std(jittered).unwrap_or(TimeDelta::MAX)
}
