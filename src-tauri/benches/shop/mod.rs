//! The app benches' connected shop: a Shopify and a SmartBill simulator on loopback (reached by
//! the app through `PUNTE_SHOPIFY_URL` / `PUNTE_BILLING_URL`, as a real shop is reached at its own
//! host), whose connections are saved the way Profile → Save saves them, so the app starts on the
//! seeded `punte.db` instead of the demo shop's own (emptied) `demo.db`.
#![allow(dead_code)] // each bench uses a different part

use std::time::{Duration, Instant};

use punte_sim::{ServiceKind, SimOptions, SimServer};
use serde_json::{Value, json};

/// The two simulators standing in for the merchant's services; they stop when dropped.
pub struct Services {
    pub shop: SimServer,
    pub bill: SimServer,
    _runtime: tokio::runtime::Runtime,
}

impl Services {
    /// Starts both with the demo shop's catalogue, orders and rate bucket (src/demo.rs), so the
    /// engine's work besides the 100,000 stored orders is what the demo-mode figures had.
    pub fn start() -> Services {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
        let options = SimOptions {
            demo: true,
            shopify_bucket: (20_000.0, 2_000.0),
            ..SimOptions::default()
        };
        let (shop, bill) = runtime.block_on(async {
            let shop = SimServer::start(ServiceKind::Shopify, options.clone()).await;
            let bill = SimServer::start(ServiceKind::SmartBill, options).await;
            (shop.expect("shopify sim"), bill.expect("smartbill sim"))
        });
        Services {
            shop,
            bill,
            _runtime: runtime,
        }
    }

    /// The environment that points the app at these simulators (and passes the simulators'
    /// credentials to a bench child process; they never go to a file).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let (s, b) = (self.shop.credentials(), self.bill.credentials());
        vec![
            (punte_app::SHOPIFY_URL_ENV, self.shop.base_url()),
            (punte_app::BILLING_URL_ENV, self.bill.base_url()),
            ("PUNTE_BENCH_SHOP_DOMAIN", s.get("shop_domain").to_owned()),
            ("PUNTE_BENCH_SHOP_TOKEN", s.get("static_token").to_owned()),
            ("PUNTE_BENCH_BILL_EMAIL", b.get("email").to_owned()),
            ("PUNTE_BENCH_BILL_CIF", b.get("cif").to_owned()),
            ("PUNTE_BENCH_BILL_TOKEN", b.get("token").to_owned()),
        ]
    }
}

/// What the merchant types in Profile, read back from the environment [`Services::env`] built.
pub struct Credentials {
    pub domain: String,
    pub shop_token: String,
    pub email: String,
    pub cif: String,
    pub bill_token: String,
}

impl Credentials {
    pub fn from_env() -> Credentials {
        let var = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| panic!("{name} is set by the bench parent"))
        };
        Credentials {
            domain: var("PUNTE_BENCH_SHOP_DOMAIN"),
            shop_token: var("PUNTE_BENCH_SHOP_TOKEN"),
            email: var("PUNTE_BENCH_BILL_EMAIL"),
            cif: var("PUNTE_BENCH_BILL_CIF"),
            bill_token: var("PUNTE_BENCH_BILL_TOKEN"),
        }
    }

    /// The Shopify form's `save_connection` arguments (legacy custom app, Admin API token).
    pub fn shopify_form(&self) -> Value {
        json!({"form": {"kind": "shopify", "secrets": {"admin_token": self.shop_token},
            "fields": {"shop_domain": self.domain, "auth": "legacy", "location_id": ""}}})
    }

    /// The SmartBill form's `save_connection` arguments.
    pub fn billing_form(&self) -> Value {
        json!({"form": {"kind": "smart_bill", "secrets": {"api_token": self.bill_token},
            "fields": {"email": self.email, "cif": self.cif}}})
    }
}

/// Polls `check` every 200 ms until it answers, for at most `secs` seconds, then fails loudly.
pub fn wait<T>(what: &str, secs: u64, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}
