//! Cold start and memory of the real app binary under Xvfb (no WebDriver in the way): the time
//! from spawning the process to the UI's first call to the backend (the status bar's
//! `app_status`, made once the Svelte app is mounted, i.e. its DOM is in the page; the paint
//! follows within a frame), and the resident memory of the app process (and of its WebKit
//! helper processes) 10 s later, after the first sync and the first page of orders. Two shops:
//! the demo shop at first start (empty `demo.db`), and a connected shop with 100,000 orders in
//! `punte.db` (Shopify and SmartBill saved once through Profile against loopback simulators,
//! secrets in a test keyring; see benches/shop); each run checks from the app's log which shop
//! it started on and fails if it is the wrong one.
//! `cargo bench -p punte-app --bench startup` (needs Xvfb, WebKitWebDriver and tauri-driver for
//! the one Profile save, gnome-keyring; `PUNTE_BENCH_RUNS`, default 5). `PUNTE_APP_BIN` times
//! another build of the app, e.g. `/usr/bin/punte-app` as the `.deb` installed it.

#[path = "shop/desktop.rs"]
mod desktop;
#[allow(dead_code)]
#[path = "../../tests/e2e/harness/mod.rs"]
mod harness;
mod seed;
mod shop;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn tool(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Resident kB of `pid` (`VmRSS`, or `VmHWM` for the peak) from /proc.
fn kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Every descendant of `pid`.
fn descendants(pid: u32) -> Vec<u32> {
    let mut all = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            let ppid = stat
                .rsplit(')')
                .next()
                .and_then(|rest| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(parent) {
                all.push(child);
                frontier.push(child);
            }
        }
    }
    all
}

/// Proportional set size in kB (`Pss` of smaps_rollup): shared library pages divided among the
/// processes that map them, so app + helpers add up without counting libwebkit2gtk twice.
fn pss_kb(pid: u32) -> u64 {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    rollup
        .lines()
        .find(|l| l.starts_with("Pss:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

struct Run {
    first_call: Duration,
    app_rss_mb: f64,
    app_peak_mb: f64,
    tree_rss_mb: f64,
    app_anon_mb: f64,
    app_pss_mb: f64,
    tree_pss_mb: f64,
}

/// One start with `env` (at least `PUNTE_DATA_DIR`); `connected`: must start on the saved shop
/// (else on the demo shop).
fn one_run(display: &str, env: &[(&'static str, String)], connected: bool) -> Run {
    let app = std::env::var("PUNTE_APP_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_punte-app").to_owned());
    let mut command = match tool("dbus-run-session") {
        Some(dbus) => {
            let mut c = Command::new(dbus);
            c.arg("--").arg(&app);
            c
        }
        None => Command::new(&app),
    };
    command
        .env("DISPLAY", display)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("PUNTE_LOG", "info,punte_app::commands=debug")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    let mut child = command.spawn().expect("start the app");
    let stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    let (shop_tx, shop_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("app_status") {
                let _ = tx.send(Instant::now());
            }
            if line.contains("starting on the saved shop") {
                let _ = shop_tx.send(true);
            } else if line.contains("demo shop started") {
                let _ = shop_tx.send(false);
            }
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the UI called the backend within 60 s");
    std::thread::sleep(Duration::from_secs(10));
    let on_shop = shop_rx
        .try_recv()
        .expect("the app's log says which shop it started on");
    assert_eq!(
        on_shop,
        connected,
        "wrong shop: started on the {} shop",
        if on_shop { "saved" } else { "demo" }
    );
    let tree = descendants(child.id());
    let app_pid = tree
        .iter()
        .copied()
        .chain([child.id()])
        .find(|p| comm(*p) == "punte-app")
        .expect("the punte-app process");
    let helper_pids = descendants(app_pid);
    let helpers: u64 = helper_pids.iter().map(|p| kb(*p, "VmRSS:")).sum();
    let helpers_pss: u64 = helper_pids.iter().map(|p| pss_kb(*p)).sum();
    let run = Run {
        first_call: first - started,
        app_rss_mb: kb(app_pid, "VmRSS:") as f64 / 1024.0,
        app_peak_mb: kb(app_pid, "VmHWM:") as f64 / 1024.0,
        tree_rss_mb: (kb(app_pid, "VmRSS:") + helpers) as f64 / 1024.0,
        app_anon_mb: kb(app_pid, "RssAnon:") as f64 / 1024.0,
        app_pss_mb: pss_kb(app_pid) as f64 / 1024.0,
        tree_pss_mb: (pss_kb(app_pid) + helpers_pss) as f64 / 1024.0,
    };
    // The app was started in a process group of its own: end that group, WebKit helpers too.
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
    run
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runs: usize = std::env::var("PUNTE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let services = shop::Services::start();
    let desktop = desktop::Desktop::new();
    let connected = desktop.save_connections(&services, &seed::database());
    let display = harness::processes::Xvfb::start();
    println!(
        "| shop | spawn → first UI call (median, min–max) | app RSS at +10 s | of which anonymous | app peak RSS | app PSS | app + WebKit helpers RSS | app + helpers PSS |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (label, seeded) in [
        ("demo shop, empty demo store", false),
        ("connected shop, 100,000 orders in the store", true),
    ] {
        let mut all = Vec::new();
        for run in 0..runs {
            if seeded {
                desktop.fresh_data(&connected);
                let env = desktop.env(&services, &format!("run{run}"));
                all.push(one_run(display.name(), &env, true));
            } else {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let env = [("PUNTE_DATA_DIR", dir.path().display().to_string())];
                all.push(one_run(display.name(), &env, false));
            }
        }
        let starts: Vec<f64> = all
            .iter()
            .map(|r| r.first_call.as_secs_f64() * 1000.0)
            .collect();
        let (lo, hi) = starts
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        println!(
            "| {label} | {:.0} ms ({lo:.0}–{hi:.0}) | {:.0} MB | {:.0} MB | {:.0} MB | {:.0} MB | {:.0} MB | {:.0} MB |",
            median(starts.clone()),
            median(all.iter().map(|r| r.app_rss_mb).collect()),
            median(all.iter().map(|r| r.app_anon_mb).collect()),
            median(all.iter().map(|r| r.app_peak_mb).collect()),
            median(all.iter().map(|r| r.app_pss_mb).collect()),
            median(all.iter().map(|r| r.tree_rss_mb).collect()),
            median(all.iter().map(|r| r.tree_pss_mb).collect()),
        );
    }
}
