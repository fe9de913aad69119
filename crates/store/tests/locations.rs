//! Issue 18 in the store: kits reserve their components (at once when a recipe is saved, and
//! per location), lines placed by Shopify's fulfillment orders reserve at their locations, and
//! what a placement no longer explains counts at the default location.

mod common;

use common::{at, change, order};
use punte_core::bundles::{Component, Kit};
use punte_core::order::{LineId, OrderId, OrderState};
use punte_core::product::ProductCode;
use punte_store::Store;

fn kit(code: &str, parts: &[(&str, i64)]) -> Kit {
    Kit {
        code: ProductCode::from(code),
        title: format!("Set {code}"),
        components: parts
            .iter()
            .map(|(c, q)| Component {
                code: ProductCode::from(*c),
                quantity: *q,
            })
            .collect(),
    }
}

fn r(s: &Store, code: &str) -> i64 {
    s.reservation_of(&ProductCode::from(code)).unwrap()
}

#[test]
fn a_kit_reserves_its_components_and_a_recipe_change_applies_at_once() {
    let mut s = Store::open_in_memory().unwrap();
    s.import_orders(
        &[
            order(1, 0, &[("BOX", 2), ("A", 1)]),
            order(2, 1, &[("B", 1)]),
        ],
        &change(2, "imported"),
    )
    .unwrap();
    assert_eq!((r(&s, "BOX"), r(&s, "A"), r(&s, "B")), (2, 1, 1));
    s.save_kit(&kit("BOX", &[("A", 2), ("B", 1)]), at(3))
        .unwrap();
    assert_eq!(s.kits().unwrap(), vec![kit("BOX", &[("A", 2), ("B", 1)])]);
    // 2 boxes × 2 A + 1 A; 2 boxes × 1 B + 1 B; the box itself holds nothing.
    assert_eq!((r(&s, "BOX"), r(&s, "A"), r(&s, "B")), (0, 5, 3));
    assert_eq!(
        s.reservations().unwrap(),
        s.reservations_from_lines().unwrap()
    );
    assert_eq!(s.reservations().unwrap().of(&ProductCode::from("A")), 5);
    s.save_kit(&kit("BOX", &[("A", 1)]), at(4)).unwrap();
    assert_eq!((r(&s, "A"), r(&s, "B")), (3, 1));
    assert!(s.is_kit(&ProductCode::from("BOX")).unwrap());
    assert!(s.delete_kit(&ProductCode::from("BOX")).unwrap());
    assert!(!s.delete_kit(&ProductCode::from("BOX")).unwrap());
    assert_eq!((r(&s, "BOX"), r(&s, "A")), (2, 1));
}

#[test]
fn reservations_follow_the_locations_shopify_assigned() {
    let mut s = Store::open_in_memory().unwrap();
    // Order 1: line 100 A×3 split 2 at L10 and 1 at L20; line 101 BOX×1 at L20.
    // Order 2: B×2, never placed (imported with one location mapped).
    s.import_orders(
        &[
            order(1, 0, &[("A", 3), ("BOX", 1)]),
            order(2, 1, &[("B", 2)]),
        ],
        &change(2, "imported"),
    )
    .unwrap();
    s.save_kit(&kit("BOX", &[("A", 2), ("B", 1)]), at(3))
        .unwrap();
    let rows = [
        (LineId(100), 10, 2),
        (LineId(100), 20, 1),
        (LineId(101), 20, 1),
    ];
    s.record_line_locations(OrderId(1), &rows).unwrap();
    assert_eq!(s.line_locations(OrderId(1)).unwrap(), rows.to_vec());
    assert_eq!(s.unplaced_orders(10).unwrap(), vec![OrderId(2)]);
    let by = s.reservations_by_location(10).unwrap();
    let at_loc = |l: u64, c: &str| by.get(&l).map_or(0, |r| r.of(&ProductCode::from(c)));
    assert_eq!((at_loc(10, "A"), at_loc(20, "A")), (2, 1 + 2));
    assert_eq!((at_loc(10, "B"), at_loc(20, "B")), (2, 1));
    // A refund took a unit off line 100: its placement no longer adds up, it counts at the
    // default location until the order is placed again.
    s.import_orders(
        &[order(1, 0, &[("A", 2), ("BOX", 1)])],
        &change(4, "imported"),
    )
    .unwrap();
    let by = s.reservations_by_location(10).unwrap();
    assert_eq!(by[&10].of(&ProductCode::from("A")), 2);
    // Invoiced with discharge: nothing reserved anywhere.
    s.set_order_state(
        OrderId(1),
        OrderState::Invoiced {
            stock_discharged: true,
        },
        &change(5, "invoiced"),
    )
    .unwrap();
    let by = s.reservations_by_location(10).unwrap();
    assert_eq!(by.get(&20).map_or(0, |r| r.of(&ProductCode::from("A"))), 0);
}

#[test]
fn warehouse_stock_is_kept_per_warehouse() {
    use punte_core::product::BillingProduct;
    let mut s = Store::open_in_memory().unwrap();
    let p = |code: &str, n: i64| BillingProduct {
        code: ProductCode::from(code),
        name: code.into(),
        stock: n.into(),
        vat_rate: None,
    };
    s.record_warehouse_stock(
        &[
            ("W1".into(), vec![p("A", 5)]),
            ("W2".into(), vec![p("A", 7)]),
        ],
        at(0),
    )
    .unwrap();
    let w = s.warehouse_stock().unwrap();
    assert_eq!(w["W1"][&ProductCode::from("A")], 5.into());
    assert_eq!(w["W2"][&ProductCode::from("A")], 7.into());
}
