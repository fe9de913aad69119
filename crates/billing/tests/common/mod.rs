//! Shared by the simulator tests: starting a simulator, clients configured for it, invoice drafts,
//! and the simulator's control API (faults, stock receipts, request log, state).
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use punte_billing::{
    BillingService, Connection, InvoiceLookup, InvoiceRef, Options, Secret, SeriesMark, connect,
    fgo, oblio, smartbill,
};
use punte_core::client::{Address, Client};
use punte_core::invoice::{DraftLine, DraftLineKind, InvoiceDraft};
use punte_core::money::{Currency, VatRate};
use punte_core::order::OrderId;
use punte_core::product::ProductCode;
use punte_sim::{ServiceKind, SimOptions, SimServer};
use rust_decimal::Decimal;
use serde_json::{Value, json};

pub const WAREHOUSE: &str = "Depozit central";

pub async fn start(kind: ServiceKind, time_scale: f64) -> SimServer {
    let options = SimOptions {
        time_scale,
        ..SimOptions::default()
    };
    SimServer::start(kind, options)
        .await
        .expect("simulator starts on loopback")
}

/// Short timeouts and backoff so fault tests run in seconds.
pub fn options(time_scale: f64) -> Options {
    Options {
        timeout: Duration::from_millis(1500),
        max_attempts: 3,
        max_wait: Duration::from_secs(10),
        backoff: Duration::from_millis(50),
        time_scale,
        journal: None,
    }
}

/// What the engine asks after a lost answer for `order` in `series`.
pub fn lookup(
    order: &InvoiceDraft,
    series: &str,
    mark: SeriesMark,
    known: Vec<InvoiceRef>,
) -> InvoiceLookup {
    InvoiceLookup {
        order_id: order.order_id.0,
        series: series.into(),
        mark,
        total: order.total(),
        since: chrono::Utc::now() - chrono::TimeDelta::minutes(5),
        known,
    }
}

/// How many requests the simulator has logged so far (a point to look from).
pub fn logged(sim: &SimServer) -> usize {
    sim.observer().log().len()
}

/// (method, path after the base path) of every request logged after the first `from`.
pub fn requests_since(sim: &SimServer, from: usize) -> Vec<(String, String)> {
    let base = reqwest::Url::parse(&sim.base_url()).expect("base url");
    sim.observer()
        .log()
        .into_iter()
        .skip(from)
        .map(|r| (r.method, r.path.trim_start_matches(base.path()).to_owned()))
        .collect()
}

/// Recovery reads only: every request since `from` is a GET, or one of `read_posts` (FGO reads
/// through POST).
pub fn assert_reads_only(sim: &SimServer, from: usize, read_posts: &[&str]) {
    let since = requests_since(sim, from);
    assert!(!since.is_empty(), "recovery read something");
    for (method, path) in since {
        assert!(
            method == "GET" || read_posts.contains(&path.as_str()),
            "recovery must only read, but sent {method} {path}"
        );
    }
}

pub fn client_for(sim: &SimServer, opts: Options) -> Arc<dyn BillingService> {
    connect(connection(sim, None), opts).expect("valid connection")
}

/// The connection to `sim`; `wrong` replaces the secret.
pub fn connection(sim: &SimServer, wrong: Option<&str>) -> Connection {
    let c = sim.credentials();
    let secret = |name: &str| Secret::new(wrong.unwrap_or(c.get(name)));
    match sim.kind() {
        ServiceKind::SmartBill => Connection::SmartBill(smartbill::Config {
            base_url: sim.base_url(),
            email: c.get("email").into(),
            token: secret("token"),
            cif: c.get("cif").into(),
            unit: "buc".into(),
        }),
        ServiceKind::Oblio => Connection::Oblio(oblio::Config {
            base_url: sim.base_url(),
            email: c.get("client_id").into(),
            secret: secret("client_secret"),
            cif: c.get("cif").into(),
            unit: "buc".into(),
        }),
        ServiceKind::Fgo => Connection::Fgo(fgo::Config {
            base_url: sim.base_url(),
            cod_unic: c.get("cod_unic").into(),
            private_key: secret("private_key"),
            platform_url: "https://punte.local".into(),
            unit: "buc".into(),
            series: vec!["PNT".into()],
        }),
        ServiceKind::Shopify => panic!("not a billing simulator"),
    }
}

/// The warehouse id invoices name: FGO uses the gestiune code.
pub fn warehouse_id(sim: &SimServer) -> &'static str {
    if sim.kind() == ServiceKind::Fgo {
        "G1"
    } else {
        WAREHOUSE
    }
}

pub fn d(s: &str) -> Decimal {
    s.parse().expect("test decimals are valid")
}

/// A person's order `id` with product lines (code, quantity, VAT-included unit price), a
/// discount on the first line and shipping; discharging from `warehouse` when given.
pub fn draft(id: u64, lines: &[(&str, i64, &str)], warehouse: Option<&str>) -> InvoiceDraft {
    let mut out = Vec::new();
    for (i, (code, qty, price)) in lines.iter().enumerate() {
        out.push(DraftLine {
            kind: DraftLineKind::Product,
            name: format!("Produs {code}"),
            code: Some(ProductCode((*code).into())),
            quantity: *qty,
            unit_price: d(price),
            vat_rate: VatRate(d("21")),
            warehouse: warehouse.map(str::to_owned),
            line: None,
            vat_name: None,
        });
        if i == 0 {
            out.push(DraftLine {
                kind: DraftLineKind::Discount,
                name: format!("Discount Produs {code}"),
                code: None,
                quantity: 1,
                unit_price: d("-1.50"),
                vat_rate: VatRate(d("21")),
                warehouse: None,
                line: None,
                vat_name: None,
            });
        }
    }
    out.push(DraftLine {
        kind: DraftLineKind::Shipping,
        name: "Transport".into(),
        code: None,
        quantity: 1,
        unit_price: d("19.99"),
        vat_rate: VatRate(d("21")),
        warehouse: None,
        line: None,
        vat_name: None,
    });
    InvoiceDraft {
        order_id: OrderId(id),
        order_name: format!("#{id}"),
        client: Client::Person {
            name: "Ion Popescu".into(),
            email: Some("ion@example.ro".into()),
            address: Address {
                street: "Str. Exemplu 1".into(),
                city: "Brasov".into(),
                county: "Brasov".into(),
                country: "Romania".into(),
            },
        },
        currency: Currency::ron(),
        use_stock: warehouse.is_some(),
        lines: out,
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

pub async fn control_post(sim: &SimServer, path: &str, body: Value) -> Value {
    let r = http()
        .post(format!("{}{path}", sim.control_url()))
        .json(&body)
        .send()
        .await
        .expect("control call");
    assert!(r.status().is_success(), "control {path}: {}", r.status());
    r.json().await.expect("control JSON")
}

/// NIR: `quantity` of `code` received into the warehouse.
pub async fn receive(sim: &SimServer, code: &str, quantity: i64) {
    let body = json!({"warehouse": WAREHOUSE, "lines": [{"code": code, "name": format!("Produs {code}"),
        "unit": "buc", "quantity": quantity}]});
    control_post(sim, "/billing/receive", body).await;
}

/// NIR into Oblio's `management` of work point `work_station`.
pub async fn receive_at(sim: &SimServer, work_station: &str, code: &str, quantity: i64) {
    let body = json!({"warehouse": WAREHOUSE, "work_station": work_station, "lines": [{"code": code,
        "name": format!("Produs {code}"), "unit": "buc", "quantity": quantity}]});
    control_post(sim, "/billing/receive", body).await;
}

/// A fault on `path` (after the service's base path) for the next `times` requests.
pub async fn fault(sim: &SimServer, path: &str, fault: Value, times: Option<u32>) {
    let base = reqwest::Url::parse(&sim.base_url()).expect("base url");
    let full = if path == "*" {
        "*".to_owned()
    } else {
        format!("{}{path}", base.path())
    };
    let mut rule = fault;
    rule["path"] = json!(full);
    rule["times"] = json!(times);
    control_post(sim, "/faults", rule).await;
}

pub async fn state(sim: &SimServer) -> Value {
    http()
        .get(format!("{}/state", sim.control_url()))
        .send()
        .await
        .expect("state")
        .json()
        .await
        .expect("state JSON")
}

/// Logged requests to `path` (after the base path): (method, status).
pub fn calls(sim: &SimServer, path: &str) -> Vec<(String, u16)> {
    let base = reqwest::Url::parse(&sim.base_url()).expect("base url");
    let full = format!("{}{path}", base.path());
    sim.observer()
        .log()
        .into_iter()
        .filter(|r| r.path == full)
        .map(|r| (r.method, r.status))
        .collect()
}
