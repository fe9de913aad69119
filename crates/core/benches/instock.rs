//! InStock allocation at shop scale: 100,000 open orders × 3 lines over 20,000 products
//! (target ≤ 50 ms on the 2-core dev machine), measured three ways so each figure says what it
//! covers: `allocate` on `Order`s (everything), building the compact [`AllocationInput`] from
//! the `Order`s alone, and the compact entry point alone (`allocate_input` plus rendering every
//! verdict with `into_report`), which is what runs when the input comes from the store's rows.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use punte_core::instock::{AllocationInput, allocate, allocate_input};

mod fixtures;

fn instock(c: &mut Criterion) {
    let (levels, orders) = fixtures::instock_world(100_000, 20_000);
    let report = allocate(&levels, &orders);
    let fitting = report.in_stock().len();
    eprintln!(
        "instock fixture: {fitting} of {} orders InStock",
        orders.len()
    );
    c.bench_function("instock_allocate_100k_orders_x3_20k_products", |b| {
        b.iter(|| allocate(black_box(&levels), black_box(&orders)))
    });
    c.bench_function("instock_build_input_from_orders_100k", |b| {
        b.iter(|| AllocationInput::from_orders(black_box(&levels), black_box(&orders)))
    });
    let input = AllocationInput::from_orders(&levels, &orders);
    assert_eq!(allocate_input(&input).into_report(&input), report);
    c.bench_function("instock_allocate_input_and_report_100k", |b| {
        b.iter(|| allocate_input(black_box(&input)).into_report(black_box(&input)))
    });
    c.bench_function("instock_allocate_input_only_100k", |b| {
        b.iter(|| allocate_input(black_box(&input)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = instock
}
criterion_main!(benches);
