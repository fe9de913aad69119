//! Store benchmarks on a shop with 1,000,000 orders / 3,000,000 lines (100,000 of them open):
//! a page of 100 pending orders, reservation totals, importing 10,000 orders, and opening the
//! file to its first page (the quick check at open; the full `integrity_check` runs beside it). A plain timing binary (median of repeated runs), so it
//! needs no extra dependency: `cargo bench -p punte-store --bench store`.
//! The generated database is kept (path in `PUNTE_BENCH_DB`, default in the temp dir) and reused.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use punte_core::money::Currency;
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState};
use punte_core::product::ProductCode;
use punte_store::{Change, IntegrityStatus, OrderQuery, StatusFilter, Store, StoreHandle};
use rust_decimal::Decimal;

const ORDERS: u64 = 1_000_000;
const OPEN_EVERY: u64 = 10; // every 10th order is open: 100,000 open orders
const PRODUCTS: u64 = 2_000;
const IMPORT: u64 = 10_000;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(minute)
}

fn make_order(id: u64, state: OrderState) -> Order {
    let lines = (0..3)
        .map(|k| OrderLine {
            id: LineId(id * 3 + k),
            code: Some(ProductCode(format!(
                "SKU-{:05}",
                (id * 7 + k * 13) % PRODUCTS
            ))),
            variant_id: None,
            title: "Tricou alb, mărimea M".into(),
            quantity: 1 + ((id + k) % 3) as i64,
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
        created_at: at(id as i64),
        state,
        lines,
        shipping: Vec::new(),
        customer: Customer {
            name: format!("Client {id}"),
            email: Some(format!("client{id}@example.ro")),
            address: "Str. Lungă 1".into(),
            city: "Cluj-Napoca".into(),
            county: "Cluj".into(),
            country: "RO".into(),
            ..Customer::default()
        },
        currency: Currency::ron(),
        taxes_included: true,
        total: Decimal::new(14997, 2),
    }
}

/// 100,000 open orders, 1,000 invoiced without discharge (also reserving), the rest closed.
fn state_of(id: u64) -> OrderState {
    if id.is_multiple_of(OPEN_EVERY) {
        return OrderState::Open;
    }
    if id % 1000 == 7 {
        return OrderState::Invoiced {
            stock_discharged: false,
        };
    }
    match id % 10 {
        1..=7 => OrderState::Invoiced {
            stock_discharged: true,
        },
        8 => OrderState::Dispatched,
        _ => OrderState::Cancelled,
    }
}

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn build(path: &Path) {
    let started = Instant::now();
    let mut store = Store::open(path).unwrap();
    let change = Change::new(at(0), "imported", "bench");
    for chunk_start in (1..=ORDERS).step_by(10_000) {
        let batch: Vec<Order> = (chunk_start..chunk_start + 10_000)
            .map(|id| make_order(id, state_of(id)))
            .collect();
        store.import_orders(&batch, &change).unwrap();
    }
    eprintln!(
        "built {ORDERS} orders in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` lists; nothing to list here
    }
    let path = std::env::var_os("PUNTE_BENCH_DB").map_or_else(
        || std::env::temp_dir().join("punte-store-bench-1m.db"),
        PathBuf::from,
    );
    let count = || -> u64 {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))
            .unwrap_or(0)
    };
    if !path.exists() || count() != ORDERS {
        let _ = std::fs::remove_file(&path);
        build(&path);
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    // Opening as the app does: the store thread (quick check at open), the first page of
    // pending orders through it, while the full check starts beside it.
    let t = Instant::now();
    let handle = StoreHandle::open(path.clone()).unwrap();
    let opened = t.elapsed();
    let page = handle
        .call(|s| s.orders_page(&OrderQuery::new(StatusFilter::Pending, 100)))
        .wait()
        .unwrap();
    assert_eq!(page.items.len(), 100);
    let first_page = t.elapsed();
    let full_check = loop {
        match handle.integrity() {
            IntegrityStatus::Running => std::thread::sleep(Duration::from_millis(10)),
            status => break (t.elapsed(), status),
        }
    };
    assert!(
        matches!(full_check.1, IntegrityStatus::Ok { .. }),
        "{full_check:?}"
    );
    drop(handle);

    let t = Instant::now();
    let mut store = Store::open(&path).unwrap();
    let open = t.elapsed();
    let t = Instant::now();
    store.integrity_check().unwrap();
    let full_alone = t.elapsed();

    let pending = OrderQuery::new(StatusFilter::Pending, 100);
    let first = median(
        || assert_eq!(store.orders_page(&pending).unwrap().items.len(), 100),
        51,
    );
    let mut deep = pending.clone();
    deep.after = store
        .orders_page(&OrderQuery::new(StatusFilter::Pending, 50_000))
        .unwrap()
        .next;
    let deep_t = median(
        || assert_eq!(store.orders_page(&deep).unwrap().items.len(), 100),
        51,
    );
    let newest = OrderQuery {
        newest_first: true,
        ..OrderQuery::new(StatusFilter::Reserving, 100)
    };
    let newest_t = median(
        || assert_eq!(store.orders_page(&newest).unwrap().items.len(), 100),
        51,
    );
    let search = OrderQuery {
        search: Some("client99".into()),
        ..OrderQuery::new(StatusFilter::All, 100)
    };
    let search_t = median(|| drop(store.orders_page(&search).unwrap()), 5);

    let table = median(
        || assert!(!store.reservations().unwrap().sorted().is_empty()),
        51,
    );
    let derived = median(|| drop(store.reservations_from_lines().unwrap()), 11);
    assert_eq!(
        store.reservations().unwrap(),
        store.reservations_from_lines().unwrap()
    );

    let new: Vec<Order> = (ORDERS + 1..=ORDERS + IMPORT)
        .map(|id| make_order(id, OrderState::Open))
        .collect();
    let t = Instant::now();
    store
        .import_orders(&new, &Change::new(at(0), "imported", "bench"))
        .unwrap();
    let import = t.elapsed();
    drop(store);
    // Put the file back to 1,000,000 orders so the next run measures the same thing.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!(
        "BEGIN; DELETE FROM order_lines WHERE order_id > {ORDERS};
         DELETE FROM order_history WHERE order_id > {ORDERS};
         DELETE FROM orders WHERE id > {ORDERS}; COMMIT;"
    ))
    .unwrap();

    println!("| measurement | result | target |");
    println!("|---|---|---|");
    println!(
        "| DB file | {} MB, {ORDERS} orders, {} lines | |",
        size / 1_000_000,
        ORDERS * 3
    );
    println!(
        "| `StoreHandle::open` (quick check at open) to first page of 100 pending | {} (open {}) | ≤ 1 s |",
        ms(first_page),
        ms(opened)
    );
    println!(
        "| full `integrity_check` beside it, done after | {} ({:?}) | |",
        ms(full_check.0),
        full_check.1
    );
    println!("| `Store::open` alone, again | {} | |", ms(open));
    println!(
        "| the full `integrity_check` alone (`Store::integrity_check`) | {} | |",
        ms(full_alone)
    );
    println!(
        "| page of 100 pending, oldest first | {} | ≤ 20 ms |",
        ms(first)
    );
    println!(
        "| page of 100 pending after 50,000 | {} | ≤ 20 ms |",
        ms(deep_t)
    );
    println!(
        "| page of 100 reserving, newest first | {} | ≤ 20 ms |",
        ms(newest_t)
    );
    println!(
        "| search \"client99\" (substring, all) | {} | |",
        ms(search_t)
    );
    println!(
        "| reservation totals (kept table) | {} | ≤ 100 ms |",
        ms(table)
    );
    println!(
        "| reservation totals (summed from lines) | {} | ≤ 100 ms |",
        ms(derived)
    );
    println!(
        "| import 10,000 orders / 30,000 lines | {} | ≤ 2 s |",
        ms(import)
    );
}
