//! Conversions between domain values and SQL columns: UTC times as fixed-width RFC 3339 text
//! (sorts like time, readable in any SQLite browser), money as exact decimal text (never f64),
//! and order states as short words. Kept in one place so every table agrees.

use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use punte_core::order::OrderState;
use rusqlite::Row;
use rusqlite::types::Type;
use rust_decimal::Decimal;

/// A UTC instant as stored: `2026-09-01T08:00:00.000000000Z` (fixed width, so text order is
/// time order).
#[must_use]
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

fn bad(idx: usize, ty: Type, msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, ty, msg.into())
}

/// Reads a time column written by [`ts`].
pub fn get_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(idx)?;
    parse_ts(&text).map_err(|e| bad(idx, Type::Text, e))
}

/// Reads an optional time column.
pub fn get_opt_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| parse_ts(&t).map_err(|e| bad(idx, Type::Text, e)))
        .transpose()
}

pub(crate) fn parse_ts(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("time {text:?}: {e}"))
}

/// Reads an exact decimal stored as text.
pub fn get_dec(row: &Row<'_>, idx: usize) -> rusqlite::Result<Decimal> {
    let text: String = row.get(idx)?;
    Decimal::from_str(&text).map_err(|e| bad(idx, Type::Text, format!("decimal {text:?}: {e}")))
}

/// Reads an optional exact decimal.
pub fn get_opt_dec(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Decimal>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| {
        Decimal::from_str(&t).map_err(|e| bad(idx, Type::Text, format!("decimal {t:?}: {e}")))
    })
    .transpose()
}

/// The word stored in `orders.state`. Invoiced orders are split by stock discharge because
/// that decides whether they still reserve ('invoiced_kept' does).
#[must_use]
pub fn state_word(state: OrderState) -> &'static str {
    match state {
        OrderState::Open => "open",
        OrderState::Invoiced {
            stock_discharged: true,
        } => "invoiced",
        OrderState::Invoiced {
            stock_discharged: false,
        } => "invoiced_kept",
        OrderState::Dispatched => "dispatched",
        OrderState::Cancelled => "cancelled",
    }
}

/// The inverse of [`state_word`].
pub fn parse_state(word: &str) -> Result<OrderState, String> {
    Ok(match word {
        "open" => OrderState::Open,
        "invoiced" => OrderState::Invoiced {
            stock_discharged: true,
        },
        "invoiced_kept" => OrderState::Invoiced {
            stock_discharged: false,
        },
        "dispatched" => OrderState::Dispatched,
        "cancelled" => OrderState::Cancelled,
        other => return Err(format!("unknown order state {other:?}")),
    })
}

/// Reads an order state column.
pub fn get_state(row: &Row<'_>, idx: usize) -> rusqlite::Result<OrderState> {
    let word: String = row.get(idx)?;
    parse_state(&word).map_err(|e| bad(idx, Type::Text, e))
}

/// Reads an optional order state column.
pub fn get_opt_state(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<OrderState>> {
    let word: Option<String> = row.get(idx)?;
    word.map(|w| parse_state(&w).map_err(|e| bad(idx, Type::Text, e)))
        .transpose()
}
