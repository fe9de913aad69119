//! Conformance: SmartBill Cloud v1 — auth, content type, unknown fields, stock discharge and its
//! errors, stocks/series/tax, storno/cancel/delete, and the 30/10 s limit with its block.

mod common;

use common::{client, control, start};
use punte_sim::{ServiceKind, SimServer};
use reqwest::Method;
use serde_json::{Value, json};

fn req(sim: &SimServer, method: Method, path: &str) -> reqwest::RequestBuilder {
    let c = sim.credentials();
    client()
        .request(method, format!("{}{path}", sim.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .header("Accept", "application/json")
}

async fn send(r: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = r.send().await.expect("reaches the simulator");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn invoice(sim: &SimServer, code: &str, quantity: i64, warehouse: &str) -> Value {
    json!({"companyVatCode": sim.credentials().get("cif"), "seriesName": "FCT", "useStock": true,
        "client": {"name": "Ion Popescu", "country": "Romania", "city": "Sector 3"},
        "products": [{"name": "Articol", "code": code, "measuringUnitName": "buc", "currency": "RON",
            "quantity": quantity, "price": 121, "isTaxIncluded": true, "taxName": "Normala",
            "taxPercentage": 21, "warehouseName": warehouse}]})
}

async fn stock(sim: &SimServer, code: &str) -> Value {
    let cif = sim.credentials().get("cif").to_owned();
    let q = [
        ("cif", cif.as_str()),
        ("date", "2099-01-01"),
        ("productCode", code),
    ];
    let (_, body) = send(req(sim, Method::GET, "/stocks").query(&q)).await;
    body["list"][0]["products"][0]["quantity"].clone()
}

#[tokio::test]
async fn auth_content_type_and_unknown_fields() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let url = format!("{}/tax", sim.base_url());
    let resp = client()
        .get(&url)
        .basic_auth("demo@punte.ro", Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["errorText"],
        "Autentificare esuata. Va rugam verificati datele si incercati din nou."
    );

    let body_text =
        serde_json::to_string(&invoice(&sim, "PNT-TRI-0001-M", 1, "Depozit central")).unwrap();
    let r = req(&sim, Method::POST, "/invoice")
        .header("Content-Type", "text/plain")
        .body(body_text);
    assert_eq!(send(r).await.0, 415, "bodies must be JSON");

    let mut unknown = invoice(&sim, "PNT-TRI-0001-M", 1, "Depozit central");
    unknown["products"][0]["zzz"] = json!(1);
    let (status, body) = send(req(&sim, Method::POST, "/invoice/v2").json(&unknown)).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["code"], "json_mapping_error");
    assert_eq!(body["errors"][0]["message"], "Unrecognized property: zzz.");
    assert_eq!(body["errors"][0]["param"], "zzz");
}

#[tokio::test]
async fn invoice_discharges_stock_and_refuses_insufficient_stock() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let code = "PNT-MIE-0002-500g";
    let before = stock(&sim, code).await.as_i64().unwrap();
    let (status, body) = send(req(&sim, Method::POST, "/invoice/v2").json(&invoice(
        &sim,
        code,
        1,
        "Depozit central",
    )))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["series"], "FCT");
    assert_eq!(body["number"], "0001");
    assert!(body["documentId"].as_i64().is_some());
    assert_eq!(stock(&sim, code).await, json!(before - 1));

    let (status, body) = send(req(&sim, Method::POST, "/invoice").json(&invoice(
        &sim,
        code,
        before + 100,
        "Depozit central",
    )))
    .await;
    assert_eq!(status, 400);
    let text = body["errorText"].as_str().unwrap();
    assert!(
        text.starts_with("Cantitate stoc insuficienta la <b>factura FCT 0002"),
        "{text}"
    );
    assert!(text.contains("<br/>"), "the real error carries HTML");
    assert_eq!(
        stock(&sim, code).await,
        json!(before - 1),
        "a refused invoice discharges nothing"
    );

    let (_, body) =
        send(req(&sim, Method::POST, "/invoice").json(&invoice(&sim, code, 1, "depozit central")))
            .await;
    assert_eq!(
        body["errorText"],
        "Gestiunea predatoare depozit central a produsului Articol nu a fost gasita.",
        "warehouse names are case-sensitive"
    );
}

#[tokio::test]
async fn stocks_series_tax_and_document_lifecycle() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let cif = sim.credentials().get("cif").to_owned();
    let (_, body) = send(req(&sim, Method::GET, "/stocks").query(&[("cif", cif.as_str())])).await;
    assert_eq!(
        body["errorText"],
        "Data la care vreti sa aflati valoarea stocului trebuie specificata!"
    );
    let q = [
        ("cif", cif.as_str()),
        ("date", "2099-01-01"),
        ("warehouseName", "DEPOZIT CENTRAL"),
    ];
    let (_, body) = send(req(&sim, Method::GET, "/stocks").query(&q)).await;
    assert_eq!(
        body["errorText"],
        "Gestiunea DEPOZIT CENTRAL nu a fost gasita pe server."
    );
    let q = [
        ("cif", cif.as_str()),
        ("date", "2099-01-01"),
        ("warehouseName", "Depozit central"),
    ];
    let (_, body) = send(req(&sim, Method::GET, "/stocks").query(&q)).await;
    assert_eq!(
        body["list"][0]["warehouse"]["warehouseName"],
        "Depozit central"
    );
    assert!(body["list"][0]["products"].as_array().unwrap().len() > 500);
    let (_, body) = send(req(&sim, Method::GET, "/tax").query(&[("cif", cif.as_str())])).await;
    assert_eq!(
        body["taxes"][0],
        json!({"name": "Normala", "percentage": 21})
    );

    let code = "PNT-CEA-0004-100g";
    let before = stock(&sim, code).await;
    for _ in 0..2 {
        let (s, _) = send(req(&sim, Method::POST, "/invoice").json(&invoice(
            &sim,
            code,
            1,
            "Depozit central",
        )))
        .await;
        assert_eq!(s, 200);
    }
    let (_, body) =
        send(req(&sim, Method::GET, "/series").query(&[("cif", cif.as_str()), ("type", "f")]))
            .await;
    assert_eq!(body["list"][0]["nextNumber"], 3);

    let doc = |n: &str| {
        [
            ("cif", cif.clone()),
            ("seriesname", "FCT".to_owned()),
            ("number", n.to_owned()),
        ]
    };
    let (status, body) = send(req(&sim, Method::DELETE, "/invoice").query(&doc("0001"))).await;
    assert_eq!(
        status, 403,
        "only the last in the series can be deleted: {body}"
    );
    let (_, body) = send(req(&sim, Method::PUT, "/invoice/cancel").query(&doc("0001"))).await;
    assert_eq!(
        body["message"],
        "Factura cu seria si numarul FCT0001 a fost anulata cu succes."
    );
    let (_, body) = send(req(&sim, Method::PUT, "/invoice/cancel").query(&doc("0001"))).await;
    assert_eq!(body["message"], "Factura FCT0001 este deja anulata.");
    let storno = json!({"companyVatCode": cif, "seriesName": "FCT", "number": "0002"});
    let (_, body) = send(req(&sim, Method::POST, "/invoice/reverse").json(&storno)).await;
    assert_eq!(
        body["number"], "0003",
        "storno takes the next number in the series"
    );
    let (_, body) = send(req(&sim, Method::POST, "/invoice/reverse").json(&storno)).await;
    assert_eq!(body["errorText"], "Factura este deja stornata.");
    assert_eq!(
        stock(&sim, code).await,
        before,
        "cancel and storno returned both units"
    );
    let (status, _) = send(req(&sim, Method::DELETE, "/invoice").query(&doc("0003"))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn rate_limit_blocks_for_ten_minutes_on_the_scaled_clock() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let cif = sim.credentials().get("cif").to_owned();
    let mut last = None;
    for i in 0..30 {
        let resp = req(&sim, Method::GET, "/tax")
            .query(&[("cif", cif.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "call {i} is within 30 / 10 s");
        last = Some(resp.headers().clone());
    }
    let h = last.unwrap();
    assert_eq!(h["x-ratelimit-limit"], "30");
    assert_eq!(h["x-ratelimit-remaining"], "0");
    let resp = req(&sim, Method::GET, "/tax")
        .query(&[("cif", cif.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().contains_key("x-ratelimit-reset"));
    sim.clock().advance(std::time::Duration::from_secs(60));
    let resp = req(&sim, Method::GET, "/tax")
        .query(&[("cif", cif.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        429,
        "still blocked a minute later: the block lasts 10 minutes"
    );
    control(&sim, "/clock", json!({"advance_seconds": 541})).await;
    let resp = req(&sim, Method::GET, "/tax")
        .query(&[("cif", cif.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "free again after 10 minutes");
}

#[tokio::test]
async fn the_thirty_call_window_slides_instead_of_resetting() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let cif = sim.credentials().get("cif").to_owned();
    let tax = || async {
        req(&sim, Method::GET, "/tax")
            .query(&[("cif", cif.as_str())])
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(tax().await, 200);
    sim.clock().advance(std::time::Duration::from_millis(9_500));
    for i in 0..29 {
        assert_eq!(tax().await, 200, "call {i}: 30 in the last 10 s");
    }
    // Past the point where a fixed window would reset, only the first call has left the span.
    sim.clock().advance(std::time::Duration::from_millis(600));
    assert_eq!(tax().await, 200, "one slot freed");
    assert_eq!(tax().await, 429, "31 in the last 10 s: blocked");
}

#[tokio::test]
async fn fractional_quantities_discharge_exactly() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let code = "PNT-FRC-0001";
    let nir = json!({"warehouse": "Depozit central", "lines": [{"code": code, "name": "Articol",
        "unit": "buc", "quantity": 1}]});
    control(&sim, "/billing/receive", nir).await;
    let mut body = invoice(&sim, code, 1, "Depozit central");
    let line = body["products"][0].clone();
    let mut lines = Vec::new();
    for q in ["0.1", "0.2"] {
        let mut l = line.clone();
        l["quantity"] = serde_json::from_str(q).unwrap();
        lines.push(l);
    }
    body["products"] = json!(lines);
    let (status, answer) = send(req(&sim, Method::POST, "/invoice/v2").json(&body)).await;
    assert_eq!(status, 200, "{answer}");
    // Quantities are summed as decimals read from the number's text: 1 - 0.1 - 0.2 is 0.7.
    assert_eq!(stock(&sim, code).await.to_string(), "0.7");
}

#[tokio::test]
async fn booleans_as_one_and_zero_and_the_required_fields() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let mut ones = invoice(&sim, "PNT-TRI-0001-M", 1, "Depozit central");
    ones["useStock"] = json!(1);
    ones["isDraft"] = json!(0);
    ones["products"][0]["isTaxIncluded"] = json!(1);
    let (status, body) = send(req(&sim, Method::POST, "/invoice/v2").json(&ones)).await;
    assert_eq!(
        status, 200,
        "the spec's format rules accept 1/0 booleans: {body}"
    );
    let left = stock(&sim, "PNT-TRI-0001-M").await;
    assert!(left.is_number(), "discharged with useStock: 1");

    let missing = |edit: &dyn Fn(&mut Value)| {
        let mut b = invoice(&sim, "PNT-TRI-0001-M", 1, "Depozit central");
        edit(&mut b);
        b
    };
    for (what, body, text) in [
        (
            "client.country",
            missing(&|b| {
                b["client"].as_object_mut().unwrap().remove("country");
            }),
            "tara trebuie specificata",
        ),
        (
            "products[].name",
            missing(&|b| {
                b["products"][0].as_object_mut().unwrap().remove("name");
            }),
            "name trebuie specificat pentru fiecare produs",
        ),
        (
            "products[].measuringUnitName",
            missing(&|b| {
                b["products"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("measuringUnitName");
            }),
            "measuringUnitName trebuie specificat pentru fiecare produs",
        ),
    ] {
        let (status, answer) = send(req(&sim, Method::POST, "/invoice/v2").json(&body)).await;
        assert_eq!(
            (status, answer["errorText"].as_str()),
            (400, Some(text)),
            "{what}"
        );
    }
}

#[tokio::test]
async fn not_found_and_missing_parameters_in_the_specs_words_and_payment_status() {
    let sim = start(ServiceKind::SmartBill, true).await;
    let cif = sim.credentials().get("cif").to_owned();
    let (status, issued) = send(req(&sim, Method::POST, "/invoice/v2").json(&invoice(
        &sim,
        "PNT-TRI-0001-M",
        2,
        "Depozit central",
    )))
    .await;
    assert_eq!(status, 200);
    let view = issued["documentViewUrl"].as_str().unwrap();
    assert!(view.contains("/documente/extern/"), "a public link: {view}");
    let q = [
        ("cif", cif.as_str()),
        ("seriesname", "FCT"),
        ("number", "0001"),
    ];
    let (status, paid) = send(req(&sim, Method::GET, "/invoice/paymentstatus").query(&q)).await;
    assert_eq!(status, 200);
    assert_eq!(
        paid["invoiceTotalAmount"],
        json!(242),
        "2 × 121, VAT included"
    );
    assert_eq!(paid["paid"], false);
    let q = [
        ("cif", cif.as_str()),
        ("seriesname", "FCT"),
        ("number", "0077"),
    ];
    let (status, body) = send(req(&sim, Method::GET, "/invoice/paymentstatus").query(&q)).await;
    assert_eq!(
        (status, body["errorText"].as_str()),
        (400, Some("Factura nu a fost gasita"))
    );
    let (status, body) = send(req(&sim, Method::PUT, "/invoice/cancel").query(&q)).await;
    assert_eq!(
        (status, body["errorText"].as_str()),
        (
            400,
            Some("Factura cu seria si numarul FCT0077 nu a fost gasita!")
        )
    );
    let q = [("cif", cif.as_str()), ("seriesname", "FCT")];
    let (status, body) = send(req(&sim, Method::DELETE, "/invoice").query(&q)).await;
    assert_eq!(
        (status, body["errorText"].as_str()),
        (
            400,
            Some("Numarul facturii trebuie specificat in url in parametrul 'number'!")
        )
    );
    let reverse = json!({"companyVatCode": cif, "seriesName": "FCT"});
    let (status, body) = send(req(&sim, Method::POST, "/invoice/reverse").json(&reverse)).await;
    assert_eq!(
        (status, body["errorText"].as_str()),
        (
            400,
            Some("Numarul facturii trebuie specificat in parametrul 'number'!")
        )
    );
}
