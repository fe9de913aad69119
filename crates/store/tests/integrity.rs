//! Integrity at open and after: damage in a small table (settings, outbox, ...) stops the open,
//! as the full check did; damage in the order history lets the file open at once and is found
//! by the full check that runs beside the store, which says what it found.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use common::{at, change, order, temp_dir};
use punte_store::{IntegrityStatus, Store, StoreError, StoreHandle};
use rusqlite::Connection;

/// A closed file with orders and settings, WAL folded in.
fn shop_file(path: &Path) {
    let mut s = Store::open(path).unwrap();
    let orders: Vec<_> = (1..=400)
        .map(|id| order(id, id as i64, &[("A", 1), ("B", 2)]))
        .collect();
    s.import_orders(&orders, &change(0, "imported")).unwrap();
    s.set_setting("sync_minutes", &serde_json::json!(15), at(0))
        .unwrap();
    drop(s);
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
}

/// Overwrites the b-tree page header of `table`'s root page with garbage.
fn damage(path: &Path, table: &str) {
    let (page_size, root): (u64, u64) = {
        let conn = Connection::open(path).unwrap();
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        (size, root)
    };
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start((root - 1) * page_size)).unwrap();
    f.write_all(&[0x55; 64]).unwrap();
    f.sync_all().unwrap();
}

fn settled(handle: &StoreHandle) -> IntegrityStatus {
    let started = Instant::now();
    loop {
        let status = handle.integrity();
        if status.is_final() {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "check never ended"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_sound_file_opens_and_its_full_check_says_ok() {
    let path = temp_dir("integrity-ok").join("punte.db");
    shop_file(&path);
    let handle = StoreHandle::open(path).unwrap();
    assert!(matches!(settled(&handle), IntegrityStatus::Ok { .. }));
    let memory = StoreHandle::from_store(Store::open_in_memory().unwrap()).unwrap();
    assert_eq!(memory.integrity(), IntegrityStatus::NotRun);
}

#[test]
fn damage_in_the_order_history_is_found_after_opening() {
    let path = temp_dir("integrity-history").join("punte.db");
    shop_file(&path);
    damage(&path, "order_lines");
    let handle = StoreHandle::open(path.clone()).expect("opens: history is checked after");
    let status = settled(&handle);
    let IntegrityStatus::Corrupt { problems } = &status else {
        panic!("the full check must find the damage: {status:?}");
    };
    assert!(!problems.is_empty());
    // The full check run directly says the same.
    assert!(matches!(
        punte_store::full_check(&path),
        IntegrityStatus::Corrupt { .. }
    ));
}

#[test]
fn damage_in_a_small_table_stops_the_open() {
    let path = temp_dir("integrity-settings").join("punte.db");
    shop_file(&path);
    damage(&path, "settings");
    let err = Store::open(&path)
        .err()
        .expect("damaged settings must refuse");
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    assert_eq!(err.code(), "store.corrupt");
}
