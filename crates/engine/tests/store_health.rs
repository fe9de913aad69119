//! A damaged database found by the full integrity check after opening (opening itself checks
//! only the small tables, so a 1,000,000-order file opens at once): the engine records a
//! finding with what to do, names it in the status and pauses the automatic sync.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use common::*;
use punte_core::money::Currency;
use punte_core::order::{Customer, LineId, Order, OrderId, OrderLine, OrderState};
use punte_engine::RunState;
use punte_store::{Change, Store, StoreHandle};
use rust_decimal::Decimal;

/// An open order of one line.
fn order(id: u64) -> Order {
    Order {
        id: OrderId(id),
        name: format!("#{id}"),
        created_at: chrono::Utc::now(),
        state: OrderState::Open,
        lines: vec![OrderLine {
            id: LineId(id),
            code: Some(code(0).as_str().into()),
            variant_id: None,
            title: "Produs".into(),
            quantity: 1,
            refunded: 0,
            fulfilled: 0,
            unit_price: Decimal::new(1000, 2),
            discount: Decimal::ZERO,
            vat_rate: None,
            tax: Decimal::ZERO,
            taxable: true,
        }],
        shipping: Vec::new(),
        customer: Customer::default(),
        currency: Currency::ron(),
        taxes_included: true,
        total: Decimal::new(1000, 2),
    }
}

/// Overwrites the b-tree page header of `table`'s root page with garbage.
fn damage(path: &Path, table: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    let page: u64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    let root: u64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .expect("root page");
    drop(conn);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("file");
    f.seek(SeekFrom::Start((root - 1) * page)).expect("seek");
    f.write_all(&[0x55; 64]).expect("write");
    f.sync_all().expect("sync");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_order_history_pauses_the_sync_with_a_finding() {
    let w = world(2, 5, 5, 1.0).await;
    let dir = std::env::temp_dir().join(format!("punte-engine-health-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("punte.db");
    {
        let mut s = Store::open(&path).expect("store");
        let orders: Vec<Order> = (1..=300).map(order).collect();
        s.import_orders(&orders, &Change::new(chrono::Utc::now(), "seed", "test"))
            .expect("orders");
    }
    damage(&path, "order_lines");

    let store = StoreHandle::open(path).expect("opens: the order history is checked after");
    let r = start_with(&w, config(&w, 1.0), store);
    let mut status = r.engine.status();
    for _ in 0..200 {
        if status.state == RunState::Paused {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        status = r.engine.status();
    }
    assert_eq!(status.state, RunState::Paused, "{status:?}");
    let error = status.last_error.expect("the status names the damage");
    assert_eq!(error.code, "store.corrupt");
    let findings = r
        .store
        .call(|s| s.open_findings(10))
        .await
        .expect("findings");
    let found = findings
        .iter()
        .find(|f| f.finding.kind == "store.corrupt")
        .expect("a finding for the damaged file");
    assert!(found.finding.what_to_fix.contains("backup"), "{found:?}");
    r.engine.stop().await;
}
