//! Shared by the end-to-end tests: a Shopify and a SmartBill simulator on loopback, seeded with
//! the same codes; an engine pointed at them with an in-memory store and secrets; and helpers to
//! read both sides (Shopify `available`, billing stock, invoices) and drive the simulators.
#![allow(dead_code)]

mod invoiced;
mod kits;
mod reads;
mod services;
#[allow(unused_imports)] // Only the returns and cancellation tests start invoiced.
pub use invoiced::*;
#[allow(unused_imports)] // Only the kit tests use the gift box.
pub use kits::*;
#[allow(unused_imports)] // Not every test binary reads both sides.
pub use reads::*;
#[allow(unused_imports)] // Most test binaries use only the SmartBill world.
pub use services::*;

use std::sync::Arc;
use std::time::Duration;

use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_engine::{
    BillingAccount, Connections, Engine, EngineConfig, EngineDeps, EngineHandle, EngineSettings,
    MemorySecrets, RecordingNotifier, SystemClock, Timing,
};
use punte_shopify::{Credentials, Secret, ShopifyClient, ShopifyConfig};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use punte_store::{Store, StoreHandle};
use serde_json::{Value, json};

pub const WAREHOUSE: &str = "Depozit central";

pub struct World {
    pub shop: SimServer,
    pub bill: SimServer,
    pub location: u64,
    pub client: ShopifyClient,
}

pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

pub async fn post(sim: &SimServer, path: &str, body: Value) -> Value {
    let r = http()
        .post(format!("{}{path}", sim.control_url()))
        .json(&body)
        .send()
        .await
        .expect("control request");
    assert!(r.status().is_success(), "control {path}: {}", r.status());
    r.json().await.expect("JSON")
}

pub async fn get(sim: &SimServer, path: &str) -> Value {
    let r = http()
        .get(format!("{}{path}", sim.control_url()))
        .send()
        .await
        .expect("control request");
    r.json().await.expect("JSON")
}

pub async fn delete(sim: &SimServer, path: &str) {
    let _ = http()
        .delete(format!("{}{path}", sim.control_url()))
        .send()
        .await;
}

pub fn code(i: usize) -> String {
    format!("P-{i:05}")
}

/// Two simulators; `n` products in Shopify at `shop_stock` and in billing at `bill_stock`.
pub async fn world(n: usize, shop_stock: i64, bill_stock: i64, scale: f64) -> World {
    // A roomy cost bucket: these tests are about behaviour; the benches use Standard limits.
    world_with(
        n,
        shop_stock,
        bill_stock,
        SimOptions {
            time_scale: scale,
            shopify_bucket: (20_000.0, 2_000.0),
            ..SimOptions::default()
        },
    )
    .await
}

pub async fn world_with(n: usize, shop_stock: i64, bill_stock: i64, opts: SimOptions) -> World {
    let shop = SimServer::start(ServiceKind::Shopify, opts.clone())
        .await
        .expect("shopify sim");
    let bill = SimServer::start(ServiceKind::SmartBill, opts)
        .await
        .expect("smartbill sim");
    seed(&shop, &bill, 0..n, shop_stock, bill_stock).await;
    connected(shop, bill, Duration::from_secs(10)).await
}

/// The world of two running simulators: a Shopify client (requests time out after `timeout`)
/// and the shop's primary location.
pub async fn connected(shop: SimServer, bill: SimServer, timeout: Duration) -> World {
    let mut config = ShopifyConfig::new(
        shop.base_url(),
        Credentials::StaticToken(Secret::new(shop.credentials().get("static_token"))),
    );
    config.request_timeout = timeout;
    let client = ShopifyClient::new(config).expect("client");
    let location = client
        .locations()
        .await
        .expect("locations")
        .into_iter()
        .find(|l| l.primary)
        .expect("primary")
        .id;
    World {
        shop,
        bill,
        location,
        client,
    }
}

pub async fn seed(
    shop: &SimServer,
    bill: &SimServer,
    range: std::ops::Range<usize>,
    shop_stock: i64,
    bill_stock: i64,
) {
    let idx: Vec<usize> = range.collect();
    for chunk in idx.chunks(2000) {
        let products: Vec<Value> = chunk
            .iter()
            .map(|&i| {
                json!({"title": format!("Produs {i}"), "variants": [{"title": "Default Title",
                "sku": code(i), "barcode": format!("59400000{i:05}"), "price": "121.00",
                "stock": shop_stock}]})
            })
            .collect();
        post(shop, "/shopify/seed", json!({"products": products})).await;
        let articles: Vec<Value> = chunk
            .iter()
            .map(|&i| {
                json!({"code": code(i), "name": format!("Produs {i}"), "unit": "buc",
                "price": "121.00", "vat_percent": 21, "stock": bill_stock.to_string()})
            })
            .collect();
        post(
            bill,
            "/billing/seed",
            json!({"articles": articles, "warehouse": WAREHOUSE}),
        )
        .await;
    }
}

pub fn config(w: &World, scale: f64) -> EngineConfig {
    let c = w.bill.credentials();
    EngineConfig {
        connections: Connections {
            shopify_url: w.shop.base_url(),
            shopify_client_id: None,
            billing_url: w.bill.base_url(),
            billing: BillingAccount::SmartBill {
                email: c.get("email").into(),
                cif: c.get("cif").into(),
            },
            location_id: w.location,
            warehouse: WAREHOUSE.into(),
            time_scale: scale,
            request_timeout: Duration::from_secs(5),
        },
        settings: EngineSettings::default(),
        timing: Timing {
            tick: Duration::from_millis(50),
            backoff_base: Duration::from_millis(10),
            backoff_max: Duration::from_millis(100),
            stop_timeout: Duration::from_secs(5),
            scheduled: false,
            ..Timing::default()
        },
    }
}

pub fn secrets(w: &World) -> Arc<MemorySecrets> {
    Arc::new(MemorySecrets::with(&[
        (SHOPIFY_SECRET, w.shop.credentials().get("static_token")),
        (BILLING_SECRET, w.bill.credentials().get("token")),
    ]))
}

pub struct Running {
    pub engine: EngineHandle,
    pub store: StoreHandle,
    pub notes: Arc<RecordingNotifier>,
}

pub fn start_with(w: &World, config: EngineConfig, store: StoreHandle) -> Running {
    start_with_clock(w, config, store, Arc::new(SystemClock))
}

/// As [`start_with`], with the engine's clock given (tests that move time).
pub fn start_with_clock(
    w: &World,
    config: EngineConfig,
    store: StoreHandle,
    clock: Arc<dyn punte_engine::Clock>,
) -> Running {
    let (events, _) = tokio::sync::broadcast::channel(1024);
    let notes = Arc::new(RecordingNotifier::default());
    let deps = EngineDeps {
        store: store.clone(),
        notifier: notes.clone(),
        secrets: secrets(w),
        clock,
        events,
    };
    Running {
        engine: Engine::start(config, deps),
        store,
        notes,
    }
}

pub fn start(w: &World) -> Running {
    start_with(w, config(w, 1.0), memory_store())
}

pub fn memory_store() -> StoreHandle {
    StoreHandle::from_store(Store::open_in_memory().expect("store")).expect("thread")
}
