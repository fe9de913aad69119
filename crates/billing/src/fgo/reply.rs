//! Reading FGO answers: `Success:false` arrives as HTTP 200 (sometimes 500 with a .NET stack,
//! or 409 for a duplicate, one public report says), pacing refusals are just a message, and a
//! duplicate invoice comes back as a refusal that still carries the existing `Factura`. FGO has
//! no error codes: only texts its docs and public clients document map to typed errors; any
//! other is shown verbatim, HTML and stack trace stripped.

use std::time::Duration;

use rust_decimal::Decimal;
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
