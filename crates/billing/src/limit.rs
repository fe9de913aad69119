//! Client-side pacing: at most `max` calls in any `window`, counted from when each call *ended*
//! (a call in flight always counts), so the service, which sees the call somewhere between its
//! start and its end, never sees more than `max` in a window. This is what keeps SmartBill's
//! 10-minute block, Oblio's 3-per-second block and FGO's per-method spacing from ever tripping.
//! Limits chain with [`Limiter::and`] when a call is subject to more than one.
//!
//! A limiter built with a [`CallJournal`] outlives the process: it starts from the calls and
//! the block the journal kept (a restart in the middle of bulk invoicing does not start a
//! fresh window and trip SmartBill's 10-minute block), saves after every call, and once the
//! service announced a block ([`Limiter::block`]) every call fails at once until it ends.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

/// What a pacing group keeps across restarts: when its recent calls ended (wall clock) and
/// until when the service blocks it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallWindow {
    pub calls: Vec<DateTime<Utc>>,
    pub blocked_until: Option<DateTime<Utc>>,
}

/// Where pacing groups keep their [`CallWindow`] (the engine: SQLite through the store).
/// `save` is called after every call and must not block for long.
pub trait CallJournal: Send + Sync {
    fn load(&self, group: &str) -> Option<CallWindow>;
    fn save(&self, group: &str, window: &CallWindow);
}

/// A limit: `max` calls per `window`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub max: u32,
    pub window: Duration,
}

impl Rate {
    #[must_use]
    pub const fn new(max: u32, window: Duration) -> Self {
        Self { max, window }
    }

    /// The same limit with time running `scale` times faster (simulators with a time-scale knob).
    #[must_use]
    pub fn scaled(self, scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        Self {
            max: self.max,
            window: self.window.div_f64(scale),
        }
    }
}

#[derive(Debug)]
struct Slot {
    id: u64,
    /// End of the call; `None` while it is in flight.
    ended: Option<Instant>,
}

#[derive(Default)]
struct Slots {
    next_id: u64,
    slots: Vec<Slot>,
    blocked_until: Option<DateTime<Utc>>,
    journal: Option<(Arc<dyn CallJournal>, String)>,
}

impl std::fmt::Debug for Slots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slots")
            .field("slots", &self.slots)
            .field("blocked_until", &self.blocked_until)
            .field("journal", &self.journal.as_ref().map(|(_, g)| g))
            .finish_non_exhaustive()
    }
}

impl Slots {
    /// The window as the journal keeps it: ended calls still inside `window`, in wall time.
    fn snapshot(&self, window: Duration) -> CallWindow {
        let (now, wall) = (Instant::now(), Utc::now());
        let calls = self
            .slots
            .iter()
            .filter_map(|s| s.ended)
            .filter(|e| now.duration_since(*e) < window)
            .filter_map(|e| chrono::TimeDelta::from_std(now.duration_since(e)).ok())
            .map(|ago| wall - ago)
            .collect();
        CallWindow {
            calls,
            blocked_until: self.blocked_until,
        }
    }

    fn save(&self, window: Duration) {
        if let Some((journal, group)) = &self.journal {
            journal.save(group, &self.snapshot(window));
        }
    }
}

/// One pacing group (e.g. SmartBill per token, FGO `/factura/*`). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Limiter {
    rate: Rate,
    state: Arc<Mutex<Slots>>,
    /// A second limit every call of this group also passes, acquired after this one.
    also: Option<Box<Limiter>>,
}

/// Held for the duration of one call; dropping it records the call's end.
#[derive(Debug)]
pub struct Permit {
    id: u64,
    window: Duration,
    state: Arc<Mutex<Slots>>,
    also: Option<Box<Permit>>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = s.slots.iter_mut().find(|x| x.id == self.id) {
            slot.ended = Some(Instant::now());
        }
        s.save(self.window);
    }
}

impl Limiter {
    #[must_use]
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            state: Arc::new(Mutex::new(Slots::default())),
            also: None,
        }
    }

    /// A limiter whose window and block live in `journal` under `group`: it starts from what
    /// was kept there (calls ended earlier count as if made by this process).
    #[must_use]
    pub fn journaled(rate: Rate, journal: Arc<dyn CallJournal>, group: &str) -> Self {
        let kept = journal.load(group).unwrap_or_default();
        let (now, wall) = (Instant::now(), Utc::now());
        let slots = kept
            .calls
            .iter()
            .filter_map(|t| (wall - *t).to_std().ok())
            .filter(|ago| *ago < rate.window)
            .filter_map(|ago| now.checked_sub(ago))
            .enumerate()
            .map(|(i, ended)| Slot {
                id: i as u64 + 1,
                ended: Some(ended),
            })
            .collect::<Vec<_>>();
        let state = Slots {
            next_id: slots.len() as u64,
            slots,
            blocked_until: kept.blocked_until.filter(|u| *u > wall),
            journal: Some((journal, group.to_owned())),
        };
        Self {
            rate,
            state: Arc::new(Mutex::new(state)),
            also: None,
        }
    }

    /// Until when the service blocks this group, if it still does (wall clock).
    #[must_use]
    pub fn blocked_until(&self) -> Option<DateTime<Utc>> {
        let s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let own = s.blocked_until.filter(|u| *u > Utc::now());
        drop(s);
        own.or_else(|| self.also.as_ref().and_then(|a| a.blocked_until()))
    }

    /// Records that the service refuses this group's calls until `until` (wall clock).
    pub fn block(&self, until: DateTime<Utc>) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if s.blocked_until.is_none_or(|u| u < until) {
            s.blocked_until = Some(until);
            s.save(self.rate.window);
        }
    }

    /// This limit and `shared` together: a call needs a slot in both. Clones of `shared` keep
    /// counting together, so several groups can share one overall limit.
    #[must_use]
    pub fn and(mut self, shared: Limiter) -> Self {
        self.also = Some(Box::new(match self.also.take() {
            Some(inner) => inner.and(shared),
            None => shared,
        }));
        self
    }

    /// Waits until one more call fits (in every chained limit), then reserves it.
    pub async fn acquire(&self) -> Permit {
        let mut permit = self.acquire_own().await;
        if let Some(also) = &self.also {
            permit.also = Some(Box::new(Box::pin(also.acquire()).await));
        }
        permit
    }

    async fn acquire_own(&self) -> Permit {
        loop {
            let wait = {
                let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                let now = Instant::now();
                let window = self.rate.window;
                s.slots
                    .retain(|x| x.ended.is_none_or(|e| now.duration_since(e) < window));
                if s.slots.len() < self.rate.max as usize {
                    s.next_id += 1;
                    let id = s.next_id;
                    s.slots.push(Slot { id, ended: None });
                    return Permit {
                        id,
                        window,
                        state: self.state.clone(),
                        also: None,
                    };
                }
                s.slots
                    .iter()
                    .filter_map(|x| x.ended.map(|e| (e + window).saturating_duration_since(now)))
                    .min()
                    .unwrap_or(Duration::from_millis(20))
            };
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }
}

#[cfg(test)]
#[path = "limit_tests.rs"]
mod tests;
