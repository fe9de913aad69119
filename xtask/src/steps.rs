//! The test command's steps, run in order even after a failure so one run shows everything that
//! is wrong; a summary with each step's time closes the output and the exit code is non-zero if
//! any step failed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::prerequisites::{self, Purpose, npm};

/// `cargo` as the one that runs xtask (so the same toolchain builds everything).
pub fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}

/// Runs a command with inherited output; an error names it.
pub fn run_checked(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("{what}: could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Builds the UI into ui/dist, which the app binary embeds.
pub fn build_ui(root: &Path) -> Result<(), String> {
    run_checked(
        Command::new(npm())
            .args(["run", "build"])
            .current_dir(root.join("ui")),
        "UI build",
    )
}

pub fn test(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    prerequisites::ensure_all(root, Purpose::Test)?;
    let ui = root.join("ui");
    let fixture = root.join("target/ship-fixture");
    let steps: Vec<(&str, Command)> = vec![
        (
            "UI build (vite)",
            with(Command::new(npm()), &["run", "build"], &ui),
        ),
        (
            "cargo fmt --check",
            with(cargo(root), &["fmt", "--all", "--", "--check"], root),
        ),
        (
            "svelte-check",
            with(Command::new(npm()), &["run", "check"], &ui),
        ),
        ("Vitest", with(Command::new(npm()), &["test"], &ui)),
        (
            "cargo clippy",
            with(
                cargo(root),
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
                root,
            ),
        ),
        // Unit, integration and end-to-end tests (the e2e target starts its own Xvfb).
        (
            "cargo test",
            with(
                cargo(root),
                &["test", "--workspace", "--no-fail-fast"],
                root,
            ),
        ),
        // One release build, its .deb/.rpm, and version N+1 signed with a throwaway key.
        ("release bundle", bundle_step(root, &fixture)),
        // The installed package: dpkg -i, the installed binary's window, update N -> N+1 on a
        // loopback feed (and a tampered one refused), dpkg --purge.
        ("installer tests", installer_tests(root, &fixture)),
    ];
    let mut results: Vec<(&str, Duration, bool)> = Vec::new();
    for (name, mut command) in steps {
        eprintln!("\n==> {name}");
        let t = Instant::now();
        let ok = run_checked(&mut command, name)
            .map_err(|e| eprintln!("xtask: {e}"))
            .is_ok();
        results.push((name, t.elapsed(), ok));
    }
    eprintln!("\n==> summary");
    for (name, took, ok) in &results {
        eprintln!(
            "  {} {name:<20} {:>6.1}s",
            if *ok { "ok  " } else { "FAIL" },
            took.as_secs_f64()
        );
    }
    let failed: Vec<&str> = results.iter().filter(|r| !r.2).map(|r| r.0).collect();
    eprintln!("  total {:.1}s", started.elapsed().as_secs_f64());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failing steps: {}", failed.join(", ")))
    }
}

/// This xtask binary again, as `bundle --update-fixture <fixture>`.
fn bundle_step(root: &Path, fixture: &Path) -> Command {
    let me = std::env::current_exe().unwrap_or_else(|_| "xtask".into());
    let mut command = Command::new(me);
    command
        .args(["bundle", "--update-fixture"])
        .arg(fixture)
        .current_dir(root);
    command
}

/// The `installed` test target, run for its ignored (root, dpkg, fixture-needing) tests.
fn installer_tests(root: &Path, fixture: &Path) -> Command {
    let mut command = cargo(root);
    command
        .args([
            "test",
            "--package",
            "punte-app",
            "--test",
            "installed",
            "--",
            "--ignored",
            "--test-threads=1",
        ])
        .env("PUNTE_SHIP_FIXTURE", fixture.join("fixture.json"))
        .current_dir(root);
    command
}

fn with(mut command: Command, args: &[&str], dir: &Path) -> Command {
    command.args(args).current_dir(dir);
    command
}
