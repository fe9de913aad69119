//! A redirect never carries a credential away: the client does not follow `307`/`308` answers,
//! so neither the access token header nor the grant's client secret reaches the `Location`.

use std::time::Duration;

use punte_shopify::{Credentials, Secret, ShopifyClient, ShopifyConfig};
use punte_sim::redirect::{redirector, target};

fn quick(base: &str, credentials: Credentials) -> ShopifyClient {
    let mut config = ShopifyConfig::new(base, credentials);
    config.retry.max_attempts = 1;
    config.request_timeout = Duration::from_secs(3);
    ShopifyClient::new(config).expect("loopback config")
}

#[tokio::test]
async fn the_access_token_does_not_follow_a_redirect() {
    for status in [
        "307 Temporary Redirect",
        "308 Permanent Redirect",
        "302 Found",
    ] {
        let (elsewhere, seen) = target().await;
        let base = redirector(status, elsewhere).await;
        let client = quick(
            &base,
            Credentials::StaticToken(Secret::new("shpat_leakcheck")),
        );
        let result = client.shop().await;
        assert!(result.is_err(), "{status}: a redirect is not an answer");
        let got = seen.lock().expect("log").clone();
        assert!(
            !got.contains("shpat_leakcheck"),
            "{status}: the token reached the redirect target"
        );
        assert!(got.is_empty(), "{status}: nothing is sent to the target");
    }
}

#[tokio::test]
async fn the_client_secret_does_not_follow_a_redirect() {
    let (elsewhere, seen) = target().await;
    let base = redirector("307 Temporary Redirect", elsewhere).await;
    let credentials = Credentials::ClientCredentials {
        client_id: "punte-app".into(),
        client_secret: Secret::new("shpss_leakcheck"),
    };
    let result = quick(&base, credentials).shop().await;
    assert!(result.is_err(), "a redirect is not a token");
    let got = seen.lock().expect("log").clone();
    assert!(!got.contains("shpss_leakcheck"), "the secret was re-sent");
    assert!(got.is_empty(), "nothing is sent to the target");
}

#[test]
fn plain_http_to_a_real_host_is_still_refused() {
    let config = ShopifyConfig::new(
        "http://shop.example.com",
        Credentials::StaticToken(Secret::new("shpat_x")),
    );
    let err = ShopifyClient::new(config).expect_err("plain http");
    assert_eq!(err.code(), "shopify.invalid_config");
}
