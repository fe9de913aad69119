//! Planner tests: the article's T0/T1/T2 example, a rule table, the safety rails, and the
//! idempotence property. Stock conservation is checked against an independent model of the
//! world in `plan_model_tests.rs`.

use super::*;
use crate::order::OrderEvent;
use crate::testkit::order;
use proptest::prelude::*;
use rstest::rstest;

#[path = "plan_world.rs"]
mod world;
use world::*;

/// The article: T0 stock added (10 = 10), T1 an order for 1 (Shopify 9, reserved 1, billing 10),
/// T2 invoice with discharge (Shopify 9, billing 9). Punte writes nothing at any step, and
/// billing = Shopify available + reserved holds throughout.
#[test]
fn article_t0_t1_t2_invariant() {
    let mut world = World::new(&[(10, 0, 10)]);
    let code = world.catalog.matched[0].code.clone();
    let item = world.catalog.matched[0].inventory_item_id;
    let check = |w: &World, step: &str| {
        let plan = w.plan();
        assert_eq!(plan.writes, vec![], "{step}: nothing to write");
        let (b, a, r) = (
            w.catalog.matched[0].billing_stock,
            w.levels[&item],
            w.reservations.of(&code),
        );
        assert_eq!(b, a + r, "{step}: B = A + R");
    };
    check(&world, "T0");

    let mut o = order(1, 0, &[(code.as_str(), 1)]);
    world.levels.insert(item, 9); // Shopify lowers available itself
    world.reservations = Reservations::from_orders([&o]);
    check(&world, "T1");

    o.apply(OrderEvent::Invoiced {
        stock_discharged: true,
    })
    .unwrap();
    world.catalog.matched[0].billing_stock = 9;
    world.reservations = Reservations::from_orders([&o]);
    check(&world, "T2");
}

#[test]
fn plan_round_trips_through_json_for_the_preview() {
    let world = World::new(&[(15, 1, 9), (1, 3, 2)]);
    let plan = world.plan();
    let text = serde_json::to_string(&plan).unwrap();
    assert_eq!(serde_json::from_str::<SyncPlan>(&text).unwrap(), plan);
    assert!(
        text.contains("target_below_zero"),
        "findings are tagged for the UI: {text}"
    );
}

#[rstest]
#[case::unchanged(10, 0, 0, 10, None, false)]
#[case::open_order_already_in_shopify(10, 1, 0, 9, None, false)]
#[case::goods_receipt_raises(15, 1, 0, 9, Some(14), false)]
#[case::adjustment_lowers(4, 0, 0, 9, Some(4), false)]
#[case::buffer_held_back(10, 0, 2, 10, Some(8), false)]
#[case::oversold_shopify_is_corrected(5, 0, 0, -2, Some(5), false)]
#[case::below_zero_writes_zero(1, 3, 0, 2, Some(0), true)]
#[case::below_zero_already_zero(1, 3, 0, 0, None, true)]
#[case::buffer_pushes_below_zero(1, 0, 2, 1, Some(0), true)]
fn target_rule(
    #[case] billing: i64,
    #[case] reserved: i64,
    #[case] buffer: i64,
    #[case] shopify: i64,
    #[case] expected_write: Option<i64>,
    #[case] below_zero: bool,
) {
    let mut world = World::new(&[(billing, reserved, shopify)]);
    world.settings.default_buffer = buffer;
    let plan = world.plan();
    let written: Vec<i64> = plan.writes.iter().map(|w| w.available).collect();
    assert_eq!(written, expected_write.into_iter().collect::<Vec<_>>());
    for w in &plan.writes {
        assert_eq!(
            w.expected_current,
            Some(shopify),
            "compare-and-set against A0"
        );
    }
    let flagged = plan
        .findings
        .iter()
        .any(|f| matches!(f, PlanFinding::TargetBelowZero { .. }));
    assert_eq!(flagged, below_zero);
}

#[test]
fn per_product_buffer_overrides_default() {
    let mut world = World::new(&[(10, 0, 10), (10, 0, 10)]);
    world.settings.default_buffer = 1;
    world
        .settings
        .buffers
        .insert(world.catalog.matched[1].code.clone(), 3);
    let written: Vec<i64> = world.plan().writes.iter().map(|w| w.available).collect();
    assert_eq!(written, [9, 7]);
}

#[rstest]
#[case::read_failed(BillingRead::Failed { reason: "timeout".into() }, None, true)]
#[case::read_empty(BillingRead::Read { products: 0 }, None, true)]
#[case::lost_most_products(BillingRead::Read { products: 40 }, Some(100), true)]
#[case::lost_a_few(BillingRead::Read { products: 60 }, Some(100), false)]
#[case::first_run(BillingRead::Read { products: 3 }, None, false)]
fn billing_read_rails(
    #[case] billing: BillingRead,
    #[case] previous: Option<usize>,
    #[case] halted: bool,
) {
    let mut world = World::new(&[(0, 0, 5), (0, 0, 7), (0, 0, 9)]);
    world.settings.confirm_share_percent = 100;
    world.billing = billing;
    let plan = world.plan_with(previous, None);
    assert_eq!(
        matches!(plan.status, PlanStatus::Halted(_)),
        halted,
        "{plan:?}"
    );
    assert_eq!(
        plan.writes.is_empty(),
        halted,
        "zeros are written only from a sound read"
    );
}

#[rstest]
#[case::few_changes(10, 3, 0, false)]
#[case::over_share(10, 4, 0, true)]
#[case::over_share_but_tiny(10, 4, 5, false)]
#[case::everything_changes(20, 20, 5, true)]
fn large_change_waits_for_confirmation(
    #[case] products: usize,
    #[case] changing: usize,
    #[case] min_changes: usize,
    #[case] needs_confirmation: bool,
) {
    let rows: Vec<(i64, i64, i64)> = (0..products)
        .map(|i| (10, 0, if i < changing { 3 } else { 10 }))
        .collect();
    let mut world = World::new(&rows);
    world.settings.confirm_min_changes = min_changes;
    let plan = world.plan();
    assert_eq!(
        plan.writes.len(),
        changing,
        "the preview lists the writes either way"
    );
    assert_eq!(
        matches!(plan.status, PlanStatus::NeedsConfirmation { .. }),
        needs_confirmation
    );
}

/// An incremental cycle's scope is mostly the codes that moved: the share is of the products
/// in sync, so a goods receipt of 8 lines in a shop of 40 is written at once, while 20 of 40
/// changing still waits for the merchant.
#[rstest]
#[case::a_receipt_of_eight_lines(8, false)]
#[case::half_the_shop(20, true)]
fn the_share_is_of_the_products_in_sync_not_of_the_scope(
    #[case] moved: usize,
    #[case] needs_confirmation: bool,
) {
    let rows: Vec<(i64, i64, i64)> = (0..40)
        .map(|i| (if i < moved { 15 } else { 10 }, 0, 10))
        .collect();
    let world = World::new(&rows);
    let scope: HashSet<ProductCode> = world.catalog.matched[..moved]
        .iter()
        .map(|p| p.code.clone())
        .collect();
    let plan = world.plan_with(None, Some(&scope));
    assert_eq!(plan.writes.len(), moved);
    let expected = if needs_confirmation {
        PlanStatus::NeedsConfirmation {
            changing: moved,
            in_scope: 40,
        }
    } else {
        PlanStatus::Ready
    };
    assert_eq!(plan.status, expected);
}

#[test]
fn scope_unread_levels_and_forced_mode() {
    let mut world = World::new(&[(5, 0, 1), (6, 0, 1), (7, 0, 1)]);
    world.levels.remove(&InventoryItemId(2));
    world.settings.write_mode = WriteMode::ForcedOverwrite;
    let scope: HashSet<ProductCode> = world.catalog.matched[1..]
        .iter()
        .map(|p| p.code.clone())
        .collect();
    let plan = world.plan_with(None, Some(&scope));
    assert_eq!(
        plan.writes.len(),
        1,
        "P00000 is out of scope and P00002 was not read"
    );
    assert_eq!(
        (plan.writes[0].available, plan.writes[0].expected_current),
        (6, None)
    );
    assert!(plan.findings.contains(&PlanFinding::LevelNotRead {
        code: ProductCode("P00002".into())
    }));
}

fn arb_world() -> impl Strategy<Value = (Vec<(i64, i64, i64)>, Vec<i64>)> {
    prop::collection::vec((-5i64..40, 0i64..12, -5i64..40), 0..40).prop_flat_map(|rows| {
        let n = rows.len();
        (Just(rows), prop::collection::vec(0i64..4, n))
    })
}

fn world_with_buffers(rows: &[(i64, i64, i64)], buffers: &[i64]) -> World {
    let mut world = World::new(rows);
    world.settings.confirm_share_percent = 100;
    for (p, b) in world.catalog.matched.iter().zip(buffers) {
        world.settings.buffers.insert(p.code.clone(), *b);
    }
    world
}

proptest! {
    #[test]
    fn plan_is_idempotent((rows, buffers) in arb_world()) {
        let mut world = world_with_buffers(&rows, &buffers);
        let first = world.plan();
        prop_assert_eq!(&first, &world.plan(), "same inputs, same plan (dry run = real run)");
        first.apply_to(&mut world.levels);
        let again = world.plan();
        prop_assert_eq!(again.writes, vec![]);
        prop_assert_eq!(again.unchanged, rows.len());
    }
}
