//! Reading what came back: GraphQL `errors` codes (THROTTLED, MAX_COST_EXCEEDED, ACCESS_DENIED),
//! reqwest failures, `Retry-After` and error bodies, turned into the transport's outcomes.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use crate::ShopifyError;
use crate::pacing::ThrottleStatus;
use crate::transport::Outcome;

pub(crate) fn classify_errors(errors: &Value, bucket: Option<(ThrottleStatus, f64)>) -> Outcome {
    let first = errors.as_array().and_then(|a| a.first());
    let code = first
        .and_then(|e| e.pointer("/extensions/code"))
        .and_then(Value::as_str);
    let message = first
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map_or_else(|| errors.to_string(), str::to_owned);
    match code {
        Some("THROTTLED") => {
            Outcome::Throttled(bucket.map_or(Duration::from_secs(1), |(s, requested)| {
                s.wait_for(requested)
            }))
        }
        Some("MAX_COST_EXCEEDED") => {
            let cost = first
                .and_then(|e| e.pointer("/extensions/cost"))
                .and_then(Value::as_u64)
                .unwrap_or_default();
            Outcome::Fatal(ShopifyError::QueryTooCostly { cost })
        }
        Some("ACCESS_DENIED") => Outcome::Fatal(ShopifyError::AccessDenied(message)),
        Some("INTERNAL_SERVER_ERROR") => Outcome::Transient {
            error: ShopifyError::ServerError { status: 200 },
            ambiguous: true,
            retry_after: None,
        },
        code => Outcome::Fatal(ShopifyError::GraphQl {
            code: code.map(str::to_owned),
            message,
        }),
    }
}

/// A reqwest failure as a client error (never with the URL's query or any header).
pub(crate) fn send_error(e: reqwest::Error) -> ShopifyError {
    if e.is_timeout() {
        ShopifyError::Timeout
    } else if e.is_connect() {
        ShopifyError::Unreachable("connection refused or host not found".into())
    } else if e.is_decode() {
        ShopifyError::BadResponse(e.without_url().to_string())
    } else {
        ShopifyError::Unreachable("the connection broke before the answer arrived".into())
    }
}

/// `Retry-After` in seconds (Shopify sends floats such as `2.0`).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = raw.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

/// The `errors` text of a non-GraphQL error body, shortened.
pub(crate) fn error_text(bytes: &[u8]) -> String {
    let parsed: Option<Value> = serde_json::from_slice(bytes).ok();
    let text = match parsed.as_ref().and_then(|v| v.get("errors")) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    };
    text.chars().take(300).collect()
}
