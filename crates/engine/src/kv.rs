//! The engine's own small state, kept as JSON settings rows through the store thread: the order
//! cursor, the codes whose stock must be re-checked, the last billing product count, invoice
//! series marks, pending storno work, the last known Shopify levels, the targets clamped at 0
//! and notification marks.
//! All of it survives a crash with the database.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use punte_core::product::ProductCode;
use punte_store::{Store, StoreError, StoreHandle};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::EngineError;

pub const ORDER_CURSOR: &str = "engine.order_cursor";
pub const DIRTY_CODES: &str = "engine.dirty_codes";
pub const BILLING_COUNT: &str = "engine.billing_products";
pub const LAST_RUNS: &str = "engine.last_runs";
pub const REVERSALS: &str = "engine.reversals";
/// When the shop was first connected (the first order import): older orders are history.
pub const CONNECTED_AT: &str = "engine.connected_at";
pub const SEEN_LEVELS: &str = "engine.seen_levels";
/// Targets below zero that were written as 0 (see `clamped`).
pub const CLAMPED_TARGETS: &str = "engine.clamped_targets";
/// When the first catalogue was read: products first seen after it are new products.
pub const CATALOGUE_SEEDED: &str = "engine.catalogue_seeded_at";
/// Where the changed-since reads of an incremental cycle start (see `changes`).
pub const CHANGE_MARKS: &str = "engine.change_marks";
/// What Shopify withholds (protected customer data), and the orders read without their buyer
/// (see `withheld`).
pub const WITHHELD_FIELDS: &str = "engine.withheld_fields";
pub const WITHHELD_ORDERS: &str = "engine.withheld_orders";
/// Stale open orders already notified (one notification per order).
pub const STALE_NOTIFIED: &str = "engine.stale_notified";

/// The key of the series mark taken before sending outbox item `id`.
pub fn mark_key(id: i64) -> String {
    format!("engine.invoice_mark.{id}")
}

/// Reads a setting inside a store job.
pub fn read<T: DeserializeOwned>(s: &Store, key: &str) -> Result<Option<T>, StoreError> {
    s.setting_as(key)
}

/// Writes a setting inside a store job.
pub fn write<T: Serialize>(
    s: &Store,
    key: &str,
    value: &T,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let v = serde_json::to_value(value).map_err(|e| StoreError::BadValue(e.to_string()))?;
    s.set_setting(key, &v, at)
}

/// Reads a setting from async code.
pub async fn get<T: DeserializeOwned + Send + 'static>(
    store: &StoreHandle,
    key: &'static str,
) -> Result<Option<T>, EngineError> {
    Ok(store.call(move |s| read(s, key)).await?)
}

/// Writes a setting from async code.
pub async fn put<T: Serialize + Send + 'static>(
    store: &StoreHandle,
    key: String,
    value: T,
    at: DateTime<Utc>,
) -> Result<(), EngineError> {
    Ok(store.call(move |s| write(s, &key, &value, at)).await?)
}

/// Adds codes to the set the next stock cycle re-checks; a kit's code brings its components
/// (what its orders reserve is counted on them).
pub fn add_dirty(
    s: &Store,
    codes: impl IntoIterator<Item = ProductCode>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut set: BTreeSet<ProductCode> = read(s, DIRTY_CODES)?.unwrap_or_default();
    let before = set.len();
    let codes: Vec<ProductCode> = codes.into_iter().collect();
    let kits = s.kits()?;
    for kit in kits.iter().filter(|k| codes.contains(&k.code)) {
        set.extend(kit.components.iter().map(|c| c.code.clone()));
    }
    set.extend(codes);
    if set.len() == before {
        return Ok(());
    }
    write(s, DIRTY_CODES, &set, at)
}
