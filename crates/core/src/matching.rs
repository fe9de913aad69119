//! Matching Shopify variants to billing products by exact code, as a merge of the two lists
//! sorted by code: linear memory, no per-product allocation beyond the result, and findings
//! for every product that cannot be synced safely.

use rust_decimal::prelude::ToPrimitive;

use crate::product::{
    BillingProduct, Catalog, CodeSource, MatchedProduct, ProductCode, ProductFinding,
    ShopifyVariant,
};

/// Matches Shopify variants to billing products by exact code. Deterministic: the result does
/// not depend on the order of either input. `matched` comes out sorted by code.
#[must_use]
pub fn match_products(
    source: CodeSource,
    variants: &[ShopifyVariant],
    billing: &[BillingProduct],
) -> Catalog {
    let mut uncoded: Vec<&ShopifyVariant> = Vec::new();
    let mut coded: Vec<(&str, &ShopifyVariant)> = Vec::with_capacity(variants.len());
    for variant in variants {
        match variant.code_str(source) {
            Some(code) => coded.push((code, variant)),
            None => uncoded.push(variant),
        }
    }
    uncoded.sort_unstable_by_key(|v| v.variant_id);
    let mut findings: Vec<ProductFinding> = uncoded
        .into_iter()
        .map(|v| ProductFinding::VariantWithoutCode {
            variant_id: v.variant_id,
            title: v.title.clone(),
        })
        .collect();
    coded.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.variant_id.cmp(&b.1.variant_id)));
    let mut products: Vec<&BillingProduct> = billing.iter().collect();
    products.sort_unstable_by(|a, b| a.code.cmp(&b.code));

    let mut matched = Vec::with_capacity(coded.len().min(products.len()));
    let (mut v, mut p) = (0, 0);
    while v < coded.len() || p < products.len() {
        // The smallest code still to look at, and every variant and billing product with it.
        let code = match (coded.get(v), products.get(p)) {
            (Some((c, _)), Some(b)) => (*c).min(b.code.as_str()),
            (Some((c, _)), None) => c,
            (None, Some(b)) => b.code.as_str(),
            (None, None) => break,
        };
        let v_end = v + coded[v..].iter().take_while(|(c, _)| *c == code).count();
        let p_end = p + products[p..]
            .iter()
            .take_while(|b| b.code.as_str() == code)
            .count();
        let holders = &coded[v..v_end];
        let stocked = &products[p..p_end];
        (v, p) = (v_end, p_end);
        let code = ProductCode::from(code);
        if stocked.len() > 1 {
            findings.push(ProductFinding::DuplicateCodeInBilling { code: code.clone() });
        }
        match (holders, stocked) {
            ([], _) => findings.push(ProductFinding::BillingProductWithoutShopifyMatch { code }),
            ([(_, variant)], _) if !variant.tracked => {
                findings.push(ProductFinding::TrackingOff {
                    code,
                    variant_id: variant.variant_id,
                });
            }
            ([(_, variant)], []) => findings.push(ProductFinding::CodeMissingInBilling {
                code,
                variant_id: variant.variant_id,
            }),
            ([(_, variant)], [product]) => {
                matched.push(matched_product(variant, product, &mut findings));
            }
            ([_], _) => {} // duplicate in billing, reported above
            (many, _) => findings.push(ProductFinding::DuplicateCodeInShopify {
                code,
                variants: many.iter().map(|(_, v)| v.variant_id).collect(),
            }),
        }
    }
    Catalog { matched, findings }
}

fn matched_product(
    variant: &ShopifyVariant,
    product: &BillingProduct,
    findings: &mut Vec<ProductFinding>,
) -> MatchedProduct {
    let whole = product.stock.floor();
    let saturated = if whole.is_sign_negative() {
        i64::MIN
    } else {
        i64::MAX
    };
    let billing_stock = whole.to_i64().unwrap_or(saturated);
    if product.stock.is_sign_negative() && !product.stock.is_zero() {
        findings.push(ProductFinding::NegativeBillingStock {
            code: product.code.clone(),
            stock: product.stock,
        });
    } else if whole != product.stock {
        findings.push(ProductFinding::FractionalBillingStock {
            code: product.code.clone(),
            stock: product.stock,
            used: billing_stock,
        });
    }
    MatchedProduct {
        code: product.code.clone(),
        variant_id: variant.variant_id,
        inventory_item_id: variant.inventory_item_id,
        billing_name: product.name.clone(),
        billing_stock,
    }
}

#[cfg(test)]
#[path = "product_tests.rs"]
mod tests;
