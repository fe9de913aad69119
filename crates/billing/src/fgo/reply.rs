//! Reading FGO answers: `Success:false` arrives as HTTP 200 (sometimes 500 with a .NET stack,
//! or 409 for a duplicate, one public report says), pacing refusals are just a message, and a
//! duplicate invoice comes back as a refusal that still carries the existing `Factura`. FGO has
//! no error codes: only texts its docs and public clients document map to typed errors; any
//! other is shown verbatim, HTML and stack trace stripped.

use std::time::Duration;

use serde::Deserialize;

use crate::error::BillingError;
use crate::http::{Reply, Throttle, Verdict};
use crate::wire::{WireDecimal, plain_text};

pub const SERVICE: &str = "FGO";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Answer<T> {
    #[serde(default)]
    pub success: bool,
    #[serde(default)]
    pub message: Option<String>,
    pub factura: Option<Doc>,
    pub result: Option<T>,
    /// Stock left after the invoice, at the top level (the reading of some notes); FGO's PHP
    /// SDK reads it inside `Factura`, [`Doc::info_stoc`].
    #[serde(default)]
    pub info_stoc: Vec<StockInfo>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Doc {
    #[serde(deserialize_with = "crate::wire::text_or_number")]
    pub numar: String,
    pub serie: String,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub info_stoc: Vec<StockInfo>,
    /// `getstatus`: the invoice's value with VAT.
    #[serde(default)]
    pub valoare: Option<WireDecimal>,
    #[serde(default)]
    pub anulata: Option<bool>,
    /// `getstatus`: what is paid on the invoice.
    #[serde(default)]
    pub valoare_achitata: Option<WireDecimal>,
}

impl Doc {
    /// The document's series, number and link, as Punte keeps them.
    pub fn invoice_ref(&self) -> crate::model::InvoiceRef {
        crate::model::InvoiceRef {
            series: self.serie.clone(),
            number: self.numar.clone(),
            link: self.link.clone(),
        }
    }
}

/// One article's stock after the invoice (`InfoStoc`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StockInfo {
    #[serde(default)]
    pub cod_conta: String,
    #[serde(default)]
    pub nume: String,
    #[serde(default)]
    pub stoc: WireDecimal,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Article {
    #[serde(default)]
    pub nume: String,
    pub cod_conta: Option<String>,
    #[serde(default)]
    pub stoc: WireDecimal,
    /// The article's VAT percent ([FGO-PHP] `Types/Article.php`).
    #[serde(default)]
    pub cota_tva: Option<WireDecimal>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Page<T> {
    #[serde(default)]
    pub total: Option<u64>,
    #[serde(default = "Vec::new")]
    pub list: Vec<T>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Gestiune {
    pub cod_gestiune: String,
    #[serde(default)]
    pub nume: String,
}

fn message_of(reply: &Reply) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(&reply.body).ok()?;
    v.get("Message").and_then(|m| m.as_str()).map(str::to_owned)
}

/// FGO-specific reading before the generic rules: pacing refusals are throttles; a 500 that
/// carries FGO's own JSON refusal is definitive, not a crash to retry.
pub fn judge(reply: &Reply) -> Verdict {
    let Some(message) = message_of(reply) else {
        return Verdict::Pass;
    };
    if message.to_lowercase().contains("depasit limita") {
        let secs = message
            .split("1 apel la ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(1);
        return Verdict::Throttled(Throttle {
            retry_after: Some(Duration::from_secs(secs)),
            until: None,
        });
    }
    if reply.status.is_server_error() && !message.starts_with("Ne pare rau") {
        return Verdict::Final;
    }
    if reply.status.as_u16() == 409 {
        // A duplicate: the invoice exists; never a reason to send again.
        return Verdict::Final;
    }
    Verdict::Pass
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let from = text.find(start)? + start.len();
    let rest = &text[from..];
    Some(rest[..rest.find(end).unwrap_or(rest.len())].trim())
}

/// FGO's `Message` without HTML and without a trailing .NET stack trace.
fn clean(raw: &str) -> String {
    let body = raw.trim().trim_start_matches("System.Exception: ");
    let before_stack = body
        .split(['\r', '\n'])
        .take_while(|l| !l.trim_start().starts_with("at "))
        .collect::<Vec<_>>()
        .join(" ");
    plain_text(&before_stack)
}

/// FGO's `Message` as a typed error: texts FGO's docs and public clients document; any other
/// verbatim.
pub fn map_text(raw: &str, invoice: &str) -> BillingError {
    let text = clean(raw);
    let lower = text.to_lowercase();
    if lower.contains("nu este autorizata")
        || lower.contains("codul unic nu exista")
        || lower.contains("utilizatorul nu exista")
    {
        return BillingError::AuthFailed { service: SERVICE };
    }
    if lower.contains("[codgestiune] nu a fost identificata") {
        return BillingError::WarehouseUnknown {
            warehouse: between(&text, "Valoarea ", " asociata")
                .unwrap_or("?")
                .into(),
        };
    }
    if lower.starts_with("registrul pentru seria") {
        return BillingError::SeriesUnknown {
            series: between(&text, "seria ", " nu este").unwrap_or("?").into(),
        };
    }
    if lower.starts_with("factura nu a fost gasita") || lower.starts_with("factura nu exista") {
        return BillingError::InvoiceNotFound {
            invoice: invoice.to_owned(),
        };
    }
    BillingError::Rejected {
        service: SERVICE,
        text,
    }
}

/// The answer as `Answer<T>`, or FGO's refusal as a typed error (a duplicate keeps its
/// `Factura`, so the caller sees it as `Ok` with `success == false`).
pub fn parse<T: serde::de::DeserializeOwned>(
    reply: &Reply,
    invoice: &str,
) -> Result<Answer<T>, BillingError> {
    let answer: Answer<T> =
        serde_json::from_slice(&reply.body).map_err(|e| BillingError::InvalidResponse {
            service: SERVICE,
            detail: format!("HTTP {}: {e}", reply.status.as_u16()),
        })?;
    if answer.success || answer.factura.is_some() {
        return Ok(answer);
    }
    Err(map_text(
        answer.message.as_deref().unwrap_or_default(),
        invoice,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_the_client_does_not_know_are_shown_verbatim() {
        let e = map_text(
            "System.Exception: Stoc insuficient pentru articolul <b>X</b> (disponibil 1).\r\n   at Fgo.PublicApi.Emitere()",
            "",
        );
        assert_eq!(
            e,
            BillingError::Rejected {
                service: SERVICE,
                text: "Stoc insuficient pentru articolul X (disponibil 1).".into()
            }
        );
        let e = map_text(
            "Registrul pentru seria ZZ nu este definit sau a expirat.",
            "",
        );
        assert_eq!(e.code(), "billing.series_unknown");
    }
}
