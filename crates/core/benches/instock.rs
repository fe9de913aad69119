//! InStock allocation at shop scale: 100,000 open orders × 3 lines over 20,000 products
//! (target ≤ 50 ms on the 2-core dev machine).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use punte_core::instock::allocate;

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
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = instock
}
criterion_main!(benches);
