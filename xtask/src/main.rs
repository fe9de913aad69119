//! `cargo xtask run` and `cargo xtask test`: the README's two commands (and `bundle`, the release
//! build with its installers, which the test command also runs). Each installs what is missing
//! (system packages, UI packages with the Tauri CLI, tauri-driver), builds the UI, then runs the
//! app or the whole test suite. Only the standard library, so it builds in seconds.

mod bundle;
mod prerequisites;
mod steps;
mod testrun;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run|test|bundle|setup> [-- app arguments]

  run     install what is missing, build the UI, start Punte
  test    install what is missing, then fmt, clippy, svelte-check, Vitest, all Rust tests
          (unit, integration and end-to-end under Xvfb), the release build with its
          installers and the installed-package tests (install, update, remove)
  bundle  release build and the platform's installers (Linux: .deb, .rpm) in
          target/release/bundle; --update-fixture DIR also makes a signed N+1 for the update test
  setup   only install what is missing";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&root, &args[1..]),
        Some("test") => steps::test(&root),
        Some("bundle") => bundle::bundle(&root, &args[1..]),
        Some("setup") => prerequisites::ensure_all(&root, prerequisites::Purpose::Test),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, app_args: &[String]) -> Result<(), String> {
    prerequisites::ensure_all(root, prerequisites::Purpose::Run)?;
    steps::build_ui(root)?;
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err(
            "no display (DISPLAY and WAYLAND_DISPLAY are unset): run this from a desktop \
                    session, or `xvfb-run -a cargo xtask run` for a headless check"
                .into(),
        );
    }
    let mut command = steps::cargo(root);
    command
        .args(["run", "--package", "punte-app", "--"])
        .args(app_args.iter().skip_while(|a| *a == "--"));
    steps::run_checked(&mut command, "cargo run --package punte-app")
}

/// The workspace root: xtask lives one folder below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}
