//! Reading SmartBill answers: the v1 envelope (`errorText` is the truth), the second error shape
//! (`errors[]` from request validation), and the mapping of SmartBill's Romanian texts to typed
//! errors — the HTML in stock errors reduced to its first sentence first.

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::BillingError;
use crate::http::Reply;
use crate::wire::{WireDecimal, first_sentence};

pub const SERVICE: &str = "SmartBill";

/// What a mapped error can say about the call (names for messages).
#[derive(Debug, Default, Clone, Copy)]
pub struct Context<'a> {
    pub cif: &'a str,
    pub series: &'a str,
    pub warehouse: &'a str,
    pub invoice: &'a str,
}

#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(default, rename = "errorText")]
    error_text: String,
    #[serde(default)]
    errors: Vec<Problem>,
}

#[derive(Debug, Deserialize)]
struct Problem {
    #[serde(default)]
    message: String,
}

/// The body as `T` when the call succeeded, the typed error otherwise.
pub fn parse<T: DeserializeOwned>(reply: &Reply, cx: Context<'_>) -> Result<T, BillingError> {
    if reply.status == StatusCode::UNAUTHORIZED {
        return Err(BillingError::AuthFailed { service: SERVICE });
    }
    let envelope: Option<Envelope> = serde_json::from_slice(&reply.body).ok();
    if let Some(env) = &envelope {
        if !env.error_text.trim().is_empty() {
            return Err(map_text(&first_sentence(&env.error_text), cx));
        }
        if let Some(p) = env.errors.first() {
            return Err(BillingError::Rejected {
                service: SERVICE,
                text: first_sentence(&p.message),
            });
        }
    }
    if !reply.status.is_success() {
        return Err(BillingError::Rejected {
            service: SERVICE,
            text: format!("HTTP {}", reply.status.as_u16()),
        });
    }
    serde_json::from_slice(&reply.body).map_err(|e| BillingError::InvalidResponse {
        service: SERVICE,
        detail: e.to_string(),
    })
}

fn after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    text.find(marker)
        .map(|i| text[i + marker.len()..].trim().trim_end_matches(['.', '!']))
}

/// SmartBill's (plain, one-sentence) `errorText` as a typed error.
pub fn map_text(text: &str, cx: Context<'_>) -> BillingError {
    let lower = text.to_lowercase();
    if lower.starts_with("autentificare esuata") {
        return BillingError::AuthFailed { service: SERVICE };
    }
    if lower.contains("firma la care incercati") {
        return BillingError::CompanyNotFound {
            service: SERVICE,
            company: cx.cif.to_owned(),
        };
    }
    if lower.contains("seria nu a fost gasita") {
        return BillingError::SeriesUnknown {
            series: cx.series.to_owned(),
        };
    }
    if lower.contains("ati depasit numarul maxim de apeluri") {
        return BillingError::Blocked {
            service: SERVICE,
            until: None,
        };
    }
    if lower.contains("stoc insuficienta") {
        return BillingError::InsufficientStock {
            product: after(text, "pentru produsul").unwrap_or("?").to_owned(),
            warehouse: cx.warehouse.to_owned(),
        };
    }
    if lower.contains("nu ai facut nicio achizitie") {
        return BillingError::ProductUnknown {
            product: after(text, "pentru produsul").unwrap_or("?").to_owned(),
            warehouse: cx.warehouse.to_owned(),
        };
    }
    if lower.starts_with("gestiunea") && lower.contains("nu a fost gasita") {
        let name = text
            .strip_prefix("Gestiunea predatoare ")
            .or_else(|| text.strip_prefix("Gestiunea "))
            .and_then(|r| r.split(" a produsului").next())
            .map(|r| r.trim_end_matches(" nu a fost gasita pe server."))
            .unwrap_or(cx.warehouse);
        return BillingError::WarehouseUnknown {
            warehouse: name.to_owned(),
        };
    }
    if lower.contains("factura nu a fost gasita") {
        return BillingError::InvoiceNotFound {
            invoice: cx.invoice.to_owned(),
        };
    }
    BillingError::Rejected {
        service: SERVICE,
        text: text.to_owned(),
    }
}

// The answers SmartBill sends for invoices, stocks, series and taxes.

#[derive(Debug, Deserialize)]
pub struct Issued {
    #[serde(default)]
    pub series: String,
    #[serde(default)]
    pub number: String,
    #[serde(default, rename = "documentUrl")]
    pub document_url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct StockList {
    #[serde(default)]
    pub list: Vec<StockWarehouse>,
}

#[derive(Debug, Deserialize)]
pub struct StockWarehouse {
    pub warehouse: WarehouseName,
    #[serde(default)]
    pub products: Vec<StockProduct>,
}

#[derive(Debug, Deserialize)]
pub struct WarehouseName {
    #[serde(rename = "warehouseName")]
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockProduct {
    #[serde(default)]
    pub product_name: String,
    #[serde(default)]
    pub product_code: String,
    #[serde(default)]
    pub quantity: WireDecimal,
}

#[derive(Debug, Deserialize)]
pub struct SeriesList {
    #[serde(default)]
    pub list: Vec<SeriesItem>,
}

#[derive(Debug, Deserialize)]
pub struct SeriesItem {
    pub name: String,
    #[serde(rename = "nextNumber")]
    pub next: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Taxes {
    #[serde(default)]
    pub taxes: Vec<Tax>,
}

#[derive(Debug, Deserialize)]
pub struct Tax {
    pub name: String,
    pub percentage: WireDecimal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stock_texts_become_typed_errors() {
        let cx = Context {
            warehouse: "Depozit central",
            ..Context::default()
        };
        let html = "Cantitate stoc insuficienta la <b>factura FCT 0001 din 01.09.2026</b> pentru \
                    produsul <b>Tricou M</b>.<br/>Stoc disponibil: 1 buc.";
        assert_eq!(
            map_text(&first_sentence(html), cx),
            BillingError::InsufficientStock {
                product: "Tricou M".into(),
                warehouse: "Depozit central".into()
            }
        );
        let e = map_text(
            "Gestiunea predatoare Nimic a produsului X nu a fost gasita.",
            cx,
        );
        assert_eq!(
            e,
            BillingError::WarehouseUnknown {
                warehouse: "Nimic".into()
            }
        );
    }
}
