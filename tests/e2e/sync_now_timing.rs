//! Measurement, not a check (run with `--ignored`; the figures go to docs/PERFORMANCE.md): how
//! long Sync now takes on a small connected shop, from the click to the "finished" notice in
//! the window. Seven products in Shopify and SmartBill (the simulators with Shopify's standard
//! cost bucket, 2,000 points restored at 100 per second), connected through Profile; five
//! clicks, each after the previous run ended.
//! `cargo test -p punte-app --test e2e sync_now_timing -- --ignored --nocapture`

use punte_sim::SimOptions;
use serde_json::json;

use crate::profile_steps::Services;
use crate::real_shop::{self, control};

#[test]
#[ignore = "a measurement for docs/PERFORMANCE.md, not a check"]
fn sync_now_timing() {
    let services = Services::start_with(SimOptions::default());
    let products: Vec<_> = (1..=7)
        .map(|i| {
            json!({"title": format!("Produs {i}"), "variants": [{"title": "Default Title",
            "sku": format!("SMALL-{i}"), "price": "50.00", "stock": 3}]})
        })
        .collect();
    control(
        &services.shop,
        "/shopify/seed",
        json!({"products": products}),
    );
    let articles: Vec<_> = (1..=7)
        .map(|i| {
            json!({"code": format!("SMALL-{i}"), "name": format!("Produs {i}"),
            "unit": "buc", "price": "50.00", "vat_percent": 21, "stock": "5"})
        })
        .collect();
    control(
        &services.bill,
        "/billing/seed",
        json!({"warehouse": punte_sim::demo::WAREHOUSE, "articles": articles}),
    );
    let root = tempfile::Builder::new()
        .prefix("punte-e2e-timing-")
        .tempdir()
        .expect("temp");
    let app = real_shop::connect("sync-now-timing", &services, root.path(), &[], false);
    let mut times = Vec::new();
    for _ in 0..5 {
        let (notice, took) = real_shop::sync_now(&app);
        eprintln!("sync_now_timing: {:.2} s — {notice}", took.as_secs_f64());
        times.push(took.as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    eprintln!(
        "sync_now_timing: 7 products, 5 clicks: median {:.2} s, min {:.2} s, max {:.2} s",
        times[2], times[0], times[4]
    );
}
