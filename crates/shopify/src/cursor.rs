//! The order-import cursor. Each import reaches back an overlap window before the cursor,
//! because Shopify's `updated_at` index can lag; the cursor remembers a fingerprint of each order
//! delivered inside that window, so a re-read unchanged order is dropped while a change, even one
//! within the same second (timestamps have whole seconds), comes through.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::orders::ShopifyOrder;

/// Where the last import stopped. Store it as it is (it serializes) and pass it back next time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCursor {
    /// The latest `updatedAt` delivered; None before the first import (everything is read).
    pub updated_at: Option<DateTime<Utc>>,
    /// Orders delivered within the overlap window before `updated_at`.
    pub seen: Vec<SeenOrder>,
}

/// An order as last delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SeenOrder {
    pub updated_at: DateTime<Utc>,
    pub id: u64,
    /// FNV-1a of what the import reads (quantities, status, totals), stable across releases.
    pub fingerprint: u64,
}

/// One import: orders new or changed since the cursor, oldest change first, and the next cursor.
#[derive(Debug, Clone)]
pub struct OrderPage {
    pub orders: Vec<ShopifyOrder>,
    pub cursor: OrderCursor,
    /// Fields Shopify withheld from the orders read (one per field name, with Shopify's
    /// message): protected customer data the app has no access to. Empty normally.
    pub withheld: Vec<crate::Withheld>,
}

/// Stable 64-bit FNV-1a of the parts of an order that matter downstream.
fn fingerprint(o: &ShopifyOrder) -> u64 {
    let lines: Vec<_> = o
        .lines
        .iter()
        .map(|l| {
            (
                l.id.0,
                l.current_quantity,
                l.unfulfilled_quantity,
                l.sku.as_deref(),
            )
        })
        .collect();
    let text = format!(
        "{}|{:?}|{:?}|{:?}|{}|{}|{}|{lines:?}",
        o.updated_at.timestamp(),
        o.cancelled_at.map(|t| t.timestamp()),
        o.closed_at.map(|t| t.timestamp()),
        o.financial_status,
        o.fulfillment_status,
        o.total,
        o.total_refunded,
    );
    // Appended only when something was withheld, so earlier fingerprints stay the same; an
    // order read again with its customer data (access granted since) is delivered again.
    let text = if o.withheld.is_empty() {
        text
    } else {
        format!("{text}|withheld {:?}", o.withheld)
    };
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// True when the cursor already delivered `o` as it is now.
pub(crate) fn delivered(cursor: &OrderCursor, o: &ShopifyOrder) -> bool {
    let print = fingerprint(o);
    cursor
        .seen
        .iter()
        .any(|s| s.id == o.id.0 && s.fingerprint == print)
}

/// Drops orders the cursor already delivered unchanged (and earlier copies of an order read
/// twice while paging), and moves the cursor to the latest `updatedAt`.
pub(crate) fn advance(
    cursor: &OrderCursor,
    fetched: Vec<ShopifyOrder>,
    overlap: TimeDelta,
) -> OrderPage {
    let mut orders: Vec<(ShopifyOrder, u64)> = Vec::new();
    for o in fetched {
        if delivered(cursor, &o) {
            continue;
        }
        let print = fingerprint(&o);
        // Paging by updated_at can return an order twice if it changed meanwhile: keep the last.
        orders.retain(|(p, _)| p.id != o.id);
        orders.push((o, print));
    }
    orders.sort_by_key(|(o, _)| (o.updated_at, o.id));
    let latest = orders
        .iter()
        .map(|(o, _)| o.updated_at)
        .chain(cursor.updated_at)
        .max();
    let delivered = orders.iter().map(|(o, print)| SeenOrder {
        updated_at: o.updated_at,
        id: o.id.0,
        fingerprint: *print,
    });
    let mut seen: Vec<SeenOrder> = cursor
        .seen
        .iter()
        .filter(|s| !orders.iter().any(|(o, _)| o.id.0 == s.id))
        .copied()
        .chain(delivered)
        .filter(|s| latest.is_some_and(|l| s.updated_at >= l - overlap))
        .collect();
    seen.sort_unstable();
    OrderPage {
        withheld: Vec::new(),
        orders: orders.into_iter().map(|(o, _)| o).collect(),
        cursor: OrderCursor {
            updated_at: latest,
            seen,
        },
    }
}

#[cfg(test)]
#[path = "cursor_tests.rs"]
mod tests;
