//! Memory growth of InStock allocation and sync planning: runs each size in a fresh child
//! process and reports peak RSS (VmHWM, Linux) after building the inputs and after running
//! `allocate` and `plan_sync` on them; the difference is their working memory, which must
//! grow linearly.
//! Run with `cargo bench -p punte-core --bench memory`.

use std::process::Command;

use punte_core::instock::allocate;
use punte_core::plan::{PlanInput, plan_sync};

mod fixtures;

const SIZES: [u64; 4] = [25_000, 50_000, 100_000, 200_000];

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Builds and runs one size: `n` orders × 3 lines over n/5 products, and a plan over n products.
fn child(n: u64) {
    let (levels, orders) = fixtures::instock_world(n, n / 5);
    let world = fixtures::plan_world(n);
    let inputs = peak_rss_kib();
    let report = allocate(&levels, &orders);
    let plan = plan_sync(&PlanInput {
        catalog: &world.catalog,
        levels: &world.levels,
        reservations: &world.reservations,
        billing: &world.billing,
        previous_billing_products: None,
        scope: None,
        settings: &world.settings,
    });
    let peak = peak_rss_kib();
    println!(
        "{peak} {inputs} {} {}",
        report.verdicts.len(),
        plan.writes.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(n) = args
        .iter()
        .position(|a| a == "--child")
        .and_then(|i| args.get(i + 1))
    {
        child(n.parse().expect("--child takes a size"));
        return;
    }
    let exe = std::env::current_exe().expect("the bench knows its own path");
    println!(
        "{:>9} {:>13} {:>13} {:>14} {:>14}",
        "orders", "inputs MiB", "peak MiB", "work MiB", "work KiB/order"
    );
    let mut previous: Option<(u64, u64)> = None;
    for n in SIZES {
        let out = Command::new(&exe)
            .args(["--child", &n.to_string()])
            .output()
            .expect("child ran");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut fields = text
            .split_whitespace()
            .map(|v| v.parse::<u64>().unwrap_or(0));
        let (peak, inputs) = (fields.next().unwrap_or(0), fields.next().unwrap_or(0));
        let work = peak.saturating_sub(inputs);
        let growth = previous.map_or(String::new(), |(pn, pw)| {
            let per = work.saturating_sub(pw) as f64 / (n - pn) as f64;
            format!("  (+{per:.2} KiB per extra order)")
        });
        let mib = |k: u64| k as f64 / 1024.0;
        println!(
            "{n:>9} {:>13.1} {:>13.1} {:>14.1} {:>14.3}{growth}",
            mib(inputs),
            mib(peak),
            mib(work),
            work as f64 / n as f64
        );
        let peak = work;
        previous = Some((n, peak));
    }
}
