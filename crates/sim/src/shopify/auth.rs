//! `POST /admin/oauth/access_token` (client-credentials grant, form or JSON body) and the
//! `X-Shopify-Access-Token` check, with expiring tokens measured on the simulated clock.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::TimeDelta;
use serde::Deserialize;
use serde_json::json;

use super::Shopify;

#[derive(Deserialize)]
struct Grant {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

pub async fn access_token(State(sim): State<Shopify>, headers: HeaderMap, body: Bytes) -> Response {
    let is_json = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let grant: Option<Grant> = if is_json {
        serde_json::from_slice(&body).ok()
    } else {
        serde_urlencoded_grant(&body)
    };
    let Some(grant) = grant else {
        return oauth_error("invalid_request", "Malformed request body");
    };
    if grant.grant_type.as_deref() != Some("client_credentials") {
        return oauth_error(
            "unsupported_grant_type",
            "Only client_credentials is supported",
        );
    }
    let now = sim.clock.now();
    let mut st = sim.lock();
    if grant.client_id.as_deref() != Some(&st.creds.client_id)
        || grant.client_secret.as_deref() != Some(&st.creds.client_secret)
    {
        return oauth_error("invalid_client", "Client authentication failed");
    }
    let token = format!(
        "shpat_{}",
        crate::wire::fresh_hex(&format!("{now:?}{}", st.tokens.len()))
    );
    let ttl = st.token_ttl;
    st.tokens
        .insert(token.clone(), now + TimeDelta::seconds(ttl));
    let body = json!({"access_token": token, "scope": st.creds.scope, "expires_in": ttl});
    Json(body).into_response()
}

fn serde_urlencoded_grant(body: &[u8]) -> Option<Grant> {
    let mut grant = Grant {
        grant_type: None,
        client_id: None,
        client_secret: None,
    };
    for (k, v) in form_pairs(body) {
        match k.as_str() {
            "grant_type" => grant.grant_type = Some(v),
            "client_id" => grant.client_id = Some(v),
            "client_secret" => grant.client_secret = Some(v),
            _ => {}
        }
    }
    Some(grant)
}

/// Decodes an `application/x-www-form-urlencoded` body.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn oauth_error(code: &str, description: &str) -> Response {
    let body = json!({"error": code, "error_description": description});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// Checks `X-Shopify-Access-Token`; returns the 401 answer when it is missing, unknown or expired.
pub fn check_token(sim: &Shopify, headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok());
    let now = sim.clock.now();
    let st = sim.lock();
    let ok = match token {
        Some(t) if t == st.creds.static_token => true,
        Some(t) => st.tokens.get(t).is_some_and(|exp| *exp > now),
        None => false,
    };
    if ok {
        return None;
    }
    let body = json!({"errors":
        "[API] Invalid API key or access token (unrecognized login or wrong password)"});
    Some((StatusCode::UNAUTHORIZED, Json(body)).into_response())
}
