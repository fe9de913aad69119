//! dpkg for the installer tests: install, what the package holds, remove; a package left by a
//! failing test is purged when its value is dropped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The package the bundler names after the product.
pub const NAME: &str = "punte";

/// An installed `punte` package (purged on drop if still there).
pub struct Package;

fn dpkg(args: &[&str]) -> String {
    let out = Command::new("dpkg")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .expect("run dpkg (these tests need Debian/Ubuntu)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "dpkg {args:?} failed: {text}");
    text
}

/// The installed version of `name`, `None` if not installed.
pub fn status(name: &str) -> Option<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${db:Status-Abbrev} ${Version}", name])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let (state, version) = text.split_once(' ')?;
    (out.status.success() && state.starts_with("ii")).then(|| version.trim().to_owned())
}

impl Package {
    /// `dpkg -i deb`, after purging any earlier copy (a previous failed run).
    pub fn install(deb: &Path) -> Package {
        if status(NAME).is_some() {
            dpkg(&["--purge", NAME]);
        }
        let deb = deb.to_str().expect("a UTF-8 path");
        let out = dpkg(&["-i", deb]);
        eprintln!("installed: {}", out.lines().last().unwrap_or_default());
        Package
    }

    pub fn version(&self) -> Option<String> {
        status(NAME)
    }

    /// The regular files the package installed.
    pub fn files(&self) -> Vec<PathBuf> {
        dpkg(&["-L", NAME])
            .lines()
            .map(PathBuf::from)
            .filter(|p| p.is_file())
            .collect()
    }

    /// The installed app binary.
    pub fn binary(&self) -> PathBuf {
        self.files()
            .into_iter()
            .find(|p| p.ends_with("bin/punte-app"))
            .expect("the package installs bin/punte-app")
    }

    /// Installed size as dpkg reports it (KiB).
    pub fn installed_kib(&self) -> u64 {
        let out = Command::new("dpkg-query")
            .args(["-W", "-f=${Installed-Size}", NAME])
            .output()
            .expect("dpkg-query");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    }

    /// `dpkg --purge`: the package and its configuration.
    pub fn remove(self) {
        dpkg(&["--purge", NAME]);
        std::mem::forget(self);
    }
}

impl Drop for Package {
    fn drop(&mut self) {
        let _ = Command::new("dpkg").args(["--purge", NAME]).status();
    }
}

/// Waits (10 s at most) until no process runs `binary`; fails the test otherwise.
pub fn wait_no_process(binary: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let running = processes_of(binary);
        if running.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} still runs: {running:?}",
            binary.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Pids whose executable is `binary` (also after dpkg replaced the file: " (deleted)").
pub fn processes_of(binary: &Path) -> Vec<u32> {
    let name = binary.display().to_string();
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let exe = std::fs::read_link(e.path().join("exe")).ok()?;
            let exe = exe.display().to_string();
            (exe == name || exe == format!("{name} (deleted)")).then_some(pid)
        })
        .collect()
}
