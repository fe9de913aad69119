//! Scenario: issuing an invoice for an open order in the demo shop makes the order Invoiced, in
//! its detail and in the list.

use crate::demo::{self, tid};

#[test]
fn issuing_an_invoice_makes_the_order_invoiced() {
    let app = demo::launch("invoice");
    let id = demo::open_an_open_order(&app);
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
}
