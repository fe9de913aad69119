//! The store's errors, each with a stable code the UI matches on (never on the message), and
//! messages that say what to do. The schema-too-new refusal speaks Romanian and English because
//! the merchant, not a developer, reads it.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use thiserror::Error;

/// Everything that can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The file was written by a newer Punte; it is left untouched.
    #[error(
        "Baza de date a fost scrisă de o versiune mai nouă a Punte (schema v{found}; această \
         versiune cunoaște până la v{known}). Actualizați Punte; fișierul nu a fost modificat. / \
         The database was written by a newer Punte (schema v{found}; this build knows up to \
         v{known}). Update Punte; the file was not changed."
    )]
    SchemaTooNew { found: usize, known: usize },
    /// The file is a SQLite database, but not Punte's.
    #[error(
        "{path} is not a Punte database (application id {application_id:#x}); refusing to use it"
    )]
    NotPunteDatabase { path: String, application_id: i64 },
    /// `PRAGMA integrity_check` did not answer "ok".
    #[error("the database failed its integrity check ({0}); restore the latest backup copy")]
    Corrupt(String),
    /// A migration failed; it was rolled back and a copy of the file was kept.
    #[error("migrating the database failed and was rolled back: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// Copying the file before a migration failed, so the migration was not attempted.
    #[error("could not back up the database before migrating it ({path}): {source}")]
    Backup {
        path: String,
        source: rusqlite::Error,
    },
    /// A setting key that looks like a credential; secrets belong in the keychain.
    #[error("setting \"{0}\" looks like a secret; secrets are kept in the OS keychain, not here")]
    SecretRefused(String),
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    #[error("outbox item {id} is {from} and cannot become {to}")]
    OutboxTransition {
        id: i64,
        from: &'static str,
        to: &'static str,
    },
    /// An order state change the lifecycle does not allow (`OrderState::can_become`): nothing
    /// leaves Cancelled, nothing goes back to Open, an order is invoiced or dispatched once.
    #[error(
        "Comanda {id} este „{from}” și nu poate trece în „{to}”; nu s-a modificat nimic. / \
         Order {id} is {from} and cannot become {to}; nothing was changed."
    )]
    OrderTransition {
        id: u64,
        from: &'static str,
        to: &'static str,
    },
    /// A setting value that looks like a credential (an access token or API key).
    #[error(
        "Valoarea setării „{0}” arată ca o cheie de acces; cheile se păstrează în keychain-ul \
         sistemului. / The value of setting \"{0}\" looks like a credential; secrets are kept in \
         the OS keychain, not here."
    )]
    SecretValueRefused(String),
    /// A stored value this build cannot read (a bug, or a hand-edited file).
    #[error("stored value cannot be read: {0}")]
    BadValue(String),
    #[error("the database thread has stopped")]
    ThreadGone,
    #[error("could not start the database thread: {0}")]
    ThreadStart(std::io::Error),
    #[error("writing the export failed: {0}")]
    Export(#[from] std::io::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// A stable identifier for the UI and logs; it never changes once released.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::SchemaTooNew { .. } => "store.schema_too_new",
            Self::NotPunteDatabase { .. } => "store.not_punte_database",
            Self::Corrupt(_) => "store.corrupt",
            Self::Migration(_) => "store.migration_failed",
            Self::Backup { .. } => "store.backup_failed",
            Self::SecretRefused(_) => "store.secret_refused",
            Self::NotFound { .. } => "store.not_found",
            Self::OutboxTransition { .. } => "store.outbox_transition",
            Self::OrderTransition { .. } => "store.order_transition",
            Self::SecretValueRefused(_) => "store.secret_value_refused",
            Self::BadValue(_) => "store.bad_value",
            Self::ThreadGone => "store.thread_gone",
            Self::ThreadStart(_) => "store.thread_start",
            Self::Export(_) => "store.export_failed",
            Self::Sqlite(_) => "store.sqlite",
        }
    }
}

/// Sent to the UI as `{code, message}` so it can branch on `code`.
impl Serialize for StoreError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("StoreError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
