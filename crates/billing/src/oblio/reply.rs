//! Reading Oblio answers: the `{status, statusMessage, data}` envelope, mapped by HTTP status
//! (401 → credentials, 429 → blocked, any other refusal → Oblio's own `statusMessage`,
//! verbatim, HTML stripped). Oblio's docs enumerate no error texts, so none is parsed.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::BillingError;
use crate::http::Reply;
use crate::wire::{WireDecimal, plain_text, text_or_number};

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
    let text = env.map(|e| plain_text(&e.message)).unwrap_or_default();
    Err(by_status(reply.status.as_u16(), &text, reply))
}

fn by_status(status: u16, text: &str, reply: &Reply) -> BillingError {
    match status {
        401 => BillingError::AuthFailed { service: SERVICE },
        429 => BillingError::Blocked {
            service: SERVICE,
            until: crate::http::throttle_of(&reply.headers).until,
        },
        _ => BillingError::Rejected {
            service: SERVICE,
            text: if text.is_empty() {
                format!("HTTP {status}")
            } else {
                text.to_owned()
            },
        },
    }
}

/// `data` of a successful answer.
pub fn data<T: DeserializeOwned>(reply: &Reply) -> Result<T, BillingError> {
    check(reply)?;
    let env: Envelope<T> =
        serde_json::from_slice(&reply.body).map_err(|e| BillingError::InvalidResponse {
            service: SERVICE,
            detail: e.to_string(),
        })?;
    let status = env
        .status
        .as_ref()
        .and_then(|s| {
            s.as_u64()
                .or_else(|| s.as_str().and_then(|t| t.parse().ok()))
        })
        .unwrap_or(200);
    match env.data {
        Some(d) if status == 200 => Ok(d),
        _ => Err(by_status(
            u16::try_from(status).unwrap_or(400),
            &plain_text(&env.message),
            reply,
        )),
    }
}

/// A document as Oblio returns it after issue, storno or cancel.
#[derive(Debug, Deserialize)]
pub struct Doc {
    #[serde(rename = "seriesName")]
    pub series: String,
    #[serde(deserialize_with = "text_or_number")]
    pub number: String,
    #[serde(default)]
    pub link: Option<String>,
}

/// A row of `GET /docs/invoice/list`.
#[derive(Debug, Deserialize)]
pub struct Listed {
    #[serde(rename = "seriesName")]
    pub series: String,
    #[serde(deserialize_with = "text_or_number")]
    pub number: String,
    #[serde(default, deserialize_with = "text_or_number")]
    pub canceled: String,
    #[serde(default)]
    pub total: Option<WireDecimal>,
    #[serde(default)]
    pub mentions: Option<String>,
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
    #[serde(default, rename = "workStation")]
    pub work_station: Option<String>,
    #[serde(default)]
    pub quantity: Option<WireDecimal>,
    #[serde(default)]
    pub stock: Vec<StockLine>,
    /// The product's VAT percent (flat shape; the docs' sample puts it on each stock row too).
    #[serde(default, rename = "vatPercentage")]
    pub vat_percentage: Option<WireDecimal>,
}

#[derive(Debug, Deserialize)]
pub struct StockLine {
    pub management: String,
    #[serde(default, rename = "workStation")]
    pub work_station: Option<String>,
    #[serde(default)]
    pub quantity: WireDecimal,
    #[serde(default, rename = "vatPercentage")]
    pub vat_percentage: Option<WireDecimal>,
}

/// Nomenclature rows the client reads.
#[derive(Debug, Deserialize)]
pub struct Company {
    pub cif: String,
    /// The company's name ("OBLIO SOFTWARE SRL").
    #[serde(default)]
    pub company: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Management {
    pub management: String,
    #[serde(default, rename = "workStation")]
    pub work_station: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Series {
    pub name: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "text_or_number")]
    pub next: String,
}

#[derive(Debug, Deserialize)]
pub struct Vat {
    pub name: String,
    pub percent: WireDecimal,
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn refusals_are_read_by_status_and_shown_verbatim() {
        let text = "Stoc insuficient pentru produsul <b>Cana</b> in gestiunea Depozit";
        let e = check(&reply(
            400,
            &format!(r#"{{"status":400,"statusMessage":"{text}"}}"#),
        ))
        .unwrap_err();
        assert_eq!(
            e,
            BillingError::Rejected {
                service: SERVICE,
                text: "Stoc insuficient pentru produsul Cana in gestiunea Depozit".into()
            }
        );
        let e = check(&reply(
            429,
            r#"{"status":429,"statusMessage":"orice text"}"#,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "billing.blocked");
        let e = check(&reply(401, r#"{"statusMessage":"x"}"#)).unwrap_err();
        assert_eq!(e.code(), "billing.auth_failed");
        let doc: Doc = data(&reply(
            200,
            r#"{"status":200,"statusMessage":"Success","data":{"seriesName":"FCT","number":53}}"#,
        ))
        .unwrap();
        assert_eq!(doc.number, "53", "a number sent as a JSON integer is read");
    }
}
