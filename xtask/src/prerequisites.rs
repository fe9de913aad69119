//! Installs what the project needs and a bare machine lacks: Debian/Ubuntu packages (apt-get, as
//! root; otherwise the one line to run is printed), the UI's npm packages (`npm ci`) and
//! `tauri-driver` (`cargo install`). Each check is cheap, so a warm machine pays almost nothing.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::steps::{cargo, run_checked};

/// Which command is asking: the tests need a few more tools than running the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

/// Debian/Ubuntu packages to build and run the app (WebKitGTK, tray, icons, keychain over D-Bus).
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libdbus-1-dev",
    "libwebkit2gtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libxdo-dev",
];

/// More packages for the tests: a virtual display and its screenshots (ImageMagick's `import`), the
/// WebKit WebDriver, a session bus and the Secret Service keychain; `sudo`, through which the
/// updater installs a `.deb` when there is no polkit agent (the installer tests run as root), and
/// `xwininfo` (x11-utils), which tells whether a window is mapped.
const TEST_PACKAGES: &[&str] = &[
    "sudo",
    "x11-utils",
    "xvfb",
    "xauth",
    "imagemagick",
    "webkit2gtk-driver",
    "dbus-daemon",
    "dbus-x11",
    "gnome-keyring",
];

/// Oldest Node.js that Vite 8 accepts.
const NODE_MIN: (u32, u32) = (20, 19);

pub fn ensure_all(root: &Path, purpose: Purpose) -> Result<(), String> {
    ensure_system_packages(purpose)?;
    ensure_node()?;
    ensure_ui_packages(root)?;
    if purpose == Purpose::Test {
        ensure_tauri_driver(root)?;
    }
    Ok(())
}

fn ensure_system_packages(purpose: Purpose) -> Result<(), String> {
    if cfg!(target_os = "macos") {
        eprintln!("xtask: macOS needs only the Xcode Command Line Tools (xcode-select --install).");
        return Ok(());
    }
    if cfg!(windows) {
        eprintln!("xtask: Windows needs the MSVC build tools and the WebView2 runtime.");
        return Ok(());
    }
    if !has_program("dpkg-query") {
        eprintln!(
            "xtask: not a Debian/Ubuntu system; install the equivalents of: {}",
            wanted(purpose).join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = wanted(purpose)
        .into_iter()
        .filter(|p| !is_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {}",
        missing.join(" ")
    );
    if !is_root() {
        return Err(format!(
            "missing system packages: {}. Run this once, then run the command again:\n  sudo sh -c '{install}'",
            missing.join(" ")
        ));
    }
    eprintln!("xtask: installing {}", missing.join(" "));
    run_checked(Command::new("sh").args(["-c", &install]), "apt-get install")
}

fn wanted(purpose: Purpose) -> Vec<&'static str> {
    let mut all = BUILD_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        all.extend_from_slice(TEST_PACKAGES);
    }
    all
}

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${db:Status-Abbrev}", package])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success() && out.stdout.starts_with(b"ii"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

fn has_program(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn ensure_node() -> Result<(), String> {
    let out = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|_| {
            format!(
                "Node.js {}.{} or newer is needed for the UI and was not found",
                NODE_MIN.0, NODE_MIN.1
            )
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text
        .trim()
        .trim_start_matches('v')
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let version = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if version < NODE_MIN {
        return Err(format!(
            "Node.js {} is too old; {}.{}+ is needed",
            text.trim(),
            NODE_MIN.0,
            NODE_MIN.1
        ));
    }
    Ok(())
}

/// `npm ci` when node_modules is missing or older than the lockfile.
fn ensure_ui_packages(root: &Path) -> Result<(), String> {
    let ui = root.join("ui");
    let lock = modified(&ui.join("package-lock.json"));
    let installed = modified(&ui.join("node_modules/.package-lock.json"));
    if installed.is_some() && installed >= lock {
        return Ok(());
    }
    eprintln!("xtask: installing the UI's packages (npm ci)");
    run_checked(
        Command::new(npm())
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&ui),
        "npm ci",
    )
}

fn ensure_tauri_driver(root: &Path) -> Result<(), String> {
    let found = Command::new("tauri-driver")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
        || std::env::var_os("HOME")
            .is_some_and(|home| Path::new(&home).join(".cargo/bin/tauri-driver").is_file());
    if found {
        return Ok(());
    }
    eprintln!("xtask: installing tauri-driver (cargo install, about two minutes)");
    run_checked(
        cargo(root).args(["install", "tauri-driver", "--version", "^2", "--locked"]),
        "cargo install tauri-driver",
    )
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// `npm`, or `npm.cmd` on Windows.
pub fn npm() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}
