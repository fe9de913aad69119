//! FGO's public nomenclatures, `GET /v1/nomenclator/{tip}`: no auth, no pacing, answered as
//! `{"Success":true,"List":[{"Nume":…,"Valoare":…}]}`. The simulator serves `tva` (Romania's
//! rates: 21 % standard, 11 % reduced, 0 %), `judet` and `tara` (ISO codes as `Valoare`); any
//! other `tip` is refused the FGO way, HTTP 200 with `Success:false`. The account's series are
//! not public: `POST /nomenclator/serii` (authenticated) is in `super::read`.

use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::client::{COUNTIES, COUNTRIES};
use super::fail;

/// The VAT rates FGO lists: (`Nume`, `Valoare`), the value an integer percent as text.
pub const VAT_RATES: [(&str, &str); 3] = [("21%", "21"), ("11%", "11"), ("0%", "0")];

fn list(items: impl Iterator<Item = (String, String)>) -> Response {
    let list: Vec<Value> = items
        .map(|(nume, valoare)| json!({"Nume": nume, "Valoare": valoare}))
        .collect();
    Json(json!({"Success": true, "List": list})).into_response()
}

pub async fn nomenclator(Path(tip): Path<String>) -> Response {
    match tip.to_lowercase().as_str() {
        "tva" => list(
            VAT_RATES
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        ),
        "judet" => list(COUNTIES.iter().map(|c| ((*c).to_owned(), (*c).to_owned()))),
        "tara" => list(
            COUNTRIES
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
        ),
        _ => fail(&format!("Nomenclatorul {tip} nu exista.")),
    }
}
