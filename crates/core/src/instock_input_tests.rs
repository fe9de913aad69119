//! The compact entry point checked against [`allocate`]: an [`AllocationInput`] built the way
//! the store would build it (its own product numbering, lines already resolved) must give the
//! same verdicts, explanations and takers as `allocate` on the `Order`s.

use std::collections::HashMap;

use proptest::prelude::*;

use crate::instock::{
    AllocationInput, InStockReport, ProductIx, Verdict, allocate, allocate_input,
};
use crate::order::{LineId, Order, OrderId, OrderState};
use crate::product::ProductCode;
use crate::testkit::order;

/// Shortfalls with `takers_start` (an index into the report's own `takers`, whose grouping
/// follows product numbering) replaced by the takers it points at.
type Explained = Vec<(ProductCode, Vec<LineId>, i64, i64, i64, i64, Vec<OrderId>)>;

fn explained(report: &InStockReport) -> Vec<(OrderId, usize, bool, Explained, Vec<LineId>)> {
    let shortfalls = |v: &Verdict| match v {
        Verdict::InStock => Vec::new(),
        Verdict::NotInStock { shortfalls } => shortfalls
            .iter()
            .map(|s| {
                let takers = report.earlier_takers(s).to_vec();
                assert_eq!(takers.len(), s.earlier_takers);
                let numbers = (s.needed, s.available, s.left, s.short_by);
                let (a, b, c, d) = numbers;
                (s.code.clone(), s.lines.clone(), a, b, c, d, takers)
            })
            .collect(),
    };
    let verdicts = report.verdicts.iter().map(|v| {
        let fits = v.verdict == Verdict::InStock;
        let lines = v.unchecked_lines.clone();
        (v.order_id, v.position, fits, shortfalls(&v.verdict), lines)
    });
    verdicts.collect()
}

/// What the store would do: number the tracked products its own way (here: by code, last
/// first), keep the reserving orders, and give each line its product or `None`.
fn store_input(levels: &HashMap<ProductCode, i64>, orders: &[Order]) -> AllocationInput {
    let mut codes: Vec<&ProductCode> = levels.keys().collect();
    codes.sort_unstable_by(|a, b| b.cmp(a));
    let mut input = AllocationInput::with_capacity(codes.len(), orders.len(), orders.len() * 3);
    let index: HashMap<&str, ProductIx> = codes
        .iter()
        .map(|c| (c.as_str(), input.add_product(c.as_str(), levels[*c])))
        .collect();
    for o in orders.iter().filter(|o| o.reserves_stock()) {
        let lines = o.lines.iter().map(|l| {
            let product = l.code.as_ref().and_then(|c| index.get(c.as_str()).copied());
            (l.id, product, l.quantity)
        });
        input.add_order(o.id, o.created_at, lines);
    }
    input
}

/// Code 5 is never tracked; code 6 stands for a custom item (no code).
type Scenario = (Vec<(usize, i64)>, Vec<(u8, i64, Vec<(usize, i64)>)>);

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    let stock = prop::collection::vec((0usize..5, -4i64..12), 0..6);
    // Now and then a quantity at or past u32::MAX, which lines and needs keep aside exactly.
    let quantity =
        prop_oneof![8 => -1i64..6, 1 => Just(i64::from(u32::MAX)), 1 => Just(3_000_000_000)];
    let line = (0usize..7, quantity);
    let orders = prop::collection::vec((0u8..5, 0i64..8, prop::collection::vec(line, 1..5)), 0..40);
    (stock, orders)
}

fn build(scenario: &Scenario) -> (HashMap<ProductCode, i64>, Vec<Order>) {
    let codes = [
        "SKU-A",
        "SKU-B",
        "a-long-code-over-16-bytes-1",
        "C",
        "",
        "UNTRACKED",
    ];
    let levels = scenario
        .0
        .iter()
        .map(|&(c, q)| (ProductCode::from(codes[c]), q))
        .collect();
    let states = [
        OrderState::Open,
        OrderState::Open,
        OrderState::Invoiced {
            stock_discharged: false,
        },
        OrderState::Invoiced {
            stock_discharged: true,
        },
        OrderState::Cancelled,
    ];
    let orders = scenario
        .1
        .iter()
        .enumerate()
        .map(|(i, (state, minute, lines))| {
            let named: Vec<(&str, i64)> =
                lines.iter().map(|&(c, q)| (codes[c.min(5)], q)).collect();
            // Ids scrambled so that input order, id order and time order differ.
            let mut o = order(((i * 17 + 3) % 41) as u64, *minute, &named);
            o.state = states[usize::from(*state)];
            for (line, &(c, _)) in o.lines.iter_mut().zip(lines) {
                if c == 6 {
                    line.code = None;
                }
            }
            o
        });
    (levels, orders.collect())
}

proptest! {
    /// The compact entry point, fed the store's way, agrees exactly with `allocate`: same
    /// verdicts in the same order, same shortfalls (lines, numbers, earlier takers), same
    /// unchecked lines, same takers per product; rendering one verdict on demand gives the
    /// verdict the full report holds.
    #[test]
    fn compact_input_agrees_with_allocate(scenario in arb_scenario()) {
        let (levels, orders) = build(&scenario);
        let expected = allocate(&levels, &orders);
        let input = store_input(&levels, &orders);
        let allocation = allocate_input(&input);
        prop_assert_eq!(allocation.len(), expected.verdicts.len());
        prop_assert_eq!(allocation.in_stock(), expected.in_stock());
        for (position, v) in expected.verdicts.iter().enumerate() {
            prop_assert_eq!(allocation.order_id(position), v.order_id);
            prop_assert_eq!(allocation.fits(position), v.verdict == Verdict::InStock);
            // The numbers a verdict is rendered from, and where its order sits in the input.
            prop_assert_eq!(input.order_keys[allocation.input_index(position)] as u64, v.order_id.0);
            let rendered = allocation.verdict(&input, position);
            let numbers: Vec<_> = allocation.shortfall_numbers(position).collect();
            let shortfalls = match &rendered.verdict {
                Verdict::InStock => &[][..],
                Verdict::NotInStock { shortfalls } => &shortfalls[..],
            };
            prop_assert_eq!(numbers.len(), shortfalls.len());
            for (n, s) in numbers.iter().zip(shortfalls) {
                prop_assert_eq!(input.code(n.product), s.code.as_str());
                prop_assert_eq!(
                    (n.needed, n.available, n.left, n.earlier_takers as usize, n.takers_start as usize),
                    (s.needed, s.available, s.left, s.earlier_takers, s.takers_start)
                );
            }
            let one = InStockReport {
                verdicts: vec![allocation.verdict(&input, position)],
                takers: allocation.takers().to_vec(),
            };
            let full = InStockReport { verdicts: vec![v.clone()], takers: expected.takers.clone() };
            prop_assert_eq!(explained(&one)[0].clone(), explained(&full)[0].clone());
        }
        let report = allocation.into_report(&input);
        prop_assert_eq!(explained(&report), explained(&expected));
        let mut takers = report.takers.clone();
        let mut want = expected.takers.clone();
        takers.sort_unstable();
        want.sort_unstable();
        prop_assert_eq!(takers, want);

        // Built from the orders, the input gives `allocate`'s report exactly (takers_start too).
        let from_orders = AllocationInput::from_orders(&levels, &orders);
        prop_assert_eq!(allocate_input(&from_orders).into_report(&from_orders), expected);
    }
}

#[test]
fn quantities_past_u32_are_exact() {
    let levels: HashMap<ProductCode, i64> = [("A", -1), ("B", 0)]
        .map(|(c, q)| (ProductCode::from(c), q))
        .into();
    let max = i64::from(u32::MAX);
    let orders = [
        order(1, 0, &[("A", 5_000_000_000), ("B", max)]),
        order(2, 1, &[("A", 3_000_000_000), ("A", 3_000_000_000)]),
    ];
    for report in [allocate(&levels, &orders), {
        let input = store_input(&levels, &orders);
        allocate_input(&input).into_report(&input)
    }] {
        assert_eq!(report.in_stock(), [OrderId(1)], "{report:#?}");
        let Verdict::NotInStock { shortfalls } = &report.verdicts[1].verdict else {
            panic!("order 2 needs 6e9 of 5,999,999,999: {report:#?}");
        };
        let s = &shortfalls[0];
        assert_eq!(s.code.as_str(), "A");
        assert_eq!(
            (s.needed, s.available, s.left, s.short_by),
            (6_000_000_000, 10_999_999_999, 5_999_999_999, 1)
        );
        assert_eq!(s.lines, [LineId(200), LineId(201)]);
        assert_eq!(report.earlier_takers(s), [OrderId(1)]);
    }
}

#[test]
fn products_are_numbered_as_lines_first_name_them() {
    let levels: HashMap<ProductCode, i64> = [("B", 1), ("A", 2), ("Z", 3)]
        .map(|(c, q)| (ProductCode::from(c), q))
        .into();
    let orders = [
        order(1, 0, &[("A", 1), ("GIFT", 1)]),
        order(2, 1, &[("B", 1), ("A", 2)]),
    ];
    let input = AllocationInput::from_orders(&levels, &orders);
    assert_eq!(
        (input.products(), input.orders()),
        (2, 2),
        "Z is named by no line"
    );
    assert_eq!(input.code(ProductIx(0)), "A");
    assert_eq!(input.code(ProductIx(1)), "B");
}

#[test]
#[should_panic(expected = "unknown product index 3")]
fn a_line_naming_a_product_not_added_is_refused() {
    let mut input = AllocationInput::default();
    input.add_product("A", 1);
    let line = (LineId(1), Some(ProductIx(3)), 1);
    input.add_order(OrderId(1), crate::testkit::at(0), [line]);
}

#[test]
fn an_empty_input_allocates_nothing() {
    let input = AllocationInput::default();
    let allocation = allocate_input(&input);
    assert!(allocation.is_empty());
    assert_eq!(allocation.into_report(&input), InStockReport::default());
}
