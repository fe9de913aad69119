//! What every SmartBill v1 call passes before its handler: Basic auth (email:token), the
//! 30-calls-in-any-10-seconds (sliding) limit per token with its 10-minute block, `Content-Type:
//! application/json` on bodies (415 otherwise), `Accept` (406), and schema validation.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::TimeDelta;
use serde_json::{Value, json};

use super::SmartBill;
use super::body::{request_schema, validate};
use super::model::RateWindow;
use crate::rate::Sliding;

pub const LIMIT: u32 = 30;
const WINDOW_SECS: i64 = 10;
const BLOCK_SECS: i64 = 600;

/// A refused call, answered as is.
pub type Refusal = Box<Response>;

/// Remaining calls and window reset (unix seconds), for the `X-RateLimit-*` headers.
#[derive(Clone, Copy, Debug)]
pub struct RateInfo {
    pub remaining: u32,
    pub reset: i64,
}

/// The classic v1 envelope with `errorText`.
pub fn envelope_error(status: StatusCode, text: &str) -> Response {
    let body = json!({"errorText": text, "message": "", "number": "", "series": "", "url": ""});
    (status, Json(body)).into_response()
}

/// The second error shape (request validation), with `errors[]`.
pub fn problem(status: StatusCode, code: &str, message: &str, param: &str, path: &str) -> Response {
    let body = json!({"status": status.as_u16(), "type": "invalid_request_error",
        "instance": format!("/SBORO/api{path}"),
        "errors": [{"code": code, "message": message,
            "docUrl": "https://api.smartbill.ro/#v3-error-invalid_request_error", "param": param}]});
    (status, Json(body)).into_response()
}

pub fn with_rate(mut r: Response, info: RateInfo) -> Response {
    let h = r.headers_mut();
    h.insert("x-ratelimit-limit", HeaderValue::from(LIMIT));
    h.insert("x-ratelimit-remaining", HeaderValue::from(info.remaining));
    h.insert("x-ratelimit-reset", HeaderValue::from(info.reset));
    r
}

/// Authenticates and counts the call; on success returns the rate info for the headers.
pub fn admit(sim: &SmartBill, headers: &HeaderMap) -> Result<RateInfo, Refusal> {
    let now = sim.clock.now();
    let mut st = sim.lock();
    let expected = format!("{}:{}", st.email, st.token);
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok());
    if given.as_deref() != Some(expected.as_str()) {
        let body = json!({"key": "!.oresp@&", "successfully": false,
            "errorText": "Autentificare esuata. Va rugam verificati datele si incercati din nou.",
            "errorCode": "0", "message": "", "operationExecuted": false, "cooldown": 0,
            "needsConsent": false});
        return Err(Box::new(
            (StatusCode::UNAUTHORIZED, Json(body)).into_response(),
        ));
    }
    let window = st.rate.get_or_insert(RateWindow {
        started: now,
        count: 0,
        blocked_until: None,
        calls: Sliding::default(),
        blocks: 0,
    });
    let text = "Ati depasit numarul maxim de apeluri. Accesul este blocat 10 minute.";
    if let Some(until) = window.blocked_until {
        if now < until {
            let info = RateInfo {
                remaining: 0,
                reset: until.timestamp(),
            };
            return Err(Box::new(with_rate(
                envelope_error(StatusCode::TOO_MANY_REQUESTS, text),
                info,
            )));
        }
        window.blocked_until = None;
        window.calls.clear();
    }
    // Sliding: 30 calls in any 10-second span, not a window that resets.
    let span = TimeDelta::seconds(WINDOW_SECS);
    let fits = window.calls.record(now, LIMIT as usize, span);
    window.count = u32::try_from(window.calls.len()).unwrap_or(u32::MAX);
    window.started = window.calls.calls.front().copied().unwrap_or(now);
    if !fits {
        let until = now + TimeDelta::seconds(BLOCK_SECS);
        window.blocked_until = Some(until);
        window.blocks += 1;
        let info = RateInfo {
            remaining: 0,
            reset: until.timestamp(),
        };
        return Err(Box::new(with_rate(
            envelope_error(StatusCode::TOO_MANY_REQUESTS, text),
            info,
        )));
    }
    let reset = window.calls.frees_at(span).unwrap_or(now).timestamp();
    Ok(RateInfo {
        remaining: LIMIT.saturating_sub(window.count),
        reset,
    })
}

/// Checks `Accept` (JSON endpoints refuse e.g. `application/pdf` with 406).
pub fn accept_json(headers: &HeaderMap, path: &str) -> Result<(), Refusal> {
    let accept = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*");
    if accept.contains("application/json") || accept.contains("*/*") {
        return Ok(());
    }
    let msg = format!("Accept header {accept} is not supported; use application/json.");
    let r = problem(
        StatusCode::NOT_ACCEPTABLE,
        "invalid_accept_header",
        &msg,
        "Accept",
        path,
    );
    Err(Box::new(r))
}

/// Checks the content type and parses and validates a JSON body against the spec schema of
/// `spec_path` (the path as the spec names it).
pub fn json_body(
    headers: &HeaderMap,
    body: &[u8],
    path: &str,
    spec_path: &str,
) -> Result<Value, Refusal> {
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !ct.starts_with("application/json") {
        let msg = format!("Content type '{ct}' not supported; use application/json.");
        let r = problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            &msg,
            "Content-Type",
            path,
        );
        return Err(Box::new(r));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Box::new(problem(
            StatusCode::BAD_REQUEST,
            "json_parse_error",
            &e.to_string(),
            "",
            path,
        ))
    })?;
    if let Some(schema) = request_schema(spec_path, "post") {
        validate(schema, &value, "").map_err(|e| {
            Box::new(problem(
                StatusCode::BAD_REQUEST,
                "json_mapping_error",
                &e.message,
                &e.param,
                path,
            ))
        })?;
    }
    Ok(value)
}
