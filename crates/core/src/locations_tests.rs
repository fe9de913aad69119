use proptest::prelude::*;
use rstest::rstest;

use super::*;

fn link(location_id: u64, warehouse: &str, share_percent: u32) -> LocationLink {
    LocationLink {
        location_id,
        name: format!("L{location_id}"),
        warehouse: warehouse.into(),
        share_percent,
    }
}

#[rstest]
#[case::all_to_first(10, vec![60, 40], SplitRule::AllToFirst, vec![10, 0])]
#[case::shares(10, vec![60, 40], SplitRule::FixedShares, vec![6, 4])]
#[case::rounding_left_to_first(7, vec![50, 50], SplitRule::FixedShares, vec![4, 3])]
#[case::three_ways(10, vec![34, 33, 33], SplitRule::FixedShares, vec![4, 3, 3])]
#[case::negative_stays_with_first(-3, vec![50, 50], SplitRule::FixedShares, vec![-3, 0])]
#[case::one_location(5, vec![0], SplitRule::FixedShares, vec![5])]
fn splits_a_warehouse(
    #[case] billing: i64,
    #[case] shares: Vec<u32>,
    #[case] rule: SplitRule,
    #[case] expected: Vec<i64>,
) {
    assert_eq!(split_stock(billing, &shares, rule), expected);
}

#[test]
fn one_location_is_b_minus_r_minus_buffer() {
    let t = warehouse_targets(10, &[100], SplitRule::AllToFirst, &[3], 2);
    assert_eq!(t.targets, vec![5]);
    assert_eq!(t.total, 5);
    let t = warehouse_targets(1, &[100], SplitRule::AllToFirst, &[3], 0);
    assert_eq!((t.targets, t.total), (vec![0], -2));
}

#[test]
fn a_location_holding_more_than_its_share_takes_from_the_first() {
    // All to the first: an order routed to the second still comes out of the warehouse.
    let t = warehouse_targets(10, &[0, 0], SplitRule::AllToFirst, &[1, 2], 0);
    assert_eq!(t.targets, vec![7, 0]);
    // Shares: each location's orders come out of its own share.
    let t = warehouse_targets(10, &[50, 50], SplitRule::FixedShares, &[1, 2], 0);
    assert_eq!(t.targets, vec![4, 3]);
}

#[test]
fn places_a_line_over_its_fulfillment_orders() {
    assert_eq!(place_line(3, &[(1, 2), (2, 1)]), vec![(1, 2), (2, 1)]);
    // A refund took units off: the first rows keep theirs.
    assert_eq!(place_line(2, &[(1, 2), (2, 1)]), vec![(1, 2)]);
    // More than Shopify assigned: the rest goes to the last row.
    assert_eq!(place_line(4, &[(1, 2), (2, 1)]), vec![(1, 2), (2, 2)]);
    assert_eq!(place_line(2, &[(1, 1), (1, 1)]), vec![(1, 2)]);
    assert!(place_line(2, &[]).is_empty());
}

#[test]
fn a_mapping_is_checked_before_it_is_saved() {
    let mut m = LocationSettings {
        links: vec![link(1, "A", 60), link(2, "A", 30), link(3, "B", 0)],
        split: SplitRule::FixedShares,
    };
    assert!(m.is_multi());
    assert_eq!(m.warehouses(), vec!["A", "B"]);
    assert_eq!(
        m.validate(),
        Err(MappingError::SharesNot100 {
            warehouse: "A".into(),
            total: 90
        })
    );
    m.links[1].share_percent = 40;
    assert_eq!(m.validate(), Ok(()));
    m.split = SplitRule::AllToFirst;
    m.links.push(link(1, "B", 0));
    assert_eq!(
        m.validate(),
        Err(MappingError::DuplicateLocation { location: 1 })
    );
    m.links.pop();
    m.links[2].warehouse = " ".into();
    assert_eq!(m.validate(), Err(MappingError::NoWarehouse { location: 3 }));
    assert_eq!(m.default_location(3), 3);
    assert_eq!(m.default_location(99), 1);
}

proptest! {
    /// Whatever the split and the orders, the levels written never add up to more than what
    /// the warehouse can give (B − ΣR − buffer), none is negative, and they add up to exactly
    /// that whenever it is not negative.
    #[test]
    fn targets_never_oversell_the_warehouse(
        billing in -50i64..200,
        rows in prop::collection::vec((0u32..100, 0i64..40), 1..5),
        buffer in 0i64..5,
        shares_rule in any::<bool>(),
    ) {
        let shares: Vec<u32> = rows.iter().map(|r| r.0).collect();
        let reserved: Vec<i64> = rows.iter().map(|r| r.1).collect();
        let rule = if shares_rule { SplitRule::FixedShares } else { SplitRule::AllToFirst };
        let t = warehouse_targets(billing, &shares, rule, &reserved, buffer);
        let sum: i64 = t.targets.iter().sum();
        prop_assert!(t.targets.iter().all(|x| *x >= 0));
        prop_assert_eq!(t.total, billing - reserved.iter().sum::<i64>() - buffer);
        prop_assert_eq!(sum, t.total.max(0));
    }

    #[test]
    fn a_placed_line_keeps_its_quantity(
        quantity in 0i64..20,
        rows in prop::collection::vec((1u64..4, 0i64..10), 1..5),
    ) {
        let placed = place_line(quantity, &rows);
        prop_assert_eq!(placed.iter().map(|p| p.1).sum::<i64>(), quantity);
    }
}
