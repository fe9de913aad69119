//! The database never holds a credential: connection descriptors have no field for one and
//! secret-looking setting keys are refused. Proven by scanning the file's bytes (and its WAL)
//! after saving descriptors that sat right next to their secrets in memory, and after pushing
//! secrets through every free-text sink (run details, outbox errors, collection notes, findings,
//! notifications, history and audit reasons, nested settings): each is either refused or
//! redacted.

mod common;

use common::{at, change, order, temp_dir};
use punte_core::order::{OrderId, OrderState};
use punte_core::product::ProductCode;
use punte_store::{
    CollectionSource, CollectionState, ConnectionDescriptor, Finding, InvoiceIntent, Notification,
    OutboxState, RunEnd, ServiceKind, StockChange, Store, StoreError,
};

/// What the app holds in memory for a connection: the descriptor goes to the store, the token
/// to the keychain.
struct Connection {
    descriptor: ConnectionDescriptor,
    token: String,
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn connection_settings_never_reach_the_file() {
    let dir = temp_dir("secrets");
    let path = dir.join("punte.db");
    let conns = [
        Connection {
            descriptor: ConnectionDescriptor {
                kind: ServiceKind::Shopify,
                shop_domain: Some("magazin-test.myshopify.com".into()),
                cif: None,
                warehouse: None,
                location_id: Some(777),
            },
            token: "shpat_SECRET_0f3c9a1b2d4e5f60718293a4b5c6d7e8".into(),
        },
        Connection {
            descriptor: ConnectionDescriptor {
                kind: ServiceKind::SmartBill,
                shop_domain: None,
                cif: Some("RO12345678".into()),
                warehouse: Some("Depozit central".into()),
                location_id: None,
            },
            token: "sb_SECRET_9e8d7c6b5a4f3e2d1c0b".into(),
        },
    ];
    let store = Store::open(&path).unwrap();
    for c in &conns {
        store.save_connection(&c.descriptor, at(0)).unwrap();
    }
    for key in [
        "smartbill_token",
        "shopify.AccessToken",
        "oblio_api_secret",
        "fgo_password",
    ] {
        let refused = store.set_setting(key, &serde_json::json!(conns[1].token), at(1));
        assert!(
            matches!(refused, Err(StoreError::SecretRefused(_))),
            "{key} must be refused"
        );
    }
    store
        .set_setting("sync_minutes", &serde_json::json!(15), at(1))
        .unwrap();
    let saved: Vec<_> = store.connections().unwrap();
    assert_eq!(saved.len(), 2);
    assert!(saved.contains(&conns[1].descriptor));

    // Scan while open (WAL holds the pages) and again after close (checkpointed).
    let scan = |label: &str| {
        let mut found = Vec::new();
        for suffix in ["", "-wal", "-shm"] {
            let file = dir.join(format!("punte.db{suffix}"));
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            for c in &conns {
                if contains(&bytes, &c.token) {
                    found.push(format!("{label}: token in {}", file.display()));
                }
            }
        }
        found
    };
    let while_open = scan("open");
    let wal = std::fs::read(dir.join("punte.db-wal")).unwrap_or_default();
    assert!(
        contains(&wal, "RO12345678") || contains(&std::fs::read(&path).unwrap(), "RO12345678"),
        "the scan must be able to see what was stored, or it proves nothing"
    );
    drop(store);
    let after_close = scan("closed");
    assert!(
        while_open.is_empty() && after_close.is_empty(),
        "{while_open:?} {after_close:?}"
    );
}

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// The bytes of the database, its WAL and shared memory.
fn file_bytes(dir: &std::path::Path) -> Vec<u8> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| std::fs::read(dir.join(format!("punte.db{suffix}"))).ok())
        .flatten()
        .collect()
}

#[test]
fn secrets_in_free_text_and_nested_settings_never_reach_the_file() {
    let dir = temp_dir("secrets-sinks");
    let path = dir.join("punte.db");
    let secrets = [
        "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",
        "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",
        "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
        "c2VjcmV0QVBJa2V5Rm9yT2JsaW9UZXN0MTIzNDU2Nzg5MA==",
    ];
    let mut store = Store::open(&path).unwrap();
    store
        .import_orders(&[order(1, 0, &[("A", 1)])], &change(0, "imported"))
        .unwrap();
    for (i, secret) in secrets.iter().enumerate() {
        let text = format!("HTTP 401 from the service: token {secret} rejected");
        let minute = i64::try_from(i).unwrap() * 10 + 1;
        // Settings: nested keys naming a credential, and token-looking values, are refused.
        let nested_key = serde_json::json!({"smartbill": {"cif": "RO1", "apiToken": secret}});
        let value_only = serde_json::json!({"smartbill": {"cif": "RO1", "header": text}});
        let list = serde_json::json!(["ok", secret]);
        for (value, code) in [
            (nested_key, "store.secret_refused"),
            (value_only, "store.secret_value_refused"),
            (list, "store.secret_value_refused"),
            (serde_json::json!(secret), "store.secret_value_refused"),
        ] {
            let err = store
                .set_setting("billing", &value, at(minute))
                .unwrap_err();
            assert_eq!(err.code(), code, "{value}");
        }
        // Run details.
        let run = store.start_run(at(minute)).unwrap();
        let end = RunEnd {
            outcome: "failed".into(),
            orders_imported: 0,
            products_read: 0,
            products_written: 0,
            findings: 0,
            shopify_calls: 1,
            billing_calls: 1,
            detail: Some(text.clone()),
        };
        store.finish_run(run, at(minute + 1), &end).unwrap();
        // Outbox error.
        let intent = InvoiceIntent {
            order_id: OrderId(1),
            idempotency_key: format!("punte-1-{i}"),
            service: "smartbill".into(),
            stock_discharge: true,
            draft: "{}".into(),
        };
        let id = store.add_invoice_intent(&intent, at(minute)).unwrap();
        store
            .set_outbox_state(id, OutboxState::Failed, Some(&text), at(minute + 2))
            .unwrap();
        // Collection review note (one row per order: the last secret's note stays).
        store
            .add_collection_intent(OrderId(1), CollectionSource::Merchant, day(), at(minute))
            .unwrap();
        store
            .set_collection_state(
                OrderId(1),
                CollectionState::NeedsReview,
                Some(&text),
                at(minute + 2),
            )
            .unwrap();
        // Findings and notifications.
        let finding = Finding {
            key: format!("billing-auth-{i}"),
            kind: "billing_auth".into(),
            code: None,
            message: text.clone(),
            what_to_fix: format!("replace {secret}"),
            detail: Some(format!("{{\"answer\":\"{secret}\"}}")),
        };
        store
            .record_findings(&[finding], Some(run), at(minute + 3))
            .unwrap();
        let note = Notification {
            key: format!("auth-{i}"),
            kind: "error".into(),
            title: text.clone(),
            body: text.clone(),
        };
        store.record_notification(&note, at(minute + 3)).unwrap();
        // Audit and history reasons.
        let audit = StockChange {
            at: at(minute + 4),
            code: ProductCode::from("A"),
            inventory_item_id: None,
            before: Some(1),
            after: 2,
            reason: text.clone(),
            source: "sync".into(),
            run: Some(run),
        };
        store.record_stock_changes(&[audit]).unwrap();
    }
    let moved = change(90, &format!("cancelled, see {}", secrets[0]));
    store
        .set_order_state(OrderId(1), OrderState::Cancelled, &moved)
        .unwrap();
    // Something harmless must be visible, or the scan proves nothing.
    let bytes = file_bytes(&dir);
    assert!(contains(
        &bytes,
        "HTTP 401 from the service: token [redacted] rejected"
    ));
    let leaks = |bytes: &[u8]| -> Vec<&str> {
        secrets
            .iter()
            .copied()
            .filter(|s| contains(bytes, s))
            .collect()
    };
    assert_eq!(leaks(&bytes), Vec::<&str>::new(), "while open");
    drop(store);
    assert_eq!(leaks(&file_bytes(&dir)), Vec::<&str>::new(), "after close");
}
