//! The engine's InStock path on a real SQLite file: 100,000 reserving orders × 3 lines over
//! 20,000 products (plus about 10,000 closed orders the query must skip), timed in its three parts:
//! the SQL read that builds the compact input (`Store::instock_input`), the walk with every
//! verdict rendered (`allocate_input` + `into_report`) and writing the verdicts
//! (`record_in_stock`). For comparison, the `Order`-based path the engine used before
//! (`reserving_orders` + `allocate`). A plain timing binary (min and median of repeated runs):
//! `cargo bench -p punte-store --bench instock`. The database is kept in the temp dir (or
//! `PUNTE_BENCH_INSTOCK_DB`) and reused; `PUNTE_BENCH_RUNS` sets the runs (default 11).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use punte_core::instock::{allocate, allocate_input};
use punte_core::money::Currency;
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState};
use punte_core::product::ProductCode;
use punte_store::{Change, Store};
use rust_decimal::Decimal;

const RESERVING: u64 = 100_000;
const PRODUCTS: u64 = 20_000;

fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn code(p: u64) -> ProductCode {
    ProductCode(format!("SKU-{p:05}"))
}

/// Creation times shuffled over 30 days (to the minute, so some collide).
fn created(id: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap()
        + chrono::Duration::minutes((mix(id) % (30 * 24 * 60)) as i64)
}

/// Every 11th order is closed; of the rest, 3 % are invoiced without discharge (they reserve).
fn state_of(id: u64) -> OrderState {
    match (id % 11, mix(id ^ 0xabc) % 100) {
        (0, r) if r < 50 => OrderState::Dispatched,
        (0, _) => OrderState::Cancelled,
        (_, r) if r < 3 => OrderState::Invoiced {
            stock_discharged: false,
        },
        _ => OrderState::Open,
    }
}

fn make_order(id: u64) -> Order {
    let lines = (0..3)
        .map(|k| OrderLine {
            id: LineId(id * 3 + k),
            code: Some(code(mix(id * 3 + k) % PRODUCTS)),
            variant_id: None,
            title: "Tricou alb, mărimea M".into(),
            quantity: 1 + (mix(id * 7 + k) % 3) as i64,
            refunded: 0,
            fulfilled: 0,
            unit_price: Decimal::new(4999, 2),
            discount: Decimal::ZERO,
            vat_rate: None,
            tax: Decimal::ZERO,
            taxable: true,
        })
        .collect();
    Order {
        id: OrderId(id),
        name: format!("#{}", 1000 + id),
        created_at: created(id),
        state: state_of(id),
        lines,
        shipping: Vec::new(),
        customer: Customer {
            name: format!("Client {id}"),
            ..Customer::default()
        },
        currency: Currency::ron(),
        taxes_included: true,
        total: Decimal::new(14997, 2),
    }
}

/// Shopify levels −5…9 for every product.
fn levels() -> HashMap<ProductCode, i64> {
    (0..PRODUCTS)
        .map(|p| (code(p), (mix(p ^ 0x5eed) % 15) as i64 - 5))
        .collect()
}

fn build(path: &PathBuf) {
    let _ = std::fs::remove_file(path);
    let started = Instant::now();
    let mut store = Store::open(path).unwrap();
    let change = Change::new(created(0), "imported", "bench");
    let mut reserving = 0;
    let mut id = 0;
    while reserving < RESERVING {
        let batch: Vec<Order> = (0..10_000)
            .map(|_| {
                id += 1;
                make_order(id)
            })
            .filter(|o| {
                let keep = !o.reserves_stock() || reserving < RESERVING;
                reserving += u64::from(keep && o.reserves_stock());
                keep
            })
            .collect();
        store.import_orders(&batch, &change).unwrap();
    }
    eprintln!(
        "built {id} orders ({RESERVING} reserving) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn timed<T>(times: &mut Vec<Duration>, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    times.push(t.elapsed());
    out
}

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "min {:.1} / median {:.1} ms",
        ms(times[0]),
        ms(times[times.len() / 2])
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runs: usize = std::env::var("PUNTE_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(11);
    let path = std::env::var_os("PUNTE_BENCH_INSTOCK_DB").map_or_else(
        || std::env::temp_dir().join("punte-store-bench-instock-100k.db"),
        PathBuf::from,
    );
    let reserving = || -> u64 {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row(
            "SELECT COUNT(*) FROM orders WHERE state IN ('open', 'invoiced_kept')",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0)
    };
    if !path.exists() || reserving() != RESERVING {
        build(&path);
    }
    let mut store = Store::open(&path).unwrap();
    let levels = levels();

    // The same report both ways, once, before timing.
    let input = store.instock_input(&levels).unwrap();
    let report = allocate_input(&input).into_report(&input);
    assert_eq!(
        report,
        allocate(&levels, &store.reserving_orders().unwrap())
    );
    assert_eq!(input.orders() as u64, RESERVING);
    let fit = report.in_stock().len();

    let (mut read, mut walk, mut walk_only, mut record, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut old_read, mut old_walk) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let input = timed(&mut read, || store.instock_input(&levels).unwrap());
        let report = timed(&mut walk, || allocate_input(&input).into_report(&input));
        timed(&mut record, || store.record_in_stock(&report).unwrap());
        total.push(t.elapsed());
        drop(timed(&mut walk_only, || allocate_input(&input)));
        let orders = timed(&mut old_read, || store.reserving_orders().unwrap());
        drop(timed(&mut old_walk, || allocate(&levels, &orders)));
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "InStock path, {RESERVING} reserving orders x 3 lines / {PRODUCTS} products \
         ({fit} InStock), {:.0} MB file, {runs} runs",
        size as f64 / 1e6
    );
    println!("| step | time |");
    println!("|---|---|");
    println!("| SQL read + build, `instock_input` | {} |", stats(read));
    println!(
        "| allocate, `allocate_input` + `into_report` | {} |",
        stats(walk)
    );
    println!("| of which `allocate_input` alone | {} |", stats(walk_only));
    println!(
        "| `record_in_stock` (100,000 UPDATEs, one transaction) | {} |",
        stats(record)
    );
    println!("| **total** | {} |", stats(total));
    println!("| before: `reserving_orders` | {} |", stats(old_read));
    println!(
        "| before: `allocate(&levels, &orders)` | {} |",
        stats(old_walk)
    );
}
