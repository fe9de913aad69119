//! Secrets (API tokens, client secrets, private keys) in the OS keychain: Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows. It is the only place Punte keeps them; there
//! is no plaintext fallback, and a keychain that cannot be reached is a clear error.

use crate::CommandError;

/// The keychain entries of one Punte instance. Entries are named `<namespace>/<key>` under the
/// service "Punte", so a test instance (own data folder) never sees the merchant's secrets.
#[derive(Debug, Clone)]
pub struct Keychain {
    namespace: String,
}

/// Why the keychain could not answer.
#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    #[error("the keychain is not available: {0}")]
    Unavailable(String),
    #[error("the keychain refused the secret: {0}")]
    Rejected(String),
}

impl KeychainError {
    pub fn code(&self) -> &'static str {
        match self {
            KeychainError::Unavailable(_) => "keychain.unavailable",
            KeychainError::Rejected(_) => "keychain.rejected",
        }
    }
}

impl From<KeychainError> for CommandError {
    fn from(err: KeychainError) -> Self {
        let message = match &err {
            KeychainError::Unavailable(why) => format!(
                "Portofelul de parole al sistemului nu răspunde; deblocați-l și încercați din nou. \
                 The system keychain is not available; unlock it and try again. ({why})"
            ),
            KeychainError::Rejected(why) => format!(
                "Portofelul de parole a refuzat secretul. The keychain refused the secret. ({why})"
            ),
        };
        CommandError::new(err.code(), message)
    }
}

const SERVICE: &str = "Punte";

impl Keychain {
    /// Entries for the instance named `namespace` (the app identifier, or a per-data-folder id).
    pub fn new(namespace: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(SERVICE, &format!("{}/{key}", self.namespace)).map_err(map_err)
    }

    /// The secret stored under `key`, or `None` if there is none.
    pub fn get(&self, key: &str) -> Result<Option<String>, KeychainError> {
        match self.entry(key)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(map_err(err)),
        }
    }

    /// Stores (or replaces) the secret under `key`.
    pub fn set(&self, key: &str, secret: &str) -> Result<(), KeychainError> {
        self.entry(key)?.set_password(secret).map_err(map_err)
    }

    /// Removes the secret under `key`; removing a missing one is not an error.
    pub fn delete(&self, key: &str) -> Result<(), KeychainError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(map_err(err)),
        }
    }
}

/// Keeps keyring's own words (they name the D-Bus or OS failure) but never the secret: keyring
/// errors do not carry it.
fn map_err(err: keyring::Error) -> KeychainError {
    match err {
        keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => {
            KeychainError::Unavailable(e.to_string())
        }
        other => KeychainError::Rejected(other.to_string()),
    }
}

/// The engine reads the merchant's credentials through this: the OS keychain and nothing else.
impl punte_engine::SecretStore for Keychain {
    fn get(&self, key: &str) -> Result<Option<String>, punte_engine::SecretError> {
        Keychain::get(self, key).map_err(to_secret_error)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), punte_engine::SecretError> {
        Keychain::set(self, key, value).map_err(to_secret_error)
    }

    fn delete(&self, key: &str) -> Result<(), punte_engine::SecretError> {
        Keychain::delete(self, key).map_err(to_secret_error)
    }
}

fn to_secret_error(err: KeychainError) -> punte_engine::SecretError {
    punte_engine::SecretError(err.to_string())
}
