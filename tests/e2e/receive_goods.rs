//! Scenario: goods received in billing (a NIR, from the Simulate panel) reach Shopify after
//! "Sync now": the Stock view shows billing stock and Shopify available both going up.

use std::time::{Duration, Instant};

use crate::demo::{self, tid};
use crate::harness::App;

/// A demo product with stock on both sides (the first one the Simulate panel offers, so the
/// panel's default choice receives the goods).
const PRODUCT: &str = "PNT-TRI-0001-S";

fn cell(app: &App, what: &str) -> Option<i64> {
    demo::number(&app.text_now(&tid(&format!("stock-{what}-{PRODUCT}")))?)
}

#[test]
fn received_goods_reach_shopify_after_sync_now() {
    let app = demo::launch("receive-goods");
    app.click(&tid("nav-stock"));
    // The first sync has written Shopify: available equals the target for the product.
    let (billing, available) =
        demo::wait_long(&app, "the product in sync after the first run", || {
            let a = cell(&app, "shopify")?;
            (cell(&app, "target")? == a).then_some((cell(&app, "billing")?, a))
        });
    app.screenshot("stock");

    app.click(&tid("simulate-open"));
    app.click(&tid("sim-receive-goods"));
    app.find(&tid("sim-result"));
    app.click(&tid("simulate-close"));

    // "Sync now" reads the receipt and writes Shopify; the Stock view shows Shopify's level as
    // last read, so the next sync's read shows the written value.
    app.click(&tid("sync-now"));
    demo::wait_long(
        &app,
        "the receipt in the billing stock and the target",
        || {
            let now_b = cell(&app, "billing")?;
            let target = cell(&app, "target")?;
            (now_b == billing + 1 && target == available + 1).then_some(())
        },
    );
    let mut asked = Instant::now();
    demo::wait_long(&app, "Shopify available to follow", || {
        if cell(&app, "shopify") == Some(available + 1) {
            return Some(());
        }
        // Ask again once the previous run has ended (the button is enabled again).
        if asked.elapsed() > Duration::from_secs(5)
            && app.attribute_now(&tid("sync-now"), "disabled").is_none()
        {
            app.click(&tid("sync-now"));
            asked = Instant::now();
        }
        None
    });
    app.screenshot("stock-after-receipt");
}
