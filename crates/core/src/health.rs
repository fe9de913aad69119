//! The products health check shown before the first sync writes anything (issue 15): every
//! Shopify variant and billing product sorted into one of six groups — matched, only in Shopify,
//! only in billing, duplicate codes, untracked, no code — with the names a merchant recognises.
//! It is [`match_products`] read for people: the same rules decide what the sync will touch.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::matching::match_products;
use crate::product::{BillingProduct, CodeSource, ProductFinding, ShopifyVariant, VariantId};

/// The six groups, in the order the check shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthGroup {
    /// One tracked Shopify variant and one billing product share the code: synced.
    Matched,
    /// A tracked Shopify variant whose code no billing product has.
    OnlyInShopify,
    /// A billing product whose code no Shopify variant has.
    OnlyInBilling,
    /// A code on several Shopify variants, or twice in the billing warehouse: left alone.
    DuplicateCodes,
    /// "Track quantity" is off in Shopify: never written.
    Untracked,
    /// A Shopify variant without a SKU (or barcode): cannot be matched.
    NoCode,
}

impl HealthGroup {
    pub const ALL: [HealthGroup; 6] = [
        Self::Matched,
        Self::OnlyInShopify,
        Self::OnlyInBilling,
        Self::DuplicateCodes,
        Self::Untracked,
        Self::NoCode,
    ];

    /// Its name on the wire and in CSV file names (`only_in_shopify`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Matched => "matched",
            Self::OnlyInShopify => "only_in_shopify",
            Self::OnlyInBilling => "only_in_billing",
            Self::DuplicateCodes => "duplicate_codes",
            Self::Untracked => "untracked",
            Self::NoCode => "no_code",
        }
    }
}

/// One line of a group: what each side calls the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthRow {
    pub code: Option<String>,
    /// Shopify variant titles ("Cană - Albastru"): several for a code on several variants.
    pub shopify: Vec<String>,
    /// Billing product names: several for a code twice in the warehouse.
    pub billing: Vec<String>,
    /// Billing stock (the first product's), as the service reports it.
    pub stock: Option<Decimal>,
    /// Where the duplicate is (`shopify` or `billing`), for duplicate codes; or a note on a
    /// matched product (`negative_stock`, `fractional_stock`).
    pub note: Option<String>,
}

/// The check: each group with its rows (every group present, maybe empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthReport {
    pub groups: Vec<(HealthGroup, Vec<HealthRow>)>,
    pub shopify_variants: usize,
    pub billing_products: usize,
}

impl HealthReport {
    /// The rows of `group`.
    #[must_use]
    pub fn rows(&self, group: HealthGroup) -> &[HealthRow] {
        self.groups
            .iter()
            .find(|(g, _)| *g == group)
            .map_or(&[], |(_, rows)| rows.as_slice())
    }
}

/// Sorts the two catalogues into the six groups, by the same rules the sync uses.
#[must_use]
pub fn health_check(
    source: CodeSource,
    variants: &[ShopifyVariant],
    billing: &[BillingProduct],
) -> HealthReport {
    let catalog = match_products(source, variants, billing);
    let titles: HashMap<VariantId, &str> = variants
        .iter()
        .map(|v| (v.variant_id, v.title.as_str()))
        .collect();
    let title = |id: &VariantId| titles.get(id).map(|t| (*t).to_owned()).unwrap_or_default();
    let mut by_code: HashMap<&str, Vec<&BillingProduct>> = HashMap::new();
    for p in billing {
        by_code.entry(p.code.as_str()).or_default().push(p);
    }
    let names = |code: &str| -> (Vec<String>, Option<Decimal>) {
        let products = by_code.get(code).map(Vec::as_slice).unwrap_or_default();
        let names = products.iter().map(|p| p.name.clone()).collect();
        (names, products.first().map(|p| p.stock))
    };
    let mut notes: HashMap<&str, &'static str> = HashMap::new();
    let mut groups: HashMap<HealthGroup, Vec<HealthRow>> = HashMap::new();
    for f in &catalog.findings {
        let (group, row) = match f {
            ProductFinding::VariantWithoutCode { variant_id, .. } => {
                (HealthGroup::NoCode, row(None, vec![title(variant_id)]))
            }
            ProductFinding::DuplicateCodeInShopify { code, variants } => {
                let (billing, stock) = names(code.as_str());
                let shopify = variants.iter().map(title).collect();
                let r = HealthRow {
                    billing,
                    stock,
                    note: Some("shopify".into()),
                    ..row(Some(code.as_str()), shopify)
                };
                (HealthGroup::DuplicateCodes, r)
            }
            ProductFinding::DuplicateCodeInBilling { code } => {
                let (billing, stock) = names(code.as_str());
                let shopify = variants
                    .iter()
                    .filter(|v| v.code_str(source) == Some(code.as_str()))
                    .map(|v| v.title.clone())
                    .collect();
                let r = HealthRow {
                    billing,
                    stock,
                    note: Some("billing".into()),
                    ..row(Some(code.as_str()), shopify)
                };
                (HealthGroup::DuplicateCodes, r)
            }
            ProductFinding::CodeMissingInBilling { code, variant_id } => (
                HealthGroup::OnlyInShopify,
                row(Some(code.as_str()), vec![title(variant_id)]),
            ),
            ProductFinding::TrackingOff { code, variant_id } => {
                let (billing, stock) = names(code.as_str());
                let r = HealthRow {
                    billing,
                    stock,
                    ..row(Some(code.as_str()), vec![title(variant_id)])
                };
                (HealthGroup::Untracked, r)
            }
            ProductFinding::BillingProductWithoutShopifyMatch { code } => {
                let (billing, stock) = names(code.as_str());
                let r = HealthRow {
                    billing,
                    stock,
                    ..row(Some(code.as_str()), Vec::new())
                };
                (HealthGroup::OnlyInBilling, r)
            }
            ProductFinding::NegativeBillingStock { code, .. } => {
                notes.insert(code.as_str(), "negative_stock");
                continue;
            }
            ProductFinding::FractionalBillingStock { code, .. } => {
                notes.insert(code.as_str(), "fractional_stock");
                continue;
            }
        };
        groups.entry(group).or_default().push(row_sorted(row));
    }
    let matched = catalog
        .matched
        .iter()
        .map(|m| {
            let (billing, stock) = names(m.code.as_str());
            HealthRow {
                billing,
                stock,
                note: notes.get(m.code.as_str()).map(|n| (*n).to_owned()),
                ..row(Some(m.code.as_str()), vec![title(&m.variant_id)])
            }
        })
        .collect();
    groups.insert(HealthGroup::Matched, matched);
    let groups = HealthGroup::ALL
        .into_iter()
        .map(|g| {
            let mut rows = groups.remove(&g).unwrap_or_default();
            rows.sort_by(|a, b| (&a.code, &a.shopify).cmp(&(&b.code, &b.shopify)));
            (g, rows)
        })
        .collect();
    HealthReport {
        groups,
        shopify_variants: variants.len(),
        billing_products: billing.len(),
    }
}

fn row(code: Option<&str>, shopify: Vec<String>) -> HealthRow {
    HealthRow {
        code: code.map(str::to_owned),
        shopify,
        billing: Vec::new(),
        stock: None,
        note: None,
    }
}

fn row_sorted(mut r: HealthRow) -> HealthRow {
    r.shopify.sort();
    r.billing.sort();
    r
}

#[cfg(test)]
#[path = "health_tests.rs"]
mod tests;
