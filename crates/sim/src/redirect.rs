//! Loopback endpoints for the clients' redirect tests: a target that records every request it
//! gets, and a redirector that answers every request with a `3xx` pointing at it. A client that
//! followed the redirect would carry its credential to the target, where the test looks for it.
//! Plain TCP, so nothing between the client and the answer interprets the redirect.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Everything the redirect target received, as text.
pub type Seen = Arc<Mutex<String>>;

/// A loopback listener that records every request and answers 200 with an empty object; its
/// URL and what it saw.
///
/// # Panics
/// When no loopback port can be bound.
pub async fn target() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Seen::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let text = read_request(&mut socket).await;
            log.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push_str(&text);
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
                .await;
        }
    });
    (url, seen)
}

/// A loopback listener answering every request with `status` and `Location: {location}{path}`
/// (the request's own path); its URL.
///
/// # Panics
/// When no loopback port can be bound.
pub async fn redirector(status: &'static str, location: String) -> String {
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
async fn read_request(socket: &mut TcpStream) -> String {
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
