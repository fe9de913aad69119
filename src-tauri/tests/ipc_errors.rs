//! Every command answers a person, whatever the web view sends (issue 20, items 6 and 8): a
//! property test sends arbitrary JSON arguments to every IPC command (the list is read from
//! build.rs, so a new command is covered by the same rule) and checks that each refusal is
//! `{code, message}` with Romanian and English text and no serde text, and that a refused call
//! changes nothing in the store. Regression tests pin the cases found by hand: a string order
//! id, `mark_dispatched` twice, a 1 MB search, and `vat_standard: "1e2"`.

mod ipc_support;

use std::cell::{Cell, RefCell};

use ipc_support::TestApp;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

/// Words of serde's and Tauri's own messages, which must never reach the merchant.
const RAW: [&str; 8] = [
    "invalid type",
    "invalid value",
    "missing field",
    "unknown variant",
    "invalid args",
    "missing required key",
    "at line",
    "LIKE or GLOB",
];

/// The app's commands and the names of their arguments.
fn commands() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("app_status", &[]),
        ("engine_status", &[]),
        ("sync_now", &["scope"]),
        ("pause_sync", &[]),
        ("resume_sync", &[]),
        ("orders_page", &["query"]),
        ("order_detail", &["id"]),
        ("issue_invoices", &["ids"]),
        ("mark_dispatched", &["ids"]),
        ("stock_overview", &[]),
        ("preview_sync", &[]),
        ("apply_sync", &["confirmed"]),
        ("recent_runs", &["limit"]),
        ("audit_page", &["query"]),
        ("export_audit_csv", &["query"]),
        ("findings", &["closed"]),
        ("stock_history", &["code"]),
        ("demo_status", &[]),
        ("simulate_order", &["code", "quantity"]),
        ("simulate_receipt", &["code", "quantity"]),
        ("simulate_drift", &["code", "delta"]),
        ("simulate_offline", &["service", "offline"]),
        ("connections", &[]),
        ("test_connection", &["form"]),
        ("save_connection", &["form"]),
        ("preferences", &[]),
        ("save_preferences", &["patch"]),
        ("first_run", &[]),
        ("set_first_run_step", &["step"]),
        ("finish_first_run", &[]),
        ("products_health", &[]),
        ("save_health_csv", &["group", "csv"]),
        ("ui_language", &[]),
        ("set_ui_language", &["language", "chosen"]),
        ("resolve_review", &["id", "resolution"]),
        ("update_status", &[]),
        ("check_update", &[]),
        ("install_update", &[]),
        ("login_start", &[]),
        ("set_login_start", &["enabled"]),
        ("kits", &[]),
        ("save_kit", &["kit", "previous"]),
        ("delete_kit", &["code"]),
        ("location_mapping", &["refresh"]),
        ("save_location_mapping", &["mapping"]),
        ("mark_collected", &["id"]),
        ("unpaid_cod_count", &[]),
    ]
}

/// Commands that act when their arguments are valid: after such a call succeeds, the store
/// may change (the next refusal is compared with the new state).
const ACTIONS: [&str; 21] = [
    "set_first_run_step",
    "finish_first_run",
    "sync_now",
    "resume_sync",
    "issue_invoices",
    "mark_dispatched",
    "apply_sync",
    "simulate_order",
    "simulate_receipt",
    "simulate_drift",
    "simulate_offline",
    "save_connection",
    "save_preferences",
    "set_ui_language",
    "resolve_review",
    "install_update",
    "set_login_start",
    "save_kit",
    "delete_kit",
    "save_location_mapping",
    "mark_collected",
];

/// Any JSON value, leaning on the shapes commands take (numbers as text, negative and huge
/// numbers, words close to valid ones, nested objects with the fields the UI sends).
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e20f64..1e20).prop_map(Value::from),
        "[a-z_ ]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("1"),
            Just("-1"),
            Just("1e2"),
            Just(""),
            Just("all"),
            Just("pending"),
            Just("shopify"),
            Just("ro"),
            Just("smart_bill"),
            Just("%_\\"),
            Just("PNT-TRI-0001-S"),
        ]
        .prop_map(Value::from),
    ];
    let keys = prop_oneof![
        Just("status".to_owned()),
        Just("limit".to_owned()),
        Just("search".to_owned()),
        Just("after".to_owned()),
        Just("code".to_owned()),
        Just("kind".to_owned()),
        Just("fields".to_owned()),
        Just("secrets".to_owned()),
        Just("vat_standard".to_owned()),
        "[a-z]{1,8}",
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(keys.clone(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The argument object of one call: each real argument present or not, with any value, plus
/// stray keys; now and then not an object at all.
fn args(names: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let fields = prop::collection::vec((any::<bool>(), any_json()), names.len());
    let stray = prop::collection::btree_map("[a-z]{1,6}", any_json(), 0..2);
    (fields, stray, 0u8..10, any_json()).prop_map(move |(fields, stray, shape, other)| {
        if shape == 0 {
            return other;
        }
        let mut m: Map<String, Value> = stray.into_iter().collect();
        for (name, (present, value)) in names.iter().zip(fields) {
            if present {
                m.insert((*name).to_owned(), value);
            }
        }
        Value::Object(m)
    })
}

/// What the store holds, read through the commands (order states, runs, audit, findings,
/// preferences, connections, stock).
fn snapshot(app: &TestApp) -> Value {
    let query = json!({"status": "all", "newest_first": true, "limit": 1000});
    json!({
        "orders": app.ok("orders_page", json!({"query": query})),
        "runs": app.ok("recent_runs", json!({"limit": 1000})),
        "audit": app.ok("audit_page", json!({"query": {"limit": 1000}})),
        "open": app.ok("findings", json!({})),
        "closed": app.ok("findings", json!({"closed": true})),
        "preferences": app.ok("preferences", json!({})),
        "connections": app.ok("connections", json!({})),
        "stock": app.ok("stock_overview", json!({})),
    })
}

/// A refusal as the merchant must get it.
fn check_refusal(cmd: &str, args: &Value, err: &Value) -> Result<(), String> {
    let code = err["code"]
        .as_str()
        .ok_or(format!("{cmd} {args}: no code in {err}"))?;
    let message = err["message"]
        .as_str()
        .ok_or(format!("{cmd} {args}: no message in {err}"))?;
    if code.is_empty() || message.len() < 10 {
        return Err(format!("{cmd} {args}: an empty refusal {err}"));
    }
    for raw in RAW {
        if message.contains(raw) {
            return Err(format!("{cmd} {args}: raw text {raw:?} in {message}"));
        }
    }
    let (ro, en) = (err["params"]["ro"].as_str(), err["params"]["en"].as_str());
    if ro.is_none_or(str::is_empty) || en.is_none_or(str::is_empty) {
        return Err(format!("{cmd} {args}: not in Romanian and English: {err}"));
    }
    Ok(())
}

#[test]
fn the_list_of_commands_is_the_app_s() {
    let build = include_str!("../build.rs");
    let declared: Vec<&str> = build
        .lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix('"')?.strip_suffix("\","))
        .collect();
    let mut ours: Vec<&str> = commands().into_iter().map(|(c, _)| c).collect();
    let mut declared = declared.clone();
    ours.sort_unstable();
    declared.sort_unstable();
    assert_eq!(
        ours, declared,
        "every command of build.rs is in the property test"
    );
}

#[test]
fn arbitrary_arguments_always_get_a_readable_refusal_and_change_nothing() {
    let app = TestApp::start();
    app.settled();
    let baseline = RefCell::new(snapshot(&app));
    let refused = Cell::new(0);
    for (cmd, names) in commands() {
        let mut runner = TestRunner::new(Config {
            cases: 16,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&args(names), |args| {
            match app.invoke(cmd, args.clone()) {
                Err(err) => {
                    check_refusal(cmd, &args, &err).map_err(TestCaseError::fail)?;
                    refused.set(refused.get() + 1);
                }
                Ok(_) if cmd == "resume_sync" => {
                    app.ok("pause_sync", json!({}));
                    baseline.replace(snapshot(&app));
                }
                Ok(_) if ACTIONS.contains(&cmd) => {
                    baseline.replace(snapshot(&app));
                }
                Ok(_) => {}
            }
            let now = snapshot(&app);
            prop_assert!(
                now == *baseline.borrow(),
                "{} {} changed the store",
                cmd,
                args
            );
            Ok(())
        });
        if let Err(e) = result {
            panic!("{cmd}: {e}");
        }
    }
    assert!(
        refused.get() > 250,
        "too few refusals exercised: {}",
        refused.get()
    );
}

#[test]
fn a_string_order_id_or_a_missing_argument_is_worded_not_serde_text() {
    let app = TestApp::start();
    app.settled();
    let err = app
        .invoke("order_detail", json!({"id": "1"}))
        .expect_err("refused");
    check_refusal("order_detail", &json!({"id": "1"}), &err).expect("worded");
    assert_eq!(err["code"], "input.invalid");
    assert_eq!(err["params"]["arg"], "id");
    let missing = app.invoke("recent_runs", json!({})).expect_err("refused");
    check_refusal("recent_runs", &json!({}), &missing).expect("worded");
    assert_eq!(missing["code"], "input.invalid");
}

#[test]
fn marking_a_dispatched_order_dispatched_again_has_its_own_code() {
    let app = TestApp::start();
    app.settled();
    let query = json!({"query": {"status": "pending", "newest_first": true, "limit": 1}});
    let id = app.ok("orders_page", query)["items"][0]["id"].clone();
    let first = app.ok("mark_dispatched", json!({"ids": [id]}));
    assert!(first[0]["error"].is_null(), "{first}");
    let twice = app.ok("mark_dispatched", json!({"ids": [id]}));
    assert_eq!(
        twice[0]["error"]["code"], "engine.already_dispatched",
        "{twice}"
    );
    check_refusal("mark_dispatched", &json!({}), &twice[0]["error"]).expect("worded");
}

#[test]
fn a_1_mb_search_is_refused_as_too_long() {
    let app = TestApp::start();
    app.settled();
    let huge = "%".repeat(1 << 20);
    let args = json!({"query": {"status": "all", "search": huge, "limit": 10}});
    let err = app.invoke("orders_page", args).expect_err("refused");
    assert_eq!(err["code"], "input.invalid", "{}", err["message"]);
    check_refusal("orders_page", &json!({"search": "1 MB"}), &err).expect("worded");
}

#[test]
fn a_vat_rate_is_read_as_the_form_shows_it() {
    let app = TestApp::start();
    let before = app.ok("preferences", json!({}));
    for bad in ["1e2", "+21", "21.", "2 1", "21.005", "0x15", "∞", "1000"] {
        let err = app
            .invoke("save_preferences", json!({"patch": {"vat_standard": bad}}))
            .expect_err(bad);
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some("input.invalid"), Some("vat_standard")),
            "{bad}: {err}"
        );
        check_refusal("save_preferences", &json!({}), &err).expect("worded");
    }
    assert_eq!(app.ok("preferences", json!({})), before, "nothing saved");
    let saved = app.ok(
        "save_preferences",
        json!({"patch": {"vat_standard": "21,5", "vat_reduced": "11"}}),
    );
    assert_eq!(
        (
            saved["vat_standard"].as_str(),
            saved["vat_reduced"].as_str()
        ),
        (Some("21.5"), Some("11"))
    );
}
