//! Issue 18 in the store: the Shopify bundle (`lineItemGroup`) each order line was sold in is
//! written by the import in the same transaction as the lines, replaced whole on re-import (an
//! edited order keeps no stale group), left alone by an import that brings no groups, and
//! returned with the order detail in the lines' order.

mod common;

use std::collections::HashMap;

use common::{change, order, temp_dir};
use punte_core::order::{LineId, OrderId};
use punte_store::{LineGroup, Store};

fn group(line: u64, id: u64, quantity: i64) -> LineGroup {
    LineGroup {
        line: LineId(line),
        group_id: id,
        title: "Cutie cadou".into(),
        quantity,
        sku: Some("CUTIE-CADOU".into()),
    }
}

#[test]
fn an_import_writes_replaces_and_keeps_groups_with_the_lines() {
    let dir = temp_dir("line-groups");
    let mut s = Store::open(&dir.join("punte.db")).expect("store");
    // Order 1: A, B from one bundle of 2 (lines 100, 101) and a plain C (line 102).
    let first = order(1, 0, &[("A", 4), ("B", 2), ("C", 1)]);
    let groups = HashMap::from([(OrderId(1), vec![group(100, 77, 2), group(101, 77, 2)])]);
    s.import_grouped_orders(
        std::slice::from_ref(&first),
        &groups,
        &change(1, "imported"),
    )
    .expect("import");
    let detail = s.order(OrderId(1)).expect("read").expect("stored");
    assert_eq!(detail.groups, vec![group(100, 77, 2), group(101, 77, 2)]);
    assert_eq!(s.line_groups(OrderId(1)).expect("groups"), detail.groups);

    // An import without groups (another path) leaves them as they are.
    s.import_orders(std::slice::from_ref(&first), &change(2, "imported"))
        .expect("import");
    assert_eq!(s.order(OrderId(1)).unwrap().unwrap().groups.len(), 2);

    // Edited in Shopify: the bundle's B line gone, C now in a bundle of its own.
    let mut edited = order(1, 0, &[("A", 4), ("C", 1)]);
    edited.lines[1].id = LineId(102);
    let groups = HashMap::from([(OrderId(1), vec![group(100, 77, 2), group(102, 78, 1)])]);
    s.import_grouped_orders(&[edited.clone()], &groups, &change(3, "imported"))
        .expect("re-import");
    assert_eq!(
        s.order(OrderId(1)).unwrap().unwrap().groups,
        vec![group(100, 77, 2), group(102, 78, 1)]
    );

    // Re-imported with no bundle left: no group stays behind.
    s.import_grouped_orders(&[edited], &HashMap::new(), &change(4, "imported"))
        .expect("re-import");
    assert!(s.order(OrderId(1)).unwrap().unwrap().groups.is_empty());
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_failed_import_changes_neither_lines_nor_groups() {
    let dir = temp_dir("line-groups-atomic");
    let mut s = Store::open(&dir.join("punte.db")).expect("store");
    let known = order(1, 0, &[("A", 2)]);
    let before = HashMap::from([(OrderId(1), vec![group(100, 5, 1)])]);
    s.import_grouped_orders(
        std::slice::from_ref(&known),
        &before,
        &change(1, "imported"),
    )
    .expect("import");
    // A batch that fails on its second order (an id above i64::MAX cannot be stored) after
    // the first order's new groups were written: the whole batch is rolled back.
    let mut bad = order(2, 0, &[("B", 1)]);
    bad.id = OrderId(u64::MAX);
    let after = HashMap::from([(OrderId(1), vec![group(100, 6, 3)])]);
    let refused = s.import_grouped_orders(&[known, bad], &after, &change(2, "imported"));
    assert!(refused.is_err());
    assert_eq!(
        s.line_groups(OrderId(1)).expect("groups"),
        vec![group(100, 5, 1)]
    );
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}
