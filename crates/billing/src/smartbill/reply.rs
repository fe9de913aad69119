//! Reading SmartBill answers: the v1 envelope (`errorText` is the truth), the second error shape
//! (`errors[]` with a stable `code` and the `param` at fault), the HTTP status (401, 404, 429),
//! and the texts SmartBill's own spec documents mapped to typed errors. Any other text is shown
//! verbatim, HTML stripped (`wire::plain_text`).

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::BillingError;
use crate::http::Reply;
use crate::wire::{WireDecimal, plain_text};

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
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    param: String,
}

/// The body as `T` when the call succeeded, the typed error otherwise.
pub fn parse<T: DeserializeOwned>(reply: &Reply, cx: Context<'_>) -> Result<T, BillingError> {
    if reply.status == StatusCode::UNAUTHORIZED {
        return Err(BillingError::AuthFailed { service: SERVICE });
    }
    if reply.status == StatusCode::TOO_MANY_REQUESTS {
        return Err(BillingError::Blocked {
            service: SERVICE,
            until: crate::http::throttle_of(&reply.headers).until,
        });
    }
    let envelope: Option<Envelope> = serde_json::from_slice(&reply.body).ok();
    if let Some(env) = &envelope {
        if !env.error_text.trim().is_empty() {
            return Err(map_text(&plain_text(&env.error_text), cx));
        }
        if let Some(p) = env.errors.first() {
            return Err(problem(p));
        }
    }
    if !reply.status.is_success() {
        // No envelope: an HTML page (a mis-cased field gives a 500 page, the spec says).
        let page = plain_text(&String::from_utf8_lossy(&reply.body));
        let text = match page.chars().count() {
            0 => format!("HTTP {}", reply.status.as_u16()),
            n if n > 300 => format!("HTTP {}: {}…", reply.status.as_u16(), cut(&page, 300)),
            _ => format!("HTTP {}: {page}", reply.status.as_u16()),
        };
        return Err(BillingError::Rejected {
            service: SERVICE,
            text,
        });
    }
    serde_json::from_slice(&reply.body).map_err(|e| BillingError::InvalidResponse {
        service: SERVICE,
        detail: e.to_string(),
    })
}

fn cut(text: &str, chars: usize) -> &str {
    text.char_indices()
        .nth(chars)
        .map_or(text, |(i, _)| &text[..i])
}

/// The request-validation shape: the message as SmartBill wrote it, naming the field at fault.
fn problem(p: &Problem) -> BillingError {
    let message = plain_text(&p.message);
    let text = match (message.is_empty(), p.param.is_empty()) {
        (true, _) => p.code.clone(),
        (false, true) => message,
        (false, false) if message.contains(&p.param) => message,
        (false, false) => format!("{message} ({})", p.param),
    };
    BillingError::Rejected {
        service: SERVICE,
        text,
    }
}

fn after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    text.find(marker)
        .map(|i| text[i + marker.len()..].trim().trim_end_matches(['.', '!']))
}

/// SmartBill's (plain) `errorText` as a typed error, for the texts SmartBill's own spec
/// documents (its "Erori API V1" and per-endpoint error tables); any other text verbatim.
pub fn map_text(text: &str, cx: Context<'_>) -> BillingError {
    let lower = text.to_lowercase();
    if lower.starts_with("autentificare esuata") {
        return BillingError::AuthFailed { service: SERVICE };
    }
    if lower.starts_with("firma la care incercati sa va conectati") {
        return BillingError::CompanyNotFound {
            service: SERVICE,
            company: cx.cif.to_owned(),
        };
    }
    if lower.starts_with("seria nu a fost gasita") {
        return BillingError::SeriesUnknown {
            series: cx.series.to_owned(),
        };
    }
    if lower.starts_with("cantitate stoc insuficienta") {
        let product = after(text, "pentru produsul").unwrap_or("?");
        return BillingError::InsufficientStock {
            product: product.split(". ").next().unwrap_or(product).to_owned(),
            warehouse: cx.warehouse.to_owned(),
        };
    }
    if lower.starts_with("nu ai facut nicio achizitie") {
        let product = after(text, "pentru produsul").unwrap_or("?");
        return BillingError::ProductUnknown {
            product: product.split(". ").next().unwrap_or(product).to_owned(),
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
    if lower.starts_with("factura nu a fost gasita")
        || (lower.starts_with("factura cu seria si numarul") && lower.contains("nu a fost gasita"))
    {
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
    /// The public PDF link (no SmartBill login needed): what the merchant's customer can open.
    #[serde(default, rename = "documentViewUrl")]
    pub document_view_url: Option<String>,
}

impl From<Issued> for crate::model::InvoiceRef {
    /// The document SmartBill answered with; an empty view link is no link.
    fn from(issued: Issued) -> Self {
        Self {
            series: issued.series,
            number: issued.number,
            link: issued.document_view_url.filter(|u| !u.is_empty()),
        }
    }
}

/// `GET /invoice/paymentstatus`: an invoice's total and what is paid.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentStatus {
    #[serde(default)]
    pub invoice_total_amount: Option<WireDecimal>,
    #[serde(default)]
    pub paid_amount: Option<WireDecimal>,
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
            map_text(&plain_text(html), cx),
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
        let unknown = "Pentru acest pachet s-a emis numarul maxim de documente permis";
        assert_eq!(
            map_text(unknown, cx),
            BillingError::Rejected {
                service: SERVICE,
                text: unknown.into()
            },
            "a text the client does not know is shown verbatim"
        );
    }
}
