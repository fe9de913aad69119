//! Per-server request log, request counts and fault injection, applied as one axum middleware so
//! every simulator records and misbehaves the same way, driven from the control API.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::CONTROL_PREFIX;

/// Entries kept in the request log; the oldest tenth is dropped when it is full, so a long
/// demo session does not grow without bound (counts are never dropped).
pub const MAX_LOG: usize = 10_000;

/// Largest body kept in the log (and accepted by any simulator).
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// A misbehaviour injected on one endpoint (or all of them with path `*`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Fault {
    /// Answer normally after a delay (real milliseconds).
    Latency { ms: u64 },
    /// Answer 429 (or, for Shopify GraphQL, a THROTTLED body) without doing the work.
    RateLimited,
    /// Answer with this 5xx status without doing the work.
    ServerError { status: u16 },
    /// Do the work (it is committed), then wait this long (real milliseconds) before answering:
    /// a caller killed meanwhile made the call and never learned its answer.
    SlowAfterCommit { ms: u64 },
    /// Do the work (it is committed) and then drop the connection without an answer.
    DropAfterCommit,
    /// Wait this long (real milliseconds), then do the work on its own task, so it is committed
    /// even when the caller gave up meanwhile (a slow service's queue); the answer, if anyone
    /// still waits, follows the work.
    CommitLate { ms: u64 },
    /// The whole service is unreachable: the connection is dropped before any work.
    Down,
}

/// A fault rule: on `path` (exact, or `*`), for the next `times` requests (None = until cleared).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FaultRule {
    pub path: String,
    #[serde(flatten)]
    pub fault: Fault,
    #[serde(default)]
    pub times: Option<u32>,
}

/// One logged request.
#[derive(Clone, Debug, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub body: String,
    /// The GraphQL document, when the body carried one.
    pub graphql: Option<String>,
    pub status: u16,
}

/// Log, counts and fault rules of one server.
#[derive(Debug, Default)]
pub struct Observer {
    inner: Mutex<Recorded>,
}

#[derive(Debug, Default)]
struct Recorded {
    log: Vec<LoggedRequest>,
    counts: BTreeMap<String, u64>,
    /// Answers per HTTP status (0 = dropped without an answer), never trimmed: tests read the
    /// 429s a run earned even when the log has dropped its oldest entries.
    statuses: BTreeMap<u16, u64>,
    faults: Vec<FaultRule>,
    /// Rules that apply only to requests whose body contains the text (a GraphQL operation).
    body_faults: Vec<(String, FaultRule)>,
}

impl Observer {
    fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn log(&self) -> Vec<LoggedRequest> {
        self.lock().log.clone()
    }

    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.lock().counts.clone()
    }

    /// Answers given per HTTP status since the last [`Observer::clear`] (0 = dropped).
    pub fn statuses(&self) -> BTreeMap<u16, u64> {
        self.lock().statuses.clone()
    }

    pub fn clear(&self) {
        let mut r = self.lock();
        r.log.clear();
        r.counts.clear();
        r.statuses.clear();
    }

    pub fn faults(&self) -> Vec<FaultRule> {
        self.lock().faults.clone()
    }

    pub fn add_fault(&self, rule: FaultRule) {
        self.lock().faults.push(rule);
    }

    pub fn clear_faults(&self) {
        let mut r = self.lock();
        r.faults.clear();
        r.body_faults.clear();
    }

    /// Adds a rule that applies only to requests whose body or query string contains `needle`,
    /// such as one GraphQL operation name among the requests to the one GraphQL path, or one
    /// page (`offset=500`) of a paged GET. Checked before the plain rules.
    pub fn add_fault_when_body_contains(&self, needle: impl Into<String>, rule: FaultRule) {
        self.lock().body_faults.push((needle.into(), rule));
    }

    /// Takes the fault that applies to `path`, `query` and `body`, consuming one use of it.
    fn take_fault(&self, path: &str, query: Option<&str>, body: &[u8]) -> Option<Fault> {
        let mut r = self.lock();
        let text = format!(
            "{}\n{}",
            query.unwrap_or_default(),
            String::from_utf8_lossy(body)
        );
        if let Some(idx) = r.body_faults.iter().position(|(needle, f)| {
            (f.path == path || f.path == "*") && text.contains(needle.as_str())
        }) {
            let rule = &mut r.body_faults[idx].1;
            let fault = rule.fault.clone();
            if let Some(n) = rule.times.as_mut() {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    r.body_faults.remove(idx);
                }
            }
            return Some(fault);
        }
        let idx = r
            .faults
            .iter()
            .position(|f| f.path == path || f.path == "*")?;
        let rule = &mut r.faults[idx];
        let fault = rule.fault.clone();
        if let Some(n) = rule.times.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                r.faults.remove(idx);
            }
        }
        Some(fault)
    }
}

/// The middleware: logs, counts, and applies faults (never to the control API itself).
pub async fn observe(State(obs): State<Arc<Observer>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with(CONTROL_PREFIX) {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let query = req.uri().query().map(str::to_owned);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let fault = obs.take_fault(&path, query.as_deref(), &bytes);
    let (status, response) = match fault {
        Some(Fault::Down) => return dropped(),
        Some(Fault::RateLimited) => (429, rate_limited(&path)),
        Some(Fault::ServerError { status }) => (status, server_error(status)),
        Some(Fault::Latency { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            run(parts, bytes.clone(), next).await
        }
        Some(Fault::SlowAfterCommit { ms }) => {
            let answered = run(parts, bytes.clone(), next).await;
            tokio::time::sleep(Duration::from_millis(ms)).await;
            answered
        }
        Some(Fault::CommitLate { ms }) => {
            // The work and its log entry live on their own task: both happen even when the
            // caller has given up and this handler is dropped with its connection.
            let late = tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                let (status, response) = run(parts, bytes.clone(), next).await;
                record(&obs, method, path, query, &bytes, status);
                response
            });
            return late.await.unwrap_or_else(|_| server_error(500));
        }
        Some(Fault::DropAfterCommit) => {
            let _committed = run(parts, bytes.clone(), next).await;
            record(&obs, method, path, query, &bytes, 0);
            return dropped();
        }
        None => run(parts, bytes.clone(), next).await,
    };
    record(&obs, method, path, query, &bytes, status);
    response
}

async fn run(parts: axum::http::request::Parts, bytes: Bytes, next: Next) -> (u16, Response) {
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    (response.status().as_u16(), response)
}

fn record(obs: &Observer, method: String, path: String, query: Option<String>, b: &Bytes, s: u16) {
    let body = String::from_utf8_lossy(b).into_owned();
    let graphql = serde_json::from_slice::<serde_json::Value>(b)
        .ok()
        .and_then(|v| v.get("query").and_then(|q| q.as_str()).map(str::to_owned));
    let mut r = obs.lock();
    *r.counts.entry(format!("{method} {path}")).or_default() += 1;
    *r.statuses.entry(s).or_default() += 1;
    if r.log.len() >= MAX_LOG {
        r.log.drain(..MAX_LOG / 10);
    }
    r.log.push(LoggedRequest {
        method,
        path,
        query,
        body,
        graphql,
        status: s,
    });
}

/// A response whose body fails, so the client sees the connection drop with no complete answer.
fn dropped() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, _>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault",
        ))
    });
    let mut response = Response::new(Body::from_stream(stream));
    response
        .headers_mut()
        .insert("content-length", HeaderValue::from_static("1048576"));
    response
}

fn rate_limited(path: &str) -> Response {
    let body = if path.ends_with("graphql.json") {
        serde_json::json!({"errors":[{"message":"Throttled","extensions":{
            "code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}]})
    } else {
        serde_json::json!({"errorText":"Too many requests","message":"","status":429})
    };
    let mut r = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    r.headers_mut()
        .insert("retry-after", HeaderValue::from_static("2.0"));
    r
}

fn server_error(status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (code, "<html><body><h1>Internal error</h1></body></html>").into_response();
    if code == StatusCode::SERVICE_UNAVAILABLE {
        r.headers_mut()
            .insert("retry-after", HeaderValue::from_static("1.0"));
    }
    r
}
