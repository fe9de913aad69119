//! The database never holds a credential: connection descriptors have no field for one and
//! secret-looking setting keys are refused. Proven by scanning the file's bytes (and its WAL)
//! after saving descriptors that sat right next to their secrets in memory.

mod common;

use common::{at, temp_dir};
use punte_store::{ConnectionDescriptor, ServiceKind, Store, StoreError};

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
