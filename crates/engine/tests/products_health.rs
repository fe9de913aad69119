//! The products health check on the connected shop (issue 15): both catalogues read through
//! the real clients over loopback, sorted into the six groups, and nothing written to Shopify.

mod common;

use common::*;
use punte_core::health::HealthGroup;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_health_check_matches_both_catalogues_and_writes_nothing() {
    let w = world(3, 0, 10, 1.0).await;
    let r = start(&w);
    let report = r.engine.products_health().await.expect("health check");
    assert_eq!(report.rows(HealthGroup::Matched).len(), 3, "{report:?}");
    assert_eq!(report.shopify_variants, 3);
    assert_eq!(report.billing_products, 3);
    for g in HealthGroup::ALL
        .into_iter()
        .filter(|g| *g != HealthGroup::Matched)
    {
        assert!(report.rows(g).is_empty(), "{g:?}: {report:?}");
    }
    // Nothing was written: the plan still moves every level from 0 to 10.
    let plan = r.engine.preview_sync().await.expect("preview");
    assert_eq!(plan.writes.len(), 3, "{plan:?}");
}
