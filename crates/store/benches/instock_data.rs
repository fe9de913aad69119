//! The InStock bench data, shared by `crates/store/benches/instock.rs` and
//! `crates/engine/benches/instock_refresh.rs` (included by path): 100,000 reserving orders × 3
//! lines over 20,000 products plus about 10,000 closed orders, built through `import_orders` into
//! a real SQLite file kept in the temp dir (or `PUNTE_BENCH_INSTOCK_DB`) and reused.
#![allow(dead_code)] // each bench uses a different subset

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use punte_core::money::Currency;
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState};
use punte_core::product::ProductCode;
use punte_store::{Change, Store};
use rust_decimal::Decimal;

pub const RESERVING: u64 = 100_000;
pub const PRODUCTS: u64 = 20_000;

pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn code(p: u64) -> ProductCode {
    ProductCode(format!("SKU-{p:05}"))
}

/// Creation times shuffled over 30 days (to the minute, so some collide).
pub fn created(id: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap()
        + chrono::Duration::minutes((mix(id) % (30 * 24 * 60)) as i64)
}

/// Every 11th order is closed; of the rest, 3 % are invoiced without discharge (they reserve).
pub fn state_of(id: u64) -> OrderState {
    match (id % 11, mix(id ^ 0xabc) % 100) {
        (0, r) if r < 50 => OrderState::Dispatched,
        (0, _) => OrderState::Cancelled,
        (_, r) if r < 3 => OrderState::Invoiced {
            stock_discharged: false,
        },
        _ => OrderState::Open,
    }
}

pub fn make_order(id: u64) -> Order {
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
pub fn levels() -> HashMap<ProductCode, i64> {
    (0..PRODUCTS)
        .map(|p| (code(p), (mix(p ^ 0x5eed) % 15) as i64 - 5))
        .collect()
}

pub fn build(path: &Path) {
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

/// The bench file: built unless it holds the expected reserving orders.
pub fn database() -> PathBuf {
    let path = std::env::var_os("PUNTE_BENCH_INSTOCK_DB").map_or_else(
        || std::env::temp_dir().join("punte-store-bench-instock-100k.db"),
        PathBuf::from,
    );
    let reserving = || -> u64 {
        Store::open(&path)
            .and_then(|s| s.reserving_changes(None))
            .map_or(0, |c| c.orders.len() as u64)
    };
    if !path.exists() || reserving() != RESERVING {
        build(&path);
    }
    path
}
