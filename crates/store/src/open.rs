//! Opening the database safely: refuse files that are not ours or are newer than this build
//! (before writing a byte), check integrity, switch on WAL and foreign keys, copy the file
//! before migrating it, then migrate in one transaction.
//!
//! Integrity at open is the quick check of every table but those that grow with the shop's
//! history (orders, their lines, shipping and history, the stock audit): a 1,000,000-order file
//! opens in well under a second instead of 5–8 s. The full `integrity_check` of everything
//! then runs on its own connection beside the store (`integrity`, started by `StoreHandle`).
//!
//! Durability: WAL with `synchronous = FULL`, so every committed transaction (an outbox intent,
//! an invoice confirmation, an order state change) is fsynced before the commit returns and
//! survives a power loss, not only a crash of the process. `NORMAL` would be faster but may
//! lose the last commits on power loss; Punte's write volume is small enough not to care.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Result, StoreError};
use crate::integrity::is_corruption;
use crate::migrations::{APPLICATION_ID, LATEST_VERSION, migrations};

/// How long a statement waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The open database. Synchronous: use it from a blocking thread (see [`crate::StoreHandle`]).
pub struct Store {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
    backup: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if absent) and migrates the database at `path`.
    ///
    /// # Errors
    /// [`StoreError::SchemaTooNew`] for a file from a newer Punte (left untouched),
    /// [`StoreError::NotPunteDatabase`], [`StoreError::Corrupt`] when the quick check at open
    /// fails (see the module's note),
    /// [`StoreError::Backup`] / [`StoreError::Migration`] when the upgrade cannot be done safely.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::prepare(conn, Some(path.to_path_buf()))
    }

    /// A private in-memory database, for tests and previews.
    ///
    /// # Errors
    /// Only if SQLite itself fails.
    pub fn open_in_memory() -> Result<Self> {
        Self::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let shown = path
            .as_ref()
            .map_or_else(|| ":memory:".into(), |p| p.display().to_string());
        let version = check_ours(&conn, &shown)?;
        quick_check(&conn)?;
        // journal_mode answers with a row, so it is queried rather than executed.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let mut backup = None;
        if let Some(p) = path
            .as_ref()
            .filter(|_| version > 0 && version < LATEST_VERSION)
        {
            backup = Some(copy_before_migration(&conn, p, version)?);
        }
        migrations().to_latest(&mut conn)?;
        Ok(Self { conn, path, backup })
    }

    /// Where the database lives; `None` in memory.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The copy made before this open migrated the file, if it did.
    #[must_use]
    pub fn backup_path(&self) -> Option<&Path> {
        self.backup.as_deref()
    }

    /// The schema version of the open file (always [`LATEST_VERSION`] after a successful open).
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn schema_version(&self) -> Result<usize> {
        user_version(&self.conn)
    }

    /// Runs the full `PRAGMA integrity_check` here and now (open runs the quick part; the
    /// full check runs beside a [`crate::StoreHandle`]).
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] with SQLite's first complaint.
    pub fn integrity_check(&self) -> Result<()> {
        check_integrity(&self.conn)
    }
}

fn user_version(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    usize::try_from(v).map_err(|_| StoreError::BadValue(format!("user_version {v}")))
}

/// Reads the header only: the version, and whether the file is Punte's or empty.
fn check_ours(conn: &Connection, shown: &str) -> Result<usize> {
    let version = user_version(conn)?;
    let application_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let has_tables = conn
        .query_row("SELECT 1 FROM sqlite_schema LIMIT 1", [], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
        .is_some();
    if application_id != APPLICATION_ID && (application_id != 0 || has_tables) {
        return Err(StoreError::NotPunteDatabase {
            path: shown.to_owned(),
            application_id,
        });
    }
    if version > LATEST_VERSION {
        return Err(StoreError::SchemaTooNew {
            found: version,
            known: LATEST_VERSION,
        });
    }
    Ok(version)
}

/// Tables that grow with the shop's history; the full check after opening covers them.
const HISTORY_TABLES: &[&str] = &[
    "orders",
    "order_lines",
    "order_shipping",
    "order_history",
    "stock_audit",
];

/// `PRAGMA quick_check` (pages, cells, b-tree structure, not index contents) of every table
/// and its indexes but [`HISTORY_TABLES`]: settings, connections, the invoice outbox, products
/// and whatever later versions add are checked before anything reads them.
fn quick_check(conn: &Connection) -> Result<()> {
    let corrupt = |e: rusqlite::Error| {
        if is_corruption(&e) {
            StoreError::Corrupt(e.to_string())
        } else {
            StoreError::from(e)
        }
    };
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .map_err(corrupt)?;
    for table in tables
        .iter()
        .filter(|t| !HISTORY_TABLES.contains(&t.as_str()))
    {
        let pragma = format!("PRAGMA quick_check('{}')", table.replace('\'', "''"));
        let first: String = conn.query_row(&pragma, [], |r| r.get(0)).map_err(corrupt)?;
        if first != "ok" {
            return Err(StoreError::Corrupt(first));
        }
    }
    Ok(())
}

fn check_integrity(conn: &Connection) -> Result<()> {
    let first: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if first == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt(first))
    }
}

/// Writes a consistent copy (including what still sits in the WAL) next to the file, named after
/// the version it holds; an existing copy is never overwritten.
fn copy_before_migration(conn: &Connection, path: &Path, version: usize) -> Result<PathBuf> {
    let name = path
        .file_name()
        .map_or_else(|| "punte.db".into(), |n| n.to_string_lossy());
    let mut target = path.with_file_name(format!("{name}.v{version}.bak"));
    let mut n = 1;
    while target.exists() {
        target = path.with_file_name(format!("{name}.v{version}.{n}.bak"));
        n += 1;
    }
    let shown = target.display().to_string();
    conn.execute("VACUUM INTO ?1", [&shown])
        .map_err(|source| StoreError::Backup {
            path: shown.clone(),
            source,
        })?;
    Ok(target)
}
