//! Builders shared by the store's integration tests, so each test states only what it is about.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use punte_core::money::Currency;
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState};
use punte_core::product::ProductCode;
use punte_store::Change;
use rust_decimal::Decimal;

/// An instant `minute` minutes after 2026-09-01 08:00 UTC.
pub fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap() + chrono::Duration::minutes(minute)
}

/// A decimal from a literal written in the test.
pub fn d(text: &str) -> Decimal {
    text.parse().expect("test decimals are valid literals")
}

/// A sync-made change at `minute`.
pub fn change(minute: i64, reason: &str) -> Change {
    Change::new(at(minute), reason, "sync")
}

/// A line of `quantity` units of `code` priced 10.50 with 21 % VAT.
pub fn line(id: u64, code: &str, quantity: i64) -> OrderLine {
    OrderLine {
        id: LineId(id),
        code: Some(ProductCode::from(code)),
        variant_id: None,
        title: format!("Produs {code}, \"mare\""),
        quantity,
        refunded: 0,
        fulfilled: 0,
        unit_price: d("10.50"),
        discount: Decimal::ZERO,
        vat_rate: Some(punte_core::money::VatRate(d("21"))),
        tax: d("1.82"),
        taxable: true,
    }
}

/// An open order created `minute` minutes into the day, with (code, quantity) lines whose ids
/// are `id * 100 + position`.
pub fn order(id: u64, minute: i64, lines: &[(&str, i64)]) -> Order {
    Order {
        id: OrderId(id),
        name: format!("#{}", 1000 + id),
        created_at: at(minute),
        state: OrderState::Open,
        lines: lines
            .iter()
            .enumerate()
            .map(|(i, (code, qty))| line(id * 100 + i as u64, code, *qty))
            .collect(),
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
        total: d("31.50"),
    }
}

/// A fresh directory under the system temp dir, unique per test and process.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("punte-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir must be creatable");
    dir
}
