//! The merchant's kits (a Shopify SKU made of billing codes, edited in the app), Shopify's
//! bundle parents with their components (read from the catalogue), and the bundle each order
//! line was sold in (Shopify's `lineItemGroup`, written by the order import with the lines).
//! Saving a kit changes what its open orders reserve at once: reservations are read through
//! the recipes (see `reservations`).

use chrono::{DateTime, Utc};
use punte_core::bundles::{Component, Kit};
use punte_core::order::{LineId, OrderId};
use punte_core::product::{ProductCode, VariantId};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::open::Store;
use crate::sqlval::ts;

/// A Shopify bundle parent (a variant that requires components) and its components.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleParent {
    pub variant_id: VariantId,
    /// (component variant, units per bundle), in Shopify's order.
    pub components: Vec<(VariantId, i64)>,
}

/// The Shopify bundle (`lineItemGroup`) an order line was sold in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineGroup {
    pub line: LineId,
    pub group_id: u64,
    pub title: String,
    /// Bundles ordered.
    pub quantity: i64,
    pub sku: Option<String>,
}

impl Store {
    /// Every kit with its recipe, by code.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn kits(&self) -> Result<Vec<Kit>> {
        let mut heads = self
            .conn
            .prepare_cached("SELECT code, title FROM kits ORDER BY code")?;
        let mut kits: Vec<Kit> = heads
            .query_map([], |r| {
                Ok(Kit {
                    code: ProductCode(r.get(0)?),
                    title: r.get(1)?,
                    components: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut parts = self.conn.prepare_cached(
            "SELECT kit, component, quantity FROM kit_components ORDER BY kit, position",
        )?;
        let rows = parts.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })?;
        for row in rows {
            let (kit, code, quantity) = row?;
            if let Some(k) = kits.iter_mut().find(|k| k.code.0 == kit) {
                k.components.push(Component {
                    code: ProductCode(code),
                    quantity,
                });
            }
        }
        Ok(kits)
    }

    /// Saves `kit` (a new one, or its new recipe) in one transaction.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn save_kit(&mut self, kit: &Kit, at: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO kits (code, title, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (code) DO UPDATE SET title = excluded.title,
                updated_at = excluded.updated_at",
            params![kit.code.as_str(), kit.title, ts(at)],
        )?;
        tx.execute(
            "DELETE FROM kit_components WHERE kit = ?1",
            [kit.code.as_str()],
        )?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO kit_components (kit, position, component, quantity)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (i, c) in kit.components.iter().enumerate() {
                stmt.execute(params![kit.code.as_str(), i, c.code.as_str(), c.quantity])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes the kit `code`; false when there was none.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn delete_kit(&mut self, code: &ProductCode) -> Result<bool> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM kit_components WHERE kit = ?1", [code.as_str()])?;
        let n = tx.execute("DELETE FROM kits WHERE code = ?1", [code.as_str()])?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Replaces the bundle parents known from the catalogue.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_bundles(&mut self, parents: &[BundleParent]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM bundle_components", [])?;
        crate::bundle_updates::insert_parents(&tx, parents)?;
        tx.commit()?;
        Ok(())
    }

    /// The bundle parents known from the catalogue.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn bundles(&self) -> Result<Vec<BundleParent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT parent_variant_id, component_variant_id, quantity FROM bundle_components
             ORDER BY parent_variant_id, position",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let mut out: Vec<BundleParent> = Vec::new();
        for row in rows {
            let (parent, component, quantity): (u64, u64, i64) = row?;
            match out.last_mut() {
                Some(p) if p.variant_id.0 == parent => {
                    p.components.push((VariantId(component), quantity));
                }
                _ => out.push(BundleParent {
                    variant_id: VariantId(parent),
                    components: vec![(VariantId(component), quantity)],
                }),
            }
        }
        Ok(out)
    }

    /// Replaces the bundle groups of `order`'s lines.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_line_groups(&mut self, order: OrderId, groups: &[LineGroup]) -> Result<()> {
        let tx = self.conn.transaction()?;
        write_line_groups(&tx, order, groups)?;
        tx.commit()?;
        Ok(())
    }

    /// The bundle groups of `order`'s lines, in the lines' order.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn line_groups(&self, order: OrderId) -> Result<Vec<LineGroup>> {
        read_line_groups(&self.conn, order)
    }

    /// Whether `code` is a kit.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn is_kit(&self, code: &ProductCode) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM kits WHERE code = ?1")?
            .query_row([code.as_str()], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

/// Replaces `order`'s bundle groups inside the caller's transaction (the import writes them
/// with the order's lines, so an edited order never keeps a stale group).
pub(crate) fn write_line_groups(
    conn: &Connection,
    order: OrderId,
    groups: &[LineGroup],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM order_line_groups WHERE order_id = ?1")?
        .execute([order.0])?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO order_line_groups
            (line_id, order_id, group_id, title, quantity, sku)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for g in groups {
        stmt.execute(params![
            g.line.0, order.0, g.group_id, g.title, g.quantity, g.sku
        ])?;
    }
    Ok(())
}

/// The groups of `order`'s lines that still exist, in the lines' order.
pub(crate) fn read_line_groups(conn: &Connection, order: OrderId) -> Result<Vec<LineGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.line_id, g.group_id, g.title, g.quantity, g.sku FROM order_line_groups g
         JOIN order_lines l ON l.id = g.line_id WHERE g.order_id = ?1 ORDER BY l.position",
    )?;
    let rows = stmt.query_map([order.0], |r| {
        Ok(LineGroup {
            line: LineId(r.get(0)?),
            group_id: r.get(1)?,
            title: r.get(2)?,
            quantity: r.get(3)?,
            sku: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
