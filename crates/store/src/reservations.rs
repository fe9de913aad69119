//! Reservation totals R(p). The `reservations` table is kept by triggers in the transaction of
//! every line or state change (see `0002_orders.sql`), so reading it is one small scan; the
//! same totals derived from the lines are offered to prove the two never differ.

use punte_core::product::ProductCode;
use punte_core::reservation::Reservations;
use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::open::Store;

impl Store {
    /// R(p) for every product with something reserved (from the maintained table).
    ///
    /// # Errors
    /// SQLite failure.
    pub fn reservations(&self) -> Result<Reservations> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, quantity FROM reservations WHERE quantity <> 0")?;
        let rows = stmt.query_map([], |r| Ok((ProductCode(r.get(0)?), r.get::<_, i64>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Reservations>>()?)
    }

    /// R(p) for one product.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn reservation_of(&self, code: &ProductCode) -> Result<i64> {
        let q: Option<i64> = self
            .conn
            .prepare_cached("SELECT quantity FROM reservations WHERE code = ?1")?
            .query_row([code.as_str()], |r| r.get(0))
            .optional()?;
        Ok(q.unwrap_or(0))
    }

    /// R(p) summed from the lines of reserving orders: the definition the table must match.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn reservations_from_lines(&self) -> Result<Reservations> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.code, SUM(l.quantity)
             FROM orders o JOIN order_lines l ON l.order_id = o.id
             WHERE o.state IN ('open', 'invoiced_kept') AND l.code IS NOT NULL
             GROUP BY l.code",
        )?;
        let rows = stmt.query_map([], |r| Ok((ProductCode(r.get(0)?), r.get::<_, i64>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Reservations>>()?)
    }
}
