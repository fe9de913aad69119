//! Reservation totals R(p). The `reservations` table is kept by triggers in the transaction of
//! every line or state change (see `0002_orders.sql`), so reading it is one small scan; the
//! same totals derived from the lines are offered to prove the two never differ. A kit's code
//! (`kits`) reserves nothing itself: what its lines hold is counted on its components, the
//! recipe's units each, so every reader of R sees what the warehouse must give.

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
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(k.component, r.code), SUM(r.quantity * coalesce(k.quantity, 1))
             FROM reservations r LEFT JOIN kit_components k ON k.kit = r.code
             WHERE r.quantity <> 0 GROUP BY 1",
        )?;
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
            .prepare_cached(
                "SELECT coalesce((SELECT quantity FROM reservations WHERE code = ?1
                    AND NOT EXISTS (SELECT 1 FROM kit_components WHERE kit = ?1)), 0)
                 + coalesce((SELECT SUM(r.quantity * k.quantity) FROM kit_components k
                    JOIN reservations r ON r.code = k.kit WHERE k.component = ?1), 0)",
            )?
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
            "SELECT coalesce(k.component, l.code), SUM(l.quantity * coalesce(k.quantity, 1))
             FROM orders o JOIN order_lines l ON l.order_id = o.id
             LEFT JOIN kit_components k ON k.kit = l.code
             WHERE o.state IN ('open', 'invoiced_kept') AND l.code IS NOT NULL
             GROUP BY 1",
        )?;
        let rows = stmt.query_map([], |r| Ok((ProductCode(r.get(0)?), r.get::<_, i64>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Reservations>>()?)
    }
}
