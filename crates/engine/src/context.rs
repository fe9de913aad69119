//! What every job shares: the store handle, the clock, the event and notification outlets, the
//! settings, and the service clients, built from the `SecretStore` at use time (a changed secret
//! gives a new client; the secret itself stays in memory only inside the client).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use punte_billing::{BillingService, Connection, Options, Secret, connect, fgo, oblio, smartbill};
use punte_shopify::retry::RetryPolicy;
use punte_shopify::{Credentials, ShopifyClient, ShopifyConfig};
use punte_store::StoreHandle;
use tokio::sync::broadcast;

use crate::call_windows::StoreJournal;
use crate::clock::Clock;
use crate::config::{BillingAccount, EngineConfig};
use crate::error::EngineError;
use crate::events::{EngineEvent, Phase};
use crate::instock_memory::InStockMemory;
use crate::notify::{NotificationEvent, Notifier};
use crate::secrets::{BILLING_SECRET, SHOPIFY_SECRET, SecretStore};

/// The dependencies the app provides.
#[derive(Clone)]
pub struct EngineDeps {
    pub store: StoreHandle,
    pub notifier: Arc<dyn Notifier>,
    pub secrets: Arc<dyn SecretStore>,
    pub clock: Arc<dyn Clock>,
    /// Where events go; the shell subscribes and forwards them to the UI.
    pub events: broadcast::Sender<EngineEvent>,
}

type Cached<T> = Mutex<Option<(String, T)>>;

/// Shared by the scheduler and every job.
pub(crate) struct Ctx {
    pub deps: EngineDeps,
    pub config: EngineConfig,
    shopify: Cached<ShopifyClient>,
    billing: Cached<Arc<dyn BillingService>>,
    /// Billing operations made (the trait has no request counter of its own).
    pub billing_calls: AtomicU64,
    /// Products in the billing warehouse at the last whole read (0: not read yet); sets how
    /// often a look may re-read it (`freshness`).
    pub billing_products: AtomicUsize,
    /// The InStock walk's input, kept between refreshes (see `instock_memory`).
    pub instock: Arc<Mutex<InStockMemory>>,
    /// Held while one outbox item is moved forward, so the invoice lane and a sync's drain
    /// never work on the same item at once (each waits for one item, never for a whole job).
    pub outbox: tokio::sync::Mutex<()>,
}

impl Ctx {
    pub fn new(deps: EngineDeps, config: EngineConfig) -> Self {
        Self {
            deps,
            config,
            shopify: Mutex::new(None),
            billing: Mutex::new(None),
            billing_calls: AtomicU64::new(0),
            billing_products: AtomicUsize::new(0),
            instock: Arc::default(),
            outbox: tokio::sync::Mutex::new(()),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.deps.clock.now()
    }

    pub fn store(&self) -> &StoreHandle {
        &self.deps.store
    }

    /// Sends an event; nobody listening is fine.
    pub fn emit(&self, event: EngineEvent) {
        let _ = self.deps.events.send(event);
    }

    pub fn progress(&self, phase: Phase, done: u64, total: u64) {
        self.emit(EngineEvent::Progress { phase, done, total });
    }

    pub fn notify(&self, event: NotificationEvent) {
        self.deps.notifier.notify(event);
    }

    /// Counts one billing operation.
    pub fn billing_call(&self) {
        self.billing_calls.fetch_add(1, Ordering::Relaxed);
    }

    fn secret(&self, key: &'static str) -> Result<String, EngineError> {
        self.deps
            .secrets
            .get(key)?
            .ok_or(EngineError::MissingSecret(key))
    }

    /// The Shopify client for the current secret.
    pub fn shopify(&self) -> Result<ShopifyClient, EngineError> {
        let secret = self.secret(SHOPIFY_SECRET)?;
        let mut slot = self.shopify.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((s, c)) = slot.as_ref()
            && *s == secret
        {
            return Ok(c.clone());
        }
        let c = &self.config.connections;
        let credentials = match &c.shopify_client_id {
            Some(id) => Credentials::ClientCredentials {
                client_id: id.clone(),
                client_secret: secret.as_str().into(),
            },
            None => Credentials::StaticToken(secret.as_str().into()),
        };
        let mut config = ShopifyConfig::new(c.shopify_url.clone(), credentials);
        config.request_timeout = c.request_timeout;
        config.retry = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_throttle_waits: 50,
        };
        let client = ShopifyClient::new(config)?;
        *slot = Some((secret, client.clone()));
        Ok(client)
    }

    /// The billing client for the current secret, its call windows and blocks kept in the
    /// store across restarts.
    pub async fn billing(&self) -> Result<Arc<dyn BillingService>, EngineError> {
        let secret = self.secret(BILLING_SECRET)?;
        if let Some(c) = self.cached_billing(&secret) {
            return Ok(c);
        }
        let journal = Arc::new(StoreJournal::load(self.store()).await?);
        let mut slot = self.billing.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((s, c)) = slot.as_ref()
            && *s == secret
        {
            return Ok(Arc::clone(c));
        }
        let c = &self.config.connections;
        let unit = "buc".to_owned();
        let base_url = c.billing_url.clone();
        let connection = match &c.billing {
            BillingAccount::SmartBill { email, cif } => Connection::SmartBill(smartbill::Config {
                base_url,
                email: email.clone(),
                token: Secret::new(secret.as_str()),
                cif: cif.clone(),
                unit,
            }),
            BillingAccount::Oblio { email, cif } => Connection::Oblio(oblio::Config {
                base_url,
                email: email.clone(),
                secret: Secret::new(secret.as_str()),
                cif: cif.clone(),
                unit,
            }),
            BillingAccount::Fgo {
                cod_unic,
                platform_url,
                series,
            } => Connection::Fgo(fgo::Config {
                base_url,
                cod_unic: cod_unic.clone(),
                private_key: Secret::new(secret.as_str()),
                platform_url: platform_url.clone(),
                unit,
                series: series.clone(),
            }),
        };
        let options = Options {
            timeout: c.request_timeout,
            max_attempts: 3,
            backoff: Duration::from_millis(100),
            time_scale: c.time_scale,
            journal: Some(journal),
            ..Options::default()
        };
        let client = connect(connection, options)?;
        *slot = Some((secret, Arc::clone(&client)));
        Ok(client)
    }
}

impl Ctx {
    fn cached_billing(&self, secret: &str) -> Option<Arc<dyn BillingService>> {
        let slot = self.billing.lock().unwrap_or_else(PoisonError::into_inner);
        slot.as_ref()
            .filter(|(s, _)| s == secret)
            .map(|(_, c)| Arc::clone(c))
    }
}
