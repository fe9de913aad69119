//! FGO's lists: the public nomenclatures (`GET /nomenclator/{tip}`: VAT rates, countries) and
//! the account's series (`POST /nomenclator/serii`), read tolerantly — keys in any case, values
//! as text or numbers, rows under `List`, `Serii` or `Result.List` — with FGO's refusal as a
//! typed error.

use rust_decimal::Decimal;

use super::reply::{SERVICE, map_text};
use crate::error::BillingError;
use crate::http::Reply;

/// One row of a public nomenclature (`GET /nomenclator/{tip}`), read tolerantly: `Valoare` /
/// `Nume` may be text or a number, keys in any case.
#[derive(Debug, Default)]
pub struct NomenclatureItem {
    pub nume: String,
    pub valoare: String,
}

fn field(item: &serde_json::Value, key: &str) -> String {
    let Some(obj) = item.as_object() else {
        return String::new();
    };
    let value = obj
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v);
    match value {
        Some(serde_json::Value::String(s)) => s.trim().to_owned(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A nomenclature answer's rows (`List`, or `Result.List` / `Result` as a fallback), or FGO's
/// refusal as a typed error.
pub fn nomenclature(reply: &Reply) -> Result<Vec<NomenclatureItem>, BillingError> {
    let v: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(|e| BillingError::InvalidResponse {
            service: SERVICE,
            detail: format!("HTTP {}: {e}", reply.status.as_u16()),
        })?;
    let get = |key: &str| {
        v.as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
            .map(|(_, v)| v)
    };
    if get("Success").and_then(serde_json::Value::as_bool) == Some(false) {
        let message = get("Message")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        return Err(map_text(message, ""));
    }
    let rows = get("List")
        .or_else(|| {
            get("Result").map(|r| {
                r.as_object()
                    .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case("List")))
                    .map_or(r, |(_, l)| l)
            })
        })
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| BillingError::InvalidResponse {
            service: SERVICE,
            detail: format!("HTTP {}: no List in the answer", reply.status.as_u16()),
        })?;
    Ok(rows
        .iter()
        .map(|r| NomenclatureItem {
            nume: field(r, "Nume"),
            valoare: field(r, "Valoare"),
        })
        .collect())
}

/// The series rows of `/nomenclator/serii`: `Serii`, `List` or `Result.List`; a row a string
/// or an object naming the series in `Serie`, `Nume`, `Valoare` or `Denumire`. Rows whose type
/// (`TipDocument`/`Tip`) is given and is not an invoice are left out.
pub fn series(reply: &Reply) -> Result<Vec<crate::model::SeriesInfo>, BillingError> {
    let v: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(|e| BillingError::InvalidResponse {
            service: SERVICE,
            detail: format!("HTTP {}: {e}", reply.status.as_u16()),
        })?;
    let get = |o: &serde_json::Value, key: &str| {
        o.as_object()
            .and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
            .map(|(_, v)| v.clone())
    };
    if get(&v, "Success").and_then(|s| s.as_bool()) == Some(false) {
        let message = get(&v, "Message")
            .and_then(|m| m.as_str().map(str::to_owned))
            .unwrap_or_default();
        return Err(map_text(&message, ""));
    }
    let rows = get(&v, "Serii")
        .or_else(|| get(&v, "List"))
        .or_else(|| get(&v, "Result").and_then(|r| get(&r, "List").or(Some(r))))
        .and_then(|r| r.as_array().cloned())
        .ok_or_else(|| BillingError::InvalidResponse {
            service: SERVICE,
            detail: "no series list in the answer".into(),
        })?;
    Ok(rows
        .iter()
        .filter(|r| {
            let kind = ["TipDocument", "Tip"]
                .iter()
                .find_map(|k| get(r, k).and_then(|t| t.as_str().map(str::to_lowercase)));
            kind.is_none_or(|k| k.is_empty() || k.starts_with("factura"))
        })
        .filter_map(|r| match r {
            serde_json::Value::String(s) => Some(s.trim().to_owned()),
            _ => ["Serie", "Nume", "Valoare", "Denumire"]
                .iter()
                .map(|k| field(r, k))
                .find(|s| !s.is_empty()),
        })
        .filter(|s| !s.is_empty())
        .map(|name| crate::model::SeriesInfo {
            name,
            next_number: None,
        })
        .collect())
}

/// A VAT percent from nomenclature text: `21`, `"21"`, `"21%"`, `"9,5 %"`, `"Cota 21%"`.
pub fn percent_of(text: &str) -> Option<Decimal> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    digits.trim_end_matches('.').parse::<Decimal>().ok()
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    use super::*;

    fn reply(body: &str) -> Reply {
        Reply {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn percents_are_read_from_numbers_and_labels() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(percent_of("21"), Some(d("21")));
        assert_eq!(percent_of("21.00"), Some(d("21")));
        assert_eq!(percent_of("11%"), Some(d("11")));
        assert_eq!(percent_of("Cota 9,5 %"), Some(d("9.5")));
        assert_eq!(percent_of("0"), Some(Decimal::ZERO));
        assert_eq!(percent_of("Scutit"), None);
    }

    #[test]
    fn nomenclature_rows_are_read_tolerantly_and_refusals_are_errors() {
        let rows = nomenclature(&reply(
            r#"{"success":true,"list":[{"nume":"21%","valoare":21},{"Nume":"0%","Valoare":"0"},{}]}"#,
        ))
        .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[0].nume.as_str(), rows[0].valoare.as_str()),
            ("21%", "21")
        );
        assert_eq!(rows[2].valoare, "");
        let nested = nomenclature(&reply(
            r#"{"Success":true,"Result":{"List":[{"Nume":"11%","Valoare":"11"}]}}"#,
        ))
        .unwrap();
        assert_eq!(nested[0].valoare, "11");
        let e = nomenclature(&reply(
            r#"{"Success":false,"Message":"Nomenclatorul nu exista."}"#,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "billing.rejected");
        let e = nomenclature(&reply(r#"{"Success":true}"#)).unwrap_err();
        assert_eq!(e.code(), "billing.invalid_response");
    }
}
