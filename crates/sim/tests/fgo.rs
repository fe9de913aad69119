//! Conformance: FGO — hash auth (the docs' test vector), HTTP 200 `Success:false` errors, stock
//! discharge per `CodGestiune`, duplicate check, article list paging and the rate limits.

mod common;

use common::{client, start};
use punte_sim::fgo::model::hash;
use punte_sim::{ServiceKind, SimServer};
use serde_json::{Value, json};

async fn post(sim: &SimServer, path: &str, body: &Value) -> (u16, Value) {
    let resp = client()
        .post(format!("{}{path}", sim.base_url()))
        .json(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

fn invoice(sim: &SimServer, client_name: &str, external: &str, qty: i64) -> Value {
    let c = sim.credentials();
    json!({"CodUnic": c.get("cod_unic"), "Hash": hash(&[c.get("cod_unic"), c.get("private_key"), client_name]),
        "PlatformaUrl": "https://punte.local", "Valuta": "RON", "TipFactura": "Factura", "Serie": "PNT",
        "VerificareDuplicat": true, "IdExtern": external,
        "Client": {"Denumire": client_name, "Tip": "PF", "Tara": "RO", "Judet": "Brasov"},
        "Continut": [{"Denumire": "Miere", "CodArticol": "PNT-MIE-0002-500g", "UM": "buc",
            "NrProduse": qty, "CotaTVA": 21, "PretTotal": 40.0, "CodGestiune": "G1"}]})
}

fn article_auth(sim: &SimServer) -> Value {
    let c = sim.credentials();
    json!({"CodUnic": c.get("cod_unic"), "Hash": hash(&[c.get("cod_unic"), c.get("private_key")]),
        "PlatformaUrl": "https://punte.local"})
}

#[tokio::test]
async fn docs_hash_vector_authenticates_and_a_wrong_hash_fails_with_200() {
    let sim = start(ServiceKind::Fgo, true).await;
    assert_eq!(sim.credentials().get("cod_unic"), "2864518");
    let body = invoice(&sim, "Ionescu Popescu", "shopify-1", 1);
    assert_eq!(
        body["Hash"], "8C3A7726804C121C6933F7D68494B439463996E2",
        "the docs' test vector"
    );
    let (status, ok) = post(&sim, "/factura/emitere", &body).await;
    assert_eq!((status, ok["Success"].clone()), (200, json!(true)), "{ok}");
    assert_eq!(ok["Factura"]["Numar"], "001");
    assert!(ok["Factura"]["InfoStoc"][0]["Stoc"].is_number());

    let mut bad = invoice(&sim, "Ionescu Popescu", "shopify-2", 1);
    bad["Hash"] = json!(hash(&["2864518", "wrong", "Ionescu Popescu"]));
    let (status, body) = post(&sim, "/factura/emitere", &bad).await;
    assert_eq!(status, 200, "FGO answers errors with HTTP 200");
    assert_eq!(body["Success"], false);
    assert!(
        body["Message"]
            .as_str()
            .unwrap()
            .contains("nu este autorizata")
    );
}

#[tokio::test]
async fn duplicate_check_stock_and_invoice_rate_limit() {
    let sim = start(ServiceKind::Fgo, true).await;
    let (_, first) = post(
        &sim,
        "/factura/emitere",
        &invoice(&sim, "Ana Pop", "shopify-7", 2),
    )
    .await;
    let stock_after = first["Factura"]["InfoStoc"][0]["Stoc"].as_i64().unwrap();
    let (_, body) = post(
        &sim,
        "/factura/emitere",
        &invoice(&sim, "Ana Pop", "shopify-8", 1),
    )
    .await;
    assert_eq!(
        body["Success"], false,
        "a second invoice within 1 s is refused: {body}"
    );
    assert!(body["Message"].as_str().unwrap().contains("limita"));

    sim.clock().advance(std::time::Duration::from_secs(2));
    let (_, dup) = post(
        &sim,
        "/factura/emitere",
        &invoice(&sim, "Ana Pop", "shopify-7", 2),
    )
    .await;
    assert_eq!(dup["Success"], false);
    assert_eq!(
        dup["Factura"]["Numar"], first["Factura"]["Numar"],
        "the duplicate names the existing invoice"
    );

    sim.clock().advance(std::time::Duration::from_secs(2));
    let mut float_vat = invoice(&sim, "Ana Pop", "shopify-9", 1);
    float_vat["Continut"][0]["CotaTVA"] = json!(21.0);
    let (_, body) = post(&sim, "/factura/emitere", &float_vat).await;
    assert!(
        body["Message"].as_str().unwrap().contains("CotaTVA"),
        "{body}"
    );

    sim.clock().advance(std::time::Duration::from_secs(2));
    let (_, body) = post(
        &sim,
        "/factura/emitere",
        &invoice(&sim, "Ana Pop", "shopify-10", stock_after + 1),
    )
    .await;
    assert!(
        body["Message"]
            .as_str()
            .unwrap()
            .starts_with("Stoc insuficient"),
        "{body}"
    );
}

#[tokio::test]
async fn article_list_pages_and_its_thirty_second_limit() {
    let sim = start(ServiceKind::Fgo, true).await;
    let mut req = article_auth(&sim);
    req["NrPagina"] = json!(2);
    req["NrArticole"] = json!(200);
    let (_, body) = post(&sim, "/articol/list", &req).await;
    assert_eq!(body["Success"], true, "{body}");
    let total = body["Result"]["Total"].as_u64().unwrap();
    assert!(total > 400);
    assert_eq!(body["Result"]["List"].as_array().unwrap().len(), 200);
    let (_, body) = post(&sim, "/articol/list", &req).await;
    assert_eq!(body["Success"], false, "1 call per 30 s");
    sim.clock().advance(std::time::Duration::from_secs(31));
    let (_, body) = post(&sim, "/articol/list", &req).await;
    assert_eq!(body["Success"], true);
    let (_, body) = post(&sim, "/articol/gestiune", &article_auth(&sim)).await;
    assert_eq!(
        body["Result"]["List"][0],
        json!({"CodGestiune": "G1", "Nume": "Depozit central"})
    );
    let resp = client()
        .post(format!("{}/articol/gestiune", sim.base_url()))
        .form(&[("CodUnic", "2864518")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 500, "form bodies are not supported in v7");
}

#[tokio::test]
async fn client_name_romanian_county_and_external_id_are_checked() {
    let sim = start(ServiceKind::Fgo, true).await;
    let refused = |body: Value| {
        let sim = &sim;
        async move {
            sim.clock().advance(std::time::Duration::from_secs(2));
            let (status, answer) = post(sim, "/factura/emitere", &body).await;
            assert_eq!(status, 200);
            assert_eq!(answer["Success"], false, "{answer}");
            answer["Message"].as_str().unwrap_or_default().to_owned()
        }
    };
    let no_name = invoice(&sim, "", "shopify-10", 1);
    assert!(refused(no_name).await.contains("Client[Denumire]"));
    for county in ["București", "Bucharest", "CJ", "cluj", ""] {
        let mut body = invoice(&sim, "Ion Popescu", "shopify-11", 1);
        body["Client"]["Judet"] = json!(county);
        let msg = refused(body).await;
        assert!(msg.contains("Client[Judet]"), "{county}: {msg}");
    }
    let long = invoice(&sim, "Ion Popescu", &"x".repeat(37), 1);
    assert!(refused(long).await.contains("IdExtern"));
    // Abroad, any county text goes; in Romania, FGO's own names do.
    let mut abroad = invoice(&sim, "Jean Dupont", "shopify-12", 1);
    abroad["Client"]["Tara"] = json!("FR");
    abroad["Client"]["Judet"] = json!("Île-de-France");
    for (body, name) in [
        (abroad, "abroad"),
        (
            invoice(&sim, "Ion Popescu", &"y".repeat(36), 1),
            "36-character id",
        ),
    ] {
        sim.clock().advance(std::time::Duration::from_secs(2));
        let (_, ok) = post(&sim, "/factura/emitere", &body).await;
        assert_eq!(ok["Success"], true, "{name}: {ok}");
    }
}

#[tokio::test]
async fn vat_nomenclature_is_public_and_lists_romanian_rates() {
    let sim = start(ServiceKind::Fgo, true).await;
    let get = |path: &str| {
        let url = format!("{}{path}", sim.base_url());
        async move {
            let resp = client().get(url).send().await.unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    // Public: no CodUnic, no Hash, and no pacing between calls.
    for _ in 0..2 {
        let (status, body) = get("/nomenclator/tva").await;
        assert_eq!(
            (status, body["Success"].clone()),
            (200, json!(true)),
            "{body}"
        );
        assert_eq!(
            body["List"],
            json!([
                {"Nume": "21%", "Valoare": "21"},
                {"Nume": "11%", "Valoare": "11"},
                {"Nume": "0%", "Valoare": "0"}
            ])
        );
    }
    let (_, body) = get("/nomenclator/judet").await;
    let counties = body["List"].as_array().unwrap();
    assert_eq!(counties.len(), 42);
    assert!(counties.contains(&json!({"Nume": "Bucuresti", "Valoare": "Bucuresti"})));
    let (status, body) = get("/nomenclator/nimic").await;
    assert_eq!(status, 200, "FGO answers errors with HTTP 200");
    assert_eq!(body["Success"], false);
    assert!(body["Message"].as_str().unwrap().contains("nimic"));
}

fn signed(sim: &SimServer, extra: &str, fields: Value) -> Value {
    let c = sim.credentials();
    let mut body = json!({"CodUnic": c.get("cod_unic"),
        "Hash": hash(&[c.get("cod_unic"), c.get("private_key"), extra]),
        "PlatformaUrl": "https://punte.local"});
    if let (Some(b), Some(f)) = (body.as_object_mut(), fields.as_object()) {
        b.extend(f.clone());
    }
    body
}

#[tokio::test]
async fn series_countries_reads_and_the_discounts_sign() {
    let sim = start(ServiceKind::Fgo, true).await;
    let (_, serii) = post(&sim, "/nomenclator/serii", &signed(&sim, "", json!({}))).await;
    let names: Vec<&str> = serii["Serii"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Serie"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["BV", "PNT"],
        "the account's series, none of them FCT"
    );
    let tara: Value = client()
        .get(format!("{}/nomenclator/tara", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        tara["List"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["Valoare"] == "RO")
    );

    let mut body = invoice(&sim, "Ana Pop", "shopify-20", 2);
    body["Client"]["Tara"] = json!("Romania");
    sim.clock().advance(std::time::Duration::from_secs(2));
    let (_, refused) = post(&sim, "/factura/emitere", &body).await;
    assert!(
        refused["Message"]
            .as_str()
            .unwrap()
            .contains("Client[Tara]"),
        "a country name is not a nomenclature value: {refused}"
    );
    let mut body = invoice(&sim, "Ana Pop", "shopify-21", 2);
    let lines = body["Continut"].as_array_mut().unwrap();
    let product_total = lines[0]["PretTotal"].as_f64().unwrap();
    lines.push(
        json!({"Denumire": "Discount", "UM": "buc", "NrProduse": -1, "CotaTVA": 21,
        "PretTotal": 10}),
    );
    sim.clock().advance(std::time::Duration::from_secs(2));
    let (_, issued) = post(&sim, "/factura/emitere", &body).await;
    assert_eq!(issued["Success"], true, "{issued}");
    let numar = issued["Factura"]["Numar"].as_str().unwrap().to_owned();
    sim.clock().advance(std::time::Duration::from_secs(2));
    let read = signed(&sim, &numar, json!({"Numar": numar, "Serie": "PNT"}));
    let (_, status) = post(&sim, "/factura/getstatus", &read).await;
    let value: f64 = status["Factura"]["Valoare"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (value - (product_total - 10.0)).abs() < 0.001,
        "the discount lowers the value: {status}"
    );
    sim.clock().advance(std::time::Duration::from_secs(2));
    let (_, printed) = post(&sim, "/factura/print", &read).await;
    assert!(
        printed["Factura"]["Link"]
            .as_str()
            .unwrap()
            .ends_with(".pdf")
    );
    let mut negative = invoice(&sim, "Ana Pop", "shopify-22", 1);
    negative["Continut"]
        .as_array_mut()
        .unwrap()
        .push(json!({"Denumire": "Discount", "UM": "buc",
        "NrProduse": -1, "CotaTVA": 21, "PretTotal": -10}));
    sim.clock().advance(std::time::Duration::from_secs(2));
    let (_, refused) = post(&sim, "/factura/emitere", &negative).await;
    assert!(
        refused["Message"].as_str().unwrap().contains("PretTotal"),
        "{refused}"
    );
    let missing = signed(&sim, "999", json!({"Numar": "999", "Serie": "PNT"}));
    sim.clock().advance(std::time::Duration::from_secs(2));
    let (_, none) = post(&sim, "/factura/getstatus", &missing).await;
    assert_eq!(none["Message"], "Factura nu exista.");
}
