//! One GraphQL call, done politely and honestly: wait for the cost bucket, send with the token,
//! classify the answer (data, THROTTLED/429, 401, 5xx, dropped, timed out), wait as told or back
//! off with jitter, and repeat only what is safe to repeat.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::{Instrument, debug, info_span, warn};

use crate::ShopifyError;
pub(crate) use crate::answer::send_error;
use crate::answer::{Withheld, classify_errors, error_text, retry_after, withheld};
use crate::auth::TokenSource;
use crate::pacing::{Cost, Pacer};
use crate::retry::{Replay, RetryPolicy};
use crate::secret::Secret;
use crate::server_clock::ServerClock;

/// A GraphQL document and how to treat it.
pub(crate) struct Operation {
    pub name: &'static str,
    pub document: &'static str,
    pub replay: Replay,
    /// Expected cost before the first answer tells the real one.
    pub cost_hint: f64,
}

/// A decoded answer, with the fields Shopify withheld and whether the request was sent again
/// after a lost answer.
pub(crate) struct Answer<T> {
    pub data: T,
    pub withheld: Vec<Withheld>,
    pub replayed: bool,
}

/// Counters of one client, for benches, tests and the diagnostics screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests sent to the GraphQL endpoint.
    pub requests: u64,
    /// Answers that were THROTTLED or HTTP 429.
    pub throttled: u64,
    /// Requests repeated after a transient failure (5xx, timeout, dropped connection).
    pub retries: u64,
}

pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) url: Url,
    pub(crate) auth: TokenSource,
    pub(crate) policy: RetryPolicy,
    pub(crate) pacer: Pacer,
    costs: Mutex<HashMap<&'static str, f64>>,
    requests: AtomicU64,
    throttled: AtomicU64,
    retries: AtomicU64,
    /// Shopify's clock, from its answers' `Date` (`server_clock`).
    pub(crate) clock: ServerClock,
}

pub(crate) enum Outcome {
    /// The answer's data, with the fields Shopify withheld from it (usually none).
    Data(Value, Vec<Withheld>),
    Unauthorized(Secret, String),
    Throttled(Duration),
    Transient {
        error: ShopifyError,
        /// The request may have taken effect (sent, then no complete answer).
        ambiguous: bool,
        retry_after: Option<Duration>,
    },
    Fatal(ShopifyError),
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<Value>,
    errors: Option<Value>,
    extensions: Option<Extensions>,
}

#[derive(Deserialize)]
struct Extensions {
    cost: Option<Cost>,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        url: Url,
        auth: TokenSource,
        policy: RetryPolicy,
    ) -> Self {
        Self {
            http,
            url,
            auth,
            policy,
            pacer: Pacer::default(),
            costs: Mutex::default(),
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            clock: ServerClock::default(),
        }
    }

    pub(crate) fn stats(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
        }
    }

    /// Runs `op` with `variables` and decodes `data` as `T`. Fields Shopify withheld come back
    /// as null (the wire types read them as `Option`) and are logged.
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        op: &Operation,
        variables: Value,
    ) -> Result<T, ShopifyError> {
        let answer = self.execute_traced(op, variables).await?;
        if let Some(w) = answer.withheld.first() {
            warn!(
                operation = op.name,
                fields = answer.withheld.len(),
                field = w.field(),
                "Shopify withheld fields"
            );
        }
        Ok(answer.data)
    }

    /// As [`Transport::execute`], also returning the fields Shopify withheld (protected
    /// customer data the app may not read), so the caller can tell the merchant.
    pub(crate) async fn execute_partial<T: DeserializeOwned>(
        &self,
        op: &Operation,
        variables: Value,
    ) -> Result<(T, Vec<Withheld>), ShopifyError> {
        let answer = self.execute_traced(op, variables).await?;
        Ok((answer.data, answer.withheld))
    }

    /// Runs `op` and says, beside the answer, whether the request was sent again after an
    /// attempt whose answer was lost (so an earlier attempt may have taken effect).
    pub(crate) async fn execute_traced<T: DeserializeOwned>(
        &self,
        op: &Operation,
        variables: Value,
    ) -> Result<Answer<T>, ShopifyError> {
        let body = serde_json::json!({"query": op.document, "variables": variables,
            "operationName": op.name});
        let body = serde_json::to_vec(&body)
            .map_err(|e| ShopifyError::BadResponse(format!("request encoding: {e}")))?;
        let (mut failures, mut throttles, mut renewed) = (0u32, 0u32, false);
        let mut replayed = false;
        loop {
            let wait = self.pacer.reserve(self.expected_cost(op));
            if !wait.is_zero() {
                debug!(
                    operation = op.name,
                    wait_ms = wait.as_millis() as u64,
                    "pacing"
                );
                tokio::time::sleep(wait).await;
            }
            let span = info_span!("shopify.graphql", operation = op.name, failures, throttles);
            match self.attempt(op, &body).instrument(span).await {
                Outcome::Data(data, withheld) => {
                    let data = serde_json::from_value(data).map_err(|e| {
                        ShopifyError::BadResponse(format!("{} answer: {e}", op.name))
                    })?;
                    return Ok(Answer {
                        data,
                        withheld,
                        replayed,
                    });
                }
                Outcome::Unauthorized(token, _) if !renewed && self.auth.can_renew() => {
                    debug!(operation = op.name, "401: renewing the token once");
                    self.auth.invalidate(&token).await;
                    renewed = true;
                }
                Outcome::Unauthorized(_, detail) => return Err(ShopifyError::AuthFailed(detail)),
                Outcome::Throttled(wait) => {
                    self.throttled.fetch_add(1, Ordering::Relaxed);
                    throttles += 1;
                    if throttles > self.policy.max_throttle_waits {
                        return Err(ShopifyError::Throttled { retry_after: wait });
                    }
                    warn!(
                        operation = op.name,
                        wait_ms = wait.as_millis() as u64,
                        "throttled"
                    );
                    tokio::time::sleep(wait).await;
                }
                Outcome::Transient {
                    error,
                    ambiguous,
                    retry_after,
                } => {
                    if ambiguous && op.replay == Replay::Unsafe {
                        return Err(ShopifyError::OutcomeUnknown(error.to_string()));
                    }
                    replayed |= ambiguous;
                    failures += 1;
                    if failures >= self.policy.max_attempts {
                        return Err(error);
                    }
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    let wait = self.policy.backoff(failures, retry_after);
                    warn!(
                        operation = op.name,
                        code = error.code(),
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                Outcome::Fatal(error) => return Err(error),
            }
        }
    }

    fn expected_cost(&self, op: &Operation) -> f64 {
        let costs = self.costs.lock().unwrap_or_else(PoisonError::into_inner);
        costs.get(op.name).copied().unwrap_or(op.cost_hint)
    }

    async fn attempt(&self, op: &Operation, body: &[u8]) -> Outcome {
        let token = match self.auth.token(&self.http).await {
            Ok(t) => t,
            Err(error) if error.is_transient() => {
                return Outcome::Transient {
                    error,
                    ambiguous: false,
                    retry_after: None,
                };
            }
            Err(error) => return Outcome::Fatal(error),
        };
        self.requests.fetch_add(1, Ordering::Relaxed);
        let sent = self
            .http
            .post(self.url.clone())
            .header("X-Shopify-Access-Token", token.expose())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json")
            .body(body.to_vec())
            .send()
            .await;
        let resp = match sent {
            Ok(r) => r,
            Err(e) => {
                return Outcome::Transient {
                    ambiguous: !e.is_connect(),
                    error: send_error(e),
                    retry_after: None,
                };
            }
        };
        let status = resp.status();
        self.clock.observe(resp.headers());
        let retry_after = retry_after(resp.headers());
        let bytes = match resp.bytes().await {
            Ok(b) => b,
            Err(e) => {
                return Outcome::Transient {
                    error: send_error(e),
                    ambiguous: true,
                    retry_after: None,
                };
            }
        };
        match status {
            StatusCode::UNAUTHORIZED => Outcome::Unauthorized(token, error_text(&bytes)),
            StatusCode::FORBIDDEN => Outcome::Fatal(ShopifyError::AccessDenied(error_text(&bytes))),
            StatusCode::TOO_MANY_REQUESTS => {
                let told = self.read(op, &bytes);
                match told {
                    Outcome::Throttled(w) => {
                        Outcome::Throttled(w.max(retry_after.unwrap_or_default()))
                    }
                    _ => Outcome::Throttled(retry_after.unwrap_or(Duration::from_secs(1))),
                }
            }
            s if s.is_server_error() => Outcome::Transient {
                error: ShopifyError::ServerError { status: s.as_u16() },
                ambiguous: true,
                retry_after,
            },
            s if s.is_success() => self.read(op, &bytes),
            s => Outcome::Fatal(ShopifyError::GraphQl {
                code: Some(format!("HTTP {}", s.as_u16())),
                message: error_text(&bytes),
            }),
        }
    }

    /// Reads a GraphQL answer: records the bucket, then data or the first error.
    fn read(&self, op: &Operation, bytes: &[u8]) -> Outcome {
        let env: Envelope = match serde_json::from_slice(bytes) {
            Ok(e) => e,
            Err(e) => {
                return Outcome::Fatal(ShopifyError::BadResponse(format!("{}: {e}", op.name)));
            }
        };
        let cost = env.extensions.and_then(|x| x.cost);
        let status = cost.as_ref().and_then(|c| c.throttle_status);
        let requested = cost.as_ref().and_then(|c| c.requested_query_cost);
        if let Some(s) = status {
            self.pacer.observe(s);
        }
        if let Some(r) = requested {
            let mut costs = self.costs.lock().unwrap_or_else(PoisonError::into_inner);
            costs.insert(op.name, r);
        }
        let data = env.data.filter(|d| !d.is_null());
        let mut fields = Vec::new();
        if let Some(errors) = env.errors.filter(|e| !e.is_null()) {
            // Data and errors together: keep the data when every error only withheld a field.
            match (&data, withheld(&errors)) {
                (Some(_), Some(w)) => fields = w,
                _ => return classify_errors(&errors, status.zip(requested)),
            }
        }
        match data {
            Some(data) => Outcome::Data(data, fields),
            None => Outcome::Fatal(ShopifyError::BadResponse(format!("{}: no data", op.name))),
        }
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
