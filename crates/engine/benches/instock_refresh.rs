//! InStock refresh after one imported order, end to end, on a real SQLite file with 100,000
//! reserving orders × 3 lines over 20,000 products (the data of `crates/store/benches/instock.rs`,
//! shared by path): the engine's own refresh (`InStockMemory::refresh_known_levels`: the known
//! levels read from the store, the changed orders read, the walk, the changed verdicts written
//! and committed), timed after each of `PUNTE_BENCH_RUNS` (default 21) imports of one new order.
//! The first refresh, which reads every order and writes every verdict, is reported apart.
//! A plain timing binary: `cargo bench -p punte-engine --bench instock_refresh`. It works on a
//! copy of the data file, so every run starts from the same orders.

#[path = "../../store/benches/instock_data.rs"]
mod instock_data;

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use instock_data::{PRODUCTS, RESERVING, database, levels, make_order};
use punte_core::order::{Order, OrderState};
use punte_engine::InStockMemory;
use punte_store::{Change, Store};

/// A new open order, newer than every other, taking 1–3 units of three products (the data's
/// order shape, open and created after every order of the data).
fn new_order(id: u64, n: i64) -> Order {
    Order {
        created_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()
            + chrono::Duration::minutes(n),
        state: OrderState::Open,
        ..make_order(id)
    }
}

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "min {:.1} / median {:.1} / max {:.1} ms",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runs: usize = std::env::var("PUNTE_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(21);
    let source = database();
    let copy = std::env::temp_dir().join(format!("punte-bench-refresh-{}.db", std::process::id()));
    // Closing the last connection checkpoints the WAL into the file, so a plain copy is whole.
    drop(Store::open(&source).unwrap());
    std::fs::copy(&source, &copy).unwrap();
    let mut store = Store::open(&copy).unwrap();
    // The engine's known levels: Shopify's A per product as last read, nothing moved since.
    let mut seen: serde_json::Map<String, serde_json::Value> = levels()
        .into_iter()
        .map(|(c, a)| {
            (
                c.0,
                serde_json::json!({ "available": a, "down": 0, "up": 0 }),
            )
        })
        .collect();
    store
        .set_setting("engine.seen_levels", &seen.clone().into(), Utc::now())
        .unwrap();

    let mut memory = InStockMemory::default();
    let t = Instant::now();
    let first = memory.refresh_known_levels(&mut store).unwrap();
    let first_time = t.elapsed();
    assert!(
        first.rebuilt && first.orders as u64 == RESERVING,
        "{first:?}"
    );

    let (mut import, mut refresh, mut written) = (Vec::new(), Vec::new(), Vec::new());
    let mut parts: [Vec<Duration>; 4] = Default::default();
    let change = Change::new(Utc::now(), "imported", "bench");
    for n in 0..runs {
        let order = new_order(10_000_000 + n as u64, n as i64);
        let t = Instant::now();
        store
            .import_orders(std::slice::from_ref(&order), &change)
            .unwrap();
        // As the engine's import does (`seen::orders_moved`): Shopify took the order's units,
        // so the known level of each of its codes moves down by them.
        for line in &order.lines {
            let code = line.code.as_ref().map(|c| c.0.clone()).unwrap_or_default();
            if let Some(down) = seen.get_mut(&code).and_then(|e| e.get_mut("down")) {
                *down = (down.as_i64().unwrap_or(0) + line.quantity).into();
            }
        }
        store
            .set_setting("engine.seen_levels", &seen.clone().into(), Utc::now())
            .unwrap();
        import.push(t.elapsed());
        let t = Instant::now();
        let done = memory.refresh_known_levels(&mut store).unwrap();
        refresh.push(t.elapsed());
        assert_eq!((done.read, done.rebuilt), (1, false), "{done:?}");
        written.push(done.written);
        for (part, took) in parts.iter_mut().zip(done.took) {
            part.push(took);
        }
    }
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    written.sort_unstable();
    println!(
        "InStock refresh, {RESERVING} reserving orders x 3 lines / {PRODUCTS} products, {runs} runs"
    );
    println!("| step | time |");
    println!("|---|---|");
    println!(
        "| first refresh (every order read, every verdict written; {} written) | {:.0} ms |",
        first.written,
        first_time.as_secs_f64() * 1000.0
    );
    println!(
        "| import one order and move its codes' known levels (not part of the refresh) | {} |",
        stats(import)
    );
    println!(
        "| **refresh after one imported order** (levels, changed orders, walk, changed verdicts written) | **{}** |",
        stats(refresh)
    );
    let names = [
        "of which: known levels read (`clamped::in_stock_levels`)",
        "of which: changed orders read (`reserving_changes`)",
        "of which: input brought up to date, walked, verdicts compared",
        "of which: changed verdicts written (`record_in_stock`, one transaction)",
    ];
    for (name, part) in names.iter().zip(parts) {
        println!("| {name} | {} |", stats(part));
    }
    println!(
        "| verdicts written per refresh | min {} / median {} / max {} |",
        written[0],
        written[written.len() / 2],
        written[written.len() - 1]
    );
}
