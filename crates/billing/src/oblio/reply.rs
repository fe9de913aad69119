//! Reading Oblio answers: the `{status, statusMessage, data}` envelope, and Oblio's Romanian
//! `statusMessage` texts mapped to typed errors (stock, product, management, series).

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::BillingError;
use crate::http::Reply;
use crate::wire::{WireDecimal, first_sentence};

pub const SERVICE: &str = "Oblio";

#[derive(Debug, Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    status: Option<serde_json::Value>,
    #[serde(default, rename = "statusMessage")]
    message: String,
    data: Option<T>,
}

/// The service's refusal, if the answer is one.
pub fn check(reply: &Reply) -> Result<(), BillingError> {
    if reply.status.is_success() {
        return Ok(());
    }
    let env: Option<Envelope<serde_json::Value>> = serde_json::from_slice(&reply.body).ok();
    let text = env.map(|e| first_sentence(&e.message)).unwrap_or_default();
    if reply.status.as_u16() == 401 {
        return Err(BillingError::AuthFailed { service: SERVICE });
    }
    Err(map_text(&text, reply.status.as_u16()))
}

/// `data` of a successful answer.
pub fn data<T: DeserializeOwned>(reply: &Reply) -> Result<T, BillingError> {
    check(reply)?;
    let env: Envelope<T> =
        serde_json::from_slice(&reply.body).map_err(|e| BillingError::InvalidResponse {
            service: SERVICE,
            detail: e.to_string(),
        })?;
    let ok = env
        .status
        .as_ref()
        .is_none_or(|s| s.as_u64() == Some(200) || s.as_str() == Some("200"));
    match env.data {
        Some(d) if ok => Ok(d),
        _ => Err(map_text(&first_sentence(&env.message), 200)),
    }
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let from = text.find(start)? + start.len();
    let rest = &text[from..];
    Some(rest[..rest.find(end).unwrap_or(rest.len())].trim())
}

/// Oblio's `statusMessage` as a typed error.
pub fn map_text(text: &str, status: u16) -> BillingError {
    let lower = text.to_lowercase();
    if lower.starts_with("stoc insuficient") {
        return BillingError::InsufficientStock {
            product: between(text, "produsul ", " in gestiunea")
                .unwrap_or("?")
                .into(),
            warehouse: between(text, "in gestiunea ", " (").unwrap_or("?").into(),
        };
    }
    if lower.starts_with("produsul") && lower.contains("nu exista in gestiunea") {
        return BillingError::ProductUnknown {
            product: between(text, "Produsul ", " nu exista")
                .unwrap_or("?")
                .into(),
            warehouse: between(text, "in gestiunea ", ".").unwrap_or("?").into(),
        };
    }
    if lower.starts_with("gestiunea") && lower.contains("nu exista") {
        return BillingError::WarehouseUnknown {
            warehouse: between(text, "Gestiunea ", " nu exista")
                .unwrap_or("?")
                .into(),
        };
    }
    if lower.starts_with("seria") && lower.contains("nu exista") {
        return BillingError::SeriesUnknown {
            series: between(text, "Seria ", " nu exista").unwrap_or("?").into(),
        };
    }
    if lower.contains("nu aveti acces la firma") {
        return BillingError::CompanyNotFound {
            service: SERVICE,
            company: String::new(),
        };
    }
    if lower.contains("depasit limita") || status == 429 {
        return BillingError::Blocked {
            service: SERVICE,
            until: None,
        };
    }
    BillingError::Rejected {
        service: SERVICE,
        text: if text.is_empty() {
            format!("HTTP {status}")
        } else {
            text.to_owned()
        },
    }
}

/// A document as Oblio returns it after issue, storno or cancel.
#[derive(Debug, Deserialize)]
pub struct Doc {
    #[serde(rename = "seriesName")]
    pub series: String,
    pub number: String,
    #[serde(default)]
    pub link: Option<String>,
}

/// A product of `nomenclature/products`: flat (filtered by management, or a service) or with
/// `stock[]` per (workStation, management). Both shapes are accepted.
#[derive(Debug, Deserialize)]
pub struct Product {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub management: Option<String>,
    #[serde(default)]
    pub quantity: Option<WireDecimal>,
    #[serde(default)]
    pub stock: Vec<StockLine>,
}

#[derive(Debug, Deserialize)]
pub struct StockLine {
    pub management: String,
    #[serde(default)]
    pub quantity: WireDecimal,
}

/// Nomenclature rows the client reads.
#[derive(Debug, Deserialize)]
pub struct Company {
    pub cif: String,
}

#[derive(Debug, Deserialize)]
pub struct Management {
    pub management: String,
}

#[derive(Debug, Deserialize)]
pub struct Series {
    pub name: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Vat {
    pub name: String,
    pub percent: WireDecimal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oblio_texts_become_typed_errors() {
        let e = map_text(
            "Stoc insuficient pentru produsul Cana alba in gestiunea Depozit central (disponibil 1)",
            400,
        );
        assert_eq!(
            e,
            BillingError::InsufficientStock {
                product: "Cana alba".into(),
                warehouse: "Depozit central".into()
            }
        );
        assert_eq!(
            map_text("Seria ZZZ nu exista", 400),
            BillingError::SeriesUnknown {
                series: "ZZZ".into()
            }
        );
    }
}
