//! Crash safety: a child process (this test binary re-invoked with `PUNTE_CRASH_DB` set) imports
//! orders, edits them and moves their states in a tight loop, and is killed with SIGKILL at
//! random moments, 60 times. After each kill the file must open, pass `integrity_check`, hold
//! no half-written order, keep reservations equal to the sum of open lines, and still contain
//! every order whose commit the child had acknowledged.

mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{change, order, temp_dir};
use punte_core::order::{OrderId, OrderState};
use punte_store::Store;
use rusqlite::Connection;

const KILLS: usize = 60;
const ENV: &str = "PUNTE_CRASH_DB";

/// xorshift64*: enough randomness for timings and choices, no dependency.
struct Rng(u64);

impl Rng {
    fn seeded() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos());
        Self((nanos as u64 ^ u64::from(std::process::id())) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// The writer. Does nothing unless re-invoked by the parent with `PUNTE_CRASH_DB`.
#[test]
fn crash_child() {
    let Ok(path) = std::env::var(ENV) else { return };
    let mut store = Store::open(path.as_ref()).expect("child must open the store");
    let conn = Connection::open(&path).unwrap();
    let mut next: u64 = conn
        .query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM orders", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut rng = Rng::seeded();
    let codes = ["A", "B", "C", "D", "E"];
    let mut out = std::io::stdout().lock();
    loop {
        let minute = next as i64;
        match rng.below(4) {
            // A batch of new orders in one transaction.
            0 | 1 => {
                let batch: Vec<_> = (0..1 + rng.below(20))
                    .map(|k| {
                        let lines: Vec<(&str, i64)> = (0..1 + rng.below(4))
                            .map(|_| (codes[rng.below(5) as usize], 1 + rng.below(3) as i64))
                            .collect();
                        order(next + k, minute, &lines)
                    })
                    .collect();
                store
                    .import_orders(&batch, &change(minute, "imported"))
                    .unwrap();
                next += batch.len() as u64;
                writeln!(out, "committed {}", next - 1).unwrap();
            }
            // Refresh an earlier order with different lines (an edit).
            2 if next > 1 => {
                let id = 1 + rng.below(next - 1);
                let Some(detail) = store.order(OrderId(id)).unwrap() else {
                    continue;
                };
                let mut o = detail.order;
                o.lines
                    .truncate(1 + rng.below(o.lines.len() as u64) as usize);
                for l in &mut o.lines {
                    l.quantity = rng.below(4) as i64;
                }
                store
                    .import_orders(&[o], &change(minute, "edited"))
                    .unwrap();
            }
            // Move an earlier order to another state.
            _ if next > 1 => {
                let id = 1 + rng.below(next - 1);
                let state = match rng.below(5) {
                    0 => OrderState::Open,
                    1 => OrderState::Invoiced {
                        stock_discharged: true,
                    },
                    2 => OrderState::Invoiced {
                        stock_discharged: false,
                    },
                    3 => OrderState::Dispatched,
                    _ => OrderState::Cancelled,
                };
                // Illegal moves (e.g. Cancelled -> Open) are refused without writing.
                match store.set_order_state(OrderId(id), state, &change(minute, "moved")) {
                    Ok(_) => {}
                    Err(e) if e.code() == "store.order_transition" => {}
                    Err(e) => panic!("{e}"),
                }
            }
            _ => {}
        }
        out.flush().unwrap();
    }
}

#[test]
fn survives_sigkill_at_random_moments() {
    let dir = temp_dir("crash");
    let path = dir.join("punte.db");
    drop(Store::open(&path).unwrap());
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng::seeded();
    let mut acknowledged = 0;
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + rng.below(180)));
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no rollback, no checkpoint
        child.wait().unwrap();
        let mut text = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        if let Some(last) = text
            .lines()
            .filter_map(|l| l.strip_prefix("committed "))
            .next_back()
        {
            acknowledged = acknowledged.max(last.parse::<u64>().unwrap());
        }
        check(&path, acknowledged, round);
    }
    assert!(
        acknowledged > KILLS as u64,
        "the child must have written between kills"
    );
    let conn = Connection::open(&path).unwrap();
    let (orders, changes): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_history)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    eprintln!("{KILLS} SIGKILLs survived: {orders} orders, {changes} history rows");
}

fn check(path: &std::path::Path, acknowledged: u64, round: usize) {
    let store = Store::open(path).unwrap_or_else(|e| panic!("round {round}: reopen failed: {e}"));
    store.integrity_check().unwrap();
    assert_eq!(
        store.reservations().unwrap(),
        store.reservations_from_lines().unwrap(),
        "round {round}: reservations must equal the sum of open lines after a kill"
    );
    let conn = Connection::open(path).unwrap();
    let torn: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM orders o
             WHERE o.line_count <> (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id)
                OR o.state IS NOT (SELECT h.to_state FROM order_history h WHERE h.order_id = o.id
                               ORDER BY h.id DESC LIMIT 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        torn, 0,
        "round {round}: no order may be half-written or miss its history"
    );
    let max: u64 = conn
        .query_row("SELECT COALESCE(MAX(id), 0) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert!(
        max >= acknowledged,
        "round {round}: acknowledged order {acknowledged} was lost"
    );
}
