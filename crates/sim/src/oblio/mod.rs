//! The Oblio simulator (`/api`): client-credentials tokens (3600 s, `expires_in` as a string),
//! Bearer auth, the `{status, statusMessage, data}` envelope, nomenclatures (products with
//! `stock[]` per (workStation, management), pages of 250 by offset), invoices with `useStock` +
//! `management` in a `workStation`, `idempotencyKey` and storno via `referenceDocument`, view
//! and list of documents, cancel, delete, and the current docs' rate limits (sliding: 30 / 100 s
//! for documents, 30 / 10 s for other requests; a refused call answers 429 and blocks nothing).

mod collect;
mod doc_lines;
mod doc_read;
mod docs;
pub mod einvoice;
pub mod model;
mod nomenclature;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Json, Router};
use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::rate::Sliding;
use crate::server::{Built, Credentials};
use crate::{SimClock, SimOptions};
use model::{OblioState, Product, Window};

const TOKEN_SECS: i64 = 3600;
/// Calls in any window of the group's span (`docs`: 100 s, other requests: 10 s).
pub const WINDOW_MAX: usize = 30;

#[derive(Clone)]
pub struct Oblio {
    pub state: Arc<Mutex<OblioState>>,
    pub clock: SimClock,
}

impl Oblio {
    fn lock(&self) -> MutexGuard<'_, OblioState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub fn build(options: &SimOptions, clock: SimClock) -> Built {
    let mut st = OblioState::new();
    if options.demo {
        for a in crate::demo::articles() {
            let stock = vec![model::Stock {
                work_station: model::WORK_STATION.into(),
                management: crate::demo::WAREHOUSE.into(),
                quantity: a.stock,
            }];
            let p = Product {
                name: a.name,
                unit: a.unit,
                price: a.price,
                vat: a.vat_percent,
                stock,
            };
            st.products.insert(a.code, p);
        }
    }
    let credentials = Credentials::new(&[
        ("client_id", &st.email),
        ("client_secret", &st.secret),
        ("cif", &st.cif),
    ]);
    let sim = Oblio {
        state: Arc::new(Mutex::new(st)),
        clock,
    };
    let dump_sim = sim.clone();
    let router = Router::new()
        .route("/api/authorize/token", post(token))
        .route("/api/nomenclature/{what}", get(nomenclature))
        .route("/api/docs/invoice", post(issue).delete(delete).get(view))
        .route("/api/docs/invoice/list", get(list))
        .route("/api/docs/invoice/cancel", any(cancel))
        .route("/api/docs/invoice/collect", put(collect))
        .route("/api/docs/einvoice", post(einvoice::send))
        .route("/_sim/oblio/einvoice", post(einvoice::verdict))
        .route("/_sim/billing/receive", post(nomenclature::receive))
        .route("/_sim/billing/adjust", post(nomenclature::receive))
        .with_state(sim);
    let dump = Arc::new(move || {
        serde_json::to_value(&*dump_sim.lock()).unwrap_or_else(|e| json!({"error": e.to_string()}))
    });
    Built {
        router,
        credentials,
        base_path: "/api",
        dump,
    }
}

/// The Oblio envelope for an error.
pub fn fail(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"status": status.as_u16(), "statusMessage": message})),
    )
        .into_response()
}

/// The Oblio envelope for a success.
pub fn success(message: &str, data: Value) -> Response {
    Json(json!({"status": 200, "statusMessage": message, "data": data})).into_response()
}

/// A form or JSON body as a JSON object.
fn body_value(headers: &HeaderMap, body: &[u8]) -> Option<Value> {
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ct.starts_with("application/json") {
        return serde_json::from_slice(body).ok();
    }
    let map: serde_json::Map<String, Value> = form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect();
    Some(Value::Object(map))
}

async fn token(State(sim): State<Oblio>, headers: HeaderMap, body: Bytes) -> Response {
    let v = body_value(&headers, &body).unwrap_or(Value::Null);
    let now = sim.clock.now();
    let mut st = sim.lock();
    let id = v.get("client_id").and_then(Value::as_str);
    let secret = v.get("client_secret").and_then(Value::as_str);
    if id != Some(st.email.as_str()) || secret != Some(st.secret.as_str()) {
        return fail(
            StatusCode::UNAUTHORIZED,
            "Datele de autentificare sunt gresite",
        );
    }
    let token = crate::wire::fresh_hex(&format!("oblio{}", st.tokens.len()));
    st.tokens
        .insert(token.clone(), now + TimeDelta::seconds(TOKEN_SECS));
    Json(
        json!({"access_token": token, "expires_in": TOKEN_SECS.to_string(), "token_type": "Bearer",
        "scope": "", "request_time": now.timestamp().to_string()}),
    )
    .into_response()
}

/// Bearer check and rate limit; the refusal when either fails.
fn admit(sim: &Oblio, headers: &HeaderMap, docs: bool) -> Option<Response> {
    let now = sim.clock.now();
    let mut st = sim.lock();
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if token
        .and_then(|t| st.tokens.get(t))
        .is_none_or(|exp| *exp <= now)
    {
        return Some(fail(
            StatusCode::UNAUTHORIZED,
            "The access token provided is invalid",
        ));
    }
    let (group, span) = if docs { ("docs", 100) } else { ("other", 10) };
    let w = st.windows.entry(group.into()).or_insert(Window {
        started: now,
        count: 0,
        calls: Sliding::default(),
    });
    // Sliding: 30 calls in any `span`, not a window that resets.
    let fits = w.calls.record(now, WINDOW_MAX, TimeDelta::seconds(span));
    w.count = u32::try_from(w.calls.len()).unwrap_or(u32::MAX);
    w.started = w.calls.calls.front().copied().unwrap_or(now);
    if !fits {
        let msg = format!("Ati depasit limita de 30 de cereri in {span} secunde");
        return Some(fail(StatusCode::TOO_MANY_REQUESTS, &msg));
    }
    None
}

type Q = Query<BTreeMap<String, String>>;

async fn nomenclature(
    State(sim): State<Oblio>,
    Path(what): Path<String>,
    headers: HeaderMap,
    Query(q): Q,
) -> Response {
    if let Some(r) = admit(&sim, &headers, false) {
        return r;
    }
    nomenclature::answer(&sim.lock(), &what, &q)
}

async fn issue(State(sim): State<Oblio>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = admit(&sim, &headers, true) {
        return r;
    }
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let parsed = serde_json::from_slice::<Value>(&body)
        .ok()
        .filter(|_| ct.starts_with("application/json"));
    let Some(v) = parsed.filter(Value::is_object) else {
        return fail(StatusCode::BAD_REQUEST, "Documentul trebuie trimis ca JSON");
    };
    let today = sim.clock.now().format("%Y-%m-%d").to_string();
    docs::issue(&mut sim.lock(), &v, &today)
}

async fn collect(State(sim): State<Oblio>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(r) = admit(&sim, &headers, true) {
        return r;
    }
    let Some(v) = body_value(&headers, &body).filter(Value::is_object) else {
        return fail(StatusCode::BAD_REQUEST, "Cererea trebuie trimisa ca JSON");
    };
    let today = sim.clock.now().format("%Y-%m-%d").to_string();
    collect::collect(&mut sim.lock(), &v, &today)
}

async fn view(State(sim): State<Oblio>, headers: HeaderMap, Query(q): Q) -> Response {
    if let Some(r) = admit(&sim, &headers, false) {
        return r;
    }
    let st = sim.lock();
    if q.get("cif") != Some(&st.cif) {
        return fail(
            StatusCode::BAD_REQUEST,
            "Nu aveti acces la firma cu acest cif",
        );
    }
    doc_read::view(&st, &q)
}

async fn list(State(sim): State<Oblio>, headers: HeaderMap, Query(q): Q) -> Response {
    if let Some(r) = admit(&sim, &headers, false) {
        return r;
    }
    let st = sim.lock();
    if q.get("cif") != Some(&st.cif) {
        return fail(
            StatusCode::BAD_REQUEST,
            "Nu aveti acces la firma cu acest cif",
        );
    }
    doc_read::list(&st, &q)
}

async fn cancel(
    State(sim): State<Oblio>,
    method: Method,
    headers: HeaderMap,
    Query(q): Q,
    body: Bytes,
) -> Response {
    if method != Method::PUT {
        return fail(StatusCode::METHOD_NOT_ALLOWED, "Metoda nu este permisa");
    }
    if let Some(r) = admit(&sim, &headers, false) {
        return r;
    }
    let v = merged(&headers, &body, &q);
    docs::cancel(&mut sim.lock(), &v)
}

async fn delete(
    State(sim): State<Oblio>,
    headers: HeaderMap,
    Query(q): Q,
    body: Bytes,
) -> Response {
    if let Some(r) = admit(&sim, &headers, false) {
        return r;
    }
    let v = merged(&headers, &body, &q);
    docs::delete(&mut sim.lock(), &v)
}

/// Query parameters overlaid with the body's fields (the docs show both styles).
fn merged(headers: &HeaderMap, body: &[u8], q: &BTreeMap<String, String>) -> Value {
    let mut v = json!(q);
    if let (Some(Value::Object(b)), Some(obj)) = (body_value(headers, body), v.as_object_mut()) {
        obj.extend(b);
    }
    v
}
