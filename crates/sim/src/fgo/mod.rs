//! The FGO v7 simulator (`/v1`): JSON bodies with `CodUnic` + uppercase SHA-1 `Hash`, errors as
//! HTTP 200 `Success:false`, invoices discharging stock per line `CodGestiune`, duplicate check
//! by `IdExtern`, the reads `print`/`getstatus`, the per-endpoint-group rate limits (1/s
//! invoices, 1/30 s article list, 1/5 s other article calls), the public
//! `GET /nomenclator/{tip}` lists (`tva`, `judet`, `tara`) and the account's
//! `POST /nomenclator/serii`.

mod articles;
pub mod client;
mod collect;
mod control;
mod invoice;
pub mod model;
mod nomenclature;
mod read;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::server::{Built, Credentials};
use crate::{SimClock, SimOptions};
use model::{Article, FgoState, hash};

#[derive(Clone)]
pub struct Fgo {
    pub state: Arc<Mutex<FgoState>>,
    pub clock: SimClock,
}

impl Fgo {
    fn lock(&self) -> MutexGuard<'_, FgoState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub fn build(options: &SimOptions, clock: SimClock) -> Built {
    let mut st = FgoState::new();
    if options.demo {
        for a in crate::demo::articles() {
            let article = Article {
                name: a.name,
                unit: a.unit,
                price: a.price,
                vat: a.vat_percent,
                barcode: None,
                stock: [("G1".to_owned(), a.stock)].into(),
            };
            st.articles.insert(a.code, article);
        }
    }
    let credentials = Credentials::new(&[("cod_unic", &st.cod_unic), ("private_key", &st.key)]);
    let sim = Fgo {
        state: Arc::new(Mutex::new(st)),
        clock,
    };
    let dump_sim = sim.clone();
    let router = Router::new()
        .route("/v1/factura/{op}", post(factura))
        .route("/v1/articol/{op}", post(articol))
        .route(
            "/v1/nomenclator/{tip}",
            get(nomenclature::nomenclator).post(account_nomenclature),
        )
        .merge(control::routes())
        .with_state(sim);
    let dump = Arc::new(move || {
        serde_json::to_value(&*dump_sim.lock()).unwrap_or_else(|e| json!({"error": e.to_string()}))
    });
    Built {
        router,
        credentials,
        base_path: "/v1",
        dump,
    }
}

/// FGO's error answer: HTTP 200 with `Success:false`.
pub fn fail(message: &str) -> Response {
    Json(json!({"Success": false, "Message": message})).into_response()
}

/// Malformed requests get a 500 with FGO's generic message.
fn malformed() -> Response {
    let body = json!({"Success": false, "Message": "Ne pare rau, a intervenit o eroare"});
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}

fn parse(headers: &HeaderMap, body: &[u8]) -> Option<Value> {
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !ct.starts_with("application/json") {
        return None;
    }
    serde_json::from_slice::<Value>(body)
        .ok()
        .filter(Value::is_object)
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Verifies `CodUnic` and `Hash` = SHA1(CodUnic + key + extra); the refusal when they fail.
fn authorised(st: &FgoState, body: &Value, extra: &str) -> Option<Response> {
    let cod = s(body, "CodUnic");
    if cod == st.cod_unic && s(body, "Hash") == hash(&[cod, &st.key, extra]) {
        return None;
    }
    Some(fail(&format!(
        "Combinatia utilizator/companie nu este autorizata pentru utilizare API. Verificati \
         starea acestuia in Setari -> Utilizatori [{cod}]."
    )))
}

/// Admits one call of `group` if its minimum spacing (simulated seconds) has passed; the
/// refusal otherwise.
fn paced(sim: &Fgo, st: &mut FgoState, group: &str, secs: i64) -> Option<Response> {
    let now = sim.clock.now();
    if let Some(last) = st.last_call.get(group)
        && now - *last < TimeDelta::seconds(secs)
    {
        *st.refused_calls.entry(group.to_owned()).or_default() += 1;
        return Some(fail(&format!(
            "Ati depasit limita de apeluri pentru aceasta metoda (1 apel la {secs} secunde)."
        )));
    }
    st.last_call.insert(group.to_owned(), now);
    None
}

async fn factura(
    State(sim): State<Fgo>,
    Path(op): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(v) = parse(&headers, &body) else {
        return malformed();
    };
    let mut st = sim.lock();
    let extra = match op.as_str() {
        "emitere" => v
            .pointer("/Client/Denumire")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        "incasare" => s(&v, "NumarFactura"),
        _ => s(&v, "Numar"),
    };
    if let Some(r) = authorised(&st, &v, extra) {
        return r;
    }
    if let Some(r) = paced(&sim, &mut st, "factura", 1) {
        return r;
    }
    match op.as_str() {
        "emitere" => invoice::issue(&mut st, &v),
        "stornare" => invoice::storno(&mut st, &v),
        "anulare" => invoice::cancel(&mut st, &v),
        "stergere" => invoice::delete(&mut st, &v),
        "print" => read::print(&st, &v),
        "getstatus" => read::status(&st, &v),
        "incasare" => collect::collect(&mut st, &v),
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"Success": false, "Message": "Metoda inexistenta"})),
        )
            .into_response(),
    }
}

/// `POST /nomenclator/serii`: the account's series (hash of `CodUnic` + key, as articles).
async fn account_nomenclature(
    State(sim): State<Fgo>,
    Path(tip): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(v) = parse(&headers, &body) else {
        return malformed();
    };
    let mut st = sim.lock();
    if let Some(r) = authorised(&st, &v, "") {
        return r;
    }
    if let Some(r) = paced(&sim, &mut st, "nomenclator", 1) {
        return r;
    }
    match tip.to_lowercase().as_str() {
        "serii" => read::series(&st),
        _ => fail(&format!("Nomenclatorul {tip} nu exista.")),
    }
}

async fn articol(
    State(sim): State<Fgo>,
    Path(op): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(v) = parse(&headers, &body) else {
        return malformed();
    };
    let mut st = sim.lock();
    if let Some(r) = authorised(&st, &v, "") {
        return r;
    }
    let spacing = if op == "list" { 30 } else { 5 };
    if let Some(r) = paced(&sim, &mut st, &format!("articol/{op}"), spacing) {
        return r;
    }
    match op.as_str() {
        "list" => articles::list(&st, &v),
        "get" => articles::get(&st, &v),
        "gestiune" => articles::warehouses(&st),
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"Success": false, "Message": "Metoda inexistenta"})),
        )
            .into_response(),
    }
}
