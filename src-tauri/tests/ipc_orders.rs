//! IPC tests (mock runtime, real startup on a temporary store with the demo simulators) of the
//! Orders commands: `orders_page`, `order_detail`, `issue_invoices`, `mark_dispatched`. Bad input
//! is refused as `{code, message}` and changes no order.

mod ipc_support;

use ipc_support::TestApp;
use serde_json::{Value, json};

fn page(app: &TestApp, status: &str, limit: u32) -> Vec<Value> {
    let query = json!({"query": {"status": status, "newest_first": true, "limit": limit}});
    let page = app.ok("orders_page", query);
    page["items"].as_array().expect("a page has items").clone()
}

fn state(app: &TestApp, id: u64) -> String {
    let detail = app.ok("order_detail", json!({"id": id}));
    detail["order"]["state"]["state"]
        .as_str()
        .expect("a state word")
        .to_owned()
}

#[test]
fn orders_list_open_invoice_and_dispatch() {
    let app = TestApp::start();
    app.settled();

    let all = page(&app, "all", 1000);
    let open = page(&app, "pending", 1000);
    assert!(
        open.len() >= 3,
        "the demo shop has open orders: {}",
        open.len()
    );
    assert!(all.len() >= open.len());
    assert!(
        open.iter().all(|o| o["state"]["state"] == "open"),
        "pending lists open orders only"
    );
    let first = app.ok(
        "orders_page",
        json!({"query": {"status": "all", "newest_first": true, "limit": 2}}),
    );
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    let next = app.ok(
        "orders_page",
        json!({"query": {"status": "all", "newest_first": true, "limit": 2, "after": first["next"]}}),
    );
    assert_eq!(
        next["items"][0]["id"], all[2]["id"],
        "the cursor continues the list"
    );
    let name = all[0]["name"].as_str().expect("a name");
    let found = app.ok(
        "orders_page",
        json!({"query": {"status": "all", "search": name, "limit": 10}}),
    );
    assert!(
        found["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|o| o["name"] == name)
    );
    assert!(
        page(&app, "needs_review", 100).is_empty(),
        "no ambiguous invoice in the demo"
    );

    let a = open[0]["id"].as_u64().expect("an id");
    let b = open[1]["id"].as_u64().expect("an id");
    let detail = app.ok("order_detail", json!({"id": a}));
    assert_eq!(detail["order"]["id"], a);
    assert_eq!(detail["reserves_stock"], true);
    assert!(detail["invoice"].is_null() && detail["outbox_state"].is_null());
    assert!(
        !detail["order"]["lines"]
            .as_array()
            .expect("lines")
            .is_empty()
    );

    let issued = app.ok("issue_invoices", json!({"ids": [a, 999_999_999u64]}));
    let items = issued.as_array().expect("one item per order");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["order"], a);
    assert!(items[0]["error"].is_null(), "{}", items[0]);
    assert_eq!(items[0]["ok"]["result"], "issued", "{}", items[0]);
    assert_eq!(items[1]["error"]["code"], "engine.order_not_found");
    assert_eq!(state(&app, a), "invoiced");
    let detail = app.ok("order_detail", json!({"id": a}));
    assert!(
        detail["invoice"]["number"].is_string(),
        "the invoice is linked: {detail}"
    );
    assert_eq!(detail["outbox_state"], "confirmed");
    let again = app.ok("issue_invoices", json!({"ids": [a]}));
    assert!(
        again[0]["error"]["code"].is_string() || again[0]["ok"]["result"] == "already_issued",
        "a second invoice for the same order is not issued: {again}"
    );

    let dispatched = app.ok("mark_dispatched", json!({"ids": [b]}));
    assert!(dispatched[0]["error"].is_null(), "{dispatched}");
    assert_eq!(state(&app, b), "dispatched");
    let detail = app.ok("order_detail", json!({"id": b}));
    assert_eq!(
        detail["reserves_stock"], false,
        "dispatching ends the reservation"
    );
    let twice = app.ok("mark_dispatched", json!({"ids": [b]}));
    assert!(twice[0]["error"]["code"].is_string(), "{twice}");
}

#[test]
fn bad_order_input_is_refused_and_changes_nothing() {
    let app = TestApp::start();
    app.settled();
    let before = page(&app, "all", 1000);
    let id = page(&app, "pending", 1)[0]["id"]
        .as_u64()
        .expect("an open order");

    for (cmd, args) in [
        (
            "orders_page",
            json!({"query": {"status": "bogus", "limit": 10}}),
        ),
        (
            "orders_page",
            json!({"query": {"status": "all", "limit": 0}}),
        ),
        (
            "orders_page",
            json!({"query": {"status": "all", "limit": 5000}}),
        ),
        ("issue_invoices", json!({"ids": []})),
        ("issue_invoices", json!({"ids": [0]})),
        ("issue_invoices", json!({"ids": [id, id]})),
        ("mark_dispatched", json!({"ids": []})),
        ("mark_dispatched", json!({"ids": [id, 0]})),
        ("mark_dispatched", json!({"ids": vec![id; 1001]})),
    ] {
        let err = app.rejected(cmd, args);
        assert_eq!(err.code, "input.invalid", "{cmd}: {}", err.message);
    }
    let missing = app.rejected("order_detail", json!({"id": 999_999_999u64}));
    assert_eq!(missing.code, "engine.order_not_found");
    // Wrong types never reach the command.
    assert!(app.invoke("order_detail", json!({"id": "abc"})).is_err());
    assert!(app.invoke("issue_invoices", json!({"ids": "1,2"})).is_err());

    assert_eq!(
        page(&app, "all", 1000),
        before,
        "no order changed state after refused calls"
    );
    assert_eq!(state(&app, id), "open");
    assert!(app.ok("order_detail", json!({"id": id}))["outbox_state"].is_null());
}
