//! Shopify bundles (a parent variant that "requires components"): an order for the parent is
//! recorded as one line per component, `quantity` × the component's quantity per bundle, the
//! bundle's price shared over the components in proportion to their own prices; stock moves
//! only on the components. A parent's `inventoryQuantity` is the number of whole bundles its
//! components' `available` allow. Sources in crates/sim/README.md ("Bundles").

use rust_decimal::Decimal;

use super::catalog::available_of;
use super::model::{ShopState, Variant};
use super::ops::{OpError, OrderLine, find_variant};

/// The order's lines with every bundle parent replaced by its components.
pub fn expand(st: &ShopState, lines: &[OrderLine]) -> Result<Vec<OrderLine>, OpError> {
    let mut out = Vec::new();
    for l in lines {
        let vid = find_variant(st, l)?;
        let parent = &st.variants[&vid];
        if parent.components.is_empty() {
            out.push(l.clone());
            continue;
        }
        let price = l.price.unwrap_or(parent.price);
        let weight: Decimal = parent
            .components
            .iter()
            .map(|(c, q)| st.variants[c].price * Decimal::from(*q))
            .sum();
        for (c, q) in &parent.components {
            let share = if weight.is_zero() {
                Decimal::ZERO
            } else {
                (price * st.variants[c].price / weight).round_dp(2)
            };
            out.push(OrderLine {
                sku: None,
                variant_id: Some(*c),
                quantity: l.quantity * q,
                price: Some(share),
                vat_percent: l.vat_percent,
                location_id: l.location_id,
            });
        }
    }
    Ok(out)
}

/// `inventoryQuantity`: a plain variant's available over all locations; a parent's whole
/// bundles.
pub fn quantity_of(st: &ShopState, v: &Variant) -> i64 {
    if v.components.is_empty() {
        return available_of(st, v.id);
    }
    v.components
        .iter()
        .map(|(c, q)| available_of(st, *c).max(0) / (*q).max(1))
        .min()
        .unwrap_or(0)
}
