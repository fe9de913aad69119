//! The control API routes common to every simulator: request log and counts, fault rules, the
//! clock's time scale, and a full state dump. Service-specific control routes live beside each
//! service and share the same prefix.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::observe::{FaultRule, Observer};
use crate::{CONTROL_PREFIX, SimClock};

/// Produces the service's full state as JSON.
pub type Dump = Arc<dyn Fn() -> Value + Send + Sync>;

#[derive(Clone)]
struct Common {
    clock: SimClock,
    observer: Arc<Observer>,
    dump: Dump,
}

/// Routes under [`CONTROL_PREFIX`]: `GET log`, `GET counts`, `GET statuses` (answers per HTTP
/// status), `POST reset-log`, `GET/POST/DELETE faults`, `GET/POST clock`, `GET state`.
pub fn router(clock: SimClock, observer: Arc<Observer>, dump: Dump) -> Router {
    let p = CONTROL_PREFIX;
    Router::new()
        .route(&format!("{p}/log"), get(log))
        .route(&format!("{p}/counts"), get(counts))
        .route(&format!("{p}/statuses"), get(statuses))
        .route(&format!("{p}/reset-log"), post(reset_log))
        .route(
            &format!("{p}/faults"),
            get(faults).post(add_fault).delete(clear_faults),
        )
        .route(&format!("{p}/clock"), get(clock_get).post(clock_set))
        .route(&format!("{p}/state"), get(state))
        .with_state(Common {
            clock,
            observer,
            dump,
        })
}

async fn log(State(c): State<Common>) -> Json<Value> {
    Json(json!(c.observer.log()))
}

async fn counts(State(c): State<Common>) -> Json<Value> {
    Json(json!(c.observer.counts()))
}

async fn statuses(State(c): State<Common>) -> Json<Value> {
    Json(json!(c.observer.statuses()))
}

async fn reset_log(State(c): State<Common>) -> Json<Value> {
    c.observer.clear();
    Json(json!({"ok": true}))
}

async fn faults(State(c): State<Common>) -> Json<Value> {
    Json(json!(c.observer.faults()))
}

async fn add_fault(State(c): State<Common>, Json(rule): Json<FaultRule>) -> Json<Value> {
    c.observer.add_fault(rule);
    Json(json!(c.observer.faults()))
}

async fn clear_faults(State(c): State<Common>) -> Json<Value> {
    c.observer.clear_faults();
    Json(json!([]))
}

#[derive(Deserialize)]
struct ClockChange {
    scale: Option<f64>,
    advance_seconds: Option<u64>,
}

async fn clock_get(State(c): State<Common>) -> Json<Value> {
    Json(json!({"now": c.clock.now().to_rfc3339(), "scale": c.clock.scale()}))
}

async fn clock_set(State(c): State<Common>, Json(change): Json<ClockChange>) -> Json<Value> {
    if let Some(scale) = change.scale {
        c.clock.set_scale(scale);
    }
    if let Some(secs) = change.advance_seconds {
        c.clock.advance(std::time::Duration::from_secs(secs));
    }
    clock_get(State(c)).await
}

async fn state(State(c): State<Common>) -> Json<Value> {
    Json((c.dump)())
}
