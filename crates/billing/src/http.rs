//! The one place that sends HTTP: a timeout on every call, the pacing permit held for the call,
//! and retries with exponential backoff and jitter on 429, 5xx, timeouts and lost connections —
//! but only where repeating cannot do harm. A write that is not idempotent is repeated only when
//! the failure proves it never ran (connection refused, 429); otherwise it ends as
//! `UnknownOutcome` so the engine can mark it for review instead of invoicing twice.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};
use tracing::Instrument;

use crate::error::BillingError;
use crate::limit::{Limiter, Rate};
use crate::options::Options;

/// Whether an operation may be sent again after an ambiguous failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Reads, and writes the service de-duplicates (idempotency key, duplicate check).
    Safe,
    /// Writes that would happen twice if repeated.
    Unsafe,
}

/// A complete answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The service said "too many calls": wait this long, or until then.
#[derive(Debug, Clone, Copy, Default)]
pub struct Throttle {
    pub retry_after: Option<Duration>,
    pub until: Option<DateTime<Utc>>,
}

/// How a service reads a complete answer before the generic 5xx rule applies.
#[derive(Debug, Clone, Copy)]
pub enum Verdict {
    /// Apply the generic rules (5xx is a failure, the rest goes to the caller).
    Pass,
    /// Hand the answer to the caller whatever its status (a definitive refusal).
    Final,
    /// The call was refused for pacing and did not run.
    Throttled(Throttle),
}

enum Failure {
    /// Nothing ran on the service (refused connection, throttled).
    NotRun(String, Option<Throttle>),
    /// It may have run (timeout, dropped answer, 5xx).
    MaybeRan(String),
}

/// An HTTP client bound to one service's name and options.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    pub service: &'static str,
    pub options: Options,
}

impl Http {
    /// A client that never follows redirects. Prefer [`Http::for_base`], which also refuses plain
    /// HTTP at the socket level unless the service lives on a loopback host.
    pub fn new(service: &'static str, options: Options) -> Result<Self, BillingError> {
        Self::build(service, options, false)
    }

    /// The client for a service at `base`: no redirects followed (reqwest would carry Basic auth
    /// to the same host, custom headers anywhere, and re-send FGO's hashed body on 307/308), and
    /// HTTPS only unless `base` is a loopback host (the simulators).
    pub fn for_base(
        service: &'static str,
        options: Options,
        base: &reqwest::Url,
    ) -> Result<Self, BillingError> {
        let loopback = base.host_str().is_some_and(crate::endpoint::is_loopback);
        Self::build(service, options, !loopback)
    }

    fn build(
        service: &'static str,
        options: Options,
        https_only: bool,
    ) -> Result<Self, BillingError> {
        // reqwest is built without a bundled provider (no aws-lc/openssl); ring is ours.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("Punte/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .https_only(https_only)
            .build()
            .map_err(|e| BillingError::Unavailable {
                service,
                detail: format!("HTTP client: {e}"),
            })?;
        Ok(Self {
            client,
            service,
            options,
        })
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The pacing group `group` (unique per service account, e.g. "smartbill:RO123"), kept in
    /// the journal when the options have one.
    pub fn limiter(&self, group: &str, rate: Rate) -> Limiter {
        match &self.options.journal {
            Some(j) => Limiter::journaled(rate, Arc::clone(j), group),
            None => Limiter::new(rate),
        }
    }

    /// Real time for `d` of the service's time.
    pub fn real(&self, d: Duration) -> Duration {
        scaled(d, self.options.time_scale)
    }

    /// Sends what `build` makes, paced by `limiter`, retrying as `repeat` allows.
    pub async fn call(
        &self,
        op: &'static str,
        repeat: Repeat,
        limiter: &Limiter,
        build: &(dyn Fn(&reqwest::Client) -> RequestBuilder + Sync),
        judge: &(dyn Fn(&Reply) -> Verdict + Sync),
    ) -> Result<Reply, BillingError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(until) = limiter.blocked_until() {
                // The service said it refuses us until then: no call until the block ends.
                return Err(BillingError::Blocked {
                    service: self.service,
                    until: Some(until),
                });
            }
            let span = tracing::info_span!("billing_call", service = self.service, op, attempt);
            let outcome = async {
                let _permit = limiter.acquire().await;
                self.once(build(&self.client)).await
            }
            .instrument(span)
            .await;
            let failure = match outcome {
                Ok(reply) => match judge(&reply) {
                    Verdict::Final => return Ok(reply),
                    Verdict::Throttled(t) => Failure::NotRun("throttled".into(), Some(t)),
                    Verdict::Pass if reply.status == StatusCode::TOO_MANY_REQUESTS => {
                        Failure::NotRun("HTTP 429".into(), Some(throttle_of(&reply.headers)))
                    }
                    Verdict::Pass if reply.status.is_server_error() => {
                        Failure::MaybeRan(format!("HTTP {}", reply.status.as_u16()))
                    }
                    Verdict::Pass => return Ok(reply),
                },
                Err(f) => f,
            };
            let wait = match self.next_wait(op, repeat, attempt, failure) {
                Ok(w) => w,
                Err(e) => {
                    if let BillingError::Blocked { until, .. } = &e {
                        limiter.block(self.block_end(*until));
                    }
                    return Err(e);
                }
            };
            tracing::warn!(service = self.service, op, attempt, ?wait, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// How long to wait before the next attempt, or the error that ends the operation.
    fn next_wait(
        &self,
        op: &'static str,
        repeat: Repeat,
        attempt: u32,
        failure: Failure,
    ) -> Result<Duration, BillingError> {
        let service = self.service;
        let last = attempt >= self.options.max_attempts;
        match failure {
            Failure::MaybeRan(_) if repeat == Repeat::Unsafe => Err(BillingError::UnknownOutcome {
                service,
                operation: op,
            }),
            Failure::NotRun(_, Some(t)) => {
                let until_wait = t
                    .until
                    .and_then(|u| (u - Utc::now()).to_std().ok())
                    .map(|d| self.real(d));
                let wait = t
                    .retry_after
                    .map(|d| self.real(d))
                    .or(until_wait)
                    .unwrap_or_else(|| self.backoff(attempt));
                if last || wait > self.options.max_wait {
                    Err(BillingError::Blocked {
                        service,
                        until: t.until.or_else(|| {
                            chrono::TimeDelta::from_std(wait)
                                .ok()
                                .map(|d| Utc::now() + d)
                        }),
                    })
                } else {
                    Ok(wait)
                }
            }
            Failure::NotRun(detail, None) | Failure::MaybeRan(detail) if last => {
                Err(BillingError::Unavailable { service, detail })
            }
            Failure::NotRun(..) | Failure::MaybeRan(_) => Ok(self.backoff(attempt)),
        }
    }

    /// When a block announced as ending at `until` (the service's clock, which runs scaled in
    /// the simulators) ends on this machine's clock.
    fn block_end(&self, until: Option<DateTime<Utc>>) -> DateTime<Utc> {
        let now = Utc::now();
        let left = until
            .and_then(|u| (u - now).to_std().ok())
            .map_or(self.options.max_wait, |d| self.real(d));
        chrono::TimeDelta::from_std(left)
            .ok()
            .and_then(|d| now.checked_add_signed(d))
            .unwrap_or(now + chrono::TimeDelta::days(1))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let step = self.options.backoff * 2u32.saturating_pow(attempt.saturating_sub(1).min(8));
        let jitter = 0.5 + fastrand::f64() * 0.5;
        step.mul_f64(jitter)
    }

    async fn once(&self, request: RequestBuilder) -> Result<Reply, Failure> {
        let response = request
            .timeout(self.options.timeout)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| classify(&e))?;
        Ok(Reply {
            status,
            headers,
            body: body.to_vec(),
        })
    }
}

fn classify(e: &reqwest::Error) -> Failure {
    if e.is_connect() && !e.is_timeout() {
        Failure::NotRun("connection refused".into(), None)
    } else if e.is_timeout() {
        Failure::MaybeRan("timeout".into())
    } else {
        Failure::MaybeRan("connection lost before the answer".into())
    }
}

/// `Retry-After` (seconds) and `X-RateLimit-Reset` (unix seconds) of a 429.
pub fn throttle_of(headers: &HeaderMap) -> Throttle {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let retry_after = text("retry-after")
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let until = text("x-ratelimit-reset")
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0));
    Throttle { retry_after, until }
}

/// `d` of a clock running `scale` times faster, in real time.
pub fn scaled(d: Duration, scale: f64) -> Duration {
    if scale.is_finite() && scale > 0.0 {
        d.div_f64(scale)
    } else {
        d
    }
}
