//! The demo data is believable and carries the deliberate problems Punte must find.

use punte_sim::demo::{DUPLICATE_SKU, MISSING_IN_BILLING, SeedVariant, articles, catalogue, ean13};

#[test]
fn demo_has_the_deliberate_problems_and_ean13_barcodes() {
    let products = catalogue();
    assert_eq!(products.len(), 300);
    let variants: Vec<&SeedVariant> = products.iter().flat_map(|p| &p.variants).collect();
    let dup = variants
        .iter()
        .filter(|v| v.sku.as_deref() == Some(DUPLICATE_SKU))
        .count();
    assert_eq!(dup, 2, "one SKU is deliberately shared by two variants");
    assert_eq!(variants.iter().filter(|v| v.sku.is_none()).count(), 1);
    assert_eq!(variants.iter().filter(|v| !v.tracked).count(), 1);
    assert!(
        variants
            .iter()
            .any(|v| v.sku.as_deref() == Some(MISSING_IN_BILLING))
    );
    assert!(articles().iter().all(|a| a.code != MISSING_IN_BILLING));
    assert_eq!(
        ean13(1),
        "5940000000011",
        "EAN-13 check digit: 5+27+4+3 = 39, so 1"
    );
    let vat_rates: Vec<u32> = articles().iter().map(|a| a.vat_percent).collect();
    assert!(vat_rates.iter().all(|r| *r == 21));
}
