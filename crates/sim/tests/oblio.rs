//! Conformance: Oblio — token (string `expires_in`), 401 after expiry, envelope, products with
//! `stock[]` and offset pages, invoice discharge, idempotencyKey, storno, cancel, delete, work
//! points, `number` as integer or string, an empty `referenceDocument`, document view and list,
//! and the current docs' limits (30 / 10 s, 30 documents / 100 s; no 3-per-second block).

mod common;

use common::{client, start};
use punte_sim::{ServiceKind, SimServer};
use serde_json::{Value, json};

/// Every helper lets 0.34 s of simulated time pass first, so long tests stay inside the 30 /
/// 10 s window without thinking about it.
fn pace(sim: &SimServer) {
    sim.clock().advance(std::time::Duration::from_millis(340));
}

async fn token(sim: &SimServer) -> String {
    let c = sim.credentials();
    let form = [
        ("client_id", c.get("client_id")),
        ("client_secret", c.get("client_secret")),
    ];
    pace(sim);
    let resp = client()
        .post(format!("{}/authorize/token", sim.base_url()))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["expires_in"], "3600",
        "expires_in is a string, as Oblio sends it"
    );
    assert_eq!(body["token_type"], "Bearer");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn get(sim: &SimServer, token: &str, path: &str, q: &[(&str, &str)]) -> (u16, Value) {
    pace(sim);
    let resp = client()
        .get(format!("{}{path}", sim.base_url()))
        .bearer_auth(token)
        .query(q)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

async fn post(sim: &SimServer, token: &str, body: &Value) -> (u16, Value) {
    pace(sim);
    let resp = client()
        .post(format!("{}/docs/invoice", sim.base_url()))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

fn invoice(cif: &str, code: &str, qty: i64, key: &str) -> Value {
    json!({"cif": cif, "seriesName": "FCT", "useStock": 1, "idempotencyKey": key,
        "client": {"name": "Ion Popescu", "country": "Romania"},
        "products": [{"name": "Miere", "code": code, "price": 40, "quantity": qty, "measuringUnit": "buc",
            "vatPercentage": 21, "vatIncluded": 1, "management": "Depozit central"}]})
}

async fn stock_of(sim: &SimServer, t: &str, code: &str) -> i64 {
    let cif = sim.credentials().get("cif").to_owned();
    let (_, body) = get(
        sim,
        t,
        "/nomenclature/products",
        &[("cif", &cif), ("code", code)],
    )
    .await;
    body["data"][0]["stock"][0]["quantity"].as_i64().unwrap()
}

#[tokio::test]
async fn token_expiry_envelope_and_product_pages() {
    let sim = start(ServiceKind::Oblio, true).await;
    let t = token(&sim).await;
    let cif = sim.credentials().get("cif").to_owned();
    let (status, page0) = get(&sim, &t, "/nomenclature/products", &[("cif", &cif)]).await;
    assert_eq!(status, 200);
    assert_eq!(page0["status"], 200);
    assert_eq!(page0["statusMessage"], "Success");
    let items = page0["data"].as_array().unwrap();
    assert_eq!(items.len(), 250, "pages of 250");
    assert_eq!(items[0]["stock"][0]["workStation"], "Sediu");
    assert!(
        items[0]["stock"][0]["price"].is_string(),
        "prices come as strings"
    );
    let (_, page1) = get(
        &sim,
        &t,
        "/nomenclature/products",
        &[("cif", &cif), ("offset", "250")],
    )
    .await;
    assert_ne!(page1["data"][0]["code"], items[0]["code"]);
    let (status, _) = get(
        &sim,
        &t,
        "/nomenclature/products",
        &[("cif", &cif), ("offset", "10")],
    )
    .await;
    assert_eq!(status, 400, "offset must be a multiple of 250");

    sim.clock().advance(std::time::Duration::from_secs(3601));
    let (status, body) = get(&sim, &t, "/nomenclature/management", &[("cif", &cif)]).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["statusMessage"],
        "The access token provided is invalid"
    );
}

#[tokio::test]
async fn invoice_discharges_and_idempotency_key_dedupes() {
    let sim = start(ServiceKind::Oblio, true).await;
    let t = token(&sim).await;
    let cif = sim.credentials().get("cif").to_owned();
    let code = "PNT-MIE-0002-500g";
    let before = stock_of(&sim, &t, code).await;
    let (status, first) = post(&sim, &t, &invoice(&cif, code, 2, "order-1001")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["data"]["number"], "0001");
    let (_, again) = post(&sim, &t, &invoice(&cif, code, 2, "order-1001")).await;
    assert_eq!(
        again["data"], first["data"],
        "a retried request returns the same document"
    );
    assert_eq!(
        stock_of(&sim, &t, code).await,
        before - 2,
        "and discharges once"
    );
    let (status, _) = post(&sim, &t, &invoice(&cif, code, 3, "order-1001")).await;
    assert_eq!(status, 400, "same key, different document");
    let (status, body) = post(&sim, &t, &invoice(&cif, code, before + 10, "order-1002")).await;
    assert_eq!(status, 400);
    assert!(
        body["statusMessage"]
            .as_str()
            .unwrap()
            .starts_with("Stoc insuficient")
    );

    let storno = json!({"cif": cif, "seriesName": "FCT", "idempotencyKey": "storno-1",
        "referenceDocument": {"type": "Factura", "seriesName": "FCT", "number": "0001", "refund": 1}});
    let (_, body) = post(&sim, &t, &storno).await;
    assert_eq!(body["data"]["number"], "0002");
    assert_eq!(
        stock_of(&sim, &t, code).await,
        before,
        "the storno returned the stock"
    );
    let url = format!("{}/docs/invoice", sim.base_url());
    let q = [
        ("cif", cif.as_str()),
        ("seriesName", "FCT"),
        ("number", "0001"),
    ];
    pace(&sim);
    let resp = client()
        .delete(&url)
        .bearer_auth(&t)
        .query(&q)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        400,
        "only the last of the series can be deleted"
    );
    pace(&sim);
    let resp = client()
        .put(format!("{url}/cancel"))
        .bearer_auth(&t)
        .json(&json!({"cif": cif, "seriesName": "FCT", "number": "0002"}))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["statusMessage"], "Documentul a fost anulat.");
}

#[tokio::test]
async fn thirty_requests_in_any_ten_seconds_sliding() {
    let sim = start(ServiceKind::Oblio, true).await;
    let t = token(&sim).await;
    let cif = sim.credentials().get("cif").to_owned();
    // Paced at 3 per second, 30 calls span about 10 s: the sliding window never refuses them.
    for i in 0..40 {
        let (status, _) = get(&sim, &t, "/nomenclature/vat_rates", &[("cif", &cif)]).await;
        assert_eq!(status, 200, "request {i}");
    }
}

#[tokio::test]
async fn thirty_documents_in_any_hundred_seconds_sliding() {
    let sim = start(ServiceKind::Oblio, true).await;
    let t = token(&sim).await;
    let bad = json!({"cif": "wrong"});
    // One document early in what a fixed window would count as [0 s, 100 s) …
    assert_eq!(
        post(&sim, &t, &bad).await.0,
        400,
        "refused for its body, not its rate"
    );
    sim.clock().advance(std::time::Duration::from_secs(95));
    // … then 29 more around the point where a fixed window would reset.
    for i in 0..29 {
        assert_eq!(post(&sim, &t, &bad).await.0, 400, "document {i}");
    }
    // The first left the span (100 s old): one slot is free, and only one.
    assert_eq!(post(&sim, &t, &bad).await.0, 400);
    assert_eq!(post(&sim, &t, &bad).await.0, 429, "31 in the last 100 s");
}

#[tokio::test]
async fn ten_requests_in_one_second_are_served_and_nothing_is_blocked() {
    // The current docs: 30 requests in 10 s. The older "more than 3 a second blocks for 10
    // minutes" is not simulated any more.
    let sim = start(ServiceKind::Oblio, true).await;
    let t = token(&sim).await;
    let cif = sim.credentials().get("cif").to_owned();
    let url = format!("{}/nomenclature/vat_rates", sim.base_url());
    for i in 0..10 {
        let resp = client()
            .get(&url)
            .bearer_auth(&t)
            .query(&[("cif", &cif)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "request {i} of the same second");
    }
    for _ in 0..21 {
        let _ = client()
            .get(&url)
            .bearer_auth(&t)
            .query(&[("cif", &cif)])
            .send()
            .await;
    }
    let resp = client()
        .get(&url)
        .bearer_auth(&t)
        .query(&[("cif", &cif)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429, "the 32nd call in 10 s");
    sim.clock().advance(std::time::Duration::from_secs(11));
    let resp = client()
        .get(&url)
        .bearer_auth(&t)
        .query(&[("cif", &cif)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        200,
        "a refusal blocks nothing once the window moved on"
    );
}

#[tokio::test]
async fn numbers_as_integers_empty_reference_and_document_reads() {
    let sim = start(ServiceKind::Oblio, true).await;
    let t = token(&sim).await;
    let cif = sim.credentials().get("cif").to_owned();
    let code = "PNT-MIE-0002-500g";
    let mut plain = invoice(&cif, code, 1, "k-1");
    plain["referenceDocument"] = json!({});
    plain["collect"] = json!({});
    plain["mentions"] = json!("Comanda Shopify #7 (punte:7)");
    let (status, body) = post(&sim, &t, &plain).await;
    assert_eq!(
        status, 200,
        "an empty referenceDocument is no storno: {body}"
    );
    assert_eq!(body["data"]["number"], "0001");
    let storno = json!({"cif": cif, "seriesName": "FCT", "referenceDocument": {"type": "Factura",
        "seriesName": "FCT", "number": 1, "refund": 1}});
    let (status, body) = post(&sim, &t, &storno).await;
    assert_eq!(
        status, 200,
        "number as a JSON integer, as the docs' examples: {body}"
    );
    let (_, second) = post(&sim, &t, &invoice(&cif, code, 1, "k-2")).await;
    assert_eq!(second["data"]["number"], "0003");
    pace(&sim);
    let resp = client()
        .put(format!("{}/docs/invoice/cancel", sim.base_url()))
        .bearer_auth(&t)
        .json(&json!({"cif": cif, "seriesName": "FCT", "number": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "cancel with an integer number");

    let (status, view) = get(
        &sim,
        &t,
        "/docs/invoice",
        &[("cif", &cif), ("seriesName", "FCT"), ("number", "0001")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(view["data"]["documentType"], "Factura");
    let (status, list) = get(
        &sim,
        &t,
        "/docs/invoice/list",
        &[
            ("cif", &cif),
            ("seriesName", "FCT"),
            ("orderBy", "id"),
            ("orderDir", "desc"),
            ("limitPerPage", "2"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let rows = list["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "one page of limitPerPage");
    assert_eq!(
        (rows[0]["number"].as_str(), rows[0]["canceled"].as_str()),
        (Some("0003"), Some("1"))
    );
    let (_, all) = get(
        &sim,
        &t,
        "/docs/invoice/list",
        &[("cif", &cif), ("seriesName", "FCT")],
    )
    .await;
    let first = &all["data"][0];
    assert_eq!(first["mentions"], "Comanda Shopify #7 (punte:7)");
    assert_eq!(first["total"], "40.0000", "totals as strings, 4 decimals");
    let (status, _) = get(
        &sim,
        &t,
        "/docs/invoice/list",
        &[("cif", &cif), ("limitPerPage", "101")],
    )
    .await;
    assert_eq!(status, 400, "at most 100 a page");
}

#[tokio::test]
async fn a_management_is_found_in_its_work_point() {
    let sim = start(ServiceKind::Oblio, true).await;
    let t = token(&sim).await;
    let cif = sim.credentials().get("cif").to_owned();
    let (_, list) = get(&sim, &t, "/nomenclature/management", &[("cif", &cif)]).await;
    let pairs: Vec<(String, String)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["workStation"].as_str().unwrap().into(),
                m["management"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        pairs.len(),
        2,
        "two work points with a management of the same name: {pairs:?}"
    );
    let code = "PNT-MIE-0002-500g";
    let mut elsewhere = invoice(&cif, code, 1, "ws-1");
    elsewhere["workStation"] = json!("Punct de lucru Cluj");
    let (status, body) = post(&sim, &t, &elsewhere).await;
    assert_eq!(
        status, 400,
        "the demo stock sits in Sediu, not in Cluj: {body}"
    );
    let (status, _) = post(&sim, &t, &invoice(&cif, code, 1, "ws-2")).await;
    assert_eq!(status, 200, "workStation defaults to Sediu");
}
