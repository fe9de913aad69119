//! Sync planning at shop scale: 100,000 matched products (target ≤ 100 ms on the 2-core dev
//! machine), plus matching 100,000 variants to billing products for context.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use punte_core::matching::match_products;
use punte_core::plan::{PlanInput, plan_sync};
use punte_core::product::{BillingProduct, CodeSource, ShopifyVariant};
use rust_decimal::Decimal;

mod fixtures;

fn plan(c: &mut Criterion) {
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
    eprintln!(
        "plan fixture: {} writes of 100000",
        plan_sync(&input).writes.len()
    );
    c.bench_function("plan_sync_100k_products", |b| {
        b.iter(|| plan_sync(black_box(&input)))
    });

    let variants: Vec<ShopifyVariant> = world
        .catalog
        .matched
        .iter()
        .map(|p| ShopifyVariant {
            variant_id: p.variant_id,
            inventory_item_id: p.inventory_item_id,
            title: String::new(),
            sku: Some(p.code.0.clone()),
            barcode: None,
            tracked: true,
        })
        .collect();
    let billing: Vec<BillingProduct> = world
        .catalog
        .matched
        .iter()
        .map(|p| BillingProduct {
            vat_rate: None,
            code: p.code.clone(),
            name: String::new(),
            stock: Decimal::from(p.billing_stock),
        })
        .collect();
    c.bench_function("match_products_100k", |b| {
        b.iter(|| match_products(CodeSource::Sku, black_box(&variants), black_box(&billing)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = plan
}
criterion_main!(benches);
