//! The Romanian orders the invoice draft tests are made of: an order line (with or without a
//! code, discount and VAT rate), a courier's shipping line, an order with its Shopify total, and
//! a draft summed up as (kind, quantity, unit price, VAT rate) per line.

use rust_decimal::Decimal;

use crate::invoice::{DraftLineKind, InvoiceDraft};
use crate::money::{Currency, VatRate};
use crate::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState, ShippingLine};
use crate::product::ProductCode;
use crate::testkit::{at, d};

pub(super) fn line(
    id: u64,
    code: &str,
    qty: i64,
    price: &str,
    discount: &str,
    rate: Option<&str>,
) -> OrderLine {
    OrderLine {
        id: LineId(id),
        code: (!code.is_empty()).then(|| ProductCode::from(code)),
        variant_id: None,
        title: format!("Shopify {code}"),
        quantity: qty,
        refunded: 0,
        fulfilled: 0,
        unit_price: d(price),
        discount: d(discount),
        vat_rate: rate.map(|r| VatRate(d(r))),
        tax: Decimal::ZERO,
        taxable: true,
    }
}

pub(super) fn shipping(price: &str, discount: &str) -> ShippingLine {
    ShippingLine {
        title: "Fan Courier".into(),
        price: d(price),
        discount: d(discount),
        vat_rate: None,
        tax: Decimal::ZERO,
    }
}

pub(super) fn shop_order(lines: Vec<OrderLine>, shipping: Vec<ShippingLine>, total: &str) -> Order {
    Order {
        id: OrderId(5_512_345_678),
        name: "#1001".into(),
        created_at: at(0),
        state: OrderState::Open,
        lines,
        shipping,
        customer: Customer {
            name: "Ion Popescu".into(),
            ..Customer::default()
        },
        currency: Currency::ron(),
        taxes_included: true,
        total: d(total),
    }
}

pub(super) fn summary(draft: &InvoiceDraft) -> Vec<(DraftLineKind, i64, Decimal, Decimal)> {
    draft
        .lines
        .iter()
        .map(|l| (l.kind, l.quantity, l.unit_price, l.vat_rate.0))
        .collect()
}
