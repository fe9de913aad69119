//! A redirect never carries a credential away: none of the three clients follows `3xx`, so
//! SmartBill's Basic auth, Oblio's client secret and FGO's hashed body stay where they were sent.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use punte_billing::{Connection, Options, Secret, connect, fgo, oblio, smartbill};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Everything the redirect target received, as text.
type Seen = Arc<Mutex<String>>;

/// A loopback listener that records every request and answers 200 with an empty object.
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

/// A loopback listener answering every request with `status` and `Location: {location}…`.
async fn redirector(status: &'static str, location: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let head = read_request(&mut socket).await;
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let answer = format!(
                "HTTP/1.1 {status}\r\nlocation: {location}{path}\r\ncontent-length: 0\r\n\
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
    while let Ok(Ok(n)) =
        tokio::time::timeout(Duration::from_secs(2), socket.read(&mut chunk)).await
    {
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
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

const SECRET: &str = "leakcheck-secret-0042";

fn connections(base: &str) -> Vec<Connection> {
    vec![
        Connection::SmartBill(smartbill::Config {
            base_url: base.into(),
            email: "ana@example.ro".into(),
            token: Secret::new(SECRET),
            cif: "RO12345678".into(),
            unit: "buc".into(),
        }),
        Connection::Oblio(oblio::Config {
            base_url: base.into(),
            email: "ana@example.ro".into(),
            secret: Secret::new(SECRET),
            cif: "RO12345678".into(),
            unit: "buc".into(),
        }),
        Connection::Fgo(fgo::Config {
            base_url: base.into(),
            cod_unic: "12345678".into(),
            private_key: Secret::new(SECRET),
            platform_url: "https://punte.local".into(),
            unit: "buc".into(),
            series: vec!["PNT".into()],
        }),
    ]
}

fn quick() -> Options {
    Options {
        timeout: Duration::from_secs(3),
        max_attempts: 1,
        max_wait: Duration::from_secs(1),
        backoff: Duration::from_millis(10),
        time_scale: 1.0,
        journal: None,
    }
}

/// What `seen` must not contain for `connection`: the secret and what is derived from it.
fn forbidden(connection: &Connection) -> Vec<String> {
    let mut out = vec![SECRET.to_owned(), "Authorization".to_lowercase()];
    if let Connection::Fgo(c) = connection {
        out.push(fgo::hash(&[&c.cod_unic, SECRET]));
        out.push(fgo::hash(&[&c.cod_unic, SECRET, "Ion Popescu"]));
    }
    out
}

#[tokio::test]
async fn no_client_follows_a_redirect_with_its_credentials() {
    for status in [
        "307 Temporary Redirect",
        "308 Permanent Redirect",
        "302 Found",
    ] {
        for which in 0..3 {
            let (elsewhere, seen) = target().await;
            let base = redirector(status, elsewhere).await;
            let connection = connections(&base).swap_remove(which);
            let kind = connection.kind();
            let service = connect(connection.clone(), quick()).expect("loopback connection");
            let tested = service.test_connection().await;
            let draft = common::draft(1001, &[("SKU-1", 1, "10.00")], None);
            let issued = service.issue_invoice(&draft, "PNT").await;
            let got = seen.lock().expect("log").to_lowercase();
            for secret in forbidden(&connection) {
                assert!(
                    !got.contains(&secret.to_lowercase()),
                    "{kind:?} {status}: {secret} reached the redirect target"
                );
            }
            assert!(
                got.is_empty(),
                "{kind:?} {status}: sent to the target: {got}"
            );
            assert!(
                tested.is_err(),
                "{kind:?} {status}: a redirect is not an answer"
            );
            assert!(
                issued.is_err(),
                "{kind:?} {status}: a redirect is not an invoice"
            );
        }
    }
}
