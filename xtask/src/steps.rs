//! The test command's steps, run in order even after a failure so one run shows everything that
//! is wrong; a summary with each step's time closes the output and the exit code is non-zero if
//! any step failed. The release bundle is the one step that runs beside the others (at the lowest
//! CPU priority, from the UI build until the installer tests need it): on two cores it fills the
//! time the test binaries spend waiting. docs/PERFORMANCE.md ("CI time") has the figures.

use std::fs::File;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::prerequisites::{self, Purpose, npm};
use crate::testrun;

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
    let logs = root.join("target/xtask");
    let mut results: Vec<(String, Duration, bool)> = Vec::new();
    let ui_built = step(
        &mut results,
        "UI build (vite)",
        with(Command::new(npm()), &["run", "build"], &ui),
    );
    // One release build, its .deb/.rpm, and version N+1 signed with a throwaway key. It needs only
    // the built UI, so it starts now and runs beside the other steps at the lowest CPU priority:
    // it gets the cores that clippy and cargo leave idle, above all while the test binaries wait
    // on real time, and hardly any while a test wants them.
    let bundle = ui_built.then(|| Background::start(bundle_step(root, &fixture), &logs));
    let checks: Vec<(&str, Command)> = vec![
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
    ];
    for (name, command) in checks {
        step(&mut results, name, command);
    }
    // Unit, integration and end-to-end tests (the e2e target starts its own Xvfb): one build of
    // every test target, then the binaries in lanes (testrun.rs).
    eprintln!("\n==> cargo test (build)");
    let t = Instant::now();
    let binaries = testrun::build(root).map_err(|e| eprintln!("xtask: {e}"));
    results.push(("cargo test (build)".into(), t.elapsed(), binaries.is_ok()));
    let mut slowest = Vec::new();
    if let Ok(binaries) = &binaries {
        eprintln!("\n==> cargo test (run)");
        let t = Instant::now();
        slowest = testrun::run(root, binaries, &logs.join("tests"));
        let failed: Vec<&str> = slowest
            .iter()
            .filter(|o| !o.ok)
            .map(|o| o.label.as_str())
            .collect();
        if !failed.is_empty() {
            eprintln!("xtask: failing test binaries: {}", failed.join(", "));
        }
        results.push(("cargo test (run)".into(), t.elapsed(), failed.is_empty()));
    }
    eprintln!("\n==> release bundle");
    let (took, ok) = bundle.map_or((Duration::ZERO, false), Background::wait);
    results.push(("release bundle (background)".into(), took, ok));
    // The installed package: dpkg -i, the installed binary's window, update N -> N+1 on a
    // loopback feed (and a tampered one refused), dpkg --purge.
    let installed = binaries
        .ok()
        .and_then(|b| b.into_iter().find(|b| b.target == "installed"));
    step(
        &mut results,
        "installer tests",
        installer_tests(root, &fixture, installed.as_ref()),
    );
    summary(&results, &mut slowest, started)
}

/// Runs one step in the foreground and records it.
fn step(results: &mut Vec<(String, Duration, bool)>, name: &str, mut command: Command) -> bool {
    eprintln!("\n==> {name}");
    let t = Instant::now();
    let ok = run_checked(&mut command, name)
        .map_err(|e| eprintln!("xtask: {e}"))
        .is_ok();
    results.push((name.to_owned(), t.elapsed(), ok));
    ok
}

fn summary(
    results: &[(String, Duration, bool)],
    binaries: &mut [testrun::Outcome],
    started: Instant,
) -> Result<(), String> {
    eprintln!("\n==> summary");
    for (name, took, ok) in results {
        eprintln!(
            "  {} {name:<28} {:>6.1}s",
            if *ok { "ok  " } else { "FAIL" },
            took.as_secs_f64()
        );
    }
    binaries.sort_by_key(|o| std::cmp::Reverse(o.took));
    eprintln!("  slowest test binaries (they ran in lanes, side by side):");
    for o in binaries.iter().take(12) {
        eprintln!("    {:>6.1}s {}", o.took.as_secs_f64(), o.label);
    }
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| !r.2)
        .map(|r| r.0.as_str())
        .collect();
    eprintln!("  total {:.1}s", started.elapsed().as_secs_f64());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failing steps: {}", failed.join(", ")))
    }
}

/// A step running beside the others, its output in a log printed when it is waited for.
struct Background {
    child: std::io::Result<std::process::Child>,
    log: std::path::PathBuf,
    started: Instant,
}

impl Background {
    fn start(mut command: Command, logs: &Path) -> Background {
        let _ = std::fs::create_dir_all(logs);
        let log = logs.join("release-bundle.log");
        eprintln!(
            "xtask: release bundle started in the background (output: {})",
            log.display()
        );
        let child = File::create(&log).and_then(|out| {
            let err = out.try_clone()?;
            lowest_priority(&mut command)
                .stdout(out)
                .stderr(err)
                .spawn()
        });
        Background {
            child,
            log,
            started: Instant::now(),
        }
    }

    fn wait(self) -> (Duration, bool) {
        let status = self.child.and_then(|mut c| c.wait());
        let took = self.started.elapsed();
        eprint!("{}", std::fs::read_to_string(&self.log).unwrap_or_default());
        match status {
            Ok(s) if s.success() => (took, true),
            Ok(s) => {
                eprintln!("xtask: release bundle failed ({s})");
                (took, false)
            }
            Err(e) => {
                eprintln!("xtask: release bundle could not start: {e}");
                (took, false)
            }
        }
    }
}

/// `nice -n 19 <command>` where `nice` exists (Linux, macOS); the command unchanged elsewhere.
fn lowest_priority(command: &mut Command) -> &mut Command {
    if cfg!(unix) && Path::new("/usr/bin/nice").is_file() {
        let mut niced = Command::new("/usr/bin/nice");
        niced
            .args(["-n", "19"])
            .arg(command.get_program())
            .args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            niced.current_dir(dir);
        }
        for (key, value) in command.get_envs() {
            match value {
                Some(v) => niced.env(key, v),
                None => niced.env_remove(key),
            };
        }
        *command = niced;
    }
    command
}

/// This xtask binary again, as `bundle --update-fixture <fixture>`.
fn bundle_step(root: &Path, fixture: &Path) -> Command {
    let me = std::env::current_exe().unwrap_or_else(|_| "xtask".into());
    let mut command = Command::new(me);
    command
        .args(["bundle", "--ui-built", "--update-fixture"])
        .arg(fixture)
        .current_dir(root);
    command
}

/// The `installed` test target, run for its ignored (root, dpkg, fixture-needing) tests: the
/// binary `cargo test` built when there is one, otherwise through cargo.
fn installer_tests(root: &Path, fixture: &Path, built: Option<&testrun::TestBinary>) -> Command {
    let mut command = match built {
        Some(binary) => binary.command(root),
        None => {
            let mut command = cargo(root);
            command
                .args([
                    "test",
                    "--package",
                    "punte-app",
                    "--test",
                    "installed",
                    "--",
                ])
                .current_dir(root);
            command
        }
    };
    command
        .args(["--ignored", "--test-threads=1"])
        .env("PUNTE_SHIP_FIXTURE", fixture.join("fixture.json"));
    command
}

fn with(mut command: Command, args: &[&str], dir: &Path) -> Command {
    command.args(args).current_dir(dir);
    command
}
