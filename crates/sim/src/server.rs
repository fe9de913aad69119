//! Starting a simulator in-process on an ephemeral loopback port, and the handle a test or the
//! demo mode keeps: base URL, credentials, control URL, clock, shutdown on drop.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::observe::Observer;
use crate::{CONTROL_PREFIX, SimClock, SimError, control, fgo, oblio, shopify, smartbill};

/// Which service to simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceKind {
    Shopify,
    SmartBill,
    Oblio,
    Fgo,
}

/// Knobs for a simulator.
#[derive(Clone, Debug)]
pub struct SimOptions {
    /// Simulated seconds per real second (60.0 makes a 10-minute block last 10 s).
    pub time_scale: f64,
    /// Seed the demo shop / company instead of starting empty.
    pub demo: bool,
    /// Shopify GraphQL bucket: maximum points and restore rate per simulated second.
    pub shopify_bucket: (f64, f64),
    /// Lifetime of client-credentials tokens, in simulated seconds.
    pub shopify_token_ttl: i64,
    /// Fixed loopback port; None picks an ephemeral one (what tests want).
    pub port: Option<u16>,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            time_scale: 1.0,
            demo: false,
            shopify_bucket: (2000.0, 100.0),
            shopify_token_ttl: 86399,
            port: None,
        }
    }
}

/// What a client needs to log in, as ordered name/value pairs.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub pairs: Vec<(String, String)>,
}

impl Credentials {
    pub fn new(pairs: &[(&str, &str)]) -> Self {
        Self {
            pairs: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// The value named `name`, or an empty string.
    pub fn get(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A running simulator. Dropping it stops the server.
pub struct SimServer {
    kind: ServiceKind,
    addr: SocketAddr,
    credentials: Credentials,
    clock: SimClock,
    observer: Arc<Observer>,
    shutdown: Option<oneshot::Sender<()>>,
}

/// What a service module hands back: its routes (state applied) and how to reach it.
pub struct Built {
    pub router: Router,
    pub credentials: Credentials,
    /// Path appended to `http://127.0.0.1:port` to form the base URL clients use.
    pub base_path: &'static str,
    pub dump: control::Dump,
}

impl SimServer {
    /// Binds 127.0.0.1 on an ephemeral port and serves `kind` until dropped.
    pub async fn start(kind: ServiceKind, options: SimOptions) -> Result<Self, SimError> {
        let clock = SimClock::new(options.time_scale);
        let observer = Arc::new(Observer::default());
        let built = match kind {
            ServiceKind::Shopify => shopify::build(&options, clock.clone())?,
            ServiceKind::SmartBill => smartbill::build(&options, clock.clone()),
            ServiceKind::Fgo => fgo::build(&options, clock.clone()),
            ServiceKind::Oblio => oblio::build(&options, clock.clone()),
        };
        let common = control::router(clock.clone(), observer.clone(), built.dump);
        let app = built
            .router
            .merge(common)
            .layer(axum::middleware::from_fn_with_state(
                observer.clone(),
                crate::observe::observe,
            ));
        let listener = TcpListener::bind(("127.0.0.1", options.port.unwrap_or(0))).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            let _ = serve.await;
        });
        let base = built.base_path;
        Ok(Self {
            kind,
            addr,
            credentials: built.credentials,
            clock,
            observer,
            shutdown: Some(tx),
        }
        .with_base(base))
    }

    fn with_base(mut self, base: &'static str) -> Self {
        self.credentials
            .pairs
            .insert(0, ("base_url".into(), format!("{}{base}", self.root())));
        self
    }

    fn root(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn kind(&self) -> ServiceKind {
        self.kind
    }

    /// The URL a real client would use as the service's base (e.g. `…/SBORO/api` for SmartBill).
    pub fn base_url(&self) -> String {
        self.credentials.get("base_url").to_owned()
    }

    /// The path part of [`Self::base_url`] (e.g. `/SBORO/api`), as the request log shows it.
    pub fn base_path(&self) -> String {
        let base = self.base_url();
        base.strip_prefix(&self.root())
            .unwrap_or_default()
            .to_owned()
    }

    /// Root of the control API.
    pub fn control_url(&self) -> String {
        format!("{}{CONTROL_PREFIX}", self.root())
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn clock(&self) -> &SimClock {
        &self.clock
    }

    pub fn observer(&self) -> &Observer {
        &self.observer
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
