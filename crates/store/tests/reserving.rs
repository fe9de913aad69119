//! The orders that reserve stock, read together for the InStock walk; a dispatched order drops
//! out of them and loses its verdict. The compact input read straight from the rows gives the
//! same report as the orders.

mod common;

use std::collections::HashMap;

use common::{change, order};
use punte_core::instock::{Verdict, allocate, allocate_input};
use punte_core::order::{OrderId, OrderState};
use punte_core::product::ProductCode;
use punte_store::Store;

#[test]
fn reserving_orders_come_back_with_their_lines_for_the_walk() {
    let mut s = Store::open_in_memory().unwrap();
    let orders = [
        order(1, 0, &[("A", 2), ("B", 1)]),
        order(2, 5, &[("A", 3)]),
        order(3, 9, &[("B", 4)]),
    ];
    s.import_orders(&orders, &change(10, "imported")).unwrap();
    let back = s.reserving_orders().unwrap();
    assert_eq!(back.len(), 3);
    for (got, want) in back.iter().zip(&orders) {
        assert_eq!(
            (got.id, got.created_at, got.state),
            (want.id, want.created_at, want.state)
        );
        assert_eq!(got.lines, want.lines);
    }

    // AvailableStock A = 2, B = 5 (Shopify's level is that minus what is reserved): order 1
    // takes A 2 and B 1; order 2 (A 3, none left) does not fit; order 3 takes B 4.
    let levels = HashMap::from([
        (ProductCode::from("A"), 2 - 5),
        (ProductCode::from("B"), 5 - 5),
    ]);
    s.record_in_stock(&allocate(&levels, &back)).unwrap();
    let verdict = |s: &Store, id| s.order(OrderId(id)).unwrap().unwrap().in_stock;
    assert_eq!(
        (verdict(&s, 1), verdict(&s, 2), verdict(&s, 3)),
        (Some(true), Some(false), Some(true))
    );

    s.set_order_state(
        OrderId(2),
        OrderState::Dispatched,
        &change(11, "dispatched"),
    )
    .unwrap();
    assert_eq!(s.reserving_orders().unwrap().len(), 2);
    assert_eq!(verdict(&s, 2), None, "a dispatched order has no verdict");
    assert_eq!(verdict(&s, 1), Some(true));
}

/// A shop's worth of orders: shared and untracked codes, custom lines, zero quantities, an order
/// without lines, equal creation times, and every state (only open and invoiced-kept reserve).
fn shop(orders: u64) -> Vec<punte_core::order::Order> {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    (1..=orders)
        .map(|id| {
            let lines: Vec<(String, i64)> = (0..next(4))
                .map(|_| (format!("P{}", next(40)), next(4) as i64))
                .collect();
            let refs: Vec<(&str, i64)> = lines.iter().map(|(c, q)| (c.as_str(), *q)).collect();
            // Creation times collide often (minutes 0..30) and are not in id order.
            let mut o = order(id, next(30) as i64, &refs);
            if let Some(l) = o.lines.get_mut(1).filter(|_| id % 5 == 0) {
                l.code = None; // a custom item
            }
            o.state = match id % 11 {
                0 => OrderState::Dispatched,
                1 => OrderState::Cancelled,
                2 => OrderState::Invoiced {
                    stock_discharged: true,
                },
                3 => OrderState::Invoiced {
                    stock_discharged: false,
                },
                _ => OrderState::Open,
            };
            o
        })
        .collect()
}

#[test]
fn the_input_built_from_rows_gives_the_same_report_as_the_orders() {
    let mut s = Store::open_in_memory().unwrap();
    let orders = shop(400);
    assert!(orders.iter().any(|o| o.lines.is_empty()));
    s.import_orders(&orders, &change(40, "imported")).unwrap();
    // P0..P29 tracked (P30..P39 untracked), levels −3..6 so some orders fall short.
    let mut levels: HashMap<ProductCode, i64> = (0..30)
        .map(|p| (ProductCode(format!("P{p}")), (p % 10) - 3))
        .collect();
    levels.insert(ProductCode::from("UNSOLD"), 7);

    let input = s.instock_input(&levels).unwrap();
    let from_rows = allocate_input(&input).into_report(&input);
    let from_orders = allocate(&levels, &s.reserving_orders().unwrap());
    assert_eq!(from_rows, from_orders);

    // The fixture exercises what it claims to.
    let reserving = orders.iter().filter(|o| o.reserves_stock()).count();
    assert_eq!(input.orders(), reserving);
    assert!(reserving < orders.len(), "some orders do not reserve");
    let v = &from_rows.verdicts;
    assert!(v.iter().any(|v| v.verdict == Verdict::InStock));
    assert!(
        v.iter()
            .any(|v| matches!(v.verdict, Verdict::NotInStock { .. }))
    );
    assert!(v.iter().any(|v| !v.unchecked_lines.is_empty()));
    assert_eq!(input.products(), 30, "only codes some line names are added");

    // Nothing reserving: an empty input and an empty report.
    let empty = Store::open_in_memory()
        .unwrap()
        .instock_input(&levels)
        .unwrap();
    assert_eq!((empty.orders(), empty.products()), (0, 0));
}
