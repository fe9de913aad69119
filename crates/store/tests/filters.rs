//! The Activity and Orders filters: orders whose latest invoice needs review (in any order
//! state, a retried invoice no longer counts), and audit rows by code substring and source,
//! paged and exported with the same filter.

mod common;

use common::{at, change, order};
use punte_core::order::{OrderId, OrderState};
use punte_core::product::InventoryItemId;
use punte_store::{
    AuditFilter, InvoiceIntent, OrderQuery, OutboxState, StatusFilter, StockChange, Store,
};

fn intent(order: u64, attempt: u32) -> InvoiceIntent {
    InvoiceIntent {
        order_id: OrderId(order),
        idempotency_key: format!("punte-{order}-{attempt}"),
        service: "smartbill".into(),
        stock_discharge: true,
        draft: "{}".into(),
    }
}

fn ids(s: &Store, q: &OrderQuery) -> Vec<u64> {
    s.orders_page(q)
        .unwrap()
        .items
        .iter()
        .map(|o| o.id.0)
        .collect()
}

#[test]
fn needs_review_lists_orders_whose_latest_invoice_waits_for_the_merchant() {
    let mut s = Store::open_in_memory().unwrap();
    let orders: Vec<_> = (1..=6).map(|i| order(i, i as i64, &[("A", 1)])).collect();
    s.import_orders(&orders, &change(10, "imported")).unwrap();
    // 1 and 4: ambiguous answer. 4 is dispatched since, and still listed.
    for o in [1, 4] {
        let id = s.add_invoice_intent(&intent(o, 1), at(11)).unwrap();
        s.set_outbox_state(id, OutboxState::Sent, None, at(12))
            .unwrap();
        s.set_outbox_state(id, OutboxState::NeedsReview, Some("timeout"), at(13))
            .unwrap();
    }
    s.set_order_state(OrderId(4), OrderState::Dispatched, &change(14, "m"))
        .unwrap();
    // 2: needs review, then resolved as failed and retried: the latest item is an intent.
    let old = s.add_invoice_intent(&intent(2, 1), at(11)).unwrap();
    s.set_outbox_state(old, OutboxState::NeedsReview, None, at(12))
        .unwrap();
    s.set_outbox_state(old, OutboxState::Failed, None, at(13))
        .unwrap();
    s.add_invoice_intent(&intent(2, 2), at(14)).unwrap();
    // 3: a plain failed invoice; 5 and 6 have none.
    let failed = s.add_invoice_intent(&intent(3, 1), at(11)).unwrap();
    s.set_outbox_state(failed, OutboxState::Failed, Some("400"), at(12))
        .unwrap();

    let q = OrderQuery::new(StatusFilter::NeedsReview, 10);
    assert_eq!(ids(&s, &q), vec![1, 4]);
    let newest = OrderQuery {
        newest_first: true,
        ..q.clone()
    };
    assert_eq!(ids(&s, &newest), vec![4, 1]);
    let one = OrderQuery {
        limit: 1,
        ..q.clone()
    };
    let page = s.orders_page(&one).unwrap();
    assert_eq!(page.items.len(), 1);
    let rest = OrderQuery {
        after: page.next,
        ..one
    };
    assert_eq!(ids(&s, &rest), vec![4], "the cursor pages through the list");
    let search = OrderQuery {
        search: Some("#1004".into()),
        ..q
    };
    assert_eq!(ids(&s, &search), vec![4]);
}

fn audit_row(code: &str, source: &str, after: i64) -> StockChange {
    StockChange {
        at: at(after),
        code: code.into(),
        inventory_item_id: Some(InventoryItemId(1)),
        before: Some(0),
        after,
        reason: "B − R − buffer".into(),
        source: source.into(),
        run: None,
    }
}

#[test]
fn audit_rows_filter_by_code_substring_and_source_in_pages_and_csv() {
    let mut s = Store::open_in_memory().unwrap();
    let rows = [
        audit_row("TRC-ALB-M", "sync", 1),
        audit_row("TRC-NEG-M", "manual", 2),
        audit_row("CANA-01", "sync", 3),
        audit_row("trc-alb-l", "sync", 4),
        audit_row("50%_OFF", "sync", 5),
        audit_row("TRC-ALB-S", "sync", 6),
    ];
    s.record_stock_changes(&rows).unwrap();
    let afters = |f: &AuditFilter, limit| -> Vec<i64> {
        let page = s.audit_search(f, None, limit).unwrap();
        page.items.iter().map(|e| e.change.after).collect()
    };
    let alb = AuditFilter {
        code: Some(" alb ".into()),
        source: None,
    };
    assert_eq!(
        afters(&alb, 10),
        vec![6, 4, 1],
        "substring, any case, newest first"
    );
    let trc_sync = AuditFilter {
        code: Some("TRC".into()),
        source: Some("sync".into()),
    };
    assert_eq!(afters(&trc_sync, 10), vec![6, 4, 1]);
    let manual = AuditFilter {
        code: None,
        source: Some("manual".into()),
    };
    assert_eq!(afters(&manual, 10), vec![2]);
    let literal = AuditFilter {
        code: Some("%_".into()),
        source: None,
    };
    assert_eq!(
        afters(&literal, 10),
        vec![5],
        "% and _ are literal characters"
    );
    assert_eq!(afters(&AuditFilter::default(), 10).len(), 6);

    // Pages stay full: the filter is applied before the limit.
    let first = s.audit_search(&trc_sync, None, 2).unwrap();
    assert_eq!(first.items.len(), 2);
    let rest = s.audit_search(&trc_sync, first.next, 2).unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.next, None);

    let mut csv = Vec::new();
    assert_eq!(s.export_audit_csv_matching(&alb, &mut csv).unwrap(), 3);
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "header and three rows: {csv}");
    assert!(
        lines[1].contains("TRC-ALB-M") && lines[3].contains("TRC-ALB-S"),
        "oldest first"
    );
    assert!(!csv.contains("CANA-01"));
}
