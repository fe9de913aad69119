//! `cargo test --workspace`, built once and run in lanes. Most test binaries spend their time
//! waiting on real time (end-to-end windows, SIGKILL crash loops, rate-limit pacing) while the
//! CPU idles, and cargo runs them one after another; here they are built with
//! `cargo test --workspace --no-fail-fast --no-run`, their paths read from cargo's JSON messages,
//! and run by [`LANES`] workers taking the longest first, the end-to-end binary in a lane of its
//! own (it drives Xvfb and WebKit windows, one at a time). Each binary runs as cargo would run it
//! (from its package's folder, with the `CARGO_*` variables), its output is printed in one piece
//! when it ends, and the step fails if any binary or the doctests fail. The binaries are kept for
//! the installer tests, which then reuse this build instead of building `-p punte-app` again
//! (that selection unifies fewer features, e.g. tokio without `test-util`, so cargo would rebuild
//! tokio, tauri and every workspace crate in debug).

use std::collections::VecDeque;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::steps::cargo;

/// Workers for the test binaries besides the end-to-end lane: the machine has two cores.
const LANES: usize = 2;

/// Binaries that took longest (`package/target`), started first; the rest follow by name.
/// Measured 2026-12-04 (docs/PERFORMANCE.md, "CI time"): crash 107 s, ipc_errors 76 s,
/// freshness 53 s, credit 33 s, lifecycle 27 s, ipc_profile 25 s, store crash 18 s, then 11-16 s.
const LONGEST_FIRST: &[&str] = &[
    "punte-engine/crash",
    "punte-app/ipc_errors",
    "punte-engine/freshness",
    "punte-billing/credit",
    "punte-engine/lifecycle",
    "punte-app/ipc_profile",
    "punte-store/crash",
    "punte-engine/paged",
    "punte-engine/invoice_lane",
    "punte-engine/refunds",
    "punte-engine/collections",
];

/// One test executable cargo built, with what is needed to run it as `cargo test` would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestBinary {
    pub package: String,
    pub version: String,
    /// The target's name (`e2e`, `crash`, or the crate name for unit tests).
    pub target: String,
    pub kind: String,
    pub path: PathBuf,
    pub manifest: PathBuf,
}

impl TestBinary {
    pub fn label(&self) -> String {
        format!("{}/{} ({})", self.package, self.target, self.kind)
    }

    /// The binary as `cargo test` runs it: from the package's folder, with cargo's variables.
    pub fn command(&self, root: &Path) -> Command {
        let mut command = Command::new(&self.path);
        let dir = self.manifest.parent().unwrap_or(root);
        let deps = self.path.parent().unwrap_or(root);
        let mut libs = std::ffi::OsString::from(deps);
        if let Some(old) = std::env::var_os("LD_LIBRARY_PATH") {
            libs.push(":");
            libs.push(old);
        }
        command
            .current_dir(dir)
            .env("CARGO_MANIFEST_DIR", dir)
            .env("CARGO_MANIFEST_PATH", &self.manifest)
            .env("CARGO_PKG_NAME", &self.package)
            .env("CARGO_PKG_VERSION", &self.version)
            .env("LD_LIBRARY_PATH", libs);
        if let Some(cargo) = std::env::var_os("CARGO") {
            command.env("CARGO", cargo);
        }
        command
    }
}

/// Builds every test target of the workspace (as `cargo test --workspace` does) and lists them.
pub fn build(root: &Path) -> Result<Vec<TestBinary>, String> {
    build_with(cargo(root))
}

/// [`build`] with the cargo command given (the tests pass a stand-in that fails).
fn build_with(mut cargo: Command) -> Result<Vec<TestBinary>, String> {
    let output = cargo
        .args(["test", "--workspace", "--no-fail-fast", "--no-run"])
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cargo test --no-run: could not start: {e}"))?;
    let binaries = parse_artifacts(&String::from_utf8_lossy(&output.stdout));
    if !output.status.success() {
        return Err(format!("cargo test --no-run failed ({})", output.status));
    }
    if binaries.is_empty() {
        return Err("cargo test --no-run listed no test binary".into());
    }
    Ok(binaries)
}

/// The test executables in cargo's JSON messages (`compiler-artifact` with a test profile).
pub fn parse_artifacts(stdout: &str) -> Vec<TestBinary> {
    stdout
        .lines()
        .filter(|l| l.contains(r#""reason":"compiler-artifact""#))
        .filter_map(|line| {
            let profile = line.split(r#""profile":{"#).nth(1)?;
            if !profile.split('}').next()?.contains(r#""test":true"#) {
                return None;
            }
            let target = line.split(r#""target":{"#).nth(1)?;
            let kind = target.split(r#""kind":[""#).nth(1)?.split('"').next()?;
            let (package, version) = package_of(&string_field(line, "package_id")?)?;
            Some(TestBinary {
                package,
                version,
                target: string_field(target, "name")?,
                kind: kind.to_owned(),
                path: PathBuf::from(string_field(line, "executable")?),
                manifest: PathBuf::from(string_field(line, "manifest_path")?),
            })
        })
        .collect()
}

/// The first `"key":"value"` in a JSON text, unescaped (only `\\`, `\"` and `\/` occur in paths).
fn string_field(json: &str, key: &str) -> Option<String> {
    let rest = json.split(&format!(r#""{key}":""#)).nth(1)?;
    let mut value = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => value.push(chars.next()?),
            c => value.push(c),
        }
    }
    None
}

/// Name and version from a package id: `path+file:///dir/crates/core#punte-core@0.1.0`, or
/// `path+file:///dir/xtask#0.1.0` when the name is the folder's.
fn package_of(id: &str) -> Option<(String, String)> {
    let (url, fragment) = id.rsplit_once('#')?;
    match fragment.split_once('@') {
        Some((name, version)) => Some((name.to_owned(), version.to_owned())),
        None => Some((url.rsplit('/').next()?.to_owned(), fragment.to_owned())),
    }
}

/// What one job did, for the summary.
pub struct Outcome {
    pub label: String,
    pub took: Duration,
    pub ok: bool,
}

/// A job of the run: a test binary, or the doctests (`cargo test --workspace --doc`).
struct Job {
    label: String,
    command: Command,
}

/// The queue for the shared lanes, longest first, and the jobs of the end-to-end lane.
fn plan(root: &Path, binaries: &[TestBinary]) -> (Vec<Job>, Vec<Job>) {
    let mut sorted: Vec<&TestBinary> = binaries.iter().collect();
    sorted.sort_by_key(|b| (rank(b), b.label()));
    let job = |b: &TestBinary| Job {
        label: b.label(),
        command: b.command(root),
    };
    let (e2e, rest): (Vec<&TestBinary>, Vec<&TestBinary>) =
        sorted.into_iter().partition(|b| b.target == "e2e");
    let mut shared: Vec<Job> = rest.into_iter().map(job).collect();
    let mut doc = cargo(root);
    doc.args(["test", "--workspace", "--doc"]);
    shared.push(Job {
        label: "doctests (cargo test --workspace --doc)".into(),
        command: doc,
    });
    (shared, e2e.into_iter().map(job).collect())
}

fn rank(binary: &TestBinary) -> usize {
    let key = format!("{}/{}", binary.package, binary.target);
    LONGEST_FIRST
        .iter()
        .position(|k| *k == key)
        .unwrap_or(LONGEST_FIRST.len())
}

/// Runs every binary (and the doctests) in the lanes; the outcomes in the order they ended.
pub fn run(root: &Path, binaries: &[TestBinary], logs: &Path) -> Vec<Outcome> {
    let (shared, e2e) = plan(root, binaries);
    run_lanes(shared, e2e, logs)
}

/// [`LANES`] workers on the shared queue and one on the end-to-end jobs.
fn run_lanes(shared: Vec<Job>, e2e: Vec<Job>, logs: &Path) -> Vec<Outcome> {
    let queue = Mutex::new(VecDeque::from(shared));
    let e2e = Mutex::new(VecDeque::from(e2e));
    let outcomes = Mutex::new(Vec::new());
    let _ = std::fs::create_dir_all(logs);
    std::thread::scope(|scope| {
        for lane in 0..=LANES {
            let source = if lane == LANES { &e2e } else { &queue };
            let outcomes = &outcomes;
            scope.spawn(move || {
                loop {
                    // Its own statement: the queue's guard must not live while the job runs (in
                    // a `while let` scrutinee it would, and the lanes would take turns).
                    let next = source.lock().expect("queue").pop_front();
                    let Some(job) = next else { break };
                    let outcome = run_job(job, logs, lane);
                    outcomes.lock().expect("outcomes").push(outcome);
                }
            });
        }
    });
    outcomes.into_inner().expect("outcomes")
}

/// Runs one job with its output in a log file, then prints that output in one piece.
fn run_job(mut job: Job, logs: &Path, lane: usize) -> Outcome {
    let file_name: String = job
        .label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let log_path = logs.join(format!("{file_name}.log"));
    eprintln!("xtask: lane {lane} starts {}", job.label);
    let started = Instant::now();
    let status = File::create(&log_path)
        .and_then(|log| Ok((log.try_clone()?, log)))
        .and_then(|(out, err)| job.command.stdout(out).stderr(err).status());
    let took = started.elapsed();
    let ok = status.as_ref().is_ok_and(|s| s.success());
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let verdict = match &status {
        Ok(s) if s.success() => "ok".to_owned(),
        Ok(s) => format!("FAILED ({s})"),
        Err(e) => format!("FAILED (could not start: {e})"),
    };
    // One eprintln! call holds the stderr lock, so two lanes' outputs never interleave.
    eprintln!(
        "\n---- {} ----\n{text}---- {}: {verdict} in {:.1}s ----",
        job.label,
        job.label,
        took.as_secs_f64()
    );
    Outcome {
        label: job.label,
        took,
        ok,
    }
}

#[cfg(test)]
mod tests;
