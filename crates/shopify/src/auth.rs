//! Access tokens: a static `shpat_` token, or the client-credentials grant
//! (`POST /admin/oauth/access_token`) whose token is cached and renewed before `expires_in` runs
//! out, and once more when Shopify answers 401 anyway.

use std::time::{Duration, Instant};

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use tokio::sync::Mutex;
use tracing::{Instrument, debug, info_span};

use crate::ShopifyError;
use crate::config::Credentials;
use crate::secret::Secret;
use crate::transport::send_error;

/// The longest head start a renewal takes before the token would expire.
const MAX_RENEW_AHEAD: Duration = Duration::from_secs(300);

pub(crate) struct TokenSource {
    credentials: Credentials,
    url: Url,
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    token: Secret,
    renew_at: Option<Instant>,
}

#[derive(Deserialize)]
struct Grant {
    access_token: String,
    expires_in: Option<u64>,
}

#[derive(Deserialize, Default)]
struct GrantError {
    error: Option<String>,
    error_description: Option<String>,
}

impl TokenSource {
    pub(crate) fn new(credentials: Credentials, url: Url) -> Self {
        Self {
            credentials,
            url,
            cached: Mutex::new(None),
        }
    }

    /// True when a refused token can be replaced by asking for a new one.
    pub(crate) fn can_renew(&self) -> bool {
        matches!(self.credentials, Credentials::ClientCredentials { .. })
    }

    /// A token to send now: the static one, or the cached grant while it is fresh.
    pub(crate) async fn token(&self, http: &reqwest::Client) -> Result<Secret, ShopifyError> {
        let (client_id, secret) = match &self.credentials {
            Credentials::StaticToken(t) => return Ok(t.clone()),
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => (client_id, client_secret),
        };
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref()
            && c.renew_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(c.token.clone());
        }
        let fresh = self
            .grant(http, client_id, secret)
            .instrument(info_span!("shopify.token_grant", client_id = %client_id))
            .await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets `refused` (if it is still the cached token) so the next call asks for a new one.
    pub(crate) async fn invalidate(&self, refused: &Secret) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| &c.token == refused) {
            *cached = None;
        }
    }

    async fn grant(
        &self,
        http: &reqwest::Client,
        client_id: &str,
        secret: &Secret,
    ) -> Result<Cached, ShopifyError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret.expose()),
        ];
        let requested = Instant::now();
        let resp = http
            .post(self.url.clone())
            .header("accept", "application/json")
            .form(&form)
            .send()
            .await
            .map_err(send_error)?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(send_error)?;
        if status.is_success() {
            let grant: Grant = serde_json::from_slice(&body)
                .map_err(|e| ShopifyError::BadResponse(format!("token answer: {e}")))?;
            let renew_at = grant.expires_in.map(|secs| {
                let life = Duration::from_secs(secs);
                requested + life - (life / 10).min(MAX_RENEW_AHEAD)
            });
            debug!(expires_in = ?grant.expires_in, "shopify token granted");
            return Ok(Cached {
                token: Secret::new(grant.access_token),
                renew_at,
            });
        }
        if status.is_server_error() {
            return Err(ShopifyError::ServerError {
                status: status.as_u16(),
            });
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(ShopifyError::Throttled {
                retry_after: Duration::from_secs(1),
            });
        }
        let e: GrantError = serde_json::from_slice(&body).unwrap_or_default();
        let detail = match (e.error, e.error_description) {
            (Some(code), Some(text)) => format!("{code}: {text}"),
            (Some(code), None) => code,
            _ => format!("HTTP {}", status.as_u16()),
        };
        Err(ShopifyError::AuthFailed(detail))
    }
}
