//! The Shopify Admin simulator: client-credentials tokens, static `shpat_` tokens and the
//! 2026-07 GraphQL endpoint, validated against the vendored real schema.

mod auth;
mod bundle_edits;
mod bundles;
mod catalog;
pub mod control;
pub mod cost;
pub mod cost_calc;
mod graphql;
mod inventory;
mod levels;
pub mod lifecycle;
pub mod model;
mod mutation;
pub mod ops;
mod order_lines;
pub mod order_money;
mod order_parts;
mod orders;
mod page;
mod payload;
pub mod payment;
mod query;
pub mod schema;
pub mod scopes;
pub mod search;
mod shop;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::DATE;
use axum::middleware::map_response_with_state;
use axum::response::Response;
use axum::routing::post;

use crate::server::{Built, Credentials};
use crate::{SimClock, SimError, SimOptions};
use cost::Bucket;
use model::{ShopCreds, ShopState};

/// The API version the simulator serves (the path segment after `/admin/api/`).
pub const API_VERSION: &str = "2026-07";

/// Shared state of one Shopify simulator.
#[derive(Clone)]
pub struct Shopify {
    pub state: Arc<Mutex<ShopState>>,
    pub clock: SimClock,
}

impl Shopify {
    pub fn lock(&self) -> MutexGuard<'_, ShopState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Every answer carries the shop's clock in `Date` (IMF-fixdate), as an origin server with a
/// clock must (RFC 9110 §6.6.1): the simulated clock, so it agrees with `updatedAt`.
async fn date(State(sim): State<Shopify>, mut r: Response) -> Response {
    let now = sim
        .clock
        .now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    if let Ok(v) = HeaderValue::from_str(&now) {
        r.headers_mut().insert(DATE, v);
    }
    r
}

/// Builds the routes and credentials of a Shopify simulator.
pub fn build(options: &SimOptions, clock: SimClock) -> Result<Built, SimError> {
    schema::schema()?;
    let creds = ShopCreds {
        shop_domain: "punte-demo.myshopify.com".into(),
        client_id: "punte-sim-client-id".into(),
        client_secret: "punte-sim-client-secret".into(),
        static_token: "shpat_punte_sim_static_token_0001".into(),
        scope: scopes::DEFAULT_SCOPES.into(),
    };
    let (max, rate) = options.shopify_bucket;
    let bucket = Bucket::new(max, rate, clock.now());
    let mut state = ShopState::new(creds.clone(), options.shopify_token_ttl, bucket);
    if options.demo {
        crate::demo::seed_shopify(&mut state, clock.now());
    } else {
        control::add_default_location(&mut state);
    }
    let sim = Shopify {
        state: Arc::new(Mutex::new(state)),
        clock,
    };
    let dump_sim = sim.clone();
    let graphql = post(graphql::graphql).layer(map_response_with_state(sim.clone(), date));
    let router = Router::new()
        .route("/admin/oauth/access_token", post(auth::access_token))
        .route("/admin/api/{version}/graphql.json", graphql)
        .merge(control::routes())
        .merge(bundle_edits::routes())
        .with_state(sim);
    let credentials = Credentials::new(&[
        ("shop_domain", &creds.shop_domain),
        ("client_id", &creds.client_id),
        ("client_secret", &creds.client_secret),
        ("static_token", &creds.static_token),
        ("api_version", API_VERSION),
    ]);
    let dump = Arc::new(move || {
        serde_json::to_value(&*dump_sim.lock())
            .unwrap_or_else(|e| serde_json::json!({"error": e.to_string()}))
    });
    Ok(Built {
        router,
        credentials,
        base_path: "",
        dump,
    })
}
