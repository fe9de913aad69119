//! Several Shopify locations: where Shopify assigned each order line (from its fulfillment
//! orders), the reservations per location that follow (kits counted as their components; a
//! line with no known location, or whose placement no longer adds up to its quantity, counts at
//! the default location), billing stock per warehouse, and stock writes with their location.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use punte_core::order::{LineId, OrderId};
use punte_core::product::{BillingProduct, ProductCode};
use punte_core::reservation::Reservations;
use rusqlite::params;
use rust_decimal::Decimal;

use crate::error::Result;
use crate::open::Store;
use crate::reserving::RESERVING;
use crate::runs::StockChange;
use crate::secrets::redact;
use crate::sqlval::{get_dec, ts};

impl Store {
    /// Replaces where `order`'s lines are assigned: (line, location, units).
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_line_locations(
        &mut self,
        order: OrderId,
        rows: &[(LineId, u64, i64)],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM order_line_locations WHERE order_id = ?1",
            [order.0],
        )?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO order_line_locations (line_id, order_id, location_id, quantity)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (line_id, location_id) DO UPDATE SET
                    quantity = quantity + excluded.quantity",
            )?;
            for (line, location, units) in rows {
                stmt.execute(params![line.0, order.0, location, units])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Where `order`'s lines are assigned: (line, location, units), lines in order.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn line_locations(&self, order: OrderId) -> Result<Vec<(LineId, u64, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.line_id, p.location_id, p.quantity FROM order_line_locations p
             JOIN order_lines l ON l.id = p.line_id
             WHERE p.order_id = ?1 ORDER BY l.position, p.location_id",
        )?;
        let rows = stmt.query_map([order.0], |r| Ok((LineId(r.get(0)?), r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// R per location: what the reserving orders assigned to each location hold, kits counted
    /// as their components. Lines with no placement that adds up to their quantity count at
    /// `default_location`.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn reservations_by_location(
        &self,
        default_location: u64,
    ) -> Result<HashMap<u64, Reservations>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT coalesce(p.location_id, ?1) AS loc, coalesce(k.component, l.code) AS code,
                SUM(coalesce(p.quantity, l.quantity) * coalesce(k.quantity, 1))
             FROM orders o JOIN order_lines l ON l.order_id = o.id
             LEFT JOIN order_line_locations p ON p.line_id = l.id
                AND (SELECT SUM(x.quantity) FROM order_line_locations x
                     WHERE x.line_id = l.id) = l.quantity
             LEFT JOIN kit_components k ON k.kit = l.code
             WHERE o.state IN {RESERVING} AND l.code IS NOT NULL
             GROUP BY 1, 2"
        ))?;
        let rows = stmt.query_map([default_location], |r| {
            Ok((
                r.get::<_, u64>(0)?,
                ProductCode(r.get(1)?),
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut by: HashMap<u64, Vec<(ProductCode, i64)>> = HashMap::new();
        for row in rows {
            let (loc, code, n) = row?;
            by.entry(loc).or_default().push((code, n));
        }
        Ok(by
            .into_iter()
            .map(|(loc, rows)| (loc, rows.into_iter().collect()))
            .collect())
    }

    /// Reserving orders with a coded line but no placement at all (imported while one location
    /// was mapped): their fulfillment orders must be read. Oldest first, at most `limit`.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn unplaced_orders(&self, limit: usize) -> Result<Vec<OrderId>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT o.id FROM orders o WHERE o.state IN {RESERVING}
               AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id
                           AND l.code IS NOT NULL AND l.quantity > 0)
               AND NOT EXISTS (SELECT 1 FROM order_line_locations p WHERE p.order_id = o.id)
             ORDER BY o.created_at, o.id LIMIT ?1"
        ))?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok(OrderId(r.get(0)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores what each warehouse holds (the latest reading per warehouse and code).
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_warehouse_stock(
        &mut self,
        stock: &[(String, Vec<BillingProduct>)],
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO warehouse_stock (warehouse, code, stock, read_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (w, products) in stock {
                for p in products {
                    stmt.execute(params![w, p.code.as_str(), p.stock.to_string(), ts(at)])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The last stock read per warehouse and code.
    ///
    /// # Errors
    /// SQLite failure or an unreadable stored value.
    pub fn warehouse_stock(&self) -> Result<HashMap<String, HashMap<ProductCode, Decimal>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT warehouse, code, stock FROM warehouse_stock")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                ProductCode(r.get(1)?),
                get_dec(r, 2)?,
            ))
        })?;
        let mut out: HashMap<String, HashMap<ProductCode, Decimal>> = HashMap::new();
        for row in rows {
            let (w, code, stock) = row?;
            out.entry(w).or_default().insert(code, stock);
        }
        Ok(out)
    }

    /// Records stock writes made at `location` (several locations mapped).
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_stock_changes_at(
        &mut self,
        changes: &[StockChange],
        location: u64,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO stock_audit (at, code, inventory_item_id, qty_before, qty_after,
                    reason, source, run_id, location_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for c in changes {
                stmt.execute(params![
                    ts(c.at),
                    c.code.as_str(),
                    c.inventory_item_id.map(|i| i.0),
                    c.before,
                    c.after,
                    redact(&c.reason),
                    redact(&c.source),
                    c.run.map(|r| r.0),
                    location,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
