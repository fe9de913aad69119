//! The app benches' shop: a store with 100,000 orders (3 lines each, 10% open with an InStock
//! verdict, the rest invoiced, dispatched or cancelled; 100 with an invoice needing review),
//! built once through the store's own API and kept at `PUNTE_BENCH_APP_DB` (default
//! `/tmp/punte-app-bench-100k.db`). Order ids start at 10,000,000 so the shop simulator's own
//! orders (benches/shop), imported on top by the first sync, never collide with them.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use punte_core::instock::{InStockReport, OrderVerdict, Verdict};
use punte_core::money::Currency;
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState};
use punte_core::product::ProductCode;
use punte_store::{Change, InvoiceIntent, OutboxState, Store};
use rust_decimal::Decimal;

pub const ORDERS: u64 = 100_000;
pub const FIRST_ID: u64 = 10_000_000;
const BATCH: u64 = 10_000;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(minute)
}

fn state_of(n: u64) -> OrderState {
    match n % 10 {
        0 => OrderState::Open,
        1..=3 => OrderState::Invoiced {
            stock_discharged: true,
        },
        4..=8 => OrderState::Dispatched,
        _ => OrderState::Cancelled,
    }
}

fn order(n: u64) -> Order {
    let id = FIRST_ID + n;
    let lines = (0..3)
        .map(|k| OrderLine {
            id: LineId(id * 3 + k),
            code: Some(ProductCode(format!(
                "PNT-BEN-{:04}",
                (n * 7 + k * 13) % 2000
            ))),
            variant_id: None,
            title: "Tricou motiv popular, mărimea M".into(),
            quantity: 1 + ((n + k) % 3) as i64,
            refunded: 0,
            fulfilled: 0,
            unit_price: Decimal::new(8999, 2),
            discount: Decimal::ZERO,
            vat_rate: None,
            tax: Decimal::ZERO,
            taxable: true,
        })
        .collect();
    Order {
        id: OrderId(id),
        name: format!("#B{n}"),
        created_at: at(n as i64),
        state: state_of(n),
        lines,
        shipping: Vec::new(),
        customer: Customer {
            name: format!("Client {n}"),
            email: Some(format!("client{n}@example.ro")),
            address: "Str. Lungă 1".into(),
            city: "Cluj-Napoca".into(),
            county: "Cluj".into(),
            country: "RO".into(),
            ..Customer::default()
        },
        currency: Currency::ron(),
        taxes_included: true,
        total: Decimal::new(26997, 2),
    }
}

fn build(path: &Path) {
    let started = Instant::now();
    let mut store = Store::open(path).expect("open the bench store");
    let change = Change::new(at(0), "imported", "bench");
    for start in (0..ORDERS).step_by(BATCH as usize) {
        let batch: Vec<Order> = (start..start + BATCH).map(order).collect();
        store.import_orders(&batch, &change).expect("import");
    }
    let verdicts = (0..ORDERS)
        .filter(|n| n % 10 == 0)
        .enumerate()
        .map(|(position, n)| OrderVerdict {
            order_id: OrderId(FIRST_ID + n),
            position,
            verdict: if n % 20 == 0 {
                Verdict::InStock
            } else {
                Verdict::NotInStock {
                    shortfalls: Vec::new(),
                }
            },
            unchecked_lines: Vec::new(),
        })
        .collect();
    store
        .record_in_stock(&InStockReport {
            verdicts,
            takers: Vec::new(),
        })
        .expect("verdicts");
    for n in (0..ORDERS).step_by(1000) {
        let intent = InvoiceIntent {
            order_id: OrderId(FIRST_ID + n),
            idempotency_key: format!("bench-{n}"),
            service: "smartbill".into(),
            stock_discharge: true,
            draft: "{}".into(),
        };
        let item = store
            .add_invoice_intent(&intent, at(n as i64))
            .expect("intent");
        store
            .set_outbox_state(item, OutboxState::NeedsReview, Some("bench"), at(n as i64))
            .expect("needs review");
    }
    eprintln!(
        "seed: {ORDERS} orders written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The seeded database (built on first use, then reused).
pub fn database() -> PathBuf {
    let path = std::env::var_os("PUNTE_BENCH_APP_DB").map_or_else(
        || PathBuf::from("/tmp/punte-app-bench-100k.db"),
        PathBuf::from,
    );
    let complete = path.with_extension("done");
    if !complete.exists() {
        let _ = std::fs::remove_file(&path);
        build(&path);
        std::fs::write(&complete, b"ok").expect("mark the seed complete");
    }
    path
}

/// A fresh data folder holding a copy of the seeded database as `punte.db`.
#[allow(dead_code)] // orders_page only
pub fn data_dir_with_orders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = database();
    std::fs::copy(&db, dir.path().join("punte.db")).expect("copy the seeded store");
    dir
}
