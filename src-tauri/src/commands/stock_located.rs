//! What the Stock screen adds for several locations and for bundles (issue 18): per mapped
//! location, Shopify's level there and what the orders assigned to it reserve (only when two or
//! more locations are mapped); a kit's availability from its recipe (the least, over its
//! components, of ⌊(B − R − buffer) / units per kit⌋, as `core::bundles::with_kits` computes it);
//! a Shopify bundle parent's availability from its components' targets (Punte never writes the
//! parent; Shopify derives its level from the components).

use std::collections::HashMap;

use punte_core::bundles::{Component, Kit, bundle_availability};
use punte_core::locations::LocationSettings;
use punte_core::product::ProductCode;
use punte_core::reservation::Reservations;
use punte_store::{BundleParent, ShopifyLevel};
use serde::Serialize;

use super::stock::StockRow;

/// One mapped location's numbers for one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationCell {
    pub location_id: u64,
    pub name: String,
    /// Shopify's `available` there as last read; `None` when never read.
    pub available: Option<i64>,
    /// Units the orders assigned to this location hold (kits counted as their components).
    pub reserved: i64,
}

/// A kit (the merchant's recipe) or a Shopify bundle parent, and how many can be sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleCell {
    /// "kit" or "shopify".
    pub kind: &'static str,
    /// The least, over the components, of whole bundles; `None` when a component is unknown.
    pub available: Option<i64>,
    pub components: Vec<Component>,
}

/// The per-location cells of one product, in mapping order; none unless two or more locations
/// are mapped.
pub fn location_cells(
    mapping: &LocationSettings,
    levels: &[ShopifyLevel],
    reserved: &HashMap<u64, Reservations>,
    item: u64,
    code: Option<&ProductCode>,
) -> Vec<LocationCell> {
    if !mapping.is_multi() {
        return Vec::new();
    }
    mapping
        .links
        .iter()
        .map(|l| LocationCell {
            location_id: l.location_id,
            name: l.name.clone(),
            available: levels
                .iter()
                .find(|v| v.location_id == l.location_id && v.inventory_item_id.0 == item)
                .map(|v| v.available),
            reserved: code
                .and_then(|c| reserved.get(&l.location_id).map(|r| r.of(c)))
                .unwrap_or(0),
        })
        .collect()
}

/// Each kit's availability from `billing` (whole units by code), the reservations and the
/// buffers; `None` for a kit with a component billing does not list.
pub fn kit_stock(
    kits: &[Kit],
    billing: &HashMap<String, i64>,
    reserved: &Reservations,
    buffer_of: impl Fn(&ProductCode) -> i64,
) -> HashMap<String, Option<i64>> {
    kits.iter()
        .map(|k| {
            let n = bundle_availability(&k.components, |c| {
                let b = billing.get(&c.0).copied()?;
                Some(b - reserved.of(c) - buffer_of(c))
            });
            (k.code.0.clone(), n)
        })
        .collect()
}

/// Marks Shopify's bundle parents and gives each the least its components' targets allow.
pub fn shopify_bundles(rows: &mut [StockRow], bundles: &[BundleParent]) {
    let by_variant: HashMap<u64, (Option<String>, Option<i64>)> = rows
        .iter()
        .map(|r| (r.variant_id, (r.code.clone(), r.target)))
        .collect();
    for row in rows.iter_mut() {
        let Some(parent) = bundles.iter().find(|b| b.variant_id.0 == row.variant_id) else {
            continue;
        };
        let parts: Vec<(Component, Option<i64>)> = parent
            .components
            .iter()
            .map(|(v, q)| {
                let (code, target) = by_variant.get(&v.0).cloned().unwrap_or((None, None));
                let code = ProductCode(code.unwrap_or_else(|| format!("#{}", v.0)));
                (Component { code, quantity: *q }, target)
            })
            .collect();
        let components: Vec<Component> = parts.iter().map(|(c, _)| c.clone()).collect();
        let available = bundle_availability(&components, |c| {
            parts
                .iter()
                .find(|(p, _)| p.code == *c)
                .and_then(|(_, t)| *t)
        });
        row.status = "bundle";
        row.bundle = Some(BundleCell {
            kind: "shopify",
            available,
            components,
        });
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use punte_core::locations::LocationLink;
    use punte_core::product::{InventoryItemId, VariantId};

    use super::*;

    fn link(id: u64, name: &str) -> LocationLink {
        LocationLink {
            location_id: id,
            name: name.into(),
            warehouse: "W".into(),
            share_percent: 0,
        }
    }

    fn level(location: u64, item: u64, available: i64) -> ShopifyLevel {
        ShopifyLevel {
            inventory_item_id: InventoryItemId(item),
            location_id: location,
            available,
            read_at: Utc::now(),
        }
    }

    #[test]
    fn per_location_cells_only_with_two_locations_mapped() {
        let code = ProductCode::from("A");
        let mut reserved = HashMap::new();
        reserved.insert(2, [(code.clone(), 3)].into_iter().collect::<Reservations>());
        let levels = [level(1, 10, 7), level(2, 10, 4), level(2, 11, 9)];
        let one = LocationSettings {
            links: vec![link(1, "Depozit")],
            ..LocationSettings::default()
        };
        assert!(location_cells(&one, &levels, &reserved, 10, Some(&code)).is_empty());
        let two = LocationSettings {
            links: vec![link(1, "Depozit"), link(2, "Magazin")],
            ..LocationSettings::default()
        };
        let cells = location_cells(&two, &levels, &reserved, 10, Some(&code));
        let got: Vec<_> = cells
            .iter()
            .map(|c| (c.location_id, c.available, c.reserved))
            .collect();
        assert_eq!(got, vec![(1, Some(7), 0), (2, Some(4), 3)]);
    }

    #[test]
    fn a_kit_is_worth_the_least_its_components_allow() {
        let kit = Kit {
            code: ProductCode::from("GIFT"),
            title: "Gift".into(),
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
        };
        let billing: HashMap<String, i64> = [("A".into(), 10), ("B".into(), 9)].into();
        let reserved: Reservations = [(ProductCode::from("A"), 4)].into_iter().collect();
        let got = kit_stock(std::slice::from_ref(&kit), &billing, &reserved, |_| 0);
        assert_eq!(got["GIFT"], Some(3), "A: (10 − 4) / 2 = 3, B: 9");
        let none = kit_stock(&[kit], &HashMap::new(), &reserved, |_| 0);
        assert_eq!(none["GIFT"], None);
    }

    fn row(variant: u64, code: &str, target: Option<i64>) -> StockRow {
        StockRow {
            code: Some(code.into()),
            title: code.into(),
            variant_id: variant,
            inventory_item_id: variant + 100,
            tracked: true,
            shopify_available: None,
            billing_stock: None,
            reserved: 0,
            buffer: 0,
            target,
            status: "in_sync",
            read_at: None,
            held_until: None,
            locations: Vec::new(),
            bundle: None,
        }
    }

    /// A Shopify bundle of 2×A + 1×B: the least its components' targets allow; never written.
    #[test]
    fn a_shopify_bundle_is_worth_the_least_its_components_targets_allow() {
        let mut rows = vec![
            row(1, "A", Some(9)),
            row(2, "B", Some(3)),
            row(3, "BOX", None),
        ];
        let parent = BundleParent {
            variant_id: VariantId(3),
            components: vec![(VariantId(1), 2), (VariantId(2), 1)],
        };
        shopify_bundles(&mut rows, &[parent]);
        let cell = rows[2].bundle.clone().expect("a bundle");
        assert_eq!((cell.kind, cell.available), ("shopify", Some(3)));
        assert_eq!(rows[2].status, "bundle");
        assert!(rows[0].bundle.is_none());
        rows[0].target = Some(5);
        let parent = BundleParent {
            variant_id: VariantId(3),
            components: vec![(VariantId(1), 2), (VariantId(2), 1)],
        };
        shopify_bundles(&mut rows, &[parent]);
        assert_eq!(rows[2].bundle.as_ref().and_then(|b| b.available), Some(2));
    }
}
