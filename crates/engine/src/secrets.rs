//! Credentials live behind a [`SecretStore`] (the app backs it with the OS keychain): the engine
//! asks for a secret at the moment it builds a client, never logs it and never writes it to
//! SQLite. [`MemorySecrets`] is the in-memory implementation for tests and the demo.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The keychain entry of the Shopify credential (client secret or `shpat_` token).
pub const SHOPIFY_SECRET: &str = "punte.shopify";
/// The keychain entry of the billing credential (SmartBill token, Oblio secret, FGO key).
pub const BILLING_SECRET: &str = "punte.billing";

/// Why a secret could not be read or written (e.g. no keychain on this desktop).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the keychain is not available: {0}")]
pub struct SecretError(pub String);

/// Get, set and delete secrets by key. A missing entry is `Ok(None)`, not an error.
pub trait SecretStore: Send + Sync {
    /// # Errors
    /// When the keychain cannot be reached.
    fn get(&self, key: &str) -> Result<Option<String>, SecretError>;
    /// # Errors
    /// When the keychain cannot be reached.
    fn set(&self, key: &str, value: &str) -> Result<(), SecretError>;
    /// # Errors
    /// When the keychain cannot be reached.
    fn delete(&self, key: &str) -> Result<(), SecretError>;
}

/// Secrets in process memory only; nothing touches the disk.
#[derive(Debug, Default)]
pub struct MemorySecrets {
    entries: Mutex<HashMap<String, String>>,
}

impl MemorySecrets {
    /// A store holding `pairs` of (key, secret).
    #[must_use]
    pub fn with(pairs: &[(&str, &str)]) -> Self {
        let s = Self::default();
        for (k, v) in pairs {
            let _ = s.set(k, v);
        }
        s
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(entries.get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), SecretError> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.remove(key);
        Ok(())
    }
}
