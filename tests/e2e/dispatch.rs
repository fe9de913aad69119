//! Scenario: marking an order Dispatched (after the warning) ends its reservation.

use crate::demo::{self, tid};

#[test]
fn marking_dispatched_releases_the_reservation() {
    let app = demo::launch("dispatch");
    demo::open_an_open_order(&app);
    let before = app.text(&tid("order-reservation"));

    app.click(&tid("order-mark-dispatched"));
    app.find(&tid("confirm-dispatch-one-body"));
    app.screenshot("confirm");
    app.click(&tid("confirm-dispatch-one-confirm"));
    app.wait_for("the order to become Dispatched", || {
        app.text_now(&tid("order-state"))
            .filter(|s| demo::is_dispatched(s))
    });
    let after = app.wait_for("the reservation to end", || {
        app.text_now(&tid("order-reservation"))
            .filter(|t| *t != before)
    });
    assert!(
        after.contains("no longer reserves") || after.contains("nu mai rezervă"),
        "reservation after Dispatched: {after}"
    );
    app.screenshot("dispatched");
}
