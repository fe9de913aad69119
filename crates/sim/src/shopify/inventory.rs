//! The `Mutation` root: `inventorySetQuantities` with `@idempotent(key:)`, the mandatory
//! `changeFromQuantity` compare-and-swap (a stale row fails the whole batch), and Shopify's
//! user-error codes.

use std::cell::RefCell;
use std::collections::HashSet;

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json_bytes::Value as JValue;

use super::catalog::{R, gid, parse_gid, time};
use super::model::{IdempotencyEntry, ShopState};
use super::page::not_simulated;

const REASONS: [&str; 12] = [
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_created",
    "movement_updated",
    "movement_received",
    "movement_canceled",
    "other",
    "promotion",
    "quality_control",
    "received",
    "restock",
];

pub struct MutationRoot<'s, 'g> {
    pub st: RefCell<&'g mut ShopState>,
    pub now: DateTime<Utc>,
    pub vars: &'s serde_json::Map<String, serde_json::Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetResult {
    group: Option<Group>,
    user_errors: Vec<UserError>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Group {
    id: u64,
    created_at: DateTime<Utc>,
    reason: String,
    uri: Option<String>,
    changes: Vec<Change>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Change {
    name: String,
    delta: i64,
    after: i64,
    item: u64,
    location: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct UserError {
    code: String,
    field: Vec<String>,
    message: String,
}

fn user_error(code: &str, field: &[&str], message: &str) -> SetResult {
    let field = field.iter().map(|s| (*s).to_owned()).collect();
    let e = UserError {
        code: code.into(),
        field,
        message: message.into(),
    };
    SetResult {
        group: None,
        user_errors: vec![e],
    }
}

impl ObjectValue for MutationRoot<'_, '_> {
    fn type_name(&self) -> &str {
        "Mutation"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        match info.field_name() {
            "inventorySetQuantities" => {
                let key = self.idempotency_key(info)?;
                let input = info
                    .arguments()
                    .get("input")
                    .cloned()
                    .unwrap_or(JValue::Null);
                let fingerprint = serde_json::to_string(&input).unwrap_or_default();
                let mut st = self.st.borrow_mut();
                let scoped = format!("inventorySetQuantities:{key}");
                if let Some(prev) = st.idempotency.get(&scoped) {
                    if prev.fingerprint != fingerprint {
                        let r = user_error(
                            "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                            &["input"],
                            "The same idempotency key cannot be used with different operation parameters.",
                        );
                        return Ok(ResolvedValue::object(r));
                    }
                    if !st.replay_reexecutes {
                        let cached = serde_json::from_value::<SetResult>(prev.result.clone());
                        return cached.map(ResolvedValue::object).map_err(|e| FieldError {
                            message: e.to_string(),
                        });
                    }
                }
                let result = set_quantities(&mut st, &input, self.now)?;
                let entry = IdempotencyEntry {
                    fingerprint,
                    result: serde_json::to_value(&result).unwrap_or_default(),
                    at: self.now,
                };
                st.idempotency.insert(scoped, entry);
                Ok(ResolvedValue::object(result))
            }
            _ => Err(not_simulated(info, "Mutation")),
        }
    }
}

impl MutationRoot<'_, '_> {
    fn idempotency_key(&self, info: &ResolveInfo<'_>) -> Result<String, FieldError> {
        let field = info.field_selections()[0];
        let value = field
            .directives
            .get("idempotent")
            .and_then(|d| d.specified_argument_by_name("key"));
        let key = match value {
            Some(v) => match v.as_variable() {
                Some(var) => self
                    .vars
                    .get(var.as_str())
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                None => v.as_str().map(str::to_owned),
            },
            None => None,
        };
        match key {
            Some(k) if !k.is_empty() => Ok(k),
            _ => Err(FieldError {
                message: "Idempotency key cannot be an empty string.".into(),
            }),
        }
    }
}

fn set_quantities(
    st: &mut ShopState,
    input: &JValue,
    now: DateTime<Utc>,
) -> Result<SetResult, FieldError> {
    let name = input
        .get("name")
        .and_then(JValue::as_str)
        .unwrap_or_default()
        .to_owned();
    let reason = input
        .get("reason")
        .and_then(JValue::as_str)
        .unwrap_or_default()
        .to_owned();
    let uri = input
        .get("referenceDocumentUri")
        .and_then(JValue::as_str)
        .map(str::to_owned);
    let rows = input
        .get("quantities")
        .and_then(JValue::as_array)
        .cloned()
        .unwrap_or_default();
    if rows.len() > 250 {
        return Err(FieldError {
            message: format!(
                "The input array size of {} is greater than the maximum allowed of 250.",
                rows.len()
            ),
        });
    }
    if rows.iter().any(|r| r.get("changeFromQuantity").is_none()) {
        return Err(FieldError {
            message:
                "InventoryQuantityInput must include the following argument: changeFromQuantity."
                    .into(),
        });
    }
    if name != "available" && name != "on_hand" {
        return Ok(user_error(
            "INVALID_NAME",
            &["input", "name"],
            "The quantity name must be either 'available' or 'on_hand'.",
        ));
    }
    if !REASONS.contains(&reason.as_str()) {
        return Ok(user_error(
            "INVALID_REASON",
            &["input", "reason"],
            "The specified reason is invalid.",
        ));
    }
    if let Some(u) = &uri
        && !u.contains("://")
    {
        return Ok(user_error(
            "INVALID_REFERENCE_DOCUMENT",
            &["input", "referenceDocumentUri"],
            "The specified reference document is invalid.",
        ));
    }
    let mut parsed = Vec::new();
    let mut seen = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let idx = i.to_string();
        let f = |leaf: &'static str| -> Vec<String> {
            ["input", "quantities", idx.as_str(), leaf]
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        };
        let fail = |code: &str, leaf: &'static str, msg: &str| {
            let e = UserError {
                code: code.into(),
                field: f(leaf),
                message: msg.into(),
            };
            Ok(SetResult {
                group: None,
                user_errors: vec![e],
            })
        };
        let item = row
            .get("inventoryItemId")
            .and_then(JValue::as_str)
            .and_then(|v| parse_gid(v, "InventoryItem"));
        let loc = row
            .get("locationId")
            .and_then(JValue::as_str)
            .and_then(|v| parse_gid(v, "Location"));
        let quantity = row
            .get("quantity")
            .and_then(JValue::as_i64)
            .unwrap_or_default();
        let expected = row.get("changeFromQuantity").and_then(JValue::as_i64);
        let Some(item) = item.filter(|i| st.items.contains_key(i)) else {
            return fail(
                "INVALID_INVENTORY_ITEM",
                "inventoryItemId",
                "The specified inventory item could not be found.",
            );
        };
        let Some(loc) = loc.filter(|l| st.locations.iter().any(|x| x.id == *l)) else {
            return fail(
                "INVALID_LOCATION",
                "locationId",
                "The specified location could not be found.",
            );
        };
        if !seen.insert((item, loc)) {
            return fail(
                "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                "inventoryItemId",
                "The combination of inventoryItemId and locationId must be unique.",
            );
        }
        let Some(level) = st.levels.get(&(item, loc)) else {
            return fail(
                "ITEM_NOT_STOCKED_AT_LOCATION",
                "locationId",
                "The specified inventory item is not stocked at the location.",
            );
        };
        if quantity > 1_000_000_000 {
            return fail(
                "INVALID_QUANTITY_TOO_HIGH",
                "quantity",
                "The quantity can't be higher than 1,000,000,000.",
            );
        }
        if quantity < 0 {
            return fail(
                "INVALID_QUANTITY_NEGATIVE",
                "quantity",
                "The quantity can't be negative.",
            );
        }
        let current = level.get(&name).unwrap_or_default();
        if expected.is_some_and(|e| e != current) {
            return fail(
                "CHANGE_FROM_QUANTITY_STALE",
                "changeFromQuantity",
                "The changeFromQuantity value does not match persisted value.",
            );
        }
        parsed.push((item, loc, quantity));
    }
    let mut changes = Vec::new();
    for (item, loc, quantity) in parsed {
        let Some(level) = st.levels.get_mut(&(item, loc)) else {
            continue;
        };
        let (before_avail, before_on_hand) = (level.available, level.on_hand());
        level.set(&name, quantity);
        level.updated_at = Some(now);
        let (avail, on_hand) = (level.available, level.on_hand());
        for (n, before, after) in [
            ("available", before_avail, avail),
            ("on_hand", before_on_hand, on_hand),
        ] {
            changes.push(Change {
                name: n.into(),
                delta: after - before,
                after,
                item,
                location: loc,
            });
        }
    }
    let id = st.id();
    let group = Group {
        id,
        created_at: now,
        reason,
        uri,
        changes,
    };
    Ok(SetResult {
        group: Some(group),
        user_errors: Vec::new(),
    })
}

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
