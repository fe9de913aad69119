//! InStock tests: the article's example, a table of walk rules, and over-allocation properties.

use std::collections::HashMap;

use super::*;
use crate::order::OrderState;
use crate::testkit::order;
use proptest::prelude::*;
use rstest::rstest;

fn levels(pairs: &[(&str, i64)]) -> HashMap<ProductCode, i64> {
    pairs
        .iter()
        .map(|(c, q)| (ProductCode::from(*c), *q))
        .collect()
}

fn in_stock_ids(report: &InStockReport) -> Vec<u64> {
    report.in_stock().into_iter().map(|id| id.0).collect()
}

/// "2 units available on the website and 3 units reserved for already received orders:
/// the available stock from which we calculate InStock is 5."
#[test]
fn article_two_available_plus_three_reserved_is_five() {
    let orders = [order(1, 0, &[("TS-W", 2)]), order(2, 5, &[("TS-W", 1)])];
    let report = allocate(&levels(&[("TS-W", 2)]), &orders);
    assert_eq!(
        in_stock_ids(&report),
        [1, 2],
        "5 available covers both reserved orders"
    );

    // One more unit ordered than the 5: an order for 3 arriving later cannot fit in what is
    // left (5 - 2 - 1 = 2), and the explanation says so.
    let mut more = orders.to_vec();
    more.push(order(3, 9, &[("TS-W", 3)]));
    // Shopify already lowered A by 3 for order 3, so A = -1 and AvailableStock = -1 + 6 = 5.
    let report = allocate(&levels(&[("TS-W", -1)]), &more);
    assert_eq!(in_stock_ids(&report), [1, 2]);
    let Verdict::NotInStock { shortfalls } = &report.verdicts[2].verdict else {
        panic!("order 3 needs 3 of the 2 left: {report:?}");
    };
    assert_eq!(
        (
            shortfalls[0].available,
            shortfalls[0].left,
            shortfalls[0].short_by
        ),
        (5, 2, 1)
    );
    assert_eq!(
        report.earlier_takers(&shortfalls[0]),
        [OrderId(1), OrderId(2)]
    );
}

#[rstest]
#[case::oldest_first(&[("A", -2)], vec![order(1, 10, &[("A", 2)]), order(2, 0, &[("A", 2)])], vec![2])]
#[case::tie_break_by_id(&[("A", -1)], vec![order(7, 0, &[("A", 2)]), order(3, 0, &[("A", 1)])], vec![3])]
#[case::misfit_takes_nothing(&[("A", -4)],
    vec![order(1, 0, &[("A", 1)]), order(2, 1, &[("A", 5)]), order(3, 2, &[("A", 1)])], vec![1, 3])]
#[case::one_short_line_blocks_whole_order(&[("A", -1), ("B", -1)],
    vec![order(1, 0, &[("A", 1), ("B", 2)]), order(2, 1, &[("A", 1)])], vec![2])]
#[case::repeated_code_lines_are_summed(&[("A", -1)], vec![order(1, 0, &[("A", 1), ("A", 1)])], vec![])]
#[case::untracked_lines_do_not_block(&[("A", 0)], vec![order(1, 0, &[("A", 1), ("GIFT", 9)])], vec![1])]
#[case::everything_fits(&[("A", 10), ("B", 10)],
    vec![order(1, 0, &[("A", 3)]), order(2, 1, &[("B", 3), ("A", 3)])], vec![1, 2])]
#[case::negative_available(&[("A", -5)], vec![order(1, 0, &[("A", 2)])], vec![])]
fn walk_rules(
    #[case] stock: &[(&str, i64)],
    #[case] orders: Vec<Order>,
    #[case] expected_in_stock: Vec<u64>,
) {
    let report = allocate(&levels(stock), &orders);
    assert_eq!(in_stock_ids(&report), expected_in_stock, "{report:#?}");
    assert_eq!(
        report.verdicts.len(),
        orders.len(),
        "every open order gets a verdict"
    );
}

#[rstest]
#[case::discharged(OrderState::Invoiced { stock_discharged: true })]
#[case::dispatched(OrderState::Dispatched)]
#[case::cancelled(OrderState::Cancelled)]
fn released_orders_are_not_walked(#[case] state: OrderState) {
    let mut released = order(1, 0, &[("A", 5)]);
    released.state = state;
    let report = allocate(&levels(&[("A", 1)]), &[released, order(2, 1, &[("A", 1)])]);
    assert_eq!(report.verdicts.len(), 1);
    assert_eq!(
        in_stock_ids(&report),
        [2],
        "the released order must not take stock"
    );
}

#[test]
fn shortfall_names_lines_and_unchecked_lines_are_listed() {
    let o = order(1, 0, &[("A", 2), ("B", 1), ("A", 1), ("X", 4)]);
    let report = allocate(&levels(&[("A", -1), ("B", 0)]), &[o]);
    let v = &report.verdicts[0];
    assert_eq!(v.unchecked_lines, [LineId(103)]);
    let Verdict::NotInStock { shortfalls } = &v.verdict else {
        panic!("{v:?}")
    };
    assert_eq!(
        shortfalls.len(),
        1,
        "B fits (1 reserved + 0 available): {shortfalls:?}"
    );
    assert_eq!(shortfalls[0].lines, [LineId(100), LineId(102)]);
    assert_eq!((shortfalls[0].needed, shortfalls[0].short_by), (3, 1));
}

/// (code index, quantity) pairs: stock levels, then each order's lines.
type Scenario = (Vec<(usize, i64)>, Vec<Vec<(usize, i64)>>);

fn arb_orders() -> impl Strategy<Value = Scenario> {
    let stock = prop::collection::vec((0usize..5, -5i64..15), 0..5);
    let orders = prop::collection::vec(prop::collection::vec((0usize..5, 0i64..6), 1..4), 0..30);
    (stock, orders)
}

proptest! {
    /// InStock orders never take more of a product than AvailableStock holds, and every
    /// NotInStock order really lacked something given what earlier InStock orders took (and
    /// names exactly those orders).
    #[test]
    fn allocation_never_over_allocates((stock, orders) in arb_orders()) {
        let codes = ["A", "B", "C", "D", "E"];
        let levels: HashMap<ProductCode, i64> =
            stock.iter().map(|&(c, q)| (ProductCode::from(codes[c]), q)).collect();
        let orders: Vec<Order> = orders.iter().enumerate().map(|(i, lines)| {
            let lines: Vec<(&str, i64)> = lines.iter().map(|&(c, q)| (codes[c], q)).collect();
            order(i as u64, (i as i64 * 7) % 5, &lines)
        }).collect();
        let report = allocate(&levels, &orders);
        let by_id: HashMap<OrderId, &Order> = orders.iter().map(|o| (o.id, o)).collect();
        let mut reserved: HashMap<&str, i64> = HashMap::new();
        for o in &orders {
            for l in &o.lines { *reserved.entry(l.code.as_ref().unwrap().as_str()).or_default() += l.quantity; }
        }
        let mut taken: HashMap<&str, i64> = HashMap::new();
        let mut takers: HashMap<&str, Vec<OrderId>> = HashMap::new();
        for v in &report.verdicts {
            let o = by_id[&v.order_id];
            let mut need: HashMap<&str, i64> = HashMap::new();
            for l in &o.lines { *need.entry(l.code.as_ref().unwrap().as_str()).or_default() += l.quantity; }
            let available = |c: &str| levels.get(&ProductCode::from(c)).map(|a| a + reserved[c]);
            match &v.verdict {
                Verdict::InStock => for (c, n) in need {
                    let t = taken.entry(c).or_default();
                    *t += n;
                    if n > 0 && available(c).is_some() { takers.entry(c).or_default().push(v.order_id); }
                    if let Some(avail) = available(c) {
                        prop_assert!(*t <= avail.max(0) || n == 0, "{c}: took {t} of {avail}");
                    }
                },
                Verdict::NotInStock { shortfalls } => {
                    prop_assert!(!shortfalls.is_empty());
                    for s in shortfalls {
                        let left = available(s.code.as_str()).unwrap() - taken.get(s.code.as_str()).copied().unwrap_or(0);
                        prop_assert_eq!(s.left, left);
                        prop_assert!(s.needed > left && s.short_by == s.needed - left);
                        let expected = takers.get(s.code.as_str()).cloned().unwrap_or_default();
                        prop_assert_eq!(report.earlier_takers(s), expected.as_slice(), "explained by the right orders");
                    }
                }
            }
        }
    }
}

proptest! {
    /// The walk order, checked independently of the implementation: the verdicts are exactly
    /// the reserving orders, sorted by (created_at, id), with positions 0, 1, 2, ... Ids are
    /// scrambled so that input order, id order and time order all differ.
    #[test]
    fn verdicts_follow_created_at_then_id(
        orders in prop::collection::vec((0i64..6, 0u8..4, prop::collection::vec(0i64..4, 1..3)), 0..30)
    ) {
        let states = [
            OrderState::Open,
            OrderState::Invoiced { stock_discharged: false },
            OrderState::Invoiced { stock_discharged: true },
            OrderState::Cancelled,
        ];
        let orders: Vec<Order> = orders.iter().enumerate().map(|(i, (minute, state, qs))| {
            let lines: Vec<(&str, i64)> = qs.iter().map(|&q| ("A", q)).collect();
            let mut o = order(((i * 13 + 5) % 31) as u64, *minute, &lines);
            o.state = states[usize::from(*state)];
            o
        }).collect();
        let report = allocate(&levels(&[("A", 3)]), &orders);
        let mut expected: Vec<(chrono::DateTime<chrono::Utc>, OrderId)> = orders
            .iter()
            .filter(|o| matches!(o.state, OrderState::Open | OrderState::Invoiced { stock_discharged: false }))
            .map(|o| (o.created_at, o.id))
            .collect();
        expected.sort();
        let got: Vec<OrderId> = report.verdicts.iter().map(|v| v.order_id).collect();
        let want: Vec<OrderId> = expected.iter().map(|&(_, id)| id).collect();
        prop_assert_eq!(got, want);
        let positions: Vec<usize> = report.verdicts.iter().map(|v| v.position).collect();
        prop_assert_eq!(positions, (0..report.verdicts.len()).collect::<Vec<_>>());
    }
}
