//! Oblio's client-credentials token: fetched with the account e-mail and API secret, kept for
//! its whole lifetime by every client of the same account in this process (a new client for the
//! same credentials — the connection test, the engine after a settings change — reuses it, as
//! Oblio's own PHP client reuses its stored token), and renewed a minute before `expires_in` (a
//! string on the wire) runs out, or once more if a call still answers 401.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, PoisonError};
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::reply::{SERVICE, check};
use crate::endpoint::join;
use crate::error::BillingError;
use crate::http::{Http, Repeat, Reply, Verdict, scaled};
use crate::limit::Limiter;
use crate::secret::Secret;

/// Renew this long (service time) before the token's end.
const MARGIN: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
struct Token {
    value: Secret,
    renew_at: Instant,
}

#[derive(Debug, Deserialize)]
struct TokenReply {
    access_token: String,
    #[serde(default)]
    expires_in: serde_json::Value,
}

/// The cached token of one Oblio account.
#[derive(Debug, Default)]
pub struct Tokens {
    current: Mutex<Option<Token>>,
}

type Shared = std::sync::Mutex<HashMap<String, Arc<Tokens>>>;

/// The token cache of the account (`base`, `email`, `secret`), shared by every client of it.
pub fn shared(base: &Url, email: &str, secret: &Secret) -> Arc<Tokens> {
    static ALL: OnceLock<Shared> = OnceLock::new();
    // The secret is part of the key (a changed secret is another cache), hashed so the map
    // never holds it in clear.
    let key = format!(
        "{base}\u{1f}{email}\u{1f}{}",
        crate::fgo::hash(&[secret.expose()])
    );
    let mut all = ALL
        .get_or_init(Shared::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    Arc::clone(all.entry(key).or_default())
}

impl Tokens {
    /// A token valid now: the cached one, or a new one.
    pub async fn get(
        &self,
        http: &Http,
        base: &Url,
        email: &str,
        secret: &Secret,
        limiter: &Limiter,
    ) -> Result<Secret, BillingError> {
        let mut current = self.current.lock().await;
        if let Some(t) = current.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(t.value.clone());
        }
        let url = join(base, "authorize/token");
        let build = |c: &reqwest::Client| {
            c.post(url.clone()).form(&[
                ("client_id", email),
                ("client_secret", secret.expose()),
                ("grant_type", "client_credentials"),
            ])
        };
        let judge = |_: &Reply| Verdict::Pass;
        let reply = http
            .call("get token", Repeat::Safe, limiter, &build, &judge)
            .await?;
        if reply.status.as_u16() == 401 || reply.status.as_u16() == 400 {
            return Err(BillingError::AuthFailed { service: SERVICE });
        }
        check(&reply)?;
        let t: TokenReply =
            serde_json::from_slice(&reply.body).map_err(|e| BillingError::InvalidResponse {
                service: SERVICE,
                detail: e.to_string(),
            })?;
        let secs = match &t.expires_in {
            serde_json::Value::String(s) => s.trim().parse::<u64>().unwrap_or(3600),
            serde_json::Value::Number(n) => n.as_u64().unwrap_or(3600),
            _ => 3600,
        };
        let life = Duration::from_secs(secs).saturating_sub(MARGIN);
        let token = Token {
            value: Secret::new(t.access_token),
            renew_at: Instant::now() + scaled(life, http.options.time_scale),
        };
        *current = Some(token.clone());
        Ok(token.value)
    }

    /// Forgets `stale` (after a 401), unless another call already replaced it.
    pub async fn forget(&self, stale: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| &t.value == stale) {
            *current = None;
        }
    }
}
