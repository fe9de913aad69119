//! The orders that reserve stock, read together for the InStock walk; a dispatched order drops
//! out of them and loses its verdict.

mod common;

use std::collections::HashMap;

use common::{change, order};
use punte_core::instock::allocate;
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
