//! Scenario: a first start with no connection opens the demo shop: the banner says the data is
//! simulated and the orders of the demo shop are imported into the list.

use crate::demo::{self, tid};

#[test]
fn first_start_opens_the_demo_shop_with_its_orders() {
    let app = demo::launch("demo-start");

    let banner = app.text(&tid("demo-banner"));
    assert!(
        !banner.trim().is_empty(),
        "the demo banner must say the data is simulated"
    );
    let count = app.wait_for("the order count", || {
        app.text_now(&tid("orders-count"))
            .filter(|t| demo::number(t).is_some_and(|n| n > 0))
    });
    assert!(
        demo::number(&count).unwrap_or(0) >= 10,
        "demo orders imported: {count}"
    );
    app.screenshot("orders");

    app.click(&tid("simulate-open"));
    app.find(&tid("simulate-panel"));
    app.screenshot("simulate");
    app.click(&tid("simulate-close"));

    app.click(&tid("nav-stock"));
    app.find(&tid("stock-findings"));
    app.wait_for("the catalogue findings of the demo shop", || {
        app.attribute_now(&tid("finding"), "data-kind")
    });
    app.screenshot("stock");

    app.click(&tid("nav-activity"));
    app.wait_for("the first sync run in Activity", || {
        app.attribute_now(&tid("run-row"), "data-run-id")
    });
    app.wait_for(
        "the stock writes of the first run in the audit trail",
        || app.text_now(&tid("audit-row")),
    );
    app.screenshot("activity");
    app.click(&tid("nav-profile"));
    app.find(&tid("view-profile"));
    app.screenshot("profile");
}
