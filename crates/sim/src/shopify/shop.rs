//! GraphQL objects of the shop itself: Shop, Location and its address.

use apollo_compiler::resolvers::{ObjectValue, ResolveInfo, ResolvedValue};

use super::catalog::{R, arg_str, gid, parse_gid};
use super::levels::LevelObj;
use super::model::{Location, ShopState};
use super::page::{not_simulated, paginate};
use super::scopes;
use super::search::{Query, Value};

#[derive(Clone, Copy)]
pub struct ShopObj<'s> {
    pub st: &'s ShopState,
}

impl ObjectValue for ShopObj<'_> {
    fn type_name(&self) -> &str {
        "Shop"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("Shop", 1)),
            "name" => ResolvedValue::leaf(self.st.name.clone()),
            "myshopifyDomain" => ResolvedValue::leaf(self.st.creds.shop_domain.clone()),
            "email" | "contactEmail" => ResolvedValue::leaf("contact@punte-demo.ro"),
            "currencyCode" => ResolvedValue::leaf("RON"),
            "ianaTimezone" => ResolvedValue::leaf("Europe/Bucharest"),
            "timezoneAbbreviation" => ResolvedValue::leaf("EEST"),
            "taxesIncluded" => ResolvedValue::leaf(true),
            "enabledPresentmentCurrencies" => ResolvedValue::list([ResolvedValue::leaf("RON")]),
            "plan" => ResolvedValue::object(PlanObj { st: self.st }),
            _ => return Err(not_simulated(info, "Shop")),
        })
    }
}

/// `Shop.plan`: the plan's public name (`ShopState::plan`, control API `plan`); a "Development"
/// plan is a partner development shop, "Plus" and "Plus Trial" are Shopify Plus.
struct PlanObj<'s> {
    st: &'s ShopState,
}

impl ObjectValue for PlanObj<'_> {
    fn type_name(&self) -> &str {
        "ShopPlan"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let plan = self.st.plan.as_str();
        Ok(match info.field_name() {
            "publicDisplayName" | "displayName" => ResolvedValue::leaf(plan.to_owned()),
            "partnerDevelopment" => ResolvedValue::leaf(plan == "Development"),
            "shopifyPlus" => ResolvedValue::leaf(plan.starts_with("Plus")),
            _ => return Err(not_simulated(info, "ShopPlan")),
        })
    }
}

#[derive(Clone, Copy)]
pub struct LocationObj<'s> {
    pub st: &'s ShopState,
    pub loc: &'s Location,
}

impl ObjectValue for LocationObj<'_> {
    fn type_name(&self) -> &str {
        "Location"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let l = self.loc;
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("Location", l.id)),
            "legacyResourceId" => ResolvedValue::leaf(l.id.to_string()),
            "name" => ResolvedValue::leaf(l.name.clone()),
            "isActive" | "hasActiveInventory" | "shipsInventory" | "fulfillsOnlineOrders" => {
                ResolvedValue::leaf(l.active)
            }
            "isPrimary" => ResolvedValue::leaf(l.primary),
            "fulfillmentService" => ResolvedValue::null(),
            "address" => ResolvedValue::object(AddressObj { loc: l }),
            "inventoryLevel" => {
                scopes::check(self.st, "inventoryLevel", &["read_inventory"])?;
                let item =
                    arg_str(info, "inventoryItemId").and_then(|v| parse_gid(v, "InventoryItem"));
                let level = item.filter(|i| self.st.levels.contains_key(&(*i, l.id)));
                ResolvedValue::nullable_object(level.map(|i| LevelObj {
                    st: self.st,
                    item: i,
                    loc: l.id,
                }))
            }
            "inventoryLevels" => {
                scopes::check(self.st, "inventoryLevels", &["read_inventory"])?;
                // The documented filters: updated_at, created_at, inventory_item_id, id.
                let q = Query::parse(arg_str(info, "query").unwrap_or_default());
                let all = self.st.levels.iter().filter(|(key, level)| {
                    let (item, loc) = key;
                    // A change not listed yet: no time search finds the level (stricter than
                    // a search still finding it by its previous time).
                    let late = self.st.listed_late.contains_key(*key);
                    *loc == l.id
                        && q.matches(|f| {
                            let at = level.updated_at.unwrap_or_default();
                            match f {
                                Some("updated_at" | "created_at") if late => Value::Texts(vec![]),
                                Some("updated_at" | "created_at") => Value::Time(at),
                                Some("inventory_item_id" | "id") => Value::Int(*item as i64),
                                _ => Value::Unknown,
                            }
                        })
                });
                let nodes = all
                    .map(|(&(i, loc), _)| {
                        (
                            i,
                            LevelObj {
                                st: self.st,
                                item: i,
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
            _ => return Err(not_simulated(info, "Location")),
        })
    }
}

struct AddressObj<'s> {
    loc: &'s Location,
}

impl ObjectValue for AddressObj<'_> {
    fn type_name(&self) -> &str {
        "LocationAddress"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "city" => ResolvedValue::leaf(self.loc.city.clone()),
            "countryCode" => ResolvedValue::leaf("RO"),
            "country" => ResolvedValue::leaf("Romania"),
            "address1" => ResolvedValue::leaf("Str. Depozitului 1"),
            "address2" | "phone" | "province" | "provinceCode" => ResolvedValue::null(),
            "zip" => ResolvedValue::leaf("077190"),
            _ => return Err(not_simulated(info, "LocationAddress")),
        })
    }
}
