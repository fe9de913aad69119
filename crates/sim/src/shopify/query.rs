//! The `QueryRoot` object: shop, locations, products, variants, inventory items and levels, and
//! orders, with `query:` search, sort keys and cursor pagination.

use apollo_compiler::resolvers::{ObjectValue, ResolveInfo, ResolvedValue};

use super::catalog::{ItemObj, ProductObj, R, VariantObj, arg_str, parse_gid};
use super::levels::LevelObj;
use super::model::ShopState;
use super::orders::{OrderObj, order_field};
use super::page::{Key, not_simulated, paginate, paginate_keyed};
use super::scopes;
use super::search::{Query, Value};
use super::shop::{LocationObj, ShopObj};

pub struct QueryRoot<'s> {
    pub st: &'s ShopState,
}

fn text(s: Option<&str>) -> Value {
    Value::Text(s.map(str::to_owned))
}

impl ObjectValue for QueryRoot<'_> {
    fn type_name(&self) -> &str {
        "QueryRoot"
    }

    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let st = self.st;
        let q = Query::parse(arg_str(info, "query").unwrap_or_default());
        let reverse = info
            .arguments()
            .get("reverse")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let id_arg = |kind: &str| arg_str(info, "id").and_then(|v| parse_gid(v, kind));
        scopes::check_root(st, info.field_name(), false)?;
        Ok(match info.field_name() {
            "shop" => ResolvedValue::object(ShopObj { st }),
            "currentAppInstallation" => ResolvedValue::object(scopes::InstallationObj { st }),
            "locations" => {
                let inactive = info
                    .arguments()
                    .get("includeInactive")
                    .and_then(|v| v.as_bool());
                let all = st
                    .locations
                    .iter()
                    .filter(|l| l.active || inactive == Some(true));
                let all = all.filter(|l| {
                    q.matches(|f| match f {
                        Some("name") | None => text(Some(&l.name)),
                        Some("active") => text(Some(if l.active { "true" } else { "false" })),
                        _ => Value::Unknown,
                    })
                });
                let nodes = all.map(|loc| (loc.id, LocationObj { st, loc })).collect();
                ResolvedValue::object(paginate(info, nodes, "LocationConnection", "LocationEdge")?)
            }
            "location" => {
                let found = match id_arg("Location") {
                    Some(id) => st.locations.iter().find(|l| l.id == id),
                    None => st.locations.iter().find(|l| l.primary),
                };
                ResolvedValue::nullable_object(found.map(|loc| LocationObj { st, loc }))
            }
            "products" => {
                let nodes: Vec<_> = st
                    .products
                    .values()
                    .filter(|p| {
                        let variants: Vec<_> = p
                            .variant_ids
                            .iter()
                            .filter_map(|v| st.variants.get(v))
                            .collect();
                        q.matches(|f| match f {
                            None | Some("title") => text(Some(&p.title)),
                            Some("sku") => Value::Texts(
                                variants.iter().filter_map(|v| v.sku.clone()).collect(),
                            ),
                            Some("barcode") => Value::Texts(
                                variants.iter().filter_map(|v| v.barcode.clone()).collect(),
                            ),
                            Some("status") => text(Some(&p.status)),
                            Some("vendor") => text(Some(&p.vendor)),
                            Some("product_type") => text(Some(&p.product_type)),
                            Some("updated_at") => Value::Time(p.updated_at),
                            Some("created_at") => Value::Time(p.created_at),
                            Some("id") => Value::Int(p.id as i64),
                            _ => Value::Unknown,
                        })
                    })
                    .map(|p| (p.id, ProductObj { st, p }))
                    .collect();
                let nodes = sort(nodes, info, reverse, |n, key| match key {
                    "TITLE" => n.p.title.clone(),
                    "UPDATED_AT" => n.p.updated_at.to_rfc3339(),
                    "CREATED_AT" => n.p.created_at.to_rfc3339(),
                    _ => String::new(),
                });
                let (t, e) = ("ProductConnection", "ProductEdge");
                ResolvedValue::object(paginate_keyed(info, nodes, reverse, t, e)?)
            }
            "product" => {
                let found = id_arg("Product").and_then(|id| st.products.get(&id));
                ResolvedValue::nullable_object(found.map(|p| ProductObj { st, p }))
            }
            "productVariants" => {
                let nodes: Vec<_> = st
                    .variants
                    .values()
                    .filter(|v| {
                        q.matches(|f| match f {
                            Some("sku") => text(v.sku.as_deref()),
                            Some("barcode") => text(v.barcode.as_deref()),
                            None | Some("title") => text(Some(&v.title)),
                            Some("product_id") => Value::Int(v.product_id as i64),
                            Some("updated_at") => Value::Time(v.updated_at),
                            Some("created_at") => Value::Time(v.created_at),
                            Some("id") => Value::Int(v.id as i64),
                            Some("requires_components") => {
                                Value::Text(Some((!v.components.is_empty()).to_string()))
                            }
                            _ => Value::Unknown,
                        })
                    })
                    .map(|v| (v.id, VariantObj { st, v }))
                    .collect();
                let nodes = sort(nodes, info, reverse, |n, key| match key {
                    "SKU" => n.v.sku.clone().unwrap_or_default(),
                    "TITLE" => n.v.title.clone(),
                    _ => String::new(),
                });
                let (t, e) = ("ProductVariantConnection", "ProductVariantEdge");
                ResolvedValue::object(paginate_keyed(info, nodes, reverse, t, e)?)
            }
            "productVariant" => {
                let found = id_arg("ProductVariant").and_then(|id| st.variants.get(&id));
                ResolvedValue::nullable_object(found.map(|v| VariantObj { st, v }))
            }
            "inventoryItems" => {
                let nodes: Vec<_> = st
                    .items
                    .values()
                    .filter(|i| {
                        let sku = st
                            .variants
                            .get(&i.variant_id)
                            .and_then(|v| v.sku.as_deref());
                        q.matches(|f| match f {
                            None | Some("sku") => text(sku),
                            Some("updated_at") => Value::Time(i.updated_at),
                            Some("created_at") => Value::Time(i.created_at),
                            Some("id") => Value::Int(i.id as i64),
                            _ => Value::Unknown,
                        })
                    })
                    .map(|i| (i.id, ItemObj { st, i }))
                    .collect();
                let nodes = sort(nodes, info, reverse, |_, _| String::new());
                let (t, e) = ("InventoryItemConnection", "InventoryItemEdge");
                ResolvedValue::object(paginate_keyed(info, nodes, reverse, t, e)?)
            }
            "inventoryItem" => {
                let found = id_arg("InventoryItem").and_then(|id| st.items.get(&id));
                ResolvedValue::nullable_object(found.map(|i| ItemObj { st, i }))
            }
            "inventoryLevel" => {
                let raw = arg_str(info, "id").unwrap_or_default();
                let loc = parse_gid(raw, "InventoryLevel");
                let item = raw
                    .split("inventory_item_id=")
                    .nth(1)
                    .and_then(|s| s.parse().ok());
                let found = loc
                    .zip(item)
                    .filter(|(l, i)| st.levels.contains_key(&(*i, *l)));
                ResolvedValue::nullable_object(found.map(|(loc, item)| LevelObj { st, item, loc }))
            }
            "orders" => {
                let nodes: Vec<_> = st
                    .orders
                    .values()
                    .filter(|o| q.matches(|f| order_field(o, f)))
                    .map(|o| (o.id, OrderObj { st, o }))
                    .collect();
                let nodes = sort(nodes, info, reverse, |n, key| match key {
                    "UPDATED_AT" => n.o.updated_at.to_rfc3339(),
                    "CREATED_AT" | "PROCESSED_AT" => n.o.created_at.to_rfc3339(),
                    "ORDER_NUMBER" => format!("{:020}", n.o.number),
                    _ => String::new(),
                });
                let (t, e) = ("OrderConnection", "OrderEdge");
                ResolvedValue::object(paginate_keyed(info, nodes, reverse, t, e)?)
            }
            "order" => {
                let found = id_arg("Order").and_then(|id| st.orders.get(&id));
                ResolvedValue::nullable_object(found.map(|o| OrderObj { st, o }))
            }
            _ => return Err(not_simulated(info, "QueryRoot")),
        })
    }
}

/// Keys every node by the `sortKey` argument's value (empty: by id alone) and sorts by
/// (value, id), descending for `reverse`, the order `paginate_keyed` expects.
fn sort<N>(
    nodes: Vec<(u64, N)>,
    info: &ResolveInfo<'_>,
    reverse: bool,
    value: impl Fn(&N, &str) -> String,
) -> Vec<(Key, N)> {
    let sort_key = arg_str(info, "sortKey").unwrap_or("ID");
    let mut keyed: Vec<(Key, N)> = nodes
        .into_iter()
        .map(|(id, n)| {
            let v = value(&n, sort_key);
            let key = if v.is_empty() {
                Key::by_id(id)
            } else {
                Key { value: v, id }
            };
            (key, n)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    if reverse {
        keyed.reverse();
    }
    keyed
}
