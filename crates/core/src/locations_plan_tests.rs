use super::*;
use crate::bundles::Component;
use crate::locations::{LocationLink, SplitRule};
use crate::plan::PlanSettings;
use crate::product::{MatchedProduct, VariantId};

fn link(location_id: u64, warehouse: &str, share_percent: u32) -> LocationLink {
    LocationLink {
        location_id,
        name: format!("L{location_id}"),
        warehouse: warehouse.into(),
        share_percent,
    }
}

fn matched(code: &str, item: u64) -> MatchedProduct {
    MatchedProduct {
        code: ProductCode::from(code),
        variant_id: VariantId(item),
        inventory_item_id: InventoryItemId(item),
        billing_name: code.into(),
        billing_stock: 0,
    }
}

fn stock(rows: &[(&str, &str, i64)]) -> HashMap<String, HashMap<ProductCode, i64>> {
    let mut out: HashMap<String, HashMap<ProductCode, i64>> = HashMap::new();
    for (w, code, n) in rows {
        out.entry((*w).into())
            .or_default()
            .insert(ProductCode::from(*code), *n);
    }
    out
}

fn reserved(rows: &[(u64, &str, i64)]) -> HashMap<u64, Reservations> {
    let mut by: HashMap<u64, Vec<(ProductCode, i64)>> = HashMap::new();
    for (l, code, n) in rows {
        by.entry(*l)
            .or_default()
            .push((ProductCode::from(*code), *n));
    }
    by.into_iter()
        .map(|(l, v)| (l, v.into_iter().collect()))
        .collect()
}

struct Case {
    catalog: Catalog,
    locations: LocationSettings,
    billing: HashMap<String, HashMap<ProductCode, i64>>,
    levels: HashMap<(u64, InventoryItemId), i64>,
    reserved: HashMap<u64, Reservations>,
    kits: Vec<Kit>,
    settings: PlanSettings,
}

impl Case {
    fn plan(&self) -> SyncPlan {
        plan_locations(&LocatedPlanInput {
            catalog: &self.catalog,
            locations: &self.locations,
            billing: &self.billing,
            levels: &self.levels,
            reserved: &self.reserved,
            kits: &self.kits,
            billing_read: &BillingRead::Read { products: 2 },
            previous_billing_products: None,
            scope: None,
            settings: &self.settings,
        })
    }
}

fn two_warehouses() -> Case {
    Case {
        catalog: Catalog {
            matched: vec![matched("A", 1)],
            findings: vec![],
        },
        locations: LocationSettings {
            links: vec![link(10, "W1", 0), link(20, "W2", 0)],
            split: SplitRule::AllToFirst,
        },
        billing: stock(&[("W1", "A", 10), ("W2", "A", 5)]),
        levels: [((10, InventoryItemId(1)), 9), ((20, InventoryItemId(1)), 3)]
            .into_iter()
            .collect(),
        reserved: reserved(&[(10, "A", 1), (20, "A", 1)]),
        kits: vec![],
        settings: PlanSettings::default(),
    }
}

fn writes(plan: &SyncPlan) -> Vec<(Option<u64>, &str, i64, Option<i64>)> {
    plan.writes
        .iter()
        .map(|w| {
            (
                w.location_id,
                w.code.as_str(),
                w.available,
                w.expected_current,
            )
        })
        .collect()
}

#[test]
fn each_location_gets_its_warehouse_minus_its_own_orders() {
    let case = two_warehouses();
    let plan = case.plan();
    // L10: 10 − 1 = 9 already; L20: 5 − 1 = 4, read 3.
    assert_eq!(writes(&plan), vec![(Some(20), "A", 4, Some(3))]);
    assert_eq!(plan.unchanged, 1);
    assert_eq!(plan.status, PlanStatus::Ready);
}

#[test]
fn a_receipt_in_one_warehouse_moves_only_its_locations() {
    let mut case = two_warehouses();
    case.levels.insert((20, InventoryItemId(1)), 4);
    assert!(case.plan().writes.is_empty());
    case.billing
        .get_mut("W1")
        .expect("W1")
        .insert(ProductCode::from("A"), 15);
    assert_eq!(writes(&case.plan()), vec![(Some(10), "A", 14, Some(9))]);
}

#[test]
fn shared_warehouse_is_split_by_the_rule() {
    let mut case = two_warehouses();
    case.locations.links[1].warehouse = "W1".into();
    case.locations.links[0].share_percent = 70;
    case.locations.links[1].share_percent = 30;
    case.locations.split = SplitRule::FixedShares;
    // 10 split 7/3, each minus its own order.
    assert_eq!(
        writes(&case.plan()),
        vec![(Some(10), "A", 6, Some(9)), (Some(20), "A", 2, Some(3))]
    );
    case.locations.split = SplitRule::AllToFirst;
    // All to the first: the second's order still comes out of the warehouse.
    assert_eq!(
        writes(&case.plan()),
        vec![(Some(10), "A", 8, Some(9)), (Some(20), "A", 0, Some(3))]
    );
}

#[test]
fn a_kit_at_each_location_is_what_its_components_allow_there() {
    let mut case = two_warehouses();
    case.catalog.matched.push(matched("B", 2));
    case.catalog.matched.push(matched("KIT", 3));
    case.billing = stock(&[
        ("W1", "A", 10),
        ("W1", "B", 10),
        ("W2", "A", 5),
        ("W2", "B", 0),
    ]);
    case.reserved = reserved(&[(10, "A", 4), (10, "B", 2)]);
    case.kits = vec![Kit {
        code: ProductCode::from("KIT"),
        title: "Kit".into(),
        components: vec![
            Component {
                code: ProductCode::from("A"),
                quantity: 2,
            },
            Component {
                code: ProductCode::from("B"),
                quantity: 1,
            },
        ],
    }];
    case.levels = [((10, InventoryItemId(3)), 0), ((20, InventoryItemId(3)), 7)]
        .into_iter()
        .collect();
    // L10: A (10 − 4) / 2 = 3, B 8 → 3. L20: B 0 → 0.
    assert_eq!(
        writes(&case.plan()),
        vec![(Some(10), "KIT", 3, Some(0)), (Some(20), "KIT", 0, Some(7))]
    );
}

#[test]
fn a_product_stocked_nowhere_is_a_finding_and_below_zero_is_said() {
    let mut case = two_warehouses();
    case.catalog.matched.push(matched("C", 5));
    case.reserved = reserved(&[(10, "A", 12)]);
    let plan = case.plan();
    assert!(plan.findings.contains(&PlanFinding::LevelNotRead {
        code: ProductCode::from("C")
    }));
    assert!(plan.findings.contains(&PlanFinding::TargetBelowZero {
        code: ProductCode::from("A"),
        billing: 10,
        reserved: 12,
        buffer: 0,
        target: -2,
    }));
    assert_eq!(writes(&plan)[0], (Some(10), "A", 0, Some(9)));
}
