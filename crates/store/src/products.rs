//! The catalogue as last read: Shopify variants with their ids, code, tracked flag and when
//! Punte first saw them (new products sync from the next day, like xConnector); the last
//! Shopify levels; and the last billing stock reading per code.

use chrono::{DateTime, Utc};
use punte_core::product::{
    BillingProduct, CodeSource, InventoryItemId, ProductCode, ShopifyVariant, VariantId,
};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::open::Store;
use crate::runs::RunId;
use crate::sqlval::{get_dec, get_ts, ts};

/// A variant as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub variant: ShopifyVariant,
    pub code: Option<ProductCode>,
    pub location_id: Option<u64>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

/// Shopify's `available` for an inventory item at a location, when it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopifyLevel {
    pub inventory_item_id: InventoryItemId,
    pub location_id: u64,
    pub available: i64,
    pub read_at: DateTime<Utc>,
}

/// A billing stock reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingReading {
    pub product: BillingProduct,
    pub read_at: DateTime<Utc>,
    pub run: Option<RunId>,
}

impl Store {
    /// Inserts or refreshes variants; `first_seen` is kept from the first time.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn upsert_variants(
        &mut self,
        variants: &[ShopifyVariant],
        source: CodeSource,
        location_id: Option<u64>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO products (variant_id, inventory_item_id, location_id, code, sku,
                    barcode, title, tracked, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
                 ON CONFLICT (variant_id) DO UPDATE SET
                    inventory_item_id = excluded.inventory_item_id,
                    location_id = excluded.location_id, code = excluded.code, sku = excluded.sku,
                    barcode = excluded.barcode, title = excluded.title,
                    tracked = excluded.tracked, last_seen = excluded.last_seen",
            )?;
            for v in variants {
                stmt.execute(params![
                    v.variant_id.0,
                    v.inventory_item_id.0,
                    location_id,
                    v.code(source).map(|c| c.0),
                    v.sku,
                    v.barcode,
                    v.title,
                    v.tracked,
                    ts(at),
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every stored variant, by variant id.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn products(&self) -> Result<Vec<ProductRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT variant_id, inventory_item_id, location_id, code, sku, barcode, title,
                tracked, first_seen, last_seen FROM products ORDER BY variant_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ProductRow {
                variant: ShopifyVariant {
                    variant_id: VariantId(r.get(0)?),
                    inventory_item_id: InventoryItemId(r.get(1)?),
                    title: r.get(6)?,
                    sku: r.get(4)?,
                    barcode: r.get(5)?,
                    tracked: r.get(7)?,
                },
                location_id: r.get(2)?,
                code: r.get::<_, Option<String>>(3)?.map(ProductCode),
                first_seen: get_ts(r, 8)?,
                last_seen: get_ts(r, 9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores the levels just read from Shopify (replacing older readings of the same items).
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_shopify_levels(&mut self, levels: &[ShopifyLevel]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO shopify_levels
                    (inventory_item_id, location_id, available, read_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for l in levels {
                stmt.execute(params![
                    l.inventory_item_id.0,
                    l.location_id,
                    l.available,
                    ts(l.read_at)
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The last levels read from Shopify.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn shopify_levels(&self) -> Result<Vec<ShopifyLevel>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT inventory_item_id, location_id, available, read_at FROM shopify_levels",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ShopifyLevel {
                inventory_item_id: InventoryItemId(r.get(0)?),
                location_id: r.get(1)?,
                available: r.get(2)?,
                read_at: get_ts(r, 3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a billing stock reading (one row per code, the latest wins).
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn record_billing_stock(
        &mut self,
        products: &[BillingProduct],
        run: Option<RunId>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO billing_stock (code, name, stock, read_at, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for p in products {
                let stock = p.stock.to_string();
                stmt.execute(params![
                    p.code.as_str(),
                    p.name,
                    stock,
                    ts(at),
                    run.map(|r| r.0)
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The last billing stock reading of every code.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn billing_stock(&self) -> Result<Vec<BillingReading>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, name, stock, read_at, run_id FROM billing_stock ORDER BY code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(BillingReading {
                product: BillingProduct {
                    code: ProductCode(r.get(0)?),
                    name: r.get(1)?,
                    stock: get_dec(r, 2)?,
                    // Not kept here: the VAT check reads it from the service.
                    vat_rate: None,
                },
                read_at: get_ts(r, 3)?,
                run: r.get::<_, Option<i64>>(4)?.map(RunId),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
