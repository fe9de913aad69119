//! The SmartBill Cloud v1 simulator (`/SBORO/api`): Basic auth, JSON only, spec-validated
//! bodies, invoices discharging stock from named warehouses, stocks/series/tax, and the
//! 30-per-10-seconds limit with its 10-minute block.

mod body;
pub mod control;
mod gate;
mod invoice;
mod invoice_undo;
mod lines;
pub mod model;
mod payment;
mod read;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post, put};

use crate::server::{Built, Credentials};
use crate::{SimClock, SimOptions};
use gate::{Refusal, with_rate};
use model::SbState;

#[derive(Clone)]
pub struct SmartBill {
    pub state: Arc<Mutex<SbState>>,
    pub clock: SimClock,
}

impl SmartBill {
    pub fn lock(&self) -> MutexGuard<'_, SbState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub fn build(options: &SimOptions, clock: SimClock) -> Built {
    let mut st = SbState::new();
    if options.demo {
        control::seed_demo(&mut st, clock.now().date_naive());
    } else {
        st.warehouses
            .insert(crate::demo::WAREHOUSE.into(), "en gros".into());
    }
    let credentials =
        Credentials::new(&[("email", &st.email), ("token", &st.token), ("cif", &st.cif)]);
    let sim = SmartBill {
        state: Arc::new(Mutex::new(st)),
        clock,
    };
    let dump_sim = sim.clone();
    let p = "/SBORO/api";
    let router = Router::new()
        .route(&format!("{p}/invoice"), post(invoice_v1).delete(delete))
        .route(&format!("{p}/invoice/v2"), post(invoice_v2))
        .route(&format!("{p}/invoice/reverse"), post(reverse))
        .route(&format!("{p}/invoice/cancel"), put(cancel))
        .route(&format!("{p}/stocks"), get(stocks))
        .route(&format!("{p}/series"), get(series))
        .route(&format!("{p}/tax"), get(tax))
        .route(&format!("{p}/invoice/paymentstatus"), get(payment_status))
        .route(&format!("{p}/payment"), post(payment))
        .merge(control::routes())
        .with_state(sim);
    let dump = Arc::new(move || {
        serde_json::to_value(&*dump_sim.lock())
            .unwrap_or_else(|e| serde_json::json!({"error": e.to_string()}))
    });
    Built {
        router,
        credentials,
        base_path: p,
        dump,
    }
}

type Q = Query<BTreeMap<String, String>>;

/// Runs `f` after the gate, adding the rate-limit headers to whatever it answers.
fn gated(
    sim: &SmartBill,
    headers: &HeaderMap,
    path: &str,
    f: impl FnOnce(&mut SbState, chrono::NaiveDate) -> Result<Response, Refusal>,
) -> Response {
    let info = match gate::admit(sim, headers) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    if let Err(r) = gate::accept_json(headers, path) {
        return with_rate(*r, info);
    }
    let today = sim.clock.now().date_naive();
    let answer = f(&mut sim.lock(), today).unwrap_or_else(|r| *r);
    with_rate(answer, info)
}

async fn invoice_v1(State(sim): State<SmartBill>, headers: HeaderMap, body: Bytes) -> Response {
    gated(&sim, &headers, "/invoice", |st, today| {
        let v = gate::json_body(&headers, &body, "/invoice", "/invoice/v2")?;
        Ok(invoice::create(st, &v, today, false))
    })
}

async fn invoice_v2(State(sim): State<SmartBill>, headers: HeaderMap, body: Bytes) -> Response {
    gated(&sim, &headers, "/invoice/v2", |st, today| {
        let v = gate::json_body(&headers, &body, "/invoice/v2", "/invoice/v2")?;
        Ok(invoice::create(st, &v, today, true))
    })
}

async fn payment(State(sim): State<SmartBill>, headers: HeaderMap, body: Bytes) -> Response {
    gated(&sim, &headers, "/payment", |st, today| {
        let v = gate::json_body(&headers, &body, "/payment", "/payment")?;
        Ok(payment::create(st, &v, today))
    })
}

async fn reverse(State(sim): State<SmartBill>, headers: HeaderMap, body: Bytes) -> Response {
    gated(&sim, &headers, "/invoice/reverse", |st, today| {
        let v = gate::json_body(&headers, &body, "/invoice/reverse", "/invoice/reverse")?;
        Ok(invoice_undo::reverse(st, &v, today))
    })
}

fn doc_params(q: &BTreeMap<String, String>) -> (String, String) {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    (get("seriesname"), get("number"))
}

async fn cancel(State(sim): State<SmartBill>, headers: HeaderMap, Query(q): Q) -> Response {
    gated(&sim, &headers, "/invoice/cancel", |st, today| {
        if let Some(r) = read::check_cif(st, &q) {
            return Ok(r);
        }
        let (series, number) = doc_params(&q);
        Ok(invoice_undo::cancel(st, &series, &number, today))
    })
}

async fn delete(State(sim): State<SmartBill>, headers: HeaderMap, Query(q): Q) -> Response {
    gated(&sim, &headers, "/invoice", |st, today| {
        if let Some(r) = read::check_cif(st, &q) {
            return Ok(r);
        }
        let (series, number) = doc_params(&q);
        Ok(invoice_undo::delete(st, &series, &number, today))
    })
}

async fn stocks(State(sim): State<SmartBill>, headers: HeaderMap, Query(q): Q) -> Response {
    gated(&sim, &headers, "/stocks", |st, _| {
        Ok(read::check_cif(st, &q).unwrap_or_else(|| read::stocks(st, &q)))
    })
}

async fn series(State(sim): State<SmartBill>, headers: HeaderMap, Query(q): Q) -> Response {
    gated(&sim, &headers, "/series", |st, _| {
        Ok(read::check_cif(st, &q).unwrap_or_else(|| read::series(st, &q)))
    })
}

async fn payment_status(State(sim): State<SmartBill>, headers: HeaderMap, Query(q): Q) -> Response {
    gated(&sim, &headers, "/invoice/paymentstatus", |st, _| {
        Ok(read::check_cif(st, &q).unwrap_or_else(|| read::payment_status(st, &q)))
    })
}

async fn tax(State(sim): State<SmartBill>, headers: HeaderMap, Query(q): Q) -> Response {
    gated(&sim, &headers, "/tax", |st, _| {
        Ok(read::check_cif(st, &q).unwrap_or_else(|| read::tax(st)))
    })
}
