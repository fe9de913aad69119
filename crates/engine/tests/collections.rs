//! Issue 17, cash on delivery, on each billing service: an order paid on delivery is invoiced
//! when fulfilled, Shopify marks it paid three days later (the Shopify simulator's clock moves
//! on), and exactly one collection is recorded on its invoice in the billing simulator, never
//! two however many times the orders job runs; the unpaid cash-on-delivery list shows it while
//! it is fulfilled and unpaid. Then the crash: the engine runs in a child process (this test
//! binary re-invoked with `PUNTE_COLLECT_CHILD`) on a data folder's `punte.db` and is SIGKILLed
//! at a named point, after the billing service committed the collection and before its answer
//! reached the engine (the simulator holds the answer, the parent kills the child as soon as the
//! collection shows in the simulator's state). The store then holds the item `sent`; a new
//! engine on the same file settles it by reading the invoice: confirmed, one collection, and the
//! collection call was made once.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use punte_core::order::{OrderId, OrderState};
use punte_engine::{AutoInvoice, EngineConfig, SyncScope};
use punte_sim::ServiceKind;
use punte_store::{CollectionState, StoreHandle};
use serde_json::{Value, json};

const ENV: &str = "PUNTE_COLLECT_CHILD";

fn scale(b: &Billing) -> f64 {
    match b.kind {
        ServiceKind::SmartBill => 6.0,
        _ => 60.0,
    }
}

/// The path of the service's collection call.
fn collect_path(b: &Billing) -> &'static str {
    match b.kind {
        ServiceKind::SmartBill => "/SBORO/api/payment",
        ServiceKind::Oblio => "/api/docs/invoice/collect",
        _ => "/v1/factura/incasare",
    }
}

/// Invoiced when fulfilled (the usual cash-on-delivery setting).
fn cod_config(w: &World, b: &Billing) -> (EngineConfig, String) {
    let (mut cfg, secret) = billing_config(w, b, scale(b));
    cfg.settings.auto_invoice = AutoInvoice::WhenFulfilled;
    (cfg, secret)
}

fn engine(w: &World, b: &Billing, store: StoreHandle) -> Running {
    let (cfg, secret) = cod_config(w, b);
    let (events, _) = tokio::sync::broadcast::channel(1024);
    let notes = std::sync::Arc::new(punte_engine::RecordingNotifier::default());
    let deps = punte_engine::EngineDeps {
        store: store.clone(),
        notifier: notes.clone(),
        secrets: std::sync::Arc::new(punte_engine::MemorySecrets::with(&[
            (
                punte_engine::secrets::SHOPIFY_SECRET,
                w.shop.credentials().get("static_token"),
            ),
            (punte_engine::secrets::BILLING_SECRET, &secret),
        ])),
        clock: std::sync::Arc::new(punte_engine::SystemClock),
        events,
    };
    Running {
        engine: punte_engine::Engine::start(cfg, deps),
        store,
        notes,
    }
}

/// The collections the billing simulator holds: (invoice number, value).
async fn collects(w: &World) -> Vec<(String, f64)> {
    let st = get(&w.bill, "/state").await;
    st["collects"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let v = c["value"]
                .as_f64()
                .or_else(|| c["value"].as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(f64::NAN);
            (c["number"].as_str().unwrap_or_default().to_owned(), v)
        })
        .collect()
}

/// Collection calls that reached the service (any answer, or dropped).
async fn collect_calls(w: &World, b: &Billing) -> usize {
    let log = get(&w.bill, "/log").await;
    log.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|r| r["path"] == collect_path(b))
        .count()
}

async fn collection_state(store: &StoreHandle, id: OrderId) -> Option<CollectionState> {
    store
        .call(move |s| s.collection(id))
        .await
        .expect("collection")
        .map(|c| c.state)
}

/// A cash-on-delivery order placed, imported, fulfilled and invoiced; then, three days later in
/// Shopify, marked paid. Returns the order and its invoice number.
async fn invoiced_then_paid(w: &World, r: &Running) -> (OrderId, String, f64) {
    r.engine
        .sync_now(SyncScope::Full)
        .await
        .expect("first sync");
    let id = place_order(w, &[(&code(0), 2)]).await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("import");
    assert_eq!(state_of(&r.store, id).await, OrderState::Open);
    post(&w.shop, "/clock", json!({"advance_seconds": 60})).await;
    post(
        &w.shop,
        &format!("/shopify/orders/{}/fulfil", id.0),
        json!({}),
    )
    .await;
    r.engine
        .sync_now(SyncScope::OrdersOnly)
        .await
        .expect("invoiced");
    assert!(
        matches!(state_of(&r.store, id).await, OrderState::Invoiced { .. }),
        "invoiced at fulfilment"
    );
    let items = r
        .store
        .call(move |s| s.outbox_for_order(id))
        .await
        .expect("outbox");
    let item = items.last().expect("an outbox item");
    let number = item
        .invoice
        .as_ref()
        .map(|i| i.number.clone())
        .expect("an invoice number");
    let draft: punte_core::invoice::InvoiceDraft =
        serde_json::from_str(&item.intent.draft).expect("draft");
    let total: f64 = draft.total().to_string().parse().expect("total");
    assert!(
        collects(w).await.is_empty(),
        "nothing collected while PENDING"
    );
    assert_eq!(collection_state(&r.store, id).await, None);

    // Fulfilled and unpaid: on the unpaid list once it is old enough.
    let later = chrono::Utc::now() + chrono::Duration::days(30);
    let unpaid = r
        .store
        .call(move |s| s.unpaid_cash_on_delivery(later, punte_store::CodEra::SinceConnection))
        .await
        .expect("unpaid");
    assert_eq!(unpaid, vec![id], "fulfilled and unpaid");

    post(&w.shop, "/clock", json!({"advance_seconds": 3 * 86_400})).await;
    post(&w.shop, &format!("/shopify/orders/{}/pay", id.0), json!({})).await;
    (id, number, total)
}

async fn once_over_repeated_runs(b: Billing) {
    let w = world_of(&b, 1, 100, scale(&b)).await;
    let r = engine(&w, &b, memory_store());
    let (id, number, total) = invoiced_then_paid(&w, &r).await;
    for _ in 0..3 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("orders job");
    }
    let got = collects(&w).await;
    assert_eq!(got.len(), 1, "{:?}: one collection: {got:?}", b.kind);
    assert_eq!(got[0].0, number, "{:?}: on the order's invoice", b.kind);
    assert!(
        total > 0.0 && (got[0].1 - total).abs() < 0.005,
        "{:?}: the invoice's total {total}: {got:?}",
        b.kind
    );
    assert_eq!(collect_calls(&w, &b).await, 1, "{:?}: sent once", b.kind);
    assert_eq!(
        collection_state(&r.store, id).await,
        Some(CollectionState::Confirmed)
    );
    let later = chrono::Utc::now() + chrono::Duration::days(30);
    let unpaid = r
        .store
        .call(move |s| s.unpaid_cash_on_delivery(later, punte_store::CodEra::SinceConnection))
        .await
        .expect("unpaid");
    assert!(unpaid.is_empty(), "paid: off the list: {unpaid:?}");
    // The merchant marking it paid as well changes nothing.
    let again = r.engine.mark_collected(id).await.expect("mark paid");
    assert!(
        matches!(
            again,
            punte_engine::CollectionOutcome::AlreadyRecorded { .. }
        ),
        "{again:?}"
    );
    assert_eq!(collects(&w).await.len(), 1);
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cod_paid_three_days_later_is_collected_once_smartbill() {
    once_over_repeated_runs(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cod_paid_three_days_later_is_collected_once_oblio() {
    once_over_repeated_runs(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cod_paid_three_days_later_is_collected_once_fgo() {
    once_over_repeated_runs(FGO).await;
}

/// The child: open the store file, run the orders job in a loop until killed.
#[test]
fn collect_child_entry() {
    let Ok(spec) = std::env::var(ENV) else {
        return;
    };
    let spec: Value = serde_json::from_str(&spec).expect("spec");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async move {
        let config: EngineConfig = serde_json::from_value(spec["config"].clone()).expect("config");
        let store = StoreHandle::open(spec["db"].as_str().expect("db").into()).expect("db");
        let secrets = std::sync::Arc::new(punte_engine::MemorySecrets::with(&[
            (
                punte_engine::secrets::SHOPIFY_SECRET,
                spec["shopify"].as_str().unwrap_or(""),
            ),
            (
                punte_engine::secrets::BILLING_SECRET,
                spec["billing"].as_str().unwrap_or(""),
            ),
        ]));
        let (events, _) = tokio::sync::broadcast::channel(64);
        let deps = punte_engine::EngineDeps {
            store,
            notifier: std::sync::Arc::new(punte_engine::NoNotifier),
            secrets,
            clock: std::sync::Arc::new(punte_engine::SystemClock),
            events,
        };
        let engine = punte_engine::Engine::start(config, deps);
        loop {
            let _ = engine.sync_now(SyncScope::OrdersOnly).await;
        }
    });
}

async fn crash_between_call_and_record(b: Billing) {
    let w = world_of(&b, 1, 100, scale(&b)).await;
    let dir =
        std::env::temp_dir().join(format!("punte-collect-{:?}-{}", b.kind, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("data folder");
    let db = dir.join("punte.db");
    let store = StoreHandle::open(db.clone()).expect("store file");
    let r = engine(&w, &b, store);
    let (id, number, _) = invoiced_then_paid(&w, &r).await;
    r.engine.stop().await;
    drop(r.store);

    // The service commits the collection, then holds its answer: the child is killed then.
    let hold = json!({"path": collect_path(&b), "mode": "slow_after_commit", "ms": 3000,
        "times": 1});
    post(&w.bill, "/faults", hold).await;
    let (cfg, secret) = cod_config(&w, &b);
    let spec = json!({"config": cfg, "db": db.to_str().expect("utf-8 path"),
        "shopify": w.shop.credentials().get("static_token"), "billing": secret});
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(&exe)
        .args(["collect_child_entry", "--exact", "--test-threads=1"])
        .env(ENV, spec.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts");
    let started = Instant::now();
    while collects(&w).await.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{:?}: the child never sent the collection",
            b.kind
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    // The named point: the call is committed in billing, its answer never recorded.
    {
        let s = punte_store::Store::open(&db).expect("the file opens after the kill");
        let item = s.collection(id).expect("read").expect("an item");
        assert_eq!(
            item.state,
            CollectionState::Sent,
            "{:?}: killed in flight",
            b.kind
        );
    }
    // The killed call is not in the log (its connection closed before the answer): every
    // collection call from here on would be a second one.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    delete(&w.bill, "/faults").await;
    let before = collect_calls(&w, &b).await;

    let store = StoreHandle::open(db.clone()).expect("the file reopens");
    let r = engine(&w, &b, store);
    for _ in 0..3 {
        r.engine
            .sync_now(SyncScope::OrdersOnly)
            .await
            .expect("orders job");
    }
    let got = collects(&w).await;
    assert_eq!(got.len(), 1, "{:?}: one collection: {got:?}", b.kind);
    assert_eq!(got[0].0, number);
    assert_eq!(
        collect_calls(&w, &b).await,
        before,
        "{:?}: never sent again after the restart",
        b.kind
    );
    assert_eq!(
        collection_state(&r.store, id).await,
        Some(CollectionState::Confirmed),
        "{:?}: settled by the read",
        b.kind
    );
    assert!(
        r.notes.events().is_empty()
            || !r.notes.events().iter().any(|e| matches!(
                e,
                punte_engine::NotificationEvent::CollectionNeedsReview { .. }
            ))
    );
    r.engine.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_between_collection_and_record_smartbill() {
    crash_between_call_and_record(SMARTBILL).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_between_collection_and_record_oblio() {
    crash_between_call_and_record(OBLIO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_between_collection_and_record_fgo() {
    crash_between_call_and_record(FGO).await;
}
