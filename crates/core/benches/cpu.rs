//! CPU time per call of `allocate` and `plan_sync` at the benchmark sizes, next to wall time
//! and the fastest single call. On a shared 2-core machine criterion's wall-clock figures
//! include time spent waiting for a core while other builds run; CPU time does not.
//! Run with `cargo bench -p punte-core --bench cpu`.
//!
//! InStock is timed whole (`allocate` on `Order`s) and in its parts: building the compact
//! `AllocationInput` from the `Order`s, and the compact entry point (`allocate_input`, then
//! rendering every verdict).
//!
//! `PUNTE_BENCH_INSTOCK_CALLS=n` builds the InStock inputs, calls `allocate` n times and exits
//! (`PUNTE_BENCH_INSTOCK_PART=input|walk|report` calls only that part): under `perf stat` that
//! gives page faults and user/system time per call; under
//! `valgrind --tool=callgrind --toggle-collect='*instock*allocate*'` an instruction count,
//! which the load of a shared machine cannot change.

use std::hint::black_box;
use std::time::Instant;

use punte_core::instock::{AllocationInput, allocate, allocate_input};
use punte_core::plan::{PlanInput, plan_sync};

mod fixtures;

const ROUNDS: u32 = 30;

/// utime + stime of this process in seconds (Linux /proc, clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn measure(name: &str, mut run: impl FnMut()) {
    run(); // warm up
    let (cpu, wall) = (cpu_seconds(), Instant::now());
    let mut fastest = f64::MAX;
    for _ in 0..ROUNDS {
        let one = Instant::now();
        run();
        fastest = fastest.min(one.elapsed().as_secs_f64() * 1000.0);
    }
    let cpu_ms = (cpu_seconds() - cpu) * 1000.0 / f64::from(ROUNDS);
    let wall_ms = wall.elapsed().as_secs_f64() * 1000.0 / f64::from(ROUNDS);
    println!(
        "{name:<46} cpu {cpu_ms:>6.1} ms/call  wall {wall_ms:>6.1} ms/call  fastest {fastest:>6.1} ms"
    );
}

fn main() {
    let (levels, orders) = fixtures::instock_world(100_000, 20_000);
    if let Ok(calls) = std::env::var("PUNTE_BENCH_INSTOCK_CALLS") {
        let input = AllocationInput::from_orders(&levels, &orders);
        let allocation = allocate_input(&input);
        let part = std::env::var("PUNTE_BENCH_INSTOCK_PART").unwrap_or_default();
        for _ in 0..calls.parse::<u32>().unwrap_or(1) {
            match part.as_str() {
                "input" => drop(black_box(AllocationInput::from_orders(&levels, &orders))),
                "walk" => drop(black_box(allocate_input(black_box(&input)))),
                "report" => drop(black_box(allocation.clone().into_report(black_box(&input)))),
                _ => drop(black_box(allocate(black_box(&levels), black_box(&orders)))),
            }
        }
        return;
    }
    measure("instock_allocate_100k_orders_x3_20k_products", || {
        black_box(allocate(black_box(&levels), black_box(&orders)));
    });
    measure("instock_build_input_from_orders", || {
        black_box(AllocationInput::from_orders(
            black_box(&levels),
            black_box(&orders),
        ));
    });
    let input = AllocationInput::from_orders(&levels, &orders);
    measure("instock_allocate_input", || {
        black_box(allocate_input(black_box(&input)));
    });
    measure("instock_allocate_input_and_report", || {
        black_box(allocate_input(black_box(&input)).into_report(black_box(&input)));
    });
    let world = fixtures::plan_world(100_000);
    let input = PlanInput {
        catalog: &world.catalog,
        levels: &world.levels,
        reservations: &world.reservations,
        billing: &world.billing,
        previous_billing_products: Some(100_000),
        scope: None,
        settings: &world.settings,
    };
    measure("plan_sync_100k_products", || {
        black_box(plan_sync(black_box(&input)));
    });
}
