//! Scenario: issuing an invoice for an open order in the demo shop makes the order Invoiced, in
//! its detail and in the list, and the invoice takes the goods out of the billing warehouse:
//! after "Sync now" the Stock view's billing column for the order's product has fallen by the
//! quantity ordered.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::demo::{self, tid};
use crate::harness::App;

/// The open order's lines as (code, total quantity), read from its detail.
fn lines(app: &App) -> BTreeMap<String, i64> {
    let rows = app.execute(
        r#"return [...document.querySelectorAll('[data-testid="order-line"]')]
             .map((r) => [r.dataset.code ?? '', Number(r.dataset.quantity)]);"#,
    );
    let mut by_code = BTreeMap::new();
    for row in rows.as_array().expect("a list of lines") {
        let code = row[0].as_str().unwrap_or_default();
        if !code.is_empty() {
            *by_code.entry(code.to_owned()).or_default() += row[1].as_i64().unwrap_or(0);
        }
    }
    by_code
}

fn billing(app: &App, code: &str) -> Option<i64> {
    demo::number(&app.text_now(&tid(&format!("stock-billing-{code}")))?)
}

#[test]
fn issuing_an_invoice_makes_the_order_invoiced_and_billing_stock_fall() {
    let app = demo::launch("invoice");
    let id = demo::open_an_open_order(&app);
    app.find(&tid("order-line"));
    let ordered = lines(&app);
    let (code, quantity) = ordered
        .iter()
        .find(|(_, q)| **q > 0)
        .map(|(c, q)| (c.clone(), *q))
        .unwrap_or_else(|| panic!("order {id} has no line with a product code: {ordered:?}"));

    // The billing stock as the last sync read it, before the invoice.
    app.click(&tid("order-back"));
    app.click(&tid("nav-stock"));
    let before = demo::wait_long(&app, "the product's billing stock", || billing(&app, &code));

    // Back to the order (the address opens it directly) and invoice it.
    app.execute(&format!(
        "location.hash = '#/orders/{id}'; location.reload(); return null;"
    ));
    app.find(&tid("order-detail"));
    app.wait_for("the order's state", || {
        app.text_now(&tid("order-state"))
            .filter(|s| demo::is_open(s))
    });
    app.screenshot("order-detail");
    app.click(&tid("order-issue-invoice"));
    app.wait_for("the order to become Invoiced", || {
        if let Some(note) = app.text_now(&tid("order-action-result")) {
            panic!("issuing the invoice failed: {note}");
        }
        app.text_now(&tid("order-state"))
            .filter(|s| demo::is_invoiced(s))
    });
    app.find(&tid("order-invoice"));
    app.screenshot("invoiced");

    app.click(&tid("order-back"));
    app.click(&tid("orders-filter-invoiced"));
    app.wait_for("the invoiced order in the list", || {
        app.text_now(&tid(&format!("order-state-{id}")))
            .filter(|s| demo::is_invoiced(s))
    });

    // "Sync now" reads the billing stock again: the invoice discharged the ordered quantity.
    app.click(&tid("nav-stock"));
    app.click(&tid("sync-now"));
    let mut asked = Instant::now();
    let after = demo::wait_long(&app, "the billing stock to fall", || {
        let now = billing(&app, &code)?;
        if now == before - quantity {
            return Some(now);
        }
        if asked.elapsed() > Duration::from_secs(5)
            && app.attribute_now(&tid("sync-now"), "disabled").is_none()
        {
            app.click(&tid("sync-now"));
            asked = Instant::now();
        }
        None
    });
    assert_eq!(
        after,
        before - quantity,
        "{code}: billing {before} − ordered {quantity}"
    );
    app.execute(&format!(
        "document.querySelector('[data-testid=\"stock-row\"][data-code=\"{code}\"]')\
         .scrollIntoView({{block: 'center'}}); return null;"
    ));
    app.click(&tid(&format!("stock-pick-{code}")));
    app.find(&tid("stock-history"));
    app.screenshot("billing-after-invoice");
}
