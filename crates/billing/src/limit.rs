//! Client-side pacing: at most `max` calls in any `window`, counted from when each call *ended*
//! (a call in flight always counts), so the service, which sees the call somewhere between its
//! start and its end, never sees more than `max` in a window. This is what keeps SmartBill's
//! 10-minute block, Oblio's 3-per-second block and FGO's per-method spacing from ever tripping.
//! Limits chain with [`Limiter::and`] when a call is subject to more than one.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

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

#[derive(Debug, Default)]
struct Slots {
    next_id: u64,
    slots: Vec<Slot>,
}

/// One pacing group (e.g. SmartBill per token, FGO `/factura/*`). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Limiter {
    rate: Rate,
    state: Arc<Mutex<Slots>>,
    /// A second limit every call of this group also passes (e.g. Oblio's 3 per second shared
    /// by all groups), acquired after this one.
    also: Option<Box<Limiter>>,
}

/// Held for the duration of one call; dropping it records the call's end.
#[derive(Debug)]
pub struct Permit {
    id: u64,
    state: Arc<Mutex<Slots>>,
    also: Option<Box<Permit>>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = s.slots.iter_mut().find(|x| x.id == self.id) {
            slot.ended = Some(Instant::now());
        }
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
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_max_in_any_window() {
        let limiter = Limiter::new(Rate::new(3, Duration::from_secs(10)));
        let start = Instant::now();
        let mut ends = Vec::new();
        for _ in 0..7 {
            let p = limiter.acquire().await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            drop(p);
            ends.push(start.elapsed());
        }
        for (i, e) in ends.iter().enumerate().skip(3) {
            let gap = *e - ends[i - 3];
            assert!(
                gap >= Duration::from_secs(10),
                "call {i} came {gap:?} after call {}",
                i - 3
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_shared_limit_paces_every_group() {
        let burst = Limiter::new(Rate::new(3, Duration::from_secs(1)));
        let a = Limiter::new(Rate::new(30, Duration::from_secs(10))).and(burst.clone());
        let b = Limiter::new(Rate::new(30, Duration::from_secs(100))).and(burst);
        let start = Instant::now();
        let mut ends = Vec::new();
        for i in 0..9 {
            let p = if i % 2 == 0 {
                a.acquire().await
            } else {
                b.acquire().await
            };
            drop(p);
            ends.push(start.elapsed());
        }
        for (i, e) in ends.iter().enumerate().skip(3) {
            assert!(*e - ends[i - 3] >= Duration::from_secs(1), "call {i}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_in_flight_keeps_its_slot() {
        let limiter = Limiter::new(Rate::new(1, Duration::from_secs(1)));
        let first = limiter.acquire().await;
        let l2 = limiter.clone();
        let second = tokio::spawn(async move {
            let _p = l2.acquire().await;
            Instant::now()
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        let released = Instant::now();
        drop(first);
        let got = second.await.unwrap();
        assert!(
            got >= released + Duration::from_secs(1),
            "spacing counts from the end"
        );
    }
}
