//! The health check sorts a small shop with one product of each kind into its six groups, with
//! the names each side uses; and it agrees with the matching the sync uses.

use super::*;
use crate::product::{InventoryItemId, ProductCode};

fn variant(id: u64, title: &str, sku: Option<&str>, tracked: bool) -> ShopifyVariant {
    ShopifyVariant {
        variant_id: VariantId(id),
        inventory_item_id: InventoryItemId(id + 100),
        title: title.into(),
        sku: sku.map(str::to_owned),
        barcode: None,
        tracked,
    }
}

fn product(code: &str, name: &str, stock: &str) -> BillingProduct {
    BillingProduct {
        code: ProductCode::from(code),
        name: name.into(),
        stock: stock.parse().expect("decimal"),
        vat_rate: None,
    }
}

fn codes(report: &HealthReport, group: HealthGroup) -> Vec<String> {
    report
        .rows(group)
        .iter()
        .map(|r| r.code.clone().unwrap_or_else(|| r.shopify.join("+")))
        .collect()
}

#[test]
fn each_product_lands_in_its_group_with_both_names() {
    let variants = [
        variant(1, "Cană albastră", Some("CANA"), true),
        variant(2, "Tricou M", Some("TRI-M"), true),
        variant(3, "Tricou L", Some("DUP"), true),
        variant(4, "Tricou XL", Some("DUP"), true),
        variant(5, "Sapcă", Some("SAP"), false),
        variant(6, "Card cadou", None, true),
        variant(7, "Farfurie", Some("FARF"), true),
        variant(8, "Vază", Some("VAZA"), true),
    ];
    let billing = [
        product("CANA", "Cana ceramica albastra", "12"),
        product("DUP", "Tricou", "4"),
        product("SAP", "Sapca", "3"),
        product("RUC", "Rucsac", "9"),
        product("FARF", "Farfurie", "2"),
        product("FARF", "Farfurie (2)", "1"),
        product("VAZA", "Vaza", "-1"),
    ];
    let r = health_check(CodeSource::Sku, &variants, &billing);
    assert_eq!(codes(&r, HealthGroup::Matched), ["CANA", "VAZA"]);
    assert_eq!(codes(&r, HealthGroup::OnlyInShopify), ["TRI-M"]);
    assert_eq!(codes(&r, HealthGroup::OnlyInBilling), ["RUC"]);
    assert_eq!(codes(&r, HealthGroup::DuplicateCodes), ["DUP", "FARF"]);
    assert_eq!(codes(&r, HealthGroup::Untracked), ["SAP"]);
    assert_eq!(codes(&r, HealthGroup::NoCode), ["Card cadou"]);
    let cana = &r.rows(HealthGroup::Matched)[0];
    assert_eq!(cana.shopify, ["Cană albastră"]);
    assert_eq!(cana.billing, ["Cana ceramica albastra"]);
    assert_eq!(cana.stock, Some("12".parse().expect("decimal")));
    assert_eq!(
        r.rows(HealthGroup::Matched)[1].note.as_deref(),
        Some("negative_stock")
    );
    let dup = &r.rows(HealthGroup::DuplicateCodes)[0];
    assert_eq!(dup.shopify, ["Tricou L", "Tricou XL"]);
    assert_eq!(dup.note.as_deref(), Some("shopify"));
    let farf = &r.rows(HealthGroup::DuplicateCodes)[1];
    assert_eq!(farf.billing, ["Farfurie", "Farfurie (2)"]);
    assert_eq!(farf.note.as_deref(), Some("billing"));
    assert_eq!((r.shopify_variants, r.billing_products), (8, 7));
    assert_eq!(r.groups.len(), 6, "every group is present, even empty");
}

#[test]
fn matched_is_exactly_what_the_sync_matches() {
    let variants: Vec<_> = (0..40)
        .map(|i| {
            let sku = (i % 7 != 0).then(|| format!("C{}", i % 30));
            variant(i, &format!("V{i}"), sku.as_deref(), i % 11 != 0)
        })
        .collect();
    let billing: Vec<_> = (5..35)
        .map(|i| product(&format!("C{i}"), "x", "1"))
        .collect();
    let r = health_check(CodeSource::Sku, &variants, &billing);
    let sync = match_products(CodeSource::Sku, &variants, &billing);
    let matched: Vec<_> = sync.matched.iter().map(|m| m.code.0.clone()).collect();
    assert_eq!(codes(&r, HealthGroup::Matched), matched);
    let rows: usize = r.groups.iter().map(|(_, rows)| rows.len()).sum();
    assert!(rows > 0);
}
