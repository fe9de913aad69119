//! IPC tests (mock runtime, real startup on a temporary store with the demo simulators) of the
//! Activity commands: `recent_runs`, `audit_page`, `export_audit_csv`, `findings`,
//! `stock_history`, with bad input refused as `{code, message}` and nothing written; and the
//! other CSV the backend writes for the window, the first run's `save_health_csv`.

mod ipc_support;

use ipc_support::TestApp;
use serde_json::{Value, json};

fn codes(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("a page has items")
        .iter()
        .map(|e| e["change"]["code"].as_str().expect("a code").to_owned())
        .collect()
}

#[test]
fn activity_reads_filter_and_export_the_audit_trail() {
    let app = TestApp::start();
    app.settled();

    let runs = app.ok("recent_runs", json!({"limit": 10}));
    let first = &runs.as_array().expect("a list")[0];
    assert!(
        first["end"]["outcome"].is_string(),
        "a finished run: {first}"
    );

    let all = app.ok("audit_page", json!({"query": {"limit": 1000}}));
    let all_codes = codes(&all);
    assert!(
        !all_codes.is_empty(),
        "the demo's first sync writes Shopify levels, so the audit trail has rows"
    );
    // A substring of one code, in lower case: matches that code (and maybe others like it).
    let code = all_codes[0].clone();
    let part: String = code
        .chars()
        .skip(1)
        .take(4)
        .collect::<String>()
        .to_lowercase();
    let page = app.ok(
        "audit_page",
        json!({"query": {"code": part, "limit": 1000}}),
    );
    let matching = codes(&page);
    assert!(matching.contains(&code));
    assert!(
        matching.iter().all(|c| c.to_lowercase().contains(&part)),
        "only codes containing {part:?}: {matching:?}"
    );
    let none = app.ok(
        "audit_page",
        json!({"query": {"source": "manual", "limit": 10}}),
    );
    assert_eq!(
        codes(&none),
        Vec::<String>::new(),
        "the demo writes only as sync"
    );
    let paged = app.ok("audit_page", json!({"query": {"limit": 1}}));
    assert_eq!(codes(&paged).len(), 1);
    assert_eq!(
        paged["next"], all["items"][0]["id"],
        "the cursor is the last id"
    );

    let export = app.ok(
        "export_audit_csv",
        json!({"query": {"code": part, "limit": 1, "after": 1}}),
    );
    let path = export["path"].as_str().expect("a path");
    assert!(
        path.starts_with(app.dir.path().join("exports").to_str().unwrap()),
        "a test app's own data folder gets the file: {path}"
    );
    assert_eq!(
        export["rows"].as_u64(),
        Some(matching.len() as u64),
        "every matching row, limit and cursor ignored"
    );
    let csv = std::fs::read_to_string(path).expect("the file exists");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "id,at,code,inventory_item_id,before,after,reason,source,run_id"
    );
    assert_eq!(lines.len(), matching.len() + 1);
    assert!(lines[1..].iter().all(|l| l.to_lowercase().contains(&part)));

    let history = app.ok("stock_history", json!({"code": code}));
    assert!(
        history
            .as_array()
            .expect("a list")
            .iter()
            .all(|c| c["code"] == code.as_str()),
        "one product's changes only"
    );
    let findings = app.ok("findings", json!({}));
    assert!(
        !findings.as_array().expect("a list").is_empty(),
        "the demo catalogue has a duplicate SKU and a product missing in billing"
    );
}

#[test]
fn bad_activity_input_is_refused_and_writes_nothing() {
    let app = TestApp::start();
    app.settled();
    for (cmd, args) in [
        ("recent_runs", json!({"limit": 0})),
        ("recent_runs", json!({"limit": 5000})),
        ("audit_page", json!({"query": {"limit": 0}})),
        (
            "audit_page",
            json!({"query": {"code": "x".repeat(300), "limit": 10}}),
        ),
        (
            "export_audit_csv",
            json!({"query": {"code": "x".repeat(300), "limit": 1}}),
        ),
        ("stock_history", json!({"code": "   "})),
    ] {
        let err = app.rejected(cmd, args);
        assert_eq!(err.code, "input.invalid", "{cmd}: {}", err.message);
    }
    // A missing or mistyped argument is refused by the IPC layer before the command runs.
    assert!(app.invoke("recent_runs", json!({})).is_err());
    assert!(
        app.invoke("audit_page", json!({"query": {"limit": "ten"}}))
            .is_err()
    );
    assert!(
        !app.dir.path().join("exports").exists(),
        "a refused export creates no folder and no file"
    );
}

#[test]
fn a_health_check_group_is_written_whole_to_a_file_and_bad_input_refused() {
    let app = TestApp::start();
    app.settled();
    // Refused first: no folder, no file.
    for args in [
        json!({"group": "duplicate_codes", "csv": "<html>"}),
        json!({"group": "nowhere", "csv": "code,shopify\r\n"}),
    ] {
        let err = app.rejected("save_health_csv", args);
        assert_eq!(err.code, "input.invalid", "{}", err.message);
    }
    assert!(!app.dir.path().join("exports").exists());
    // The window's CSV of one group, a quoted field included, as it made it.
    let csv = "code,shopify,billing,stock,note\r\nPNT-1,\"Tricou, M | Tricou, L\",,,shopify\r\n";
    let saved = app.ok(
        "save_health_csv",
        json!({"group": "duplicate_codes", "csv": csv}),
    );
    let path = saved["path"].as_str().expect("a path");
    assert!(
        path.starts_with(app.dir.path().join("exports").to_str().unwrap())
            && path.contains("punte-health-duplicate_codes-")
            && path.ends_with(".csv"),
        "a test app's own data folder gets the file: {path}"
    );
    assert_eq!(saved["rows"], json!(1));
    assert_eq!(std::fs::read_to_string(path).expect("the file"), csv);
}
