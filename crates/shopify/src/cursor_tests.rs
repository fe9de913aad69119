//! Cursor de-duplication: the overlap window re-reads orders, and only changes not yet
//! delivered come out.

use chrono::{DateTime, TimeDelta, Utc};
use punte_core::money::Currency;
use punte_core::order::OrderId;
use rust_decimal::Decimal;

use super::{OrderCursor, advance};
use crate::orders::ShopifyOrder;

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000 + secs, 0).expect("valid time")
}

fn order(id: u64, updated: i64) -> ShopifyOrder {
    ShopifyOrder {
        id: OrderId(id),
        name: format!("#{id}"),
        created_at: at(0),
        updated_at: at(updated),
        cancelled_at: None,
        cancel_reason: None,
        closed_at: None,
        test: false,
        financial_status: None,
        fulfillment_status: "UNFULFILLED".into(),
        payment_gateways: Vec::new(),
        currency: Currency::ron(),
        taxes_included: true,
        email: None,
        phone: None,
        note: None,
        customer_first_name: None,
        customer_last_name: None,
        billing_address: None,
        shipping_address: None,
        lines: Vec::new(),
        shipping: Vec::new(),
        subtotal: Decimal::ZERO,
        total: Decimal::ZERO,
        total_tax: Decimal::ZERO,
        total_discounts: Decimal::ZERO,
        total_shipping: Decimal::ZERO,
        total_refunded: Decimal::ZERO,
        refunds: Vec::new(),
        vat_rate: None,
        withheld: Vec::new(),
    }
}

#[test]
fn overlap_rereads_are_dropped_and_new_changes_kept() {
    let window = TimeDelta::seconds(300);
    let first = advance(
        &OrderCursor::default(),
        vec![order(1, 10), order(2, 20)],
        window,
    );
    assert_eq!(first.orders.len(), 2);
    assert_eq!(first.cursor.updated_at, Some(at(20)));
    // The next query reaches back 300 s: orders 1 and 2 come again, unchanged; order 1 also
    // changed later, and order 3 is new.
    let fetched = vec![order(1, 10), order(2, 20), order(3, 25), order(1, 30)];
    let second = advance(&first.cursor, fetched, window);
    let got: Vec<_> = second
        .orders
        .iter()
        .map(|o| (o.id.0, o.updated_at))
        .collect();
    assert_eq!(got, vec![(3, at(25)), (1, at(30))]);
    assert_eq!(second.cursor.updated_at, Some(at(30)));
    // Nothing new: nothing delivered, cursor unchanged.
    let third = advance(&second.cursor, vec![order(3, 25), order(1, 30)], window);
    assert!(third.orders.is_empty());
    assert_eq!(third.cursor.updated_at, Some(at(30)));
}

#[test]
fn seen_entries_older_than_the_window_are_forgotten() {
    let window = TimeDelta::seconds(60);
    let page = advance(
        &OrderCursor::default(),
        vec![order(1, 0), order(2, 1000)],
        window,
    );
    let kept: Vec<_> = page
        .cursor
        .seen
        .iter()
        .map(|s| (s.id, s.updated_at))
        .collect();
    assert_eq!(kept, vec![(2, at(1000))]);
}

#[test]
fn a_change_within_the_same_second_is_not_lost() {
    let window = TimeDelta::seconds(300);
    let first = advance(&OrderCursor::default(), vec![order(1, 10)], window);
    let mut refunded = order(1, 10);
    refunded.total_refunded = Decimal::ONE;
    let second = advance(&first.cursor, vec![refunded.clone()], window);
    assert_eq!(
        second.orders,
        vec![refunded],
        "same updatedAt, different content"
    );
    assert_eq!(
        second.cursor.seen.len(),
        1,
        "the older fingerprint is replaced"
    );
}
