//! The engine's InStock path on a real SQLite file: 100,000 reserving orders × 3 lines over
//! 20,000 products (plus about 10,000 closed orders the query must skip), timed in its three parts:
//! the SQL read that builds the compact input (`Store::instock_input`), the walk with every
//! verdict rendered (`allocate_input` + `into_report`) and writing the verdicts
//! (`record_in_stock`). For comparison, the `Order`-based path the engine used before
//! (`reserving_orders` + `allocate`). A plain timing binary (min and median of repeated runs):
//! `cargo bench -p punte-store --bench instock`. The database is kept in the temp dir (or
//! `PUNTE_BENCH_INSTOCK_DB`) and reused; `PUNTE_BENCH_RUNS` sets the runs (default 11).

mod instock_data;

use std::time::{Duration, Instant};

use instock_data::{PRODUCTS, RESERVING, database, levels};
use punte_core::instock::{allocate, allocate_input};
use punte_store::Store;

fn timed<T>(times: &mut Vec<Duration>, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    times.push(t.elapsed());
    out
}

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "min {:.1} / median {:.1} ms",
        ms(times[0]),
        ms(times[times.len() / 2])
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runs: usize = std::env::var("PUNTE_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(11);
    let path = database();
    let mut store = Store::open(&path).unwrap();
    let levels = levels();

    // The same report both ways, once, before timing.
    let input = store.instock_input(&levels).unwrap();
    let report = allocate_input(&input).into_report(&input);
    assert_eq!(
        report,
        allocate(&levels, &store.reserving_orders().unwrap())
    );
    assert_eq!(input.orders() as u64, RESERVING);
    let fit = report.in_stock().len();

    let (mut read, mut walk, mut walk_only, mut record, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut old_read, mut old_walk) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let input = timed(&mut read, || store.instock_input(&levels).unwrap());
        let report = timed(&mut walk, || allocate_input(&input).into_report(&input));
        timed(&mut record, || store.record_in_stock(&report).unwrap());
        total.push(t.elapsed());
        drop(timed(&mut walk_only, || allocate_input(&input)));
        let orders = timed(&mut old_read, || store.reserving_orders().unwrap());
        drop(timed(&mut old_walk, || allocate(&levels, &orders)));
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "InStock path, {RESERVING} reserving orders x 3 lines / {PRODUCTS} products \
         ({fit} InStock), {:.0} MB file, {runs} runs",
        size as f64 / 1e6
    );
    println!("| step | time |");
    println!("|---|---|");
    println!("| SQL read + build, `instock_input` | {} |", stats(read));
    println!(
        "| allocate, `allocate_input` + `into_report` | {} |",
        stats(walk)
    );
    println!("| of which `allocate_input` alone | {} |", stats(walk_only));
    println!(
        "| `record_in_stock` (100,000 UPDATEs, one transaction) | {} |",
        stats(record)
    );
    println!("| **total** | {} |", stats(total));
    println!("| before: `reserving_orders` | {} |", stats(old_read));
    println!(
        "| before: `allocate(&levels, &orders)` | {} |",
        stats(old_walk)
    );
}
