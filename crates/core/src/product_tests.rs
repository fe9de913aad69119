//! Table-driven tests for product matching and its findings.

use super::*;
use crate::product::*;
use rstest::rstest;

fn variant(id: u64, sku: Option<&str>, barcode: Option<&str>, tracked: bool) -> ShopifyVariant {
    ShopifyVariant {
        variant_id: VariantId(id),
        inventory_item_id: InventoryItemId(id + 1000),
        title: format!("Variant {id}"),
        sku: sku.map(str::to_owned),
        barcode: barcode.map(str::to_owned),
        tracked,
    }
}

fn billing(code: &str, stock: &str) -> BillingProduct {
    BillingProduct {
        vat_rate: None,
        code: ProductCode::from(code),
        name: format!("Billing {code}"),
        stock: stock.parse().expect("valid decimal"),
    }
}

fn codes(catalog: &Catalog) -> Vec<&str> {
    catalog.matched.iter().map(|m| m.code.as_str()).collect()
}

#[rstest]
#[case::sku_matches(CodeSource::Sku, Some("TS-W"), Some("5940000000001"), "TS-W", true)]
#[case::barcode_matches(
    CodeSource::Barcode,
    Some("TS-W"),
    Some("5940000000001"),
    "5940000000001",
    true
)]
#[case::sku_is_case_sensitive(CodeSource::Sku, Some("ts-w"), None, "TS-W", false)]
#[case::no_trimming(CodeSource::Sku, Some("TS-W "), None, "TS-W", false)]
#[case::barcode_setting_ignores_sku(CodeSource::Barcode, Some("TS-W"), None, "TS-W", false)]
fn matches_by_exact_code(
    #[case] source: CodeSource,
    #[case] sku: Option<&str>,
    #[case] barcode: Option<&str>,
    #[case] billing_code: &str,
    #[case] expect_match: bool,
) {
    let catalog = match_products(
        source,
        &[variant(1, sku, barcode, true)],
        &[billing(billing_code, "10")],
    );
    assert_eq!(
        catalog.matched.len(),
        usize::from(expect_match),
        "{catalog:?}"
    );
    if expect_match {
        assert_eq!(catalog.matched[0].billing_stock, 10);
        assert_eq!(catalog.matched[0].inventory_item_id, InventoryItemId(1001));
        assert!(
            catalog.findings.is_empty(),
            "a clean match has no findings: {catalog:?}"
        );
    }
}

#[rstest]
#[case::variant_without_code(
    vec![variant(1, None, None, true)], vec![],
    ProductFinding::VariantWithoutCode { variant_id: VariantId(1), title: "Variant 1".into() })]
#[case::blank_sku_is_no_code(
    vec![variant(1, Some("  "), None, true)], vec![],
    ProductFinding::VariantWithoutCode { variant_id: VariantId(1), title: "Variant 1".into() })]
#[case::duplicate_in_shopify(
    vec![variant(2, Some("A"), None, true), variant(1, Some("A"), None, false)],
    vec![billing("A", "3")],
    ProductFinding::DuplicateCodeInShopify { code: "A".into(), variants: vec![VariantId(1), VariantId(2)] })]
#[case::missing_in_billing(
    vec![variant(1, Some("A"), None, true)], vec![],
    ProductFinding::CodeMissingInBilling { code: "A".into(), variant_id: VariantId(1) })]
#[case::tracking_off(
    vec![variant(1, Some("A"), None, false)], vec![billing("A", "3")],
    ProductFinding::TrackingOff { code: "A".into(), variant_id: VariantId(1) })]
#[case::billing_without_shopify(
    vec![], vec![billing("B", "3")],
    ProductFinding::BillingProductWithoutShopifyMatch { code: "B".into() })]
#[case::duplicate_in_billing(
    vec![variant(1, Some("A"), None, true)], vec![billing("A", "3"), billing("A", "4")],
    ProductFinding::DuplicateCodeInBilling { code: "A".into() })]
#[case::negative_billing_stock(
    vec![variant(1, Some("A"), None, true)], vec![billing("A", "-2")],
    ProductFinding::NegativeBillingStock { code: "A".into(), stock: "-2".parse().unwrap() })]
#[case::fractional_billing_stock(
    vec![variant(1, Some("A"), None, true)], vec![billing("A", "2.5")],
    ProductFinding::FractionalBillingStock { code: "A".into(), stock: "2.5".parse().unwrap(), used: 2 })]
fn reports_finding(
    #[case] variants: Vec<ShopifyVariant>,
    #[case] products: Vec<BillingProduct>,
    #[case] expected: ProductFinding,
) {
    let catalog = match_products(CodeSource::Sku, &variants, &products);
    assert!(
        catalog.findings.contains(&expected),
        "missing {expected:?} in {catalog:?}"
    );
    assert!(!expected.what_to_fix().is_empty());
}

#[rstest]
#[case::duplicate_in_shopify(vec![variant(1, Some("A"), None, true), variant(2, Some("A"), None, true)], vec![billing("A", "1")])]
#[case::duplicate_in_billing(vec![variant(1, Some("A"), None, true)], vec![billing("A", "1"), billing("A", "2")])]
#[case::untracked(vec![variant(1, Some("A"), None, false)], vec![billing("A", "1")])]
#[case::missing_in_billing(vec![variant(1, Some("A"), None, true)], vec![billing("B", "1")])]
fn problem_products_are_never_matched(
    #[case] variants: Vec<ShopifyVariant>,
    #[case] products: Vec<BillingProduct>,
) {
    let catalog = match_products(CodeSource::Sku, &variants, &products);
    assert!(
        catalog.matched.is_empty(),
        "an ambiguous product must not be synced: {catalog:?}"
    );
}

#[test]
fn negative_and_fractional_stock_still_match_rounded_down() {
    let variants = [
        variant(1, Some("N"), None, true),
        variant(2, Some("F"), None, true),
    ];
    let catalog = match_products(
        CodeSource::Sku,
        &variants,
        &[billing("N", "-1.5"), billing("F", "7.9")],
    );
    let stocks: Vec<i64> = catalog.matched.iter().map(|m| m.billing_stock).collect();
    assert_eq!(codes(&catalog), ["F", "N"]);
    assert_eq!(stocks, [7, -2]);
}

#[test]
fn matching_is_sorted_and_independent_of_input_order() {
    let mut variants: Vec<ShopifyVariant> = (0..20)
        .map(|i| variant(i, Some(&format!("C{:02}", 19 - i)), None, true))
        .collect();
    let products: Vec<BillingProduct> =
        (0..20).map(|i| billing(&format!("C{i:02}"), "1")).collect();
    let first = match_products(CodeSource::Sku, &variants, &products);
    variants.reverse();
    let second = match_products(CodeSource::Sku, &variants, &products);
    assert_eq!(first, second);
    let mut sorted = codes(&first);
    sorted.sort_unstable();
    assert_eq!(codes(&first), sorted);
}
