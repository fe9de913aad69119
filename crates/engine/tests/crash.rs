//! Crash safety on each billing service (SmartBill, Oblio, FGO; one test each, same code): the
//! engine runs in a child process (this test binary re-invoked with `PUNTE_CRASH_CHILD`) on a
//! data folder's `punte.db`, as the app runs it, and is SIGKILLed at random points during bulk
//! invoicing and stock sync, 50 times (`PUNTE_CRASH_KILLS` for more), with the simulators'
//! "dropped after commit" and "slow answer" faults on the issue call and on Shopify writes.
//! Every child restarts on the same SQLite file, so on the same outbox and the same persisted
//! call windows. The simulators live in this parent process and outlive every child; a last,
//! clean engine on the same file finishes the work. Then, from the simulator's own records:
//!
//! - no order has two invoices, every invoice names its order, and no invoice was sent again
//!   once it existed (which would leave it to the service's own duplicate check, if any);
//! - every discharge belongs to an invoice, and each code's warehouse stock went down by exactly
//!   what the invoiced orders asked for;
//! - the service refused nothing: no 429, no SmartBill block, no FGO "too soon" answer;
//! - the store agrees: an order with an invoice is confirmed with that number and Invoiced, one
//!   without is not confirmed, and no reservation is left;
//! - no false needs-review. Here Punte is the only issuer in the series, every order has at
//!   most one invoice and the engine sends one item at a time, so reads always decide a lost
//!   answer: Oblio lists the order's `punte:<id>` mention; on SmartBill and FGO each invoice
//!   numbered since the item's mark belongs to exactly one order, and every later one is tied
//!   to its order once the later items are settled. So every order left in needs-review is a
//!   false one, and the test asks for none.

mod common;
#[path = "crash/truth.rs"]
mod truth;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use punte_core::order::{OrderId, OrderState};
use punte_engine::SyncScope;
use punte_store::{OutboxState, StoreHandle};
use serde_json::{Value, json};

const ENV: &str = "PUNTE_CRASH_CHILD";
/// How much faster simulated time runs (in the simulators and in the clients' pacing): so fast
/// that a run takes seconds, and slow enough that a call window (SmartBill 30 calls in 10 s,
/// Oblio 30 documents in 100 s, FGO one list of articles per 30 s) lasts longer than a
/// restart, so a restart that forgot the calls made before it would earn refusals.
fn scale(b: &Billing) -> f64 {
    match b.kind {
        punte_sim::ServiceKind::SmartBill => 6.0,
        _ => 60.0,
    }
}
const PRODUCTS: usize = 6;

/// The child: open the store file, then invoice and sync in a loop until killed.
#[test]
fn crash_child_entry() {
    let Ok(spec) = std::env::var(ENV) else {
        return;
    };
    let spec: Value = serde_json::from_str(&spec).expect("spec");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async move {
        let mut config: punte_engine::EngineConfig =
            serde_json::from_value(spec["config"].clone()).expect("config");
        config.timing.scheduled = false;
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
            store: store.clone(),
            notifier: std::sync::Arc::new(punte_engine::NoNotifier),
            secrets,
            clock: std::sync::Arc::new(punte_engine::SystemClock),
            events,
        };
        let engine = punte_engine::Engine::start(config, deps);
        loop {
            let _ = engine.sync_now(SyncScope::OrdersOnly).await;
            let open = open_orders(&store).await;
            let _ = engine.issue_invoices(open).await;
            let _ = engine.sync_now(SyncScope::StockOnly).await;
        }
    });
}

async fn open_orders(store: &StoreHandle) -> Vec<OrderId> {
    let q = punte_store::OrderQuery::new(punte_store::StatusFilter::Pending, 500);
    let page = store
        .call(move |s| s.orders_page(&q))
        .await
        .expect("orders");
    page.items.into_iter().map(|o| o.id).collect()
}

/// Outbox items a killed child left `sent` (the issue call made, its answer not recorded).
fn sent_items(db: &std::path::Path) -> usize {
    let store = punte_store::Store::open(db).expect("the file opens between children");
    let pending = store.pending_outbox(10_000).expect("outbox");
    pending
        .iter()
        .filter(|i| i.state == OutboxState::Sent)
        .count()
}

fn kills() -> usize {
    std::env::var("PUNTE_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

/// Kills the engine `kills` times on `b`, settles, checks everything; returns the figures line.
async fn crash_story(b: Billing, seed: u64) -> String {
    let started = Instant::now();
    let w = world_of(&b, PRODUCTS, 1_000, scale(&b)).await;
    let dir = std::env::temp_dir().join(format!("punte-crash-{:?}-{}", b.kind, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("data folder");
    let db = dir.join("punte.db");
    let (cfg, secret) = billing_config(&w, &b, scale(&b));
    let spec = json!({
        "config": cfg,
        "db": db.to_str().expect("utf-8 path"),
        "shopify": w.shop.credentials().get("static_token"),
        "billing": secret,
    });
    let exe = std::env::current_exe().expect("test binary");
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut ordered: BTreeMap<u64, (String, i64)> = BTreeMap::new();
    let rounds = kills();
    let mut in_flight = 0;
    for round in 0..rounds {
        // Orders come in bursts of 40, so children start on a backlog: bulk invoicing, paced by
        // the service's limits (40 invoices need more than one call window), across restarts.
        let burst = if round % 10 == 0 { 40 } else { 0 };
        for _ in 0..burst {
            let (sku, qty) = (code(rng.usize(0..PRODUCTS)), rng.i64(1..3));
            let id = place_order(&w, &[(&sku, qty)]).await;
            ordered.insert(id.0, (sku, qty));
        }
        let fault = match round % 6 {
            0 | 3 => Some(json!({"mode": "drop_after_commit"})),
            // A slow answer makes the kill land while the issue call is in flight.
            1 => Some(json!({"mode": "latency", "ms": 400})),
            _ => None,
        };
        if let Some(mut f) = fault {
            f["path"] = json!(truth::issue_path(&b));
            f["times"] = json!(1);
            post(&w.bill, "/faults", f).await;
        }
        if round % 4 == 1 {
            let f = json!({"path": "/admin/api/2026-07/graphql.json",
                "mode": "drop_after_commit", "times": 1});
            post(&w.shop, "/faults", f).await;
        }
        let mut child = Command::new(&exe)
            .args(["crash_child_entry", "--exact", "--test-threads=1"])
            .env(ENV, spec.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        tokio::time::sleep(Duration::from_millis(rng.u64(150..900))).await;
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        in_flight += usize::from(sent_items(&db) > 0);
    }
    delete(&w.bill, "/faults").await;
    delete(&w.shop, "/faults").await;
    let during = truth::invoices(&w, &b).await.len();

    let store = StoreHandle::open(db.clone()).expect("the file reopens after the kills");
    let r = start_billing(&w, &b, scale(&b), store.clone());
    if !settle(&r, &store).await {
        let refused = truth::refusals(&w, &b).await;
        panic!("the engine does not settle once the faults are gone; refused: {refused:?}");
    }
    let figures = check(&w, &b, &store, &ordered).await;
    r.engine.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    format!(
        "{:?}: kills {rounds} ({in_flight} with an invoice in flight), invoices before the \
         last start {during}, {figures}, wall {:.1} s",
        b.kind,
        started.elapsed().as_secs_f64()
    )
}

/// A clean engine on the same file finishes the work: every open order invoiced or in review.
async fn settle(r: &Running, store: &StoreHandle) -> bool {
    for _ in 0..60 {
        let open = open_orders(store).await;
        let _ = r.engine.issue_invoices(open).await;
        let orders = r.engine.sync_now(SyncScope::OrdersOnly).await;
        let stock = r.engine.sync_now(SyncScope::Full).await;
        let mut waiting = 0;
        for id in open_orders(store).await {
            let items = store
                .call(move |s| s.outbox_for_order(id))
                .await
                .expect("outbox");
            if items
                .last()
                .is_none_or(|i| i.state != OutboxState::NeedsReview)
            {
                waiting += 1;
            }
        }
        if orders.is_ok() && stock.is_ok() && waiting == 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    false
}

/// Everything the module's doc promises; returns the counts.
async fn check(
    w: &World,
    b: &Billing,
    store: &StoreHandle,
    ordered: &BTreeMap<u64, (String, i64)>,
) -> String {
    // Counters first: the stock reads below are calls too.
    let refused = truth::refusals(w, b).await;
    assert_eq!(
        refused,
        truth::Refusals::default(),
        "the service refused calls"
    );
    let issued = truth::invoices(w, b).await;
    let mut per_order: BTreeMap<u64, Vec<&truth::Issued>> = BTreeMap::new();
    for i in &issued {
        let order = i
            .order
            .unwrap_or_else(|| panic!("an invoice without its order: {i:?}"));
        assert!(
            ordered.contains_key(&order),
            "an invoice for no order: {i:?}"
        );
        assert!(!i.cancelled, "Punte cancelled nothing: {i:?}");
        per_order.entry(order).or_default().push(i);
    }
    for (order, list) in &per_order {
        assert_eq!(list.len(), 1, "order {order} has invoices {list:?}");
    }
    let (sent, dropped) = truth::issue_requests(w, b).await;
    for (order, times) in sent {
        assert_eq!(times, 1, "order {order}'s invoice was sent {times} times");
    }
    assert!(
        dropped > 0,
        "no answer was lost: the test would prove nothing"
    );
    // Every discharge is its invoice's order's lines, and the stock moved by exactly those.
    let mut taken: BTreeMap<String, i64> = BTreeMap::new();
    for (order, list) in &per_order {
        let (sku, qty) = &ordered[order];
        assert_eq!(
            list[0].discharges,
            vec![(sku.clone(), *qty)],
            "order {order}"
        );
        *taken.entry(sku.clone()).or_default() += qty;
    }
    for i in 0..PRODUCTS {
        let sku = code(i);
        let left = truth::stock(w, b, &sku).await;
        let want = 1_000 - taken.get(&sku).copied().unwrap_or(0);
        assert_eq!(left, want, "{sku}: warehouse stock against the invoices");
        assert_eq!(
            reserved(store, &sku).await,
            0,
            "{sku}: a reservation is left"
        );
    }

    let (mut confirmed, mut review) = (0, Vec::new());
    for &order in ordered.keys() {
        let id = OrderId(order);
        let items = store
            .call(move |s| s.outbox_for_order(id))
            .await
            .expect("outbox");
        let item = items.last();
        let state = item.map(|i| i.state);
        match per_order.get(&order) {
            Some(list) if state == Some(OutboxState::Confirmed) => {
                let got = item.and_then(|i| i.invoice.as_ref()).expect("a number");
                assert_eq!(got.number, list[0].number, "order {order}");
                let invoiced = OrderState::Invoiced {
                    stock_discharged: true,
                };
                assert_eq!(state_of(store, id).await, invoiced, "order {order}");
                confirmed += 1;
            }
            _ if state == Some(OutboxState::NeedsReview) => {
                let detail = item.and_then(|i| i.error.clone()).unwrap_or_default();
                let exists = per_order.get(&order).map(|l| l[0].number.clone());
                review.push(format!("{order} (invoice {exists:?}): {detail}"));
            }
            found => panic!("order {order}: {found:?} in billing, {state:?} in the store"),
        }
    }
    assert!(review.is_empty(), "false needs-review: {review:#?}");
    assert_eq!(confirmed, ordered.len(), "every order ends invoiced");
    format!(
        "lost answers {dropped}, orders {}, invoices {}, confirmed {confirmed}, needs review {}, \
         429s {}, blocks {}, too-soon {}",
        ordered.len(),
        issued.len(),
        review.len(),
        refused.too_many,
        refused.blocks,
        refused.too_soon
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_bulk_invoicing_smartbill() {
    eprintln!("{}", crash_story(SMARTBILL, 7).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_bulk_invoicing_oblio() {
    eprintln!("{}", crash_story(OBLIO, 11).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_bulk_invoicing_fgo() {
    eprintln!("{}", crash_story(FGO, 13).await);
}
