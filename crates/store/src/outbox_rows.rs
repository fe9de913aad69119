//! What the invoice and credit outboxes share: a state stored as a word, each move checked
//! against the item's lifecycle before it is written, rows read with their state parsed (an
//! unknown word is a store error), and the issued document read from `series, number, link`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, TransactionBehavior, params};

use crate::error::{Result, StoreError};
use crate::outbox::IssuedInvoice;
use crate::secrets::redact_opt;
use crate::sqlval::ts;

/// The states of one outbox table.
pub(crate) trait Lifecycle: Copy + Sized + 'static {
    /// Every state, to parse a stored word.
    const ALL: &'static [Self];
    const TABLE: &'static str;
    /// What an item and its state are called in errors.
    const ITEM: &'static str;
    const STATE: &'static str;
    fn word(self) -> &'static str;
    fn can_become(self, to: Self) -> bool;
    /// The error for a move the lifecycle does not allow.
    fn refused(id: i64, from: Self, to: Self) -> StoreError;
}

pub(crate) fn parse<S: Lifecycle>(word: &str) -> Result<S> {
    S::ALL
        .iter()
        .copied()
        .find(|s| s.word() == word)
        .ok_or_else(|| StoreError::BadValue(format!("{} {word:?}", S::STATE)))
}

/// Refuses a move of item `id` to `to` that its lifecycle does not allow.
pub(crate) fn check_move<S: Lifecycle>(conn: &Connection, id: i64, to: S) -> Result<()> {
    let sql = format!("SELECT state FROM {} WHERE id = ?1", S::TABLE);
    let word: Option<String> = conn.query_row(&sql, [id], |r| r.get(0)).optional()?;
    let word = word.ok_or_else(|| StoreError::NotFound {
        what: S::ITEM,
        id: id.to_string(),
    })?;
    let from: S = parse(&word)?;
    if from.can_become(to) {
        Ok(())
    } else {
        Err(S::refused(id, from, to))
    }
}

/// Moves item `id` to `to` with `error` (redacted); a move to `sent` counts one more attempt.
pub(crate) fn set_state<S: Lifecycle>(
    conn: &mut Connection,
    id: i64,
    to: S,
    error: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    check_move(&tx, id, to)?;
    let sql = format!(
        "UPDATE {} SET state = ?2, error = ?3, updated_at = ?4,
            attempts = attempts + (?2 = 'sent') WHERE id = ?1",
        S::TABLE
    );
    tx.execute(&sql, params![id, to.word(), redact_opt(error), ts(at)])?;
    tx.commit()?;
    Ok(())
}

/// The rows of `sql`, each read by `row` and given the state in column `state_col`.
pub(crate) fn rows<S: Lifecycle, T>(
    conn: &Connection,
    sql: &str,
    p: &[&dyn ToSql],
    state_col: usize,
    row: fn(&Row<'_>) -> rusqlite::Result<T>,
    with_state: fn(&mut T, S),
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(p, |r| Ok((r.get::<_, String>(state_col)?, row(r)?)))?;
    rows.map(|x| {
        let (word, mut item) = x?;
        with_state(&mut item, parse(&word)?);
        Ok(item)
    })
    .collect()
}

/// The document in the `series, number, link` columns from `first`, when it has a number.
pub(crate) fn issued(r: &Row<'_>, first: usize) -> rusqlite::Result<Option<IssuedInvoice>> {
    let series: Option<String> = r.get(first)?;
    let number: Option<String> = r.get(first + 1)?;
    let link: Option<String> = r.get(first + 2)?;
    Ok(series.zip(number).map(|(series, number)| IssuedInvoice {
        series,
        number,
        link,
    }))
}
