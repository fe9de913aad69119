//! The full `PRAGMA integrity_check`, run after opening on a read-only connection of its own,
//! so a large file opens in well under a second (a 1,000,000-order file's full check takes
//! about 7.5 s) while the check still covers every page and index. Opening runs the quick
//! part (see `open::quick_check`); this module holds the rest and its result, which the engine
//! turns into a finding (and a paused sync) if the file is damaged.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

/// Where the full integrity check of the open file stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum IntegrityStatus {
    /// Not run: a database in memory, or a store handed over already open.
    NotRun,
    Running,
    /// Every page and index checked.
    Ok {
        took_ms: u64,
    },
    /// SQLite's first complaints (up to 10 lines).
    Corrupt {
        problems: String,
    },
    /// The check could not run (e.g. the file could not be opened a second time).
    Failed {
        error: String,
    },
}

impl IntegrityStatus {
    /// Whether the check has ended (or will never run).
    #[must_use]
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Running)
    }
}

/// The status shared between the checking thread and every handle.
#[derive(Debug, Clone)]
pub(crate) struct IntegrityCell(Arc<Mutex<IntegrityStatus>>);

impl IntegrityCell {
    pub fn new(status: IntegrityStatus) -> Self {
        Self(Arc::new(Mutex::new(status)))
    }

    pub fn get(&self) -> IntegrityStatus {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set(&self, status: IntegrityStatus) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = status;
    }

    /// Runs the full check of `path` on a thread of its own; the status moves from `Running`
    /// to its result.
    pub fn start(path: PathBuf) -> Self {
        let cell = Self::new(IntegrityStatus::Running);
        let out = cell.clone();
        let spawned = thread::Builder::new()
            .name("punte-db-check".into())
            .spawn(move || out.set(full_check(&path)));
        if let Err(e) = spawned {
            cell.set(IntegrityStatus::Failed {
                error: e.to_string(),
            });
        }
        cell
    }
}

/// `PRAGMA integrity_check` of the file at `path`, on a new read-only connection.
#[must_use]
pub fn full_check(path: &Path) -> IntegrityStatus {
    let started = Instant::now();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let run = || -> rusqlite::Result<Vec<String>> {
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let mut stmt = conn.prepare("PRAGMA integrity_check(10)")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    };
    match run() {
        Ok(lines) if lines == ["ok"] => IntegrityStatus::Ok {
            took_ms: started.elapsed().as_millis() as u64,
        },
        Ok(lines) => IntegrityStatus::Corrupt {
            problems: lines.join("\n"),
        },
        // SQLite may stop the check itself on a page it cannot read.
        Err(e) if is_corruption(&e) => IntegrityStatus::Corrupt {
            problems: e.to_string(),
        },
        Err(e) => IntegrityStatus::Failed {
            error: e.to_string(),
        },
    }
}

/// Whether SQLite refused because the file is damaged (not busy, not missing).
pub(crate) fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}
