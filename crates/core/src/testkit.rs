//! Builders shared by the unit tests, so each test states only what it is about.

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::money::Currency;
use crate::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState};
use crate::product::ProductCode;

/// A decimal from a literal written in the test.
pub fn d(text: &str) -> Decimal {
    text.parse().expect("test decimals are valid literals")
}

/// An instant `minute` minutes after 2026-09-01 08:00 UTC.
pub fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap() + chrono::Duration::minutes(minute)
}

/// A line of `quantity` units of `code`, priced at 10 with no discount.
pub fn line(id: u64, code: &str, quantity: i64) -> OrderLine {
    OrderLine {
        id: LineId(id),
        code: Some(ProductCode::from(code)),
        variant_id: None,
        title: format!("Product {code}"),
        quantity,
        refunded: 0,
        fulfilled: 0,
        unit_price: d("10"),
        discount: Decimal::ZERO,
        vat_rate: None,
        tax: Decimal::ZERO,
        taxable: true,
    }
}

/// An open order created `minute` minutes into the test day, with (code, quantity) lines.
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
        customer: Customer::default(),
        currency: Currency::ron(),
        taxes_included: true,
        total: Decimal::ZERO,
    }
}
