//! Measurement harness for issue 19's "Must show", run by hand (one service per run):
//! `cargo test --release -p punte-engine --test bench_freshness <smartbill|oblio|fgo> --
//! --ignored --nocapture`. Environment: `FRESH_PRODUCTS` (default 20,000; FGO 200),
//! `FRESH_WINDOW` seconds over which the moments are drawn (default 120), `FRESH_QUIET` seconds
//! of the quiet-shop count (default 120), `FRESH_BASELINE=1` for the fixed 15-minute cadence
//! (looks off; then set the window to 900 or more), or `FRESH_BASELINE=smartbill` (a list of
//! services) for the baseline of those only, so one run can measure a baseline beside the
//! others; `FRESH_PRODUCTS_FGO`, `FRESH_WINDOW_SMARTBILL` (any service's name) set one
//! service's products or window; `FRESH_EVENTS` receipts and orders each (default 20);
//! `FRESH_WARMUP=0` skips the warm-up receipt (the window starts right after the first run).
//!
//! Simulators on loopback in real time (scale 1, Shopify Standard bucket 2,000 points at 100/s,
//! each billing service at its documented limit), the engine at default settings and default
//! timing (tick 5 s, looks on). After the first (full) run and a warm-up receipt (see `run`),
//! 20 goods receipts and 20 orders land
//! at uniformly random moments in the window, each on its own product. A poller (its own
//! Shopify token, one `levels_of` a second for the pending products) stamps when each receipt's
//! level reaches Shopify; the store is polled for each order's reservation and verdict. Then
//! nothing changes for the quiet period and both simulators count the engine's requests.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use punte_core::order::OrderId;
use punte_core::product::InventoryItemId;
use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_engine::{
    BillingAccount, Engine, EngineDeps, MemorySecrets, RecordingNotifier, SystemClock, Timing,
};
use punte_shopify::{Credentials, Secret, ShopifyClient, ShopifyConfig};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The warehouse as the engine names it for `kind`.
fn warehouse(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Fgo => "G1",
        _ => WAREHOUSE,
    }
}

async fn world_of(kind: ServiceKind, n: usize) -> World {
    let opts = SimOptions::default();
    let shop = SimServer::start(ServiceKind::Shopify, opts.clone())
        .await
        .expect("shopify sim");
    let bill = SimServer::start(kind, opts).await.expect("billing sim");
    let idx: Vec<usize> = (0..n).collect();
    for chunk in idx.chunks(2000) {
        let products: Vec<Value> = chunk
            .iter()
            .map(|&i| {
                json!({"title": format!("Produs {i}"), "variants": [{"title": "Default Title",
                "sku": code(i), "price": "121.00", "stock": 10}]})
            })
            .collect();
        post(&shop, "/shopify/seed", json!({"products": products})).await;
        if kind == ServiceKind::SmartBill {
            let articles: Vec<Value> = chunk
                .iter()
                .map(|&i| {
                    json!({"code": code(i), "name": format!("Produs {i}"), "unit": "buc",
                    "price": "121.00", "vat_percent": 21, "stock": "10"})
                })
                .collect();
            post(
                &bill,
                "/billing/seed",
                json!({"articles": articles, "warehouse": WAREHOUSE}),
            )
            .await;
        } else {
            let lines: Vec<Value> = chunk
                .iter()
                .map(|&i| json!({"code": code(i), "name": format!("Produs {i}"), "quantity": 10}))
                .collect();
            post(
                &bill,
                "/billing/receive",
                json!({"warehouse": warehouse(kind), "lines": lines}),
            )
            .await;
        }
    }
    let client = shopify_client(&shop);
    let location = client.locations().await.expect("locations")[0].id;
    World {
        shop,
        bill,
        location,
        client,
    }
}

fn shopify_client(shop: &SimServer) -> ShopifyClient {
    let mut config = ShopifyConfig::new(
        shop.base_url(),
        Credentials::StaticToken(Secret::new(shop.credentials().get("static_token"))),
    );
    config.request_timeout = Duration::from_secs(30);
    ShopifyClient::new(config).expect("client")
}

fn start_on(w: &World, kind: ServiceKind, baseline: bool) -> Running {
    let c = w.bill.credentials();
    let mut cfg = config(w, 1.0);
    cfg.timing = Timing::default();
    cfg.settings.freshness.watch = !baseline;
    cfg.connections.request_timeout = Duration::from_secs(60);
    let secret = match kind {
        ServiceKind::SmartBill => c.get("token"),
        ServiceKind::Oblio => {
            cfg.connections.billing = BillingAccount::Oblio {
                email: c.get("client_id").into(),
                cif: c.get("cif").into(),
            };
            c.get("client_secret")
        }
        _ => {
            cfg.connections.billing = BillingAccount::Fgo {
                cod_unic: c.get("cod_unic").into(),
                platform_url: "https://punte.local".into(),
                series: vec!["PNT".into()],
            };
            c.get("private_key")
        }
    };
    cfg.connections.warehouse = warehouse(kind).into();
    let (events, _) = tokio::sync::broadcast::channel(1024);
    let notes = Arc::new(RecordingNotifier::default());
    let store = memory_store();
    let deps = EngineDeps {
        store: store.clone(),
        notifier: notes.clone(),
        secrets: Arc::new(MemorySecrets::with(&[
            (SHOPIFY_SECRET, w.shop.credentials().get("static_token")),
            (BILLING_SECRET, secret),
        ])),
        clock: Arc::new(SystemClock),
        events,
    };
    Running {
        engine: Engine::start(cfg, deps),
        store,
        notes,
    }
}

/// (p50, p95, max) of `xs` in seconds (nearest rank).
fn quantiles(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let rank = |q: f64| xs[((q * xs.len() as f64).ceil() as usize).clamp(1, xs.len()) - 1];
    (rank(0.5), rank(0.95), xs[xs.len() - 1])
}

/// The engine's requests per simulator path since the last reset, summed.
async fn requests(sim: &SimServer) -> (u64, Value) {
    let counts = get(sim, "/counts").await;
    let total = counts
        .as_object()
        .map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
    (total, counts)
}

/// The Shopify requests since the last reset by operation ("query Variants"), from the
/// simulator's log.
async fn operations(sim: &SimServer) -> Value {
    let mut tally: std::collections::BTreeMap<String, u64> = Default::default();
    for r in get(sim, "/log").await.as_array().into_iter().flatten() {
        let doc = r["graphql"].as_str().unwrap_or_default();
        let op = doc
            .lines()
            .find(|l| l.starts_with("query") || l.starts_with("mutation"))
            .and_then(|l| l.split(['(', '{']).next())
            .unwrap_or("other")
            .trim()
            .to_owned();
        *tally.entry(op).or_default() += 1;
    }
    json!(tally)
}

async fn run(kind: ServiceKind) {
    let name = format!("{kind:?}").to_uppercase();
    let n = env(
        "FRESH_PRODUCTS",
        if kind == ServiceKind::Fgo {
            200
        } else {
            20_000
        },
    );
    let n = env(&format!("FRESH_PRODUCTS_{name}"), n) as usize;
    let window = env(&format!("FRESH_WINDOW_{name}"), env("FRESH_WINDOW", 120));
    let quiet = env("FRESH_QUIET", 120);
    // Receipts and orders each (default 20).
    let events = env("FRESH_EVENTS", 20) as usize;
    let baseline = std::env::var("FRESH_BASELINE")
        .is_ok_and(|v| v == "1" || v.to_uppercase().split(',').any(|s| s.trim() == name));
    let t = Instant::now();
    let w = world_of(kind, n).await;
    let r = start_on(&w, kind, baseline);
    while r.engine.status().last_sync.is_none() {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "{kind:?}: {n} products, first run done at {:.1} s; looks {}",
        t.elapsed().as_secs_f64(),
        if baseline {
            "off (15-minute cadence)"
        } else {
            "on"
        }
    );
    // The first run drained the bucket: read the item ids when Shopify allows.
    let levels = loop {
        match w.client.levels_at(w.location).await {
            Ok(l) => break l,
            Err(_) => tokio::time::sleep(Duration::from_secs(5)).await,
        }
    };
    let items: HashMap<String, InventoryItemId> = levels
        .into_iter()
        .filter_map(|l| Some((l.sku?, l.inventory_item_id)))
        .collect();

    // Warm-up (not timed; with looks on): the simulator seeds every level in the same second,
    // so Shopify's "changed since" answers the whole shop (20,000 levels, a drained bucket)
    // at every look until Punte has written once; a real shop's levels carry their own times.
    // One receipt on the last product, followed, then one more look, as `freshness.rs` does.
    let warm = n - 1;
    if !baseline && env("FRESH_WARMUP", 1) != 0 {
        post(
            &w.bill,
            "/billing/receive",
            json!({"warehouse": warehouse(kind), "lines": [{"code": code(warm),
            "name": format!("Produs {warm}"), "quantity": 5}]}),
        )
        .await;
        let id = [items[&code(warm)]];
        while !w
            .client
            .levels_of(w.location, &id)
            .await
            .unwrap_or_default()
            .iter()
            .any(|l| l.available == 15)
        {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let seen = r.engine.status().last_sync;
        while r.engine.status().last_sync == seen {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        println!("{kind:?}: warmed up at {:.1} s", t.elapsed().as_secs_f64());
    }

    // Distinct products: receipts on the first half of a shuffled draw, orders on the second.
    let mut picks: Vec<usize> = (0..warm).collect();
    fastrand::shuffle(&mut picks);
    let start = Instant::now();
    let mut moments: Vec<(f64, usize, bool)> = (0..2 * events)
        .map(|i| (fastrand::f64() * window as f64, picks[i], i < events))
        .collect();
    moments.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut receipts: Vec<(String, Instant)> = Vec::new();
    let mut orders: Vec<(OrderId, Instant)> = Vec::new();
    let mut receipt_lat = Vec::new();
    let mut order_lat = Vec::new();
    let poller = shopify_client(&w.shop);
    post(&w.shop, "/reset-log", json!({})).await;
    let mut next = 0;
    let deadline = Duration::from_secs(window + if baseline { 1200 } else { 600 });
    let mut shown = 0;
    while receipt_lat.len() < events || order_lat.len() < events {
        let status = r.engine.status();
        assert!(start.elapsed() < deadline, "not all followed: {status:?}");
        // A run held for the merchant's confirmation stops looks: nothing more would follow.
        assert!(
            !status.awaiting_confirmation,
            "a run waits for the merchant's confirmation: {status:?}"
        );
        if start.elapsed().as_secs() / 60 > shown {
            shown = start.elapsed().as_secs() / 60;
            println!(
                "{kind:?} {shown} min: receipts followed {}/{events}, orders {}/{events}",
                receipt_lat.len(),
                order_lat.len()
            );
        }
        while next < moments.len() && start.elapsed().as_secs_f64() >= moments[next].0 {
            let (_, i, receipt) = moments[next];
            if receipt {
                post(
                    &w.bill,
                    "/billing/receive",
                    json!({"warehouse": warehouse(kind), "lines": [{"code": code(i),
                    "name": format!("Produs {i}"), "quantity": 5}]}),
                )
                .await;
                receipts.push((code(i), Instant::now()));
            } else {
                orders.push((place_order(&w, &[(&code(i), 1)]).await, Instant::now()));
            }
            next += 1;
        }
        let pending: Vec<InventoryItemId> = receipts.iter().map(|(c, _)| items[c]).collect();
        if !pending.is_empty() {
            // A throttled poll is skipped (the next one is a second later).
            let levels = poller
                .levels_of(w.location, &pending)
                .await
                .unwrap_or_default();
            let now = Instant::now();
            receipts.retain(|(c, at)| {
                let done = levels
                    .iter()
                    .any(|l| l.sku.as_deref() == Some(c.as_str()) && l.available == 15);
                if done {
                    receipt_lat.push(now.duration_since(*at).as_secs_f64());
                }
                !done
            });
        }
        let mut still = Vec::new();
        for (o, at) in orders.drain(..) {
            let row = r.store.call(move |s| s.order(o)).await.expect("order");
            match row {
                Some(row) if row.in_stock.is_some() => {
                    order_lat.push(at.elapsed().as_secs_f64());
                }
                _ => still.push((o, at)),
            }
        }
        orders = still;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let (p50, p95, max) = quantiles(receipt_lat.clone());
    println!(
        "{kind:?} receipt -> Shopify level ({events}): p50 {p50:.1} s, p95 {p95:.1} s, max {max:.1} s"
    );
    let (p50, p95, max) = quantiles(order_lat);
    println!(
        "{kind:?} order -> reserved + verdict ({events}): p50 {p50:.1} s, p95 {p95:.1} s, max {max:.1} s"
    );
    println!("{kind:?} status: {:?}", r.engine.status().freshness);
    // What Shopify answered while the receipts and orders were followed (the poller's
    // `ItemLevels` included): the levels pages show whether looks re-read the shop.
    println!(
        "{kind:?} window: Shopify operations {}",
        operations(&w.shop).await
    );

    // A quiet shop: nothing changes; both simulators count what the engine asks.
    post(&w.shop, "/reset-log", json!({})).await;
    post(&w.bill, "/reset-log", json!({})).await;
    let rows = || async {
        r.store
            .call(|s| s.recent_runs(100_000))
            .await
            .expect("runs")
    };
    let rows_before = rows().await.len();
    tokio::time::sleep(Duration::from_secs(quiet)).await;
    let history = rows().await;
    let looks: Vec<String> = history
        .iter()
        .take(history.len() - rows_before + 1)
        .filter_map(|run| run.end.as_ref()?.detail.clone())
        .collect();
    println!(
        "{kind:?} quiet {quiet} s: History rows added {} (newest rows' detail: {looks:?})",
        history.len() - rows_before
    );
    let (shop_calls, _) = requests(&w.shop).await;
    let shop_paths = operations(&w.shop).await;
    let (bill_calls, bill_paths) = requests(&w.bill).await;
    let per_hour = |c: u64| c as f64 * 3600.0 / quiet as f64;
    println!(
        "{kind:?} quiet {quiet} s: Shopify {shop_calls} ({:.0}/h) {shop_paths}; billing {bill_calls} ({:.0}/h) {bill_paths}",
        per_hour(shop_calls),
        per_hour(bill_calls)
    );
    r.engine.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: minutes of real time"]
async fn smartbill() {
    run(ServiceKind::SmartBill).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: minutes of real time"]
async fn oblio() {
    run(ServiceKind::Oblio).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: minutes of real time"]
async fn fgo() {
    run(ServiceKind::Fgo).await;
}
