//! GraphQL objects of the catalogue: Product, ProductVariant and InventoryItem, each a thin
//! view over the shop state, and the small value helpers every resolver uses.

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use chrono::{DateTime, Utc};

use super::levels::{CountObj, LevelObj, TrackedEditable};
use super::model::{InventoryItem, Product, ShopState, Variant};
use super::page::{not_simulated, paginate};

pub type R<'a> = Result<ResolvedValue<'a>, FieldError>;

pub fn gid(kind: &str, id: u64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

/// The numeric id of `gid://shopify/<kind>/<id>`, or None for another kind or a malformed id.
pub fn parse_gid(value: &str, kind: &str) -> Option<u64> {
    let rest = value
        .strip_prefix("gid://shopify/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    rest.split('?').next()?.parse().ok()
}

pub fn time<'a>(t: DateTime<Utc>) -> ResolvedValue<'a> {
    ResolvedValue::leaf(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

pub fn opt_str<'a>(s: Option<&str>) -> ResolvedValue<'a> {
    s.map_or(ResolvedValue::null(), |s| ResolvedValue::leaf(s.to_owned()))
}

pub fn arg_str<'a>(info: &'a ResolveInfo<'_>, name: &str) -> Option<&'a str> {
    info.arguments().get(name).and_then(|v| v.as_str())
}

#[derive(Clone, Copy)]
pub struct ProductObj<'s> {
    pub st: &'s ShopState,
    pub p: &'s Product,
}

impl ObjectValue for ProductObj<'_> {
    fn type_name(&self) -> &str {
        "Product"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let p = self.p;
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("Product", p.id)),
            "legacyResourceId" => ResolvedValue::leaf(p.id.to_string()),
            "title" => ResolvedValue::leaf(p.title.clone()),
            "handle" => ResolvedValue::leaf(p.handle.clone()),
            "vendor" => ResolvedValue::leaf(p.vendor.clone()),
            "productType" => ResolvedValue::leaf(p.product_type.clone()),
            "status" => ResolvedValue::leaf(p.status.clone()),
            "createdAt" => time(p.created_at),
            "updatedAt" => time(p.updated_at),
            "totalInventory" => {
                let total: i64 = p
                    .variant_ids
                    .iter()
                    .map(|v| available_of(self.st, *v))
                    .sum();
                ResolvedValue::leaf(total)
            }
            "tracksInventory" => ResolvedValue::leaf(p.variant_ids.iter().any(|v| {
                let item = self.st.variants.get(v).map(|v| v.inventory_item_id);
                item.and_then(|i| self.st.items.get(&i))
                    .is_some_and(|i| i.tracked)
            })),
            "variantsCount" => ResolvedValue::object(CountObj(p.variant_ids.len() as i64)),
            "variants" => {
                let nodes = p
                    .variant_ids
                    .iter()
                    .filter_map(|id| self.st.variants.get(id));
                let nodes = nodes
                    .map(|v| (v.id, VariantObj { st: self.st, v }))
                    .collect();
                ResolvedValue::object(paginate(
                    info,
                    nodes,
                    "ProductVariantConnection",
                    "ProductVariantEdge",
                )?)
            }
            _ => return Err(not_simulated(info, "Product")),
        })
    }
}

/// Sum of `available` of a variant's item over all locations.
pub fn available_of(st: &ShopState, variant: u64) -> i64 {
    let Some(item) = st.variants.get(&variant).map(|v| v.inventory_item_id) else {
        return 0;
    };
    st.levels
        .iter()
        .filter(|((i, _), _)| *i == item)
        .map(|(_, q)| q.available)
        .sum()
}

#[derive(Clone, Copy)]
pub struct VariantObj<'s> {
    pub st: &'s ShopState,
    pub v: &'s Variant,
}

impl ObjectValue for VariantObj<'_> {
    fn type_name(&self) -> &str {
        "ProductVariant"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let v = self.v;
        let product = self.st.products.get(&v.product_id);
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("ProductVariant", v.id)),
            "legacyResourceId" => ResolvedValue::leaf(v.id.to_string()),
            "title" => ResolvedValue::leaf(v.title.clone()),
            "displayName" => {
                let title = product.map(|p| p.title.as_str()).unwrap_or_default();
                ResolvedValue::leaf(format!("{title} - {}", v.title))
            }
            "sku" => opt_str(v.sku.as_deref()),
            "barcode" => opt_str(v.barcode.as_deref()),
            "price" => ResolvedValue::leaf(v.price.to_string()),
            "taxable" => ResolvedValue::leaf(true),
            "inventoryQuantity" => ResolvedValue::leaf(super::bundles::quantity_of(self.st, v)),
            "requiresComponents" => ResolvedValue::leaf(!v.components.is_empty()),
            "productVariantComponents" => {
                ResolvedValue::object(super::bundles::components_of(self.st, v, info)?)
            }
            "createdAt" => time(v.created_at),
            "updatedAt" => time(v.updated_at),
            "product" => match product {
                Some(p) => ResolvedValue::object(ProductObj { st: self.st, p }),
                None => ResolvedValue::null(),
            },
            "inventoryItem" => match self.st.items.get(&v.inventory_item_id) {
                Some(i) => ResolvedValue::object(ItemObj { st: self.st, i }),
                None => ResolvedValue::null(),
            },
            _ => return Err(not_simulated(info, "ProductVariant")),
        })
    }
}

#[derive(Clone, Copy)]
pub struct ItemObj<'s> {
    pub st: &'s ShopState,
    pub i: &'s InventoryItem,
}

impl ObjectValue for ItemObj<'_> {
    fn type_name(&self) -> &str {
        "InventoryItem"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let i = self.i;
        let variant = self.st.variants.get(&i.variant_id);
        let sku = variant.and_then(|v| v.sku.as_deref());
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("InventoryItem", i.id)),
            "legacyResourceId" => ResolvedValue::leaf(i.id.to_string()),
            "sku" => opt_str(sku),
            "tracked" => ResolvedValue::leaf(i.tracked),
            "trackedEditable" => ResolvedValue::object(TrackedEditable),
            "requiresShipping" => ResolvedValue::leaf(true),
            "duplicateSkuCount" => {
                let same =
                    |v: &&Variant| sku.is_some() && v.sku.as_deref() == sku && v.id != i.variant_id;
                ResolvedValue::leaf(self.st.variants.values().filter(same).count() as i64)
            }
            "createdAt" => time(i.created_at),
            "updatedAt" => time(i.updated_at),
            "variant" => {
                ResolvedValue::nullable_object(variant.map(|v| VariantObj { st: self.st, v }))
            }
            "variants" => {
                let nodes = variant
                    .map(|v| (v.id, VariantObj { st: self.st, v }))
                    .into_iter()
                    .collect();
                ResolvedValue::object(paginate(
                    info,
                    nodes,
                    "ProductVariantConnection",
                    "ProductVariantEdge",
                )?)
            }
            "locationsCount" => {
                let n = self
                    .st
                    .levels
                    .keys()
                    .filter(|(item, _)| *item == i.id)
                    .count();
                ResolvedValue::object(CountObj(n as i64))
            }
            "inventoryLevel" => {
                super::scopes::check(self.st, "inventoryLevel", &["read_inventory"])?;
                let loc = arg_str(info, "locationId").and_then(|v| parse_gid(v, "Location"));
                let level = loc.filter(|l| self.st.levels.contains_key(&(i.id, *l)));
                ResolvedValue::nullable_object(level.map(|l| LevelObj {
                    st: self.st,
                    item: i.id,
                    loc: l,
                }))
            }
            "inventoryLevels" => {
                super::scopes::check(self.st, "inventoryLevels", &["read_inventory"])?;
                let keys = self.st.levels.keys().filter(|(item, _)| *item == i.id);
                let nodes = keys
                    .map(|&(item, loc)| {
                        (
                            loc,
                            LevelObj {
                                st: self.st,
                                item,
                                loc,
                            },
                        )
                    })
                    .collect();
                ResolvedValue::object(paginate(
                    info,
                    nodes,
                    "InventoryLevelConnection",
                    "InventoryLevelEdge",
                )?)
            }
            _ => return Err(not_simulated(info, "InventoryItem")),
        })
    }
}
