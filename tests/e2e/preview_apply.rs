//! Scenario: after goods are received, "Preview sync" lists the planned change for the product
//! without writing it; "Apply" writes it and Shopify's available follows in the Stock view.

use crate::demo::{self, tid};
use crate::harness::App;

/// The Simulate panel's default product (its first one).
const PRODUCT: &str = "PNT-TRI-0001-S";

fn shopify(app: &App) -> Option<i64> {
    demo::number(&app.text_now(&tid(&format!("stock-shopify-{PRODUCT}")))?)
}

#[test]
fn preview_then_apply_a_sync() {
    let app = demo::launch("preview-apply");
    app.click(&tid("nav-stock"));
    let available = demo::wait_long(&app, "the product in sync after the first run", || {
        let a = shopify(&app)?;
        let target = demo::number(&app.text_now(&tid(&format!("stock-target-{PRODUCT}")))?)?;
        (target == a).then_some(a)
    });

    app.click(&tid("simulate-open"));
    app.click(&tid("sim-receive-goods"));
    app.find(&tid("sim-result"));
    app.click(&tid("simulate-close"));

    app.click(&tid("stock-preview"));
    let row = format!("[data-testid=\"stock-plan-row\"][data-code=\"{PRODUCT}\"]");
    demo::wait_long(&app, "the planned change for the product", || {
        app.text_now(&row)
    });
    assert_eq!(shopify(&app), Some(available), "a preview writes nothing");
    app.screenshot("preview");

    app.click(&tid("stock-apply"));
    app.find(&tid("stock-apply-result"));
    demo::wait_long(&app, "Shopify available to follow the applied sync", || {
        (shopify(&app)? == available + 1).then_some(())
    });
    app.screenshot("applied");
}
