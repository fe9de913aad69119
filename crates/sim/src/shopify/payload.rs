//! GraphQL objects of the `inventorySetQuantities` payload: the adjustment group, its changes
//! and the user errors. Built from owned data, since the state is borrowed mutably meanwhile.

use apollo_compiler::resolvers::{ObjectValue, ResolveInfo, ResolvedValue};
use serde_json_bytes::Value as JValue;

use super::catalog::{R, gid, time};
use super::inventory::{Change, Group, SetResult, UserError};
use super::page::not_simulated;

impl ObjectValue for SetResult {
    fn type_name(&self) -> &str {
        "InventorySetQuantitiesPayload"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "inventoryAdjustmentGroup" => ResolvedValue::nullable_object(self.group.as_ref()),
            "userErrors" => ResolvedValue::list(self.user_errors.iter().map(ResolvedValue::object)),
            _ => return Err(not_simulated(info, "InventorySetQuantitiesPayload")),
        })
    }
}

impl ObjectValue for &Group {
    fn type_name(&self) -> &str {
        "InventoryAdjustmentGroup"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "id" => ResolvedValue::leaf(gid("InventoryAdjustmentGroup", self.id)),
            "createdAt" => time(self.created_at),
            "reason" => ResolvedValue::leaf(self.reason.clone()),
            "referenceDocumentUri" => self
                .uri
                .clone()
                .map_or(ResolvedValue::null(), ResolvedValue::leaf),
            "changes" => {
                let names = info
                    .arguments()
                    .get("quantityNames")
                    .and_then(JValue::as_array);
                let wanted =
                    move |n: &str| names.is_none_or(|ns| ns.iter().any(|x| x.as_str() == Some(n)));
                ResolvedValue::list(
                    self.changes
                        .iter()
                        .filter(move |c| wanted(&c.name))
                        .map(ResolvedValue::object),
                )
            }
            _ => return Err(not_simulated(info, "InventoryAdjustmentGroup")),
        })
    }
}

impl ObjectValue for &Change {
    fn type_name(&self) -> &str {
        "InventoryChange"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "name" => ResolvedValue::leaf(self.name.clone()),
            "delta" => ResolvedValue::leaf(self.delta),
            "quantityAfterChange" => ResolvedValue::leaf(self.after),
            "ledgerDocumentUri" => ResolvedValue::null(),
            "item" => ResolvedValue::object(IdOnly("InventoryItem", self.item)),
            "location" => ResolvedValue::object(IdOnly("Location", self.location)),
            _ => return Err(not_simulated(info, "InventoryChange")),
        })
    }
}

impl ObjectValue for &UserError {
    fn type_name(&self) -> &str {
        "InventorySetQuantitiesUserError"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "code" => ResolvedValue::leaf(self.code.clone()),
            "field" => {
                ResolvedValue::list(self.field.iter().map(|f| ResolvedValue::leaf(f.clone())))
            }
            "message" => ResolvedValue::leaf(self.message.clone()),
            _ => return Err(not_simulated(info, "InventorySetQuantitiesUserError")),
        })
    }
}

/// An object reached from a mutation payload, where only its id is simulated.
struct IdOnly(&'static str, u64);

impl ObjectValue for IdOnly {
    fn type_name(&self) -> &str {
        self.0
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        match info.field_name() {
            "id" => Ok(ResolvedValue::leaf(gid(self.0, self.1))),
            "legacyResourceId" => Ok(ResolvedValue::leaf(self.1.to_string())),
            _ => Err(not_simulated(info, self.0)),
        }
    }
}
