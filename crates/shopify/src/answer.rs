//! Reading what came back: GraphQL `errors` codes (THROTTLED, MAX_COST_EXCEEDED, ACCESS_DENIED),
//! fields withheld from an answer that still has its data (protected customer data), reqwest
//! failures, `Retry-After` and error bodies, turned into the transport's outcomes.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use crate::ShopifyError;
use crate::pacing::ThrottleStatus;
use crate::transport::Outcome;

/// A field Shopify left out of an answer that otherwise came back: "data and errors together".
/// Shopify's protected-customer-data page: "GraphQL requests to unapproved types will return an
/// HTTP 200 OK response with an error message in the errors hash", the field nulled, e.g.
/// `{"message": "This app is not approved to access the Customer object. See … for more
/// details.", "path": ["customer", "phone"]}` (some answers add `extensions.code:
/// ACCESS_DENIED`). Recognised by its path and by either the code or that wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withheld {
    /// The response path, e.g. `["orders", "nodes", "3", "email"]` (indexes as text).
    pub path: Vec<String>,
    /// Shopify's own words, kept verbatim for the merchant.
    pub message: String,
}

impl Withheld {
    /// The withheld field's name (the path's last name, e.g. `email`, `billingAddress`).
    #[must_use]
    pub fn field(&self) -> &str {
        self.path
            .iter()
            .rev()
            .find(|p| p.parse::<u64>().is_err())
            .map_or("", String::as_str)
    }
}

/// The errors of an answer whose `data` came back, if every one is a withheld field below the
/// root (a root field denied is a missing scope: the whole answer fails then).
pub(crate) fn withheld(errors: &Value) -> Option<Vec<Withheld>> {
    let list = errors.as_array()?;
    list.iter()
        .map(|e| {
            let path: Vec<String> = e
                .get("path")?
                .as_array()?
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            let message = e.get("message").and_then(Value::as_str).unwrap_or_default();
            let code = e.pointer("/extensions/code").and_then(Value::as_str);
            // "Access denied for inventoryLevels field. Required access: `read_inventory` access
            // scope." is a missing scope, wherever the field sits: the answer fails.
            let scope = message.contains("Required access") || message.contains("access scope");
            let denied =
                !scope && (code == Some("ACCESS_DENIED") || message.contains("not approved to"));
            (denied && path.len() >= 2).then(|| Withheld {
                path,
                message: message.to_owned(),
            })
        })
        .collect()
}

pub(crate) fn classify_errors(errors: &Value, bucket: Option<(ThrottleStatus, f64)>) -> Outcome {
    let first = errors.as_array().and_then(|a| a.first());
    let code = first
        .and_then(|e| e.pointer("/extensions/code"))
        .and_then(Value::as_str);
    let message = first
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map_or_else(|| errors.to_string(), str::to_owned);
    match code {
        Some("THROTTLED") => {
            Outcome::Throttled(bucket.map_or(Duration::from_secs(1), |(s, requested)| {
                s.wait_for(requested)
            }))
        }
        Some("MAX_COST_EXCEEDED") => {
            let cost = first
                .and_then(|e| e.pointer("/extensions/cost"))
                .and_then(Value::as_u64)
                .unwrap_or_default();
            Outcome::Fatal(ShopifyError::QueryTooCostly { cost })
        }
        Some("ACCESS_DENIED") => Outcome::Fatal(ShopifyError::AccessDenied(message)),
        Some("INTERNAL_SERVER_ERROR") => Outcome::Transient {
            error: ShopifyError::ServerError { status: 200 },
            ambiguous: true,
            retry_after: None,
        },
        code => Outcome::Fatal(ShopifyError::GraphQl {
            code: code.map(str::to_owned),
            message,
        }),
    }
}

/// A reqwest failure as a client error (never with the URL's query or any header).
pub(crate) fn send_error(e: reqwest::Error) -> ShopifyError {
    if e.is_timeout() {
        ShopifyError::Timeout
    } else if e.is_connect() {
        ShopifyError::Unreachable("connection refused or host not found".into())
    } else if e.is_decode() {
        ShopifyError::BadResponse(e.without_url().to_string())
    } else {
        ShopifyError::Unreachable("the connection broke before the answer arrived".into())
    }
}

/// `Retry-After` in seconds (Shopify sends floats such as `2.0`).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = raw.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

/// The `errors` text of a non-GraphQL error body, shortened.
pub(crate) fn error_text(bytes: &[u8]) -> String {
    let parsed: Option<Value> = serde_json::from_slice(bytes).ok();
    let text = match parsed.as_ref().and_then(|v| v.get("errors")) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    };
    text.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::withheld;

    #[test]
    fn only_fields_below_the_root_withheld_for_access_are_tolerated() {
        let doc_example = json!([{"message": "This app is not approved to access the Customer \
            object. See https://partners.shopify.com/123/apps/456/customer_data for more details.",
            "path": ["customer", "phone"]}]);
        let w = withheld(&doc_example).expect("a withheld field");
        assert_eq!(w[0].field(), "phone");
        let coded = json!([{"message": "Access denied", "extensions": {"code": "ACCESS_DENIED"},
            "path": ["orders", "nodes", 3, "email"]}]);
        let w = withheld(&coded).expect("a withheld field");
        assert_eq!((w[0].field(), w[0].path[2].as_str()), ("email", "3"));
        // A root field denied is a missing scope; any other error fails the answer.
        let root = json!([{"message": "Access denied for orders field.",
            "extensions": {"code": "ACCESS_DENIED"}, "path": ["orders"]}]);
        assert!(withheld(&root).is_none());
        // A field below the root that needs a scope the app lacks is no withheld customer data.
        let nested = json!([{"message": "Access denied for inventoryLevels field. Required \
            access: `read_inventory` access scope.", "extensions": {"code": "ACCESS_DENIED"},
            "path": ["location", "inventoryLevels"]}]);
        assert!(withheld(&nested).is_none());
        let mixed = json!([coded[0].clone(), {"message": "Throttled",
            "extensions": {"code": "THROTTLED"}}]);
        assert!(withheld(&mixed).is_none());
    }
}
