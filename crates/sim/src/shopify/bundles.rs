//! Shopify bundles (a parent variant that "requires components"): an order for the parent is
//! recorded as one line per component, `quantity` × the component's quantity per bundle, the
//! bundle's price shared over the components in proportion to their own prices; stock moves
//! only on the components. A parent's `inventoryQuantity` is the number of whole bundles its
//! components' `available` allow; `ProductVariant.productVariantComponents` lists its
//! components (variant and units per bundle) in the order seeded. Sources in
//! crates/sim/README.md ("Bundles").

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use rust_decimal::Decimal;

use super::catalog::{R, VariantObj, available_of, gid};
use super::model::{ShopState, Variant};
use super::ops::{OpError, OrderLine, find_variant};
use super::page::{Connection, not_simulated, paginate};

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

/// One component of a bundle parent: `ProductVariantComponent`.
#[derive(Clone, Copy)]
pub struct ComponentObj<'s> {
    pub st: &'s ShopState,
    /// A stable id: the parent's id × 1000 + the component's position (a bundle has at most 30).
    pub id: u64,
    pub variant: &'s Variant,
    pub quantity: i64,
}

impl ObjectValue for ComponentObj<'_> {
    fn type_name(&self) -> &str {
        "ProductVariantComponent"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("ProductVariantComponent", self.id)),
            "quantity" => ResolvedValue::leaf(self.quantity),
            "productVariant" => ResolvedValue::object(VariantObj {
                st: self.st,
                v: self.variant,
            }),
            _ => return Err(not_simulated(info, "ProductVariantComponent")),
        })
    }
}

/// `productVariantComponents`: a parent's components in their order (empty for a plain variant).
pub fn components_of<'s>(
    st: &'s ShopState,
    v: &'s Variant,
    info: &ResolveInfo<'_>,
) -> Result<Connection<ComponentObj<'s>>, FieldError> {
    let nodes = v
        .components
        .iter()
        .enumerate()
        .filter_map(|(i, (c, q))| {
            let id = v.id * 1000 + i as u64 + 1;
            let variant = st.variants.get(c)?;
            let obj = ComponentObj {
                st,
                id,
                variant,
                quantity: *q,
            };
            Some((id, obj))
        })
        .collect();
    paginate(
        info,
        nodes,
        "ProductVariantComponentConnection",
        "ProductVariantComponentEdge",
    )
}
