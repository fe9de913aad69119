//! A redirect never carries a credential away: the client does not follow `307`/`308` answers,
//! so neither the access token header nor the grant's client secret reaches the `Location`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use punte_shopify::{Credentials, Secret, ShopifyClient, ShopifyConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Everything the redirect target received, as text.
type Seen = Arc<Mutex<String>>;

/// A loopback listener that records every request it gets and answers 200.
async fn target() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Seen::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let text = read_request(&mut socket).await;
            log.lock().expect("log").push_str(&text);
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
                .await;
        }
    });
    (url, seen)
}

/// A loopback listener answering every request with `status` pointing at `location`.
async fn redirector(status: &'static str, location: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            read_request(&mut socket).await;
            let answer = format!(
                "HTTP/1.1 {status}\r\nlocation: {location}/elsewhere\r\ncontent-length: 0\r\n\
                 connection: close\r\n\r\n"
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    url
}

/// Reads one request (head and a `content-length` body) as lossy text.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(2), socket.read(&mut chunk)).await
        else {
            break;
        };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.trim()
                        .eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).to_string()
}

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
