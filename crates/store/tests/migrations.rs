//! Migrations: from an empty file, from every earlier version (with data written at that
//! version surviving, and a copy kept), and the refusal of a newer schema, which must leave
//! the file byte for byte as it was.

mod common;

use std::path::Path;

use common::{at, temp_dir};
use punte_core::order::OrderId;
use punte_store::{LATEST_VERSION, Store, StoreError, migrations};
use rusqlite::Connection;

/// Rows valid at `version`, written with plain SQL the way that version's binary would have.
const SEEDS: &[&str] = &[
    "INSERT INTO settings VALUES ('sync_minutes', '15', '2026-09-01T08:00:00.000000000Z');
     INSERT INTO products VALUES (11, 21, 31, 'A', 'A', NULL, 'Tricou alb', 1,
        '2026-09-01T08:00:00.000000000Z', '2026-09-01T08:00:00.000000000Z');",
    "INSERT INTO orders (id, name, created_at, state, customer_name, address, city, county,
        country, currency, taxes_included, total, line_count, imported_at, updated_at)
     VALUES (1, '#1001', '2026-09-01T08:00:00.000000000Z', 'open', 'Ana', '', '', '', 'RO',
        'RON', 1, '21.00', 1, '2026-09-01T08:00:00.000000000Z',
        '2026-09-01T08:00:00.000000000Z');
     INSERT INTO order_lines (id, order_id, position, code, title, quantity, refunded,
        fulfilled, unit_price, discount, tax, taxable)
     VALUES (100, 1, 0, 'A', 'Tricou alb', 2, 0, 0, '10.50', '0', '0', 1);",
    "INSERT INTO invoice_outbox (order_id, idempotency_key, service, state, stock_discharge,
        draft, created_at, updated_at)
     VALUES (1, 'k1', 'smartbill', 'intent', 1, '{}', '2026-09-01T08:00:00.000000000Z',
        '2026-09-01T08:00:00.000000000Z');",
    "",
    "",
    // 0006 (issue 18): a kit whose order line keeps reserving, now as its component.
    "INSERT INTO kits VALUES ('SET', 'Set', '2026-09-01T08:00:00.000000000Z');
     INSERT INTO kit_components VALUES ('SET', 0, 'A', 2);",
    // 0007 (e-Factura).
    "INSERT INTO efactura (order_id, series, number, state, issued_on, updated_at)
     VALUES (1, 'FCT', '0001', 'not_sent', '2026-09-01', '2026-09-01T08:00:00.000000000Z');",
    // 0008 (issue 16): a Shopify refund of the order, before its credit is planned.
    "INSERT INTO refunds (id, order_id, created_at, facts, seen_at)
     VALUES (501, 1, '2026-09-03T08:00:00.000000000Z', '{}', '2026-09-03T08:00:00.000000000Z');",
    // 0009 (issue 17, cash on delivery): a paid order's collection waiting for its invoice.
    "INSERT INTO collection_outbox (order_id, source, state, collected_on, created_at, updated_at)
     VALUES (1, 'shopify', 'intent', '2026-09-04', '2026-09-04T08:00:00.000000000Z',
        '2026-09-04T08:00:00.000000000Z');",
];

fn file_at_version(path: &Path, version: usize) {
    let mut conn = Connection::open(path).unwrap();
    migrations().to_version(&mut conn, version).unwrap();
    for seed in &SEEDS[..version] {
        conn.execute_batch(seed).unwrap();
    }
}

#[test]
fn every_embedded_migration_is_valid() {
    assert_eq!(
        SEEDS.len(),
        LATEST_VERSION,
        "add a seed for every new migration"
    );
    migrations().validate().unwrap();
}

#[test]
fn opens_an_empty_file_at_the_latest_version() {
    let dir = temp_dir("mig-empty");
    let store = Store::open(&dir.join("punte.db")).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert!(
        store.backup_path().is_none(),
        "a new file has nothing to back up"
    );
    store.integrity_check().unwrap();
}

#[test]
fn upgrades_from_every_earlier_version_keeping_data_and_a_copy() {
    for version in 1..LATEST_VERSION {
        let dir = temp_dir(&format!("mig-from-{version}"));
        let path = dir.join("punte.db");
        file_at_version(&path, version);
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            LATEST_VERSION,
            "from v{version}"
        );
        assert_eq!(
            store.setting("sync_minutes").unwrap(),
            Some(serde_json::json!(15))
        );
        assert_eq!(store.products().unwrap().len(), 1);
        if version >= 2 {
            let order = store
                .order(OrderId(1))
                .unwrap()
                .expect("v2 order must survive");
            assert_eq!(order.order.lines.len(), 1);
            let r = store.reservations().unwrap();
            assert_eq!(r, store.reservations_from_lines().unwrap());
            // Orders from before revisions existed are in the InStock input's first read.
            let all = store.reserving_changes(None).unwrap();
            assert_eq!(all.orders.len(), 1);
            assert!(
                store
                    .reserving_changes(Some(all.rev))
                    .unwrap()
                    .orders
                    .is_empty()
            );
        }
        if version >= 3 {
            assert_eq!(store.pending_outbox(10).unwrap().len(), 1);
        }
        let backup = store
            .backup_path()
            .expect("a migrated file must leave a copy")
            .to_owned();
        let copy = Connection::open(&backup).unwrap();
        let v: usize = copy
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            v, version,
            "the copy must hold the file as it was before migrating"
        );
    }
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = temp_dir("mig-newer");
    let path = dir.join("punte.db");
    {
        let store = Store::open(&path).unwrap();
        store
            .set_setting("x", &serde_json::json!(1), at(0))
            .unwrap();
    }
    {
        let conn = Connection::open(&path).unwrap();
        let newer = LATEST_VERSION + 1;
        conn.execute_batch(&format!(
            "PRAGMA user_version = {newer}; CREATE TABLE future (x);"
        ))
        .unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path)
        .err()
        .expect("a newer schema must be refused");
    assert!(matches!(err, StoreError::SchemaTooNew { found, known }
        if found == LATEST_VERSION + 1 && known == LATEST_VERSION));
    assert_eq!(err.code(), "store.schema_too_new");
    let text = err.to_string();
    assert!(
        text.contains("versiune mai nouă") && text.contains("newer Punte"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the refused file must not change"
    );
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "store.schema_too_new");
}

#[test]
fn a_foreign_sqlite_file_is_refused() {
    let dir = temp_dir("mig-foreign");
    let path = dir.join("other.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x);")
        .unwrap();
    let err = Store::open(&path)
        .err()
        .expect("another app's database must be refused");
    assert_eq!(err.code(), "store.not_punte_database");
}
