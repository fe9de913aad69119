//! Merchant settings and connection descriptors. Neither can hold a credential: descriptors have
//! no field for one, and settings whose keys (at any depth) or values look like one are refused,
//! because the database file is plain bytes on disk while tokens belong in the OS keychain.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::open::Store;
use crate::secrets::check_setting;
use crate::sqlval::ts;

/// Which service a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    Shopify,
    SmartBill,
    Oblio,
    Fgo,
}

impl ServiceKind {
    /// The word stored in `connections.kind`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Self::Shopify => "shopify",
            Self::SmartBill => "smartbill",
            Self::Oblio => "oblio",
            Self::Fgo => "fgo",
        }
    }

    fn parse(word: &str) -> Result<Self> {
        Ok(match word {
            "shopify" => Self::Shopify,
            "smartbill" => Self::SmartBill,
            "oblio" => Self::Oblio,
            "fgo" => Self::Fgo,
            other => return Err(StoreError::BadValue(format!("service kind {other:?}"))),
        })
    }
}

/// Where a connection points, without any way to authenticate: the token, API key or password
/// stays in the keychain, looked up by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionDescriptor {
    pub kind: ServiceKind,
    /// `example.myshopify.com` for Shopify.
    pub shop_domain: Option<String>,
    /// The company's CIF as the billing service knows it.
    pub cif: Option<String>,
    /// The billing warehouse (gestiune) whose stock is synced.
    pub warehouse: Option<String>,
    /// The Shopify location mapped to the warehouse.
    pub location_id: Option<u64>,
}

impl Store {
    /// Stores a JSON setting.
    ///
    /// # Errors
    /// [`StoreError::SecretRefused`] when the key, or a key nested in the value, names a
    /// credential; [`StoreError::SecretValueRefused`] when a string in the value looks like an
    /// access token or API key (see the `secrets` module).
    pub fn set_setting(
        &self,
        key: &str,
        value: &serde_json::Value,
        at: DateTime<Utc>,
    ) -> Result<()> {
        check_setting(key, value)?;
        self.conn.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            params![key, value.to_string(), ts(at)],
        )?;
        Ok(())
    }

    /// One setting, if set.
    ///
    /// # Errors
    /// SQLite failure, or a stored value that is not JSON.
    pub fn setting(&self, key: &str) -> Result<Option<serde_json::Value>> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::BadValue(e.to_string())))
            .transpose()
    }

    /// One setting parsed straight into `T` (no intermediate JSON tree: the engine's larger
    /// settings, such as the known level of every product, are read on every InStock refresh);
    /// a stored `null` is `None`.
    ///
    /// # Errors
    /// SQLite failure, or a stored value that is not a `T`.
    pub fn setting_as<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
        let mut rows = stmt.query([key])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        let text = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        serde_json::from_str::<Option<T>>(text).map_err(|e| StoreError::BadValue(e.to_string()))
    }

    /// Saves (or replaces) the descriptor of the connection of `descriptor.kind`.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn save_connection(
        &self,
        descriptor: &ConnectionDescriptor,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let d = descriptor;
        self.conn.execute(
            "INSERT INTO connections (kind, shop_domain, cif, warehouse, location_id, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (kind) DO UPDATE SET shop_domain = excluded.shop_domain,
                cif = excluded.cif, warehouse = excluded.warehouse,
                location_id = excluded.location_id, updated_at = excluded.updated_at",
            params![
                d.kind.word(),
                d.shop_domain,
                d.cif,
                d.warehouse,
                d.location_id,
                ts(at)
            ],
        )?;
        Ok(())
    }

    /// Every saved connection descriptor.
    ///
    /// # Errors
    /// SQLite failure or an unknown kind.
    pub fn connections(&self) -> Result<Vec<ConnectionDescriptor>> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, shop_domain, cif, warehouse, location_id FROM connections ORDER BY kind",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?;
        rows.map(|row| {
            let (kind, shop_domain, cif, warehouse, location_id) = row?;
            Ok(ConnectionDescriptor {
                kind: ServiceKind::parse(&kind)?,
                shop_domain,
                cif,
                warehouse,
                location_id,
            })
        })
        .collect()
    }

    /// Forgets a connection's descriptor.
    ///
    /// # Errors
    /// SQLite failure.
    pub fn remove_connection(&self, kind: ServiceKind) -> Result<()> {
        self.conn
            .execute("DELETE FROM connections WHERE kind = ?1", [kind.word()])?;
        Ok(())
    }
}
