//! What the billing simulator knows, read from its state dump, request log and counters (never
//! from Punte): the invoices and whose order each is (the `punte:<id>` mention SmartBill and
//! Oblio keep in the body, FGO's `IdExtern`), what each discharged, the warehouse stock, the
//! issue requests that reached the service per order, and the refusals it answered (429s,
//! SmartBill's blocks, FGO's "too soon" answers).

use std::collections::BTreeMap;

use punte_sim::ServiceKind;
use serde_json::Value;

use crate::common::{Billing, World, billing_stock, get};

/// One invoice (not a storno) as the simulator keeps it.
#[derive(Debug)]
pub struct Issued {
    pub order: Option<u64>,
    pub number: String,
    pub cancelled: bool,
    /// (code, quantity) discharged.
    pub discharges: Vec<(String, i64)>,
}

/// Refusals the simulator answered: HTTP 429s, SmartBill blocks, FGO pacing refusals.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Refusals {
    pub too_many: u64,
    pub blocks: u64,
    pub too_soon: u64,
}

pub fn number(v: &Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(f64::NAN)
}

/// The order an invoice body (or a request body) names: the mention, else FGO's `IdExtern`.
pub fn order_named(text: &str) -> Option<u64> {
    if let Some(id) = punte_billing::model::mentioned_order(text) {
        return Some(id);
    }
    let at = text.find("punte-order-")? + "punte-order-".len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The invoices the service holds (stornos left out).
pub async fn invoices(w: &World, b: &Billing) -> Vec<Issued> {
    let st = get(&w.bill, "/state").await;
    let docs = match b.kind {
        ServiceKind::Oblio => &st["docs"],
        _ => &st["invoices"],
    };
    let rows = docs.as_array().cloned().unwrap_or_default();
    rows.iter()
        .filter(|d| d["storno_of"].is_null())
        .map(|d| {
            let order = match b.kind {
                ServiceKind::SmartBill => d["body"]["mentions"].as_str().and_then(order_named),
                ServiceKind::Oblio => d["mentions"].as_str().and_then(order_named),
                _ => d["external_id"].as_str().and_then(order_named),
            };
            let discharges = d["discharges"]
                .as_array()
                .map(|list| list.iter().map(|x| discharge(b, x)).collect())
                .unwrap_or_default();
            Issued {
                order,
                number: d["number"].as_str().unwrap_or_default().to_owned(),
                cancelled: d["cancelled"].as_bool().unwrap_or(false),
                discharges,
            }
        })
        .collect()
}

fn discharge(b: &Billing, x: &Value) -> (String, i64) {
    let (code, qty) = match b.kind {
        ServiceKind::Oblio => (&x["code"], &x["quantity"]),
        _ => (&x[1], &x[2]),
    };
    let code = code.as_str().unwrap_or_default().to_owned();
    (code, number(qty) as i64)
}

/// Stock of `code` in the engine's warehouse.
pub async fn stock(w: &World, b: &Billing, code: &str) -> i64 {
    match b.kind {
        ServiceKind::SmartBill => billing_stock(w, code).await,
        ServiceKind::Oblio => {
            let st = get(&w.bill, "/state").await;
            st["products"][code]["stock"]
                .as_array()
                .and_then(|rows| {
                    rows.iter()
                        .find(|r| r["work_station"] == "Sediu" && r["management"] == b.warehouse)
                })
                .map_or(i64::MIN, |r| number(&r["quantity"]) as i64)
        }
        _ => {
            let st = get(&w.bill, "/state").await;
            number(&st["articles"][code]["stock"][b.warehouse]) as i64
        }
    }
}

/// The path of the service's issue call.
pub fn issue_path(b: &Billing) -> &'static str {
    match b.kind {
        ServiceKind::SmartBill => "/SBORO/api/invoice/v2",
        ServiceKind::Oblio => "/api/docs/invoice",
        _ => "/v1/factura/emitere",
    }
}

/// Per order, the issue requests the service took in (answered 200, or committed and then
/// dropped by a fault): more than one means Punte sent an invoice again that already existed,
/// and only the service's own duplicate check (if any) kept it single. Also how many answers
/// were dropped after the commit (lost answers Punte had to settle by reads).
pub async fn issue_requests(w: &World, b: &Billing) -> (BTreeMap<u64, u32>, usize) {
    let log = get(&w.bill, "/log").await;
    let rows = log.as_array().cloned().unwrap_or_default();
    assert!(
        rows.len() < punte_sim::observe::MAX_LOG * 9 / 10,
        "the request log was trimmed ({} entries): the counts would be short",
        rows.len()
    );
    let (mut out, mut dropped) = (BTreeMap::new(), 0);
    for r in rows {
        let status = r["status"].as_u64();
        if r["method"] == "POST" && r["path"] == issue_path(b) && matches!(status, Some(0 | 200)) {
            let order = r["body"].as_str().and_then(order_named);
            *out.entry(order.unwrap_or(0)).or_default() += 1;
            dropped += usize::from(status == Some(0));
        }
    }
    (out, dropped)
}

/// What the simulator refused, from its counters.
pub async fn refusals(w: &World, b: &Billing) -> Refusals {
    let statuses = get(&w.bill, "/statuses").await;
    let st = get(&w.bill, "/state").await;
    let too_soon = st["refused_calls"]
        .as_object()
        .map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
    Refusals {
        too_many: statuses["429"].as_u64().unwrap_or(0),
        blocks: match b.kind {
            ServiceKind::SmartBill => st["rate"]["blocks"].as_u64().unwrap_or(0),
            _ => 0,
        },
        too_soon,
    }
}
