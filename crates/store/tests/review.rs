//! The offline-review side: catalogue readings, sync runs and the audit trail with its pages,
//! findings and notifications deduplicated by key, CSV exports, and the database thread.

mod common;

use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use common::{at, change, d, order};
use punte_core::product::{
    BillingProduct, CodeSource, InventoryItemId, ProductCode, ProductFinding, ShopifyVariant,
    VariantId,
};
use punte_store::{
    Finding, Notification, RunEnd, ShopifyLevel, StockChange, Store, StoreError, StoreHandle,
};

#[test]
fn catalogue_runs_and_audit_pages() {
    let mut s = Store::open_in_memory().unwrap();
    let variant = ShopifyVariant {
        variant_id: VariantId(11),
        inventory_item_id: InventoryItemId(21),
        title: "Tricou alb".into(),
        sku: Some("A".into()),
        barcode: None,
        tracked: true,
    };
    s.upsert_variants(
        std::slice::from_ref(&variant),
        CodeSource::Sku,
        Some(31),
        at(0),
    )
    .unwrap();
    s.upsert_variants(&[variant], CodeSource::Sku, Some(31), at(60))
        .unwrap();
    let p = &s.products().unwrap()[0];
    assert_eq!(
        (p.first_seen, p.last_seen),
        (at(0), at(60)),
        "first_seen must be kept"
    );
    assert_eq!(p.code, Some(ProductCode::from("A")));

    let run = s.start_run(at(1)).unwrap();
    let billing = BillingProduct {
        vat_rate: None,
        code: "A".into(),
        name: "Tricou".into(),
        stock: d("10.500"),
    };
    s.record_billing_stock(std::slice::from_ref(&billing), Some(run), at(2))
        .unwrap();
    assert_eq!(
        s.billing_stock().unwrap()[0].product,
        billing,
        "decimals must be exact"
    );
    let level = ShopifyLevel {
        inventory_item_id: InventoryItemId(21),
        location_id: 31,
        available: 9,
        read_at: at(1),
    };
    s.record_shopify_levels(std::slice::from_ref(&level))
        .unwrap();
    assert_eq!(s.shopify_levels().unwrap(), vec![level]);

    let changes: Vec<StockChange> = (0..5)
        .map(|i| StockChange {
            at: at(3),
            code: "A".into(),
            inventory_item_id: Some(InventoryItemId(21)),
            before: Some(9 - i),
            after: 8 - i,
            reason: "B − R − buffer, \"sync\"".into(),
            source: "sync".into(),
            run: Some(run),
        })
        .collect();
    s.record_stock_changes(&changes).unwrap();
    let end = RunEnd {
        outcome: "ok".into(),
        products_written: 5,
        ..RunEnd::default()
    };
    s.finish_run(run, at(4), &end).unwrap();
    assert_eq!(s.recent_runs(5).unwrap()[0].end.as_ref(), Some(&end));

    let first = s.audit_page(Some(&"A".into()), None, 3).unwrap();
    assert_eq!(first.items.len(), 3);
    let rest = s.audit_page(None, first.next, 3).unwrap();
    assert_eq!((rest.items.len(), rest.next), (2, None));
    assert_eq!(
        rest.items[1].change, changes[0],
        "newest first, oldest last"
    );

    let mut csv = Vec::new();
    assert_eq!(s.export_audit_csv(&mut csv).unwrap(), 5);
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("\"B − R − buffer, \"\"sync\"\"\""),
        "quotes must be escaped: {csv}"
    );
}

#[test]
fn findings_and_notifications_are_deduplicated() {
    let mut s = Store::open_in_memory().unwrap();
    let f = Finding::from_product(&ProductFinding::CodeMissingInBilling {
        code: "X".into(),
        variant_id: VariantId(5),
    })
    .unwrap();
    s.record_findings(std::slice::from_ref(&f), None, at(0))
        .unwrap();
    s.record_findings(std::slice::from_ref(&f), None, at(15))
        .unwrap();
    let open = s.open_findings(10).unwrap();
    assert_eq!(open.len(), 1, "the same problem twice is one finding");
    assert_eq!(
        (open[0].first_seen, open[0].last_seen, open[0].seen_count),
        (at(0), at(15), 2)
    );
    assert_eq!(
        s.resolve_findings_not_seen_since(at(30), at(30)).unwrap(),
        1
    );
    assert!(s.open_findings(10).unwrap().is_empty());

    let n = Notification {
        key: "billing-down".into(),
        kind: "sync".into(),
        title: "SmartBill nu răspunde".into(),
        body: "…".into(),
    };
    assert!(
        s.record_notification(&n, at(0)).unwrap(),
        "first time: show"
    );
    assert!(
        !s.record_notification(&n, at(15)).unwrap(),
        "repeat while showing: stay quiet"
    );
    s.dismiss_notification(&n.key, at(16)).unwrap();
    assert!(
        s.record_notification(&n, at(30)).unwrap(),
        "seen again after dismissal: show"
    );
}

#[test]
fn orders_export_as_one_row_per_line() {
    let mut s = Store::open_in_memory().unwrap();
    s.import_orders(
        &[order(1, 0, &[("A", 1), ("B", 2)])],
        &change(1, "imported"),
    )
    .unwrap();
    let mut csv = Vec::new();
    assert_eq!(s.export_orders_csv(&mut csv).unwrap(), 2);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.lines().nth(2).unwrap().starts_with("1,#1001,"), "{csv}");
}

struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// A minimal executor: proves [`punte_store::Reply`] is a real future without tokio.
fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park();
    }
}

#[test]
fn the_db_thread_answers_futures_and_survives_a_panicking_job() {
    let handle = StoreHandle::from_store(Store::open_in_memory().unwrap()).unwrap();
    let orders = vec![order(1, 0, &[("A", 2)])];
    let summary = handle.call(move |s| s.import_orders(&orders, &change(1, "imported")));
    assert_eq!(block_on(summary).unwrap().inserted, 1);
    let panicked = handle.call(|_| -> Result<(), StoreError> { panic!("a bug in a job") });
    assert!(matches!(panicked.wait(), Err(StoreError::ThreadGone)));
    let r = handle
        .call(|s| s.reservation_of(&"A".into()))
        .wait()
        .unwrap();
    assert_eq!(r, 2, "the thread must keep serving after a job panicked");
}
