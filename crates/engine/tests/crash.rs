//! Crash safety: the engine runs in a child process (this test binary re-invoked with
//! `PUNTE_CRASH_CHILD`) that is SIGKILLed at random points during bulk invoicing and stock sync,
//! 50 times, with the simulators' "dropped after commit" faults on. The simulators live in this
//! parent process so they outlive every child. Afterwards: every order has at most one invoice
//! in the simulator, every discharge belongs to an invoice of an order, and the store agrees.

mod common;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use punte_core::order::OrderId;
use punte_engine::SyncScope;
use punte_store::{OutboxState, StoreHandle};
use serde_json::{Value, json};

const ENV: &str = "PUNTE_CRASH_CHILD";

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

fn order_of(invoice: &Value) -> Option<u64> {
    let m = invoice["body"]["mentions"].as_str()?;
    let start = m.find("(punte:")? + 7;
    m[start..].trim_end_matches(')').parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_invoicing_and_sync_never_doubles_an_invoice() {
    let products = 6;
    // Time runs 60× in the simulators (and in the clients' pacing), so the SmartBill block that
    // fifty fresh processes can trigger (each paces only itself) lasts 10 s, not 10 minutes.
    let w = world(products, 0, 1_000, 60.0).await;
    let dir = std::env::temp_dir().join(format!("punte-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let db = dir.join("punte.sqlite");
    let _ = std::fs::remove_file(&db);
    let spec = json!({
        "config": config(&w, 60.0),
        "db": db.to_str().expect("utf-8 path"),
        "shopify": w.shop.credentials().get("static_token"),
        "billing": w.bill.credentials().get("token"),
    });
    let exe = std::env::current_exe().expect("test binary");
    let mut rng = fastrand::Rng::with_seed(7);
    let mut placed = 0;
    for round in 0..50 {
        for _ in 0..2 {
            place_order(&w, &[(&code(rng.usize(0..products)), rng.i64(1..3))]).await;
            placed += 1;
        }
        if round % 3 == 0 {
            post(
                &w.bill,
                "/faults",
                json!({"path": "/SBORO/api/invoice/v2",
                "mode": "drop_after_commit", "times": 1}),
            )
            .await;
        }
        if round % 4 == 1 {
            post(
                &w.shop,
                "/faults",
                json!({"path": "/admin/api/2026-07/graphql.json",
                "mode": "drop_after_commit", "times": 1}),
            )
            .await;
        }
        let mut child = Command::new(&exe)
            .args([
                "crash_child_entry",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ENV, spec.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        tokio::time::sleep(Duration::from_millis(rng.u64(150..900))).await;
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
    }
    delete(&w.bill, "/faults").await;
    delete(&w.shop, "/faults").await;

    // A last, clean engine on the same file finishes the work.
    let store = StoreHandle::open(db.clone()).expect("db reopens after 50 kills");
    let r = start_with(&w, config(&w, 60.0), store.clone());
    let mut settled = false;
    for _ in 0..60 {
        let open = open_orders(&store).await;
        let _ = r.engine.issue_invoices(open).await;
        let orders = r.engine.sync_now(SyncScope::OrdersOnly).await;
        let stock = r.engine.sync_now(SyncScope::Full).await;
        let mut waiting = 0;
        for id in open_orders(&store).await {
            let items = store
                .call(move |s| s.outbox_for_order(id))
                .await
                .expect("outbox");
            // Open orders left are the ones a person must look at, never silently pending.
            if items
                .last()
                .is_none_or(|i| i.state != OutboxState::NeedsReview)
            {
                waiting += 1;
            }
        }
        eprintln!(
            "settling: orders {:?}, stock {:?}, waiting {waiting}",
            orders.is_ok(),
            stock.is_ok()
        );
        if orders.is_ok() && stock.is_ok() && waiting == 0 {
            settled = true;
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(settled, "the engine settles once the faults are gone");

    let inv = invoices(&w).await;
    let mut per_order: HashMap<u64, Vec<&Value>> = HashMap::new();
    for i in inv.iter().filter(|i| i["storno_of"].is_null()) {
        let order = order_of(i).expect("every invoice names its order");
        per_order.entry(order).or_default().push(i);
    }
    for (order, list) in &per_order {
        assert_eq!(list.len(), 1, "order {order} has {} invoices", list.len());
    }
    for i in &inv {
        let discharges = i["discharges"].as_array().map_or(0, Vec::len);
        assert!(
            discharges == 0 || order_of(i).is_some(),
            "a discharge without an order: {i}"
        );
    }
    // The store agrees: confirmed ⇒ that exact invoice exists; an invoice exists ⇒ the store
    // has it confirmed or flagged for review (never silently unknown).
    let (mut confirmed, mut review) = (0, 0);
    for (order, list) in &per_order {
        let id = OrderId(*order);
        let items = store
            .call(move |s| s.outbox_for_order(id))
            .await
            .expect("outbox");
        let item = items.last().expect("the store knows the invoiced order");
        match item.state {
            OutboxState::Confirmed => {
                let got = item.invoice.as_ref().expect("number");
                assert_eq!(list[0]["number"].as_str(), Some(got.number.as_str()));
                confirmed += 1;
            }
            OutboxState::NeedsReview => review += 1,
            other => panic!("order {order} invoiced in billing but {other:?} in the store"),
        }
    }
    eprintln!(
        "orders {placed}, invoices {}, confirmed {confirmed}, needs review {review}",
        per_order.len()
    );
    assert!(confirmed > 0, "the engine made progress between kills");
    let _ = std::fs::remove_dir_all(&dir);
}
