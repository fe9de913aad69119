//! Conformance: an empty SmartBill warehouse (issue 15). `/stocks` answers `"list": []` for a
//! warehouse that never held stock ([SB-SPEC] example `fara_stoc`), so no unfiltered answer
//! names it; one counted to zero (`billing/empty`) stays listed with its products at 0.

mod common;

use common::{client, control, start};
use punte_sim::{ServiceKind, SimServer};
use serde_json::{Value, json};

async fn stocks(sim: &SimServer, warehouse: Option<&str>) -> Value {
    let c = sim.credentials();
    let mut q = vec![
        ("cif", c.get("cif").to_owned()),
        ("date", "2099-01-01".to_owned()),
    ];
    q.extend(warehouse.map(|w| ("warehouseName", w.to_owned())));
    let resp = client()
        .get(format!("{}/stocks", sim.base_url()))
        .basic_auth(c.get("email"), Some(c.get("token")))
        .header("Accept", "application/json")
        .query(&q)
        .send()
        .await
        .expect("reaches the simulator");
    assert_eq!(resp.status().as_u16(), 200);
    resp.json().await.expect("JSON")
}

fn names(body: &Value) -> Vec<String> {
    body["list"]
        .as_array()
        .expect("list")
        .iter()
        .map(|w| {
            w["warehouse"]["warehouseName"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_warehouse_never_stocked_is_listed_nowhere_and_an_emptied_one_at_zero() {
    let sim = start(ServiceKind::SmartBill, true).await;
    // The demo company's "Magazin" exists but never held stock: nothing names it.
    let never = stocks(&sim, Some("Magazin")).await;
    assert_eq!(never["list"], json!([]), "{never}");
    assert!(!names(&stocks(&sim, None).await).contains(&"Magazin".to_owned()));

    let nir = json!({"warehouse": "Magazin", "lines": [
        {"code": "PNT-MAG-1", "quantity": 4}, {"code": "PNT-MAG-2", "quantity": "2.5"}]});
    control(&sim, "/billing/receive", nir).await;
    let emptied = control(&sim, "/billing/empty", json!({"warehouse": "Magazin"})).await;
    assert_eq!(emptied["emptied"], 2, "{emptied}");
    // Emptying again finds nothing left to count out.
    let again = control(&sim, "/billing/empty", json!({"warehouse": "Magazin"})).await;
    assert_eq!(again["emptied"], 0, "{again}");

    let all = stocks(&sim, None).await;
    assert!(names(&all).contains(&"Magazin".to_owned()), "{all}");
    let listed = stocks(&sim, Some("Magazin")).await;
    let products = listed["list"][0]["products"].as_array().expect("products");
    assert_eq!(products.len(), 2, "{listed}");
    assert!(
        products.iter().all(|p| p["quantity"] == json!(0)),
        "{listed}"
    );
    // The other warehouse is untouched.
    let depot = stocks(&sim, Some("Depozit central")).await;
    assert!(
        depot["list"][0]["products"]
            .as_array()
            .expect("products")
            .iter()
            .any(|p| p["quantity"] != json!(0)),
        "{depot}"
    );
}
