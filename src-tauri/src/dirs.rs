//! Where Punte keeps its data and logs: the OS app directories, or one folder named by
//! `PUNTE_DATA_DIR` so tests and demos never touch the merchant's real data.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager, Runtime};

/// Environment variable that puts all of Punte's files (database, logs) under one folder.
pub const DATA_DIR_ENV: &str = "PUNTE_DATA_DIR";

/// The folders Punte writes to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AppDirs {
    pub data: PathBuf,
    pub logs: PathBuf,
}

/// The folder named by [`DATA_DIR_ENV`], if set and not empty.
pub fn data_dir_override() -> Option<PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

impl AppDirs {
    /// Resolves and creates the folders.
    pub fn resolve<R: Runtime>(
        app: &AppHandle<R>,
        data_override: Option<&Path>,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        let dirs = match data_override {
            Some(data) => Self {
                data: data.to_path_buf(),
                logs: data.join("logs"),
            },
            None => Self {
                data: app.path().app_data_dir()?,
                logs: app.path().app_log_dir()?,
            },
        };
        for dir in [&dirs.data, &dirs.logs] {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create folder {}: {e}", dir.display()))?;
        }
        Ok(dirs)
    }
}

/// A D-Bus-safe instance id derived from the data folder, stable across runs (FNV-1a).
pub fn instance_id(data_dir: &Path) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in data_dir.as_os_str().as_encoded_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("ro.punte.desktop.d{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_id_differs_per_folder_and_is_stable() {
        let a = instance_id(Path::new("/tmp/a"));
        assert_eq!(
            a,
            instance_id(Path::new("/tmp/a")),
            "same folder must map to same instance"
        );
        assert_ne!(
            a,
            instance_id(Path::new("/tmp/b")),
            "two test folders must not share a lock"
        );
        assert!(
            a.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'),
            "D-Bus names allow only [A-Za-z0-9_.-]: {a}"
        );
    }
}
