//! "Mark as paid (collected)" over IPC (issue 17), against loopback simulators: the app saves a
//! Shopify and a SmartBill connection, imports the orders, invoices a cash-on-delivery order and
//! marks it paid. Exactly one collection lands on the invoice in the billing simulator; a second
//! click records nothing and answers "already recorded"; the order detail shows the collection;
//! a card order and an unknown order are refused with `{code, message}`; the unpaid list's
//! count and filter answer with the merchant's N days.

#[allow(dead_code)] // shared with the Profile scenarios; this binary uses part of it
#[path = "ipc_profile/support.rs"]
mod support;

use punte_sim::ServiceKind;
use serde_json::{Value, json};

use support::{TURN, env, in_child_with_sims, is_step, launch_connected};

#[test]
fn a_cod_order_marked_paid_twice_is_collected_once() {
    in_child_with_sims("collect_step", ServiceKind::SmartBill);
}

/// The billing simulator's state, through its control API (its root is the API's host).
fn billing_state() -> Value {
    let base = env(punte_app::BILLING_URL_ENV);
    let host_end = base
        .match_indices('/')
        .nth(2)
        .map_or(base.len(), |(i, _)| i);
    let url = format!("{}{}/state", &base[..host_end], punte_sim::CONTROL_PREFIX);
    ureq::get(&url)
        .call()
        .expect("control API")
        .body_mut()
        .read_json()
        .expect("state JSON")
}

fn collects_on(state: &Value, series: &str, number: &str) -> usize {
    state["collects"]
        .as_array()
        .expect("the state lists collections")
        .iter()
        .filter(|c| c["series"] == series && c["number"] == number)
        .count()
}

#[test]
fn collect_step() {
    if !is_step("collect_step") {
        return;
    }
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    let app = launch_connected();
    app.ok("sync_now", json!({"scope": "orders_only"}));

    let all = app.ok(
        "orders_page",
        json!({"query": {"status": "all", "newest_first": true, "limit": 1000}}),
    );
    let details: Vec<Value> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| app.ok("order_detail", json!({"id": o["id"]})))
        .collect();
    let cod = details
        .iter()
        .find(|d| {
            d["order"]["state"]["state"] == "open"
                && d["cod"]["cash_on_delivery"] == true
                && d["cod"]["paid_at"].is_null()
        })
        .expect("an open, unpaid cash-on-delivery order in the demo shop");
    let card = details
        .iter()
        .find(|d| d["cod"]["cash_on_delivery"] == false)
        .expect("a card order in the demo shop");
    let id = cod["order"]["id"].as_u64().expect("an id");
    assert!(cod["cod"]["collection"].is_null(), "{}", cod["cod"]);

    // Without stock discharge: the demo warehouse lacks some products, and discharge is not
    // what this test is about.
    app.ok("save_preferences", json!({"patch": {"use_stock": false}}));
    let issued = app.ok("issue_invoices", json!({"ids": [id]}));
    assert_eq!(issued[0]["ok"]["result"], "issued", "{issued}");
    let (series, number) = (
        issued[0]["ok"]["series"]
            .as_str()
            .expect("series")
            .to_owned(),
        issued[0]["ok"]["number"]
            .as_str()
            .expect("number")
            .to_owned(),
    );
    assert_eq!(collects_on(&billing_state(), &series, &number), 0);

    let first = app.ok("mark_collected", json!({"id": id}));
    assert_eq!(first["result"], "recorded", "{first}");
    assert_eq!(first["invoice"], format!("{series} {number}"));
    assert_eq!(
        collects_on(&billing_state(), &series, &number),
        1,
        "one collection on the invoice"
    );
    let second = app.ok("mark_collected", json!({"id": id}));
    assert_eq!(second["result"], "already_recorded", "{second}");
    assert_eq!(
        collects_on(&billing_state(), &series, &number),
        1,
        "a second click records nothing"
    );
    let detail = app.ok("order_detail", json!({"id": id}));
    let collection = &detail["cod"]["collection"];
    assert_eq!(collection["state"], "confirmed", "{collection}");
    assert_eq!(collection["source"], "merchant");
    assert_eq!(collection["invoice"], format!("{series} {number}"));
    assert!(collection["amount"].is_string(), "{collection}");

    // Refused, plainly, changing nothing: a card order, an unknown one, a zero id.
    let card_id = card["order"]["id"].as_u64().expect("an id");
    let before = billing_state()["collects"].clone();
    app.refused(
        "mark_collected",
        json!({"id": card_id}),
        "input.invalid",
        None,
    );
    app.refused(
        "mark_collected",
        json!({"id": 999_999_999u64}),
        "engine.order_not_found",
        None,
    );
    app.refused("mark_collected", json!({"id": 0}), "input.invalid", None);
    assert_eq!(billing_state()["collects"], before);
    assert!(
        app.ok("order_detail", json!({"id": card_id}))["cod"]["collection"].is_null(),
        "no collection intent for the card order"
    );

    // The unpaid list: its count and its filter agree, with the merchant's N days.
    let count = app.ok("unpaid_cod_count", json!({}));
    assert_eq!(count["days"], 10, "{count}");
    let listed = app.ok(
        "orders_page",
        json!({"query": {"status": "all", "unpaid_cod": true, "limit": 1000}}),
    );
    let items = listed["items"].as_array().expect("items");
    assert_eq!(
        items.len() as u64,
        count["count"].as_u64().expect("a count")
    );
    assert!(
        items.iter().all(|o| o["id"] != id),
        "the collected order is not unpaid"
    );
    for o in items {
        let d = app.ok("order_detail", json!({"id": o["id"]}));
        assert_eq!(d["cod"]["cash_on_delivery"], true, "{}", d["cod"]);
        assert!(d["cod"]["paid_at"].is_null() && !d["cod"]["fulfilled_at"].is_null());
    }
    let prefs = app.ok("save_preferences", json!({"patch": {"cod_unpaid_days": 1}}));
    assert_eq!(prefs["cod_unpaid_days"], 1);
    for bad in [json!(0), json!(91), json!("10"), json!(2.5)] {
        app.refused(
            "save_preferences",
            json!({"patch": {"cod_unpaid_days": bad}}),
            "input.invalid",
            Some("cod_unpaid_days"),
        );
    }
    let wider = app.ok("unpaid_cod_count", json!({}));
    assert_eq!(wider["days"], 1, "the setting applies: {wider}");
    assert!(
        wider["count"].as_u64() >= count["count"].as_u64(),
        "{wider} {count}"
    );
    println!("ipc step ok");
}
