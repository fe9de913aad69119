//! The in-memory InStock path against a full rebuild: two stores get the same random history
//! (imports of new orders, edits of known ones, invoices with and without discharge,
//! dispatches, cancellations, levels that move), one refreshed by [`InStockMemory`], the other
//! by the full read and write every refresh used to do. After every refresh both stores must
//! hold the same verdict and explanation for every order, byte for byte.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use punte_core::instock::allocate_input;
use punte_core::money::Currency;
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState};
use punte_core::product::ProductCode;
use punte_store::{Change, Store};
use rust_decimal::Decimal;

use super::InStockMemory;

/// Codes 0–4 are tracked (or not, as levels come and go); 5 is never tracked; 6 is a custom line.
const CODES: [&str; 6] = ["A", "B", "C", "D", "E", "UNTRACKED"];

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap() + chrono::Duration::minutes(minute)
}

fn order(id: u64, minute: i64, state: OrderState, lines: &[(u8, i64)], salt: u64) -> Order {
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, &(c, quantity))| OrderLine {
            // Line ids move with `salt` so an edit can replace lines as well as change them.
            id: LineId(id * 1000 + salt * 10 + i as u64),
            code: CODES.get(usize::from(c)).map(|&c| ProductCode::from(c)),
            variant_id: None,
            title: "Tricou".into(),
            quantity,
            refunded: 0,
            fulfilled: 0,
            unit_price: Decimal::new(1050, 2),
            discount: Decimal::ZERO,
            vat_rate: None,
            tax: Decimal::ZERO,
            taxable: true,
        })
        .collect();
    Order {
        id: OrderId(id),
        name: format!("#{}", 1000 + id),
        created_at: at(minute),
        state,
        lines,
        shipping: Vec::new(),
        customer: Customer {
            name: format!("Client {id}"),
            ..Customer::default()
        },
        currency: Currency::ron(),
        taxes_included: true,
        total: Decimal::new(3150, 2),
    }
}

#[derive(Debug, Clone)]
enum Step {
    /// A new order (id from the step's index), or an edit of a known one: creation minute
    /// (an edit keeps the order's own unless the minute is odd), state, lines (code index,
    /// quantity), salt for line ids (an edit with the same salt changes lines in place).
    Import {
        pick: usize,
        new: bool,
        minute: i64,
        state: u8,
        lines: Vec<(u8, i64)>,
        salt: u64,
    },
    /// A state change through the lifecycle (refused moves are refused by both stores).
    SetState {
        pick: usize,
        state: u8,
    },
    /// A code's level moves, appears or disappears (None: untracked).
    Level {
        code: u8,
        level: Option<i64>,
    },
    Refresh,
}

fn state(n: u8) -> OrderState {
    match n % 8 {
        0..=3 => OrderState::Open,
        4 => OrderState::Invoiced {
            stock_discharged: false,
        },
        5 => OrderState::Invoiced {
            stock_discharged: true,
        },
        6 => OrderState::Dispatched,
        _ => OrderState::Cancelled,
    }
}

fn arb_step() -> impl Strategy<Value = Step> {
    let lines = prop::collection::vec((0u8..7, 0i64..4), 0..4);
    prop_oneof![
        4 => (any::<usize>(), any::<bool>(), 0i64..40, any::<u8>(), lines, 0u64..2).prop_map(
            |(pick, new, minute, state, lines, salt)| Step::Import { pick, new, minute, state, lines, salt }
        ),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(pick, state)| Step::SetState { pick, state }),
        2 => (0u8..5, prop::option::weighted(0.85, -3i64..8)).prop_map(|(code, level)| Step::Level { code, level }),
        3 => Just(Step::Refresh),
    ]
}

/// Every order's stored verdict and explanation.
fn verdicts(s: &Store, ids: &[u64]) -> Vec<(u64, Option<bool>, Option<String>)> {
    ids.iter()
        .map(|&id| {
            let d = s.order(OrderId(id)).unwrap().expect("stored");
            (id, d.in_stock, d.in_stock_detail)
        })
        .collect()
}

/// What every refresh did before: read every reserving order, walk, write every verdict.
fn full_rebuild(s: &mut Store, levels: &HashMap<ProductCode, i64>) {
    let input = s.instock_input(levels).unwrap();
    let report = allocate_input(&input).into_report(&input);
    s.record_in_stock(&report).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn memory_path_writes_what_a_full_rebuild_writes(steps in prop::collection::vec(arb_step(), 1..60)) {
        let mut memory_store = Store::open_in_memory().unwrap();
        let mut full_store = Store::open_in_memory().unwrap();
        let mut memory = InStockMemory::default();
        let mut levels: HashMap<ProductCode, i64> =
            CODES[..5].iter().map(|&c| (ProductCode::from(c), 2)).collect();
        let mut ids: Vec<u64> = Vec::new();
        let mut created: HashMap<u64, i64> = HashMap::new();
        for (n, step) in steps.iter().enumerate() {
            let change = Change::new(at(100 + n as i64), "test", "sync");
            match step {
                Step::Import { pick, new, minute, state: st, lines, salt } => {
                    let id = if *new || ids.is_empty() { n as u64 + 1 } else { ids[pick % ids.len()] };
                    let minute = match created.get(&id) {
                        Some(&m) if minute % 2 == 0 => m,
                        _ => *minute,
                    };
                    created.insert(id, minute);
                    let o = order(id, minute, state(*st), lines, *salt);
                    memory_store.import_orders(std::slice::from_ref(&o), &change).unwrap();
                    full_store.import_orders(&[o], &change).unwrap();
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Step::SetState { pick, state: st } if !ids.is_empty() => {
                    let id = OrderId(ids[pick % ids.len()]);
                    let a = memory_store.set_order_state(id, state(*st), &change).map_err(|e| e.to_string());
                    let b = full_store.set_order_state(id, state(*st), &change).map_err(|e| e.to_string());
                    prop_assert_eq!(a, b);
                }
                Step::SetState { .. } => {}
                Step::Level { code, level } => {
                    let code = ProductCode::from(CODES[usize::from(*code)]);
                    match level {
                        Some(l) => levels.insert(code, *l),
                        None => levels.remove(&code),
                    };
                }
                Step::Refresh => {
                    let done = memory.refresh(&mut memory_store, &levels).unwrap();
                    full_rebuild(&mut full_store, &levels);
                    prop_assert_eq!(verdicts(&memory_store, &ids), verdicts(&full_store, &ids));
                    prop_assert_eq!(done.orders, memory.orders());
                    // Nothing changed since: nothing is read or written.
                    let again = memory.refresh(&mut memory_store, &levels).unwrap();
                    prop_assert_eq!((again.read, again.written, again.rebuilt), (0, 0, false));
                }
            }
        }
        memory.refresh(&mut memory_store, &levels).unwrap();
        full_rebuild(&mut full_store, &levels);
        prop_assert_eq!(verdicts(&memory_store, &ids), verdicts(&full_store, &ids));
    }
}

#[test]
fn a_new_order_rewrites_only_itself_when_levels_follow_it() {
    let mut s = Store::open_in_memory().unwrap();
    let change = Change::new(at(0), "imported", "sync");
    let open = OrderState::Open;
    let orders: Vec<Order> = (1..=20)
        .map(|id| order(id, id as i64, open, &[(0, 1), (1, 2)], 0))
        .collect();
    s.import_orders(&orders, &change).unwrap();
    // AvailableStock A = −10 + 20 = 10 and B = −10 + 40 = 30: orders 1–10 fit, 11–20 lack A.
    let mut levels: HashMap<ProductCode, i64> = [("A", -10), ("B", -10)]
        .map(|(c, l)| (ProductCode::from(c), l))
        .into();
    let mut memory = InStockMemory::default();
    let first = memory.refresh(&mut s, &levels).unwrap();
    assert_eq!(
        (first.orders, first.read, first.written, first.rebuilt),
        (20, 20, 20, true)
    );

    // Shopify's A drops by what the new order takes (as the engine's known levels do), so
    // AvailableStock is unchanged and only the new, newest order gets a verdict.
    s.import_orders(&[order(21, 100, open, &[(0, 1), (1, 2)], 0)], &change)
        .unwrap();
    *levels.get_mut("A").unwrap() -= 1;
    *levels.get_mut("B").unwrap() -= 2;
    let next = memory.refresh(&mut s, &levels).unwrap();
    assert_eq!(
        (next.orders, next.read, next.written, next.rebuilt),
        (21, 1, 1, false)
    );

    // A cancelled order gives its unit back (Shopify restocks it): the next order waiting
    // fits, and only the verdicts that changed are written (InStock orders 2–10 are not).
    s.set_order_state(OrderId(1), OrderState::Cancelled, &change)
        .unwrap();
    *levels.get_mut("A").unwrap() += 1;
    *levels.get_mut("B").unwrap() += 2;
    let before: Vec<_> = (2..=21)
        .map(|id| s.order(OrderId(id)).unwrap().unwrap().in_stock)
        .collect();
    let after_cancel = memory.refresh(&mut s, &levels).unwrap();
    let after: Vec<_> = (2..=21)
        .map(|id| s.order(OrderId(id)).unwrap().unwrap().in_stock)
        .collect();
    let flipped = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    assert_eq!(after_cancel.orders, 20);
    assert!(
        flipped >= 1,
        "the next waiting order now fits: {before:?} → {after:?}"
    );
    assert!(
        after_cancel.written < 20,
        "only changed verdicts are written, not all 20: {after_cancel:?}"
    );
}

#[test]
fn a_verdict_naming_another_taker_is_rewritten() {
    // A: 1 available. o1 needs A and B, o2 and o3 need A. With no B, o1 waits and o2 takes
    // the A, so o3 is short of A "taken by #1002". Once B arrives, o1 fits and takes the A:
    // o3 is short of A just the same, but now "taken by #1001".
    let open = OrderState::Open;
    let orders = [
        order(1, 1, open, &[(0, 1), (1, 1)], 0),
        order(2, 2, open, &[(0, 1)], 0),
        order(3, 3, open, &[(0, 1)], 0),
    ];
    let change = Change::new(at(0), "imported", "sync");
    let (mut memory_store, mut full_store) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    memory_store.import_orders(&orders, &change).unwrap();
    full_store.import_orders(&orders, &change).unwrap();
    let mut levels: HashMap<ProductCode, i64> = [("A", 1 - 3), ("B", -1)]
        .map(|(c, l)| (ProductCode::from(c), l))
        .into();
    let mut memory = InStockMemory::default();
    memory.refresh(&mut memory_store, &levels).unwrap();
    let ids = [1, 2, 3];
    let o3 = |s: &Store| {
        s.order(OrderId(3))
            .unwrap()
            .unwrap()
            .in_stock_detail
            .unwrap()
    };
    assert!(o3(&memory_store).contains("#1002"), "{}", o3(&memory_store));

    levels.insert(ProductCode::from("B"), 0);
    let done = memory.refresh(&mut memory_store, &levels).unwrap();
    full_rebuild(&mut full_store, &levels);
    assert_eq!(verdicts(&memory_store, &ids), verdicts(&full_store, &ids));
    assert!(o3(&memory_store).contains("#1001"), "{}", o3(&memory_store));
    assert_eq!(
        done.written, 3,
        "o1 and o2 change verdicts, o3 its explanation"
    );
}
