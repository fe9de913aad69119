//! GraphQL objects of inventory levels: InventoryLevel with its named quantities, plus the
//! small Count and EditableProperty objects.

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use chrono::{DateTime, Utc};

use super::catalog::{ItemObj, R, time};
use super::model::ShopState;
use super::page::not_simulated;
use super::shop::LocationObj;

pub struct TrackedEditable;

impl ObjectValue for TrackedEditable {
    fn type_name(&self) -> &str {
        "EditableProperty"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "locked" => ResolvedValue::leaf(false),
            "reason" => ResolvedValue::null(),
            _ => return Err(not_simulated(info, "EditableProperty")),
        })
    }
}

#[derive(Clone, Copy)]
pub struct LevelObj<'s> {
    pub st: &'s ShopState,
    pub item: u64,
    pub loc: u64,
}

impl ObjectValue for LevelObj<'_> {
    fn type_name(&self) -> &str {
        "InventoryLevel"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let q = self.st.levels.get(&(self.item, self.loc));
        let updated = q.and_then(|q| q.updated_at);
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(format!(
                "gid://shopify/InventoryLevel/{}?inventory_item_id={}",
                self.loc, self.item
            )),
            "isActive" | "canDeactivate" => ResolvedValue::leaf(true),
            "deactivationAlert" => ResolvedValue::null(),
            "createdAt" | "updatedAt" => time(updated.unwrap_or_default()),
            "item" => match self.st.items.get(&self.item) {
                Some(i) => ResolvedValue::object(ItemObj { st: self.st, i }),
                None => ResolvedValue::null(),
            },
            "location" => match self.st.locations.iter().find(|l| l.id == self.loc) {
                Some(loc) => ResolvedValue::object(LocationObj { st: self.st, loc }),
                None => ResolvedValue::null(),
            },
            "quantities" => {
                let names = info.arguments().get("names").and_then(|v| v.as_array());
                let mut out = Vec::new();
                for name in names.into_iter().flatten().filter_map(|n| n.as_str()) {
                    let Some(quantity) = q.and_then(|q| q.get(name)) else {
                        return Err(FieldError {
                            message: format!(
                                "The quantity name '{name}' is not valid. Valid names are: {}.",
                                super::model::QUANTITY_NAMES.join(", ")
                            ),
                        });
                    };
                    out.push(ResolvedValue::object(QuantityObj {
                        name: name.to_owned(),
                        quantity,
                        updated,
                    }));
                }
                ResolvedValue::list(out)
            }
            _ => return Err(not_simulated(info, "InventoryLevel")),
        })
    }
}

pub struct QuantityObj {
    pub name: String,
    pub quantity: i64,
    pub updated: Option<DateTime<Utc>>,
}

impl ObjectValue for QuantityObj {
    fn type_name(&self) -> &str {
        "InventoryQuantity"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "name" => ResolvedValue::leaf(self.name.clone()),
            "quantity" => ResolvedValue::leaf(self.quantity),
            "updatedAt" => self.updated.map_or(ResolvedValue::null(), time),
            "id" => ResolvedValue::leaf(format!("gid://shopify/InventoryQuantity/{}", self.name)),
            _ => return Err(not_simulated(info, "InventoryQuantity")),
        })
    }
}

pub struct CountObj(pub i64);

impl ObjectValue for CountObj {
    fn type_name(&self) -> &str {
        "Count"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "count" => ResolvedValue::leaf(self.0),
            "precision" => ResolvedValue::leaf("EXACT"),
            _ => return Err(not_simulated(info, "Count")),
        })
    }
}
