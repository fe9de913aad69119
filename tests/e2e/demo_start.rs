//! Scenario: a first start with no connection opens the demo shop: the banner says the data is
//! simulated and the orders of the demo shop are imported into the list.

use crate::demo::{self, tid};

/// "ok" when the Status header of the products table lies inside the window, inside its card
/// (nothing to scroll sideways) and clear of the preview/history panels; otherwise what is wrong.
const STATUS_COLUMN_CHECK: &str = r#"
const th = document.querySelector('[data-testid="stock-table"] thead th:last-child');
const card = th.closest('.card');
const side = document.querySelector('.side');
const a = th.getBoundingClientRect(), c = card.getBoundingClientRect(), s = side.getBoundingClientRect();
if (a.right > window.innerWidth) return `past the window: ${a.right} > ${window.innerWidth}`;
if (a.right > c.right) return `past its card: ${a.right} > ${c.right}`;
const scroller = th.closest('.scroll');
if (scroller.scrollWidth > scroller.clientWidth) return `scrolls sideways: ${scroller.scrollWidth} > ${scroller.clientWidth}`;
const clear = a.right <= s.left || a.left >= s.right || a.bottom <= s.top || a.top >= s.bottom;
return clear ? 'ok' : `under the side panel: ${JSON.stringify(a)} ${JSON.stringify(s)}`;
"#;

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
    app.wait_for("the products table", || {
        app.attribute_now(&tid("stock-row"), "data-code")
    });
    app.screenshot("stock");
    // Every column of the products table stays visible beside or under the side panels, at the
    // common laptop sizes (the Status column used to slide under the preview panel).
    for (width, height) in [(1280, 800), (1024, 768)] {
        app.set_window_size(width, height);
        let overlap = app.execute(STATUS_COLUMN_CHECK);
        assert_eq!(
            overlap,
            serde_json::json!("ok"),
            "at {width}x{height} the Status column must be visible and clear of the side panel"
        );
        app.screenshot(&format!("stock-{width}x{height}"));
    }
    app.set_window_size(1100, 720);

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
