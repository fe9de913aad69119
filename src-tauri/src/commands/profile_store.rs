//! The merchant's profile on disk: connection descriptors in the store's `connections` table,
//! the non-secret fields the descriptor lacks (Shopify app type, billing e-mail, CodUnic) and the
//! preferences as JSON settings, and the downloaded lists. Secrets are not here: they are in the
//! keychain under `punte.shopify` / `punte.billing` (and the Shopify client id beside them, since
//! the store refuses its token-like value).

use chrono::{DateTime, Utc};
use std::sync::Arc;

use punte_engine::{EngineSettings, SecretError, SecretStore};
use punte_store::{ConnectionDescriptor, ServiceKind, Store, StoreHandle};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::profile_check::ServiceConfig;
use super::profile_form::{Auth, ProfileError};

const KEY_SHOPIFY: &str = "profile.shopify";
const KEY_BILLING: &str = "profile.billing";
const KEY_AVAILABLE: &str = "profile.available";
const KEY_FLAGS: &str = "profile.flags";
const KEY_SETTINGS: &str = "profile.engine_settings";
/// Keychain entry of the Shopify client id (not secret, but token-shaped: the store refuses it).
pub const CLIENT_ID_ENTRY: &str = "punte.shopify.client_id";

/// The saved Shopify connection (no secret).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedShopify {
    pub domain: String,
    pub location_id: Option<u64>,
    pub auth: Auth,
    pub tested_at: Option<DateTime<Utc>>,
}

/// The saved billing connection (no secret).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedBilling {
    pub kind: ServiceKind,
    pub cif: String,
    pub email: Option<String>,
    pub cod_unic: Option<String>,
    pub warehouse: Option<String>,
    pub tested_at: Option<DateTime<Utc>>,
}

/// Preferences the engine settings have no field for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flags {
    pub use_warehouse: bool,
    pub sync_stock: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Self {
            use_warehouse: true,
            sync_stock: true,
        }
    }
}

/// Everything saved, as read in one store call.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub shopify: Option<SavedShopify>,
    pub billing: Option<SavedBilling>,
    pub available: ServiceConfig,
    pub flags: Flags,
    pub settings: EngineSettings,
}

#[derive(Serialize, Deserialize, Default)]
struct ShopifyExtra {
    auth: Option<Auth>,
    tested_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize, Default)]
struct BillingExtra {
    email: Option<String>,
    cod_unic: Option<String>,
    tested_at: Option<DateTime<Utc>>,
}

pub fn store_error(e: punte_store::StoreError) -> ProfileError {
    ProfileError::new(e.code(), e.to_string())
}

fn get<T: serde::de::DeserializeOwned + Default>(s: &Store, key: &str) -> punte_store::Result<T> {
    Ok(s.setting(key)?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
}

fn put<T: Serialize>(s: &Store, key: &str, value: &T) -> punte_store::Result<()> {
    let v = serde_json::to_value(value).unwrap_or(Value::Null);
    s.set_setting(key, &v, Utc::now())
}

/// Reads the whole profile.
pub async fn load(store: &StoreHandle) -> Result<Profile, ProfileError> {
    store
        .call(|s| {
            let mut p = Profile {
                available: get(s, KEY_AVAILABLE)?,
                flags: get(s, KEY_FLAGS)?,
                settings: s
                    .setting(KEY_SETTINGS)?
                    .and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default(),
                ..Profile::default()
            };
            for d in s.connections()? {
                if d.kind == ServiceKind::Shopify {
                    let extra: ShopifyExtra = get(s, KEY_SHOPIFY)?;
                    p.shopify = Some(SavedShopify {
                        domain: d.shop_domain.unwrap_or_default(),
                        location_id: d.location_id,
                        auth: extra.auth.unwrap_or(Auth::Dev),
                        tested_at: extra.tested_at,
                    });
                } else {
                    let extra: BillingExtra = get(s, KEY_BILLING)?;
                    p.billing = Some(SavedBilling {
                        kind: d.kind,
                        cif: d.cif.unwrap_or_default(),
                        email: extra.email,
                        cod_unic: extra.cod_unic,
                        warehouse: d.warehouse,
                        tested_at: extra.tested_at,
                    });
                }
            }
            Ok(p)
        })
        .await
        .map_err(store_error)
}

/// Saves the Shopify connection's non-secret part.
pub async fn save_shopify(store: &StoreHandle, c: SavedShopify) -> Result<(), ProfileError> {
    store
        .call(move |s| {
            let extra = ShopifyExtra {
                auth: Some(c.auth),
                tested_at: c.tested_at,
            };
            put(s, KEY_SHOPIFY, &extra)?;
            s.save_connection(
                &ConnectionDescriptor {
                    kind: ServiceKind::Shopify,
                    shop_domain: Some(c.domain),
                    cif: None,
                    warehouse: None,
                    location_id: c.location_id,
                },
                Utc::now(),
            )
        })
        .await
        .map_err(store_error)
}

/// Saves the billing connection's non-secret part; one billing service at a time, so a switch
/// (SmartBill → Oblio) forgets the other kinds.
pub async fn save_billing(store: &StoreHandle, c: SavedBilling) -> Result<(), ProfileError> {
    store
        .call(move |s| {
            let extra = BillingExtra {
                email: c.email,
                cod_unic: c.cod_unic,
                tested_at: c.tested_at,
            };
            put(s, KEY_BILLING, &extra)?;
            for other in [ServiceKind::SmartBill, ServiceKind::Oblio, ServiceKind::Fgo] {
                if other != c.kind {
                    s.remove_connection(other)?;
                }
            }
            s.save_connection(
                &ConnectionDescriptor {
                    kind: c.kind,
                    shop_domain: None,
                    cif: Some(c.cif),
                    warehouse: c.warehouse,
                    location_id: None,
                },
                Utc::now(),
            )
        })
        .await
        .map_err(store_error)
}

pub async fn save_available(store: &StoreHandle, a: ServiceConfig) -> Result<(), ProfileError> {
    store
        .call(move |s| put(s, KEY_AVAILABLE, &a))
        .await
        .map_err(store_error)
}

/// Saves flags, settings and the billing warehouse together (after every check has passed).
pub async fn save_preferences(
    store: &StoreHandle,
    flags: Flags,
    settings: EngineSettings,
    warehouse: Option<(ServiceKind, Option<String>)>,
) -> Result<(), ProfileError> {
    store
        .call(move |s| {
            put(s, KEY_FLAGS, &flags)?;
            put(s, KEY_SETTINGS, &settings)?;
            if let Some((kind, warehouse)) = warehouse
                && let Some(mut d) = s.connections()?.into_iter().find(|d| d.kind == kind)
            {
                d.warehouse = warehouse;
                s.save_connection(&d, Utc::now())?;
            }
            Ok(())
        })
        .await
        .map_err(store_error)
}

/// Saves the location mapping with the settings; with one location mapped, that location and
/// its warehouse become the connections' own (the one-location sync, as before).
pub async fn save_location_mapping(
    store: &StoreHandle,
    flags: Flags,
    settings: EngineSettings,
    one: Option<punte_core::locations::LocationLink>,
) -> Result<(), ProfileError> {
    store
        .call(move |s| {
            put(s, KEY_FLAGS, &flags)?;
            put(s, KEY_SETTINGS, &settings)?;
            if let Some(link) = one {
                for mut d in s.connections()? {
                    if d.kind == ServiceKind::Shopify {
                        d.location_id = Some(link.location_id);
                    } else {
                        d.warehouse = Some(link.warehouse.clone());
                    }
                    s.save_connection(&d, Utc::now())?;
                }
            }
            Ok(())
        })
        .await
        .map_err(store_error)
}

/// The keychain for the commands: each call may wait on D-Bus (or on an unlock prompt), so it
/// tells the async runtime this worker blocks, and other tasks move to other workers.
pub struct OffRuntime(pub Arc<dyn SecretStore>);

impl SecretStore for OffRuntime {
    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        tokio::task::block_in_place(|| self.0.get(key))
    }

    fn set(&self, key: &str, value: &str) -> Result<(), SecretError> {
        tokio::task::block_in_place(|| self.0.set(key, value))
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        tokio::task::block_in_place(|| self.0.delete(key))
    }
}

/// Whether a secret is saved under `key` (a keychain that does not answer counts as "no", and
/// is logged: the Profile screen must still open).
pub fn has_secret(secrets: &dyn SecretStore, key: &str) -> bool {
    match secrets.get(key) {
        Ok(v) => v.is_some(),
        Err(e) => {
            tracing::warn!(error = %e, "keychain not readable");
            false
        }
    }
}
