//! Order revisions (migration 0005): every change the InStock walk reads moves an order's
//! revision, so `reserving_changes(Some(rev))` hands the engine exactly the orders it must
//! re-read; a re-import that changes nothing, and the verdicts themselves, move nothing.

mod common;

use common::{change, order};
use punte_core::instock::{InStockReport, OrderVerdict, Verdict};
use punte_core::order::{LineId, OrderId, OrderState};
use punte_store::{ReservingChanges, Store};

fn ids(c: &ReservingChanges) -> Vec<(u64, bool)> {
    c.orders.iter().map(|o| (o.id.0, o.reserving)).collect()
}

#[test]
fn only_changed_orders_come_back_and_those_that_stopped_reserving_say_so() {
    let mut s = Store::open_in_memory().unwrap();
    let mut closed = order(3, 2, &[("C", 1)]);
    closed.state = OrderState::Cancelled;
    s.import_orders(
        &[
            order(1, 0, &[("A", 2), ("B", 1)]),
            order(2, 1, &[("A", 3)]),
            closed,
        ],
        &change(10, "imported"),
    )
    .unwrap();

    let all = s.reserving_changes(None).unwrap();
    assert_eq!(ids(&all), [(1, true), (2, true)], "only reserving orders");
    assert_eq!(
        all.orders[0].lines,
        [
            (LineId(100), Some("A".into()), 2),
            (LineId(101), Some("B".into()), 1)
        ]
    );
    let rev = all.rev;
    assert_eq!(ids(&s.reserving_changes(Some(rev)).unwrap()), []);

    // A re-import that changes nothing InStock reads moves nothing.
    s.import_orders(
        &[order(1, 0, &[("A", 2), ("B", 1)])],
        &change(11, "imported"),
    )
    .unwrap();
    assert_eq!(ids(&s.reserving_changes(Some(rev)).unwrap()), []);

    // Verdicts are not changes.
    let report = InStockReport {
        verdicts: vec![OrderVerdict {
            order_id: OrderId(1),
            position: 0,
            verdict: Verdict::InStock,
            unchecked_lines: Vec::new(),
        }],
        takers: Vec::new(),
    };
    s.record_in_stock(&report).unwrap();
    assert_eq!(ids(&s.reserving_changes(Some(rev)).unwrap()), []);

    // An edited quantity, a new order, and a dispatched one.
    s.import_orders(
        &[order(1, 0, &[("A", 5), ("B", 1)]), order(4, 3, &[("D", 1)])],
        &change(12, "imported"),
    )
    .unwrap();
    s.set_order_state(
        OrderId(2),
        OrderState::Dispatched,
        &change(13, "dispatched"),
    )
    .unwrap();
    let next = s.reserving_changes(Some(rev)).unwrap();
    assert_eq!(ids(&next), [(1, true), (2, false), (4, true)]);
    assert_eq!(next.orders[0].lines[0], (LineId(100), Some("A".into()), 5));
    assert!(
        next.orders[1].lines.is_empty(),
        "no lines for an order that left"
    );
    assert!(next.rev > rev);
    assert_eq!(ids(&s.reserving_changes(Some(next.rev)).unwrap()), []);

    // A removed line, a changed code, and invoiced without discharge (still reserving).
    s.import_orders(&[order(1, 0, &[("Z", 5)])], &change(14, "imported"))
        .unwrap();
    s.set_order_state(
        OrderId(4),
        OrderState::Invoiced {
            stock_discharged: false,
        },
        &change(15, "invoiced"),
    )
    .unwrap();
    let last = s.reserving_changes(Some(next.rev)).unwrap();
    assert_eq!(ids(&last), [(1, true), (4, true)]);
    assert_eq!(last.orders[0].lines, [(LineId(100), Some("Z".into()), 5)]);
}
