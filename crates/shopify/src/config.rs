//! How to reach one shop: its base URL (HTTPS, or plain HTTP only to a loopback host such as the
//! simulator), the API version, the credentials, timeouts and the retry policy.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use crate::ShopifyError;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

/// The Admin API version Punte is written against.
pub const API_VERSION: &str = "2026-07";

/// How the app authenticates.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A Dev Dashboard app: the client-credentials grant gives a token valid for `expires_in`.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    /// A legacy custom app's `shpat_…` Admin API token, which does not expire.
    StaticToken(Secret),
}

/// Everything the client needs to talk to one shop.
#[derive(Debug, Clone)]
pub struct ShopifyConfig {
    /// `https://{shop}.myshopify.com`, or the simulator's `http://127.0.0.1:port`.
    pub base_url: String,
    pub api_version: String,
    pub credentials: Credentials,
    /// Limit for one whole request (connect, send, answer).
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryPolicy,
}

impl ShopifyConfig {
    /// A configuration with API 2026-07, 30 s per request and the default retry policy.
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            base_url: base_url.into(),
            api_version: API_VERSION.to_owned(),
            credentials,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
        }
    }

    /// The GraphQL endpoint and the token endpoint, after checking the base URL.
    pub(crate) fn endpoints(&self) -> Result<(Url, Url), ShopifyError> {
        let base = checked_base(&self.base_url)?;
        let join = |path: &str| {
            base.join(path)
                .map_err(|e| ShopifyError::InvalidConfig(format!("{path}: {e}")))
        };
        let graphql = join(&format!("admin/api/{}/graphql.json", self.api_version))?;
        Ok((graphql, join("admin/oauth/access_token")?))
    }
}

/// Parses the base URL: HTTPS always; HTTP only for a loopback host, so no token ever travels
/// in clear text over a network.
fn checked_base(raw: &str) -> Result<Url, ShopifyError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let mut url = Url::parse(trimmed)
        .map_err(|e| ShopifyError::InvalidConfig(format!("shop address \"{trimmed}\": {e}")))?;
    let host = url.host_str().unwrap_or_default().to_owned();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        other => {
            return Err(ShopifyError::InvalidConfig(format!(
                "the shop address must start with https:// (got {other}:// for {host})"
            )));
        }
    }
    if host.is_empty() {
        return Err(ShopifyError::InvalidConfig(
            "the shop address has no host".into(),
        ));
    }
    // A base path (none for Shopify) must end in '/' so that joining keeps it.
    let path = format!("{}/", url.path().trim_end_matches('/'));
    url.set_path(&path);
    Ok(url)
}

pub(crate) fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> ShopifyConfig {
        ShopifyConfig::new(url, Credentials::StaticToken(Secret::new("shpat_x")))
    }

    #[test]
    fn https_and_loopback_http_are_accepted() {
        let (gql, token) = config("https://shop.myshopify.com/")
            .endpoints()
            .expect("https");
        assert_eq!(
            gql.as_str(),
            "https://shop.myshopify.com/admin/api/2026-07/graphql.json"
        );
        assert_eq!(
            token.as_str(),
            "https://shop.myshopify.com/admin/oauth/access_token"
        );
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(config(ok).endpoints().is_ok(), "{ok} is loopback");
        }
    }

    #[test]
    fn plain_http_to_a_real_host_is_refused() {
        for bad in [
            "http://shop.myshopify.com",
            "http://10.0.0.1",
            "ftp://x",
            "not a url",
        ] {
            let err = config(bad).endpoints().expect_err(bad);
            assert_eq!(err.code(), "shopify.invalid_config", "{bad}");
        }
    }
}
