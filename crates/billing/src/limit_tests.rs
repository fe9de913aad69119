//! The pacing limiter under paused tokio time: never more than `max` calls in any window, a
//! shared limit pacing every group, a journaled window and block surviving a new limiter, and a
//! call in flight keeping its slot.

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

#[derive(Default)]
struct Memory(std::sync::Mutex<Option<CallWindow>>);

impl CallJournal for Memory {
    fn load(&self, _: &str) -> Option<CallWindow> {
        self.0.lock().unwrap().clone()
    }
    fn save(&self, _: &str, w: &CallWindow) {
        *self.0.lock().unwrap() = Some(w.clone());
    }
}

#[tokio::test]
async fn a_journaled_window_and_block_survive_a_new_limiter() {
    let journal = Arc::new(Memory::default());
    let rate = Rate::new(2, Duration::from_secs(3600));
    let first = Limiter::journaled(rate, journal.clone(), "g");
    drop(first.acquire().await);
    drop(first.acquire().await);
    assert_eq!(journal.load("g").unwrap().calls.len(), 2);
    // A restart: the new limiter counts the two calls and has no slot left.
    let second = Limiter::journaled(rate, journal.clone(), "g");
    let waited = tokio::time::timeout(Duration::from_millis(200), second.acquire()).await;
    assert!(waited.is_err(), "the restored window is full");
    let until = Utc::now() + chrono::TimeDelta::minutes(10);
    second.block(until);
    let third = Limiter::journaled(rate, journal, "g");
    assert_eq!(third.blocked_until(), Some(until), "the block survives too");
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
