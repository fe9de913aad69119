//! Client for the Shopify Admin GraphQL API 2026-07: authentication (client-credentials or a legacy
//! `shpat_` token), the app's granted access scopes, products and inventory levels, orders, and
//! compare-and-set quantity writes.
//!
//! Every call goes through one transport that paces itself by Shopify's cost bucket, renews the
//! token, retries what is safe to retry and reports the rest as a [`ShopifyError`] with a stable
//! code. Answers are mapped into `punte-core` types where they fit.

mod answer;
mod auth;
mod bundles;
mod catalog;
mod changed;
pub mod config;
mod cui;
mod cursor;
mod documents;
pub mod error;
pub mod ids;
mod levels;
mod order_map;
mod order_wire;
mod orders;
pub mod pacing;
mod page;
mod placements;
mod refund_map;
pub mod retry;
mod scopes;
pub mod secret;
mod server_clock;
mod transport;
mod write;
mod write_rows;
mod write_send;

use std::sync::Arc;

pub use answer::Withheld;
pub use bundles::{BundleParent, LineGroup};
pub use catalog::{ChangedProduct, Location, Shop};
pub use changed::LevelsSince;
pub use config::{API_VERSION, Credentials, ShopifyConfig};
pub use cursor::{OrderCursor, OrderPage, SeenOrder};
pub use error::ShopifyError;
pub use levels::Level;
pub use orders::{Address, ShopifyLine, ShopifyOrder, ShopifyShipping};
pub use placements::LinePlacement;
pub use scopes::{REQUIRED_SCOPES, ScopeNeed, is_granted, missing_scopes};
pub use secret::Secret;
pub use transport::Stats;
pub use write::{
    Clamped, MAX_QUANTITY, MIN_QUANTITY, QuantityName, QuantityWrite, Rejected, WriteBatch,
    WriteReport,
};

use auth::TokenSource;
use transport::Transport;

/// A connection to one shop. Cheap to clone; clones share the token, the cost bucket and stats.
#[derive(Clone)]
pub struct ShopifyClient {
    transport: Arc<Transport>,
}

impl std::fmt::Debug for ShopifyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopifyClient")
            .field("url", &self.transport.url.as_str())
            .finish_non_exhaustive()
    }
}

impl ShopifyClient {
    /// Checks the configuration and prepares the HTTP client (rustls, no request sent yet).
    pub fn new(config: ShopifyConfig) -> Result<Self, ShopifyError> {
        let (graphql, token) = config.endpoints()?;
        // reqwest is built without a bundled crypto provider; ring is the one rustls uses here.
        // An error only means a provider is already installed in this process, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        // Redirects are never followed: reqwest would carry `X-Shopify-Access-Token` (and the
        // grant's client secret) to wherever a `Location` points. Plain HTTP is refused at the
        // socket level too, except towards a loopback simulator.
        let loopback = graphql.host_str().is_some_and(config::is_loopback);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!loopback)
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("punte/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ShopifyError::InvalidConfig(format!("HTTP client: {e}")))?;
        let auth = TokenSource::new(config.credentials, token);
        let transport = Transport::new(http, graphql, auth, config.retry);
        Ok(Self {
            transport: Arc::new(transport),
        })
    }

    /// Requests sent, THROTTLED answers and retries so far.
    #[must_use]
    pub fn stats(&self) -> Stats {
        self.transport.stats()
    }

    /// Shopify's clock as its newest answer told it (the HTTP `Date`, whole seconds), or
    /// `None` before any answer carried one.
    #[must_use]
    pub fn shopify_time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.transport.clock.newest()
    }
}
