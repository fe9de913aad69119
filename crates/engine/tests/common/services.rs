//! The three billing services side by side for the tests that run one story on each: how a
//! service names its warehouse and series, a world with its simulator (seeded with the same
//! codes as the shop), an engine configuration and billing secret for it, and an engine on a
//! given store.

use std::sync::Arc;
use std::time::Duration;

use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_engine::{
    BillingAccount, Engine, EngineConfig, EngineDeps, MemorySecrets, RecordingNotifier, SystemClock,
};
use punte_shopify::{Credentials, Secret, ShopifyClient, ShopifyConfig};
use punte_sim::{ServiceKind, SimOptions, SimServer};
use punte_store::StoreHandle;
use serde_json::{Value, json};

use super::{Running, WAREHOUSE, World, code, config, post, world};

/// One billing service as the engine is set up for it.
#[derive(Clone, Copy, Debug)]
pub struct Billing {
    pub kind: ServiceKind,
    /// The warehouse as the engine names it (Oblio: management name; FGO: gestiune code).
    pub warehouse: &'static str,
    pub series: &'static str,
}

pub const SMARTBILL: Billing = Billing {
    kind: ServiceKind::SmartBill,
    warehouse: WAREHOUSE,
    series: "FCT",
};
pub const OBLIO: Billing = Billing {
    kind: ServiceKind::Oblio,
    warehouse: WAREHOUSE,
    series: "FCT",
};
pub const FGO: Billing = Billing {
    kind: ServiceKind::Fgo,
    warehouse: "G1",
    series: "PNT",
};

/// A shop with `n` products at 0 and the service's warehouse with `bill_stock` of each, time
/// running `scale` times faster in both simulators.
pub async fn world_of(b: &Billing, n: usize, bill_stock: i64, scale: f64) -> World {
    if b.kind == ServiceKind::SmartBill {
        return world(n, 0, bill_stock, scale).await;
    }
    let opts = SimOptions {
        time_scale: scale,
        shopify_bucket: (20_000.0, 2_000.0),
        ..SimOptions::default()
    };
    let shop = SimServer::start(ServiceKind::Shopify, opts.clone())
        .await
        .expect("shopify sim");
    let bill = SimServer::start(b.kind, opts).await.expect("billing sim");
    let products: Vec<Value> = (0..n)
        .map(|i| {
            json!({"title": format!("Produs {i}"), "variants": [{"title": "Default Title",
            "sku": code(i), "price": "121.00", "stock": 0}]})
        })
        .collect();
    post(&shop, "/shopify/seed", json!({"products": products})).await;
    let lines: Vec<Value> = (0..n)
        .map(|i| json!({"code": code(i), "name": format!("Produs {i}"), "quantity": bill_stock}))
        .collect();
    post(
        &bill,
        "/billing/receive",
        json!({"warehouse": b.warehouse, "lines": lines}),
    )
    .await;
    let mut config = ShopifyConfig::new(
        shop.base_url(),
        Credentials::StaticToken(Secret::new(shop.credentials().get("static_token"))),
    );
    config.request_timeout = Duration::from_secs(10);
    let client = ShopifyClient::new(config).expect("client");
    let location = client.locations().await.expect("locations")[0].id;
    World {
        shop,
        bill,
        location,
        client,
    }
}

/// The engine's configuration for `b` in `w`, and the billing secret it logs in with.
pub fn billing_config(w: &World, b: &Billing, scale: f64) -> (EngineConfig, String) {
    let c = w.bill.credentials();
    let mut cfg = config(w, scale);
    let secret = match b.kind {
        ServiceKind::Oblio => {
            cfg.connections.billing = BillingAccount::Oblio {
                email: c.get("client_id").into(),
                cif: c.get("cif").into(),
            };
            c.get("client_secret")
        }
        ServiceKind::Fgo => {
            cfg.connections.billing = BillingAccount::Fgo {
                cod_unic: c.get("cod_unic").into(),
                platform_url: "https://punte.local".into(),
                series: vec![b.series.into()],
            };
            c.get("private_key")
        }
        _ => c.get("token"),
    };
    cfg.connections.warehouse = b.warehouse.into();
    cfg.connections.request_timeout = Duration::from_secs(10);
    cfg.settings.invoice_series = b.series.into();
    (cfg, secret.to_owned())
}

/// An engine for `b` on `store`.
pub fn start_billing(w: &World, b: &Billing, scale: f64, store: StoreHandle) -> Running {
    let (cfg, secret) = billing_config(w, b, scale);
    start_billing_with(w, cfg, &secret, store)
}

/// An engine on `cfg` (from [`billing_config`], then changed) logging in with `secret`.
pub fn start_billing_with(
    w: &World,
    cfg: EngineConfig,
    secret: &str,
    store: StoreHandle,
) -> Running {
    let (events, _) = tokio::sync::broadcast::channel(1024);
    let notes = Arc::new(RecordingNotifier::default());
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
