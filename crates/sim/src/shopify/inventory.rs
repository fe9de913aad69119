//! `inventorySetQuantities`: the mandatory `changeFromQuantity` compare-and-swap (a stale row
//! fails the whole batch), Shopify's user-error codes, and the payload it answers with.

use std::collections::HashSet;

use apollo_compiler::resolvers::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json_bytes::Value as JValue;

use super::catalog::parse_gid;
use super::model::ShopState;

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

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetResult {
    pub group: Option<Group>,
    pub user_errors: Vec<UserError>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Group {
    pub id: u64,
    pub created_at: DateTime<Utc>,
    pub reason: String,
    pub uri: Option<String>,
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Change {
    pub name: String,
    pub delta: i64,
    pub after: i64,
    pub item: u64,
    pub location: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UserError {
    pub code: String,
    pub field: Vec<String>,
    pub message: String,
}

pub fn user_error(code: &str, field: &[&str], message: &str) -> SetResult {
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

pub fn set_quantities(
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
