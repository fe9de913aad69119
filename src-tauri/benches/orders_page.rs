//! Orders list with 100,000 orders in the store: each page the UI asks for (opening the list, every
//! filter chip, a search, the next page and a deep page), timed twice: the store query plus the
//! JSON serialisation alone, and the whole `orders_page` command through Tauri's IPC (mock
//! runtime, the app's real backend and command list, started on a connected shop: Shopify and
//! SmartBill saved through `save_connection` against loopback simulators, `MemorySecrets` for the
//! keychain; engine after its first sync, paused). Medians of 30 calls after 3 warm-ups.
//! The simulator URLs are process-wide environment variables, so the save and the measurement
//! each run in a child process of this bench. `cargo bench -p punte-app --bench orders_page`.

#[path = "shop/mock.rs"]
mod mock;
mod seed;
mod shop;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use punte_core::order::OrderId;
use punte_store::{OrderCursor, OrderQuery, StatusFilter, Store};
use serde_json::{Value, json};

const RUNS: usize = 30;

/// (label, status word, in_stock, search, after = Some(n): after the n-th order).
type Case = (
    &'static str,
    &'static str,
    Option<bool>,
    Option<&'static str>,
    Option<u64>,
);

const CASES: [Case; 11] = [
    ("open the list (all, newest first)", "all", None, None, None),
    ("chip Open", "pending", None, None, None),
    ("chip InStock", "pending", Some(true), None, None),
    ("chip Not in stock", "pending", Some(false), None, None),
    ("chip Invoiced", "invoiced", None, None, None),
    ("chip Dispatched", "dispatched", None, None, None),
    ("chip Cancelled", "cancelled", None, None, None),
    ("chip Needs review", "needs_review", None, None, None),
    (
        "search \"client4242\" (all)",
        "all",
        None,
        Some("client4242"),
        None,
    ),
    (
        "next page (all, after 200)",
        "all",
        None,
        None,
        Some(seed::ORDERS - 200),
    ),
    (
        "deep page (all, after 50,000)",
        "all",
        None,
        None,
        Some(50_000),
    ),
];

fn cursor(n: u64) -> OrderCursor {
    OrderCursor {
        created_at: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
            + chrono::Duration::minutes(n as i64),
        id: OrderId(seed::FIRST_ID + n),
    }
}

fn status(word: &str) -> StatusFilter {
    serde_json::from_value(json!(word)).expect("a status word")
}

fn median(mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut size = 0;
    for _ in 0..3 {
        size = f();
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            size = f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], size)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

const STEP_ENV: &str = "PUNTE_BENCH_STEP";
const DATA_ENV: &str = "PUNTE_BENCH_DATA";

/// Runs `step` of this bench in a child process pointed at `services`, on `data`.
fn child(step: &str, services: &shop::Services, data: &Path) {
    let status = Command::new(std::env::current_exe().expect("the bench binary"))
        .env(STEP_ENV, step)
        .env(DATA_ENV, data)
        .envs(services.env())
        .status()
        .expect("run the bench step");
    assert!(status.success(), "bench step {step} failed");
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let data = std::env::var_os(DATA_ENV).map(PathBuf::from);
    match (std::env::var(STEP_ENV).as_deref(), data) {
        (Ok("save"), Some(data)) => return mock::save_connections(&data),
        (Ok("measure"), Some(data)) => return measure(&data),
        _ => {}
    }
    let db = seed::database();
    println!(
        "store: {} ({} MB)",
        db.display(),
        std::fs::metadata(&db).map_or(0, |m| m.len()) >> 20
    );
    let services = shop::Services::start();
    let dir = seed::data_dir_with_orders();
    child("save", &services, dir.path());
    child("measure", &services, dir.path());
}

fn measure(data: &Path) {
    let mut store_times = Vec::new();
    {
        let store = Store::open(&data.join("punte.db")).expect("open");
        for (_, word, in_stock, search, after) in CASES {
            let q = OrderQuery {
                status: status(word),
                in_stock,
                search: search.map(str::to_owned),
                newest_first: true,
                after: after.map(cursor),
                limit: 200,
                efactura: None,
                unpaid_before: None,
                unpaid_era: punte_store::CodEra::SinceConnection,
            };
            store_times.push(median(|| {
                let page = store.orders_page(&q).expect("a page");
                serde_json::to_vec(&page).expect("json").len()
            }));
        }
    }

    let app = mock::MockApp::start(data, mock::saved_secrets());
    app.assert_connected();
    app.settled();
    app.assert_connected();
    let found = app.ok(
        "orders_page",
        json!({"query": {"status": "all", "search": "client4242", "newest_first": true, "limit": 200}}),
    );
    assert!(
        found["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|o| o["id"] == json!(seed::FIRST_ID + 4242))),
        "the seeded orders are not in the list: {found}"
    );
    println!(
        "| page of 200 (100,000 orders) | rows | JSON | store + serde | `orders_page` via IPC |"
    );
    println!("|---|---|---|---|---|");
    for ((label, word, in_stock, search, after), (store_time, bytes)) in
        CASES.into_iter().zip(store_times)
    {
        let mut query = json!({"status": word, "in_stock": in_stock, "search": search,
            "newest_first": true, "limit": 200});
        if let Some(n) = after {
            query["after"] = serde_json::to_value(cursor(n)).expect("json");
        }
        let mut rows = 0;
        let (ipc_time, _) = median(|| {
            let page: Value = app.ok("orders_page", json!({"query": query}));
            rows = page["items"].as_array().map_or(0, Vec::len);
            rows
        });
        println!(
            "| {label} | {rows} | {} KB | {} | {} |",
            bytes / 1024,
            ms(store_time),
            ms(ipc_time)
        );
    }
}
