//! Shopify bundles (a parent variant that "requires components"): an order for the parent is
//! recorded as one line per component, `quantity` × the component's quantity per bundle, the
//! bundle's price shared over the components in proportion to their own prices; stock moves
//! only on the components. Each component line carries the bundle it was sold in
//! (`LineItem.lineItemGroup`: one group per ordered bundle line). A parent's `inventoryQuantity` is the number of whole bundles its
//! components' `available` allow; `ProductVariant.productVariantComponents` lists its
//! components (variant and units per bundle) in the order seeded. Sources in
//! crates/sim/README.md ("Bundles").

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use rust_decimal::Decimal;
use serde::Serialize;

use super::catalog::{R, VariantObj, available_of, gid, opt_str};
use super::model::{ShopState, Variant};
use super::ops::{OpError, OrderLine, find_variant};
use super::page::{Connection, not_simulated, paginate};

/// The bundle an order line was sold in: Shopify's `LineItemGroup`.
#[derive(Clone, Debug, Serialize)]
pub struct LineGroup {
    pub id: u64,
    /// The bundle parent's product title.
    pub title: String,
    /// Bundles ordered.
    pub quantity: i64,
    pub product_id: u64,
    pub variant_id: u64,
    pub variant_sku: Option<String>,
}

/// The order's lines with every bundle parent replaced by its components, each component line
/// carrying its bundle's group (a new group id per ordered bundle line).
pub fn expand(st: &mut ShopState, lines: &[OrderLine]) -> Result<Vec<OrderLine>, OpError> {
    let mut out = Vec::new();
    for l in lines {
        let vid = find_variant(st, l)?;
        if st.variants[&vid].components.is_empty() {
            out.push(l.clone());
            continue;
        }
        let group_id = st.id();
        let parent = &st.variants[&vid];
        let group = LineGroup {
            id: group_id,
            title: st
                .products
                .get(&parent.product_id)
                .map_or_else(|| parent.title.clone(), |p| p.title.clone()),
            quantity: l.quantity,
            product_id: parent.product_id,
            variant_id: parent.id,
            variant_sku: parent.sku.clone(),
        };
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
                group: Some(group.clone()),
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

/// `LineItem.lineItemGroup`: the bundle a component line was sold in.
pub struct GroupObj<'s>(pub &'s LineGroup);

impl ObjectValue for GroupObj<'_> {
    fn type_name(&self) -> &str {
        "LineItemGroup"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let g = self.0;
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("LineItemGroup", g.id)),
            "title" => ResolvedValue::leaf(g.title.clone()),
            "quantity" => ResolvedValue::leaf(g.quantity),
            "productId" => ResolvedValue::leaf(gid("Product", g.product_id)),
            "variantId" => ResolvedValue::leaf(gid("ProductVariant", g.variant_id)),
            "variantSku" => opt_str(g.variant_sku.as_deref()),
            "customAttributes" => ResolvedValue::list(std::iter::empty::<ResolvedValue<'a>>()),
            _ => return Err(not_simulated(info, "LineItemGroup")),
        })
    }
}
