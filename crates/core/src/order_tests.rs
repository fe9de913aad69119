//! Table-driven tests for the order lifecycle and what each state reserves.

use super::*;
use crate::testkit::{line, order};
use rstest::rstest;

fn reserved(order: &Order) -> Vec<(String, i64)> {
    order
        .reserved_lines()
        .map(|(c, q)| (c.0.clone(), q))
        .collect()
}

#[rstest]
#[case::open_reserves(vec![], true)]
#[case::invoiced_with_discharge_releases(vec![OrderEvent::Invoiced { stock_discharged: true }], false)]
#[case::invoiced_without_discharge_keeps(vec![OrderEvent::Invoiced { stock_discharged: false }], true)]
#[case::dispatched_releases(vec![OrderEvent::MarkedDispatched], false)]
#[case::cancelled_releases(vec![OrderEvent::Cancelled], false)]
#[case::invoiced_no_discharge_then_dispatched(
    vec![OrderEvent::Invoiced { stock_discharged: false }, OrderEvent::MarkedDispatched], false)]
#[case::fulfilment_alone_keeps(vec![OrderEvent::Fulfilled { line: LineId(100), quantity: 2 }], true)]
#[case::full_refund_reserves_nothing(vec![OrderEvent::RefundedInFull], false)]
fn reservation_follows_lifecycle(#[case] events: Vec<OrderEvent>, #[case] reserves: bool) {
    let mut o = order(1, 0, &[("A", 2), ("B", 1)]);
    for e in events {
        o.apply(e).expect("every event in this table is allowed");
    }
    assert_eq!(!reserved(&o).is_empty(), reserves, "state {:?}", o.state);
}

#[rstest]
#[case::invoice_twice(OrderState::Invoiced { stock_discharged: true }, OrderEvent::Invoiced { stock_discharged: true })]
#[case::invoice_after_dispatch(OrderState::Dispatched, OrderEvent::Invoiced { stock_discharged: true })]
#[case::dispatch_twice(OrderState::Dispatched, OrderEvent::MarkedDispatched)]
#[case::anything_after_cancel(OrderState::Cancelled, OrderEvent::MarkedDispatched)]
#[case::refund_after_cancel(OrderState::Cancelled, OrderEvent::RefundedInFull)]
#[case::cancel_twice(OrderState::Cancelled, OrderEvent::Cancelled)]
fn rejects_invalid_transitions(#[case] from: OrderState, #[case] event: OrderEvent) {
    let mut o = order(1, 0, &[("A", 2)]);
    o.state = from;
    let before = o.clone();
    let err = o.apply(event).expect_err("this transition must be refused");
    assert!(
        matches!(err, OrderError::InvalidTransition { .. }),
        "{err:?}"
    );
    assert_eq!(o, before, "a refused event leaves the order unchanged");
}

#[rstest]
#[case::partial_refund(OrderEvent::Refunded { line: LineId(100), quantity: 1 }, Ok(vec![("A", 2), ("B", 1)]))]
#[case::refund_whole_line(OrderEvent::Refunded { line: LineId(101), quantity: 1 }, Ok(vec![("A", 3)]))]
#[case::refund_too_much(OrderEvent::Refunded { line: LineId(101), quantity: 2 },
    Err(OrderError::QuantityTooLarge { line: LineId(101), requested: 2, allowed: 1 }))]
#[case::refund_negative(OrderEvent::Refunded { line: LineId(100), quantity: -1 }, Err(OrderError::NegativeQuantity(-1)))]
#[case::refund_unknown_line(OrderEvent::Refunded { line: LineId(7), quantity: 1 }, Err(OrderError::UnknownLine(LineId(7))))]
#[case::edit_down(OrderEvent::LineEdited { line: LineId(100), quantity: 1 }, Ok(vec![("A", 1), ("B", 1)]))]
#[case::edit_up(OrderEvent::LineEdited { line: LineId(101), quantity: 4 }, Ok(vec![("A", 3), ("B", 4)]))]
#[case::edit_to_zero(OrderEvent::LineEdited { line: LineId(100), quantity: 0 }, Ok(vec![("B", 1)]))]
#[case::edit_negative(OrderEvent::LineEdited { line: LineId(100), quantity: -2 }, Err(OrderError::NegativeQuantity(-2)))]
#[case::line_added(OrderEvent::LineAdded(line(102, "C", 5)), Ok(vec![("A", 3), ("B", 1), ("C", 5)]))]
#[case::fulfil_does_not_release(OrderEvent::Fulfilled { line: LineId(100), quantity: 3 }, Ok(vec![("A", 3), ("B", 1)]))]
#[case::fulfil_too_much(OrderEvent::Fulfilled { line: LineId(100), quantity: 4 },
    Err(OrderError::QuantityTooLarge { line: LineId(100), requested: 4, allowed: 3 }))]
fn line_changes_update_reservation(
    #[case] event: OrderEvent,
    #[case] expected: Result<Vec<(&str, i64)>, OrderError>,
) {
    let mut o = order(1, 0, &[("A", 3), ("B", 1)]);
    let got = o.apply(event).map(|()| reserved(&o));
    let expected = expected.map(|v| v.into_iter().map(|(c, q)| (c.to_owned(), q)).collect());
    assert_eq!(got, expected);
}

#[test]
fn edit_below_fulfilled_is_refused() {
    let mut o = order(1, 0, &[("A", 3)]);
    o.apply(OrderEvent::Fulfilled {
        line: LineId(100),
        quantity: 2,
    })
    .unwrap();
    let err = o.apply(OrderEvent::LineEdited {
        line: LineId(100),
        quantity: 1,
    });
    let expected = OrderError::BelowFulfilled {
        line: LineId(100),
        requested: 1,
        fulfilled: 2,
    };
    assert_eq!(err, Err(expected.clone()));
    assert_eq!(
        expected.to_string(),
        "line LineId(100): 1 is less than the 2 already fulfilled"
    );
}

#[test]
fn too_large_message_names_request_then_limit() {
    let mut o = order(1, 0, &[("A", 3)]);
    let err = o
        .apply(OrderEvent::Fulfilled {
            line: LineId(100),
            quantity: 4,
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line LineId(100): 4 is more than the 3 allowed"
    );
}

#[test]
fn can_become_agrees_with_apply() {
    use OrderState::{Cancelled, Dispatched, Invoiced, Open};
    let states = [
        Open,
        Invoiced {
            stock_discharged: true,
        },
        Invoiced {
            stock_discharged: false,
        },
        Dispatched,
        Cancelled,
    ];
    for from in states {
        for to in states {
            let event = match to {
                Open => None,
                Invoiced { stock_discharged } => Some(OrderEvent::Invoiced { stock_discharged }),
                Dispatched => Some(OrderEvent::MarkedDispatched),
                Cancelled => Some(OrderEvent::Cancelled),
            };
            let mut o = order(1, 0, &[("A", 1)]);
            o.state = from;
            let applied = event.is_some_and(|e| o.apply(e).is_ok() && o.state == to);
            assert_eq!(from.can_become(to), applied, "{from:?} -> {to:?}");
        }
    }
}

#[test]
fn refund_of_fulfilled_unit_is_a_return() {
    let mut o = order(1, 0, &[("A", 2)]);
    o.apply(OrderEvent::Fulfilled {
        line: LineId(100),
        quantity: 2,
    })
    .unwrap();
    o.apply(OrderEvent::Refunded {
        line: LineId(100),
        quantity: 1,
    })
    .unwrap();
    assert_eq!(
        (
            o.lines[0].quantity,
            o.lines[0].fulfilled,
            o.lines[0].refunded
        ),
        (1, 1, 1)
    );
}

#[test]
fn custom_items_without_code_reserve_nothing() {
    let mut o = order(1, 0, &[("A", 1)]);
    o.lines[0].code = None;
    assert!(reserved(&o).is_empty());
}

#[test]
fn events_round_trip_through_json() {
    let event = OrderEvent::Refunded {
        line: LineId(5),
        quantity: 2,
    };
    let text = serde_json::to_string(&event).unwrap();
    assert_eq!(serde_json::from_str::<OrderEvent>(&text).unwrap(), event);
}
