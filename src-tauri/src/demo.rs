//! The demo shop: the Shopify and SmartBill simulators of `punte-sim`, started in-process on
//! loopback with the demo data, and the Simulate panel's actions (place an order, receive goods,
//! take a service offline) sent to their control API. Nothing here decides anything about stock:
//! the engine syncs the simulators exactly as it would sync a real shop.

use std::sync::Mutex;
use std::time::Duration;

use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_engine::{BillingAccount, Connections, MemorySecrets};
use punte_sim::demo::{DUPLICATE_SKU, MISSING_IN_BILLING, WAREHOUSE};
use punte_sim::{Fault, FaultRule, ServiceKind, SimOptions, SimServer};
use serde::Serialize;
use serde_json::{Value, json};

use crate::CommandError;

/// How many demo products the Simulate panel offers.
const PANEL_PRODUCTS: usize = 24;

/// The two running simulators of the demo shop.
pub struct Demo {
    shop: SimServer,
    bill: SimServer,
    http: reqwest::Client,
    offline: Mutex<Vec<&'static str>>,
}

/// What the Simulate panel shows.
#[derive(Debug, Clone, Serialize)]
pub struct DemoStatus {
    pub active: bool,
    pub offline: Vec<&'static str>,
    pub products: Vec<DemoProduct>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoProduct {
    pub code: String,
    pub title: String,
}

impl DemoStatus {
    /// Outside demo mode.
    pub fn inactive() -> Self {
        Self {
            active: false,
            offline: Vec::new(),
            products: Vec::new(),
        }
    }
}

impl Demo {
    /// Starts both simulators on ephemeral loopback ports, seeded with the demo shop.
    pub async fn start() -> Result<Self, punte_sim::SimError> {
        // A roomy Shopify cost bucket: the demo shows the app, not Shopify's throttling (the
        // client paces itself by the bucket, and the standard one makes the first sync slow).
        let options = SimOptions {
            demo: true,
            shopify_bucket: (20_000.0, 2_000.0),
            ..SimOptions::default()
        };
        let shop = SimServer::start(ServiceKind::Shopify, options.clone()).await?;
        let bill = SimServer::start(ServiceKind::SmartBill, options).await?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| punte_sim::SimError::Bind(std::io::Error::other(e)))?;
        Ok(Self {
            shop,
            bill,
            http,
            offline: Mutex::new(Vec::new()),
        })
    }

    /// The simulators' demo credentials. They belong to the simulated shop, not to the
    /// merchant, so they are kept in process memory only and never go to the keychain.
    pub fn secrets(&self) -> MemorySecrets {
        MemorySecrets::with(&[
            (SHOPIFY_SECRET, self.shop.credentials().get("static_token")),
            (BILLING_SECRET, self.bill.credentials().get("token")),
        ])
    }

    /// Where the engine finds the simulators; `location_id` is the demo's primary location.
    pub fn connections(&self, location_id: u64) -> Connections {
        let c = self.bill.credentials();
        Connections {
            shopify_url: self.shop.base_url(),
            shopify_client_id: None,
            billing_url: self.bill.base_url(),
            billing: BillingAccount::SmartBill {
                email: c.get("email").into(),
                cif: c.get("cif").into(),
            },
            location_id,
            warehouse: WAREHOUSE.into(),
            time_scale: 1.0,
            request_timeout: Duration::from_secs(10),
        }
    }

    /// The demo shop's primary location, asked of the Shopify simulator like a real client would.
    pub async fn primary_location(&self) -> Result<u64, punte_shopify::ShopifyError> {
        let token = punte_shopify::Secret::new(self.shop.credentials().get("static_token"));
        let config = punte_shopify::ShopifyConfig::new(
            self.shop.base_url(),
            punte_shopify::Credentials::StaticToken(token),
        );
        let client = punte_shopify::ShopifyClient::new(config)?;
        let locations = client.locations().await?;
        Ok(locations
            .iter()
            .find(|l| l.primary)
            .or(locations.first())
            .map_or(0, |l| l.id))
    }

    pub fn status(&self) -> DemoStatus {
        let products = punte_sim::demo::catalogue()
            .into_iter()
            .flat_map(|p| {
                let title = p.title;
                p.variants
                    .into_iter()
                    .filter(|v| v.tracked)
                    .filter_map(move |v| {
                        let code = v.sku?;
                        let title = if v.title == "Default Title" {
                            title.clone()
                        } else {
                            format!("{title} {}", v.title)
                        };
                        Some(DemoProduct { code, title })
                    })
            })
            .filter(|p| p.code != DUPLICATE_SKU && p.code != MISSING_IN_BILLING)
            .take(PANEL_PRODUCTS)
            .collect();
        DemoStatus {
            active: true,
            offline: self.offline.lock().map(|o| o.clone()).unwrap_or_default(),
            products,
        }
    }

    /// Places an order of `quantity` × `code` in the simulated shop.
    pub async fn place_order(&self, code: &str, quantity: i64) -> Result<String, CommandError> {
        let body = json!({"lines": [{"sku": code, "quantity": quantity}],
            "first_name": "Client", "last_name": "Demo", "city": "București"});
        let answer = self.control(&self.shop, "/shopify/orders", body).await?;
        let name = answer["name"].as_str().unwrap_or("?").to_owned();
        Ok(format!(
            "Comanda {name} plasată în magazinul demo / Order {name} placed in the demo shop"
        ))
    }

    /// Receives `quantity` × `code` into the demo warehouse (a NIR in billing).
    pub async fn receive(&self, code: &str, quantity: i64) -> Result<String, CommandError> {
        let body = json!({"warehouse": WAREHOUSE,
            "lines": [{"code": code, "quantity": quantity.to_string()}]});
        let answer = self.control(&self.bill, "/billing/receive", body).await?;
        let stock = answer["stock"][0]["stock"].clone();
        Ok(format!(
            "NIR: +{quantity} {code} în {WAREHOUSE} (stoc {stock}) / Goods receipt: +{quantity} {code} into {WAREHOUSE} (stock {stock})"
        ))
    }

    /// Changes Shopify's `available` for `code` at `location` by `delta`, as a person editing
    /// the shop's stock by hand would (the drift Punte must correct at its next sync).
    pub async fn drift(
        &self,
        code: &str,
        delta: i64,
        location: u64,
    ) -> Result<String, CommandError> {
        let state = self.control_get(&self.shop, "/state").await?;
        let item = state["variants"]
            .as_object()
            .and_then(|all| all.values().find(|v| v["sku"].as_str() == Some(code)))
            .and_then(|v| v["inventory_item_id"].as_u64());
        let now = state["levels"].as_array().and_then(|levels| {
            levels
                .iter()
                .find(|l| {
                    l["inventoryItemId"].as_u64() == item
                        && l["locationId"].as_u64() == Some(location)
                })
                .and_then(|l| l["quantities"]["available"].as_i64())
        });
        let Some(now) = now else {
            return Err(CommandError::new(
                "input.invalid",
                format!(
                    "{code:?} nu are stoc în magazinul demo / {code:?} has no stock level in the demo shop"
                ),
            ));
        };
        let body = json!({"sku": code, "location_id": location, "quantity": now + delta});
        self.control(&self.shop, "/shopify/levels", body).await?;
        Ok(format!("Shopify: {code} {now} → {}", now + delta))
    }

    /// Takes `service` offline (every request dropped) or brings it back.
    pub fn set_offline(&self, service: &'static str, offline: bool) -> String {
        let sim = if service == "shopify" {
            &self.shop
        } else {
            &self.bill
        };
        if offline {
            sim.observer().add_fault(FaultRule {
                path: "*".into(),
                fault: Fault::Down,
                times: None,
            });
        } else {
            sim.observer().clear_faults();
        }
        if let Ok(mut list) = self.offline.lock() {
            list.retain(|s| *s != service);
            if offline {
                list.push(service);
            }
        }
        let name = if service == "shopify" {
            "Shopify"
        } else {
            "SmartBill"
        };
        if offline {
            format!("{name}: deconectat / {name}: offline")
        } else {
            format!("{name}: reconectat / {name}: back online")
        }
    }

    async fn control_get(&self, sim: &SimServer, path: &str) -> Result<Value, CommandError> {
        let url = format!("{}{path}", sim.control_url());
        let answer = async {
            self.http
                .get(url)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await
        };
        answer.await.map_err(|e: reqwest::Error| {
            CommandError::new(
                "demo.simulator",
                format!("Simulatorul nu a răspuns / The simulator did not answer: {e}"),
            )
        })
    }

    async fn control(
        &self,
        sim: &SimServer,
        path: &str,
        body: Value,
    ) -> Result<Value, CommandError> {
        let url = format!("{}{path}", sim.control_url());
        let fail = |e: String| {
            CommandError::new(
                "demo.simulator",
                format!("Simulatorul nu a răspuns / The simulator did not answer: {e}"),
            )
        };
        let response = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(|e| fail(e.to_string()))?;
        let status = response.status();
        let answer: Value = response.json().await.map_err(|e| fail(e.to_string()))?;
        if status.is_success() {
            Ok(answer)
        } else {
            let why = answer["error"].as_str().unwrap_or("").to_owned();
            Err(CommandError::new(
                "input.invalid",
                format!("{status}: {why}"),
            ))
        }
    }
}
