//! Conformance: Oblio — token (string `expires_in`), 401 after expiry, envelope, products with
//! `stock[]` and offset pages, invoice discharge, idempotencyKey, storno, cancel, delete, limits.

mod common;

use common::{client, start};
use punte_sim::{ServiceKind, SimServer};
use serde_json::{Value, json};

/// Oblio blocks an account that sends more than 3 requests in a second: every helper lets
/// 0.34 s of simulated time pass first, as a polite client would.
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
async fn more_than_three_requests_in_a_second_block_for_ten_minutes() {
    let sim = start(ServiceKind::Oblio, true).await;
    let t = token(&sim).await;
    let cif = sim.credentials().get("cif").to_owned();
    sim.clock().advance(std::time::Duration::from_secs(2));
    let url = format!("{}/nomenclature/vat_rates", sim.base_url());
    let burst = || async {
        let resp = client()
            .get(&url)
            .bearer_auth(&t)
            .query(&[("cif", &cif)])
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap();
        (status, body)
    };
    for i in 0..3 {
        assert_eq!(burst().await.0, 200, "request {i} of the second");
    }
    let (status, body) = burst().await;
    assert_eq!(status, 429, "the fourth in one second");
    assert!(
        body["statusMessage"]
            .as_str()
            .unwrap()
            .contains("10 minute")
    );
    sim.clock().advance(std::time::Duration::from_secs(60));
    assert_eq!(burst().await.0, 429, "still blocked a minute later");
    sim.clock().advance(std::time::Duration::from_secs(541));
    assert_eq!(burst().await.0, 200, "free again after 10 minutes");
}
